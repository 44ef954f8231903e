# MKL, BLIS and FlexiBLAS are told apart by their own symbols and asked for version, threads
# and threading layer. Each is stood in for by a shim libblas.so.3 built here: it exports
# that vendor's query functions (fixed answers the test can recognise) and forwards the BLAS
# calls, correctly, to OpenBLAS.
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
shim() { # VENDOR: build $T/VENDOR/libblas.so.3
	mkdir -p "$T/$1"
	cat >"$T/$1/shim.c" <<'CEOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
typedef void (*cgemm)(int, int, int, int, int, int, double, const double *, int,
		      const double *, int, double, double *, int);
void cblas_dgemm(int o, int ta, int tb, int m, int n, int k, double al, const double *a,
		 int lda, const double *b, int ldb, double be, double *c, int ldc)
{
	((cgemm)dlsym(RTLD_NEXT, "cblas_dgemm"))(o, ta, tb, m, n, k, al, a, lda, b, ldb, be, c, ldc);
}
#ifdef MKL
int MKL_Get_Max_Threads(void) { return 5; }
void MKL_Get_Version_String(char *buf, int len) { snprintf(buf, len, "MKL shim 2099.1 "); }
#endif
#ifdef BLIS
const char *bli_info_get_version_str(void) { return "0.9.9-shim"; }
int bli_thread_get_num_threads(void) { return 3; }
int bli_info_get_enable_openmp(void) { return 0; }
int bli_info_get_enable_pthreads(void) { return 1; }
#endif
#ifdef FLEXIBLAS
int flexiblas_current_backend(char *buf, size_t len) { return snprintf(buf, len, "SHIMBACKEND"); }
int flexiblas_get_num_threads(void) { return 4; }
void flexiblas_get_version(int *a, int *b, int *c) { *a = 3; *b = 9; *c = 7; }
#endif
CEOF
	gcc -shared -fPIC -O2 -D"$1" -o "$T/$1/libblas.so.3" -Wl,-soname,libblas.so.3 \
		"$T/$1/shim.c" -Wl,--no-as-needed /usr/lib/x86_64-linux-gnu/libopenblas.so.0 -ldl
}
check() { # VENDOR NAME VERSION THREADS THREADING
	shim "$1"
	LD_LIBRARY_PATH=$T/$1 expect_status 0 hpcenv verify --python "$PY" --quick --blas \
		--json "$T/$1.json"
	local j=$T/$1.json p
	p=$(jq '.blas.primary' "$j")
	assert_eq "$(jq -r .blas.gemm_path "$j")" "$T/$1/libblas.so.3"
	assert_eq "$(jq -r ".blas.libraries[$p].path" "$j")" "$T/$1/libblas.so.3"
	assert_eq "$(jq -r ".blas.libraries[$p].vendor" "$j")" "$2"
	assert_eq "$(jq -r ".blas.libraries[$p].version" "$j")" "$3"
	assert_eq "$(jq -r ".blas.libraries[$p].threads" "$j")" "$4"
	assert_eq "$(jq -r ".blas.libraries[$p].threading" "$j")" "$5"
	# the shim forwards to OpenBLAS, which is mapped too: two implementations, named
	assert_finding "$j" blas-two-libraries
	ids "$j" | grep -qx blas-netlib && die "$2 taken for the netlib reference"
	assert_eq "$(jq '[.bench[] | select(.skipped == null and .ok == false)] | length' "$j")" 0
}
check MKL MKL "MKL shim 2099.1" 5 null
check BLIS BLIS 0.9.9-shim 3 pthreads
check FLEXIBLAS FlexiBLAS 3.9.7 4 null
assert_eq "$(jq -r '.blas.libraries[.blas.primary].config' "$T/FLEXIBLAS.json")" SHIMBACKEND
