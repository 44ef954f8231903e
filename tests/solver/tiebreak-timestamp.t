# among builds of the same version and build number conda takes the newest (libsolv alone
# would compare the build strings and take hb_0)
channel https://conda.example/main/linux-64
pkg foo 1.0 ha_0
  ts 200
pkg foo 1.0 hb_0
  ts 100
job install foo
expect link
foo 1.0 ha_0
