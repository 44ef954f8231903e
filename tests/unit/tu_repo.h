/* SPDX-License-Identifier: MIT */
/* tu_repo.h - test helpers around a libsolv pool: repodata loaded with repo_add_conda (the
 * pool loader's job in the product; here only for tests), virtual packages of a fixed
 * machine, records read back from solvables, and short solves */
#ifndef HPCENV_TU_REPO_H
#define HPCENV_TU_REPO_H

#include <jansson.h>
#include <solv/pool.h>
#include <solv/repo.h>

#include <hpcenv.h>

/* A conda pool with hpc_select attached (tu_pool_free detaches it). */
Pool *tu_pool_new(void);
void tu_pool_free(Pool *pool);
/* Repodata from a file under shared/data, from text, or from a JSON object, as a repo
 * named url (a channel subdir URL) with a channel priority. */
Repo *tu_repo_file(Pool *pool, const char *shared_rel, const char *url, int priority);
Repo *tu_repo_text(Pool *pool, const char *json, const char *url, int priority);
Repo *tu_repo_json(Pool *pool, json_t *repodata, const char *url, int priority);
/* Make repo the installed one and give its solvables SOLVABLE_URL = base/fn. */
void tu_set_installed(Pool *pool, Repo *repo);
/* Virtual packages as hpc_pool_add_virtual adds them (the same records, a repo "@" above
 * the channels), for pools built by hand. */
void tu_repo_virtual(Pool *pool, const struct hpc_vpkgs *vp);
/* The virtual packages of a linux-64 x86_64 machine with this glibc (NULL: none) and
 * CUDA (NULL: none), added with tu_repo_virtual. */
void tu_virtual(Pool *pool, const char *glibc, const char *cuda);
/* A channel of stand-ins for every dependency no repo of pool provides (as the stub
 * records of shared/tools/scale-repodata): per distinct spec one record without
 * dependencies at the first version the spec names and with the build it asks for.
 * Added as a repo named url; returns how many. */
int tu_stub_missing(Pool *pool, const char *url);
/* A record from what the solvable holds (for hpc_record_source). */
int tu_record(void *ud, Pool *pool, Id p, struct hpc_record *r, struct hpc_error **err);
/* "name version build" of each id, one a line, in the queue's order. */
char *tu_ids_str(Pool *pool, const Queue *ids);
/* Same, sorted by name. */
char *tu_ids_sorted(Pool *pool, const Queue *ids);
/* Solve ;-separated install specs; returns the code, fills what is asked. */
int tu_solve(Pool *pool, const char *specs, enum hpc_channel_priority prio, double timeout,
	     struct hpc_solution **sol, struct hpc_problems **pb, struct hpc_error **err);

#endif
