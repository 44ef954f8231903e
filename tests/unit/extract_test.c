/* SPDX-License-Identifier: MIT */
/* extract_test.c - every real package extracts; every hostile one is refused */
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

/* A listing of a tree: "path type hash-or-target", sorted, as one string. */
static void walk(const char *root, const char *rel, struct hpc_strv *out)
{
	char *dir = rel[0] ? hpc_path_join(root, rel) : hpc_xstrdup(root);
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char *r, *full, buf[4096], sha[HPC_SHA256_HEX];
		struct stat st;
		ssize_t n;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		r = rel[0] ? hpc_xasprintf("%s/%s", rel, e->d_name) : hpc_xstrdup(e->d_name);
		full = hpc_path_join(root, r);
		assert_int_equal(lstat(full, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			hpc_strv_pushf(out, "%s dir", r);
			walk(root, r, out);
		} else if (S_ISLNK(st.st_mode)) {
			n = readlink(full, buf, sizeof(buf) - 1);
			assert_true(n >= 0);
			buf[n] = '\0';
			hpc_strv_pushf(out, "%s link %s", r, buf);
		} else {
			assert_int_equal(hpc_digest_file(full, NULL, sha, NULL, NULL), 0);
			hpc_strv_pushf(out, "%s file %s %o", r, sha, st.st_mode & 0777);
		}
		free(full);
		free(r);
	}
	closedir(d);
	free(dir);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *listing(const char *root)
{
	struct hpc_strv v = HPC_STRV_INIT;
	char *s;

	walk(root, "", &v);
	if (v.n)
		qsort(v.v, v.n, sizeof(char *), cmp);
	s = hpc_strv_join(&v, "\n");
	hpc_strv_fini(&v);
	return s;
}

static int extract(const char *file, const char *dest, struct hpc_extract_result *res,
		   struct hpc_error **err)
{
	struct hpc_extract_options o = { .verify = true };
	char *p = tu_shared(file);
	int r = hpc_extract_package(p, dest, &o, res, err);

	free(p);
	return r;
}

static void test_real_packages(void **state)
{
	static const char *const files[] = {
		"packages/_r-mutex-1.0.1-anacondar_1.tar.bz2", "packages/andes-1.8.3-pyhd8ed1ab_0.conda",
		"packages/conda-forge-repodata-patches-20180828-0.tar.bz2", "packages/moto-1.3.7-py_0.tar.bz2",
		"packages/zlib-1.2.11-h1de35cc_3.conda",
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *d = tu_tmpdir(), *idx = hpc_path_join(d, "info/index.json");
		struct hpc_extract_result res;
		struct hpc_error *e = NULL;

		if (extract(files[i], d, &res, &e))
			fail_msg("%s: %s", files[i], e->msg);
		assert_true(hpc_path_exists(idx));
		assert_true(res.files > 0);
		hpc_extract_result_fini(&res);
		free(idx);
		tu_tmpdir_free(d);
	}
}

static void test_archive_digest(void **state)
{
	char *d = tu_tmpdir();
	struct hpc_extract_result res;

	/* the hashes of the file, computed while streaming it (SOURCES.md) */
	assert_int_equal(extract("packages/mock-2.0.0-py37_1000.conda", d, &res, NULL), 0);
	assert_string_equal(res.sha256,
			    "181ec44eb7b06ebb833eae845bcc466ad96474be1f33ee55cab7ac1b0fdbbfa3");
	assert_int_equal(res.archive_size, 113421);
	hpc_extract_result_fini(&res);
	tu_tmpdir_free(d);
}

static void test_mock_formats_identical(void **state)
{
	char *a = tu_tmpdir(), *b = tu_tmpdir(), *la, *lb;

	assert_int_equal(extract("packages/mock-2.0.0-py37_1000.conda", a, NULL, NULL), 0);
	assert_int_equal(extract("packages/mock-2.0.0-py37_1000.tar.bz2", b, NULL, NULL), 0);
	la = listing(a);
	lb = listing(b);
	assert_non_null(strstr(la, "site-packages/mock/mock.py file"));
	assert_string_equal(la, lb);
	free(la);
	free(lb);
	tu_tmpdir_free(a);
	tu_tmpdir_free(b);
}

static void test_zlib_damaged_symlinks(void **state)
{
	char *a = tu_tmpdir(), *b = tu_tmpdir(), *p;
	struct hpc_extract_result res;
	struct stat st;

	/* .conda: the two library symlinks have empty targets; they are reported, not made */
	assert_int_equal(extract("packages/zlib-1.2.11-h7b6447c_3.conda", a, &res, NULL), 0);
	assert_int_equal(res.damaged.n, 2);
	assert_true(hpc_strv_contains(&res.damaged, "lib/libz.so"));
	assert_true(hpc_strv_contains(&res.damaged, "lib/libz.so.1"));
	p = hpc_path_join(a, "lib/libz.so");
	assert_int_equal(lstat(p, &st), -1);
	free(p);
	hpc_extract_result_fini(&res);
	/* .tar.bz2: the same two are empty regular files */
	assert_int_equal(extract("packages/zlib-1.2.11-h7b6447c_3.tar.bz2", b, &res, NULL), 0);
	assert_int_equal(res.damaged.n, 0);
	p = hpc_path_join(b, "lib/libz.so");
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISREG(st.st_mode) && st.st_size == 0);
	free(p);
	hpc_extract_result_fini(&res);
	tu_tmpdir_free(a);
	tu_tmpdir_free(b);
}

static void test_ncurses_symlinks(void **state)
{
	char *d = tu_tmpdir();
	struct hpc_pkginfo pi;
	size_t links = 0, present = 0;

	assert_int_equal(extract("packages/ncurses-6_4_20240330-h00057fd_1.conda", d, NULL, NULL),
			 0);
	assert_int_equal(hpc_pkginfo_load(&pi, d, NULL), 0);
	assert_int_equal(pi.npaths, 2986);
	for (size_t i = 0; i < pi.npaths; i++) {
		char *p = hpc_path_join(d, pi.paths[i].path);
		struct stat st;

		if (lstat(p, &st) == 0)
			present++;
		if (pi.paths[i].type == HPC_PATH_SOFTLINK && S_ISLNK(st.st_mode))
			links++;
		free(p);
	}
	assert_int_equal(present, 2986);
	assert_int_equal(links, 1097);
	hpc_pkginfo_fini(&pi);
	tu_tmpdir_free(d);
}

static void test_not_a_package(void **state)
{
	char *d = tu_tmpdir(), *f = hpc_path_join(d, "x-1-0.conda"), *dest = hpc_path_join(d, "out");
	struct hpc_error *e = NULL;

	tu_write(d, "x-1-0.conda", "this is not a zip");
	assert_int_equal(mkdir(dest, 0755), 0);
	assert_int_equal(hpc_extract_package(f, dest, NULL, NULL, &e), -HPC_E_ARCHIVE);
	assert_err_contains(e, "x-1-0.conda");
	hpc_error_clear(&e);
	assert_int_equal(hpc_extract_package("/no/such.conda", dest, NULL, NULL, &e),
			 -HPC_E_NOTFOUND);
	hpc_error_clear(&e);
	free(f);
	free(dest);
	tu_tmpdir_free(d);
}

static char *canary_path(const char *c, const char *prefix)
{
	if (hpc_str_startswith(c, "<prefix>"))
		return hpc_xasprintf("%s%s", prefix, c + strlen("<prefix>"));
	return hpc_xstrdup(c);
}

/* make-packages --malicious: every hostile archive is refused and leaves no canary. */
static void test_malicious(void **state)
{
	char *root = tu_tmpdir(), *cmd, *mf;
	json_t *j, *pkgs, *p;
	size_t i, refused = 0;
	const char *target = "/tmp/conda-evil-hardlink-target";

	cmd = hpc_xasprintf("%s/../shared/tools/make-packages --malicious %s/chan >/dev/null",
			    HPCENV_SOURCE_DIR, root);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	tu_write("/tmp", "conda-evil-hardlink-target", "original\n");
	mf = hpc_xasprintf("%s/chan/MALICIOUS.json", root);
	j = json_load_file(mf, 0, NULL);
	assert_non_null(j);
	pkgs = json_object_get(j, "packages");
	json_array_foreach(pkgs, i, p) {
		const char *file = json_string_value(json_object_get(p, "file"));
		bool refuse = !strcmp(json_string_value(json_object_get(p, "expect")), "refuse");
		char *arch = hpc_xasprintf("%s/chan/%s", root, file);
		char *dest = hpc_xasprintf("%s/x/prefix", root), *parent = hpc_xasprintf("%s/x", root);
		struct hpc_extract_options o = { .verify = true };
		struct hpc_error *e = NULL;
		json_t *c;
		size_t k;
		int r;

		assert_int_equal(hpc_mkdir_p(dest, 0755, NULL), 0);
		r = hpc_extract_package(arch, dest, &o, NULL, &e);
		if (refuse && r == 0)
			fail_msg("%s was not refused", file);
		if (!refuse && r != 0)
			fail_msg("%s was refused: %s", file, e->msg);
		if (r) {
			assert_non_null(strstr(hpc_error_root(e)->msg, strrchr(file, '/') + 1) ||
					strstr(e->msg, strrchr(file, '/') + 1));
			refused++;
		}
		json_array_foreach(json_object_get(p, "canaries_must_not_exist"), k, c) {
			char *cp = canary_path(json_string_value(c), dest);

			if (hpc_path_exists(cp))
				fail_msg("%s: canary %s exists", file, cp);
			free(cp);
		}
		hpc_error_free(e);
		hpc_rm_rf(parent, NULL);
		free(arch);
		free(dest);
		free(parent);
	}
	assert_true(refused >= 26);
	{
		char *content = NULL;

		assert_int_equal(hpc_file_read(target, &content, NULL, NULL), 0);
		assert_string_equal(content, "original\n");
		free(content);
		unlink(target);
	}
	json_decref(j);
	free(mf);
	tu_tmpdir_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_packages),
		cmocka_unit_test(test_archive_digest),
		cmocka_unit_test(test_mock_formats_identical),
		cmocka_unit_test(test_zlib_damaged_symlinks),
		cmocka_unit_test(test_ncurses_symlinks),
		cmocka_unit_test(test_not_a_package),
		cmocka_unit_test(test_malicious),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
