# a request may downgrade an installed dependency
channel https://conda.example/main/linux-64
pkg lib 1.0 h0_0
pkg lib 2.0 h0_0
pkg app 1.0 h0_0
  depends lib <2
installed
pkg lib 2.0 h0_0
job install app
expect link
lib 1.0 h0_0
app 1.0 h0_0
expect unlink
lib 2.0 h0_0
