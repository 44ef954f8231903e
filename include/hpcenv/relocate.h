/* SPDX-License-Identifier: MIT */
/* relocate.h - put the environment's prefix where a package has its build placeholder
 *
 * conda's rules (conda/core/portability.py): in "text" files every occurrence is
 * replaced and the length may change; a shebang naming the placeholder gets the new
 * prefix with spaces escaped, and a shebang that ends up longer than 127 bytes or with
 * escaped spaces becomes "#!/usr/bin/env NAME ARGS" (Linux truncates long shebangs and
 * cannot pass spaces). In "binary" files the placeholder is replaced inside each
 * NUL-terminated string, which is padded with NULs so the file keeps its size; a
 * prefix longer than the placeholder cannot fit and is an error. Only UTF-8/ASCII
 * placeholders are replaced (conda also tries UTF-16/32 encodings).
 */
#ifndef HPCENV_RELOCATE_H
#define HPCENV_RELOCATE_H

#include <stdbool.h>
#include <stddef.h>

struct hpc_error;

#define HPC_MAX_SHEBANG 127

/* Text mode. Returns a new buffer (caller frees) of *out_len bytes (NUL-terminated
 * for convenience), or NULL when nothing changed. */
char *hpc_relocate_text(const char *data, size_t len, const char *placeholder,
			const char *prefix, size_t *out_len);
/* Binary mode, in place. *count (may be NULL) gets the strings changed. Fails
 * HPC_E_LINK, leaving data unchanged, when prefix is longer than placeholder. */
int hpc_relocate_binary(char *data, size_t len, const char *placeholder, const char *prefix,
			size_t *count, struct hpc_error **err);
/* Whether prefix fits in a binary placeholder. */
bool hpc_relocate_fits(const char *placeholder, const char *prefix);
/* Rewrite a first line "#!/long or spaced/path/exe args" as "#!/usr/bin/env exe args"
 * when it is longer than HPC_MAX_SHEBANG bytes or its path has escaped spaces. Returns
 * a new buffer (caller frees) or NULL when nothing changed. */
char *hpc_relocate_shebang(const char *data, size_t len, size_t *out_len);

#endif
