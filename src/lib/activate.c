/* SPDX-License-Identifier: MIT */
/* activate.c - activation and deactivation as variables and scripts, rendered per shell */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpcenv/activate.h"
#include "hpcenv/condameta.h"
#include "hpcenv/error.h"
#include "hpcenv/prefix.h"

extern char **environ;

int hpc_shell_parse(const char *name, enum hpc_shell *out, struct hpc_error **err)
{
	const char *b = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;

	if (!strcmp(b, "bash") || !strcmp(b, "sh"))
		*out = HPC_SHELL_BASH;
	else if (!strcmp(b, "zsh"))
		*out = HPC_SHELL_ZSH;
	else if (!strcmp(b, "fish"))
		*out = HPC_SHELL_FISH;
	else
		return HPC_FAIL(err, USAGE, "unsupported shell '%s' (bash, zsh or fish)", name);
	return 0;
}

void hpc_activation_fini(struct hpc_activation *a)
{
	hpc_strv_fini(&a->unset);
	hpc_strv_fini(&a->set);
	hpc_strv_fini(&a->pre_scripts);
	hpc_strv_fini(&a->post_scripts);
}

static const char *getv(char **envp, const char *name)
{
	size_t n = strlen(name);

	for (char **e = envp ? envp : environ; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static void set_var(struct hpc_activation *a, const char *name, const char *value)
{
	for (size_t i = 0; i + 1 < a->set.n; i += 2)
		if (!strcmp(a->set.v[i], name)) {
			free(a->set.v[i + 1]);
			a->set.v[i + 1] = hpc_xstrdup(value);
			return;
		}
	hpc_strv_push(&a->set, name);
	hpc_strv_push(&a->set, value);
}

static void unset_var(struct hpc_activation *a, const char *name)
{
	for (size_t i = 0; i + 1 < a->set.n; i += 2)
		if (!strcmp(a->set.v[i], name)) { /* set earlier in this activation: drop it */
			free(a->set.v[i]);
			free(a->set.v[i + 1]);
			memmove(&a->set.v[i], &a->set.v[i + 2], (a->set.n - i - 2) * sizeof(char *));
			a->set.n -= 2;
			a->set.v[a->set.n] = NULL;
			break;
		}
	hpc_strv_push_unique(&a->unset, name);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The .sh (fish: .fish) scripts in PREFIX/etc/conda/<what>.d, in name order. */
static void add_scripts(struct hpc_strv *out, const char *prefix, const char *what,
			enum hpc_shell shell)
{
	char *dir = hpc_xasprintf("%s/etc/conda/%s.d", prefix, what);
	const char *ext = shell == HPC_SHELL_FISH ? ".fish" : ".sh";
	struct hpc_strv names = HPC_STRV_INIT;
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (hpc_str_endswith(e->d_name, ext))
			hpc_strv_push(&names, e->d_name);
	if (d)
		closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < names.n; i++)
		hpc_strv_push_take(out, hpc_path_join(dir, names.v[i]));
	hpc_strv_fini(&names);
	free(dir);
}

/* PATH without dir (every occurrence). */
static char *path_without(const char *path, const char *dir)
{
	struct hpc_strv parts = HPC_STRV_INIT, keep = HPC_STRV_INIT;
	char *r;

	hpc_strv_split(&parts, path ? path : "", ":");
	for (size_t i = 0; i < parts.n; i++)
		if (strcmp(parts.v[i], dir))
			hpc_strv_push(&keep, parts.v[i]);
	r = hpc_strv_join(&keep, ":");
	hpc_strv_fini(&parts);
	hpc_strv_fini(&keep);
	return r;
}

static int env_vars(struct hpc_activation *a, const char *prefix, bool set,
		    struct hpc_error **err)
{
	struct hpc_strv v = HPC_STRV_INIT;
	int r = hpc_condameta_env_vars(prefix, &v, err);

	for (size_t i = 0; !r && i + 1 < v.n; i += 2) {
		if (set)
			set_var(a, v.v[i], v.v[i + 1]);
		else
			unset_var(a, v.v[i]);
	}
	hpc_strv_fini(&v);
	return r;
}

/* The prompt: "(name) " replaces the previous modifier at the front of PS1. */
static void prompt(struct hpc_activation *a, char **envp, const char *modifier, bool changeps1,
		   enum hpc_shell shell)
{
	const char *ps1 = getv(envp, "PS1"), *old = getv(envp, "CONDA_PROMPT_MODIFIER");
	char *s;

	if (modifier)
		set_var(a, "CONDA_PROMPT_MODIFIER", modifier);
	else
		unset_var(a, "CONDA_PROMPT_MODIFIER");
	if (!changeps1 || shell == HPC_SHELL_FISH || !ps1)
		return;
	if (old && *old && hpc_str_startswith(ps1, old))
		ps1 += strlen(old);
	s = hpc_xasprintf("%s%s", modifier ? modifier : "", ps1);
	set_var(a, "PS1", s);
	free(s);
}

/* Leave `active` (level n): its deactivate.d scripts, its variables. */
static int leave(struct hpc_activation *a, const char *active, enum hpc_shell shell,
		 struct hpc_error **err)
{
	add_scripts(&a->pre_scripts, active, "deactivate", shell);
	return env_vars(a, active, false, err);
}

/* Enter prefix: PATH, the CONDA_* variables, env_vars, activate.d. */
static int enter(struct hpc_activation *a, const char *prefix, const char *name,
		 const char *path, int level, enum hpc_shell shell, char **envp, bool changeps1,
		 struct hpc_error **err)
{
	char *bin = hpc_path_join(prefix, "bin"), *newpath, *lvl, *mod;

	newpath = path && *path ? hpc_xasprintf("%s:%s", bin, path) : hpc_xstrdup(bin);
	set_var(a, "PATH", newpath);
	set_var(a, "CONDA_PREFIX", prefix);
	set_var(a, "CONDA_DEFAULT_ENV", name);
	lvl = hpc_xasprintf("%d", level);
	set_var(a, "CONDA_SHLVL", lvl);
	mod = hpc_xasprintf("(%s) ", name);
	prompt(a, envp, mod, changeps1, shell);
	add_scripts(&a->post_scripts, prefix, "activate", shell);
	free(mod);
	free(lvl);
	free(newpath);
	free(bin);
	return env_vars(a, prefix, true, err);
}

int hpc_activate(struct hpc_activation *a, const char *prefix, const char *name,
		 enum hpc_shell shell, char **envp, bool changeps1, struct hpc_error **err)
{
	const char *active = getv(envp, "CONDA_PREFIX"), *lvl = getv(envp, "CONDA_SHLVL");
	int level = lvl ? atoi(lvl) : 0, r = 0;
	char *path;

	memset(a, 0, sizeof(*a));
	if (!hpc_prefix_is_env(prefix))
		return HPC_FAIL(err, NOTFOUND, "'%s' is not a conda environment (no conda-meta/)",
				prefix);
	if (active && *active && level > 0) {
		char *oldbin = hpc_path_join(active, "bin"), *key;

		r = leave(a, active, shell, err);
		path = path_without(getv(envp, "PATH"), oldbin);
		key = hpc_xasprintf("CONDA_PREFIX_%d", level);
		set_var(a, key, active); /* where deactivate goes back to (conda's name) */
		free(key);
		free(oldbin);
	} else {
		path = hpc_xstrdup(getv(envp, "PATH") ? getv(envp, "PATH") : "");
		level = 0;
	}
	r = r ? r : enter(a, prefix, name, path, level + 1, shell, envp, changeps1, err);
	free(path);
	if (r)
		hpc_activation_fini(a);
	return r;
}

/* conda shows named environments by name and others by path. */
static char *display_name(const char *prefix)
{
	const char *slash = strrchr(prefix, '/');

	if (slash && slash - prefix >= 5 && !strncmp(slash - 5, "/envs", 5))
		return hpc_xstrdup(slash + 1);
	return hpc_xstrdup(prefix);
}

int hpc_deactivate(struct hpc_activation *a, enum hpc_shell shell, char **envp,
		   bool changeps1, struct hpc_error **err)
{
	const char *active = getv(envp, "CONDA_PREFIX"), *lvl = getv(envp, "CONDA_SHLVL");
	int level = lvl ? atoi(lvl) : 0, r;
	char *bin, *path, *key, *back_to = NULL;

	memset(a, 0, sizeof(*a));
	if (!active || !*active || level < 1)
		return 0;
	bin = hpc_path_join(active, "bin");
	path = path_without(getv(envp, "PATH"), bin);
	r = leave(a, active, shell, err);
	key = hpc_xasprintf("CONDA_PREFIX_%d", level - 1);
	if (level >= 2 && getv(envp, key))
		back_to = hpc_xstrdup(getv(envp, key));
	unset_var(a, key);
	if (!r && back_to) { /* its bin left PATH when this one came: it goes back in front */
		char *name = display_name(back_to);

		r = enter(a, back_to, name, path, level - 1, shell, envp, changeps1, err);
		free(name);
	} else if (!r) {
		set_var(a, "PATH", path);
		unset_var(a, "CONDA_PREFIX");
		unset_var(a, "CONDA_DEFAULT_ENV");
		set_var(a, "CONDA_SHLVL", "0");
		prompt(a, envp, NULL, changeps1, shell);
	}
	free(back_to);
	free(key);
	free(path);
	free(bin);
	if (r)
		hpc_activation_fini(a);
	return r;
}

static void quote(struct hpc_strbuf *sb, const char *s, enum hpc_shell shell)
{
	hpc_strbuf_addc(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'' && shell != HPC_SHELL_FISH)
			hpc_strbuf_adds(sb, "'\\''");
		else if ((*s == '\'' || *s == '\\') && shell == HPC_SHELL_FISH)
			hpc_strbuf_addf(sb, "\\%c", *s);
		else
			hpc_strbuf_addc(sb, *s);
	}
	hpc_strbuf_addc(sb, '\'');
}

static void source_all(struct hpc_strbuf *sb, const struct hpc_strv *scripts,
		       enum hpc_shell shell)
{
	for (size_t i = 0; i < scripts->n; i++) {
		hpc_strbuf_adds(sb, shell == HPC_SHELL_FISH ? "source " : ". ");
		quote(sb, scripts->v[i], shell);
		hpc_strbuf_addc(sb, '\n');
	}
}

static void set_fish(struct hpc_strbuf *sb, const char *name, const char *value)
{
	struct hpc_strv parts = HPC_STRV_INIT;

	hpc_strbuf_addf(sb, "set -gx %s", name);
	if (!strcmp(name, "PATH")) /* a list in fish */
		hpc_strv_split(&parts, value, ":");
	else
		hpc_strv_push(&parts, value);
	for (size_t i = 0; i < parts.n; i++) {
		hpc_strbuf_addc(sb, ' ');
		quote(sb, parts.v[i], HPC_SHELL_FISH);
	}
	hpc_strbuf_addc(sb, '\n');
	hpc_strv_fini(&parts);
}

char *hpc_activation_script(const struct hpc_activation *a, enum hpc_shell shell)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	source_all(&sb, &a->pre_scripts, shell);
	for (size_t i = 0; i < a->unset.n; i++)
		hpc_strbuf_addf(&sb, shell == HPC_SHELL_FISH ? "set -e %s\n" : "unset %s\n",
				a->unset.v[i]);
	for (size_t i = 0; i + 1 < a->set.n; i += 2) {
		if (shell == HPC_SHELL_FISH) {
			set_fish(&sb, a->set.v[i], a->set.v[i + 1]);
			continue;
		}
		/* the prompt is the shell's own variable, never exported */
		hpc_strbuf_addf(&sb, "%s%s=", strcmp(a->set.v[i], "PS1") ? "export " : "",
				a->set.v[i]);
		quote(&sb, a->set.v[i + 1], shell);
		hpc_strbuf_addc(&sb, '\n');
	}
	source_all(&sb, &a->post_scripts, shell);
	return hpc_strbuf_detach(&sb);
}

char *hpc_shell_hook(enum hpc_shell shell, const char *exe)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	if (shell == HPC_SHELL_FISH) {
		hpc_strbuf_adds(&sb, "set -g __hpcenv_exe ");
		quote(&sb, exe, shell);
		hpc_strbuf_adds(&sb,
			"\nfunction hpcenv\n"
			"    if test (count $argv) -ge 1; and contains -- $argv[1] activate deactivate\n"
			"        set -l cmd $argv[1]\n"
			"        set -e argv[1]\n"
			"        $__hpcenv_exe shell $cmd --shell fish $argv | source\n"
			"    else\n"
			"        $__hpcenv_exe $argv\n"
			"    end\n"
			"end\n");
		return hpc_strbuf_detach(&sb);
	}
	hpc_strbuf_adds(&sb, "__hpcenv_exe=");
	quote(&sb, exe, shell);
	hpc_strbuf_addf(&sb,
		"\nhpcenv() {\n"
		"    case \"${1-}\" in\n"
		"    activate|deactivate)\n"
		"        local __hpcenv_cmd=\"$1\" __hpcenv_out\n"
		"        shift\n"
		"        __hpcenv_out=\"$(PS1=\"${PS1-}\" \"$__hpcenv_exe\" shell \"$__hpcenv_cmd\" "
		"--shell %s \"$@\")\" || return\n"
		"        eval \"$__hpcenv_out\"\n"
		"        ;;\n"
		"    *)\n"
		"        \"$__hpcenv_exe\" \"$@\"\n"
		"        ;;\n"
		"    esac\n"
		"}\n", shell == HPC_SHELL_ZSH ? "zsh" : "bash");
	return hpc_strbuf_detach(&sb);
}
