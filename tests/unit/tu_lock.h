/* SPDX-License-Identifier: MIT */
/* tu_lock.h - lock files as channels, for checking the solver against solutions others
 * computed: each record a lock lists for a platform becomes a repodata record (name,
 * version, build and subdir from the URL, md5/sha256, and the dependencies the lock keeps),
 * grouped by channel subdir URL. */
#ifndef HPCENV_TU_LOCK_H
#define HPCENV_TU_LOCK_H

#include <jansson.h>

#include <hpcenv.h>

/* A YAML file as JSON (mappings, sequences, scalars as strings). */
json_t *tu_yaml_load(const char *path);
/* conda-lock.yml (version 1): {subdir URL: repodata} of the platform's conda records. */
json_t *tu_condalock_channels(json_t *lock, const char *platform);
/* pixi.lock (version 6+): the same for one environment and platform; pypi entries are
 * skipped. */
json_t *tu_pixilock_channels(json_t *lock, const char *env, const char *platform);

#endif
