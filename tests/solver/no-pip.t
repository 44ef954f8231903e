# add_pip_as_python_dependency off: python alone
channel https://conda.example/main/linux-64
pkg python 3.9.1 h0_0
  depends openssl >=3
  depends tzdata
pkg openssl 3.0.0 h0_0
  depends ca-certificates
pkg ca-certificates 2024 h0_0
channel https://conda.example/main/noarch
pkg tzdata 2024a h0_0
pkg pip 24.0 pyh0_0
  noarch python
  depends python >=3.7
  depends setuptools
pkg setuptools 69.0 pyh0_0
  noarch python
  depends python >=3.7
flag no_pip
job install python
expect link
ca-certificates 2024 h0_0
openssl 3.0.0 h0_0
tzdata 2024a h0_0
python 3.9.1 h0_0
