/* SPDX-License-Identifier: MIT */
/* version_test.c - conda's version order (CEP-33), and where libsolv's conda EVR order differs
 *
 * The ordered lists are conda's own: the VersionOrder docstring and test_version_order,
 * test_openssl_convention, test_pep440 and test_hexrd in conda's tests/models/test_version.py,
 * and the example list of CEP-33. Within a list, "=" marks a version equal to the previous
 * one; every other entry is strictly greater than all before it.
 */
#include <jansson.h>
#include <solv/evr.h>
#include <solv/pool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define EQ "="

/* conda/models/version.py, VersionOrder docstring ("0.4 < 0.4.0" there is a typo: conda's
 * own test asserts VersionOrder("0.4") == VersionOrder("0.4.0")). */
static const char *const docstring_list[] = {
	"0.4", EQ, "0.4.0", "0.4.1.rc", EQ, "0.4.1.RC", "0.4.1", "0.5a1", "0.5b3", "0.5C1",
	"0.5", "0.9.6", "0.960923", "1.0", "1.1dev1", "1.1_", "1.1a1", "1.1.0dev1", EQ,
	"1.1.dev1", "1.1.a1", "1.1.0rc1", "1.1.0", EQ, "1.1", "1.1.0post1", EQ, "1.1.post1",
	"1.1post1", "1996.07.12", "1!0.4.1", "1!3.1.1.6", "2!0.4.1", NULL,
};

/* tests/models/test_version.py: test_version_order */
static const char *const order_list[] = {
	"0.4", EQ, "0.4.0", "0.4.1a.vc11", "0.4.1.rc", "0.4.1.vc11", "0.4.1", "0.5*", "0.5a1",
	"0.5b3", "0.5C1", "0.5z", "0.5za", "0.5", "0.5_5", EQ, "0.5-5", "0.9.6", "0.960923",
	"1.0", "1.0.4a3", "1.0.4b1", "1.0.4", "1.1dev1", "1.1_", "1.1a1", "1.1.dev1", "1.1.a1",
	"1.1", "1.1.post1", "1.1.1dev1", "1.1.1rc1", "1.1.1", "1.1.1post1", "1.1post1", "2g6",
	"2.0b1pr0", "2.2be.ta29", "2.2be5ta29", "2.2beta29", "2.2.0.1", "3.1.1.6", "3.2.p.r0",
	"3.2.pr0", "3.2.pr.1", "5.5.kw", "11g", "14.3.1", "14.3.1.post26.g9d75ca2",
	"1996.07.12", "1!0.4.1", "1!3.1.1.6", "2!0.4.1", NULL,
};

/* test_openssl_convention */
static const char *const openssl_list[] = {
	"1.0.1dev", "1.0.1_", "1.0.1a", "1.0.1b", "1.0.1c", "1.0.1d", "1.0.1r", "1.0.1rc",
	"1.0.1rc1", "1.0.1rc2", "1.0.1s", "1.0.1", "1.0.1post.a", "1.0.1post.b", "1.0.1post.z",
	"1.0.1post.za", "1.0.2", NULL,
};

/* test_pep440 (conda's adaptation of the packaging test suite) and test_hexrd */
static const char *const pep440_list[] = {
	"1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
	"1.0b2.post345.dev456", "1.0b2.post345", "1.0c1.dev456", "1.0c1", "1.0c3", "1.0rc2",
	"1.0.dev456", "1.0", "1.0.post456.dev34", "1.0.post456", "1.1.dev1", "1.2.r32+123456",
	"1.2.rev33+123456", "1.2+abc", "1.2+abc123def", "1.2+abc123", "1.2+123abc",
	"1.2+123abc456", "1.2+1234.abc", "1.2+123456", "1!1.0a1", "1!1.0a2.dev456",
	"1!1.0a12.dev456", "1!1.0a12", "1!1.0b1.dev456", "1!1.0b2", "1!1.0b2.post345.dev456",
	"1!1.0b2.post345", "1!1.0c1.dev456", "1!1.0c1", "1!1.0c3", "1!1.0rc2", "1!1.0.dev456",
	"1!1.0", "1!1.0.post456.dev34", "1!1.0.post456", "1!1.1.dev1", "1!1.2.r32+123456",
	"1!1.2.rev33+123456", "1!1.2+abc", "1!1.2+abc123def", "1!1.2+abc123", "1!1.2+123abc",
	"1!1.2+123abc456", "1!1.2+1234.abc", "1!1.2+123456", NULL,
};

static const char *const hexrd_list[] = { "0.3.0.dev", "0.3.3", NULL };

/* CEP-33 "Examples" */
static const char *const cep33_list[] = {
	"0.4", EQ, "0.4.0", "0.4.1.rc", EQ, "0.4.1.RC", "0.4.1+local", "0.4.1+0.local", "0.4.1",
	EQ, "0.4.1+0", "0.4.1+1.local", "0.5a1", "0.5b3", "0.5C1", "0.5", "0.9.6", "0.960923",
	"1.0", "1.1dev1", "1.1a1", "1.1.0dev1", EQ, "1.1.dev1", "1.1.a1", "1.1.0rc1", "1.1.0.0",
	EQ, "1.1.0", EQ, "1.1", "1.1.post1", EQ, "1.1.0post1", "1.1post1", "1996.07.12",
	"1!0.4.1", "1!3.1.1.6", "2!0.4.1", NULL,
};

/* Extra cases: long numbers, leading zeros, dev/post/star and '_' against strings. */
static const char *const extra_list[] = {
	"0.0.0.1", "0.1", EQ, "0.01", EQ, "0.1.0.0.0", "1.0*", "1.0dev", "1.0_", "1.0a",
	"1.0", "1.0.1", "1.0post", "9", "10", "2018a", "2018b", "2018b.1", "2019.dev", "2019",
	"99999999999999999999", EQ, "0099999999999999999999", "100000000000000000000", NULL,
};

struct vlist {
	const char *name;
	const char *const *items;
};

static const struct vlist lists[] = {
	{ "docstring", docstring_list }, { "test_version_order", order_list },
	{ "openssl", openssl_list },     { "pep440", pep440_list },
	{ "hexrd", hexrd_list },         { "cep33", cep33_list },
	{ "extra", extra_list },
};

/* Flatten a list into versions and their rank (equal versions share a rank). */
static size_t ranks(const char *const *items, const char **v, int *rank)
{
	size_t n = 0;
	int r = -1;
	bool eq = false;

	for (size_t i = 0; items[i]; i++) {
		if (!strcmp(items[i], EQ)) {
			eq = true;
			continue;
		}
		if (!eq)
			r++;
		eq = false;
		v[n] = items[i];
		rank[n++] = r;
	}
	return n;
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void test_conda_lists(void **state)
{
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		const char *v[128];
		int rank[128];
		size_t n = ranks(lists[l].items, v, rank);
		struct hpc_version pv[128];

		for (size_t i = 0; i < n; i++) {
			struct hpc_error *e = NULL;

			hpc_version_init(&pv[i]);
			if (hpc_version_parse(&pv[i], v[i], &e))
				fail_msg("%s: %s", lists[l].name, e->msg);
		}
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++) {
				int want = sign(rank[i] - rank[j]);
				int got = sign(hpc_version_cmp(&pv[i], &pv[j]));

				if (want != got)
					fail_msg("%s: cmp(%s, %s) = %d, want %d", lists[l].name,
						 v[i], v[j], got, want);
				assert_int_equal(sign(hpc_version_cmp_str(v[i], v[j], NULL)), want);
			}
		for (size_t i = 0; i < n; i++)
			hpc_version_fini(&pv[i]);
	}
}

/*
 * Where libsolv 0.7.23's conda comparison (pool_evrcmp_str on a DISTTYPE_CONDA pool, the
 * order the solver uses) disagrees with conda. Each pair is (a, b, libsolv's sign of
 * cmp(a, b)); conda's sign is the opposite or 0. The test fails if libsolv disagrees on any
 * other pair of the lists, or stops disagreeing on one of these, so this table is exact.
 */
struct disagreement {
	const char *a, *b;
	int libsolv;
};

#include "version_test_libsolv.h"

static int known_disagreement(const char *a, const char *b, int got)
{
	for (size_t k = 0; k < sizeof(libsolv_disagreements) / sizeof(libsolv_disagreements[0]);
	     k++) {
		const struct disagreement *d = &libsolv_disagreements[k];

		if (!strcmp(d->a, a) && !strcmp(d->b, b))
			return d->libsolv == got ? 1 : -1;
		if (!strcmp(d->a, b) && !strcmp(d->b, a))
			return d->libsolv == -got ? 1 : -1;
	}
	return 0;
}

static void test_libsolv_agrees(void **state)
{
	Pool *pool = pool_create();
	size_t seen = 0, unexpected = 0;

	pool_setdisttype(pool, DISTTYPE_CONDA);
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		const char *v[128];
		int rank[128];
		size_t n = ranks(lists[l].items, v, rank);

		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				int want = sign(rank[i] - rank[j]);
				int got = sign(pool_evrcmp_str(pool, v[i], v[j], EVRCMP_COMPARE));
				int k = known_disagreement(v[i], v[j], got);

				if (got == want && k == 0)
					continue;
				if (k == 1) {
					seen++;
					continue;
				}
				printf("    { \"%s\", \"%s\", %d }, /* conda: %d (%s) */\n", v[i],
				       v[j], got, want, lists[l].name);
				unexpected++;
			}
	}
	pool_free(pool);
	if (unexpected)
		fail_msg("%zu unexpected libsolv disagreements (printed above)", unexpected);
	assert_true(seen >= sizeof(libsolv_disagreements) / sizeof(libsolv_disagreements[0]));
}

static void test_parse_forms(void **state)
{
	struct hpc_version v;
	struct hpc_error *e = NULL;

	hpc_version_init(&v);
	assert_int_equal(hpc_version_parse(&v, "  0.4.1.RC  ", &e), 0);
	assert_string_equal(v.str, "0.4.1.rc");
	assert_int_equal(hpc_version_parse(&v, "0.5-5", &e), 0);
	assert_string_equal(v.str, "0.5_5"); /* '-' becomes '_' when there is no '_' */
	assert_int_equal(hpc_version_parse(&v, "1!2.15.1_ALPHA+1.2.3h123", &e), 0);
	assert_string_equal(v.str, "1!2.15.1_alpha+1.2.3h123");
	assert_int_equal(v.nver, 5);   /* [1] [2] [15] [1] [0 alpha] */
	assert_int_equal(v.nlocal, 3); /* [1] [2] [3 h 123] */
	assert_int_equal(hpc_version_parse(&v, "1!2.15.1alpha_", &e), 0);
	assert_int_equal(v.nver, 4);   /* [1] [2] [15] [1 alpha_] */
	assert_null(e);
	hpc_version_fini(&v);
}

static void test_invalid(void **state)
{
	static const struct {
		const char *s, *why;
		int col;
	} bad[] = {
		{ "", "empty version", 1 },
		{ "  ", "empty version", 3 },
		{ "3.5&1", "invalid character", 4 },
		{ "5.5++", "duplicated local version separator '+'", 5 },
		{ "5.5..mw", "empty version component", 5 },
		{ "!", "epoch must be an integer", 1 },
		{ "a!1.0", "epoch must be an integer", 1 },
		{ "a!b!1.0", "duplicated epoch separator '!'", 4 },
		{ "1.2+", "empty version component", 5 },
		{ "+1.2", "missing version before local version separator '+'", 1 },
		{ "++", "duplicated local version separator '+'", 2 },
		{ "1.0-2_3", "invalid character", 4 }, /* '-' stays invalid next to '_' */
		{ "1!", "empty version after epoch", 3 },
		{ "1.", "empty version component", 3 },
		{ "1 2", "invalid character", 2 },
	};
	struct hpc_version v;

	hpc_version_init(&v);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct hpc_error *e = NULL;
		char *want = hpc_xasprintf("invalid version '%s': %s at column %d", bad[i].s,
					   bad[i].why, bad[i].col);

		assert_int_equal(hpc_version_parse(&v, bad[i].s, &e), -HPC_E_PARSE);
		assert_string_equal(e->msg, want);
		assert_null(v.str);
		free(want);
		hpc_error_free(e);
	}
}

static bool sw(const char *v, const char *p)
{
	struct hpc_version a, b;
	bool r;

	hpc_version_init(&a);
	hpc_version_init(&b);
	assert_int_equal(hpc_version_parse(&a, v, NULL), 0);
	assert_int_equal(hpc_version_parse(&b, p, NULL), 0);
	r = hpc_version_startswith(&a, &b);
	hpc_version_fini(&a);
	hpc_version_fini(&b);
	return r;
}

/* test_version_order's startswith checks, and ver_eval's "X*" cases */
static void test_startswith(void **state)
{
	assert_true(sw("0.4.1", "0"));
	assert_true(sw("0.4.1", "0.4"));
	assert_true(sw("0.4.1p1", "0.4"));
	assert_true(sw("0.4.1p1", "0.4.1p"));
	assert_false(sw("0.4.1p1", "0.4.1q1"));
	assert_false(sw("0.4", "0.4.1"));
	assert_true(sw("0.4.1+1.3", "0.4.1"));
	assert_true(sw("0.4.1+1.3", "0.4.1+1"));
	assert_false(sw("0.4.1", "0.4.1+1.3"));
	assert_false(sw("0.4.1+1", "0.4.1+1.3"));
	assert_true(sw("1.0", "1.0"));
	assert_true(sw("1.0.0", "1.0"));
	assert_true(sw("1.0", "1.0.0"));
	assert_false(sw("1.0.1", "1.0.0"));
	assert_true(sw("2013a", "2013a"));
	assert_false(sw("2013a", "2013b"));
	assert_true(sw("2013ab", "2013a"));
	assert_false(sw("1.3.4", "1.2.4"));
	assert_true(sw("1.2.3+4.5.6", "1.2.3"));
	assert_true(sw("1.2.3+4.5.6", "1.2.3+4"));
	assert_false(sw("1.2.3+4.5.6", "1.2.3+5"));
	assert_false(sw("1.2.3+4.5.6", "1.2.4+5"));
	assert_true(sw("3.3.1", "3.3"));
	assert_false(sw("3.30", "3.3"));
	assert_true(sw("1.1.dev1", "1.1"));
	assert_false(sw("1.0dev", "1.0d")); /* "dev" is "DEV": no string prefix match */
	assert_true(sw("1.0dev1", "1.0dev"));
}

static void test_cmp_str_invalid(void **state)
{
	bool ok = true;

	assert_true(hpc_version_cmp_str("1.0", "1.0.0", &ok) == 0 && ok);
	assert_true(hpc_version_cmp_str("1&0", "1.0", &ok) < 0 && !ok);
	assert_true(hpc_version_cmp_str("1.0", "", &ok) > 0 && !ok);
	assert_true(hpc_version_cmp_str("a&", "b&", &ok) < 0 && !ok);
}

/* Every version in the real repodata of shared/data parses; sorted with our order, libsolv
 * agrees on each neighbouring pair except where one side has a local part or a trailing '_'
 * (the two known differences). */
static void add_versions(const char *rel, struct hpc_strv *out)
{
	char *path = tu_shared(rel);
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je), *pkgs, *rec;
	const char *key, *fn;

	if (!root)
		fail_msg("%s: %s", path, je.text);
	json_object_foreach(root, key, pkgs) {
		if (strcmp(key, "packages") && strcmp(key, "packages.conda"))
			continue;
		json_object_foreach(pkgs, fn, rec) {
			json_t *v = json_object_get(rec, "version");

			hpc_strv_push_unique(out, json_string_value(v));
		}
	}
	json_decref(root);
	free(path);
}

static int cmp_parsed(const void *a, const void *b)
{
	return hpc_version_cmp(a, b);
}

static bool local_or_underscore(const char *v)
{
	return strchr(v, '+') || v[strlen(v) - 1] == '_';
}

static void test_real_versions(void **state)
{
	static const char *const files[] = {
		"repodata/conda-forge-subset-py39-linux-64-2024.json",
		"repodata/conda-forge-subset-py39-noarch-2024.json",
		"repodata/defaults-r-linux-64-2018.json", "repodata/defaults-main-noarch-2018.json",
		"repodata/pytorch-linux-64-2023.json",
	};
	struct hpc_strv vs = HPC_STRV_INIT;
	struct hpc_version *pv;
	Pool *pool = pool_create();
	size_t odd = 0;

	pool_setdisttype(pool, DISTTYPE_CONDA);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		add_versions(files[i], &vs);
	assert_true(vs.n > 1000);
	pv = hpc_xcalloc(vs.n, sizeof(*pv));
	for (size_t i = 0; i < vs.n; i++) {
		struct hpc_error *e = NULL;

		if (hpc_version_parse(&pv[i], vs.v[i], &e))
			fail_msg("%s", e->msg);
	}
	qsort(pv, vs.n, sizeof(*pv), cmp_parsed);
	for (size_t i = 1; i < vs.n; i++) {
		int ours = sign(hpc_version_cmp(&pv[i - 1], &pv[i]));
		int theirs = sign(pool_evrcmp_str(pool, pv[i - 1].str, pv[i].str, EVRCMP_COMPARE));

		assert_true(ours <= 0);
		if (ours == theirs)
			continue;
		if (!local_or_underscore(pv[i - 1].str) && !local_or_underscore(pv[i].str))
			fail_msg("libsolv orders %s and %s differently", pv[i - 1].str, pv[i].str);
		odd++;
	}
	printf("    %zu distinct real versions, %zu neighbours ordered differently by libsolv\n",
	       vs.n, odd);
	for (size_t i = 0; i < vs.n; i++)
		hpc_version_fini(&pv[i]);
	free(pv);
	hpc_strv_fini(&vs);
	pool_free(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conda_lists),    cmocka_unit_test(test_libsolv_agrees),
		cmocka_unit_test(test_parse_forms),    cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_startswith),     cmocka_unit_test(test_cmp_str_invalid),
		cmocka_unit_test(test_real_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
