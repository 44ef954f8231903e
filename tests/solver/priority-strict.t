# strict channel priority: foo is in channel a, so b's newer foo is never taken, and when
# a's foo cannot be installed the request fails, saying so
channel https://conda.example/a/linux-64 priority 2
pkg foo 1.0 h0_0
  depends libmissing
channel https://conda.example/b/linux-64 priority 1
pkg foo 2.0 h0_0
flag strict
job install foo
expect problems
problem: cannot install foo
foo (test)
`- foo 1.0 - 2.0 (2 builds, https://conda.example/a, https://conda.example/b)
   |- 1 build (1.0) requires libmissing, which is not available in any configured channel
   `- 1 build (2.0): excluded by strict channel priority: foo is also in https://conda.example/a, which comes first
channels searched: https://conda.example/a, https://conda.example/b
relax: foo (test)
