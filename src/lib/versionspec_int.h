/* SPDX-License-Identifier: MIT */
/* versionspec_int.h - version constraints inside a MatchSpec, with errors located in the spec */
#ifndef HPCENV_VERSIONSPEC_INT_H
#define HPCENV_VERSIONSPEC_INT_H

#include <stddef.h>

#include "hpcenv/versionspec.h"

/* Where a parse failed: why (owned, free it) and the 0-based offset in the text parsed. */
struct hpc_spec_fault {
	char *why;
	size_t col;
};

/* Parse s[0..len). On failure returns NULL and fills *fault. */
struct hpc_versionspec *hpc_versionspec_parse_n(const char *s, size_t len,
						struct hpc_spec_fault *fault);

#endif
