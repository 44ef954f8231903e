# conda prefers an arch build to a noarch one of the same version and build number, even
# a newer one (libsolv alone would compare the build strings and take pyh0_0)
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
  ts 100
channel https://conda.example/main/noarch
pkg foo 1.0 pyh0_0
  noarch python
  ts 200
job install foo
expect link
foo 1.0 h0_0
