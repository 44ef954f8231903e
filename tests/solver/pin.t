# a pin keeps foo at 1.x
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
pkg foo 1.1 h0_0
pkg foo 2.0 h0_0
job pin foo 1.*
job install foo
expect link
foo 1.1 h0_0
