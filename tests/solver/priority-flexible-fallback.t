# flexible channel priority: when the higher channel's foo cannot be installed, the lower
# channel's is taken (strict would fail)
channel https://conda.example/a/linux-64 priority 2
pkg foo 1.0 h0_0
  depends libmissing
channel https://conda.example/b/linux-64 priority 1
pkg foo 2.0 h0_0
job install foo
expect link
foo 2.0 h0_0
