# --force-reinstall puts the same build back even when a newer one exists
channel https://conda.example/main/linux-64
pkg foo 1.0 h0_0
pkg foo 2.0 h0_0
installed
pkg foo 1.0 h0_0
flag force_reinstall
job install foo
expect unlink
foo 1.0 h0_0
expect link
foo 1.0 h0_0
