# an installed python keeps its minor version unless python is requested: foo's py39
# build is taken although libsolv would rank py310 higher
channel https://conda.example/main/linux-64
pkg python 3.9.2 h0_0
pkg python 3.10.0 h0_0
pkg foo 1.0 py39_0
  depends python >=3.9,<3.10.0a0
pkg foo 1.0 py310_0
  depends python >=3.10,<3.11.0a0
installed
pkg python 3.9.1 h0_0
flag no_pip
job install foo
expect link
foo 1.0 py39_0
expect unlink
