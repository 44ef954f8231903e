# --no-deps links the requested package only
channel https://conda.example/main/linux-64
pkg lib 1.0 h0_0
pkg app 1.0 h0_0
  depends lib
flag no_deps
job install app
expect link
app 1.0 h0_0
