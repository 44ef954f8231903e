# a build with track_features loses to one without, even at a higher version
channel https://conda.example/main/linux-64
pkg blas 2.0 mkl_0
  features blas_mkl
pkg blas 1.0 openblas_0
pkg numpy 1.26 h0_0
  depends blas
job install numpy
expect link
blas 1.0 openblas_0
numpy 1.26 h0_0
