# flexible channel priority: the higher channel wins over a higher version (conda ranks
# channel priority before version)
channel https://conda.example/a/linux-64 priority 2
pkg foo 1.0 h0_0
channel https://conda.example/b/linux-64 priority 1
pkg foo 2.0 h0_0
job install foo
expect link
foo 1.0 h0_0
