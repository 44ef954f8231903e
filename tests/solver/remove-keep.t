# a dependency the user asked for earlier (history: a keep job) survives the prune
channel https://conda.example/main/linux-64
pkg libfoo 1.0 h0_0
installed
pkg libfoo 1.0 h0_0
pkg foo 1.0 h0_0
  depends libfoo
pkg bar 1.0 h0_0
  depends foo
job keep libfoo
job keep bar
job remove foo
expect unlink
bar 1.0 h0_0
foo 1.0 h0_0
expect link
