/* SPDX-License-Identifier: MIT */
/* record.h - one package record: what the resolver picks and the installer needs
 *
 * The interchange between repodata, the solver, the package cache and conda-meta. Its
 * JSON form is conda's repodata_record.json (the record as in repodata.json plus
 * channel, url, fn and subdir), so hpcenv, conda and micromamba read each other's files.
 */
#ifndef HPCENV_RECORD_H
#define HPCENV_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

struct hpc_error;

struct hpc_record {
	char *name;
	char *version;
	char *build;
	long build_number;
	char *channel;      /* channel URL without subdir, e.g. https://conda.anaconda.org/conda-forge */
	char *subdir;       /* linux-64, noarch, ... */
	char *fn;           /* file name, e.g. zlib-1.2.13-h5eee18b_0.conda */
	char *url;          /* full download URL */
	char *md5;          /* hex, or NULL */
	char *sha256;       /* hex, or NULL */
	uint64_t size;      /* bytes, 0 when unknown */
	uint64_t timestamp; /* milliseconds since the epoch (seconds in old repodata are scaled) */
	char *noarch;       /* "python", "generic" or NULL */
	char *license;
	char *python_site_packages_path; /* python records only (CEP-17), or NULL */
	struct hpc_strv depends;
	struct hpc_strv constrains;
	struct hpc_strv track_features;
	char *extra_json;   /* other keys of the source object, kept verbatim as a JSON
			     * object text (e.g. "features", "arch"), or NULL */
};

void hpc_record_init(struct hpc_record *r);
void hpc_record_fini(struct hpc_record *r);
void hpc_record_copy(struct hpc_record *dst, const struct hpc_record *src);

/* "name-version-build", the dist name used for cache directories and conda-meta. */
char *hpc_record_dist(const struct hpc_record *r);

/* Parse a record from JSON text (repodata_record.json, a conda-meta file, or one
 * repodata.json entry). where names the source in errors ("file.json"). Required: name,
 * version, build. A numeric timestamp below 1e11 is taken as seconds. */
int hpc_record_from_json(struct hpc_record *r, const char *json, size_t len, const char *where,
			 struct hpc_error **err);
/* Serialise as repodata_record.json (sorted keys, 2-space indent). Caller frees. */
char *hpc_record_to_json(const struct hpc_record *r);

#endif
