/* SPDX-License-Identifier: MIT */
/* link_test.c - linking real packages: relocation, symlinks, noarch, methods, safety */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

struct fx {
	char *root, *pkgs, *prefix;
	struct hpc_journal *j;
	struct hpc_linker *l;
	struct hpc_link_pkg lp;
};

static char *extracted(struct fx *f, const char *file)
{
	char *src = tu_shared(file), *dist = hpc_extract_dist_of(file);
	char *dir = hpc_path_join(f->pkgs, dist);

	if (!hpc_path_exists(dir)) {
		assert_int_equal(hpc_mkdir_p(dir, 0755, NULL), 0);
		assert_int_equal(hpc_extract_package(src, dir, NULL, NULL, NULL), 0);
	}
	free(src);
	free(dist);
	return dir;
}

static void setup_fx(struct fx *f, const char *prefix_name, bool always_copy)
{
	memset(f, 0, sizeof(*f));
	f->root = tu_tmpdir();
	f->pkgs = hpc_path_join(f->root, "pkgs");
	f->prefix = hpc_path_join(f->root, prefix_name);
	assert_int_equal(hpc_mkdir_p(f->prefix, 0755, NULL), 0);
	assert_int_equal(hpc_journal_begin(f->prefix, false, &f->j, NULL), 0);
	assert_int_equal(hpc_linker_new(f->prefix, f->j, always_copy, &f->l, NULL), 0);
}

static void teardown_fx(struct fx *f)
{
	hpc_link_pkg_fini(&f->lp);
	hpc_linker_free(f->l);
	if (f->j)
		hpc_journal_commit(f->j, NULL);
	hpc_journal_free(f->j);
	free(f->pkgs);
	free(f->prefix);
	tu_tmpdir_free(f->root);
}

/* Create the directories the plan needs (the transaction does this), then link. */
static int link_pkg(struct fx *f, const char *file, const struct hpc_python *py,
		    struct hpc_error **err)
{
	char *dir = extracted(f, file);
	struct hpc_record r;
	int rc;

	hpc_record_init(&r);
	r.name = hpc_xstrdup("x");
	r.version = hpc_xstrdup("1");
	r.build = hpc_xstrdup("0");
	rc = hpc_link_pkg_plan(&f->lp, &r, dir, NULL, py, err);
	rc = rc ? rc : hpc_link_pkg_check(&f->lp, f->prefix, err);
	for (size_t i = 0; !rc && i < f->lp.ntargets; i++) {
		char *p = hpc_path_join(f->prefix, f->lp.targets[i].path);
		bool is_dir = f->lp.targets[i].action == HPC_LINK_DIR;

		*(is_dir ? p + strlen(p) : strrchr(p, '/')) = '\0';
		hpc_mkdir_p(p, 0755, NULL);
		free(p);
	}
	rc = rc ? rc : hpc_linker_link(f->l, &f->lp, NULL, err);
	hpc_record_fini(&r);
	free(dir);
	return rc;
}

static char *read_file(const char *dir, const char *rel)
{
	char *p = hpc_path_join(dir, rel), *s = NULL;

	assert_int_equal(hpc_file_read(p, &s, NULL, NULL), 0);
	free(p);
	return s;
}

static void test_zlib_text_and_quirk(void **state)
{
	struct fx a, b;
	char *pc;
	struct stat st;
	char *so;

	setup_fx(&a, "env-a", false);
	assert_int_equal(link_pkg(&a, "packages/zlib-1.2.11-h7b6447c_3.conda", NULL, NULL), 0);
	pc = read_file(a.prefix, "lib/pkgconfig/zlib.pc");
	assert_true(hpc_str_startswith(pc, "prefix="));
	assert_non_null(strstr(pc, a.prefix));
	assert_null(strstr(pc, "anaconda1anaconda2anaconda3"));
	free(pc);
	/* the damaged library symlinks are reported and not installed */
	assert_int_equal(a.lp.warnings.n, 2);
	assert_non_null(strstr(a.lp.warnings.v[0], "damaged symlink"));
	so = hpc_path_join(a.prefix, "lib/libz.so");
	assert_int_equal(lstat(so, &st), -1);
	free(so);
	assert_int_equal(a.lp.result.npaths, 5);
	assert_int_equal(strlen(a.lp.result.paths[4].sha256_in_prefix), 64);
	/* the .tar.bz2 (empty regular files there) gives the same result */
	setup_fx(&b, "env-b", false);
	assert_int_equal(link_pkg(&b, "packages/zlib-1.2.11-h7b6447c_3.tar.bz2", NULL, NULL), 0);
	assert_int_equal(b.lp.warnings.n, 2);
	assert_int_equal(b.lp.result.npaths, 5);
	so = hpc_path_join(b.prefix, "lib/libz.so.1");
	assert_int_equal(lstat(so, &st), -1);
	free(so);
	teardown_fx(&a);
	teardown_fx(&b);
}

static void test_osx_binary_padding(void **state)
{
	struct fx f;
	char *lib, *pkglib, *data = NULL, *hit;
	size_t n = 0;
	struct stat s1, s2;

	setup_fx(&f, "env", false);
	assert_int_equal(link_pkg(&f, "packages/zlib-1.2.11-h1de35cc_3.conda", NULL, NULL), 0);
	lib = hpc_path_join(f.prefix, "lib/libz.1.2.11.dylib");
	pkglib = hpc_path_join(f.pkgs, "zlib-1.2.11-h1de35cc_3/lib/libz.1.2.11.dylib");
	assert_int_equal(stat(lib, &s1), 0);
	assert_int_equal(stat(pkglib, &s2), 0);
	assert_int_equal(s1.st_size, s2.st_size);      /* same size */
	assert_true(s1.st_ino != s2.st_ino);           /* a copy, never a hardlink */
	assert_int_equal(hpc_file_read(lib, &data, &n, NULL), 0);
	assert_null(memmem(data, n, "_h_env_placehold", 16));
	hit = memmem(data, n, f.prefix, strlen(f.prefix));
	assert_non_null(hit);
	assert_memory_equal(hit + strlen(f.prefix), "/lib\0\0\0", 7); /* NUL padded */
	free(data);
	free(lib);
	free(pkglib);
	teardown_fx(&f);
}

static void test_binary_prefix_too_long(void **state)
{
	struct fx f;
	struct hpc_error *e = NULL;
	char name[301];

	/* a prefix longer than the 255-byte placeholder, in directories of 50 */
	for (int i = 0; i < 300; i++)
		name[i] = i % 50 == 49 ? '/' : 'p';
	name[300] = '\0';
	setup_fx(&f, name, false);
	assert_int_equal(link_pkg(&f, "packages/zlib-1.2.11-h1de35cc_3.conda", NULL, &e),
			 -HPC_E_LINK);
	assert_err_contains(e, "is longer than the binary placeholder of 'lib/libz.1.2.11.dylib'");
	hpc_error_free(e);
	teardown_fx(&f);
}

static void test_ncurses_symlinks(void **state)
{
	struct fx f;
	size_t links = 0, present = 0;

	setup_fx(&f, "env", false);
	assert_int_equal(link_pkg(&f, "packages/ncurses-6_4_20240330-h00057fd_1.conda", NULL, NULL),
			 0);
	assert_int_equal(f.lp.ntargets, 2986);
	for (size_t i = 0; i < f.lp.ntargets; i++) {
		char *p = hpc_path_join(f.prefix, f.lp.targets[i].path);
		struct stat st;

		if (lstat(p, &st) == 0) {
			present++;
			links += S_ISLNK(st.st_mode);
		}
		free(p);
	}
	assert_int_equal(present, 2986);
	assert_int_equal(links, 1097);
	assert_int_equal(f.lp.result.npaths, 2986);
	teardown_fx(&f);
}

static void test_methods(void **state)
{
	struct fx f, c;
	unsigned long ref, hard, copies;

	setup_fx(&f, "env", false);
	assert_int_equal(link_pkg(&f, "packages/mock-2.0.0-py37_1000.conda", NULL, NULL), 0);
	hpc_linker_counts(f.l, &ref, &hard, &copies);
	/* /tmp cannot reflink: one probe copy, then hardlinks (unless it can) */
	assert_int_equal(ref + hard + copies, 32);
	assert_true(ref == 32 || hard == 31);
	assert_int_equal(f.lp.result.link_type, ref ? HPC_LINK_COPY : HPC_LINK_HARDLINK);
	setup_fx(&c, "env2", true);
	assert_int_equal(link_pkg(&c, "packages/mock-2.0.0-py37_1000.conda", NULL, NULL), 0);
	hpc_linker_counts(c.l, &ref, &hard, &copies);
	assert_int_equal(hard, 0); /* always_copy */
	assert_int_equal(c.lp.result.link_type, HPC_LINK_COPY);
	teardown_fx(&f);
	teardown_fx(&c);
}

static void test_noarch_python(void **state)
{
	struct fx f;
	struct hpc_python py;
	struct hpc_record pr;
	char *ep;

	hpc_record_init(&pr);
	pr.version = hpc_xstrdup("3.11.2");
	assert_int_equal(hpc_python_init(&py, &pr, NULL), 0);
	setup_fx(&f, "env", false);
	assert_int_equal(link_pkg(&f, "packages/moto-1.3.7-py_0.tar.bz2", &py, NULL), 0);
	assert_true(f.lp.noarch_python);
	assert_true(f.lp.py_files.n > 200);
	assert_true(hpc_str_startswith(f.lp.targets[0].path, "lib/python3.11/site-packages/"));
	assert_string_equal(f.lp.ep_paths.v[0], "bin/moto_server");
	tu_write(f.prefix, "bin/.keep", ""); /* the transaction makes the directories */
	assert_int_equal(hpc_linker_entry_points(f.l, &f.lp, &py, NULL), 0);
	ep = read_file(f.prefix, "bin/moto_server");
	assert_non_null(strstr(ep, "from moto.server import main"));
	free(ep);
	assert_int_equal(f.lp.result.paths[f.lp.result.npaths - 1].type, HPC_PATH_ENTRY_POINT);
	teardown_fx(&f);
	/* without a python in the environment a noarch: python package cannot go in */
	{
		struct hpc_error *e = NULL;

		setup_fx(&f, "env", false);
		int rc = link_pkg(&f, "packages/moto-1.3.7-py_0.tar.bz2", NULL, &e);

		if (rc != -HPC_E_LINK)
			fail_msg("%d %s", rc, e ? e->msg : "");
		assert_err_contains(e, "no python");
		hpc_error_free(e);
		teardown_fx(&f);
	}
	hpc_python_fini(&py);
	hpc_record_fini(&pr);
}

/* A hand-made package dir: info/index.json and paths.json with the given entries. */
static char *fake_pkg(const char *root, const char *paths_json)
{
	char *d = hpc_path_join(root, "fake-1-0");

	tu_write(d, "info/index.json", "{\"name\": \"fake\", \"version\": \"1\", \"build\": \"0\"}");
	tu_write(d, "info/paths.json", paths_json);
	tu_write(d, "lib/file", "x");
	return d;
}

/* A file already in an existing prefix that a package brings again (a clobber) is moved
 * aside before the package's copy is made, and a rollback puts the original back: it is
 * never deleted, whether the journal is rolled back at once or after a kill. */
static void test_clobber_rolled_back(void **state)
{
	struct fx f;
	char *pc, *meta;
	bool was_new = false;
	int what = 0;

	setup_fx(&f, "env", false);
	tu_write(f.prefix, "lib/pkgconfig/zlib.pc", "the user's own zlib.pc\n");
	assert_int_equal(link_pkg(&f, "packages/zlib-1.2.11-h7b6447c_3.conda", NULL, NULL), 0);
	pc = read_file(f.prefix, "lib/pkgconfig/zlib.pc");
	assert_true(hpc_str_startswith(pc, "prefix=")); /* the package's, relocated */
	free(pc);
	hpc_journal_free(f.j); /* as if killed: the next run recovers */
	f.j = NULL;
	assert_int_equal(hpc_journal_recover(f.prefix, NULL, &what, &was_new, NULL), 0);
	assert_int_equal(what, 1);
	pc = read_file(f.prefix, "lib/pkgconfig/zlib.pc");
	assert_string_equal(pc, "the user's own zlib.pc\n");
	free(pc);
	meta = hpc_path_join(f.prefix, "lib/libz.a");
	assert_false(hpc_path_exists(meta)); /* what the package brought is gone */
	free(meta);
	teardown_fx(&f);
}

static void test_nothing_escapes(void **state)
{
	struct fx f;
	struct hpc_record r;
	struct hpc_error *e = NULL;
	char *dir, *l, *outside;

	setup_fx(&f, "env", false);
	hpc_record_init(&r);
	r.name = hpc_xstrdup("fake");
	r.version = hpc_xstrdup("1");
	r.build = hpc_xstrdup("0");
	/* a softlink pointing out of the prefix (made by a cache another tool filled) */
	dir = fake_pkg(f.pkgs, "{\"paths\": [{\"_path\": \"lib/up\", \"path_type\": \"softlink\"}]}");
	l = hpc_path_join(dir, "lib/up");
	assert_int_equal(symlink("../../../etc", l), 0);
	assert_int_equal(hpc_link_pkg_plan(&f.lp, &r, dir, NULL, NULL, &e), -HPC_E_UNSAFE);
	assert_err_contains(e, "would point outside the prefix");
	hpc_error_clear(&e);
	hpc_link_pkg_fini(&f.lp);
	free(l);
	hpc_rm_rf(dir, NULL);
	free(dir);
	/* a directory of the prefix that is a symlink leading out */
	dir = fake_pkg(f.pkgs, "{\"paths\": [{\"_path\": \"lib/file\"}]}");
	outside = hpc_path_join(f.root, "outside");
	assert_int_equal(mkdir(outside, 0755), 0);
	l = hpc_path_join(f.prefix, "lib");
	assert_int_equal(symlink(outside, l), 0);
	assert_int_equal(hpc_link_pkg_plan(&f.lp, &r, dir, NULL, NULL, NULL), 0);
	assert_int_equal(hpc_linker_link(f.l, &f.lp, NULL, &e), -HPC_E_UNSAFE);
	assert_err_contains(e, "outside the prefix");
	hpc_error_free(e);
	free(l);
	l = hpc_path_join(outside, "file");
	assert_false(hpc_path_exists(l));
	free(l);
	free(outside);
	free(dir);
	hpc_record_fini(&r);
	teardown_fx(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zlib_text_and_quirk),
		cmocka_unit_test(test_osx_binary_padding),
		cmocka_unit_test(test_binary_prefix_too_long),
		cmocka_unit_test(test_ncurses_symlinks),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_noarch_python),
		cmocka_unit_test(test_clobber_rolled_back),
		cmocka_unit_test(test_nothing_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
