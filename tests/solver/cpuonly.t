# pytorch's variant mutex: the CPU mutex carries a track feature, so plain "pytorch" gets
# the CUDA build, and "cpuonly" (which needs the CPU mutex) switches to the CPU build
channel https://conda.example/pytorch/linux-64
pkg pytorch-mutex 1.0 cpu
  features pytorch-mutex
pkg pytorch-mutex 1.0 cuda
pkg pytorch 2.1.0 py3.9_cpu_0
  depends pytorch-mutex 1.0 cpu
pkg pytorch 2.1.0 py3.9_cuda12.1_cudnn8.9.2_0
  depends pytorch-mutex 1.0 cuda
channel https://conda.example/pytorch/noarch
pkg cpuonly 2.0 0
  noarch generic
  depends pytorch-mutex 1.0 cpu
job install pytorch
job install cpuonly
expect link
pytorch-mutex 1.0 cpu
cpuonly 2.0 0
pytorch 2.1.0 py3.9_cpu_0
