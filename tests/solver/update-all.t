# update --all moves every installed package to its best version
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
pkg foo 2.0 h0_0
pkg bar 1.0 h0_0
pkg bar 1.5 h0_0
  depends foo >=2
installed
pkg foo 1.0 h0_0
pkg bar 1.0 h0_0
flag update_all
expect link
foo 2.0 h0_0
bar 1.5 h0_0
expect unlink
bar 1.0 h0_0
foo 1.0 h0_0
