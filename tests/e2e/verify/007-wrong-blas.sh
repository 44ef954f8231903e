# a BLAS that returns wrong results (a shim built here) fails loudly, exit 1
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
mkdir -p "$T/shim"
cat >"$T/shim/shim.c" <<'CEOF'
#define _GNU_SOURCE
#include <dlfcn.h>
typedef void (*cgemm)(int, int, int, int, int, int, double, const double *, int,
		      const double *, int, double, double *, int);
typedef void (*fgemm)(const char *, const char *, const int *, const int *, const int *,
		      const double *, const double *, const int *, const double *, const int *,
		      const double *, double *, const int *);
/* Right answer from the real library behind this one, then one element off by 1. */
void cblas_dgemm(int o, int ta, int tb, int m, int n, int k, double al, const double *a,
		 int lda, const double *b, int ldb, double be, double *c, int ldc)
{
	((cgemm)dlsym(RTLD_NEXT, "cblas_dgemm"))(o, ta, tb, m, n, k, al, a, lda, b, ldb, be, c, ldc);
	c[0] += 1.0;
}
void dgemm_(const char *ta, const char *tb, const int *m, const int *n, const int *k,
	    const double *al, const double *a, const int *lda, const double *b, const int *ldb,
	    const double *be, double *c, const int *ldc)
{
	((fgemm)dlsym(RTLD_NEXT, "dgemm_"))(ta, tb, m, n, k, al, a, lda, b, ldb, be, c, ldc);
	c[0] += 1.0;
}
CEOF
gcc -shared -fPIC -O2 -o "$T/shim/libblas.so.3" -Wl,-soname,libblas.so.3 "$T/shim/shim.c" \
	-Wl,--no-as-needed /usr/lib/x86_64-linux-gnu/libopenblas.so.0 -ldl
LD_LIBRARY_PATH=$T/shim expect_status 1 hpcenv verify --python "$PY" --quick --blas \
	--json "$T/v.json"
assert_contains "$errout" "verification failed: blas-wrong-results"
assert_eq "$(jq -r .blas.gemm_path "$T/v.json")" "$T/shim/libblas.so.3"
assert_finding "$T/v.json" blas-wrong-results
assert_contains "$(finding "$T/v.json" blas-wrong-results message)" \
	"$T/shim/libblas.so.3 dgemm n=256"
assert_contains "$(finding "$T/v.json" blas-wrong-results remedy)" "do not use this library"
assert_finding "$T/v.json" numpy-wrong-results
assert_contains "$out" "FAIL  bench.residual"
assert_contains "$out" "WRONG"
# the other operations (sgemm, dgemv, ddot) are right, and are reported right
assert_eq "$(jq '[.bench[] | select(.op != "dgemm" and .ok == false)] | length' "$T/v.json")" 0
