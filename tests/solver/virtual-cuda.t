# a package for CUDA on a machine without a CUDA driver
channel https://conda.example/main/linux-64
pkg cudatoolkit 12.1 h0_0
  depends __cuda >=12
  depends __glibc >=2.17
virtual __glibc 2.36
virtual __unix 0
job install cudatoolkit
expect problems
problem: cannot install cudatoolkit
cudatoolkit (test)
`- cudatoolkit 12.1 h0_0 (https://conda.example/main)
   `- requires __cuda >=12, but this system has no __cuda (no CUDA driver was found; override with CONDA_OVERRIDE_CUDA)
relax: cudatoolkit (test)
