/* SPDX-License-Identifier: MIT */
/* txnui.h - what commands that change environments share (create, install, update,
 * remove, env remove): the package cache and transaction options from the configuration,
 * the transaction on the terminal or in --json, the question before anything changes
 * (txnui.c), and the solve-show-ask-apply sequence of the solving commands (solveui.c). */
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
/* How a package changes in a plan (a name both unlinked and linked is one change). */
enum hpc_ui_change_kind {
	HPC_UI_INSTALL, HPC_UI_REMOVE, HPC_UI_UPGRADE, HPC_UI_DOWNGRADE, HPC_UI_CHANGE,
	HPC_UI_REINSTALL,
};

/* The transaction as micromamba shows it, on stdout (text mode only): the specs, a table
 * of packages (name, version, build, channel, size; "Cached" when the cache has it
 * extracted) grouped by install/remove/upgrade/downgrade/change/reinstall, the counts
 * and the total download. cache may be NULL. */
void hpc_ui_show_plan(struct hpc_session *s, const struct hpc_txn_plan *plan,
		      const struct hpc_strv *specs, bool removing, struct hpc_cache *cache);
/* conda's shape: {"prefix", "actions": {"PREFIX", "LINK", "UNLINK", "FETCH"}}, records
 * with name, version, build, build_number, channel, subdir, fn, url, sha256/md5, size;
 * FETCH: the LINK records the cache does not have extracted. */
json_t *hpc_ui_plan_json(const char *prefix, const struct hpc_txn_plan *plan,
			 struct hpc_cache *cache);
/* Open a transaction on s->prefix (create: a new environment; -n spreads its directory
 * over ext4 block groups). Packages for another platform than this machine's run no
 * scripts. The caller frees *cmd after hpc_txn_free. */
int hpc_ui_txn_open(struct hpc_session *s, struct hpc_cache *cache, bool create,
		    const char *platform, struct hpc_txn **t, char **cmd, struct hpc_error **err);
/* True when platform (NULL: configuration's subdir, else this machine's) is this
 * machine's or noarch. */
bool hpc_ui_native(struct hpc_session *s, const char *platform);
/* After a new environment is in place: register it, say how to activate it. */
void hpc_ui_created(struct hpc_session *s);

/* ---- solveui.c: the solver-driven commands (create SPEC, install, update, remove) ---- */

/* Options create, install and update share; a command's context starts with this struct,
 * named so, and its option table lists HPC_UI_SOLVE_OPTS(its struct). */
struct hpc_ui_solve {
	const char *platform, *priority, *timeout;
	bool dry_run, no_deps, copy;
};

#define HPC_UI_SOLVE_OPTS(T)                                                                   \
	HPC_OPT_STR(0, "platform", T, so.platform, "SUBDIR",                                   \
		    "solve and install for another platform (no link scripts run)"),           \
	HPC_OPT_STR(0, "channel-priority", T, so.priority, "PRIORITY",                          \
		    "strict, flexible or disabled (channel_priority) for this command"),           \
	HPC_OPT_STR(0, "solver-timeout", T, so.timeout, "SECONDS",                             \
		    "stop a solve that takes longer (solver_timeout; 0: no limit)"),           \
	HPC_OPT_BOOL(0, "dry-run", T, so.dry_run, "solve and show the transaction, change nothing"), \
	HPC_OPT_BOOL(0, "no-deps", T, so.no_deps, "install only the requested packages"),      \
	HPC_OPT_BOOL(0, "copy", T, so.copy, "copy files instead of hardlinking them (always_copy)")

/* Solve o (kind, specs, file...; prefix, platform, channels and no_deps are filled in from
 * s and so), show the transaction, ask, apply. An unsolvable request prints the problems
 * (stderr, or inside the --json error document) and fails with HPC_E_SOLVE. */
int hpc_ui_solve_apply(struct hpc_session *s, const struct hpc_ui_solve *so,
		       struct hpc_envsolve_options *o, struct hpc_error **err);
/* After showing a plan: 1 go on, 0 stop here (dry run), or an error when the user (or a
 * non-interactive stdin without -y) declines. */
int hpc_ui_confirm(struct hpc_session *s, bool dry_run, struct hpc_error **err);
/* Remove the whole environment s->prefix after showing it and asking (remove.c; also
 * what `env remove` does). Refuses the base and the active environment. */
int hpc_cli_remove_env(struct hpc_session *s, bool dry_run, struct hpc_error **err);
/* The environment's name for messages: -n NAME, else its path. */
const char *hpc_ui_env_label(const struct hpc_session *s);

#endif
