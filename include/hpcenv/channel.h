/* SPDX-License-Identifier: MIT */
/* channel.h - conda's channel model: names, URLs, local paths, subdirs, priority
 *
 * A channel string is what a user writes after -c or under `channels:` in .condarc:
 *   conda-forge              a name, prefixed with channel_alias (or a custom_channels entry)
 *   conda-forge/label/dev    a name with a label (still a name)
 *   conda-forge/linux-64     a name pinned to one platform subdir (+ noarch)
 *   defaults                 a multichannel: default_channels (or custom_multichannels)
 *   https://host/path/chan   a URL; user:pass@ and /t/TOKEN/ are kept for fetching only
 *   file:///srv/chan         a local channel
 *   ./chan, ../x, ~/x, /abs  a local path, made into a file:// URL
 * Resolution follows conda (conda/models/channel.py), see docs/repodata.md.
 */
#ifndef HPCENV_CHANNEL_H
#define HPCENV_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "matchspec.h"
#include "util.h"

struct hpc_error;

struct hpc_channel {
	char *name;      /* canonical name for display: "conda-forge", "defaults",
			  * "https://host/path", "file:///srv/chan" (never credentials) */
	char *base_url;  /* channel URL without credentials or trailing '/', e.g.
			  * https://conda.anaconda.org/conda-forge (the record's "channel") */
	char *fetch_url; /* the same with user:pass@ and /t/TOKEN/ when given: use it only
			  * to download, never print or log it (hpc_url_redact) */
	char *platform;  /* subdir named in the string ("conda-forge/linux-aarch64"), or NULL */
	char *source;    /* the string as given, credentials redacted (for messages) */
	bool local;      /* a file:// channel */
};

/* An ordered channel list: index 0 has the highest priority. */
struct hpc_channel_list {
	struct hpc_channel *v;
	size_t n, alloc;
};

enum hpc_channel_priority {
	HPC_PRIORITY_STRICT,   /* a name found in a higher channel hides lower ones */
	HPC_PRIORITY_FLEXIBLE, /* higher channels preferred, lower ones usable */
	HPC_PRIORITY_DISABLED, /* channel order ignored: highest version wins */
};

/* Resolve one channel string and append the channel(s) it names to *out (a
 * multichannel gives several). Fails with HPC_E_CHANNEL quoting the string. */
int hpc_channel_parse(struct hpc_channel_list *out, const struct hpc_config *cfg,
		      const char *spec, struct hpc_error **err);

/* The channels a command uses, highest priority first: the -c channels (cli, in order),
 * then configuration's `channels` unless override is set; duplicates (same base URL and
 * platform) dropped. No channel at all is an HPC_E_CHANNEL error. */
int hpc_channel_list_resolve(struct hpc_channel_list *out, const struct hpc_config *cfg,
			     const struct hpc_strv *cli, bool override, struct hpc_error **err);

/* Append the channels the strings name, after those already in *out, skipping
 * duplicates (a spec's own channel, `conda-forge::numpy`, comes last, as in conda). */
int hpc_channel_list_append(struct hpc_channel_list *out, const struct hpc_config *cfg,
			    const struct hpc_strv *specs, struct hpc_error **err);
void hpc_channel_list_init(struct hpc_channel_list *l);
void hpc_channel_list_fini(struct hpc_channel_list *l);
/* Append a deep copy of ch. */
void hpc_channel_list_push(struct hpc_channel_list *l, const struct hpc_channel *ch);

/* The subdirs to load for a channel on a platform: the channel's own platform if it
 * names one, else `platform`, then "noarch" (once). */
void hpc_channel_subdirs(const struct hpc_channel *ch, const char *platform,
			 struct hpc_strv *out);
/* "<base>/<subdir>" with (fetch_url) or without (base_url) credentials. Caller frees. */
char *hpc_channel_subdir_url(const struct hpc_channel *ch, const char *subdir,
			     bool with_credentials);

/* How "channel::name" specs name channels, per cfg (which must outlive it): a name goes
 * through channel_alias / custom_channels, a multichannel ("defaults") stands for all its
 * channels, URLs and paths for themselves; the URLs are base URLs without credentials,
 * as the pool's repos are named. For hpc_select_attach / hpc_pool_use_matchspecs. */
struct hpc_channel_resolver hpc_channel_resolver_from_config(const struct hpc_config *cfg);

/* Channel priority from configuration (channel_priority). */
enum hpc_channel_priority hpc_channel_priority_get(const struct hpc_config *cfg);
const char *hpc_channel_priority_name(enum hpc_channel_priority p);
/* The target platform subdir: configuration's `subdir`, else the native one. Borrowed. */
const char *hpc_channel_platform(const struct hpc_config *cfg);
/* True for the subdirs conda knows (noarch, linux-64, osx-arm64, ...). */
bool hpc_channel_is_subdir(const char *s, size_t len);

/* A URL fit for messages: the password of user:pass@ and any /t/TOKEN are replaced by
 * "***" and "<TOKEN>". Caller frees. */
char *hpc_url_redact(const char *url);
/* Absolute, normalised path (no symlink resolution) as a file:// URL, percent-encoding
 * what is not unreserved. Caller frees. */
char *hpc_path_to_file_url(const char *path);
/* The local path of a file:// URL (percent-decoded), or NULL if url is not one.
 * Caller frees. */
char *hpc_file_url_to_path(const char *url);

#endif
