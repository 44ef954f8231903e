/* SPDX-License-Identifier: MIT */
/* channel_test.c - channel strings resolved like conda: names, URLs, paths, multichannels */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static struct hpc_config *cfg_with(const char *yaml)
{
	struct hpc_config *cfg = hpc_config_new();

	if (yaml)
		assert_int_equal(hpc_config_load_string(cfg, "rc", yaml, strlen(yaml), NULL, NULL),
				 0);
	return cfg;
}

/* Parse one string that must give exactly one channel. */
static void parse1(struct hpc_config *cfg, const char *spec, struct hpc_channel_list *l)
{
	struct hpc_error *e = NULL;

	hpc_channel_list_init(l);
	if (hpc_channel_parse(l, cfg, spec, &e))
		fail_msg("'%s': %s", spec, e->msg);
	assert_int_equal(l->n, 1);
}

static void test_names(void **state)
{
	struct hpc_config *cfg = cfg_with(NULL);
	struct hpc_channel_list l;
	struct hpc_strv sub = HPC_STRV_INIT;
	char *u;

	parse1(cfg, "conda-forge", &l);
	assert_string_equal(l.v[0].name, "conda-forge");
	assert_string_equal(l.v[0].base_url, "https://conda.anaconda.org/conda-forge");
	assert_string_equal(l.v[0].fetch_url, l.v[0].base_url);
	assert_null(l.v[0].platform);
	assert_false(l.v[0].local);
	hpc_channel_subdirs(&l.v[0], "linux-64", &sub);
	assert_int_equal(sub.n, 2);
	assert_string_equal(sub.v[0], "linux-64");
	assert_string_equal(sub.v[1], "noarch");
	u = hpc_channel_subdir_url(&l.v[0], "noarch", false);
	assert_string_equal(u, "https://conda.anaconda.org/conda-forge/noarch");
	free(u);
	hpc_strv_fini(&sub);
	hpc_channel_list_fini(&l);

	parse1(cfg, "conda-forge/label/dev/", &l);
	assert_string_equal(l.v[0].name, "conda-forge/label/dev");
	assert_string_equal(l.v[0].base_url, "https://conda.anaconda.org/conda-forge/label/dev");
	hpc_channel_list_fini(&l);

	parse1(cfg, "conda-forge/linux-aarch64", &l);
	assert_string_equal(l.v[0].name, "conda-forge");
	assert_string_equal(l.v[0].platform, "linux-aarch64");
	hpc_channel_subdirs(&l.v[0], "linux-64", &sub);
	assert_string_equal(sub.v[0], "linux-aarch64");
	assert_string_equal(sub.v[1], "noarch");
	hpc_strv_fini(&sub);
	hpc_channel_list_fini(&l);

	/* a channel pinned to noarch loads noarch once */
	parse1(cfg, "conda-forge/noarch", &l);
	hpc_channel_subdirs(&l.v[0], "linux-64", &sub);
	assert_int_equal(sub.n, 1);
	hpc_strv_fini(&sub);
	hpc_channel_list_fini(&l);
	hpc_config_free(cfg);
}

static void test_alias_and_custom(void **state)
{
	struct hpc_config *cfg = cfg_with("channel_alias: "
					  "https://u:pw@mirror.example/t/tk-1/conda\n"
					  "custom_channels:\n"
					  "  mine: https://host.example/base/\n"
					  "  mine/special: file:///srv/special\n");
	struct hpc_channel_list l;

	parse1(cfg, "bioconda", &l);
	assert_string_equal(l.v[0].name, "bioconda");
	assert_string_equal(l.v[0].base_url, "https://mirror.example/conda/bioconda");
	assert_string_equal(l.v[0].fetch_url, "https://u:pw@mirror.example/t/tk-1/conda/bioconda");
	hpc_channel_list_fini(&l);

	parse1(cfg, "mine/label/x", &l);
	assert_string_equal(l.v[0].name, "mine/label/x");
	assert_string_equal(l.v[0].base_url, "https://host.example/base/mine/label/x");
	hpc_channel_list_fini(&l);

	/* the longest custom_channels entry wins */
	parse1(cfg, "mine/special/linux-64", &l);
	assert_string_equal(l.v[0].base_url, "file:///srv/special/mine/special");
	assert_string_equal(l.v[0].platform, "linux-64");
	assert_true(l.v[0].local);
	hpc_channel_list_fini(&l);

	/* URLs under an alias or a custom channel get their short name back */
	parse1(cfg, "https://mirror.example/conda/bioconda/", &l);
	assert_string_equal(l.v[0].name, "bioconda");
	hpc_channel_list_fini(&l);
	parse1(cfg, "https://host.example/base/mine/label/x/osx-arm64", &l);
	assert_string_equal(l.v[0].name, "mine/label/x");
	assert_string_equal(l.v[0].platform, "osx-arm64");
	hpc_channel_list_fini(&l);
	hpc_config_free(cfg);
}

static void test_multichannels(void **state)
{
	struct hpc_config *cfg = cfg_with("custom_multichannels:\n"
					  "  both: [conda-forge, 'https://other.example/x']\n");
	struct hpc_channel_list l;
	struct hpc_error *e = NULL;

	hpc_channel_list_init(&l);
	assert_int_equal(hpc_channel_parse(&l, cfg, "defaults", &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "defaults");
	assert_string_equal(l.v[0].base_url, "https://repo.anaconda.com/pkgs/main");
	assert_string_equal(l.v[1].base_url, "https://repo.anaconda.com/pkgs/r");
	hpc_channel_list_fini(&l);

	assert_int_equal(hpc_channel_parse(&l, cfg, "both/linux-64", &e), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "both");
	assert_string_equal(l.v[0].base_url, "https://conda.anaconda.org/conda-forge");
	assert_string_equal(l.v[0].platform, "linux-64");
	assert_string_equal(l.v[1].base_url, "https://other.example/x");
	assert_string_equal(l.v[1].platform, "linux-64");
	hpc_channel_list_fini(&l);

	/* a member given as a URL is shown under its multichannel's name */
	parse1(cfg, "https://repo.anaconda.com/pkgs/main", &l);
	assert_string_equal(l.v[0].name, "defaults");
	hpc_channel_list_fini(&l);
	parse1(cfg, "https://other.example/x", &l);
	assert_string_equal(l.v[0].name, "both");
	hpc_channel_list_fini(&l);
	hpc_config_free(cfg);

	cfg = cfg_with("default_channels: ['file:///srv/a', 'file:///srv/b', 'file:///srv/c']\n");
	assert_int_equal(hpc_channel_parse(&l, cfg, "defaults", &e), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[2].base_url, "file:///srv/c");
	hpc_channel_list_fini(&l);
	hpc_config_free(cfg);
}

static void test_urls_and_credentials(void **state)
{
	struct hpc_config *cfg = cfg_with(NULL);
	struct hpc_channel_list l;

	parse1(cfg, "https://user:s3cret@host.example:8443/t/tk-123-456/path/chan/linux-64/", &l);
	assert_string_equal(l.v[0].base_url, "https://host.example:8443/path/chan");
	assert_string_equal(l.v[0].fetch_url,
			    "https://user:s3cret@host.example:8443/t/tk-123-456/path/chan");
	assert_string_equal(l.v[0].name, "https://host.example:8443/path/chan");
	assert_string_equal(l.v[0].platform, "linux-64");
	assert_null(strstr(l.v[0].source, "s3cret"));
	assert_null(strstr(l.v[0].source, "tk-123"));
	assert_string_equal(l.v[0].source,
			    "https://user:***@host.example:8443/t/<TOKEN>/path/chan/linux-64/");
	hpc_channel_list_fini(&l);

	parse1(cfg, "HTTP://127.0.0.1:8080", &l);
	assert_string_equal(l.v[0].base_url, "http://127.0.0.1:8080");
	assert_string_equal(l.v[0].name, "http://127.0.0.1:8080");
	hpc_channel_list_fini(&l);

	parse1(cfg, "https://conda.anaconda.org/conda-forge", &l);
	assert_string_equal(l.v[0].name, "conda-forge");
	hpc_channel_list_fini(&l);
	hpc_config_free(cfg);
}

static void test_local_paths(void **state)
{
	struct hpc_config *cfg = cfg_with(NULL);
	struct hpc_channel_list l;
	char cwd[4096], *want, *p;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	parse1(cfg, "file:///srv/my chan/", &l);
	assert_string_equal(l.v[0].base_url, "file:///srv/my%20chan");
	assert_true(l.v[0].local);
	assert_string_equal(l.v[0].name, "file:///srv/my%20chan");
	p = hpc_file_url_to_path(l.v[0].base_url);
	assert_string_equal(p, "/srv/my chan");
	free(p);
	hpc_channel_list_fini(&l);

	parse1(cfg, "/abs/x/../chan/./noarch", &l);
	assert_string_equal(l.v[0].base_url, "file:///abs/chan");
	assert_string_equal(l.v[0].platform, "noarch");
	hpc_channel_list_fini(&l);

	parse1(cfg, "./rel/chan", &l);
	want = hpc_xasprintf("file://%s/rel/chan", cwd);
	assert_string_equal(l.v[0].base_url, want);
	free(want);
	hpc_channel_list_fini(&l);

	parse1(cfg, "../up", &l);
	assert_true(hpc_str_startswith(l.v[0].base_url, "file:///"));
	assert_true(hpc_str_endswith(l.v[0].base_url, "/up"));
	assert_null(strstr(l.v[0].base_url, ".."));
	hpc_channel_list_fini(&l);

	parse1(cfg, "~/chan", &l);
	p = hpc_file_url_to_path(l.v[0].base_url);
	want = hpc_path_join(hpc_home_dir(), "chan");
	assert_string_equal(p, want);
	free(want);
	free(p);
	hpc_channel_list_fini(&l);

	assert_null(hpc_file_url_to_path("https://x/y"));
	assert_null(hpc_file_url_to_path("file://otherhost/y"));
	p = hpc_file_url_to_path("file://localhost/a%2Fb");
	assert_string_equal(p, "/a/b");
	free(p);
	hpc_config_free(cfg);
}

static void expect_bad(struct hpc_config *cfg, const char *spec, const char *why)
{
	struct hpc_channel_list l;
	struct hpc_error *e = NULL;

	hpc_channel_list_init(&l);
	assert_int_equal(hpc_channel_parse(&l, cfg, spec, &e), -HPC_E_CHANNEL);
	assert_err_contains(e, why);
	assert_int_equal(l.n, 0);
	hpc_error_clear(&e);
	hpc_channel_list_fini(&l);
}

static void test_errors(void **state)
{
	struct hpc_config *cfg = cfg_with(NULL);

	expect_bad(cfg, "  ", "invalid channel ''");
	expect_bad(cfg, "ftp://host/x", "'ftp://host/x': unsupported URL scheme");
	expect_bad(cfg, "https:///x", "'https:///x': URL without a host");
	expect_bad(cfg, "https://h/x/linux-64/zlib-1.2-0.tar.bz2", "names a file");
	expect_bad(cfg, "two words", "'two words': not a channel");
	expect_bad(cfg, "https://u:pw@h/x/repodata.json", "'https://u:***@h/x/repodata.json'");
	hpc_config_free(cfg);
}

static void test_list_resolve(void **state)
{
	struct hpc_config *cfg = cfg_with("channels: [c, a, 'a/linux-64']\n"
					  "channel_priority: strict\n"
					  "subdir: osx-arm64\n");
	struct hpc_strv cli = HPC_STRV_INIT;
	struct hpc_channel_list l;
	struct hpc_error *e = NULL;

	hpc_strv_push(&cli, "a");
	hpc_strv_push(&cli, "b");
	hpc_channel_list_init(&l);
	assert_int_equal(hpc_channel_list_resolve(&l, cfg, &cli, false, &e), 0);
	assert_int_equal(l.n, 4); /* a, b, c, a/linux-64 */
	assert_string_equal(l.v[0].name, "a");
	assert_string_equal(l.v[1].name, "b");
	assert_string_equal(l.v[2].name, "c");
	assert_string_equal(l.v[3].platform, "linux-64");
	hpc_channel_list_fini(&l);
	assert_int_equal(hpc_channel_list_resolve(&l, cfg, &cli, true, &e), 0);
	assert_int_equal(l.n, 2);
	hpc_channel_list_fini(&l);
	assert_int_equal(hpc_channel_priority_get(cfg), HPC_PRIORITY_STRICT);
	assert_string_equal(hpc_channel_priority_name(HPC_PRIORITY_DISABLED), "disabled");
	assert_string_equal(hpc_channel_platform(cfg), "osx-arm64");
	hpc_config_free(cfg);

	cfg = cfg_with(NULL);
	assert_int_equal(hpc_channel_priority_get(cfg), HPC_PRIORITY_FLEXIBLE);
	assert_int_equal(hpc_channel_list_resolve(&l, cfg, NULL, false, &e), -HPC_E_CHANNEL);
	assert_err_contains(e, "no channels configured");
	hpc_error_clear(&e);
	hpc_strv_fini(&cli);
	hpc_strv_push(&cli, "ok");
	hpc_strv_push(&cli, "ftp://bad");
	assert_int_equal(hpc_channel_list_resolve(&l, cfg, &cli, false, &e), -HPC_E_CHANNEL);
	assert_err_contains(e, "ftp://bad");
	hpc_error_clear(&e);
	hpc_channel_list_fini(&l);
	hpc_strv_fini(&cli);
	hpc_config_free(cfg);
}

static void test_redact(void **state)
{
	char *r;

	r = hpc_url_redact("https://conda.anaconda.org/conda-forge/noarch/repodata.json");
	assert_string_equal(r, "https://conda.anaconda.org/conda-forge/noarch/repodata.json");
	free(r);
	r = hpc_url_redact("https://tok@h/t/abc/x");
	assert_string_equal(r, "https://tok@h/t/<TOKEN>/x");
	free(r);
	r = hpc_url_redact("not a url");
	assert_string_equal(r, "not a url");
	free(r);
	assert_true(hpc_channel_is_subdir("linux-64", 8));
	assert_false(hpc_channel_is_subdir("linux-6", 7));
}

/* The resolver "channel::name" specs use: the same names, without credentials. */
static void test_spec_resolver(void **state)
{
	struct hpc_config *cfg = cfg_with("channel_alias: https://u:pw@mirror.example/conda\n"
					  "custom_channels: {mine: 'file:///srv'}\n"
					  "default_channels: ['file:///srv/a', 'file:///srv/b']\n");
	struct hpc_channel_resolver res = hpc_channel_resolver_from_config(cfg);
	struct hpc_strv urls = HPC_STRV_INIT;
	struct hpc_error *e = NULL;

	assert_int_equal(res.resolve(res.ud, "conda-forge", &urls, &e), 0);
	assert_int_equal(urls.n, 1);
	assert_string_equal(urls.v[0], "https://mirror.example/conda/conda-forge");
	assert_int_equal(res.resolve(res.ud, "defaults", &urls, &e), 0);
	assert_int_equal(urls.n, 3);
	assert_string_equal(urls.v[1], "file:///srv/a");
	assert_string_equal(urls.v[2], "file:///srv/b");
	hpc_strv_fini(&urls);
	assert_int_equal(res.resolve(res.ud, "mine/label/x", &urls, &e), 0);
	assert_string_equal(urls.v[0], "file:///srv/mine/label/x");
	hpc_strv_fini(&urls);
	assert_int_equal(res.resolve(res.ud, "https://h.example/c/", &urls, &e), 0);
	assert_string_equal(urls.v[0], "https://h.example/c");
	hpc_strv_fini(&urls);
	assert_int_equal(res.resolve(res.ud, " ", &urls, &e), -HPC_E_CHANNEL);
	assert_int_equal(urls.n, 0);
	hpc_error_free(e);
	hpc_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_alias_and_custom),
		cmocka_unit_test(test_multichannels),
		cmocka_unit_test(test_urls_and_credentials),
		cmocka_unit_test(test_local_paths),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_list_resolve),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_spec_resolver),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
