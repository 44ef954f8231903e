/* SPDX-License-Identifier: MIT */
/* problems_test.c - the problem tree: text in both drawings, JSON both ways, helpers */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static struct hpc_pnode *node(enum hpc_pnode_kind kind, const char *name)
{
	struct hpc_pnode *n = hpc_pnode_new(kind);

	n->name = name ? hpc_xstrdup(name) : NULL;
	return n;
}

static void sample_cuda(struct hpc_problem *p);

/* numpy=2 needs python >=3.10 | ... and libblas * mkl; the system lacks a CUDA driver. */
static struct hpc_problems *sample(void)
{
	struct hpc_problems *pb = hpc_xcalloc(1, sizeof(*pb));
	struct hpc_problem *p;
	struct hpc_pnode *req, *pk, *dep, *leaf, *c;

	pb->v = hpc_xcalloc(2, sizeof(*pb->v));
	pb->n = 2;
	p = &pb->v[0];
	p->summary = hpc_xstrdup("cannot install numpy=2");
	req = node(HPC_PN_REQUEST, NULL);
	req->spec = hpc_xstrdup("numpy=2");
	req->origin = hpc_xstrdup("environment.yml:4");
	pk = node(HPC_PN_PACKAGES, "numpy");
	hpc_strv_push(&pk->versions, "2.0.0");
	hpc_strv_push(&pk->versions, "2.1.3");
	pk->nbuilds = 12;
	hpc_strv_push(&pk->channels, "https://conda.anaconda.org/conda-forge");
	hpc_pnode_add(req, pk);
	dep = node(HPC_PN_DEPENDENCY, "python");
	for (int i = 0; i < 6; i++)
		hpc_strv_pushf(&dep->specs, "python >=3.%d,<3.%d.0a0", 9 + i, 10 + i);
	hpc_strv_push(&dep->needed_by, "2.1.0");
	hpc_strv_push(&dep->needed_by, "2.1.3");
	dep->needed_by_builds = 5;
	hpc_pnode_add(pk, dep);
	leaf = node(HPC_PN_MISSING, "python");
	hpc_strv_push(&leaf->specs, "python >=3.9,<3.10.0a0");
	leaf->available = hpc_xstrdup("python 3.8.0 - 3.8.19 (40 builds, conda-forge)");
	hpc_pnode_add(dep, leaf);
	dep = node(HPC_PN_DEPENDENCY, "libblas");
	hpc_strv_push(&dep->specs, "libblas * *mkl");
	hpc_pnode_add(pk, dep);
	leaf = node(HPC_PN_MISSING, "libblas");
	hpc_strv_push(&leaf->channels, "https://conda.anaconda.org/conda-forge");
	hpc_strv_push(&leaf->channels, "https://repo.anaconda.com/pkgs/main");
	hpc_strv_push(&leaf->channels, "file:///srv/chan");
	hpc_pnode_add(dep, leaf);
	c = node(HPC_PN_CONFLICT, NULL);
	c->reason = HPC_CONFLICT_STRICT;
	c->text = hpc_xstrdup("excluded by strict channel priority");
	c->with = hpc_xstrdup("pkgs/main");
	hpc_strv_push(&c->needed_by, "2.0.0");
	c->needed_by_builds = 1;
	hpc_pnode_add(pk, c);
	p->roots = hpc_xcalloc(1, sizeof(*p->roots));
	p->roots[p->nroots++] = req;
	hpc_strv_push(&p->relax, "numpy=2 (environment.yml:4)");
	sample_cuda(&pb->v[1]);
	return pb;
}

/* cudatoolkit needs a CUDA driver the system lacks */
static void sample_cuda(struct hpc_problem *p)
{
	struct hpc_pnode *req, *pk, *dep;

	p->summary = hpc_xstrdup("cannot install cudatoolkit");
	req = node(HPC_PN_REQUEST, NULL);
	req->spec = hpc_xstrdup("cudatoolkit");
	pk = node(HPC_PN_PACKAGES, "cudatoolkit");
	hpc_strv_push(&pk->versions, "12.1");
	hpc_strv_push(&pk->build_strings, "h0_0");
	pk->nbuilds = 1;
	hpc_pnode_add(req, pk);
	dep = node(HPC_PN_VIRTUAL, "__cuda");
	hpc_strv_push(&dep->specs, "__cuda >=12");
	dep->text = hpc_xstrdup("no CUDA driver was found");
	dep->override = hpc_xstrdup("CONDA_OVERRIDE_CUDA");
	hpc_pnode_add(pk, dep);
	dep = node(HPC_PN_SEE_ABOVE, "numpy");
	hpc_strv_push(&dep->versions, "2.0.0");
	hpc_pnode_add(pk, dep);
	p->roots = hpc_xcalloc(1, sizeof(*p->roots));
	p->roots[p->nroots++] = req;
	hpc_strv_push(&p->relax, "cudatoolkit");
	hpc_strv_push(&p->relax, "pin cuda 11.* (pinned_packages)");
}

static const char *const sample_text =
	"problem 1 of 2: cannot install numpy=2\n"
	"numpy=2 (environment.yml:4)\n"
	"└─ numpy 2.0.0 - 2.1.3 (12 builds, conda-forge)\n"
	"   ├─ 5 builds (2.1.0 - 2.1.3) require python >=3.9,<3.10.0a0 | python >=3.10,<3.11.0a0"
	" | python >=3.11,<3.12.0a0 | (3 more), but none matches: the channels have python 3.8.0 "
	"- 3.8.19 (40 builds, conda-forge)\n"
	"   ├─ requires libblas * *mkl, which is not available in any configured channel\n"
	"   └─ 1 build (2.0.0): excluded by strict channel priority\n"
	"channels searched: conda-forge, pkgs/main, file:///srv/chan\n"
	"relax: numpy=2 (environment.yml:4)\n"
	"\n"
	"problem 2 of 2: cannot install cudatoolkit\n"
	"cudatoolkit (requested)\n"
	"└─ cudatoolkit 12.1 h0_0\n"
	"   ├─ __cuda >=12, but this system has no __cuda (no CUDA driver was found; override "
	"with CONDA_OVERRIDE_CUDA)\n"
	"   └─ numpy 2.0.0, explained above\n"
	"relax one of: cudatoolkit, pin cuda 11.* (pinned_packages)\n";

static void test_text(void **state)
{
	struct hpc_problems *pb = sample();
	char *t = hpc_problems_render_text(pb, 0), *a;

	assert_string_equal(t, sample_text);
	a = hpc_problems_render_text(pb, HPC_RENDER_ASCII);
	assert_non_null(strstr(a, "numpy=2 (environment.yml:4)\n`- numpy 2.0.0 - 2.1.3"));
	assert_non_null(strstr(a, "   |- requires libblas * *mkl"));
	assert_null(strstr(a, "─"));
	free(a);
	free(t);
	/* one problem has no "1 of 1" */
	pb->n = 1;
	t = hpc_problems_render_text(pb, 0);
	assert_true(hpc_str_startswith(t, "problem: cannot install numpy=2\n"));
	free(t);
	pb->n = 2;
	hpc_problems_free(pb);
	hpc_problems_free(NULL);
}

static void test_virtual_text(void **state)
{
	struct hpc_problems pbs = { 0 };
	struct hpc_problem p = { .summary = "s" };
	struct hpc_pnode *dep = node(HPC_PN_DEPENDENCY, "__glibc"), *v = node(HPC_PN_VIRTUAL,
									       "__glibc");
	char *t;

	hpc_strv_push(&dep->specs, "__glibc >=2.40");
	v->system = hpc_xstrdup("2.36");
	v->override = hpc_xstrdup("CONDA_OVERRIDE_GLIBC");
	hpc_pnode_add(dep, v);
	p.roots = &dep;
	p.nroots = 1;
	pbs.v = &p;
	pbs.n = 1;
	t = hpc_problems_render_text(&pbs, 0);
	assert_string_equal(t, "problem: s\nrequires __glibc >=2.40, but this system has __glibc "
			       "2.36 (override with CONDA_OVERRIDE_GLIBC)\n");
	free(t);
	free(v->override);
	v->override = NULL;
	free(v->system);
	v->system = NULL;
	v->text = hpc_xstrdup("the package is for another platform");
	t = hpc_problems_render_text(&pbs, 0);
	assert_string_equal(t, "problem: s\nrequires __glibc >=2.40, but this system has no "
			       "__glibc (the package is for another platform)\n");
	free(t);
	hpc_pnode_free(dep);
}

static void test_json(void **state)
{
	struct hpc_problems *pb = sample(), *back = NULL;
	struct hpc_error *e = NULL;
	json_t *j = hpc_problems_to_json(pb), *j2, *leaf;
	char *t;

	/* the shape */
	leaf = json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(
		json_array_get(json_object_get(json_array_get(json_object_get(j, "problems"), 0),
					       "tree"), 0), "children"), 0), "children"), 1),
		"children");
	leaf = json_array_get(leaf, 0);
	assert_string_equal(json_string_value(json_object_get(leaf, "kind")), "missing");
	assert_int_equal(json_array_size(json_object_get(leaf, "channels")), 3);
	assert_null(json_object_get(leaf, "available"));
	/* and back */
	assert_int_equal(hpc_problems_from_json(j, &back, &e), 0);
	j2 = hpc_problems_to_json(back);
	assert_true(json_equal(j, j2));
	t = hpc_problems_render_text(back, 0);
	assert_string_equal(t, sample_text);
	free(t);
	assert_int_equal(back->v[0].roots[0]->kids[0]->kids[2]->reason, HPC_CONFLICT_STRICT);
	json_decref(j);
	json_decref(j2);
	hpc_problems_free(back);
	hpc_problems_free(pb);
}

static void bad_json(const char *text, const char *msg)
{
	json_t *j = json_loads(text, 0, NULL);
	struct hpc_problems *pb = (void *)1;
	struct hpc_error *e = NULL;

	assert_non_null(j);
	assert_int_equal(hpc_problems_from_json(j, &pb, &e), -HPC_E_PARSE);
	assert_null(pb);
	assert_string_equal(e->msg, msg);
	hpc_error_free(e);
	json_decref(j);
}

static void test_json_errors(void **state)
{
	bad_json("{}", "problems JSON: no 'problems' list");
	bad_json("{\"problems\": [{}]}", "problems JSON: a problem needs 'summary' and 'tree'");
	bad_json("{\"problems\": [{\"summary\": \"s\", \"tree\": [{\"kind\": \"nope\"}]}]}",
		 "problems JSON: a node without a known 'kind'");
	bad_json("{\"problems\": [{\"summary\": \"s\", \"tree\": [{\"kind\": \"packages\","
		 " \"name\": 3}]}]}",
		 "problems JSON: 'name' is not a string");
	bad_json("{\"problems\": [{\"summary\": \"s\", \"tree\": [{\"kind\": \"packages\","
		 " \"versions\": [1]}]}]}",
		 "problems JSON: 'versions' holds a non-string");
	bad_json("{\"problems\": [{\"summary\": \"s\", \"tree\": [{\"kind\": \"packages\","
		 " \"children\": {}}]}]}",
		 "problems JSON: 'children' is not a list");
	bad_json("{\"problems\": [{\"summary\": \"s\", \"relax\": 1, \"tree\": []}]}",
		 "problems JSON: 'relax' is not a list");
}

static void test_helpers(void **state)
{
	struct hpc_strv v = HPC_STRV_INIT;
	char *s;

	s = hpc_versions_range(&v);
	assert_string_equal(s, "");
	free(s);
	hpc_strv_push(&v, "1.0");
	s = hpc_versions_range(&v);
	assert_string_equal(s, "1.0");
	free(s);
	hpc_strv_push(&v, "1.5");
	hpc_strv_push(&v, "2.0");
	s = hpc_versions_range(&v);
	assert_string_equal(s, "1.0 - 2.0");
	free(s);
	hpc_strv_fini(&v);
	s = hpc_channel_short("https://conda.anaconda.org/conda-forge");
	assert_string_equal(s, "conda-forge");
	free(s);
	s = hpc_channel_short("https://repo.anaconda.com/pkgs/main");
	assert_string_equal(s, "pkgs/main");
	free(s);
	s = hpc_channel_short("https://conda.anaconda.org/");
	assert_string_equal(s, "https://conda.anaconda.org/");
	free(s);
	s = hpc_channel_short("file:///srv/chan");
	assert_string_equal(s, "file:///srv/chan");
	free(s);
	assert_string_equal(hpc_pnode_kind_name(HPC_PN_SEE_ABOVE), "see_above");
	assert_string_equal(hpc_pnode_kind_name((enum hpc_pnode_kind)42), "unknown");
	assert_string_equal(hpc_conflict_name(HPC_CONFLICT_SAME_NAME), "same_name");
	assert_string_equal(hpc_conflict_name((enum hpc_conflict)42), "other");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_virtual_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
