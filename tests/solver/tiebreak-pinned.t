# nor when a pin rules it out
channel https://conda.example/main/linux-64
pkg foo 1.0 ha_0
  ts 200
pkg foo 1.0 hb_0
  ts 100
job pin foo * hb*
job install foo
expect link
foo 1.0 hb_0
