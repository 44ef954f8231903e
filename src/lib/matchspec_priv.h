/* SPDX-License-Identifier: MIT */
/* matchspec_priv.h - what matchspec.c (parsing, text) and matchspec_match.c (compiled
 * matchers) share */
#ifndef HPCENV_MATCHSPEC_PRIV_H
#define HPCENV_MATCHSPEC_PRIV_H

#include <regex.h>

#include "matchspec_int.h"
#include "versionspec_int.h"

/* The keys of a spec, in conda's FIELD_NAMES order (the order of the canonical text). */
enum hpc_ms_key {
	HPC_MSK_CHANNEL, HPC_MSK_SUBDIR, HPC_MSK_NAME, HPC_MSK_VERSION, HPC_MSK_BUILD,
	HPC_MSK_BUILD_NUMBER, HPC_MSK_TRACK_FEATURES, HPC_MSK_FEATURES, HPC_MSK_URL,
	HPC_MSK_MD5, HPC_MSK_SHA256, HPC_MSK_LICENSE, HPC_MSK_LICENSE_FAMILY, HPC_MSK_FN,
	HPC_MSK__COUNT
};
extern const char *const hpc_ms_key_names[HPC_MSK__COUNT];

/* A value taken from the spec text, and where each of its characters came from. */
struct hpc_ms_part {
	char *text;
	size_t *map; /* map[i] = offset in the spec of text[i]; map[strlen(text)] = after */
};

/* Exact text, glob ('*' only) or ^regex$. */
struct hpc_strmatch {
	enum { HPC_SM_NONE, HPC_SM_EXACT, HPC_SM_GLOB, HPC_SM_REGEX } kind;
	bool icase;
	const char *text; /* borrowed from the spec */
	regex_t re;
};

struct hpc_matchspec_priv {
	struct hpc_strmatch name, build, license, license_family, channel;
	bool bn_any;
	long bn_exact;                   /* -1 unless build_number is a plain number */
	struct hpc_versionspec *bn_spec; /* build_number with an operator or a regex */
	struct hpc_strv track_features, features; /* sorted sets */
	unsigned fields;                 /* HPC_MSF_* */
};

/* Fill ms from parsed parts (taking nothing from them). On failure returns -1 with
 * *fault set (its column in the spec text). */
int hpc_ms_compile(struct hpc_matchspec *ms, struct hpc_ms_part *parts,
		   struct hpc_spec_fault *fault);
void hpc_ms_priv_free(struct hpc_matchspec_priv *p);

#endif
