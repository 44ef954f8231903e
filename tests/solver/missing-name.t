# a name no channel has
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
channel https://conda.example/main/noarch
pkg bar 1.0 h0_0
job install nosuch
expect problems
problem: nosuch is not available in any configured channel
nosuch (test)
`- nosuch, which is not available in any configured channel
channels searched: https://conda.example/main
relax: nosuch (test)
