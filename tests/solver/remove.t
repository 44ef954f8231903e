# remove takes the packages that depend on it along, dependents first, and (prune) the
# dependencies nothing else needs; baz stays
channel https://conda.example/main/linux-64
pkg libfoo 1.0 h0_0
installed
pkg libfoo 1.0 h0_0
pkg foo 1.0 h0_0
  depends libfoo
pkg bar 1.0 h0_0
  depends foo
pkg baz 1.0 h0_0
job remove foo
expect unlink
bar 1.0 h0_0
foo 1.0 h0_0
libfoo 1.0 h0_0
expect link
