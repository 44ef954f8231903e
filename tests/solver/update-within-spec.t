# update with a spec stays inside it
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
pkg foo 1.5 h0_0
pkg foo 2.0 h0_0
installed
pkg foo 1.0 h0_0
job update foo <2
expect link
foo 1.5 h0_0
expect unlink
foo 1.0 h0_0
