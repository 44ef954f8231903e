# nor when it would bring in another package (conda counts packages before timestamps)
channel https://conda.example/main/linux-64
pkg foo 1.0 ha_0
  ts 200
  depends extra
pkg foo 1.0 hb_0
  ts 100
pkg extra 1.0 h0_0
job install foo
expect link
foo 1.0 hb_0
