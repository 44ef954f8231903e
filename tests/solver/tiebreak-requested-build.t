# nor when the request names the other build
channel https://conda.example/main/linux-64
pkg foo 1.0 ha_0
  ts 200
pkg foo 1.0 hb_0
  ts 100
job install foo=1.0=hb_0
expect link
foo 1.0 hb_0
