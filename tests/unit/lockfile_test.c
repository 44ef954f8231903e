/* SPDX-License-Identifier: MIT */
/* lockfile_test.c - conda-lock.yml and pixi.lock: the real files in shared/data/envs, and
 * small ones for the corners */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const struct hpc_explicit_entry *find(const struct hpc_lockfile *lf, const char *name)
{
	for (size_t i = 0; i < lf->pkgs.n; i++)
		if (!strcmp(lf->pkgs.entries[i].rec.name, name))
			return &lf->pkgs.entries[i];
	return NULL;
}

static void load(struct hpc_lockfile *lf, const char *file, const char *platform, const char *env)
{
	char *p = tu_shared(file);
	struct hpc_lockfile_select sel = { .platform = platform, .env = env };
	struct hpc_error *e = NULL;

	if (hpc_lockfile_load(lf, p, &sel, &e))
		fail_msg("%s", e->msg);
	free(p);
}

static int load_err(const char *file, const char *platform, const char *env,
		    struct hpc_error **e)
{
	char *p = tu_shared(file);
	struct hpc_lockfile_select sel = { .platform = platform, .env = env };
	struct hpc_lockfile lf;
	int r = hpc_lockfile_load(&lf, p, &sel, e);

	assert_int_equal(lf.pkgs.n, 0); /* nothing half-read */
	free(p);
	return r;
}

/* pangeo-notebook's conda-lock.yml: four platforms, all conda, category main */
static void test_conda_lock_real(void **state)
{
	static const struct { const char *platform; size_t n; } counts[] = {
		{ "linux-64", 809 }, { "linux-aarch64", 793 }, { "osx-64", 746 }, { "osx-arm64", 743 },
	};
	struct hpc_lockfile lf;
	const struct hpc_explicit_entry *e;

	for (size_t i = 0; i < 4; i++) {
		load(&lf, "envs/pangeo-notebook.conda-lock.yml", counts[i].platform, NULL);
		assert_int_equal(lf.kind, HPC_LOCKFILE_CONDA_LOCK);
		assert_int_equal(lf.version, 1);
		assert_int_equal(lf.pkgs.n, counts[i].n);
		assert_int_equal(lf.nconda_total, 809 + 793 + 746 + 743);
		assert_int_equal(lf.npypi_total, 0);
		assert_int_equal(lf.pypi.n, 0);
		assert_int_equal(lf.platforms.n, 4);
		assert_string_equal(lf.pkgs.platform, counts[i].platform);
		for (size_t k = 0; k < lf.pkgs.n; k++) { /* each one locked: a URL and both hashes */
			assert_non_null(lf.pkgs.entries[k].rec.md5);
			assert_non_null(lf.pkgs.entries[k].rec.sha256);
			assert_null(lf.pkgs.entries[k].path);
			assert_true(hpc_str_startswith(lf.pkgs.entries[k].rec.url, "https://"));
		}
		if (i == 0) {
			assert_string_equal(lf.channels.v[0], "conda-forge");
			e = find(&lf, "_openmp_mutex");
			assert_non_null(e);
			assert_string_equal(e->rec.version, "4.5");
			assert_string_equal(e->rec.build, "2_gnu");
			assert_int_equal(e->rec.build_number, 0); /* not in the file: the package says */
			assert_string_equal(e->rec.subdir, "linux-64");
			assert_string_equal(e->rec.channel, "https://conda.anaconda.org/conda-forge");
			assert_string_equal(e->rec.md5, "73aaf86a425cc6e73fcf236a5a46396d");
			assert_string_equal(e->rec.depends.v[0], "_libgcc_mutex 0.1");
			assert_string_equal(e->rec.depends.v[1], "libgomp >=7.5.0");
			assert_non_null(find(&lf, "mpich"));
		}
		hpc_lockfile_fini(&lf);
	}
}

static void test_conda_lock_errors(void **state)
{
	struct hpc_error *e = NULL;

	assert_int_equal(load_err("envs/pangeo-notebook.conda-lock.yml", "win-64", NULL, &e),
			 -HPC_E_NOTFOUND);
	assert_err_contains(e, "no packages for platform 'win-64' (it has: linux-64, "
			    "linux-aarch64, osx-64, osx-arm64)");
	hpc_error_clear(&e);
}

/* ESMValTool's pixi.lock (version 7): 14 environments, linux-64 and osx-arm64, PyPI too */
static void test_pixi_real(void **state)
{
	struct hpc_lockfile lf;
	const struct hpc_explicit_entry *e;

	load(&lf, "envs/esmvaltool.pixi.lock", "linux-64", NULL);
	assert_int_equal(lf.kind, HPC_LOCKFILE_PIXI);
	assert_int_equal(lf.version, 7);
	assert_int_equal(lf.nconda_total, 1594);
	assert_int_equal(lf.npypi_total, 95);
	assert_int_equal(lf.environments.n, 14);
	assert_string_equal(lf.env, "default");
	assert_int_equal(lf.pkgs.n, 583);
	assert_int_equal(lf.pypi.n, 1);
	assert_string_equal(lf.pypi.v[0], "esmvaltool (./)"); /* the project itself, editable */
	assert_string_equal(lf.channels.v[0], "https://conda.anaconda.org/conda-forge/");
	assert_int_equal(lf.platforms.n, 2);
	e = find(&lf, "_openmp_mutex");
	assert_non_null(e);
	assert_string_equal(e->rec.build, "20_gnu");
	assert_int_equal(e->rec.build_number, 20);
	assert_string_equal(e->rec.sha256,
			    "1dd3fffd892081df9726d7eb7e0dea6198962ba775bd88842135a4ddb4deb3c9");
	assert_string_equal(e->rec.md5, "a9f577daf3de00bca7c3c76c0ecbd1de");
	assert_int_equal(e->rec.size, 28948);
	assert_int_equal(e->rec.timestamp, 1770939786096ULL);
	assert_true(hpc_strv_contains(&e->rec.depends, "libgomp >=7.5.0"));
	assert_string_equal(e->rec.constrains.v[0], "openmp_impl <0.0a0");
	assert_string_equal(e->rec.license, "BSD-3-Clause");
	assert_string_equal(e->rec.channel, "https://conda.anaconda.org/conda-forge");
	e = find(&lf, "aiohttp");
	assert_non_null(e);
	assert_string_equal(e->rec.track_features.v[0], "aiohttp_no_compile");
	hpc_lockfile_fini(&lf);

	load(&lf, "envs/esmvaltool.pixi.lock", "osx-arm64", "esmvalcore-dev");
	assert_int_equal(lf.pkgs.n, 486);
	assert_int_equal(lf.pypi.n, 84);
	assert_true(hpc_strv_contains(&lf.pypi, "esmvalcore==2.16.0.dev52+gb05267e9f"));
	assert_true(hpc_strv_contains(&lf.pypi, "pydap==3.5.10"));
	for (size_t k = 0; k < lf.pkgs.n; k++)
		assert_true(!strcmp(lf.pkgs.entries[k].rec.subdir, "osx-arm64") ||
			    !strcmp(lf.pkgs.entries[k].rec.subdir, "noarch"));
	hpc_lockfile_fini(&lf);
	load(&lf, "envs/esmvaltool.pixi.lock", "linux-64", "esmvaltool-r-dev");
	assert_int_equal(lf.pkgs.n, 695);
	hpc_lockfile_fini(&lf);
}

static void test_pixi_errors(void **state)
{
	struct hpc_error *e = NULL;

	assert_int_equal(load_err("envs/esmvaltool.pixi.lock", "linux-64", "nope", &e),
			 -HPC_E_NOTFOUND);
	assert_err_contains(e, "no environment 'nope' (there are: default, esmvalcore-dev, ");
	hpc_error_clear(&e);
	assert_int_equal(load_err("envs/esmvaltool.pixi.lock", "osx-arm64", "esmvaltool", &e),
			 -HPC_E_NOTFOUND);
	assert_err_contains(e, "environment 'esmvaltool' is not locked for platform 'osx-arm64' "
			    "(there is: linux-64)");
	hpc_error_clear(&e);
}

static int parse(struct hpc_lockfile *lf, const char *text, const char *platform,
		 struct hpc_error **e)
{
	struct hpc_lockfile_select sel = { .platform = platform };

	return hpc_lockfile_parse(lf, text, strlen(text), "/work/dir/pixi.lock", &sel, e);
}

/* version 6, a package by relative path (next to the lock file), a PyPI wheel */
static void test_pixi_small(void **state)
{
	static const char text[] =
		"version: 6\n"
		"environments:\n"
		"  default:\n"
		"    channels:\n"
		"    - url: https://example.org/ch/\n"
		"    packages:\n"
		"      linux-64:\n"
		"      - conda: pkgs/foo-1.0-h1234_3.tar.bz2\n"
		"      - conda: https://example.org/ch/noarch/bar-2-pyh_0.conda\n"
		"      - pypi: https://files.example.org/baz-1.2-py3-none-any.whl\n"
		"packages:\n"
		"- conda: pkgs/foo-1.0-h1234_3.tar.bz2\n"
		"  md5: 0123456789abcdef0123456789abcdef\n"
		"  depends: [libc]\n"
		"- conda: https://example.org/ch/noarch/bar-2-pyh_0.conda\n"
		"  name: bar-renamed\n"
		"  noarch: python\n"
		"  track_features: a b\n"
		"  license: null\n"
		"- pypi: https://files.example.org/baz-1.2-py3-none-any.whl\n"
		"  name: baz\n"
		"  version: '1.2'\n";
	struct hpc_lockfile lf;
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_lockfile_detect(text), HPC_LOCKFILE_PIXI);
	assert_int_equal(parse(&lf, text, "linux-64", &e), 0);
	assert_int_equal(lf.version, 6);
	assert_int_equal(lf.pkgs.n, 2);
	assert_string_equal(lf.pkgs.entries[0].path, "/work/dir/pkgs/foo-1.0-h1234_3.tar.bz2");
	assert_string_equal(lf.pkgs.entries[0].rec.url,
			    "file:///work/dir/pkgs/foo-1.0-h1234_3.tar.bz2");
	assert_int_equal(lf.pkgs.entries[0].rec.build_number, 3);
	assert_int_equal(lf.pkgs.entries[0].line, 8);
	assert_string_equal(lf.pkgs.entries[0].rec.depends.v[0], "libc");
	assert_string_equal(lf.pkgs.entries[1].rec.name, "bar-renamed");
	assert_string_equal(lf.pkgs.entries[1].rec.noarch, "python");
	assert_string_equal(lf.pkgs.entries[1].rec.track_features.v[1], "b");
	assert_null(lf.pkgs.entries[1].rec.license);
	assert_string_equal(lf.pypi.v[0], "baz==1.2");
	hpc_lockfile_fini(&lf);
}

static void test_small_errors(void **state)
{
	struct hpc_lockfile lf;
	struct hpc_error *e = NULL;

	/* a version this reader does not know */
	assert_int_equal(parse(&lf, "version: 5\nenvironments: {}\npackages: []\n", "linux-64",
			       &e), -HPC_E_UNSUPPORTED);
	assert_err_contains(e, "pixi lock file version 5 is not supported (versions 6 and 7 are)");
	hpc_error_clear(&e);
	/* a source package needs building */
	assert_int_equal(parse(&lf, "version: 7\nenvironments:\n  default:\n    packages:\n"
			       "      linux-64:\n      - conda_source: ./recipe\npackages: []\n",
			       "linux-64", &e), -HPC_E_UNSUPPORTED);
	assert_err_contains(e, "pixi.lock:6: a source package (./recipe), which needs building");
	hpc_error_clear(&e);
	assert_int_equal(parse(&lf, "version: 6\nenvironments:\n  default:\n    packages:\n"
			       "      linux-64:\n      - conda: ./src\npackages:\n"
			       "- conda: ./src\n", "linux-64", &e), -HPC_E_UNSUPPORTED);
	assert_err_contains(e, "pixi.lock:6: '");
	assert_err_contains(e, "(a source package, which needs building");
	hpc_error_clear(&e);
	/* an environment naming a package the file does not have */
	assert_int_equal(parse(&lf, "version: 6\nenvironments:\n  default:\n    packages:\n"
			       "      linux-64:\n      - conda: https://x/a-1-0.conda\npackages: []\n",
			       "linux-64", &e), -HPC_E_PARSE);
	assert_err_contains(e, "pixi.lock:6: 'https://x/a-1-0.conda' is not among the file's");
	hpc_error_clear(&e);
	/* broken YAML: file, line and column */
	assert_int_equal(parse(&lf, "version: 6\nenvironments: [\npackages: []\n", "linux-64", &e),
			 -HPC_E_PARSE);
	assert_err_contains(e, "/work/dir/pixi.lock:");
	hpc_error_clear(&e);
}

static void test_conda_lock_small(void **state)
{
	static const char text[] =
		"version: 1\n"
		"metadata:\n"
		"  platforms: [linux-64]\n"
		"  channels: [{url: conda-forge, used_env_vars: []}]\n"
		"package:\n"
		"- name: foo\n"
		"  version: '1.0'\n"
		"  manager: conda\n"
		"  platform: linux-64\n"
		"  dependencies: {bar: '*', baz: '>=2'}\n"
		"  url: https://x/ch/linux-64/foo-1.0-0.conda\n"
		"  hash: {sha256: 00aa}\n"
		"  category: main\n"
		"  optional: false\n"
		"- name: devtool\n"
		"  version: '1'\n"
		"  manager: conda\n"
		"  platform: linux-64\n"
		"  url: https://x/ch/linux-64/devtool-1-0.conda\n"
		"  hash: {md5: 00bb}\n"
		"  category: dev\n"
		"  optional: true\n"
		"- name: requests\n"
		"  version: 2.32.3\n"
		"  manager: pip\n"
		"  platform: linux-64\n"
		"  url: https://files/requests-2.32.3-py3-none-any.whl\n"
		"  hash: {sha256: 00cc}\n"
		"  category: main\n"
		"  optional: false\n";
	struct hpc_lockfile lf;
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_lockfile_detect(text), HPC_LOCKFILE_CONDA_LOCK);
	assert_int_equal(parse(&lf, text, "linux-64", &e), 0);
	assert_int_equal(lf.pkgs.n, 1); /* the dev category is not picked */
	assert_string_equal(lf.pkgs.entries[0].rec.depends.v[0], "bar");
	assert_string_equal(lf.pkgs.entries[0].rec.depends.v[1], "baz >=2");
	assert_string_equal(lf.pkgs.entries[0].rec.sha256, "00aa");
	assert_int_equal(lf.pypi.n, 1);
	assert_string_equal(lf.pypi.v[0], "requests==2.32.3");
	assert_int_equal(lf.nconda_total, 2);
	assert_int_equal(lf.npypi_total, 1);
	hpc_lockfile_fini(&lf);
	assert_int_equal(parse(&lf, "version: 2\nmetadata: {}\npackage: []\n", "linux-64", &e),
			 -HPC_E_UNSUPPORTED);
	assert_err_contains(e, "conda-lock format version 2 is not supported");
	hpc_error_clear(&e);
}

static void test_detect(void **state)
{
	char *p = tu_shared("envs/pangeo-notebook.conda-linux-64.lock"), *text = NULL;

	assert_int_equal(hpc_file_read(p, &text, NULL, NULL), 0);
	assert_int_equal(hpc_lockfile_detect(text), HPC_LOCKFILE_NONE); /* an @EXPLICIT list */
	free(text);
	free(p);
	p = tu_shared("envs/pangeo-notebook.environment.yml");
	assert_int_equal(hpc_file_read(p, &text, NULL, NULL), 0);
	assert_int_equal(hpc_lockfile_detect(text), HPC_LOCKFILE_NONE);
	free(text);
	free(p);
	assert_int_equal(hpc_lockfile_detect(""), HPC_LOCKFILE_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conda_lock_real),
		cmocka_unit_test(test_conda_lock_errors),
		cmocka_unit_test(test_pixi_real),
		cmocka_unit_test(test_pixi_errors),
		cmocka_unit_test(test_pixi_small),
		cmocka_unit_test(test_small_errors),
		cmocka_unit_test(test_conda_lock_small),
		cmocka_unit_test(test_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
