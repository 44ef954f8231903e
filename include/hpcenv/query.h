/* SPDX-License-Identifier: MIT */
/* query.h - questions about a pool answered without solving: search, depends, whoneeds
 *
 * Answers come from libsolv's whatprovides over a pool made by hpc_pool_open (spec
 * dependencies and virtual packages included), in one of two scopes: the channels'
 * records, or the environment loaded with the pool's prefix. Virtual packages count in
 * both, as what the system provides.
 *
 * "Newest first" orders by version, build number, channel priority (higher first), then
 * timestamp. The "best" record for a dependency is the one a solver would try first
 * without other constraints: the highest channel priority, then fewer track_features,
 * then newest; a record already in the answer that provides the dependency wins over all
 * of them, so that a dependency tree reads as one consistent set.
 */
#ifndef HPCENV_QUERY_H
#define HPCENV_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "channel.h"
#include "matchspec.h"
#include "pool.h"
#include "record.h"

struct hpc_error;

enum hpc_query_scope {
	HPC_QUERY_CHANNELS,  /* the channels' records */
	HPC_QUERY_INSTALLED, /* the environment loaded with hpc_pool_load_prefix */
};

enum {
	HPC_QUERY_RECURSIVE = 1 << 0, /* follow dependencies (dependents) all the way */
	HPC_QUERY_NEWEST = 1 << 1,    /* whoneeds: of the records of one name (roots, or
				       * dependents of one package), only the newest. A
				       * channel holds every version of everything: a
				       * recursive answer over all of them is most of it */
	HPC_QUERY_BRIEF = 1 << 2,     /* records of channel packages hold only what the
				       * pool has at hand (name, version, build,
				       * build_number, channel, subdir, fn, timestamp): no
				       * repodata.json is read (for tables) */
};

struct hpc_query_pkg {
	int solvable;
	struct hpc_record rec;  /* the full record (hpc_pool_record) */
	const char *channel;    /* for display: the channel's name ("conda-forge",
				 * "file:///srv/chan"), "@" for a virtual package, the
				 * record's channel for an installed one; borrowed */
	int depth;              /* graphs: 0 for a root, else the depth it first appears at */
	const char *via;        /* graphs: the dependency it first appeared through (depends:
				 * its parent's requirement; whoneeds: its own requirement on
				 * the parent), NULL for roots; borrowed from the graph */
};

struct hpc_query_pkgs {
	struct hpc_query_pkg *v;
	size_t n;
};

enum hpc_query_mark {
	HPC_QUERY_FIRST,   /* the package's first appearance; its children follow when
			    * the query is recursive (roots: always) */
	HPC_QUERY_SEEN,    /* the package appeared earlier in the graph */
	HPC_QUERY_CYCLE,   /* the package is an ancestor of this node: a dependency cycle */
	HPC_QUERY_MISSING, /* nothing in the scope provides the dependency (pkg is -1) */
};

struct hpc_query_node {
	char *dep;          /* the dependency that links the node to its parent, as libsolv
			     * spells it ("openssl >=3.1.0,<4.0a0"); NULL for a root */
	long pkg;           /* index into the graph's pkgs, -1 when MISSING */
	enum hpc_query_mark mark;
	struct hpc_query_node *kids;
	size_t nkids;
};

struct hpc_query_graph {
	struct hpc_query_pkgs pkgs;   /* every package of the graph once, sorted by name,
				       * newest first */
	struct hpc_query_node *roots;
	size_t nroots;
};

/* The channels a query of ms reads: the command's (hpc_channel_list_resolve: cli, then
 * configuration's unless override), plus the channel the spec names ("conda-forge::x",
 * with its subdir for "conda-forge/osx-arm64::x") when they lack it. With spec_only, a
 * spec's channel replaces them, as conda search does. *out is initialised first. */
int hpc_query_channels(const struct hpc_config *cfg, const struct hpc_matchspec *ms,
		       const struct hpc_strv *cli, bool override, bool spec_only,
		       struct hpc_channel_list *out, struct hpc_error **err);

/* The records in scope that match ms, sorted by name, newest first. flags: only
 * HPC_QUERY_BRIEF. *out is initialised first; free with hpc_query_pkgs_fini. */
int hpc_query_search(struct hpc_pool *p, const struct hpc_matchspec *ms,
		     enum hpc_query_scope scope, unsigned flags, struct hpc_query_pkgs *out,
		     struct hpc_error **err);
void hpc_query_pkgs_fini(struct hpc_query_pkgs *l);

/* What the best record matching ms depends on: one root whose children are its
 * requirements (pip included, as add_pip_as_python_dependency adds it), each resolved to
 * the best record in scope; with HPC_QUERY_RECURSIVE their requirements too, each package
 * expanded once. No root when nothing matches. Free with hpc_query_graph_fini. */
int hpc_query_depends(struct hpc_pool *p, const struct hpc_matchspec *ms,
		      enum hpc_query_scope scope, unsigned flags, struct hpc_query_graph *out,
		      struct hpc_error **err);

/* Who needs the records matching ms: a root per matching record in scope (newest first);
 * each record in scope with requirements on a root's name is a child of the newest root
 * all those requirements accept (so it shows once, under the version it would use), with
 * the most selective of them as its dependency. With HPC_QUERY_RECURSIVE, the children
 * of a child are the records that require it, and so on. */
int hpc_query_whoneeds(struct hpc_pool *p, const struct hpc_matchspec *ms,
		       enum hpc_query_scope scope, unsigned flags, struct hpc_query_graph *out,
		       struct hpc_error **err);
void hpc_query_graph_fini(struct hpc_query_graph *g);

#endif
