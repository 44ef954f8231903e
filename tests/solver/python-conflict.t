# two pythons requested: only one python can be installed
channel https://conda.example/main/linux-64
pkg python 3.9.18 h0_0
pkg python 3.9.19 h0_0
pkg python 3.10.13 h0_0
pkg python 3.10.14 h0_0
flag no_pip
job install python=3.9
job install python=3.10
expect problems
problem: cannot install python=3.9 and python=3.10 together
python=3.9 (test)
`- python 3.9.18 - 3.9.19 (2 builds, https://conda.example/main)
   `- conflicts with python 3.10.13 - 3.10.14 (2 builds) (needed by python=3.10): only one python can be installed
python=3.10 (test)
`- python 3.10.13 - 3.10.14 (2 builds, https://conda.example/main)
   `- conflicts with python 3.9.18 - 3.9.19 (2 builds) (needed by python=3.9): only one python can be installed
relax one of: python=3.9 (test), python=3.10 (test)
