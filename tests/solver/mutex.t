# mutex packages: openmp from gnu and from llvm are builds of one name, so packages that
# need different ones cannot be installed together
channel https://conda.example/main/linux-64
pkg _openmp_mutex 4.5 2_gnu
  bn 2
pkg _openmp_mutex 4.5 2_kmp_llvm
  bn 2
pkg libgcc 13.2 h0_0
  depends _openmp_mutex >=4.5
pkg gnu-app 1.0 h0_0
  depends _openmp_mutex * *_gnu
pkg llvm-app 1.0 h0_0
  depends _openmp_mutex * *_llvm
job install gnu-app
job install llvm-app
expect problems
problem: cannot install gnu-app and llvm-app together
gnu-app (test)
`- gnu-app 1.0 h0_0 (https://conda.example/main)
   `- requires _openmp_mutex * *_gnu
      `- _openmp_mutex 4.5 2_gnu (https://conda.example/main)
         `- conflicts with _openmp_mutex 4.5 2_kmp_llvm (needed by llvm-app 1.0 h0_0): only one _openmp_mutex can be installed
llvm-app (test)
`- llvm-app 1.0 h0_0 (https://conda.example/main)
   `- requires _openmp_mutex * *_llvm
      `- _openmp_mutex 4.5 2_kmp_llvm (https://conda.example/main)
         `- conflicts with _openmp_mutex 4.5 2_gnu (needed by gnu-app 1.0 h0_0): only one _openmp_mutex can be installed
relax one of: gnu-app (test), llvm-app (test)
