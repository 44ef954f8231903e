/* SPDX-License-Identifier: MIT */
/* txnui.h - what commands that change environments share (create, remove; install and
 * update later): the package cache and transaction options from the configuration, the
 * plan on the terminal or in --json, and the question before anything changes. */
#ifndef HPCENV_TXNUI_H
#define HPCENV_TXNUI_H

#include "cli.h"

/* The pkgs_dirs of the configuration, with lock_timeout and extract_threads. */
int hpc_ui_cache_open(struct hpc_session *s, struct hpc_cache **out, struct hpc_error **err);
/* Transaction options for s->prefix from the configuration (always_copy, threads, lock
 * timeout, root prefix, this command line for the history). Returns the buffer o->cmd
 * points to: the caller frees it. */
char *hpc_ui_txn_options(struct hpc_session *s, struct hpc_cache *cache,
			 struct hpc_txn_options *o);
/* conda's "## Package Plan ##" on stdout (text mode only). */
void hpc_ui_show_plan(struct hpc_session *s, const struct hpc_txn_plan *plan,
		      const struct hpc_strv *specs);
/* {"prefix": ..., "actions": {"LINK": [...], "UNLINK": [...]}} */
json_t *hpc_ui_plan_json(const char *prefix, const struct hpc_txn_plan *plan);
/* After showing a plan: 1 go on, 0 stop here (dry run), or an error when the user (or a
 * non-interactive stdin without -y) declines. */
int hpc_ui_confirm(struct hpc_session *s, bool dry_run, struct hpc_error **err);
/* Remove the whole environment s->prefix after showing it and asking (remove.c; also
 * what `env remove` does). Refuses the base and the active environment. */
int hpc_cli_remove_env(struct hpc_session *s, bool dry_run, struct hpc_error **err);
/* The environment's name for messages: -n NAME, else its path. */
const char *hpc_ui_env_label(const struct hpc_session *s);

#endif
