/* SPDX-License-Identifier: MIT */
/* opt.c - table-driven option parsing and generated --help (git's parse-options idea) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static struct hpc_cmd *commands;

void hpc_cmd_register(struct hpc_cmd *cmd)
{
	/* keep the list sorted by group then name, for help listings */
	struct hpc_cmd **p = &commands;

	while (*p) {
		const char *ag = (*p)->group ? (*p)->group : (*p)->name;
		const char *bg = cmd->group ? cmd->group : cmd->name;
		int c = strcmp(ag, bg);

		if (c > 0 || (c == 0 && strcmp((*p)->name, cmd->name) > 0))
			break;
		p = &(*p)->next;
	}
	cmd->next = *p;
	*p = cmd;
}

const struct hpc_cmd *hpc_cmd_first(void)
{
	return commands;
}

struct found {
	const struct hpc_opt *opt;
	void *base;
};

static struct found find_long(const struct opt_table *t, size_t nt, const char *name, size_t len)
{
	for (size_t i = 0; i < nt; i++)
		for (const struct hpc_opt *o = t[i].opts; o && o->type; o++)
			if (o->longname && strlen(o->longname) == len &&
			    !strncmp(o->longname, name, len))
				return (struct found){ o, t[i].base };
	return (struct found){ NULL, NULL };
}

static struct found find_short(const struct opt_table *t, size_t nt, char c)
{
	for (size_t i = 0; i < nt; i++)
		for (const struct hpc_opt *o = t[i].opts; o && o->type; o++)
			if (o->shortname && o->shortname == c)
				return (struct found){ o, t[i].base };
	return (struct found){ NULL, NULL };
}

static bool takes_value(const struct hpc_opt *o)
{
	return o->type == HPC_OPT_T_STR || o->type == HPC_OPT_T_INT || o->type == HPC_OPT_T_STRV;
}

static int store(struct found f, const char *shown, const char *val, struct hpc_error **err)
{
	char *field = (char *)f.base + f.opt->offset, *end;
	long n;

	switch (f.opt->type) {
	case HPC_OPT_T_BOOL:
		*(bool *)field = true;
		return 0;
	case HPC_OPT_T_COUNT:
		(*(int *)field)++;
		return 0;
	case HPC_OPT_T_STR:
		*(const char **)field = val;
		return 0;
	case HPC_OPT_T_STRV:
		hpc_strv_push((struct hpc_strv *)field, val);
		return 0;
	case HPC_OPT_T_INT:
		errno = 0;
		n = strtol(val, &end, 10);
		if (!*val || *end || errno)
			return HPC_FAIL(err, USAGE, "option '%s' expects an integer, got '%s'", shown,
					val);
		*(long *)field = n;
		return 0;
	default:
		return HPC_FAIL(err, BUG, "option '%s' has no type", shown);
	}
}

static int parse_long(int argc, char **argv, int *i, const struct opt_table *t, size_t nt,
		      struct hpc_error **err)
{
	const char *arg = argv[*i] + 2, *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	struct found f = find_long(t, nt, arg, len);

	if (!f.opt)
		return HPC_FAIL(err, USAGE, "unknown option '--%.*s'", (int)len, arg);
	if (!takes_value(f.opt)) {
		if (eq)
			return HPC_FAIL(err, USAGE, "option '--%s' takes no value", f.opt->longname);
		return store(f, argv[*i], NULL, err);
	}
	if (eq)
		return store(f, argv[*i], eq + 1, err);
	if (*i + 1 >= argc)
		return HPC_FAIL(err, USAGE, "option '--%s' needs a value", f.opt->longname);
	(*i)++;
	return store(f, argv[*i - 1], argv[*i], err);
}

static int parse_short(int argc, char **argv, int *i, const struct opt_table *t, size_t nt,
		       struct hpc_error **err)
{
	const char *arg = argv[*i];

	for (size_t k = 1; arg[k]; k++) {
		struct found f = find_short(t, nt, arg[k]);
		char shown[3] = { '-', arg[k], 0 };

		if (!f.opt)
			return HPC_FAIL(err, USAGE, "unknown option '-%c'", arg[k]);
		if (!takes_value(f.opt)) {
			int r = store(f, shown, NULL, err);

			if (r)
				return r;
			continue;
		}
		if (arg[k + 1]) /* -cconda-forge */
			return store(f, shown, arg + k + 1, err);
		if (*i + 1 >= argc)
			return HPC_FAIL(err, USAGE, "option '%s' needs a value", shown);
		(*i)++;
		return store(f, shown, argv[*i], err);
	}
	return 0;
}

int hpc_opt_parse(int argc, char **argv, const struct opt_table *tables, size_t ntables,
		  struct hpc_strv *pos, int *stop, struct hpc_error **err)
{
	bool only_pos = false;
	int r = 0;

	if (stop)
		*stop = argc;
	for (int i = 0; i < argc && !r; i++) {
		const char *a = argv[i];

		if (stop && (a[0] != '-' || !a[1])) {
			*stop = i;
			break;
		}
		if (only_pos || a[0] != '-' || !a[1])
			hpc_strv_push(pos, a);
		else if (!strcmp(a, "--"))
			only_pos = true;
		else if (a[1] == '-')
			r = parse_long(argc, argv, &i, tables, ntables, err);
		else
			r = parse_short(argc, argv, &i, tables, ntables, err);
	}
	return r;
}

void hpc_opt_free(const struct opt_table *tables, size_t ntables)
{
	for (size_t i = 0; i < ntables; i++)
		for (const struct hpc_opt *o = tables[i].opts; o && o->type; o++)
			if (o->type == HPC_OPT_T_STRV)
				hpc_strv_fini((struct hpc_strv *)((char *)tables[i].base +
								  o->offset));
}

static void help_options(FILE *f, const struct opt_table *t)
{
	fprintf(f, "\n%s:\n", t->title);
	for (const struct hpc_opt *o = t->opts; o->type; o++) {
		char left[64];
		int n = 0;

		if (o->shortname)
			n = snprintf(left, sizeof(left), "-%c%s", o->shortname,
				     o->longname ? ", " : "");
		else
			n = snprintf(left, sizeof(left), "    ");
		if (o->longname)
			n += snprintf(left + n, sizeof(left) - (size_t)n, "--%s", o->longname);
		if (takes_value(o))
			snprintf(left + n, sizeof(left) - (size_t)n, " %s",
				 o->argname ? o->argname : "VALUE");
		fprintf(f, "  %-28s %s\n", left, o->help);
	}
}

static void help_commands(FILE *f)
{
	fprintf(f, "\nCommands:\n");
	for (const struct hpc_cmd *c = commands; c; c = c->next) {
		char name[64];

		snprintf(name, sizeof(name), "%s%s%s", c->group ? c->group : "",
			 c->group ? " " : "", c->name);
		fprintf(f, "  %-22s %s\n", name, c->summary);
	}
	fprintf(f, "\nRun '" HPC_PROG " COMMAND --help' for a command's options; "
		   "docs/ has a page per command.\n");
}

void hpc_opt_help(FILE *f, const struct hpc_cmd *cmd, const struct opt_table *tables,
		  size_t ntables)
{
	if (!cmd) {
		fprintf(f, "usage: " HPC_PROG " [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]\n\n"
			   "Create, change and verify conda environments for HPC.\n");
		help_commands(f);
	} else {
		fprintf(f, "usage: " HPC_PROG " %s%s%s [OPTIONS]%s%s\n\n%s\n",
			cmd->group ? cmd->group : "", cmd->group ? " " : "", cmd->name,
			cmd->usage ? " " : "", cmd->usage ? cmd->usage : "", cmd->summary);
		if (cmd->details)
			fprintf(f, "\n%s\n", cmd->details);
	}
	for (size_t i = 0; i < ntables; i++)
		if (tables[i].opts && tables[i].opts->type)
			help_options(f, &tables[i]);
}
