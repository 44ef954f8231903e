/* SPDX-License-Identifier: MIT */
/* matchspec.h - package match specifications (CEP-29, conda's MatchSpec)
 *
 *   numpy                       any numpy           numpy 1.2.*  numpy=1.2  1.2, 1.2.x
 *   numpy==1.2  numpy 1.2       exactly 1.2         numpy>=1,<2  numpy 1.2|1.4  numpy ~=1.2
 *   numpy=1.2=py39_0            1.2, build py39_0   numpy 1.2 *openblas   build glob
 *   conda-forge::numpy          from that channel   conda-forge/linux-64::numpy
 *   numpy[version='>=1', build=..., build_number=..., md5=..., sha256=..., subdir=...,
 *         channel=..., track_features=..., features=..., license=..., license_family=...,
 *         url=..., fn=...]     (values quoted with ' or " or bare; ',' or ' ' between)
 *   *[md5=...]                  any name            mkl@  a feature: *[track_features=mkl]
 *   https://.../linux-64/numpy-1.2-py39_0.tar.bz2   a package file (URL or path)
 *
 * Keys inside brackets win over the same part outside them (the name excepted). The
 * version part follows versionspec.h; "name=1.2" is fuzzy (1.2.*), "name==1.2" and
 * "name 1.2" exact. Names, build strings and licenses may be globs ('*') or regexes
 * (^...$); the name and license compare case-insensitively.
 *
 * Channels are kept as written (a name, a URL or a path), without the subdir; mapping a
 * name to URLs (channel_alias, custom_channels, defaults) is the caller's: see
 * struct hpc_channel_resolver. Without one, a name matches a channel URL whose path ends
 * with it ("conda-forge" matches https://conda.anaconda.org/conda-forge), a URL matches
 * itself, and a glob matches the URL or any '/'-separated tail of it.
 */
#ifndef HPCENV_MATCHSPEC_H
#define HPCENV_MATCHSPEC_H

#include <stdbool.h>

#include "util.h"
#include "versionspec.h"

struct hpc_error;
struct hpc_record;
struct hpc_matchspec_priv;

struct hpc_matchspec {
	char *name;           /* lower-case; "*" matches every name; may be a glob or regex */
	char *channel;        /* channel name, URL or path without trailing '/', or NULL */
	char *subdir;         /* e.g. "linux-64", or NULL */
	char *version;        /* canonical version spec (hpc_versionspec_str), or NULL */
	char *build;          /* build string, glob or regex, or NULL */
	char *build_number;   /* "3", ">=2", ..., or NULL */
	char *track_features; /* sorted, space-separated set (must equal the record's), or NULL */
	char *features;       /* likewise, for the legacy "features" key */
	char *md5, *sha256, *url, *fn; /* exact values, or NULL */
	char *license, *license_family; /* case-insensitive text or glob, or NULL */
	struct hpc_versionspec *vspec; /* compiled version, NULL when any version matches */
	struct hpc_matchspec_priv *priv; /* compiled matchers */
};

/* Parse a spec. On failure returns NULL with HPC_E_SPEC "invalid spec 'SPEC': WHY at
 * column N" (N 1-based, pointing at the offending character). Free with
 * hpc_matchspec_free. */
struct hpc_matchspec *hpc_matchspec_parse(const char *spec, struct hpc_error **err);
void hpc_matchspec_free(struct hpc_matchspec *ms);

/* conda's canonical text (str(MatchSpec)), e.g. "conda-forge/linux-64::numpy==1.2=py39_0",
 * "numpy[version='>=1.2,<2',build=*mkl*]". Parsing it again gives the same spec.
 * Caller frees. */
char *hpc_matchspec_str(const struct hpc_matchspec *ms);

/* True when the name has no glob or regex (the solver can index by it). */
bool hpc_matchspec_name_is_exact(const struct hpc_matchspec *ms);
/* True for a bare name ("numpy"): nothing but an exact name. */
bool hpc_matchspec_is_name_only(const struct hpc_matchspec *ms);

/* How channel names in specs map to channel URLs (the channels noun provides one). */
struct hpc_channel_resolver {
	/* Append to urls the base URLs (no subdir, no trailing '/') that name stands for
	 * ("conda-forge", "defaults", "pkgs/main", a URL or a path). 0 or -HPC_E_*. */
	int (*resolve)(void *ud, const char *name, struct hpc_strv *urls,
		       struct hpc_error **err);
	void *ud;
};

/* Does the record match every part of the spec? The record's channel is its channel URL
 * (or name) without the subdir; the built-in channel rule above is used. */
bool hpc_matchspec_match(const struct hpc_matchspec *ms, const struct hpc_record *r);

/* The channel part alone, against a channel URL (no subdir). urls, when not NULL, are the
 * spec channel's URLs as a resolver gave them; they replace the built-in rule. True when
 * the spec names no channel. */
bool hpc_matchspec_match_channel(const struct hpc_matchspec *ms, const char *channel_url,
				 const struct hpc_strv *urls);

#endif
