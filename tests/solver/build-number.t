# a higher build number wins at the same version, whatever the timestamps
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_1
  bn 1
  ts 100
pkg foo 1.0 h0_0
  ts 200
job install foo
expect link
foo 1.0 h0_1
