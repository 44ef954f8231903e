# removing what is not installed is an error
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
job remove foo
expect error notfound
