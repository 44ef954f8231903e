# a version no channel has: say what there is
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
pkg foo 2.0 h0_0
job install foo=3
expect problems
problem: no package matches foo=3
foo=3 (test)
`- foo=3, but none matches: the channels have foo 1.0 - 2.0 (2 builds, https://conda.example/main)
relax: foo=3 (test)
