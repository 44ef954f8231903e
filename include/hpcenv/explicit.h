/* SPDX-License-Identifier: MIT */
/* explicit.h - @EXPLICIT package lists (conda list --explicit, conda-lock's *.lock)
 *
 * After the "@EXPLICIT" line every non-comment line names one package file: a URL
 * (https://..., file:///...) or a local path, optionally followed by "#<md5>",
 * "#sha256:<hex>" or "#<sha256 hex>", as conda accepts them. Name, version and build
 * come from the file name; channel and subdir from the URL's directories. Relative paths
 * are taken from the current directory, as conda does. "# platform: SUBDIR" in the
 * header is kept.
 */
#ifndef HPCENV_EXPLICIT_H
#define HPCENV_EXPLICIT_H

#include <stddef.h>

#include "record.h"

struct hpc_error;

struct hpc_explicit_entry {
	struct hpc_record rec; /* name, version, build, fn, url, channel, subdir, md5/sha256 */
	char *path;            /* the local file for file:// URLs and paths, else NULL */
	int line;
};

struct hpc_explicit {
	struct hpc_explicit_entry *entries;
	size_t n;
	char *platform;        /* "# platform: ..." or NULL */
};

/* Parse a list; where names it in errors ("env.txt:12: ..."). A text without the
 * @EXPLICIT marker fails HPC_E_PARSE (it is a list of specs, for the solver). */
int hpc_explicit_parse(struct hpc_explicit *ex, const char *text, const char *where,
		       struct hpc_error **err);
int hpc_explicit_load(struct hpc_explicit *ex, const char *path, struct hpc_error **err);
void hpc_explicit_fini(struct hpc_explicit *ex);

/* A record from a package URL or path ("…/conda-forge/linux-64/zlib-1.3-h0_1.conda"),
 * without checksum fragment. HPC_E_PARSE when the file name is not name-version-build
 * with .conda or .tar.bz2. */
int hpc_record_from_url(struct hpc_record *r, const char *url, struct hpc_error **err);
/* The local path of a file:// URL (percent-decoded) or of a plain path; NULL for
 * other schemes. Caller frees. */
char *hpc_url_local_path(const char *url);

#endif
