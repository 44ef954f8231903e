# channel priority disabled: the best version wins wherever it is
channel https://conda.example/a/linux-64 priority 2
pkg foo 1.0 h0_0
channel https://conda.example/b/linux-64 priority 1
pkg foo 2.0 h0_0
flag disabled
job install foo
expect link
foo 2.0 h0_0
