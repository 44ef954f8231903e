/* SPDX-License-Identifier: MIT */
/* config.h - conda-compatible configuration: .condarc files, CONDA_* / HPCENV_* variables
 *
 * Sources are read in conda's order (system files, root prefix, user files, the active
 * env, $CONDARC, then $HPCENV_RC), then environment variables, then command-line
 * overrides. Later sources win for scalars; lists are merged with the higher-priority
 * source's items first and duplicates dropped (conda's SequenceParameter); maps are
 * merged key by key, the higher-priority source winning.
 */
#ifndef HPCENV_CONFIG_H
#define HPCENV_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "events.h"
#include "util.h"

struct hpc_error;

enum hpc_cfg_type {
	HPC_CFG_BOOL,
	HPC_CFG_INT,
	HPC_CFG_FLOAT,
	HPC_CFG_STR,
	HPC_CFG_PATH,        /* string, ~ and $VARS expanded */
	HPC_CFG_ENUM,        /* one of key->choices */
	HPC_CFG_BOOL_OR_STR, /* ssl_verify: true/false or a CA bundle path */
	HPC_CFG_LIST,        /* sequence of strings */
	HPC_CFG_PATH_LIST,   /* sequence of paths, expanded */
	HPC_CFG_MAP,         /* mapping string -> string */
};

struct hpc_config_key {
	const char *name;
	enum hpc_cfg_type type;
	const char *def;             /* default as text; NULL = unset (lists: "a,b") */
	const char *const *choices;  /* HPC_CFG_ENUM only, NULL-terminated */
	const char *help;
};

enum hpc_config_source_kind {
	HPC_CFG_SRC_FILE,
	HPC_CFG_SRC_ENV,
	HPC_CFG_SRC_CMDLINE,
	HPC_CFG_SRC_DEFAULT,
};

struct hpc_config;

/* A new, empty configuration (only defaults). Free with hpc_config_free. */
struct hpc_config *hpc_config_new(void);
void hpc_config_free(struct hpc_config *cfg);

/* The rc files conda would read, in order, for the given root prefix (NULL: the
 * configured one). Only existing files are returned; condarc.d/ directories are
 * expanded to their *.yml / *.yaml files in name order. */
void hpc_config_search_path(const struct hpc_config *cfg, struct hpc_strv *out);

/* Read every file of hpc_config_search_path, then CONDA_* and HPCENV_* variables
 * from envp (NULL: environ). Unknown keys are reported as warnings through ev.
 * Malformed files fail with "FILE:LINE:COL: what". */
int hpc_config_load_default(struct hpc_config *cfg, char **envp, const struct hpc_events *ev,
			    struct hpc_error **err);
/* Read one rc file as the next (highest so far) file source. */
int hpc_config_load_file(struct hpc_config *cfg, const char *path, const struct hpc_events *ev,
			 struct hpc_error **err);
/* Same, from a string; name is used in messages. */
int hpc_config_load_string(struct hpc_config *cfg, const char *name, const char *yaml,
			   size_t len, const struct hpc_events *ev, struct hpc_error **err);
/* Read CONDA_<KEY> then HPCENV_<KEY> variables (lists and maps comma-separated,
 * maps as k=v). */
int hpc_config_load_env(struct hpc_config *cfg, char **envp, const struct hpc_events *ev,
			struct hpc_error **err);
/* Command-line override, highest priority. value is parsed per the key's type; for
 * lists, each call appends one item. */
int hpc_config_set(struct hpc_config *cfg, const char *key, const char *value,
		   struct hpc_error **err);

/* Merged values. Getters for a key of another type, or an unknown key, are bugs
 * and return the zero value. */
bool hpc_config_is_set(const struct hpc_config *cfg, const char *key);
bool hpc_config_get_bool(const struct hpc_config *cfg, const char *key);
long hpc_config_get_int(const struct hpc_config *cfg, const char *key);
double hpc_config_get_float(const struct hpc_config *cfg, const char *key);
/* Scalar as text (BOOL as "true"/"false"); NULL when unset. Borrowed. */
const char *hpc_config_get_str(const struct hpc_config *cfg, const char *key);
/* LIST/PATH_LIST items, or MAP as k0,v0,k1,v1...; never NULL. Borrowed. */
const struct hpc_strv *hpc_config_get_list(const struct hpc_config *cfg, const char *key);
const char *hpc_config_map_get(const struct hpc_config *cfg, const char *key, const char *mkey);
/* Name of the source that set the merged value ("default" when none did). */
const char *hpc_config_origin(const struct hpc_config *cfg, const char *key);

/* The key table. */
size_t hpc_config_nkeys(void);
const struct hpc_config_key *hpc_config_key_at(size_t i);
const struct hpc_config_key *hpc_config_key_find(const char *name);

/* Sources in priority order (lowest first), and what each set. */
size_t hpc_config_nsources(const struct hpc_config *cfg);
const char *hpc_config_source_name(const struct hpc_config *cfg, size_t i);
enum hpc_config_source_kind hpc_config_source_kind(const struct hpc_config *cfg, size_t i);
/* Keys set by source i, in the order they appeared. */
void hpc_config_source_keys(const struct hpc_config *cfg, size_t i, struct hpc_strv *out);
/* Raw value a source gave a key: scalar text, or items/pairs in *list. Returns false
 * when that source did not set the key. */
bool hpc_config_source_value(const struct hpc_config *cfg, size_t i, const char *key,
			     const char **scalar, const struct hpc_strv **list);

/* Root prefix (default ~/.hpcenv, else root_prefix / HPCENV_ROOT_PREFIX / --root-prefix):
 * holds pkgs/ and envs/. Borrowed, always absolute. */
const char *hpc_config_root_prefix(const struct hpc_config *cfg);

#endif
