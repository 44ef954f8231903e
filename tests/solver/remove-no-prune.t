# without pruning, only the package and its dependents go
channel https://conda.example/main/linux-64
pkg libfoo 1.0 h0_0
installed
pkg libfoo 1.0 h0_0
pkg foo 1.0 h0_0
  depends libfoo
pkg bar 1.0 h0_0
  depends foo
flag no_prune
job remove foo
expect unlink
bar 1.0 h0_0
foo 1.0 h0_0
expect link
