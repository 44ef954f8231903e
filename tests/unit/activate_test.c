/* SPDX-License-Identifier: MIT */
/* activate_test.c - activation variables, stacking, scripts, env_vars, rendering */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const char *val(const struct hpc_activation *a, const char *name)
{
	for (size_t i = 0; i + 1 < a->set.n; i += 2)
		if (!strcmp(a->set.v[i], name))
			return a->set.v[i + 1];
	return NULL;
}

static char *make_env(const char *root, const char *name)
{
	char *p = hpc_path_join(root, name);

	tu_write(p, "conda-meta/history", "");
	tu_write(p, "etc/conda/activate.d/b.sh", "B=1\n");
	tu_write(p, "etc/conda/activate.d/a.sh", "A=1\n");
	tu_write(p, "etc/conda/activate.d/a.fish", "set A 1\n");
	tu_write(p, "etc/conda/deactivate.d/z.sh", "unset A\n");
	tu_write(p, "conda-meta/state", "{\"env_vars\": {\"OMP_NUM_THREADS\": \"4\"}}");
	return p;
}

static void test_activate_fresh(void **state)
{
	char *d = tu_tmpdir(), *p = make_env(d, "envs/x"), *want, *script;
	char *envp[] = { "PATH=/usr/bin:/bin", "PS1=$ ", NULL };
	struct hpc_activation a;

	assert_int_equal(hpc_activate(&a, p, "x", HPC_SHELL_BASH, envp, true, NULL), 0);
	want = hpc_xasprintf("%s/bin:/usr/bin:/bin", p);
	assert_string_equal(val(&a, "PATH"), want);
	free(want);
	assert_string_equal(val(&a, "CONDA_PREFIX"), p);
	assert_string_equal(val(&a, "CONDA_DEFAULT_ENV"), "x");
	assert_string_equal(val(&a, "CONDA_SHLVL"), "1");
	assert_string_equal(val(&a, "CONDA_PROMPT_MODIFIER"), "(x) ");
	assert_string_equal(val(&a, "PS1"), "(x) $ ");
	assert_string_equal(val(&a, "OMP_NUM_THREADS"), "4");
	assert_int_equal(a.post_scripts.n, 2);
	assert_true(hpc_str_endswith(a.post_scripts.v[0], "activate.d/a.sh")); /* sorted */
	assert_int_equal(a.pre_scripts.n, 0);
	script = hpc_activation_script(&a, HPC_SHELL_BASH);
	assert_non_null(strstr(script, "export CONDA_SHLVL='1'\n"));
	assert_non_null(strstr(script, "\nPS1='(x) $ '\n")); /* not exported */
	assert_non_null(strstr(script, "activate.d/b.sh'\n"));
	free(script);
	hpc_activation_fini(&a);
	assert_int_equal(hpc_activate(&a, p, "x", HPC_SHELL_FISH, envp, true, NULL), 0);
	assert_null(val(&a, "PS1")); /* fish prompts are functions */
	assert_int_equal(a.post_scripts.n, 1);
	script = hpc_activation_script(&a, HPC_SHELL_FISH);
	want = hpc_xasprintf("set -gx PATH '%s/bin' '/usr/bin' '/bin'\n", p);
	assert_non_null(strstr(script, want));
	assert_non_null(strstr(script, "source '"));
	free(want);
	free(script);
	hpc_activation_fini(&a);
	free(p);
	tu_tmpdir_free(d);
}

static void test_stack_and_deactivate(void **state)
{
	char *d = tu_tmpdir(), *a_env = make_env(d, "envs/a"), *b_env = make_env(d, "envs/b");
	char *path_a = hpc_xasprintf("PATH=%s/bin:/usr/bin", a_env);
	char *pref_a = hpc_xasprintf("CONDA_PREFIX=%s", a_env);
	char *path_b = hpc_xasprintf("PATH=%s/bin:/usr/bin", b_env);
	char *pref_b = hpc_xasprintf("CONDA_PREFIX=%s", b_env);
	char *back = hpc_xasprintf("CONDA_PREFIX_1=%s", a_env), *want;
	char *on_a[] = { path_a, pref_a, "CONDA_SHLVL=1", "OMP_NUM_THREADS=4", NULL };
	char *on_b[] = { path_b, pref_b, "CONDA_SHLVL=2", back, NULL };
	char *on_a_only[] = { path_a, pref_a, "CONDA_SHLVL=1", NULL };
	struct hpc_activation x;

	/* b on top of a: a's deactivate.d runs, a's bin leaves PATH, a is remembered */
	assert_int_equal(hpc_activate(&x, b_env, "b", HPC_SHELL_BASH, on_a, false, NULL), 0);
	assert_int_equal(x.pre_scripts.n, 1);
	assert_string_equal(val(&x, "CONDA_PREFIX_1"), a_env);
	assert_string_equal(val(&x, "PATH"), path_b + 5);
	assert_string_equal(val(&x, "CONDA_SHLVL"), "2");
	assert_string_equal(val(&x, "OMP_NUM_THREADS"), "4"); /* b sets it again */
	hpc_activation_fini(&x);
	/* deactivating b goes back to a */
	assert_int_equal(hpc_deactivate(&x, HPC_SHELL_BASH, on_b, false, NULL), 0);
	assert_string_equal(val(&x, "CONDA_PREFIX"), a_env);
	assert_string_equal(val(&x, "CONDA_DEFAULT_ENV"), "a");
	assert_string_equal(val(&x, "PATH"), path_a + 5);
	assert_string_equal(val(&x, "CONDA_SHLVL"), "1");
	assert_true(hpc_strv_contains(&x.unset, "CONDA_PREFIX_1"));
	hpc_activation_fini(&x);
	/* deactivating a leaves nothing active */
	assert_int_equal(hpc_deactivate(&x, HPC_SHELL_ZSH, on_a_only, false, NULL), 0);
	assert_string_equal(val(&x, "PATH"), "/usr/bin");
	assert_true(hpc_strv_contains(&x.unset, "CONDA_PREFIX"));
	assert_true(hpc_strv_contains(&x.unset, "OMP_NUM_THREADS"));
	assert_string_equal(val(&x, "CONDA_SHLVL"), "0");
	hpc_activation_fini(&x);
	/* nothing active: nothing to do */
	{
		char *none[] = { "PATH=/usr/bin", NULL };

		assert_int_equal(hpc_deactivate(&x, HPC_SHELL_BASH, none, false, NULL), 0);
		assert_int_equal(x.set.n + x.unset.n, 0);
		hpc_activation_fini(&x);
	}
	want = hpc_shell_hook(HPC_SHELL_ZSH, "/opt/hpc env/bin/hpcenv");
	assert_non_null(strstr(want, "__hpcenv_exe='/opt/hpc env/bin/hpcenv'"));
	assert_non_null(strstr(want, "--shell zsh"));
	free(want);
	free(path_a);
	free(pref_a);
	free(path_b);
	free(pref_b);
	free(back);
	free(a_env);
	free(b_env);
	tu_tmpdir_free(d);
}

static void test_errors(void **state)
{
	enum hpc_shell sh;
	struct hpc_activation a;
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_shell_parse("/usr/bin/fish", &sh, NULL), 0);
	assert_int_equal(sh, HPC_SHELL_FISH);
	assert_int_equal(hpc_shell_parse("tcsh", &sh, &e), -HPC_E_USAGE);
	assert_err_contains(e, "'tcsh'");
	hpc_error_clear(&e);
	assert_int_equal(hpc_activate(&a, "/nonexistent", "n", HPC_SHELL_BASH, NULL, false, &e),
			 -HPC_E_NOTFOUND);
	hpc_error_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_activate_fresh),
		cmocka_unit_test(test_stack_and_deactivate),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
