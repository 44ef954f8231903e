/* SPDX-License-Identifier: MIT */
/* matchspec_int.h - matching a spec against package attributes from any source (a record,
 * a libsolv solvable), fetching only what the spec looks at */
#ifndef HPCENV_MATCHSPEC_INT_H
#define HPCENV_MATCHSPEC_INT_H

#include "hpcenv/matchspec.h"
#include "hpcenv/version.h"

/* The attributes a spec constrains (hpc_matchspec_fields). */
enum {
	HPC_MSF_NAME = 1 << 0,
	HPC_MSF_VERSION = 1 << 1,
	HPC_MSF_BUILD = 1 << 2,
	HPC_MSF_BUILD_NUMBER = 1 << 3,
	HPC_MSF_SUBDIR = 1 << 4,
	HPC_MSF_TRACK_FEATURES = 1 << 5,
	HPC_MSF_FEATURES = 1 << 6,
	HPC_MSF_MD5 = 1 << 7,
	HPC_MSF_SHA256 = 1 << 8,
	HPC_MSF_URL = 1 << 9,
	HPC_MSF_FN = 1 << 10,
	HPC_MSF_LICENSE = 1 << 11,
	HPC_MSF_LICENSE_FAMILY = 1 << 12,
	HPC_MSF_CHANNEL = 1 << 13,
};

/* One package seen by the matcher. Strings may be NULL (absent: only a spec that does not
 * look at them matches). */
struct hpc_pkgview {
	const char *name, *version, *build, *subdir, *md5, *sha256, *url, *fn;
	const char *license, *license_family;
	long build_number;                /* -1 when unknown */
	const struct hpc_version *parsed; /* version parsed, or NULL when invalid */
	bool parsed_known;                /* parsed is meaningful (else parse on demand) */
	const char *const *track_features; /* the set, any order, duplicates allowed */
	size_t ntrack_features;
	const char *const *features;
	size_t nfeatures;
};

/* HPC_MSF_* bits of the attributes ms constrains. */
unsigned hpc_matchspec_fields(const struct hpc_matchspec *ms);

/* Everything but the channel. */
bool hpc_matchspec_match_view(const struct hpc_matchspec *ms, const struct hpc_pkgview *pv);

/* The name part alone. */
bool hpc_matchspec_match_name(const struct hpc_matchspec *ms, const char *name);

#endif
