/* SPDX-License-Identifier: MIT */
/* verify_elf_test.c - ELF needs/provides (libelf) and the loader's search order, on small
 * libraries built here with gcc */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "verify_int.h"

static char *dir;

static void sh(const char *fmt, const char *arg)
{
	char *cmd = hpc_xasprintf(fmt, arg, arg, arg, arg, arg, arg);

	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
	free(cmd);
}

/* libdep.so.1 in a/ and b/; libuser.so needs it with RUNPATH $ORIGIN/a, librp.so the same
 * with an old-style RPATH. */
static int setup(void **state)
{
	dir = tu_tmpdir();
	tu_write(dir, "dep.c", "int dep_fn(void) { return 1; }\nint MPIR_thing;\n");
	tu_write(dir, "user.c", "int dep_fn(void);\nint user_fn(void) { return dep_fn(); }\n");
	sh("cd %s && mkdir -p a b c h/glibc-hwcaps/x86-64-v2 && "
	   "gcc -shared -fPIC -o a/libdep.so.1 -Wl,-soname,libdep.so.1 dep.c && "
	   "cp a/libdep.so.1 b/ && cp a/libdep.so.1 h/ && "
	   "cp a/libdep.so.1 h/glibc-hwcaps/x86-64-v2/ && "
	   "echo 'not an ELF file' > c/libdep.so.1 && "
	   "gcc -shared -fPIC -o libuser.so user.c -La -l:libdep.so.1 "
	   "-Wl,--enable-new-dtags,-rpath,'$ORIGIN/a' && "
	   "gcc -shared -fPIC -o librp.so user.c -La -l:libdep.so.1 "
	   "-Wl,--disable-new-dtags,-rpath,'$ORIGIN/a'", dir);
	return 0;
}

static int teardown(void **state)
{
	tu_tmpdir_free(dir);
	return 0;
}

static char *at(const char *rel)
{
	return hpc_path_join(dir, rel);
}

static void test_read(void **state)
{
	struct hpc_verify_elf e, d;
	struct hpc_error *err = NULL;
	char *user = at("libuser.so"), *dep = at("a/libdep.so.1"), *bad = at("c/libdep.so.1");

	assert_int_equal(hpc_verify_elf_read(user, &e, NULL), 0);
	assert_true(hpc_strv_contains(&e.needed, "libdep.so.1"));
	assert_string_equal(e.runpath, "$ORIGIN/a");
	assert_null(e.rpath);
	assert_true(hpc_verify_elf_defines(&e, "user_fn"));
	assert_true(hpc_verify_elf_needs(&e, "dep_fn"));
	assert_false(hpc_verify_elf_defines(&e, "dep_fn"));
	assert_int_equal(hpc_verify_elf_read(dep, &d, NULL), 0);
	assert_string_equal(d.soname, "libdep.so.1");
	assert_true(hpc_verify_strv_has_prefix(&d.defined, "MPIR_"));
	assert_false(hpc_verify_strv_has_prefix(&d.defined, "MPICH_"));
	assert_true(hpc_verify_strv_has_prefix(&d.defined, "dep_"));
	assert_int_equal(d.machine, e.machine);
	hpc_verify_elf_fini(&e);
	hpc_verify_elf_fini(&d);
	assert_int_equal(hpc_verify_elf_read(bad, &e, &err), -HPC_E_PARSE);
	assert_err_contains(err, "is not an ELF file");
	hpc_error_clear(&err);
	assert_int_equal(hpc_verify_elf_read("/nonexistent.so", &e, &err), -HPC_E_IO);
	hpc_error_free(err);
	free(user);
	free(dep);
	free(bad);
}

static void find(const char *obj_rel, const char *ld, struct hpc_verify_ldso *out)
{
	struct hpc_verify_elf obj;
	char *obj_path = at(obj_rel);

	assert_int_equal(hpc_verify_elf_read(obj_path, &obj, NULL), 0);
	assert_int_equal(hpc_verify_ldso_find(&obj, "libdep.so.1", ld, NULL, out, NULL), 0);
	hpc_verify_elf_fini(&obj);
	free(obj_path);
}

static void test_order(void **state)
{
	struct hpc_verify_ldso l;
	char *a = at("a"), *b = at("b"), *ld = hpc_xasprintf("%s/c:%s/b", dir, dir), *want;

	/* RUNPATH alone */
	find("libuser.so", NULL, &l);
	want = hpc_xasprintf("%s/libdep.so.1", a);
	assert_string_equal(l.path, want);
	assert_string_equal(l.why, "RUNPATH $ORIGIN/a");
	assert_string_equal(l.dir, a);
	free(want);
	hpc_verify_ldso_fini(&l);
	/* LD_LIBRARY_PATH before RUNPATH; a file that is not ELF is passed over */
	find("libuser.so", ld, &l);
	want = hpc_xasprintf("%s/libdep.so.1", b);
	assert_string_equal(l.path, want);
	assert_string_equal(l.dir, b);
	assert_non_null(strstr(l.tried.v[0], "/c (wrong ELF class or machine)"));
	free(want);
	hpc_verify_ldso_fini(&l);
	/* an old-style RPATH comes before LD_LIBRARY_PATH */
	find("librp.so", ld, &l);
	assert_string_equal(l.dir, a);
	assert_string_equal(l.why, "RPATH $ORIGIN/a");
	hpc_verify_ldso_fini(&l);
	free(a);
	free(b);
	free(ld);
}

static void test_hwcaps_cache_missing(void **state)
{
	struct hpc_verify_ldso l;
	struct hpc_verify_elf obj;
	struct hpc_cpu cpu;
	char *h = at("h"), *user = at("libuser.so");

	hpc_cpu_detect(&cpu);
	find("libuser.so", h, &l);
	if (cpu.x86_level >= 2)
		assert_non_null(strstr(l.path, "/h/glibc-hwcaps/x86-64-v2/libdep.so.1"));
	else
		assert_non_null(strstr(l.path, "/h/libdep.so.1"));
	hpc_verify_ldso_fini(&l);
	/* libc comes from the cache */
	assert_int_equal(hpc_verify_elf_read(user, &obj, NULL), 0);
	assert_int_equal(hpc_verify_ldso_find(&obj, "libc.so.6", NULL, NULL, &l, NULL), 0);
	assert_string_equal(l.why, "ld.so.cache");
	hpc_verify_ldso_fini(&l);
	/* nowhere: every place searched is listed */
	assert_int_equal(hpc_verify_ldso_find(&obj, "libnope.so.7", "/nonexistent", NULL, &l,
					      NULL), 0);
	assert_null(l.path);
	assert_string_equal(l.tried.v[0], "LD_LIBRARY_PATH /nonexistent");
	assert_true(hpc_strv_contains(&l.tried, "ld.so.cache"));
	assert_true(hpc_strv_contains(&l.tried, "default /usr/lib"));
	hpc_verify_ldso_fini(&l);
	hpc_verify_elf_fini(&obj);
	free(h);
	free(user);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_hwcaps_cache_missing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
