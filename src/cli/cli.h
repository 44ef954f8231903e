/* SPDX-License-Identifier: MIT */
/* cli.h - the hpcenv front end: commands, option tables, the session, rendering
 *
 * A command is one file in src/cli/ that fills a struct hpc_cmd with
 * HPC_DEFINE_COMMAND (registered from a constructor, as apk-tools' applets are).
 * It declares what it needs (a target prefix, channels, ...) and main.c meets those
 * needs before calling run(); run() uses the library and the render helpers only.
 */
#ifndef HPCENV_CLI_H
#define HPCENV_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include <hpcenv.h>

enum hpc_opt_type {
	HPC_OPT_T_END,
	HPC_OPT_T_BOOL,   /* sets a bool to true */
	HPC_OPT_T_STR,    /* const char *, last one wins */
	HPC_OPT_T_INT,    /* long */
	HPC_OPT_T_STRV,   /* struct hpc_strv, repeatable */
	HPC_OPT_T_COUNT,  /* int, incremented per use (-vv) */
};

struct hpc_opt {
	char shortname;
	const char *longname;
	enum hpc_opt_type type;
	size_t offset;       /* into the command's context */
	const char *argname; /* shown in help for options with a value */
	const char *help;
};

#define HPC_OPT_BOOL(s, l, T, f, h) { s, l, HPC_OPT_T_BOOL, offsetof(T, f), NULL, h }
#define HPC_OPT_COUNT(s, l, T, f, h) { s, l, HPC_OPT_T_COUNT, offsetof(T, f), NULL, h }
#define HPC_OPT_STR(s, l, T, f, a, h) { s, l, HPC_OPT_T_STR, offsetof(T, f), a, h }
#define HPC_OPT_INT(s, l, T, f, a, h) { s, l, HPC_OPT_T_INT, offsetof(T, f), a, h }
#define HPC_OPT_STRV(s, l, T, f, a, h) { s, l, HPC_OPT_T_STRV, offsetof(T, f), a, h }
#define HPC_OPT_END { 0, NULL, HPC_OPT_T_END, 0, NULL, NULL }

/* What a command needs before it runs; main.c provides it. */
enum hpc_need {
	HPC_NEED_PREFIX = 1 << 0,     /* -n/-p or $CONDA_PREFIX: an existing environment */
	HPC_NEED_NEW_PREFIX = 1 << 1, /* -n/-p: an environment that does not exist yet */
	HPC_NEED_ANY_PREFIX = 1 << 2, /* -n/-p accepted, optional (s->prefix may be NULL) */
	HPC_NEED_CHANNELS = 1 << 3,   /* -c, --override-channels, priority flags */
	HPC_NEED_NO_CONFIG = 1 << 4,  /* runs without reading rc files */
};

struct hpc_session;

struct hpc_cmd {
	const char *group;   /* "config" for `hpcenv config list`, else NULL */
	const char *name;
	const char *summary; /* one line for --help listings */
	const char *usage;   /* arguments after the options, e.g. "SPEC..." */
	const char *details; /* extra help text, may be NULL */
	const struct hpc_opt *opts;
	size_t ctx_size;
	unsigned needs;
	int min_args, max_args; /* positional arguments; max -1 = unlimited */
	bool args_verbatim;     /* options end at the first positional argument, which starts
				 * a command line passed on as is (hpcenv run ENV CMD -x ...) */
	int (*run)(void *ctx, struct hpc_session *s, struct hpc_error **err);
	struct hpc_cmd *next;
};

void hpc_cmd_register(struct hpc_cmd *cmd);
const struct hpc_cmd *hpc_cmd_first(void);

#define HPC_DEFINE_COMMAND(ident, ...)                                        \
	static struct hpc_cmd cmd_##ident = { __VA_ARGS__ };                   \
	__attribute__((constructor)) static void register_##ident(void)        \
	{                                                                      \
		hpc_cmd_register(&cmd_##ident);                                \
	}

/* Everything a running command can use. */
struct hpc_session {
	struct hpc_config *cfg;
	struct hpc_events ev;
	const struct hpc_cmd *cmd;
	bool json;            /* --json: one JSON document on stdout */
	bool quiet;           /* -q */
	int verbose;          /* -v count */
	bool tty;             /* stderr is a terminal (progress bars, colour) */
	bool color;           /* stdout is a terminal and NO_COLOR is unset */
	/* target environment (HPC_NEED_*PREFIX) */
	const char *env_name; /* -n */
	char *prefix;         /* resolved absolute path, or NULL */
	/* channels (HPC_NEED_CHANNELS) */
	struct hpc_strv channels; /* -c, in order */
	bool override_channels;
	/* positional arguments */
	int argc;
	char **argv;
	/* --json output the command fills; printed by main.c on success */
	json_t *out;
	struct hpc_render *render;
};

/* ---- opt.c ---- */
struct opt_table {
	const struct hpc_opt *opts;
	void *base; /* the struct the offsets point into */
	const char *title;
};
/* Parse argv against the tables; positionals go to *pos (may be NULL when stop is
 * given). With stop != NULL, parsing ends at the first positional, whose index is
 * stored there (argc when none). Fails with HPC_E_USAGE. */
int hpc_opt_parse(int argc, char **argv, const struct opt_table *tables, size_t ntables,
		  struct hpc_strv *pos, int *stop, struct hpc_error **err);
/* Print help for a command (or the top level when cmd is NULL). */
void hpc_opt_help(FILE *f, const struct hpc_cmd *cmd, const struct opt_table *tables,
		  size_t ntables);
/* Free what parsing allocated in the tables (strv options). */
void hpc_opt_free(const struct opt_table *tables, size_t ntables);

/* ---- render.c ---- */
struct hpc_render *hpc_render_new(struct hpc_session *s);
void hpc_render_free(struct hpc_render *r);
/* Print the error chain: "error: ..." then "  caused by: ..." lines (text), or a
 * {"success": false, "error": {...}} document (--json). */
void hpc_render_error(struct hpc_session *s, const struct hpc_error *e);
/* Print s->out (or {"success": true}) as the --json document. */
void hpc_render_json(struct hpc_session *s);
/* Ask on the terminal; false when stdin is not a terminal. */
bool hpc_render_confirm(void *ud, const char *question);
/* Clear progress bars before a command prints to stdout. */
void hpc_render_flush(struct hpc_session *s);

/* Program name for messages. */
#define HPC_PROG "hpcenv"

#endif
