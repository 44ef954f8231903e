# microarchitecture levels: the v4 build needs __archspec x86_64_v4 on a v3 machine
channel https://conda.example/main/linux-64
pkg _x86_64-microarch-level 4 2_x86_64_v4
  depends __archspec 1 x86_64_v4
pkg kernel 1.0 h0_0
  depends _x86_64-microarch-level >=4
virtual __archspec 1 x86_64_v3
job install kernel
expect problems
problem: cannot install kernel
kernel (test)
`- kernel 1.0 h0_0 (https://conda.example/main)
   `- requires _x86_64-microarch-level >=4
      `- _x86_64-microarch-level 4 2_x86_64_v4 (https://conda.example/main)
         `- requires __archspec 1 x86_64_v4, but this system has __archspec 1 x86_64_v3 (override with CONDA_OVERRIDE_ARCHSPEC)
relax: kernel (test)
