# app constrains foo <2: foo is not needed by app, but when installed it must obey
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
pkg foo 2.0 h0_0
pkg app 1.0 h0_0
  constrains foo <2
job install app
job install foo
expect link
app 1.0 h0_0
foo 1.0 h0_0
