/* SPDX-License-Identifier: MIT */
/* envexport.h - describe an environment so that it can be made again
 *
 * Two forms:
 *  - conda's environment.yml (`conda env export`): name, channels, dependencies, prefix.
 *    The dependencies are the installed packages as name=version=build (name=version with
 *    no_builds), sorted by name; or, from_history, the specs the user asked for as
 *    conda-meta/history recorded them (later specs for a name replace earlier ones, removed
 *    names go). The channels are those of the installed packages (conda's canonical names,
 *    e.g. "conda-forge", or their URLs), in front of the configured ones, as conda does.
 *  - an @EXPLICIT list (`conda list --explicit`): every package's URL in dependency order,
 *    with its #md5 or #sha256:, which `create --file` installs exactly.
 */
#ifndef HPCENV_ENVEXPORT_H
#define HPCENV_ENVEXPORT_H

#include <stdbool.h>

#include "condameta.h"
#include "util.h"

struct hpc_error;

struct hpc_envexport_options {
	const char *name;                /* the environment's name ("name:"), or NULL */
	const struct hpc_strv *channels; /* configured channels, highest priority first, or NULL */
	bool from_history;               /* the requested specs instead of the packages */
	bool no_builds;                  /* name=version */
};

struct hpc_envexport {
	char *name;                      /* or NULL */
	char *prefix;
	struct hpc_strv channels;
	struct hpc_strv dependencies;
};

/* Read prefix (conda-meta records or history). Errors: conda-meta/history parse errors. */
int hpc_envexport_read(struct hpc_envexport *x, const char *prefix,
		       const struct hpc_envexport_options *o, struct hpc_error **err);
void hpc_envexport_fini(struct hpc_envexport *x);
/* As environment.yml text. Caller frees. */
char *hpc_envexport_yaml(const struct hpc_envexport *x);

enum hpc_explicit_hash {
	HPC_EXPLICIT_NO_HASH,
	HPC_EXPLICIT_MD5,                /* "#<md5>", conda list --explicit --md5 */
	HPC_EXPLICIT_SHA256,             /* "#sha256:<hex>", conda list --explicit --sha256 */
	HPC_EXPLICIT_BEST,               /* sha256 where known, else md5 */
};

/* An @EXPLICIT list of m's records (dependencies first), "# platform:" the records' own
 * (platform when they are all noarch). Caller frees. */
char *hpc_envexport_explicit(const struct hpc_condameta *m, const char *platform,
			     enum hpc_explicit_hash hash);

#endif
