/* SPDX-License-Identifier: MIT */
/* envs_test.c - listing environments, conda's registry, removing a whole environment */
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "testutil.h"

static struct hpc_config *config_for(const char *d)
{
	struct hpc_config *cfg = hpc_config_new();
	char *rc = hpc_xasprintf("root_prefix: %s/root\nenvs_dirs: [%s/envs]\n", d, d);

	assert_int_equal(hpc_config_load_string(cfg, "t", rc, strlen(rc), NULL, NULL), 0);
	free(rc);
	return cfg;
}

static void test_list_and_registry(void **state)
{
	char *d = tu_tmpdir(), *home = hpc_path_join(d, "home"), *elsewhere;
	struct hpc_config *cfg = config_for(d);
	struct hpc_strv v = HPC_STRV_INIT;
	char *reg = NULL, *regp;

	setenv("HOME", home, 1);
	tu_write(d, "root/conda-meta/history", "");
	tu_write(d, "envs/b/conda-meta/history", "");
	tu_write(d, "envs/a/conda-meta/history", "");
	tu_write(d, "envs/notanenv/file", "");
	tu_write(d, "envs/.a.hpcenv-removing-XYZ/env/conda-meta/history", "");
	tu_write(d, "other/p/conda-meta/history", "");
	elsewhere = hpc_path_join(d, "other/p");
	assert_int_equal(hpc_envs_register(elsewhere, NULL), 0);
	assert_int_equal(hpc_envs_register(elsewhere, NULL), 0); /* once */
	assert_int_equal(hpc_envs_register("/gone/env", NULL), 0);
	regp = hpc_path_join(home, ".conda/environments.txt");
	assert_int_equal(hpc_file_read(regp, &reg, NULL, NULL), 0);
	assert_non_null(strstr(reg, "/other/p\n"));
	assert_null(strstr(strstr(reg, "/other/p\n") + 1, "/other/p\n")); /* listed once */
	free(reg);
	assert_int_equal(hpc_envs_list(cfg, &v, NULL), 0);
	assert_int_equal(v.n, 4);
	assert_true(hpc_str_endswith(v.v[0], "/root")); /* base first */
	assert_true(hpc_str_endswith(v.v[1], "/envs/a"));
	assert_true(hpc_str_endswith(v.v[2], "/envs/b"));
	assert_string_equal(v.v[3], elsewhere);
	hpc_strv_fini(&v);
	assert_int_equal(hpc_envs_unregister(elsewhere, NULL), 0);
	assert_int_equal(hpc_envs_list(cfg, &v, NULL), 0);
	assert_int_equal(v.n, 3);
	hpc_strv_fini(&v);
	hpc_config_free(cfg);
	free(regp);
	free(elsewhere);
	free(home);
	tu_tmpdir_free(d);
}

static void test_remove_env(void **state)
{
	char *d = tu_tmpdir(), *home = hpc_path_join(d, "home"), *env = hpc_path_join(d, "envs/x");
	char *marker = hpc_path_join(d, "pre-unlink-ran"), *script, *envs = hpc_path_join(d, "envs");
	struct hpc_env_remove_options o = { .lock_timeout = 5, .wait = true };
	char *cmd;

	setenv("HOME", home, 1);
	tu_write(env, "conda-meta/pkg-1-0.json", "{\"name\": \"pkg\", \"version\": \"1\", "
		 "\"build\": \"0\", \"files\": [\"bin/.pkg-pre-unlink.sh\"]}");
	script = hpc_xasprintf("touch '%s'\n", marker);
	tu_write(env, "bin/.pkg-pre-unlink.sh", script);
	tu_write(env, "lib/big/file", "x");
	assert_int_equal(hpc_envs_register(env, NULL), 0);
	assert_int_equal(hpc_env_remove(env, &o, NULL, NULL), 0);
	assert_false(hpc_path_exists(env));
	assert_true(hpc_path_exists(marker));
	cmd = hpc_xasprintf("test -z \"$(ls -A '%s')\"", envs); /* nothing left aside */
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(script);
	free(envs);
	free(marker);
	free(env);
	free(home);
	tu_tmpdir_free(d);
}

/* The envs directory gets ext4's "top directory" hint where the filesystem has one. */
static void test_dir_spread(void **state)
{
	char *d = tu_tmpdir();
	int fd = open(d, O_RDONLY | O_DIRECTORY), flags = 0;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) { /* tmpfs and others: nothing to check */
		close(fd);
		tu_tmpdir_free(d);
		skip();
	}
	assert_false(flags & FS_TOPDIR_FL);
	hpc_envs_dir_spread(d);
	assert_int_equal(ioctl(fd, FS_IOC_GETFLAGS, &flags), 0);
	assert_true(flags & FS_TOPDIR_FL);
	hpc_envs_dir_spread(d); /* again: nothing changes */
	hpc_envs_dir_spread("/nonexistent/envs");
	close(fd);
	tu_tmpdir_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_and_registry),
		cmocka_unit_test(test_remove_env),
		cmocka_unit_test(test_dir_spread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
