/* SPDX-License-Identifier: MIT */
/* matchspec_match_test.c - matching specs against records, ported from conda's
 * tests/models/test_match_spec.py (test_match_1, test_openssl_match,
 * test_track_features_match, test_bracket_matches, test_license_match,
 * test_build_glob_merge, test_channel_matching) */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* conda's DPkg("name-version-build"): build_number from the build's last "_N" */
static void dpkg(struct hpc_record *r, const char *name, const char *version,
		 const char *build)
{
	const char *us = strrchr(build, '_');

	hpc_record_init(r);
	r->name = hpc_xstrdup(name);
	r->version = hpc_xstrdup(version);
	r->build = hpc_xstrdup(build);
	r->build_number = strtol(us ? us + 1 : build, NULL, 10);
	r->channel = hpc_xstrdup("https://repo.anaconda.com/pkgs/main");
	r->subdir = hpc_xstrdup("linux-64");
	r->fn = hpc_xasprintf("%s-%s-%s.tar.bz2", name, version, build);
	r->md5 = hpc_xstrdup("012345789");
}

static bool m(const char *spec, const struct hpc_record *r)
{
	struct hpc_error *e = NULL;
	struct hpc_matchspec *ms = hpc_matchspec_parse(spec, &e);
	bool ok;

	if (!ms)
		fail_msg("%s", e->msg);
	ok = hpc_matchspec_match(ms, r);
	hpc_matchspec_free(ms);
	return ok;
}

static void test_match_1(void **state)
{
	static const struct { const char *spec; bool res; } cases[] = {
		{ "numpy 1.7*", true }, { "numpy 1.7.1", true }, { "numpy 1.7", false },
		{ "numpy 1.5*", false }, { "numpy >=1.5", true }, { "numpy >=1.5,<2", true },
		{ "numpy >=1.8,<1.9", false }, { "numpy >1.5,<2,!=1.7.1", false },
		{ "numpy >1.8,<2|==1.7", false }, { "numpy >1.8,<2|>=1.7.1", true },
		{ "numpy >=1.8|1.7*", true }, { "numpy ==1.7", false },
		{ "numpy >=1.5,>1.6", true }, { "numpy ==1.7.1", true },
		{ "numpy ==1.7.1.0", true }, { "numpy==1.7.1.0.0", true },
		{ "numpy >=1,*.7.*", true }, { "numpy *.7.*,>=1", true },
		{ "numpy >=1,*.8.*", false }, { "numpy >=2,*.7.*", false },
		{ "numpy 1.6*|1.7*", true }, { "numpy 1.6*|1.8*", false },
		{ "numpy 1.6.2|1.7*", true }, { "numpy 1.6.2|1.7.1", true },
		{ "numpy 1.6.2|1.7.0", false }, { "numpy 1.7.1 py27_0", true },
		{ "numpy 1.7.1 py26_0", false }, { "numpy >1.7.1a", true }, { "python", false },
		/* more forms on the same record */
		{ "numpy=1.7", true }, { "numpy=1.7.1=py27_0", true }, { "numpy=1.7=py26*", false },
		{ "numpy * py27*", true }, { "numpy * *_0", true }, { "numpy * *_1", false },
		{ "numpy[build='^py27_[0-9]$']", true }, { "numpy[build_number=0]", true },
		{ "numpy[build_number='>0']", false }, { "num*", true }, { "*", true },
		{ "NumPy", true }, { "numpy[md5=012345789]", true }, { "numpy[md5=0123]", false },
		{ "numpy[subdir=linux-64]", true }, { "numpy[subdir=noarch]", false },
		{ "numpy[fn=numpy-1.7.1-py27_0.tar.bz2]", true }, { "numpy[fn=x.tar.bz2]", false },
		{ "numpy[url=https://x/numpy-1.7.1-py27_0.tar.bz2]", false },
		{ "numpy ~=1.7.0", true }, { "numpy ~=1.6.0", false }, { "numpy !=1.7.*", false },
		{ "numpy (1.6|1.7.*),!=1.7.0", true },
		{ "numpy[version='>=1.7,(<1.7.1|>1.7.1)']", false },
		{ "numpy[license=bsd]", false },
	};
	struct hpc_record r;

	dpkg(&r, "numpy", "1.7.1", "py27_0");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (m(cases[i].spec, &r) != cases[i].res)
			fail_msg("%s: want %d", cases[i].spec, cases[i].res);
	hpc_record_fini(&r);
}

static bool dm(const char *spec, const char *name, const char *version, const char *build)
{
	struct hpc_record r;
	bool ok;

	dpkg(&r, name, version, build);
	ok = m(spec, &r);
	hpc_record_fini(&r);
	return ok;
}

/* PEP 440 and non-PEP 440 versions, openssl's convention, blas builds */
static void test_match_versions(void **state)
{
	assert_false(dm("numpy >=1.0.1", "numpy", "1.0.1a", "0"));
	assert_false(dm("numpy >=1.0.1.vc11", "numpy", "1.0.1a.vc11", "0"));
	assert_true(dm("numpy >=1.0.1*.vc11", "numpy", "1.0.1a.vc11", "0"));
	assert_true(dm("numpy <1.0.1", "numpy", "1.0.1.vc11", "0"));
	assert_true(dm("numpy <1.0.1", "numpy", "1.0.1a.vc11", "0"));
	assert_false(dm("numpy >=1.0.1.vc11", "numpy", "1.0.1a", "0"));
	assert_true(dm("numpy >=1.0.1a", "numpy", "1.0.1z", "0"));
	assert_true(dm("numpy >=1.0.1a py27*", "numpy", "1.0.1z", "py27_1"));
	assert_true(dm("blas * openblas_0", "blas", "1.0", "openblas_0"));
	assert_true(dm("openssl>=1.0.1_", "openssl", "1.0.1_", "4"));
	assert_false(dm("openssl>=1.0.1", "openssl", "1.0.1_", "4"));
	assert_true(dm("python 3.5*", "python", "3.5.3", "1"));
	assert_false(dm("python 3.5*", "python", "3.6.0", "0"));
	/* an invalid version only matches text-based version specs */
	assert_true(dm("foo", "foo", "1.0&x", "0"));
	assert_true(dm("foo 1.*&x", "foo", "1.0&x", "0"));
	assert_false(dm("foo >=1", "foo", "1.0&x", "0"));
}

static bool tf(const char *spec, const char *features)
{
	struct hpc_record r;
	bool ok;

	dpkg(&r, "foo", "1.2.3", "4");
	if (features)
		hpc_strv_split(&r.track_features, features, " ");
	ok = m(spec, &r);
	hpc_record_fini(&r);
	return ok;
}

/* test_track_features_match: the feature set must be equal */
static void test_track_features(void **state)
{
	assert_false(tf("*[features=test]", NULL));
	assert_true(tf("*[track_features=test]", "test"));
	assert_false(tf("*[track_features=test]", "test2"));
	assert_false(tf("*[track_features=test]", "test me"));
	assert_false(tf("*[track_features=test]", "you test"));
	assert_false(tf("*[track_features=test]", "you test me"));
	assert_false(tf("*[track_features=mkl]", NULL));
	assert_true(tf("*[track_features=mkl]", "mkl"));
	assert_false(tf("*[track_features=mkl]", "mkl debug"));
	assert_false(tf("*[track_features=mkl]", "debug"));
	assert_true(tf("*[track_features='mkl debug']", "debug mkl"));
	assert_true(tf("*[track_features='mkl,debug']", "debug mkl mkl"));
	assert_true(tf("mkl@", "mkl"));
	assert_false(tf("nomkl@", "mkl"));
}

static struct hpc_record *json_record(const char *json)
{
	struct hpc_record *r = hpc_xcalloc(1, sizeof(*r));
	struct hpc_error *e = NULL;

	if (hpc_record_from_json(r, json, strlen(json), "test", &e))
		fail_msg("%s", e->msg);
	return r;
}

static void free_record(struct hpc_record *r)
{
	hpc_record_fini(r);
	free(r);
}

/* test_bracket_matches, test_license_match, features from a record's other keys */
static void test_brackets_and_license(void **state)
{
	struct hpc_record *r = json_record(
		"{\"name\": \"numpy\", \"version\": \"1.11.0\", \"build\": \"py34_7\", "
		"\"build_number\": 7, \"license\": \"LGPLv3+\", \"license_family\": \"LGPL\", "
		"\"features\": \"nomkl\"}");

	assert_true(m("numpy<2", r));
	assert_true(m("numpy[version=<2]", r));
	assert_false(m("numpy>2", r));
	assert_false(m("numpy[version='>2']", r));
	assert_true(m("numpy[build_number='7']", r));
	assert_true(m("numpy[build_number='<8']", r));
	assert_false(m("numpy[build_number='>7']", r));
	assert_true(m("numpy[build_number='>=7']", r));
	assert_true(m("numpy[build_number='!=8']", r));
	assert_true(m("numpy[build_number='^[0-9]$']", r));
	assert_true(m("numpy[build_number=*]", r));
	assert_true(m("numpy ~=1.10", r));
	assert_true(m("numpy~=1.10", r));
	assert_true(m("*[license_family='LGPL']", r));
	assert_true(m("*[license_family='lgpl']", r));
	assert_true(m("*[license_family='*GP*']", r));
	assert_true(m("*[license_family='*gp*']", r));
	assert_true(m("*[license_family='*GPL*']", r));
	assert_true(m("*[license_family='*gpl*']", r));
	assert_false(m("*[license_family=MIT]", r));
	assert_true(m("*[license='*gpl*']", r));
	assert_true(m("*[license='*v3+']", r));
	assert_true(m("*[license='^lgpl.*$']", r));
	assert_false(m("*[license='*v2*']", r));
	assert_true(m("*[features=nomkl]", r));
	assert_false(m("*[features=mkl]", r));
	free_record(r);
}

/* test_build_glob_merge's matches */
static void test_build_globs(void **state)
{
	const char *red = "red_habc123_3", *blue = "blue_hdef1234_3";

	assert_true(dm("my_pkg=1.17.*", "my_pkg", "1.17.3", red));
	assert_true(dm("my_pkg=1.17.*", "my_pkg", "1.17.3", blue));
	assert_true(dm("my_pkg=1.17.*=red_*", "my_pkg", "1.17.3", red));
	assert_false(dm("my_pkg=1.17.*=red_*", "my_pkg", "1.17.3", blue));
	assert_true(dm("my_pkg=1.17.*=blue_hdef1234_*", "my_pkg", "1.17.3", blue));
	assert_false(dm("my_pkg=1.17.*=blue_hdef1234_*", "my_pkg", "1.17.3", red));
	assert_true(dm("my_pkg=1.17.*=red_habc123_3", "my_pkg", "1.17.3", red));
	assert_false(dm("my_pkg=1.17.*=red_habc123_3", "my_pkg", "1.17.3", blue));
	assert_true(dm("my_pkg=1.17.*=*red*", "my_pkg", "1.17.3", red));
	assert_false(dm("my_pkg=1.17.*=*red*", "my_pkg", "1.17.3", blue));
	assert_true(dm("my_pkg=1.17.*=*_3", "my_pkg", "1.17.3", blue));
	assert_false(dm("my_pkg=1.17.*=*_2", "my_pkg", "1.17.3", red));
	assert_true(dm("my_pkg=1.17.*=*_habc123_3", "my_pkg", "1.17.3", red));
	assert_false(dm("my_pkg=1.17.*=*_habc123_3", "my_pkg", "1.17.3", blue));
	assert_true(dm("my_pkg[build=*a*b*c*]", "my_pkg", "1", "xaybzc"));
	assert_false(dm("my_pkg[build=*a*b*c*]", "my_pkg", "1", "xcybza"));
	assert_false(dm("my_pkg[build=RED*]", "my_pkg", "1", red)); /* builds keep case */
}

static bool ch(const char *spec, const char *record_channel)
{
	struct hpc_record r;
	bool ok;

	dpkg(&r, "numpy", "1.0", "0");
	free(r.channel);
	r.channel = record_channel ? hpc_xstrdup(record_channel) : NULL;
	ok = m(spec, &r);
	hpc_record_fini(&r);
	return ok;
}

/* test_channel_matching and the built-in rule for names, URLs, paths and globs */
static void test_channels(void **state)
{
	const char *cf = "https://conda.anaconda.org/conda-forge";

	assert_true(ch("conda-forge::numpy", cf));
	assert_true(ch("conda-forge::numpy", "conda-forge"));
	assert_true(ch("https://conda.anaconda.org/conda-forge::numpy", cf));
	assert_true(ch("https://conda.anaconda.org/conda-forge/::numpy", cf));
	assert_false(ch("https://repo.anaconda.com/pkgs/main::numpy", "conda-forge"));
	assert_false(ch("https://repo.anaconda.com/pkgs/main::numpy", cf));
	assert_false(ch("forge::numpy", cf)); /* a whole path component, not a suffix */
	assert_true(ch("pkgs/main::numpy", "https://repo.anaconda.com/pkgs/main"));
	assert_false(ch("main/x::numpy", "https://repo.anaconda.com/pkgs/main"));
	assert_true(ch("conda-*::numpy", cf));
	assert_true(ch("numpy[channel='https://conda.anaconda.org/*']", cf));
	assert_false(ch("*-adnoc::numpy", cf));
	assert_true(ch("/srv/chan::numpy", "file:///srv/chan"));
	assert_false(ch("/srv/chan::numpy", "file:///srv/other/chan"));
	assert_true(ch("chan::numpy", "file:///srv/chan"));
	assert_true(ch("conda-forge/linux-64::numpy", cf));
	assert_false(ch("conda-forge/noarch::numpy", cf)); /* the record is linux-64 */
	assert_true(ch("*/linux-64::numpy", cf));
	assert_false(ch("conda-forge::numpy", NULL));

	/* with URLs from a resolver instead of the rule */
	struct hpc_matchspec *ms = hpc_matchspec_parse("defaults::numpy", NULL);
	struct hpc_strv urls = HPC_STRV_INIT;

	hpc_strv_push(&urls, "https://repo.anaconda.com/pkgs/main");
	hpc_strv_push(&urls, "https://repo.anaconda.com/pkgs/r/");
	assert_false(hpc_matchspec_match_channel(ms, "https://repo.anaconda.com/pkgs/main", NULL));
	assert_true(hpc_matchspec_match_channel(ms, "https://repo.anaconda.com/pkgs/main", &urls));
	assert_true(hpc_matchspec_match_channel(ms, "https://repo.anaconda.com/pkgs/r", &urls));
	assert_false(hpc_matchspec_match_channel(ms, cf, &urls));
	hpc_strv_fini(&urls);
	hpc_matchspec_free(ms);
}

/* a package file spec matches exactly its record */
static void test_package_file(void **state)
{
	struct hpc_record *r = json_record(
		"{\"name\": \"conda\", \"version\": \"4.3.21.post699+1dab973\", "
		"\"build\": \"py36h4a561cd_0\", \"build_number\": 0, "
		"\"channel\": \"https://conda.anaconda.org/conda-canary\", "
		"\"subdir\": \"linux-64\", "
		"\"fn\": \"conda-4.3.21.post699+1dab973-py36h4a561cd_0.tar.bz2\", "
		"\"url\": \"https://conda.anaconda.org/conda-canary/linux-64/"
		"conda-4.3.21.post699+1dab973-py36h4a561cd_0.tar.bz2\"}");

	assert_true(m(r->url, r));
	assert_true(m("*[url=https://conda.anaconda.org/conda-canary/linux-64/"
		      "conda-4.3.21.post699+1dab973-py36h4a561cd_0.tar.bz2]", r));
	assert_false(m("*[url=https://conda.anaconda.org/conda-canary/linux-64/"
		       "conda-4.3.21.post699+1dab973-py36h4a561cd_0.tar.bz2, md5=1234]", r));
	assert_false(m("https://conda.anaconda.org/conda-canary/linux-64/"
		       "conda-4.3.21.post699+1dab973-py36h4a561cd_1.tar.bz2", r));
	free_record(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_1),
		cmocka_unit_test(test_match_versions),
		cmocka_unit_test(test_track_features),
		cmocka_unit_test(test_brackets_and_license),
		cmocka_unit_test(test_build_globs),
		cmocka_unit_test(test_channels),
		cmocka_unit_test(test_package_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
