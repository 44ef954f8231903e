# a dependency no channel has, two levels down; the other build of app is fine but needs
# a missing lib too
channel https://conda.example/main/linux-64
pkg app 1.0 h0_0
  depends lib >=1
pkg app 2.0 h0_0
  depends lib >=2
  depends helper
pkg lib 1.0 h0_0
  depends libmissing
pkg lib 2.0 h0_0
  depends libmissing
pkg helper 1.0 h0_0
job install app
expect problems
problem: cannot install app
app (test)
`- app 1.0 - 2.0 (2 builds, https://conda.example/main)
   `- requires lib >=1 | lib >=2
      `- lib 1.0 - 2.0 (2 builds, https://conda.example/main)
         `- requires libmissing, which is not available in any configured channel
channels searched: https://conda.example/main
relax: app (test)
