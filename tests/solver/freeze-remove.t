# removing a frozen package: the installed package may not change
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
installed
pkg foo 1.0 h0_0
pkg bar 1.0 h0_0
  depends foo
flag freeze
job remove foo
expect problems
problem: cannot remove foo
foo (test): to be removed
`- installed foo 1.0 h0_0 (conda-forge)
   `- installed packages may not change (--freeze-installed)
relax one of: foo (test), --freeze-installed
