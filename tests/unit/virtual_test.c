/* SPDX-License-Identifier: MIT */
/* virtual_test.c - virtual packages: this machine, conda's rules per platform, overrides */
#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "testutil.h"

/* All packages as one "a=1=0 b=2=0" string. */
static char *list(const struct hpc_virtual_host *host, const char *subdir, char **envp)
{
	struct hpc_vpkgs vp;
	struct hpc_error *e = NULL;
	struct hpc_strv sv = HPC_STRV_INIT;
	char *s;

	if (hpc_virtual_packages(host, subdir, envp, &vp, &e))
		fail_msg("%s", e->msg);
	for (size_t i = 0; i < vp.n; i++)
		hpc_strv_push_take(&sv, hpc_vpkg_str(&vp.v[i]));
	s = sv.n ? hpc_strv_join(&sv, " ") : hpc_xstrdup("");
	hpc_strv_fini(&sv);
	hpc_vpkgs_fini(&vp);
	return s;
}

#define assert_list(host, subdir, envp, want) \
	do { \
		char *l_ = list(host, subdir, envp); \
		if (strcmp(l_, want)) \
			fail_msg("%s: got '%s', want '%s'", subdir ? subdir : "native", l_, want); \
		free(l_); \
	} while (0)

static char *no_env[] = { NULL };

static void some_host(struct hpc_virtual_host *h)
{
	memset(h, 0, sizeof(*h));
	strcpy(h->sysname, "Linux");
	strcpy(h->release, "5.14.0-427.13.1.el9_4.x86_64");
	strcpy(h->machine, "x86_64");
	strcpy(h->native_subdir, "linux-64");
	strcpy(h->libc_family, "glibc");
	strcpy(h->libc_version, "2.34");
	strcpy(h->archspec, "zen4");
}

static void test_this_machine(void **state)
{
	struct hpc_virtual_host h;
	struct utsname u;
	struct hpc_cpu cpu;
	void *cuda = dlopen("libcuda.so.1", RTLD_LAZY);
	char *want, *l;

	hpc_virtual_probe(&h);
	assert_int_equal(uname(&u), 0);
	assert_string_equal(h.sysname, "Linux");
	assert_string_equal(h.release, u.release);
	assert_string_equal(h.libc_version, gnu_get_libc_version());
	assert_string_equal(h.native_subdir, "linux-64");
	hpc_cpu_detect(&cpu);
	assert_string_equal(h.archspec, hpc_archspec_name(&cpu));
	if (!cuda) /* no driver here: no __cuda, as conda */
		assert_string_equal(h.cuda, "");
	else
		dlclose(cuda);
	l = list(&h, NULL, no_env);
	want = hpc_xasprintf("__archspec=1=%s", h.archspec);
	assert_true(hpc_str_startswith(l, want));
	free(want);
	want = hpc_xasprintf(" __glibc=%s=0 __linux=", gnu_get_libc_version());
	assert_non_null(strstr(l, want));
	assert_true(hpc_str_endswith(l, "=0 __unix=0=0"));
	printf("    %s\n", l);
	free(want);
	free(l);
}

static void test_rules(void **state)
{
	struct hpc_virtual_host h;

	some_host(&h);
	assert_list(&h, NULL, no_env,
		    "__archspec=1=zen4 __glibc=2.34=0 __linux=5.14.0=0 __unix=0=0");
	assert_list(&h, "linux-64", no_env,
		    "__archspec=1=zen4 __glibc=2.34=0 __linux=5.14.0=0 __unix=0=0");
	strcpy(h.cuda, "12.4");
	assert_list(&h, NULL, no_env,
		    "__archspec=1=zen4 __cuda=12.4=0 __glibc=2.34=0 __linux=5.14.0=0 __unix=0=0");
	/* kernel releases: conda keeps the leading N.N[.N[.N]] */
	strcpy(h.cuda, "");
	strcpy(h.release, "6.8");
	assert_list(&h, NULL, no_env, "__archspec=1=zen4 __glibc=2.34=0 __linux=6.8=0 __unix=0=0");
	strcpy(h.release, "4.19.0.1.2-x");
	assert_list(&h, NULL, no_env,
		    "__archspec=1=zen4 __glibc=2.34=0 __linux=4.19.0.1=0 __unix=0=0");
	strcpy(h.release, "6-custom");
	assert_list(&h, NULL, no_env, "__archspec=1=zen4 __glibc=2.34=0 __linux=0=0 __unix=0=0");
	/* an unknown libc still exports __glibc, at 0 */
	strcpy(h.release, "6.1.0");
	h.libc_family[0] = h.libc_version[0] = '\0';
	assert_list(&h, NULL, no_env, "__archspec=1=zen4 __glibc=0=0 __linux=6.1.0=0 __unix=0=0");
}

static void test_other_platforms(void **state)
{
	struct hpc_virtual_host h;

	some_host(&h);
	assert_list(&h, "osx-arm64", no_env, "__archspec=1=arm64 __osx=0=0 __unix=0=0");
	assert_list(&h, "osx-64", no_env, "__archspec=1=x86_64 __osx=0=0 __unix=0=0");
	assert_list(&h, "win-64", no_env, "__archspec=1=x86_64 __win=0=0");
	assert_list(&h, "win-32", no_env, "__archspec=1=x86 __win=0=0");
	assert_list(&h, "linux-aarch64", no_env,
		    "__archspec=1=aarch64 __glibc=2.34=0 __linux=5.14.0=0 __unix=0=0");
	assert_list(&h, "linux-ppc64le", no_env,
		    "__archspec=1=ppc64le __glibc=2.34=0 __linux=5.14.0=0 __unix=0=0");
	assert_list(&h, "freebsd-64", no_env, "__archspec=1=x86_64 __unix=0=0");
	assert_list(&h, "zos-z", no_env, "");
	assert_list(&h, "emscripten-wasm32", no_env, "");
	/* not running on Linux: __linux is 0 */
	strcpy(h.sysname, "Darwin");
	strcpy(h.native_subdir, "osx-arm64");
	assert_list(&h, "linux-64", no_env,
		    "__archspec=1=x86_64 __glibc=2.34=0 __linux=0=0 __unix=0=0");
	/* __cuda does not depend on the platform, as in conda */
	strcpy(h.cuda, "11.8");
	assert_list(&h, "win-64", no_env, "__archspec=1=x86_64 __cuda=11.8=0 __win=0=0");
}

static void test_overrides(void **state)
{
	struct hpc_virtual_host h;
	char *glibc[] = { "CONDA_OVERRIDE_GLIBC=2.17", NULL };
	char *no_glibc[] = { "CONDA_OVERRIDE_GLIBC=", NULL };
	char *cuda[] = { "PATH=/bin", "CONDA_OVERRIDE_CUDA= 12.2 ", NULL };
	char *no_cuda[] = { "CONDA_OVERRIDE_CUDA=", NULL };
	char *arch[] = { "CONDA_OVERRIDE_ARCHSPEC=x86_64_v3", "CONDA_OVERRIDE_LINUX=5.10.1-foo",
			 NULL };
	char *no_arch[] = { "CONDA_OVERRIDE_ARCHSPEC=", "CONDA_OVERRIDE_LINUX=", NULL };
	char *osx[] = { "CONDA_OVERRIDE_OSX=14.2", "CONDA_OVERRIDE_WIN=", NULL };

	some_host(&h);
	assert_list(&h, NULL, glibc,
		    "__archspec=1=zen4 __glibc=2.17=0 __linux=5.14.0=0 __unix=0=0");
	assert_list(&h, NULL, no_glibc, "__archspec=1=zen4 __linux=5.14.0=0 __unix=0=0");
	assert_list(&h, NULL, cuda,
		    "__archspec=1=zen4 __cuda=12.2=0 __glibc=2.34=0 __linux=5.14.0=0 __unix=0=0");
	strcpy(h.cuda, "12.4");
	assert_list(&h, NULL, no_cuda,
		    "__archspec=1=zen4 __glibc=2.34=0 __linux=5.14.0=0 __unix=0=0");
	assert_list(&h, NULL, arch,
		    "__archspec=1=x86_64_v3 __cuda=12.4=0 __glibc=2.34=0 __linux=5.10.1=0 "
		    "__unix=0=0");
	assert_list(&h, NULL, no_arch, "__cuda=12.4=0 __glibc=2.34=0 __linux=0=0 __unix=0=0");
	assert_list(&h, "osx-arm64", osx,
		    "__archspec=1=arm64 __cuda=12.4=0 __osx=14.2=0 __unix=0=0");
	assert_list(&h, "win-64", osx, "__archspec=1=x86_64 __cuda=12.4=0");
}

static void test_errors(void **state)
{
	struct hpc_virtual_host h;
	struct hpc_vpkgs vp;
	struct hpc_error *e = NULL;
	char *bad[] = { "CONDA_OVERRIDE_GLIBC=2.x&", NULL };

	some_host(&h);
	assert_int_equal(hpc_virtual_packages(&h, NULL, bad, &vp, &e), -HPC_E_CONFIG);
	assert_string_equal(e->msg, "CONDA_OVERRIDE_GLIBC='2.x&': invalid version: invalid "
				    "character at column 4");
	assert_int_equal(vp.n, 0);
	hpc_error_clear(&e);
	assert_int_equal(hpc_virtual_packages(&h, "linux", no_env, &vp, &e), -HPC_E_USAGE);
	assert_err_contains(e, "invalid platform 'linux'");
	hpc_error_clear(&e);
	assert_int_equal(hpc_virtual_packages(&h, "-64", no_env, &vp, &e), -HPC_E_USAGE);
	hpc_error_clear(&e);
}

static void test_record(void **state)
{
	struct hpc_vpkg p = { "__glibc", "2.36", "0" };
	struct hpc_record r;
	char *json;

	hpc_vpkg_record(&p, "linux-64", &r);
	assert_string_equal(r.channel, "@");
	assert_string_equal(r.fn, "__glibc");
	assert_string_equal(r.md5, "12345678901234567890123456789012");
	json = hpc_record_to_json(&r);
	assert_non_null(strstr(json, "\"version\": \"2.36\""));
	free(json);
	hpc_record_fini(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_this_machine), cmocka_unit_test(test_rules),
		cmocka_unit_test(test_other_platforms), cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_errors), cmocka_unit_test(test_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
