# the newer build is not taken when a package of the solution asks for the other one
channel https://conda.example/main/linux-64
pkg foo 1.0 ha_0
  ts 200
pkg foo 1.0 hb_0
  ts 100
pkg app 1.0 h0_0
  depends foo * hb_0
job install app
expect link
foo 1.0 hb_0
app 1.0 h0_0
