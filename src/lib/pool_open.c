/* SPDX-License-Identifier: MIT */
/* pool_open.c - a pool wired the way every command needs it (hpc_pool_open in pool.h)
 *
 * One place decides how a pool is put together, so that `repodata fetch`, `search`,
 * `repoquery`, `create` and `install` see the same package universe and share the same
 * .solv indexes: MatchSpec dependencies with the configuration's channel names, the
 * channels, the environment, the virtual packages of the target platform, whatprovides.
 */
#include <string.h>

#include <solv/pool.h>

#include "hpcenv/channel.h"
#include "hpcenv/error.h"
#include "hpcenv/pool.h"
#include "hpcenv/virtual.h"

/* Computed before anything is downloaded, so a bad CONDA_OVERRIDE_* fails fast. */
static int virtual_packages(const struct hpc_pool_open_opts *o, const char *platform,
			    struct hpc_vpkgs *vp, struct hpc_error **err)
{
	struct hpc_virtual_host probed;
	const struct hpc_virtual_host *host = o->host;

	if (!host) {
		hpc_virtual_probe(&probed);
		host = &probed;
	}
	return hpc_virtual_packages(host, platform, o->envp, vp, err);
}

static int fill(struct hpc_pool *p, const struct hpc_pool_open_opts *o, struct hpc_error **err)
{
	struct hpc_vpkgs vp = { 0 };
	int r = 0;

	if (!o->no_virtual)
		r = virtual_packages(o, hpc_pool_platform(p), &vp, err);
	if (!r && o->channels && o->channels->n)
		r = hpc_pool_load_channels(p, o->channels, o->flags, err);
	if (!r && o->prefix)
		r = hpc_pool_load_prefix(p, o->prefix, err);
	if (!r && !o->no_virtual)
		r = hpc_pool_add_virtual(p, &vp, err);
	hpc_vpkgs_fini(&vp);
	if (!r)
		pool_createwhatprovides(hpc_pool_libsolv(p));
	return r;
}

int hpc_pool_open(const struct hpc_config *cfg, const struct hpc_pool_open_opts *opts,
		  const struct hpc_events *ev, struct hpc_pool **out, struct hpc_error **err)
{
	static const struct hpc_pool_open_opts none = { 0 };
	const struct hpc_pool_open_opts *o = opts ? opts : &none;
	struct hpc_channel_resolver res = hpc_channel_resolver_from_config(cfg);
	struct hpc_pool *p;
	int r;

	*out = NULL;
	if (o->platform && !hpc_channel_is_subdir(o->platform, strlen(o->platform)))
		return HPC_FAIL(err, USAGE, "unknown platform '%s' (e.g. linux-64, osx-arm64)",
				o->platform);
	p = hpc_pool_new(cfg, o->platform, ev);
	hpc_pool_use_matchspecs(p, &res);
	r = fill(p, o, err);
	if (r) {
		hpc_pool_free(p);
		return r;
	}
	*out = p;
	return 0;
}
