# a request the pin rules out is explained by the pin
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
pkg foo 2.0 h0_0
job pin foo 1.*
job install foo=2
expect problems
problem: cannot install foo=2
foo=2 (test)
`- foo 2.0 h0_0 (https://conda.example/main)
   `- ruled out by pin foo 1.* (test)
relax one of: pin foo 1.* (test), foo=2 (test)
