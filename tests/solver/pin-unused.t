# a pin on a name nobody needs installs nothing
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
pkg bar 1.0 h0_0
job pin foo 1.*
job install bar
expect link
bar 1.0 h0_0
