# a constraint that rules out the requested version
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
pkg foo 2.0 h0_0
pkg app 1.0 h0_0
  constrains foo <2
job install app
job install foo=2
expect problems
problem: cannot install app and foo=2 together
app (test)
`- app 1.0 h0_0 (https://conda.example/main)
   `- constrains foo <2, which rules out foo 2.0 h0_0 (needed by foo=2)
foo=2 (test)
`- foo 2.0 h0_0 (https://conda.example/main)
   `- ruled out by app 1.0 h0_0 (needed by app), which constrains foo <2
relax one of: app (test), foo=2 (test)
