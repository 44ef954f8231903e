/* SPDX-License-Identifier: MIT */
/* envfile.h - specs from files: conda's plain spec lists (`--file specs.txt`) and
 * environment.yml (CEP-24: name, channels, dependencies, prefix, variables)
 *
 *   # specs.txt: one spec a line       name: pangeo
 *   numpy >=1.26   # comments too       channels: [conda-forge, nodefaults]
 *   python=3.12                         dependencies:
 *                                         - python=3.12
 *                                         - pip
 *                                         - pip:            <- kept, but hpcenv does not
 *                                           - somepkg          install PyPI packages
 *
 * Every spec is checked when read; errors say FILE:LINE:COL. An @EXPLICIT file (a list of
 * package URLs, not specs) is refused with a pointer to what reads it.
 */
#ifndef HPCENV_ENVFILE_H
#define HPCENV_ENVFILE_H

#include <stddef.h>

#include "util.h"

struct hpc_error;
struct hpc_request;

struct hpc_envfile {
	char *path;                /* as given */
	char *name;                /* environment.yml "name", or NULL */
	char *prefix;              /* "prefix", or NULL */
	struct hpc_strv channels;  /* "channels", in order */
	struct hpc_strv specs;     /* conda specs, as written */
	struct hpc_strv origins;   /* "FILE:LINE" of each spec */
	struct hpc_strv variables; /* "variables" as NAME, VALUE, NAME, VALUE ... */
	struct hpc_strv pip;       /* the entries of a pip: section */
	char *pip_origin;          /* "FILE:LINE:COL" of the pip: key, or NULL */
	struct hpc_strv unknown;   /* "FILE:LINE:COL: key" of keys conda does not read */
};

void hpc_envfile_init(struct hpc_envfile *ef);
void hpc_envfile_fini(struct hpc_envfile *ef);

/* Read path: environment.yml when it ends in .yml or .yaml, else a plain spec list.
 * HPC_E_PARSE (YAML or structure, FILE:LINE:COL), HPC_E_SPEC (a bad spec, FILE:LINE:COL),
 * HPC_E_USAGE (an @EXPLICIT file), HPC_E_NOTFOUND or HPC_E_IO reading it. *ef is
 * initialised first. */
int hpc_envfile_read(const char *path, struct hpc_envfile *ef, struct hpc_error **err);
/* The same from text; path names the source in messages. */
int hpc_envfile_parse_plain(const char *path, const char *text, size_t len,
			    struct hpc_envfile *ef, struct hpc_error **err);
int hpc_envfile_parse_yaml(const char *path, const char *text, size_t len,
			   struct hpc_envfile *ef, struct hpc_error **err);

/* Add the specs to rq as install jobs (their origins attached). A pip: section fails with
 * HPC_E_UNSUPPORTED naming where it is and what it lists; nothing is added then. */
int hpc_envfile_to_request(const struct hpc_envfile *ef, struct hpc_request *rq,
			   struct hpc_error **err);

#endif
