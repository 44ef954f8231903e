/* SPDX-License-Identifier: MIT */
/* script.h - packages' link scripts, run as conda runs them
 *
 * bin/.<name>-pre-link.sh (run from the extracted package, before its files are
 * linked), bin/.<name>-post-link.sh and bin/.<name>-pre-unlink.sh (from the prefix).
 * They run with bash -x in their own directory, with PREFIX, PKG_NAME, PKG_VERSION,
 * PKG_BUILDNUM, ROOT_PREFIX (and SOURCE_DIR for pre-link) set and the script's
 * directory first on PATH. What a script writes to $PREFIX/.messages.txt is handed
 * back to be shown to the user, and the file is removed.
 */
#ifndef HPCENV_SCRIPT_H
#define HPCENV_SCRIPT_H

#include <stdbool.h>

#include "record.h"

struct hpc_error;

/* The script for action ("pre-link", "post-link", "pre-unlink") under base_dir, or NULL
 * when the package has none. Caller frees. */
char *hpc_script_path(const char *base_dir, const struct hpc_record *rec, const char *action);
/* Run it (nothing to do when there is none). *messages (may be NULL) gets the text of
 * .messages.txt or NULL. Fails HPC_E_LINK with the script's exit status and the end of
 * its output. */
int hpc_script_run(const char *base_dir, const char *prefix, const char *root_prefix,
		   const struct hpc_record *rec, const char *action, char **messages,
		   struct hpc_error **err);

#endif
