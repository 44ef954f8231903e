# a package built for a newer glibc than the system's
channel https://conda.example/main/linux-64
pkg newlib 1.0 h0_0
  depends __glibc >=2.40
virtual __glibc 2.36
job install newlib
expect problems
problem: cannot install newlib
newlib (test)
`- newlib 1.0 h0_0 (https://conda.example/main)
   `- requires __glibc >=2.40, but this system has __glibc 2.36 (override with CONDA_OVERRIDE_GLIBC)
relax: newlib (test)
