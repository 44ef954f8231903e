# with the installed packages frozen, a request that needs to change one fails
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
pkg foo 2.0 h0_0
pkg bar 1.0 h0_0
  depends foo >=2
installed
pkg foo 1.0 h0_0
flag freeze
job install bar
expect problems
problem: cannot install bar
bar (test)
`- bar 1.0 h0_0 (https://conda.example/main)
   `- requires foo >=2
      `- foo 2.0 h0_0 (https://conda.example/main)
         `- conflicts with foo 1.0 h0_0 (installed, kept by --freeze-installed): only one foo can be installed
relax one of: bar (test), --freeze-installed
