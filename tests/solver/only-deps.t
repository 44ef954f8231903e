# --only-deps links what the requested package needs, not the package
channel https://conda.example/main/linux-64
pkg lib 1.0 h0_0
pkg lib2 1.0 h0_0
  depends lib
pkg app 1.0 h0_0
  depends lib2
flag only_deps
job install app
expect link
lib 1.0 h0_0
lib2 1.0 h0_0
