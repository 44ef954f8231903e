/* SPDX-License-Identifier: MIT */
/* envsolve_test.c - create/install/update/remove worked out: python=3.9 on the real
 * conda-forge subset, pytorch's CPU builds under strict priority, and an environment of
 * small records with a history and pins (remove with dependants, update, pins, pip) */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

struct fx {
	char *tmp;
	struct hpc_config *cfg;
};

static char *no_env[] = { NULL };
static const struct hpc_virtual_host host = {
	.sysname = "Linux", .release = "6.1.0", .machine = "x86_64",
	.native_subdir = "linux-64", .libc_family = "glibc", .libc_version = "2.36",
	.archspec = "x86_64_v3",
};

static void copy_shared(const char *rel, const char *dir, const char *to)
{
	char *from = tu_shared(rel), *data = NULL;
	size_t len;

	assert_int_equal(hpc_file_read(from, &data, &len, NULL), 0);
	tu_write(dir, to, data);
	free(data);
	free(from);
}

static void use_config(struct fx *fx, const char *extra)
{
	char *yaml = hpc_xasprintf("pkgs_dirs: [%s/pkgs]\n%s", fx->tmp, extra ? extra : "");

	hpc_config_free(fx->cfg);
	fx->cfg = hpc_config_new();
	assert_int_equal(hpc_config_load_string(fx->cfg, "rc", yaml, strlen(yaml), NULL, NULL),
			 0);
	free(yaml);
}

/* a 1.0 and 2.0 need b; c needs b; the environment has a 1.0, b, c, asked for a and c */
static const char *const small_repodata =
	"{\"info\": {\"subdir\": \"linux-64\"}, \"packages\": {"
	"\"a-1.0-0.tar.bz2\": {\"name\": \"a\", \"version\": \"1.0\", \"build\": \"0\","
	" \"build_number\": 0, \"depends\": [\"b\"]},"
	"\"a-2.0-0.tar.bz2\": {\"name\": \"a\", \"version\": \"2.0\", \"build\": \"0\","
	" \"build_number\": 0, \"depends\": [\"b\"]},"
	"\"b-1.0-0.tar.bz2\": {\"name\": \"b\", \"version\": \"1.0\", \"build\": \"0\","
	" \"build_number\": 0, \"depends\": []},"
	"\"c-1.0-0.tar.bz2\": {\"name\": \"c\", \"version\": \"1.0\", \"build\": \"0\","
	" \"build_number\": 0, \"depends\": [\"b\"]}}}";

static void installed(struct fx *fx, const char *name, const char *dep)
{
	char *rel = hpc_xasprintf("env/conda-meta/%s-1.0-0.json", name);
	char *json = hpc_xasprintf(
		"{\"name\": \"%s\", \"version\": \"1.0\", \"build\": \"0\", \"build_number\": 0,"
		" \"channel\": \"file://%s/small\", \"subdir\": \"linux-64\","
		" \"fn\": \"%s-1.0-0.tar.bz2\", \"depends\": [%s%s%s], \"files\": []}",
		name, fx->tmp, name, dep ? "\"" : "", dep ? dep : "", dep ? "\"" : "");

	tu_write(fx->tmp, rel, json);
	free(json);
	free(rel);
}

static int setup(void **state)
{
	struct fx *fx = hpc_xcalloc(1, sizeof(*fx));

	fx->tmp = tu_tmpdir();
	copy_shared("repodata/conda-forge-subset-py39-linux-64-2024.json", fx->tmp,
		    "cf/linux-64/repodata.json");
	copy_shared("repodata/conda-forge-subset-py39-noarch-2024.json", fx->tmp,
		    "cf/noarch/repodata.json");
	copy_shared("repodata/pytorch-linux-64-2023.json", fx->tmp, "pt/linux-64/repodata.json");
	tu_write(fx->tmp, "small/linux-64/repodata.json", small_repodata);
	installed(fx, "a", "b");
	installed(fx, "b", NULL);
	installed(fx, "c", "b");
	tu_write(fx->tmp, "env/conda-meta/history",
		 "==> 2024-01-01 00:00:00 <==\n# cmd: hpcenv create\n+file:///x::a-1.0-0\n"
		 "# update specs: ['a', 'c']\n");
	use_config(fx, NULL);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	hpc_config_free(fx->cfg);
	tu_tmpdir_free(fx->tmp);
	free(fx);
	return 0;
}

static int run(struct fx *fx, enum hpc_envsolve_kind kind, const char *chan, const char *specs,
	       struct hpc_envsolve *es, struct hpc_error **e)
{
	struct hpc_strv sv = HPC_STRV_INIT, chans = HPC_STRV_INIT;
	char *prefix = hpc_path_join(fx->tmp, "env");
	struct hpc_envsolve_options o = {
		.kind = kind, .prefix = prefix, .platform = "linux-64", .channels = &chans,
		.override_channels = true, .specs = &sv, .host = &host, .envp = no_env,
	};
	int r;

	hpc_strv_split(&sv, specs, ";");
	if (chan)
		hpc_strv_push_take(&chans, hpc_path_join(fx->tmp, chan));
	r = hpc_envsolve_run(fx->cfg, &o, NULL, es, e);
	hpc_strv_fini(&sv);
	hpc_strv_fini(&chans);
	free(prefix);
	return r;
}

/* "name version" of the records, space-separated, in order */
static char *names(const struct hpc_record *recs, size_t n)
{
	struct hpc_strbuf b;

	hpc_strbuf_init(&b);
	for (size_t i = 0; i < n; i++)
		hpc_strbuf_addf(&b, "%s%s %s", i ? " " : "", recs[i].name, recs[i].version);
	return hpc_strbuf_detach(&b);
}

static void test_create_python(void **state)
{
	struct fx *fx = *state;
	struct hpc_envsolve es;
	struct hpc_error *e = NULL;
	bool seen[4] = { false };
	const char *want[] = { "_libgcc_mutex", "_openmp_mutex", "ca-certificates", "openssl" };

	if (run(fx, HPC_ENVSOLVE_CREATE, "cf", "python=3.9", &es, &e))
		fail_msg("%s", e->msg);
	assert_string_equal(es.link[0].name, "_libgcc_mutex"); /* dependencies first */
	assert_int_equal(es.nunlink, 0);
	assert_int_equal(es.specs.n, 1);
	for (size_t i = 0; i < es.nlink; i++) {
		for (int k = 0; k < 4; k++)
			seen[k] |= !strcmp(es.link[i].name, want[k]);
		if (!strcmp(es.link[i].name, "python")) {
			assert_string_equal(es.link_spec[i], "python=3.9");
			assert_string_equal(es.link[i].version, "3.9.19");
			assert_true(hpc_strv_contains(&es.link[i].depends, "pip"));
		} else {
			assert_null(es.link_spec[i]);
		}
		assert_non_null(es.link[i].url);
		assert_non_null(es.link[i].sha256);
	}
	for (int k = 0; k < 4; k++)
		assert_true(seen[k]);
	hpc_envsolve_fini(&es);
}

static void test_pytorch_strict(void **state)
{
	struct fx *fx = *state;
	struct hpc_envsolve es;
	struct hpc_error *e = NULL;
	struct hpc_strv chans = HPC_STRV_INIT, sv = HPC_STRV_INIT;
	struct hpc_envsolve_options o = {
		.kind = HPC_ENVSOLVE_CREATE, .platform = "linux-64", .channels = &chans,
		.override_channels = true, .specs = &sv, .host = &host, .envp = no_env,
	};
	char *text;

	use_config(fx, "channel_priority: strict\n");
	hpc_strv_push_take(&chans, hpc_path_join(fx->tmp, "pt"));
	hpc_strv_push_take(&chans, hpc_path_join(fx->tmp, "cf"));
	hpc_strv_push(&sv, "pytorch[build=*cpu*]");
	assert_int_equal(hpc_envsolve_run(fx->cfg, &o, NULL, &es, &e), -HPC_E_SOLVE);
	assert_non_null(es.problems);
	text = hpc_problems_render_text(es.problems, HPC_RENDER_ASCII);
	assert_non_null(strstr(text, "requires blas * mkl, which is not available"));
	free(text);
	hpc_envsolve_fini(&es);
	hpc_error_free(e);
	hpc_strv_fini(&chans);
	hpc_strv_fini(&sv);
	use_config(fx, NULL);
}

/* remove b: a and c depend on it; remove c: b stays for a (asked for) */
static void test_remove(void **state)
{
	struct fx *fx = *state;
	struct hpc_envsolve es;
	struct hpc_error *e = NULL;
	char *s;

	if (run(fx, HPC_ENVSOLVE_REMOVE, NULL, "b", &es, &e))
		fail_msg("%s", e->msg);
	s = names(es.unlink, es.nunlink);
	assert_string_equal(s, "a 1.0 c 1.0 b 1.0"); /* dependents first */
	free(s);
	assert_int_equal(es.nlink, 0);
	hpc_envsolve_fini(&es);
	if (run(fx, HPC_ENVSOLVE_REMOVE, NULL, "c", &es, &e))
		fail_msg("%s", e->msg);
	s = names(es.unlink, es.nunlink);
	assert_string_equal(s, "c 1.0");
	free(s);
	hpc_envsolve_fini(&es);
	assert_int_equal(run(fx, HPC_ENVSOLVE_REMOVE, NULL, "zzz", &es, &e), -HPC_E_NOTFOUND);
	hpc_envsolve_fini(&es);
	hpc_error_clear(&e);
}

/* update a: 2.0, asked for by "a"; a pin in conda-meta/pinned holds it back */
static void test_update_pinned(void **state)
{
	struct fx *fx = *state;
	struct hpc_envsolve es;
	struct hpc_error *e = NULL;
	char *s;

	if (run(fx, HPC_ENVSOLVE_UPDATE, "small", "a", &es, &e))
		fail_msg("%s", e->msg);
	s = names(es.link, es.nlink);
	assert_string_equal(s, "a 2.0");
	free(s);
	assert_string_equal(es.link_spec[0], "a");
	s = names(es.unlink, es.nunlink);
	assert_string_equal(s, "a 1.0");
	free(s);
	hpc_envsolve_fini(&es);
	tu_write(fx->tmp, "env/conda-meta/pinned", "a 1.*\n");
	assert_int_equal(run(fx, HPC_ENVSOLVE_INSTALL, "small", "a>=2", &es, &e), -HPC_E_SOLVE);
	s = hpc_problems_render_text(es.problems, HPC_RENDER_ASCII);
	assert_non_null(strstr(s, "conda-meta/pinned:1"));
	free(s);
	hpc_envsolve_fini(&es);
	hpc_error_clear(&e);
	tu_write(fx->tmp, "env/conda-meta/pinned", "");
}

/* an environment file: its channels and specs; a pip: section is refused */
static void test_envfile(void **state)
{
	struct fx *fx = *state;
	struct hpc_envsolve es;
	struct hpc_error *e = NULL;
	struct hpc_envfile ef;
	char *yml = hpc_xasprintf("channels: [%s/small]\ndependencies:\n  - c\n", fx->tmp);
	char *prefix = hpc_path_join(fx->tmp, "new");
	struct hpc_envsolve_options o = { .kind = HPC_ENVSOLVE_CREATE, .prefix = prefix,
					  .file = &ef, .host = &host, .envp = no_env };

	assert_int_equal(hpc_envfile_parse_yaml("env.yml", yml, strlen(yml), &ef, NULL), 0);
	if (hpc_envsolve_run(fx->cfg, &o, NULL, &es, &e))
		fail_msg("%s", e->msg);
	assert_int_equal(es.nlink, 2);
	assert_string_equal(es.specs.v[0], "c");
	hpc_envsolve_fini(&es);
	hpc_envfile_fini(&ef);
	free(yml);
	yml = hpc_xasprintf("channels: [%s/small]\ndependencies:\n  - c\n  - pip:\n    - x\n",
			    fx->tmp);
	assert_int_equal(hpc_envfile_parse_yaml("env.yml", yml, strlen(yml), &ef, NULL), 0);
	assert_int_equal(hpc_envsolve_run(fx->cfg, &o, NULL, &es, &e), -HPC_E_UNSUPPORTED);
	assert_non_null(strstr(e->msg, "env.yml:4"));
	hpc_envsolve_fini(&es);
	hpc_envfile_fini(&ef);
	hpc_error_free(e);
	free(yml);
	free(prefix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_python),
		cmocka_unit_test(test_pytorch_strict),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_update_pinned),
		cmocka_unit_test(test_envfile),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
