/* SPDX-License-Identifier: MIT */
/* version_int.h - version parsing for the spec parsers, which report errors themselves */
#ifndef HPCENV_VERSION_INT_H
#define HPCENV_VERSION_INT_H

#include "hpcenv/version.h"

/* Parse s[0..len) into v. On failure returns -1, leaves v empty and sets *why to a
 * static description and *col to the 0-based offset of the offending character in s. */
int hpc_version_parse_n(struct hpc_version *v, const char *s, size_t len, const char **why,
			size_t *col);

#endif
