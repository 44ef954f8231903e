/* SPDX-License-Identifier: MIT */
/* problems.h - why a request cannot be satisfied, as a tree a person can read
 *
 * hpc_solver_solve turns libsolv's problem rules into one tree per independent problem:
 * its roots are the requested specs (and pins, locked packages) involved; below a spec
 * the packages it could be, grouped by name with their versions merged into a range;
 * below those the dependencies that cannot be met and, in turn, their candidates, down
 * to the leaves that say why: nothing provides a spec (naming the channels searched and
 * what they do have of that name), the system lacks a virtual package (naming its
 * version here and the CONDA_OVERRIDE_* variable), two packages clash (only one of a
 * name, a constraint, strict channel priority, a pin). A problem also lists what could be
 * relaxed: the requested specs and pins involved.
 *
 *   problem: python=3.9 and python=3.10 cannot be installed together
 *   ├─ python=3.9 (command line)
 *   │  └─ python 3.9.0 - 3.9.19 (24 builds, conda-forge)
 *   │     └─ conflicts with python 3.10.0 - 3.10.14 (18 builds), needed by python=3.10:
 *   │        only one python can be installed
 *   └─ python=3.10 (command line)
 *      └─ python 3.10.0 - 3.10.14 (18 builds, conda-forge), explained above
 *   relax one of: python=3.9 (command line), python=3.10 (command line)
 *
 * The same content is available as JSON (hpc_problems_to_json) and comes back from it
 * (hpc_problems_from_json), which is how a solve in a child process reports.
 */
#ifndef HPCENV_PROBLEMS_H
#define HPCENV_PROBLEMS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct hpc_error;
struct json_t;

enum hpc_pnode_kind {
	HPC_PN_REQUEST,    /* a requested spec: spec, origin */
	HPC_PN_PIN,        /* a pin (pinned_packages, conda-meta/pinned, python): spec, origin */
	HPC_PN_INSTALLED,  /* an installed package that must stay: name, versions */
	HPC_PN_PACKAGES,   /* packages of one name: name, versions, nbuilds, channels */
	HPC_PN_DEPENDENCY, /* what the parent packages need: name, specs; needed_by when only
			    * some of them need it */
	HPC_PN_MISSING,    /* nothing provides it: name, specs, channels searched, available */
	HPC_PN_VIRTUAL,    /* the system lacks it: name, specs, system, override */
	HPC_PN_CONFLICT,   /* the parent packages clash with others: reason, with, text */
	HPC_PN_SEE_ABOVE,  /* the same packages as a node explained earlier: name, versions */
};

enum hpc_conflict {
	HPC_CONFLICT_SAME_NAME,   /* only one package of a name can be installed */
	HPC_CONFLICT_CONSTRAINS,  /* a constrains entry rules packages out */
	HPC_CONFLICT_CONFLICTS,   /* an explicit conflict */
	HPC_CONFLICT_STRICT,      /* strict channel priority: the name is in a higher channel */
	HPC_CONFLICT_PINNED,      /* ruled out by a pin */
	HPC_CONFLICT_LOCKED,      /* an installed package that may not change */
	HPC_CONFLICT_OTHER,       /* anything else libsolv reports (text says what) */
};

struct hpc_pnode {
	enum hpc_pnode_kind kind;
	char *name;                /* package name */
	char *spec;                /* REQUEST, PIN: the spec */
	char *origin;              /* REQUEST, PIN: where it came from, or NULL */
	struct hpc_strv specs;     /* DEPENDENCY, MISSING, VIRTUAL: the distinct specs */
	struct hpc_strv versions;  /* PACKAGES, INSTALLED, SEE_ABOVE: distinct, ascending */
	size_t nbuilds;            /* PACKAGES, INSTALLED: how many packages */
	struct hpc_strv build_strings; /* PACKAGES, INSTALLED, SEE_ABOVE: distinct builds */
	struct hpc_strv channels;  /* PACKAGES: channel URLs; MISSING: channels searched */
	struct hpc_strv needed_by; /* DEPENDENCY, CONFLICT: versions of the parent that this
				    * applies to, when not all of them (else empty) */
	size_t needed_by_builds;   /* how many of the parent's packages, 0 when all */
	char *available;           /* MISSING: what the channels have of the name, or NULL */
	char *system;              /* VIRTUAL: the system's version, or NULL when it has none */
	char *override;            /* VIRTUAL: the CONDA_OVERRIDE_* variable, or NULL */
	enum hpc_conflict reason;  /* CONFLICT */
	char *with;                /* CONFLICT: the other side ("python 3.10.0 - 3.10.14"),
				    * or NULL */
	char *text;                /* CONFLICT: the explanation ("only one python can be
				    * installed"); REQUEST, PIN: a note, or NULL */
	struct hpc_pnode **kids;
	size_t nkids;
};

struct hpc_problem {
	char *summary;             /* one line, e.g. "cannot install pytorch[build=*cpu*]" */
	struct hpc_pnode **roots;
	size_t nroots;
	struct hpc_strv relax;     /* "spec (origin)" of the specs and pins involved */
};

struct hpc_problems {
	struct hpc_problem *v;
	size_t n;
};

void hpc_problems_free(struct hpc_problems *pb);

/* A new node of a kind (for builders); add it to a parent with hpc_pnode_add. */
struct hpc_pnode *hpc_pnode_new(enum hpc_pnode_kind kind);
void hpc_pnode_free(struct hpc_pnode *n);
void hpc_pnode_add(struct hpc_pnode *parent, struct hpc_pnode *kid);
const char *hpc_pnode_kind_name(enum hpc_pnode_kind kind);
const char *hpc_conflict_name(enum hpc_conflict reason);

/* "3.9.0 - 3.9.19" (a range when more than one version; versions are ascending). Caller
 * frees. */
char *hpc_versions_range(const struct hpc_strv *versions);
/* A channel URL as people write it: https://conda.anaconda.org/conda-forge ->
 * "conda-forge", https://repo.anaconda.com/pkgs/main -> "pkgs/main"; others unchanged.
 * Caller frees. */
char *hpc_channel_short(const char *url);

enum {
	HPC_RENDER_ASCII = 1 << 0, /* draw the tree with |- and `- instead of box drawing */
};

/* The problems as text: one block per problem (summary, tree, what to relax), lines
 * ending in '\n'. Caller frees. */
char *hpc_problems_render_text(const struct hpc_problems *pb, unsigned flags);

/* As JSON: {"problems": [{"summary", "relax": [...], "tree": [node...]}]}, each node
 * {"kind", ... its fields ..., "children": [...]}. New reference. */
struct json_t *hpc_problems_to_json(const struct hpc_problems *pb);
/* Read that JSON back; HPC_E_PARSE naming what is wrong. */
int hpc_problems_from_json(struct json_t *json, struct hpc_problems **out,
			   struct hpc_error **err);

#endif
