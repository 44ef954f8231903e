# the mutex build follows what the packages ask for
channel https://conda.example/main/linux-64
pkg _openmp_mutex 4.5 2_gnu
  bn 2
pkg _openmp_mutex 4.5 2_kmp_llvm
  bn 2
pkg libgcc 13.2 h0_0
  depends _openmp_mutex >=4.5
pkg gnu-app 1.0 h0_0
  depends _openmp_mutex * *_gnu
  depends libgcc
job install gnu-app
expect link
_openmp_mutex 4.5 2_gnu
libgcc 13.2 h0_0
gnu-app 1.0 h0_0
