/* SPDX-License-Identifier: MIT */
/* config_test.c - rc files, env variables and overrides merged like conda */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static int load(struct hpc_config *cfg, const char *name, const char *yaml,
		struct hpc_error **e)
{
	return hpc_config_load_string(cfg, name, yaml, strlen(yaml), NULL, e);
}

static void test_defaults(void **state)
{
	struct hpc_config *cfg = hpc_config_new();
	char *pk = hpc_path_join(hpc_home_dir(), ".hpcenv/pkgs");

	assert_string_equal(hpc_config_get_str(cfg, "channel_alias"), "https://conda.anaconda.org");
	assert_string_equal(hpc_config_get_str(cfg, "channel_priority"), "flexible");
	assert_false(hpc_config_get_bool(cfg, "offline"));
	assert_true(hpc_config_get_bool(cfg, "ssl_verify"));
	assert_int_equal(hpc_config_get_int(cfg, "remote_max_retries"), 3);
	assert_int_equal(hpc_config_get_list(cfg, "default_channels")->n, 2);
	assert_string_equal(hpc_config_get_list(cfg, "pkgs_dirs")->v[0], pk);
	assert_string_equal(hpc_config_origin(cfg, "offline"), "default");
	assert_false(hpc_config_is_set(cfg, "offline"));
	assert_int_equal(hpc_config_get_list(cfg, "channels")->n, 0);
	free(pk);
	hpc_config_free(cfg);
}

static void test_types(void **state)
{
	struct hpc_config *cfg = hpc_config_new();
	struct hpc_error *e = NULL;

	assert_int_equal(load(cfg, "a", "channels: [conda-forge, bioconda]\n"
				  "custom_channels:\n  mine: file:///srv/ch\n"
				  "ssl_verify: /etc/ca.pem\n"
				  "offline: yes\n"
				  "remote_connect_timeout_secs: 2.5\n"
				  "extract_threads: 4\n"
				  "channel_priority: STRICT\n"
				  "pkgs_dirs: [~/pk]\n"
				  "pinned_packages:\n",
			      &e), 0);
	assert_null(e);
	assert_int_equal(hpc_config_get_list(cfg, "channels")->n, 2);
	assert_string_equal(hpc_config_map_get(cfg, "custom_channels", "mine"), "file:///srv/ch");
	assert_null(hpc_config_map_get(cfg, "custom_channels", "other"));
	assert_string_equal(hpc_config_get_str(cfg, "ssl_verify"), "/etc/ca.pem");
	assert_true(hpc_config_get_bool(cfg, "offline"));
	assert_true(hpc_config_get_float(cfg, "remote_connect_timeout_secs") == 2.5);
	assert_int_equal(hpc_config_get_int(cfg, "extract_threads"), 4);
	assert_string_equal(hpc_config_get_str(cfg, "channel_priority"), "strict");
	assert_string_equal(hpc_config_origin(cfg, "offline"), "a");
	/* paths are expanded; a null value leaves the key unset */
	assert_string_not_equal(hpc_config_get_list(cfg, "pkgs_dirs")->v[0], "~/pk");
	assert_false(hpc_config_is_set(cfg, "pinned_packages"));
	hpc_config_free(cfg);
}

static void test_precedence_and_merge(void **state)
{
	struct hpc_config *cfg = hpc_config_new();
	char *env[] = { "CONDA_CHANNELS=envch,b", "CONDA_OFFLINE=false", "HPCENV_OFFLINE=true",
			"CONDA_PREFIX=/ignored", NULL };
	const struct hpc_strv *ch;

	assert_int_equal(load(cfg, "low", "channels: [a, b]\nssl_verify: false\n"
				  "custom_channels: {x: low-x, y: low-y}\n", NULL), 0);
	assert_int_equal(load(cfg, "high", "channels: [c, a]\nssl_verify: true\n"
				  "custom_channels: {x: high-x}\n", NULL), 0);
	ch = hpc_config_get_list(cfg, "channels");
	assert_int_equal(ch->n, 3); /* higher priority first, duplicates dropped */
	assert_string_equal(ch->v[0], "c");
	assert_string_equal(ch->v[1], "a");
	assert_string_equal(ch->v[2], "b");
	assert_true(hpc_config_get_bool(cfg, "ssl_verify"));
	assert_string_equal(hpc_config_map_get(cfg, "custom_channels", "x"), "high-x");
	assert_string_equal(hpc_config_map_get(cfg, "custom_channels", "y"), "low-y");

	assert_int_equal(hpc_config_load_env(cfg, env, NULL, NULL), 0);
	ch = hpc_config_get_list(cfg, "channels");
	assert_string_equal(ch->v[0], "envch");
	assert_string_equal(ch->v[1], "b");
	assert_string_equal(ch->v[2], "c");
	assert_true(hpc_config_get_bool(cfg, "offline")); /* HPCENV_ beats CONDA_ */
	assert_string_equal(hpc_config_origin(cfg, "offline"), "env:HPCENV_*");

	/* a file loaded after the environment still ranks below it */
	assert_int_equal(load(cfg, "late", "offline: false\n", NULL), 0);
	assert_true(hpc_config_get_bool(cfg, "offline"));

	assert_int_equal(hpc_config_set(cfg, "offline", "no", NULL), 0);
	assert_false(hpc_config_get_bool(cfg, "offline"));
	assert_string_equal(hpc_config_origin(cfg, "offline"), "cmdline");
	assert_int_equal(hpc_config_set(cfg, "channels", "cli", NULL), 0);
	assert_string_equal(hpc_config_get_list(cfg, "channels")->v[0], "cli");
	hpc_config_free(cfg);
}

static void test_syntax_error_has_position(void **state)
{
	struct hpc_config *cfg = hpc_config_new();
	struct hpc_error *e = NULL;

	assert_int_equal(load(cfg, "/x/.condarc", "channels:\n  - a\n bad: [\n", &e),
			 -HPC_E_CONFIG);
	assert_err_contains(e, "/x/.condarc:3:");
	assert_int_equal(hpc_config_nsources(cfg), 0);
	hpc_error_clear(&e);
	assert_int_equal(load(cfg, "f", "- just\n- a list\n", &e), -HPC_E_CONFIG);
	assert_err_contains(e, "f:1:1: expected a mapping");
	hpc_error_free(e);
	hpc_config_free(cfg);
}

static void test_type_errors_have_position(void **state)
{
	static const struct { const char *yaml, *want; } cases[] = {
		{ "channels: conda-forge\n", "f:1:11: 'channels': expected a list" },
		{ "offline: maybe\n", "f:1:10: 'offline': expected true or false" },
		{ "fetch_threads: many\n", "f:1:16: 'fetch_threads': expected an integer" },
		{ "channel_priority: sometimes\n", "not one of the allowed values" },
		{ "custom_channels: [a]\n", "'custom_channels': expected a mapping" },
		{ "channels:\n  - [nested]\n", "f:2:5: 'channels': list items must be strings" },
		{ "channel_alias: [x]\n", "expected a single value" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hpc_config *cfg = hpc_config_new();
		struct hpc_error *e = NULL;

		assert_int_equal(load(cfg, "f", cases[i].yaml, &e), -HPC_E_CONFIG);
		assert_err_contains(e, cases[i].want);
		/* nothing half-loaded */
		assert_int_equal(hpc_config_nsources(cfg), 0);
		hpc_error_free(e);
		hpc_config_free(cfg);
	}
}

static void test_unknown_key_warns(void **state)
{
	struct hpc_config *cfg = hpc_config_new();
	struct tu_log l;

	tu_log_init(&l);
	assert_int_equal(hpc_config_load_string(cfg, "f", "offline: true\nfrobnicate: 1\n", 27,
						&l.ev, NULL), 0);
	assert_int_equal(l.lines.n, 1);
	assert_string_equal(l.lines.v[0], "1:f:2:1: unknown configuration key 'frobnicate' (ignored)");
	assert_true(hpc_config_get_bool(cfg, "offline"));
	tu_log_fini(&l);
	hpc_config_free(cfg);
}

static void test_legacy_forms(void **state)
{
	struct hpc_config *cfg = hpc_config_new();
	char *env[] = { "CONDA_ENVS_PATH=/e1:/e2", NULL };

	assert_int_equal(load(cfg, "f", "channel_priority: true\n", NULL), 0);
	assert_string_equal(hpc_config_get_str(cfg, "channel_priority"), "flexible");
	assert_int_equal(hpc_config_load_env(cfg, env, NULL, NULL), 0);
	assert_int_equal(hpc_config_get_list(cfg, "envs_dirs")->n, 2);
	assert_string_equal(hpc_config_get_list(cfg, "envs_dirs")->v[1], "/e2");
	hpc_config_free(cfg);
}

static void test_bad_env_and_cmdline(void **state)
{
	struct hpc_config *cfg = hpc_config_new();
	char *env[] = { "CONDA_REMOTE_MAX_RETRIES=lots", NULL };
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_config_load_env(cfg, env, NULL, &e), -HPC_E_CONFIG);
	assert_err_contains(e, "CONDA_REMOTE_MAX_RETRIES");
	hpc_error_clear(&e);
	assert_int_equal(hpc_config_set(cfg, "nope", "1", &e), -HPC_E_USAGE);
	hpc_error_clear(&e);
	assert_int_equal(hpc_config_set(cfg, "proxy_servers", "https=http://p:3128", NULL), 0);
	assert_string_equal(hpc_config_map_get(cfg, "proxy_servers", "https"), "http://p:3128");
	hpc_config_free(cfg);
}

static void test_search_path_order(void **state)
{
	char *home = tu_tmpdir(), *root = hpc_path_join(home, "root"), *rc, *hrc;
	char *old_home = getenv("HOME") ? hpc_xstrdup(getenv("HOME")) : NULL;
	struct hpc_config *cfg;
	struct hpc_strv files = HPC_STRV_INIT;
	char *env[] = { NULL, NULL };

	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("CONDA_PREFIX");
	tu_write(home, ".condarc", "channels: [home]\n");
	tu_write(home, ".config/conda/condarc", "channels: [xdg]\n");
	tu_write(home, ".conda/condarc.d/b.yml", "channels: [d-b]\n");
	tu_write(home, ".conda/condarc.d/a.yaml", "channels: [d-a]\n");
	tu_write(home, ".conda/condarc.d/ignored.txt", "channels: [no]\n");
	tu_write(root, ".condarc", "channels: [root]\n");
	tu_write(home, "explicit.yml", "channels: [condarc]\n");
	tu_write(home, "hpcenv.yml", "channels: [hpcenv_rc]\noffline: true\n");
	rc = hpc_path_join(home, "explicit.yml");
	hrc = hpc_path_join(home, "hpcenv.yml");
	setenv("CONDARC", rc, 1);
	setenv("HPCENV_RC", hrc, 1);
	env[0] = hpc_xasprintf("HPCENV_ROOT_PREFIX=%s", root);

	cfg = hpc_config_new();
	assert_int_equal(hpc_config_load_default(cfg, env, NULL, NULL), 0);
	assert_string_equal(hpc_config_root_prefix(cfg), root);
	hpc_config_search_path(cfg, &files);
	assert_int_equal(files.n, 7);
	const struct hpc_strv *ch = hpc_config_get_list(cfg, "channels");
	const char *want[] = { "hpcenv_rc", "condarc", "home", "d-b", "d-a", "xdg", "root" };
	assert_int_equal(ch->n, 7);
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(ch->v[i], want[i]);
	assert_string_equal(hpc_config_origin(cfg, "offline"), hrc);

	unsetenv("CONDARC");
	unsetenv("HPCENV_RC");
	if (old_home)
		setenv("HOME", old_home, 1);
	hpc_strv_fini(&files);
	hpc_config_free(cfg);
	free(env[0]);
	free(rc);
	free(hrc);
	free(root);
	free(old_home);
	tu_tmpdir_free(home);
}

static void test_sources_listing(void **state)
{
	struct hpc_config *cfg = hpc_config_new();
	struct hpc_strv keys = HPC_STRV_INIT;
	const char *scalar = NULL;
	const struct hpc_strv *list = NULL;

	assert_int_equal(load(cfg, "one", "offline: true\nchannels: [a]\n", NULL), 0);
	assert_int_equal(hpc_config_nsources(cfg), 1);
	assert_string_equal(hpc_config_source_name(cfg, 0), "one");
	assert_int_equal(hpc_config_source_kind(cfg, 0), HPC_CFG_SRC_FILE);
	hpc_config_source_keys(cfg, 0, &keys);
	assert_int_equal(keys.n, 2);
	assert_true(hpc_config_source_value(cfg, 0, "offline", &scalar, NULL));
	assert_string_equal(scalar, "true");
	assert_true(hpc_config_source_value(cfg, 0, "channels", NULL, &list));
	assert_string_equal(list->v[0], "a");
	assert_false(hpc_config_source_value(cfg, 0, "always_yes", NULL, NULL));
	assert_non_null(hpc_config_key_find("envs_path")); /* alias */
	assert_null(hpc_config_key_find("nope"));
	hpc_strv_fini(&keys);
	hpc_config_free(cfg);
}

static void test_missing_file(void **state)
{
	struct hpc_config *cfg = hpc_config_new();
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_config_load_file(cfg, "/nonexistent/rc", NULL, &e), -HPC_E_NOTFOUND);
	assert_err_contains(e, "/nonexistent/rc");
	hpc_error_free(e);
	hpc_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_precedence_and_merge),
		cmocka_unit_test(test_syntax_error_has_position),
		cmocka_unit_test(test_type_errors_have_position),
		cmocka_unit_test(test_unknown_key_warns),
		cmocka_unit_test(test_legacy_forms),
		cmocka_unit_test(test_bad_env_and_cmdline),
		cmocka_unit_test(test_search_path_order),
		cmocka_unit_test(test_sources_listing),
		cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
