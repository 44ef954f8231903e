/* SPDX-License-Identifier: MIT */
/* matchspec_test.c - MatchSpec parsing, canonical text and errors, ported from conda's
 * tests/models/test_match_spec.py
 *
 * Where hpcenv's text differs from conda's, it is because conda canonicalises channel
 * names through its configuration (pkgs/main -> defaults, alias URLs -> names); hpcenv
 * keeps the channel as written and leaves names to the channel resolver.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static struct hpc_matchspec *parse(const char *spec)
{
	struct hpc_error *e = NULL;
	struct hpc_matchspec *ms = hpc_matchspec_parse(spec, &e);

	if (!ms)
		fail_msg("%s", e->msg);
	return ms;
}

/* str(MatchSpec(spec)), checking that the text parses back to itself */
static void check_canon(const char *spec, const char *want)
{
	struct hpc_matchspec *ms = parse(spec), *again;
	char *s = hpc_matchspec_str(ms), *s2;

	if (strcmp(s, want))
		fail_msg("str(%s) = %s, want %s", spec, s, want);
	again = parse(s);
	s2 = hpc_matchspec_str(again);
	if (strcmp(s, s2))
		fail_msg("round trip of %s gave %s", s, s2);
	free(s);
	free(s2);
	hpc_matchspec_free(ms);
	hpc_matchspec_free(again);
}

/* test_canonical_string_forms */
static void test_canonical_string_forms(void **state)
{
	static const char *const c[][2] = {
		{ "numpy", "numpy" },
		{ "numpy=1.7", "numpy=1.7" },
		{ "numpy 1.7*", "numpy=1.7" },
		{ "numpy 1.7.*", "numpy=1.7" },
		{ "numpy[version='1.7*']", "numpy=1.7" },
		{ "numpy[version='1.7.*']", "numpy=1.7" },
		{ "numpy[version=1.7.*]", "numpy=1.7" },
		{ "numpy==1.7", "numpy==1.7" },
		{ "numpy[version='1.7']", "numpy==1.7" },
		{ "numpy[version=1.7]", "numpy==1.7" },
		{ "numpy 1.7", "numpy==1.7" },
		{ "numpy[version='1.7|1.8']", "numpy[version='1.7|1.8']" },
		{ "numpy[version=\"1.7,1.8\"]", "numpy[version='1.7,1.8']" },
		{ "numpy >1.7", "numpy[version='>1.7']" },
		{ "numpy>=1.7", "numpy[version='>=1.7']" },
		{ "numpy=1.7=py3*_2", "numpy==1.7[build=py3*_2]" },
		{ "numpy=1.7.*=py3*_2", "numpy=1.7[build=py3*_2]" },
		{ "https://repo.anaconda.com/pkgs/free::numpy",
		  "https://repo.anaconda.com/pkgs/free::numpy" },
		{ "numpy[channel=https://repo.anaconda.com/pkgs/free]",
		  "https://repo.anaconda.com/pkgs/free::numpy" },
		{ "defaults::numpy", "defaults::numpy" },
		{ "numpy[channel=defaults]", "defaults::numpy" },
		{ "conda-forge::numpy", "conda-forge::numpy" },
		{ "numpy[channel=conda-forge]", "conda-forge::numpy" },
		{ "numpy[channel=defaults,subdir=osx-64]", "defaults/osx-64::numpy" },
		{ "numpy[channel=https://repo.anaconda.com/pkgs/free/osx-64, subdir=linux-64]",
		  "https://repo.anaconda.com/pkgs/free/linux-64::numpy" },
		{ "https://repo.anaconda.com/pkgs/free/win-32::numpy",
		  "https://repo.anaconda.com/pkgs/free/win-32::numpy" },
		{ "numpy[channel=https://repo.anaconda.com/pkgs/free/osx-64]",
		  "https://repo.anaconda.com/pkgs/free/osx-64::numpy" },
		{ "defaults/win-32::numpy", "defaults/win-32::numpy" },
		{ "conda-forge/linux-64::numpy", "conda-forge/linux-64::numpy" },
		{ "numpy[channel=conda-forge,subdir=noarch]", "conda-forge/noarch::numpy" },
		{ "numpy[subdir=win-32]", "numpy[subdir=win-32]" },
		{ "*/win-32::numpy", "numpy[subdir=win-32]" },
		{ "*/win-32::numpy[subdir=\"osx-64\"]", "numpy[subdir=osx-64]" },
		{ "https://repo.anaconda.com/pkgs/free/linux-32::numpy",
		  "https://repo.anaconda.com/pkgs/free/linux-32::numpy" },
		{ "numpy=1.10=py38_0", "numpy==1.10=py38_0" },
		{ "numpy==1.10=py38_0", "numpy==1.10=py38_0" },
		{ "numpy[version=1.10 build=py38_0]", "numpy==1.10=py38_0" },
		{ "numpy!=1.10", "numpy!=1.10" },
		{ "numpy !=1.10", "numpy!=1.10" },
		{ "numpy!=1.10 py38_0", "numpy[version='!=1.10',build=py38_0]" },
		{ "numpy !=1.10 py38_0", "numpy[version='!=1.10',build=py38_0]" },
		{ "numpy!=1.10=py38_0", "numpy[version='!=1.10',build=py38_0]" },
		{ "numpy !=1.10=py38_0", "numpy[version='!=1.10',build=py38_0]" },
		{ "numpy >1.7,!=1.10 py38_0", "numpy[version='>1.7,!=1.10',build=py38_0]" },
		{ "numpy!=1.10.*", "numpy!=1.10.*" },
		{ "numpy!=1.10,!=1.11", "numpy[version='!=1.10,!=1.11']" },
		{ "numpy=1.10.*,!=1.10.2", "numpy[version='=1.10.*,!=1.10.2']" },
		{ "numpy ~=1.10.1", "numpy~=1.10.1" },
		{ "numpy~=1.10.1", "numpy~=1.10.1" },
		{ "numpy ~=1.10.1 py38_0", "numpy[version='~=1.10.1',build=py38_0]" },
		{ "openssl=1.1.1_", "openssl=1.1.1_" },
		{ "openssl>=1.1.1_,!=1.1.1c", "openssl[version='>=1.1.1_,!=1.1.1c']" },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		check_canon(c[i][0], c[i][1]);
}

/* test_version_wildcard_serialization, test_legacy_features_canonical_string_forms,
 * test_simple, test_pip_style, test_no_triple_equals_roundtrip,
 * test_double_equals_version_consistency, test_conda_style, test_comment */
static void test_more_forms(void **state)
{
	static const char *const c[][2] = {
		{ "name[version=*,build=*py27*]", "name[build=*py27*]" },
		{ "name[version=*]", "name" },
		{ "conda-forge::name[version=*]", "conda-forge::name" },
		{ "name[version=1.2.*,build=*py27*]", "name=1.2[build=*py27*]" },
		{ "name[version=1.*]", "name=1" },
		{ "name[version=*,build_number=3]", "name[build_number=3]" },
		{ "mkl@", "*[track_features=mkl]" },
		{ "python", "python" },
		{ "python=2.6", "python=2.6" },
		{ "python=2.6*", "python=2.6" },
		{ "ipython=0.13.2", "ipython=0.13.2" },
		{ "ipython=0.13.0", "ipython=0.13.0" },
		{ "ipython==0.13.0", "ipython==0.13.0" },
		{ "foo=1.3.0=3", "foo==1.3.0=3" },
		{ "foo>=1.3", "foo[version='>=1.3']" },
		{ "zope.int>=1.3,<3.0", "zope.int[version='>=1.3,<3.0']" },
		{ "numpy >=1.9", "numpy[version='>=1.9']" },
		{ "numpy[version=\"=2\"]", "numpy=2" },
		{ "awscli==2.15.37", "awscli==2.15.37" },
		{ "awscli==2.15.37=wghq", "awscli==2.15.37=wghq" },
		{ "foo # comment", "foo" },
		{ "foo ## comment", "foo" },
		{ "FOO-Bar >=1.0", "foo-bar[version='>=1.0']" },
		{ "foo >= 1.0", "foo[version='>=1.0']" },
		{ "foo != 1.0", "foo!=1.0" },
		{ "foo >=1.0 , < 2.0", "foo[version='>=1.0,<2.0']" },
		{ "numpy=", "numpy" },
		{ "python 2.* *cpython*", "python=2[build=*cpython*]" },
		{ "python[version=2]", "python==2" },
		{ "* 2.7.4", "*==2.7.4" },
		{ "*[md5=0123456789abcdef0123456789abcdef]",
		  "*[md5=0123456789abcdef0123456789abcdef]" },
		{ "numpy[track_features='mkl debug']", "numpy[track_features='debug mkl']" },
		{ "numpy[track_features=mkl,build_number='>=2']",
		  "numpy[build_number='>=2',track_features=mkl]" },
		{ "numpy[build_number=07]", "numpy[build_number=7]" },
		{ "numpy[license='BSD 3-Clause']", "numpy[license='bsd 3-clause']" },
		{ "numpy[fn=numpy-1.0-0.tar.bz2, sha256=ab]",
		  "numpy[sha256=ab,fn=numpy-1.0-0.tar.bz2]" },
		{ "numpy[channel=conda-*]", "numpy[channel=conda-*]" },
		{ "numpy (>=1,<2)|>3", "numpy[version='>=1,<2|>3']" }, /* ',' binds tighter */
		{ "python >=3.8,(<3.10|>=3.11)", "python[version='>=3.8,(<3.10|>=3.11)']" },
		{ "conda-forge::foo[build=3](target=blarg,optional)", "conda-forge::foo[build=3]" },
		{ "numpy(optional)", "numpy" },
		{ "  numpy  ", "numpy" },
		{ "python if __win", "python" },
		{ "__glibc>=2.17", "__glibc[version='>=2.17']" },
		{ "/some/file/on/disk/package-1.2.3-2.tar.bz2",
		  "*[url=file:///some/file/on/disk/package-1.2.3-2.tar.bz2]" },
		{ "https://conda.anaconda.org/conda-canary/linux-64/"
		  "conda-4.3.21.post699+1dab973-py36h4a561cd_0.tar.bz2",
		  "https://conda.anaconda.org/conda-canary/linux-64::"
		  "conda==4.3.21.post699+1dab973=py36h4a561cd_0" },
		{ "https://conda.anaconda.org/conda-canary/"
		  "conda-4.3.21.post699+1dab973-py36h4a561cd_0.tar.bz2",
		  "*[url=https://conda.anaconda.org/conda-canary/"
		  "conda-4.3.21.post699+1dab973-py36h4a561cd_0.tar.bz2]" },
		{ "file:///var/T/edfc ñçêáôß/flask-0.10.1-py35_2.tar.bz2",
		  "*[url='file:///var/T/edfc ñçêáôß/flask-0.10.1-py35_2.tar.bz2']" },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		check_canon(c[i][0], c[i][1]);
}

#define F(field) (ms->field ? ms->field : "(null)")

static void check_parts(const char *spec, const char *name, const char *channel,
			const char *subdir, const char *version, const char *build)
{
	struct hpc_matchspec *ms = parse(spec);

	if (strcmp(F(name), name ? name : "(null)") ||
	    strcmp(F(channel), channel ? channel : "(null)") ||
	    strcmp(F(subdir), subdir ? subdir : "(null)") ||
	    strcmp(F(version), version ? version : "(null)") ||
	    strcmp(F(build), build ? build : "(null)"))
		fail_msg("%s: name=%s channel=%s subdir=%s version=%s build=%s", spec, F(name),
			 F(channel), F(subdir), F(version), F(build));
	hpc_matchspec_free(ms);
}

/* test_parse_spec_str_no_brackets, _with_brackets, test_star_name, test_parse_equal_equal,
 * test_parse_hard, test_parse_channel_subdir, test_parse_parens,
 * test_parse_build_number_brackets, test_parse_spec_str_tarball_url. Versions are in
 * canonical form ("1.8*" is kept as "1.8.*"). */
static void test_parse_parts(void **state)
{
	check_parts("numpy", "numpy", NULL, NULL, NULL, NULL);
	check_parts("numpy=", "numpy", NULL, NULL, NULL, NULL);
	check_parts("defaults::numpy", "numpy", "defaults", NULL, NULL, NULL);
	check_parts("https://repo.anaconda.com/pkgs/free::numpy", "numpy",
		    "https://repo.anaconda.com/pkgs/free", NULL, NULL, NULL);
	check_parts("defaults::numpy=1.8", "numpy", "defaults", NULL, "1.8.*", NULL);
	check_parts("defaults::numpy =1.8", "numpy", "defaults", NULL, "1.8.*", NULL);
	check_parts("defaults::numpy=1.8=py27_0", "numpy", "defaults", NULL, "1.8", "py27_0");
	check_parts("defaults::numpy 1.8 py27_0", "numpy", "defaults", NULL, "1.8", "py27_0");
	check_parts("defaults::numpy[channel=anaconda]", "numpy", "anaconda", NULL, NULL, NULL);
	check_parts("defaults::numpy 1.8 py27_0[channel=anaconda]", "numpy", "anaconda", NULL,
		    "1.8", "py27_0");
	check_parts("defaults::numpy=1.8=py27_0 [channel=anaconda,version=1.9, build=3]",
		    "numpy", "anaconda", NULL, "1.9", "3");
	check_parts("defaults::numpy=1.8=py27_0 [channel='anaconda',version=\">=1.8,<2|1.9\", "
		    "build='3']", "numpy", "anaconda", NULL, ">=1.8,<2|1.9", "3");
	check_parts("tensorflow[name=* version=* md5=253b922ecdb5a30884875948b8904983]",
		    "tensorflow", NULL, NULL, "*", NULL);
	check_parts("* 2.7.4", "*", NULL, NULL, "2.7.4", NULL);
	check_parts("* >=1.3 2", "*", NULL, NULL, ">=1.3", "2");
	check_parts("numpy==1.7", "numpy", NULL, NULL, "1.7", NULL);
	check_parts("numpy ==1.7", "numpy", NULL, NULL, "1.7", NULL);
	check_parts("numpy=1.7", "numpy", NULL, NULL, "1.7.*", NULL);
	check_parts("numpy =1.7", "numpy", NULL, NULL, "1.7.*", NULL);
	check_parts("numpy !=1.7", "numpy", NULL, NULL, "!=1.7", NULL);
	check_parts("numpy~=1.7.1", "numpy", NULL, NULL, "~=1.7.1", NULL);
	check_parts("numpy>1.8,<2|==1.7", "numpy", NULL, NULL, ">1.8,<2|==1.7", NULL);
	check_parts("numpy >1.8,<2|==1.7,!=1.9,~=1.7.1 py34_0", "numpy", NULL, NULL,
		    ">1.8,<2|==1.7,!=1.9,~=1.7.1", "py34_0");
	check_parts("*>1.8,<2|==1.7", "*", NULL, NULL, ">1.8,<2|==1.7", NULL);
	check_parts("* >1.8,<2|==1.7", "*", NULL, NULL, ">1.8,<2|==1.7", NULL);
	check_parts("* 1 *", "*", NULL, NULL, "1", "*");
	check_parts("* * openblas_0", "*", NULL, NULL, "*", "openblas_0");
	check_parts("* * *", "*", NULL, NULL, "*", "*");
	check_parts("* *", "*", NULL, NULL, "*", NULL);
	check_parts("conda-forge::foo>=1.0", "foo", "conda-forge", NULL, ">=1.0", NULL);
	check_parts("conda-forge/linux-32::foo>=1.0", "foo", "conda-forge", "linux-32", ">=1.0",
		    NULL);
	check_parts("*/linux-32::foo>=1.0", "foo", NULL, "linux-32", ">=1.0", NULL);
	check_parts("bioconda/label/dev::foo", "foo", "bioconda/label/dev", NULL, NULL, NULL);
	check_parts("file:///srv/chan/noarch::foo", "foo", "file:///srv/chan", "noarch", NULL,
		    NULL);
	check_parts("http://localhost:8000/chan::foo", "foo", "http://localhost:8000/chan", NULL,
		    NULL, NULL);
	check_parts("conda-forge::foo[build=3](target=blarg,optional)", "foo", "conda-forge",
		    NULL, NULL, "3");
	check_parts("foo >=1.0 , < 2.0 py34_0", "foo", NULL, NULL, ">=1.0,<2.0", "py34_0");
	check_parts("foo >=1.0 , < 2.0 =py34_0", "foo", NULL, NULL, ">=1.0,<2.0", "py34_0");
	check_parts("foo >1.8,<2|==1.7", "foo", NULL, NULL, ">1.8,<2|==1.7", NULL);
	check_parts("blas * openblas_0", "blas", NULL, NULL, "*", "openblas_0");
	check_parts("https://repo.anaconda.com/pkgs/main/linux-64/_license-1.1-py27_1.tar.bz2",
		    "_license", "https://repo.anaconda.com/pkgs/main", "linux-64", "1.1",
		    "py27_1");
	check_parts("https://conda.anaconda.org/conda-canary/linux-64/"
		    "conda-4.3.21.post699+1dab973-py36h4a561cd_0.conda", "conda",
		    "https://conda.anaconda.org/conda-canary", "linux-64",
		    "4.3.21.post699+1dab973", "py36h4a561cd_0");
	/* test_url_percent_encoding: %21 is '!' (an epoch) */
	check_parts("https://anaconda.org/conda-forge/linux-64/"
		    "x264-1%21164.3095-h166bdaf_2.tar.bz2",
		    "x264", "https://anaconda.org/conda-forge", "linux-64", "1!164.3095",
		    "h166bdaf_2");

	static const char *const bn[][2] = { { "python[build_number=3]", "3" },
					     { "python[build_number='>3']", ">3" },
					     { "python[build_number='>=3']", ">=3" },
					     { "python[build_number='<3']", "<3" },
					     { "python[build_number='<=3']", "<=3" } };
	for (size_t i = 0; i < 5; i++) {
		struct hpc_matchspec *ms = parse(bn[i][0]);

		assert_string_equal(ms->build_number, bn[i][1]);
		hpc_matchspec_free(ms);
	}
}

/* CEP-26 names: test_invalid_package_name_rejected and test_valid_package_names */
static void test_names(void **state)
{
	static const char *const good[] = { "numpy", "my-package", "my_package", "my.package",
					    "r-base", "python-dateutil", "_openmp_mutex", "_pkg",
					    "__glibc", "__unix", "py*", "*", "_r-mutex", "a" };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct hpc_matchspec *ms = parse(good[i]);

		assert_string_equal(ms->name, good[i]);
		assert_int_equal(hpc_matchspec_name_is_exact(ms), !strchr(good[i], '*'));
		hpc_matchspec_free(ms);
	}
}

static void check_error(const char *spec, const char *why, int col)
{
	struct hpc_error *e = NULL;
	char *want = hpc_xasprintf("invalid spec '%s': %s at column %d", spec, why, col);

	if (hpc_matchspec_parse(spec, &e))
		fail_msg("'%s' parsed", spec);
	assert_int_equal(e->code, HPC_E_SPEC);
	if (strcmp(e->msg, want))
		fail_msg("got  %s\nwant %s", e->msg, want);
	free(want);
	hpc_error_free(e);
}

/* test_matchspec_errors, test_invalid_match_spec, test_parse_errors,
 * test_invalid_package_name_rejected, test_catch_invalid_regexes,
 * test_invalid_version_reports_spec, and the errors conda lets through silently */
static void test_errors(void **state)
{
	check_error("numpy >=1.2,<<2", "unexpected '<'", 14);
	check_error("blas [optional", "missing ']'", 15);
	check_error("blas [test=]", "unknown key 'test'", 7);
	check_error("blas[invalid=\"1\"]", "unknown key 'invalid'", 6);
	check_error("!xyz 1.3", "missing package name before '!'", 1);
	check_error("'package'", "invalid character ''' in package name", 1);
	check_error("\"package\"", "invalid character '\"' in package name", 1);
	check_error("pack@ge", "invalid character '@' in package name", 5);
	check_error("pkg..name", "invalid package name 'pkg..name'", 5);
	check_error("pkg--name", "invalid package name 'pkg--name'", 5);
	check_error(".pkg", "invalid package name '.pkg'", 1);
	check_error("-pkg", "invalid package name '-pkg'", 1);
	check_error("__", "invalid package name '__'", 1);
	check_error("*/lin(ux-65::f/o>=>1y", "invalid character '/' in package name", 15);
	check_error("^(aaaa$", "invalid character '^' in package name", 1); /* as conda */
	check_error("^(py.*$", "invalid regular expression", 1); /* with '*', a name regex */
	check_error("pkg 4.2.2<6.0.0", "invalid character '<' in version", 10);
	check_error("pkg>=0.10.0,<1.0.0<py312|>=0.13.0,<1.0.0>=py312",
		    "invalid character '<' in version", 19);
	check_error("numpy==", "missing version after '=='", 8);
	check_error("numpy>", "missing version after '>'", 7);
	check_error("numpy>=", "missing version after '>='", 8);
	check_error("numpy ==1.7=", "invalid character '=' in version", 12);
	check_error("numpy =", "missing version after '='", 8);
	check_error("", "empty spec", 1);
	check_error("  # just a comment", "empty spec", 3);
	check_error("conda-forge:numpy", "unexpected ':' (a channel ends with '::')", 12);
	check_error("::numpy", "missing channel before '::'", 1);
	check_error("numpy[version=>=1,<2]", "expected a key, found '<'", 19);
	check_error("numpy[version='>=1]", "missing closing '", 15);
	check_error("numpy[build=x]extra", "unexpected 'e' after ']'", 15);
	check_error("numpy[build=x y]", "expected '=' after 'y'", 16);
	check_error("numpy[build=x][md5=y]", "unexpected '[' after ']'", 15);
	check_error("numpy[build=x, build=y]", "'build' given twice", 16);
	check_error("python[when=__win]", "key 'when' is not supported", 8);
	check_error("package[extras=[a,b]]", "nested '['", 16);
	check_error("numpy[build_number=abc]", "invalid build_number 'abc'", 20);
	check_error("numpy[build_number='>=x&']", "invalid character '&' in version", 24);
	check_error("numpy[version='>=1,<<2']", "unexpected '<'", 21);
	check_error("tensorflow[name=pytorch]",
		    "name 'pytorch' in brackets differs from 'tensorflow'", 17);
	check_error("numpy[build='^(x$']", "invalid regular expression", 14);
	check_error("numpy 1.2 py_0 x=", "invalid character '=' in version", 17);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_string_forms),
		cmocka_unit_test(test_more_forms),
		cmocka_unit_test(test_parse_parts),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
