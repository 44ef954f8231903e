# install of an installed package moves it to the best matching version (conda's
# update_specs)
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
pkg foo 2.0 h0_0
installed
pkg foo 1.0 h0_0
job install foo
expect link
foo 2.0 h0_0
expect unlink
foo 1.0 h0_0
