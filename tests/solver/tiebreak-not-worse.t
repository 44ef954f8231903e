# the newer foo build would cost bar its newer version: timestamps weigh least, so the
# first choice stays
channel https://conda.example/main/linux-64
pkg foo 1.0 h_new
  ts 200
  depends bar <2
pkg foo 1.0 h_old
  ts 100
pkg bar 1.0 h0_0
pkg bar 2.0 h0_0
job install foo
job install bar
expect link
bar 2.0 h0_0
foo 1.0 h_old
