# without the python pin, foo's py310 build wins and python moves to 3.10
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
flag no_py_pin
job install foo
expect link
python 3.10.0 h0_0
foo 1.0 py310_0
expect unlink
python 3.9.1 h0_0
