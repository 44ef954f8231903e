/* SPDX-License-Identifier: MIT */
/* main.c - hpcenv: find the command, parse its options, meet its needs, run it
 *
 * Exit codes (docs/hpcenv.md): 0 success, 1 failure, 2 usage error, 130 interrupted.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct global_opts {
	bool help, version, json, quiet, yes, offline;
	int verbose;
	const char *root_prefix;
	struct hpc_strv rc_files;
};

static const struct hpc_opt global_table[] = {
	HPC_OPT_BOOL('h', "help", struct global_opts, help, "show help and exit"),
	HPC_OPT_BOOL('V', "version", struct global_opts, version,
		     "show versions of hpcenv and its libraries"),
	HPC_OPT_COUNT('v', "verbose", struct global_opts, verbose, "more output (-vv: trace)"),
	HPC_OPT_BOOL('q', "quiet", struct global_opts, quiet, "only warnings and errors"),
	HPC_OPT_BOOL(0, "json", struct global_opts, json, "machine-readable output on stdout"),
	HPC_OPT_BOOL('y', "yes", struct global_opts, yes, "do not ask for confirmation"),
	HPC_OPT_BOOL(0, "offline", struct global_opts, offline, "use caches only, no network"),
	HPC_OPT_STR('r', "root-prefix", struct global_opts, root_prefix, "DIR",
		    "root prefix holding pkgs/ and envs/ (default ~/.hpcenv)"),
	HPC_OPT_STRV(0, "rc-file", struct global_opts, rc_files, "FILE",
		     "read this .condarc-format file after the standard ones"),
	HPC_OPT_END,
};

struct prefix_opts {
	const char *name, *path;
};

static const struct hpc_opt prefix_table[] = {
	HPC_OPT_STR('n', "name", struct prefix_opts, name, "NAME", "environment by name"),
	HPC_OPT_STR('p', "prefix", struct prefix_opts, path, "PATH", "environment by path"),
	HPC_OPT_END,
};

struct channel_opts {
	struct hpc_strv channels;
	bool override, strict, no_priority;
};

static const struct hpc_opt channel_table[] = {
	HPC_OPT_STRV('c', "channel", struct channel_opts, channels, "CHANNEL",
		     "add a channel (first given = highest priority)"),
	HPC_OPT_BOOL(0, "override-channels", struct channel_opts, override,
		     "use only the -c channels, not those from configuration"),
	HPC_OPT_BOOL(0, "strict-channel-priority", struct channel_opts, strict,
		     "channel_priority: strict"),
	HPC_OPT_BOOL(0, "no-channel-priority", struct channel_opts, no_priority,
		     "channel_priority: disabled"),
	HPC_OPT_END,
};

struct invocation {
	struct global_opts g;
	struct prefix_opts p;
	struct channel_opts c;
	struct opt_table tables[4];
	size_t ntables;
	void *ctx;
};

static int exit_code_for(int code)
{
	switch (code) {
	case 0:
		return 0;
	case HPC_E_USAGE:
		return 2;
	case HPC_E_INTERRUPTED:
		return 130;
	default:
		return 1;
	}
}

static void print_version(bool json)
{
	struct hpc_buildinfo bi;

	hpc_buildinfo_get(&bi);
	if (json) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "version", bi.version,
				      "libsolv", bi.libsolv, "libcurl", bi.libcurl, "libarchive",
				      bi.libarchive, "libyaml", bi.libyaml, "jansson", bi.jansson,
				      "cpu_baseline", bi.cpu_baseline, "platform", bi.platform);

		json_dumpf(o, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(o);
		return;
	}
	printf(HPC_PROG " %s\n", bi.version);
	printf("  libsolv %s (conda)\n  libcurl %s\n  %s\n  libyaml %s\n  jansson %s\n",
	       bi.libsolv, bi.libcurl, bi.libarchive, bi.libyaml, bi.jansson);
	printf("  cpu baseline: %s\n  platform: %s\n", bi.cpu_baseline, bi.platform);
}

/* Match argv[i] (and argv[i+1] for groups) to a command; *used = words consumed. */
static const struct hpc_cmd *find_command(int argc, char **argv, int i, int *used,
					  struct hpc_error **err)
{
	bool is_group = false;

	for (const struct hpc_cmd *c = hpc_cmd_first(); c; c = c->next) {
		if (!c->group && !strcmp(c->name, argv[i])) {
			*used = 1;
			return c;
		}
		is_group |= c->group && !strcmp(c->group, argv[i]);
	}
	if (!is_group) {
		HPC_FAIL(err, USAGE, "unknown command '%s'", argv[i]);
		return NULL;
	}
	for (const struct hpc_cmd *c = hpc_cmd_first(); c && i + 1 < argc; c = c->next)
		if (c->group && !strcmp(c->group, argv[i]) && !strcmp(c->name, argv[i + 1])) {
			*used = 2;
			return c;
		}
	if (i + 1 < argc && argv[i + 1][0] != '-')
		HPC_FAIL(err, USAGE, "unknown command '%s %s'", argv[i], argv[i + 1]);
	else
		HPC_FAIL(err, USAGE, "'%s' needs a subcommand", argv[i]);
	return NULL;
}

static void build_tables(struct invocation *inv, const struct hpc_cmd *cmd)
{
	size_t n = 0;

	if (cmd) {
		inv->ctx = hpc_xcalloc(1, cmd->ctx_size ? cmd->ctx_size : 1);
		inv->tables[n++] = (struct opt_table){ cmd->opts, inv->ctx, "Options" };
		if (cmd->needs & (HPC_NEED_PREFIX | HPC_NEED_NEW_PREFIX | HPC_NEED_ANY_PREFIX))
			inv->tables[n++] = (struct opt_table){ prefix_table, &inv->p,
							       "Target environment" };
		if (cmd->needs & HPC_NEED_CHANNELS)
			inv->tables[n++] = (struct opt_table){ channel_table, &inv->c, "Channels" };
	}
	inv->tables[n++] = (struct opt_table){ global_table, &inv->g, "Global options" };
	inv->ntables = n;
}

static int load_config(struct hpc_session *s, struct invocation *inv, struct hpc_error **err)
{
	int r = 0;

	s->cfg = hpc_config_new();
	if (inv->g.root_prefix)
		r = hpc_config_set(s->cfg, "root_prefix", inv->g.root_prefix, err);
	if (!r && !(s->cmd->needs & HPC_NEED_NO_CONFIG))
		r = hpc_config_load_default(s->cfg, NULL, &s->ev, err);
	for (size_t i = 0; !r && i < inv->g.rc_files.n; i++)
		r = hpc_config_load_file(s->cfg, inv->g.rc_files.v[i], &s->ev, err);
	if (!r && inv->g.offline)
		r = hpc_config_set(s->cfg, "offline", "true", err);
	if (!r && inv->g.yes)
		r = hpc_config_set(s->cfg, "always_yes", "true", err);
	if (!r && inv->c.strict)
		r = hpc_config_set(s->cfg, "channel_priority", "strict", err);
	if (!r && inv->c.no_priority)
		r = hpc_config_set(s->cfg, "channel_priority", "disabled", err);
	return r;
}

static int meet_needs(struct hpc_session *s, struct invocation *inv, struct hpc_error **err)
{
	unsigned needs = s->cmd->needs;
	enum hpc_prefix_mode mode = HPC_PREFIX_ANY;
	int r = load_config(s, inv, err);

	if (r)
		return r;
	if (inv->c.override && !hpc_config_get_bool(s->cfg, "override_channels_enabled"))
		return HPC_FAIL(err, USAGE, "--override-channels is disabled by configuration");
	if (inv->c.override && !inv->c.channels.n)
		return HPC_FAIL(err, USAGE, "--override-channels needs at least one -c CHANNEL");
	hpc_strv_copy(&s->channels, &inv->c.channels);
	s->override_channels = inv->c.override;
	if (needs & HPC_NEED_PREFIX)
		mode = HPC_PREFIX_EXISTING;
	else if (needs & HPC_NEED_NEW_PREFIX)
		mode = HPC_PREFIX_NEW;
	else if (!(needs & HPC_NEED_ANY_PREFIX))
		return 0;
	s->env_name = inv->p.name;
	return hpc_prefix_resolve(s->cfg, inv->p.name, inv->p.path, mode, &s->prefix, err);
}

static int check_args(const struct hpc_cmd *cmd, size_t n, struct hpc_error **err)
{
	const char *g = cmd->group ? cmd->group : "", *sp = cmd->group ? " " : "";

	if ((int)n < cmd->min_args)
		return HPC_FAIL(err, USAGE, "'%s%s%s' needs %s", g, sp, cmd->name,
				cmd->usage ? cmd->usage : "arguments");
	if (cmd->max_args >= 0 && (int)n > cmd->max_args)
		return HPC_FAIL(err, USAGE, "'%s%s%s' takes %s%d argument%s", g, sp, cmd->name,
				cmd->max_args ? "at most " : "", cmd->max_args,
				cmd->max_args == 1 ? "" : "s");
	return 0;
}

static void usage_hint(const struct hpc_cmd *cmd)
{
	if (cmd)
		fprintf(stderr, "hint: run '" HPC_PROG " %s%s%s --help' for usage\n",
			cmd->group ? cmd->group : "", cmd->group ? " " : "", cmd->name);
	else
		fprintf(stderr, "hint: run '" HPC_PROG " --help' for the list of commands\n");
}

/* Parse everything; returns -1 to go on, else an exit code. */
static int parse_invocation(struct hpc_session *s, struct invocation *inv, int argc,
			    char **argv, struct hpc_strv *pos, struct hpc_error **err)
{
	int first = argc, used = 0, r, n, stop = 0;

	build_tables(inv, NULL);
	r = hpc_opt_parse(argc - 1, argv + 1, inv->tables, inv->ntables, NULL, &first, err);
	first += 1;
	s->json = inv->g.json;
	if (r)
		return 2;
	if (first >= argc) {
		if (inv->g.version)
			return print_version(inv->g.json), 0;
		hpc_opt_help(inv->g.help ? stdout : stderr, NULL, inv->tables, inv->ntables);
		return inv->g.help ? 0 : 2;
	}
	s->cmd = find_command(argc, argv, first, &used, err);
	if (!s->cmd)
		return 2;
	build_tables(inv, s->cmd);
	n = argc - first - used;
	r = hpc_opt_parse(n, argv + first + used, inv->tables, inv->ntables, pos,
			  s->cmd->args_verbatim ? &stop : NULL, err);
	for (int i = stop; !r && s->cmd->args_verbatim && i < n; i++)
		hpc_strv_push(pos, argv[first + used + i]);
	s->json = inv->g.json;
	if (r)
		return 2;
	if (inv->g.help) {
		hpc_opt_help(stdout, s->cmd, inv->tables, inv->ntables);
		return 0;
	}
	if (inv->g.version)
		return print_version(inv->g.json), 0;
	return check_args(s->cmd, pos->n, err) ? 2 : -1;
}

static volatile sig_atomic_t interrupted;

/* The first Ctrl-C asks the library to stop at a safe point (it polls through
 * hpc_events.cancelled and rolls back); a second one ends the process at once. */
static void on_sigint(int sig)
{
	if (interrupted) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	interrupted = 1;
}

static bool is_cancelled(void *ud)
{
	(void)ud;
	return interrupted != 0;
}

int main(int argc, char **argv)
{
	struct hpc_session s = { 0 };
	struct invocation inv = { 0 };
	struct hpc_strv pos = HPC_STRV_INIT;
	struct hpc_error *err = NULL;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_sigint);
	rc = parse_invocation(&s, &inv, argc, argv, &pos, &err);
	s.quiet = inv.g.quiet;
	s.verbose = inv.g.verbose;
	s.render = hpc_render_new(&s);
	s.ev.cancelled = is_cancelled;
	if (rc >= 0) {
		if (err) {
			hpc_render_error(&s, err);
			if (!s.json)
				usage_hint(s.cmd);
		}
		goto out;
	}
	s.argc = (int)pos.n;
	s.argv = pos.v;
	rc = meet_needs(&s, &inv, &err);
	if (!rc)
		rc = s.cmd->run(inv.ctx, &s, &err);
	hpc_render_flush(&s);
	if (rc) {
		hpc_render_error(&s, err);
		if (hpc_error_code(err) == HPC_E_USAGE && !s.json)
			usage_hint(s.cmd);
	} else if (s.json) {
		hpc_render_json(&s);
	}
	rc = exit_code_for(rc ? hpc_error_code(err) : 0);
out:
	hpc_error_free(err);
	hpc_opt_free(inv.tables, inv.ntables);
	hpc_strv_fini(&pos);
	hpc_strv_fini(&s.channels);
	free(s.prefix);
	free(inv.ctx);
	json_decref(s.out);
	hpc_config_free(s.cfg);
	hpc_render_free(s.render);
	return rc;
}
