/* SPDX-License-Identifier: MIT */
/* config.c - .condarc files, CONDA_* / HPCENV_* variables and overrides, merged like conda
 *
 * Each source keeps what it set (for `config sources`); the merged view is recomputed
 * after every load, which is cheap (a few dozen keys, a handful of sources).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "hpcenv/config.h"
#include "hpcenv/error.h"

extern char **environ;

static const char *const priority_choices[] = { "strict", "flexible", "disabled", NULL };
static const char *const safety_choices[] = { "warn", "enabled", "disabled", NULL };

static const struct hpc_config_key keys[] = {
	{ "root_prefix", HPC_CFG_PATH, NULL, NULL, "directory holding pkgs/ and envs/" },
	{ "channels", HPC_CFG_LIST, NULL, NULL, "channels searched, highest priority first" },
	{ "default_channels", HPC_CFG_LIST,
	  "https://repo.anaconda.com/pkgs/main,https://repo.anaconda.com/pkgs/r", NULL,
	  "what the 'defaults' channel expands to" },
	{ "channel_alias", HPC_CFG_STR, "https://conda.anaconda.org", NULL,
	  "URL prepended to bare channel names" },
	{ "custom_channels", HPC_CFG_MAP, NULL, NULL, "channel name -> base URL" },
	{ "custom_multichannels", HPC_CFG_MAP, NULL, NULL, "multichannel name -> channels (comma)" },
	{ "channel_priority", HPC_CFG_ENUM, "flexible", priority_choices,
	  "strict, flexible or disabled" },
	{ "override_channels_enabled", HPC_CFG_BOOL, "true", NULL, "allow --override-channels" },
	{ "repodata_fns", HPC_CFG_LIST, "repodata.json", NULL, "repodata file names to try" },
	{ "pkgs_dirs", HPC_CFG_PATH_LIST, NULL, NULL, "package caches, first writable one used" },
	{ "envs_dirs", HPC_CFG_PATH_LIST, NULL, NULL, "where named environments live" },
	{ "offline", HPC_CFG_BOOL, "false", NULL, "use cached repodata and packages only" },
	{ "ssl_verify", HPC_CFG_BOOL_OR_STR, "true", NULL, "verify TLS; or a CA bundle path" },
	{ "client_ssl_cert", HPC_CFG_PATH, NULL, NULL, "client certificate for TLS" },
	{ "client_ssl_cert_key", HPC_CFG_PATH, NULL, NULL, "client certificate key for TLS" },
	{ "proxy_servers", HPC_CFG_MAP, NULL, NULL, "scheme (http, https) -> proxy URL" },
	{ "remote_connect_timeout_secs", HPC_CFG_FLOAT, "9.15", NULL, "connect timeout" },
	{ "remote_read_timeout_secs", HPC_CFG_FLOAT, "60", NULL, "stall timeout while reading" },
	{ "remote_max_retries", HPC_CFG_INT, "3", NULL, "retries on 5xx and timeouts" },
	{ "remote_backoff_factor", HPC_CFG_FLOAT, "1", NULL, "seconds, doubled per retry" },
	{ "local_repodata_ttl", HPC_CFG_INT, "1", NULL,
	  "1: honour Cache-Control, 0: always revalidate, N: seconds" },
	{ "pinned_packages", HPC_CFG_LIST, NULL, NULL, "specs every solve must satisfy" },
	{ "always_yes", HPC_CFG_BOOL, "false", NULL, "do not ask for confirmation" },
	{ "use_only_tar_bz2", HPC_CFG_BOOL, "false", NULL, "ignore .conda packages" },
	{ "extract_threads", HPC_CFG_INT, "0", NULL, "parallel extractions (0: one per core)" },
	{ "lock_timeout", HPC_CFG_FLOAT, "60", NULL,
	  "seconds to wait for a package cache or env lock before going on without it" },
	{ "fetch_threads", HPC_CFG_INT, "5", NULL, "parallel downloads" },
	{ "allow_softlinks", HPC_CFG_BOOL, "false", NULL, "softlink when hardlinks fail" },
	{ "always_copy", HPC_CFG_BOOL, "false", NULL, "copy files instead of linking" },
	{ "always_softlink", HPC_CFG_BOOL, "false", NULL, "softlink instead of hardlinking" },
	{ "solver_timeout", HPC_CFG_FLOAT, "300", NULL, "seconds before a solve is abandoned" },
	{ "add_pip_as_python_dependency", HPC_CFG_BOOL, "true", NULL, "python depends on pip" },
	{ "create_default_packages", HPC_CFG_LIST, NULL, NULL, "added to every create" },
	{ "subdir", HPC_CFG_STR, NULL, NULL, "platform subdir to target (e.g. linux-64)" },
	{ "safety_checks", HPC_CFG_ENUM, "warn", safety_choices, "verify files after extract" },
	{ "extra_safety_checks", HPC_CFG_BOOL, "false", NULL, "also verify file hashes on link" },
	{ "show_channel_urls", HPC_CFG_BOOL, "false", NULL, "show full channel URLs" },
	{ "changeps1", HPC_CFG_BOOL, "true", NULL, "activation changes the prompt" },
	{ "auto_activate_base", HPC_CFG_BOOL, "false", NULL, "activate base in new shells" },
	{ "allow_non_channel_urls", HPC_CFG_BOOL, "false", NULL, "accepted for conda compat" },
	{ "notify_outdated_conda", HPC_CFG_BOOL, "true", NULL, "accepted for conda compat" },
	{ "report_errors", HPC_CFG_BOOL, "false", NULL, "accepted for conda compat" },
	{ "auto_update_conda", HPC_CFG_BOOL, "true", NULL, "accepted for conda compat" },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

/* Older spellings conda still reads. */
static const struct { const char *alias, *name; } key_aliases[] = {
	{ "envs_path", "envs_dirs" },
	{ "yes", "always_yes" },
};

struct cfg_value {
	size_t key;
	char *scalar;         /* scalar types */
	struct hpc_strv list; /* lists: items; maps: k0,v0,k1,v1... */
	int line, col;        /* 1-based position in a file, 0 elsewhere */
};

struct cfg_source {
	char *name;
	enum hpc_config_source_kind kind;
	struct cfg_value *vals;
	size_t nvals, alloc;
};

struct merged {
	bool set;
	char *scalar;
	struct hpc_strv list;
	const char *origin;
};

struct hpc_config {
	struct cfg_source *src; /* in insertion order; merged by kind, then order */
	size_t nsrc;
	struct merged m[NKEYS];
	char *root_prefix;
};

/* ---- key table ---- */

size_t hpc_config_nkeys(void)
{
	return NKEYS;
}

const struct hpc_config_key *hpc_config_key_at(size_t i)
{
	return i < NKEYS ? &keys[i] : NULL;
}

static long key_index(const char *name)
{
	for (size_t i = 0; i < sizeof(key_aliases) / sizeof(key_aliases[0]); i++)
		if (!strcmp(name, key_aliases[i].alias))
			name = key_aliases[i].name;
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].name, name))
			return (long)i;
	return -1;
}

const struct hpc_config_key *hpc_config_key_find(const char *name)
{
	long i = key_index(name);

	return i < 0 ? NULL : &keys[i];
}

static bool is_list_type(enum hpc_cfg_type t)
{
	return t == HPC_CFG_LIST || t == HPC_CFG_PATH_LIST || t == HPC_CFG_MAP;
}

/* ---- value parsing ---- */

static int parse_bool(const char *s)
{
	static const char *const yes[] = { "true", "yes", "on", "1", "y" };
	static const char *const no[] = { "false", "no", "off", "0", "n" };

	for (size_t i = 0; i < 5; i++) {
		if (!strcasecmp(s, yes[i]))
			return 1;
		if (!strcasecmp(s, no[i]))
			return 0;
	}
	return -1;
}

/* Check a scalar against the key's type and normalise it. Returns NULL with *why set
 * when it does not fit. */
static char *normalise_scalar(const struct hpc_config_key *k, const char *s, const char **why)
{
	char *end;
	int b;

	switch (k->type) {
	case HPC_CFG_BOOL:
		if ((b = parse_bool(s)) < 0)
			return *why = "expected true or false", NULL;
		return hpc_xstrdup(b ? "true" : "false");
	case HPC_CFG_BOOL_OR_STR:
		if ((b = parse_bool(s)) >= 0)
			return hpc_xstrdup(b ? "true" : "false");
		return hpc_path_expand(s);
	case HPC_CFG_INT:
		errno = 0;
		(void)strtol(s, &end, 10);
		if (!*s || *end || errno)
			return *why = "expected an integer", NULL;
		return hpc_xstrdup(s);
	case HPC_CFG_FLOAT:
		errno = 0;
		(void)strtod(s, &end);
		if (!*s || *end || errno)
			return *why = "expected a number", NULL;
		return hpc_xstrdup(s);
	case HPC_CFG_ENUM:
		/* conda still accepts the old boolean channel_priority */
		if (!strcmp(k->name, "channel_priority") && (b = parse_bool(s)) >= 0)
			return hpc_xstrdup(b ? "flexible" : "disabled");
		for (const char *const *c = k->choices; *c; c++)
			if (!strcasecmp(*c, s))
				return hpc_xstrdup(*c);
		return *why = "not one of the allowed values", NULL;
	case HPC_CFG_PATH:
	case HPC_CFG_PATH_LIST:
		return hpc_path_expand(s);
	default:
		return hpc_xstrdup(s);
	}
}

/* ---- sources ---- */

/* Sources are kept in priority order, lowest first: files, then the environment, then
 * the command line, each kind in the order loaded. */
static struct cfg_source *source_add(struct hpc_config *cfg, const char *name,
				     enum hpc_config_source_kind kind)
{
	size_t at = cfg->nsrc;
	struct cfg_source *s;

	while (at > 0 && cfg->src[at - 1].kind > kind)
		at--;
	cfg->src = hpc_xrealloc(cfg->src, (cfg->nsrc + 1) * sizeof(*cfg->src));
	memmove(&cfg->src[at + 1], &cfg->src[at], (cfg->nsrc - at) * sizeof(*cfg->src));
	cfg->nsrc++;
	s = &cfg->src[at];
	memset(s, 0, sizeof(*s));
	s->name = hpc_xstrdup(name);
	s->kind = kind;
	return s;
}

static struct cfg_value *source_value(struct cfg_source *s, size_t key, bool create)
{
	struct cfg_value *v;

	for (size_t i = 0; i < s->nvals; i++)
		if (s->vals[i].key == key)
			return &s->vals[i];
	if (!create)
		return NULL;
	if (s->nvals == s->alloc) {
		s->alloc = s->alloc ? s->alloc * 2 : 8;
		s->vals = hpc_xrealloc(s->vals, s->alloc * sizeof(*s->vals));
	}
	v = &s->vals[s->nvals++];
	memset(v, 0, sizeof(*v));
	v->key = key;
	return v;
}

static void source_fini(struct cfg_source *s)
{
	for (size_t i = 0; i < s->nvals; i++) {
		free(s->vals[i].scalar);
		hpc_strv_fini(&s->vals[i].list);
	}
	free(s->vals);
	free(s->name);
}

static void source_drop(struct hpc_config *cfg, struct cfg_source *s)
{
	size_t at = (size_t)(s - cfg->src);

	source_fini(s);
	memmove(&cfg->src[at], &cfg->src[at + 1], (cfg->nsrc - at - 1) * sizeof(*cfg->src));
	cfg->nsrc--;
}

static struct cfg_source *source_find(struct hpc_config *cfg, enum hpc_config_source_kind kind)
{
	for (size_t i = 0; i < cfg->nsrc; i++)
		if (cfg->src[i].kind == kind)
			return &cfg->src[i];
	return NULL;
}

/* ---- merging ---- */

static void merged_reset(struct merged *m)
{
	free(m->scalar);
	hpc_strv_fini(&m->list);
	memset(m, 0, sizeof(*m));
}

static void merge_map(struct merged *m, const struct cfg_value *v)
{
	/* called from highest to lowest priority: first writer of a map key wins */
	for (size_t j = 0; j + 1 < v->list.n; j += 2) {
		bool seen = false;

		for (size_t k = 0; k + 1 < m->list.n; k += 2)
			seen |= !strcmp(m->list.v[k], v->list.v[j]);
		if (!seen) {
			hpc_strv_push(&m->list, v->list.v[j]);
			hpc_strv_push(&m->list, v->list.v[j + 1]);
		}
	}
}

static void merge_key(struct hpc_config *cfg, size_t key)
{
	struct merged *m = &cfg->m[key];

	merged_reset(m);
	/* highest priority first */
	for (size_t i = cfg->nsrc; i-- > 0;) {
		struct cfg_source *s = &cfg->src[i];
		struct cfg_value *v = source_value(s, key, false);

		if (!v)
			continue;
		if (!m->set)
			m->origin = s->name;
		m->set = true;
		if (keys[key].type == HPC_CFG_MAP)
			merge_map(m, v);
		else if (is_list_type(keys[key].type))
			for (size_t j = 0; j < v->list.n; j++)
				hpc_strv_push_unique(&m->list, v->list.v[j]);
		else if (!m->scalar)
			m->scalar = hpc_xstrdup(v->scalar);
	}
}

static void set_default(struct hpc_config *cfg, size_t key)
{
	struct merged *m = &cfg->m[key];
	const char *sub = NULL;

	if (m->set)
		return;
	m->origin = "default";
	if (!strcmp(keys[key].name, "pkgs_dirs"))
		sub = "pkgs";
	else if (!strcmp(keys[key].name, "envs_dirs"))
		sub = "envs";
	if (sub)
		hpc_strv_push_take(&m->list, hpc_path_join(cfg->root_prefix, sub));
	else if (keys[key].def && is_list_type(keys[key].type))
		hpc_strv_split(&m->list, keys[key].def, ",");
	else if (keys[key].def)
		m->scalar = hpc_xstrdup(keys[key].def);
}

static char *absolute(const char *p)
{
	char cwd[PATH_MAX];

	if (p[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return hpc_xstrdup(p);
	return hpc_path_join(cwd, p);
}

static void remerge(struct hpc_config *cfg)
{
	const char *root;

	for (size_t k = 0; k < NKEYS; k++)
		merge_key(cfg, k);
	root = cfg->m[key_index("root_prefix")].scalar;
	free(cfg->root_prefix);
	cfg->root_prefix = root ? absolute(root) : hpc_path_join(hpc_home_dir(), ".hpcenv");
	for (size_t k = 0; k < NKEYS; k++)
		set_default(cfg, k);
}

/* ---- public: lifecycle ---- */

struct hpc_config *hpc_config_new(void)
{
	struct hpc_config *cfg = hpc_xcalloc(1, sizeof(*cfg));

	remerge(cfg);
	return cfg;
}

void hpc_config_free(struct hpc_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->nsrc; i++)
		source_fini(&cfg->src[i]);
	free(cfg->src);
	for (size_t k = 0; k < NKEYS; k++)
		merged_reset(&cfg->m[k]);
	free(cfg->root_prefix);
	free(cfg);
}

/* ---- YAML files ---- */

struct yaml_ctx {
	yaml_document_t *doc;
	const char *name;
	struct cfg_source *src;
	const struct hpc_events *ev;
};

static int node_fail(struct yaml_ctx *y, const yaml_node_t *n, const char *key, const char *why,
		     struct hpc_error **err)
{
	return HPC_FAIL(err, CONFIG, "%s:%zu:%zu: '%s': %s", y->name, n->start_mark.line + 1,
			n->start_mark.column + 1, key, why);
}

static bool is_null_scalar(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;

	return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!*s || !strcmp(s, "~") || !strcmp(s, "null"));
}

static int read_seq(struct yaml_ctx *y, const yaml_node_t *n, size_t key, struct cfg_value *v,
		    struct hpc_error **err)
{
	const char *why = NULL;

	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *item = yaml_document_get_node(y->doc, *it);
		char *s;

		if (!item || item->type != YAML_SCALAR_NODE)
			return node_fail(y, item ? item : n, keys[key].name,
					 "list items must be strings", err);
		s = normalise_scalar(&keys[key], (const char *)item->data.scalar.value, &why);
		if (!s)
			return node_fail(y, item, keys[key].name, why, err);
		hpc_strv_push_take(&v->list, s);
	}
	return 0;
}

static int read_map(struct yaml_ctx *y, const yaml_node_t *n, size_t key, struct cfg_value *v,
		    struct hpc_error **err)
{
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
		yaml_node_t *val = yaml_document_get_node(y->doc, p->value);
		struct hpc_strv items = HPC_STRV_INIT;

		if (!k || k->type != YAML_SCALAR_NODE)
			return node_fail(y, k ? k : n, keys[key].name, "map keys must be strings",
					 err);
		if (val && val->type == YAML_SEQUENCE_NODE) {
			/* custom_multichannels: name -> [channels] */
			for (yaml_node_item_t *it = val->data.sequence.items.start;
			     it < val->data.sequence.items.top; it++) {
				yaml_node_t *item = yaml_document_get_node(y->doc, *it);

				if (item && item->type == YAML_SCALAR_NODE)
					hpc_strv_push(&items, (const char *)item->data.scalar.value);
			}
			hpc_strv_push(&v->list, (const char *)k->data.scalar.value);
			hpc_strv_push_take(&v->list, hpc_strv_join(&items, ","));
			hpc_strv_fini(&items);
			continue;
		}
		if (!val || val->type != YAML_SCALAR_NODE)
			return node_fail(y, val ? val : k, keys[key].name,
					 "map values must be strings", err);
		hpc_strv_push(&v->list, (const char *)k->data.scalar.value);
		hpc_strv_push(&v->list, (const char *)val->data.scalar.value);
	}
	return 0;
}

static int read_pair(struct yaml_ctx *y, yaml_node_t *k, yaml_node_t *val,
		     struct hpc_error **err)
{
	const char *name = (const char *)k->data.scalar.value, *why = NULL;
	long key = key_index(name);
	enum hpc_cfg_type t;
	struct cfg_value *v;

	if (key < 0) {
		hpc_warn(y->ev, "%s:%zu:%zu: unknown configuration key '%s' (ignored)", y->name,
			 k->start_mark.line + 1, k->start_mark.column + 1, name);
		return 0;
	}
	if (!val || is_null_scalar(val))
		return 0;
	t = keys[key].type;
	v = source_value(y->src, (size_t)key, true);
	hpc_strv_fini(&v->list);
	free(v->scalar);
	v->scalar = NULL;
	v->line = (int)val->start_mark.line + 1;
	v->col = (int)val->start_mark.column + 1;
	if (t == HPC_CFG_MAP) {
		if (val->type != YAML_MAPPING_NODE)
			return node_fail(y, val, name, "expected a mapping", err);
		return read_map(y, val, (size_t)key, v, err);
	}
	if (is_list_type(t)) {
		if (val->type != YAML_SEQUENCE_NODE)
			return node_fail(y, val, name, "expected a list", err);
		return read_seq(y, val, (size_t)key, v, err);
	}
	if (val->type != YAML_SCALAR_NODE)
		return node_fail(y, val, name, "expected a single value", err);
	v->scalar = normalise_scalar(&keys[key], (const char *)val->data.scalar.value, &why);
	return v->scalar ? 0 : node_fail(y, val, name, why, err);
}

static int read_document(struct yaml_ctx *y, struct hpc_error **err)
{
	yaml_node_t *root = yaml_document_get_root_node(y->doc);

	if (!root || is_null_scalar(root))
		return 0; /* empty file */
	if (root->type != YAML_MAPPING_NODE)
		return HPC_FAIL(err, CONFIG, "%s:%zu:%zu: expected a mapping of settings", y->name,
				root->start_mark.line + 1, root->start_mark.column + 1);
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
		int r;

		if (!k || k->type != YAML_SCALAR_NODE)
			return HPC_FAIL(err, CONFIG, "%s:%zu:%zu: setting names must be strings",
					y->name, k ? k->start_mark.line + 1 : 0,
					k ? k->start_mark.column + 1 : 0);
		r = read_pair(y, k, yaml_document_get_node(y->doc, p->value), err);
		if (r)
			return r;
	}
	return 0;
}

int hpc_config_load_string(struct hpc_config *cfg, const char *name, const char *text,
			   size_t len, const struct hpc_events *ev, struct hpc_error **err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct yaml_ctx y = { &doc, name, NULL, ev };
	int r;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		const yaml_mark_t *m = parser.problem ? &parser.problem_mark : &parser.context_mark;

		r = HPC_FAIL(err, CONFIG, "%s:%zu:%zu: %s%s%s", name, m->line + 1, m->column + 1,
			     parser.problem ? parser.problem : "invalid YAML",
			     parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return r;
	}
	y.src = source_add(cfg, name, HPC_CFG_SRC_FILE);
	r = read_document(&y, err);
	if (r)
		source_drop(cfg, y.src); /* nothing half-loaded */
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	remerge(cfg);
	return r;
}

int hpc_config_load_file(struct hpc_config *cfg, const char *path, const struct hpc_events *ev,
			 struct hpc_error **err)
{
	char *text = NULL;
	size_t len = 0;
	int r = hpc_file_read(path, &text, &len, err);

	if (r)
		return hpc_error_wrap(err, r, "cannot read configuration file '%s'", path);
	r = hpc_config_load_string(cfg, path, text, len, ev, err);
	free(text);
	return r;
}

/* ---- search path ---- */

static void add_rc_dir(struct hpc_strv *out, const char *dir)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *f = names[i]->d_name;

		if (hpc_str_endswith(f, ".yml") || hpc_str_endswith(f, ".yaml"))
			hpc_strv_push_take(out, hpc_path_join(dir, f));
		free(names[i]);
	}
	free(names);
}

static void add_rc_location(struct hpc_strv *out, const char *dir)
{
	char *p;

	if (!dir || !*dir)
		return;
	p = hpc_path_join(dir, ".condarc");
	hpc_strv_push_take(out, p);
	hpc_strv_push_take(out, hpc_path_join(dir, "condarc"));
	p = hpc_path_join(dir, "condarc.d");
	add_rc_dir(out, p);
	free(p);
}

void hpc_config_search_path(const struct hpc_config *cfg, struct hpc_strv *out)
{
	struct hpc_strv all = HPC_STRV_INIT, real = HPC_STRV_INIT;
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = hpc_home_dir();
	char *p;

	add_rc_location(&all, "/etc/conda");
	add_rc_location(&all, "/var/lib/conda");
	add_rc_location(&all, cfg->root_prefix);
	p = xdg && *xdg ? hpc_path_join(xdg, "conda") : hpc_path_join(home, ".config/conda");
	add_rc_location(&all, p);
	free(p);
	p = hpc_path_join(home, ".config/conda");
	add_rc_location(&all, p);
	free(p);
	p = hpc_path_join(home, ".conda");
	add_rc_location(&all, p);
	free(p);
	hpc_strv_push_take(&all, hpc_path_join(home, ".condarc"));
	add_rc_location(&all, getenv("CONDA_PREFIX"));
	if (getenv("CONDARC") && *getenv("CONDARC"))
		hpc_strv_push_take(&all, hpc_path_expand(getenv("CONDARC")));
	if (getenv("HPCENV_RC") && *getenv("HPCENV_RC"))
		hpc_strv_push_take(&all, hpc_path_expand(getenv("HPCENV_RC")));
	/* the same file reached twice (XDG = ~/.config) is read once, at its first place */
	for (size_t i = 0; i < all.n; i++) {
		char *r = realpath(all.v[i], NULL);

		if (r && !hpc_is_dir(r) && !hpc_strv_contains(&real, r)) {
			hpc_strv_push(&real, r);
			hpc_strv_push(out, all.v[i]);
		}
		free(r);
	}
	hpc_strv_fini(&all);
	hpc_strv_fini(&real);
}

/* ---- environment ---- */

static const char *env_lookup(char **envp, const char *name)
{
	size_t n = strlen(name);

	for (char **e = envp; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* Parse text for a key into a new value; nothing is stored unless it all parses. */
static int parse_text(size_t key, const char *text, const char *seps, const char *where,
		      struct cfg_value *v, struct hpc_error **err)
{
	struct hpc_strv items = HPC_STRV_INIT;
	const char *why = NULL;
	int r = 0;

	if (!is_list_type(keys[key].type)) {
		v->scalar = normalise_scalar(&keys[key], text, &why);
		if (!v->scalar)
			return HPC_FAIL(err, CONFIG, "%s: '%s' for %s: %s", where, text,
					keys[key].name, why);
		return 0;
	}
	hpc_strv_split(&items, text, seps);
	for (size_t i = 0; i < items.n && !r; i++) {
		char *eq = strchr(items.v[i], '=');

		if (keys[key].type != HPC_CFG_MAP) {
			hpc_strv_push_take(&v->list, normalise_scalar(&keys[key], items.v[i], &why));
		} else if (!eq) {
			r = HPC_FAIL(err, CONFIG, "%s: '%s' for %s: expected KEY=VALUE", where,
				     items.v[i], keys[key].name);
		} else {
			hpc_strv_push_take(&v->list, hpc_xstrndup(items.v[i],
								  (size_t)(eq - items.v[i])));
			hpc_strv_push(&v->list, eq + 1);
		}
	}
	hpc_strv_fini(&items);
	return r;
}

static int set_from_text(struct cfg_source *s, size_t key, const char *text, const char *seps,
			 const char *where, struct hpc_error **err)
{
	struct cfg_value tmp = { .key = key }, *v;
	int r = parse_text(key, text, seps, where, &tmp, err);

	if (r) {
		free(tmp.scalar);
		hpc_strv_fini(&tmp.list);
		return r;
	}
	v = source_value(s, key, true);
	if (tmp.scalar) {
		free(v->scalar);
		v->scalar = tmp.scalar;
	}
	hpc_strv_copy(&v->list, &tmp.list); /* lists given twice (cmdline) accumulate */
	hpc_strv_fini(&tmp.list);
	return 0;
}

static char *env_name(const char *prefix, const char *key)
{
	char *n = hpc_xasprintf("%s%s", prefix, key);

	for (char *p = n; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	return n;
}

int hpc_config_load_env(struct hpc_config *cfg, char **envp, const struct hpc_events *ev,
			struct hpc_error **err)
{
	static const char *const prefixes[] = { "CONDA_", "HPCENV_" };
	int r = 0;

	(void)ev;
	if (!envp)
		envp = environ;
	for (size_t pi = 0; pi < 2 && !r; pi++) {
		struct cfg_source *s = NULL;

		for (size_t k = 0; k < NKEYS + 1 && !r; k++) {
			/* k == NKEYS: conda's CONDA_ENVS_PATH, a ':'-separated envs_dirs */
			const char *kn = k < NKEYS ? keys[k].name : "envs_path";
			char *name = env_name(prefixes[pi], kn);
			const char *val = env_lookup(envp, name);

			if (val && *val) {
				if (!s)
					s = source_add(cfg, pi ? "env:HPCENV_*" : "env:CONDA_*",
						       HPC_CFG_SRC_ENV);
				r = set_from_text(s, k < NKEYS ? k : (size_t)key_index(kn), val,
						  k < NKEYS ? "," : ":,", name, err);
			}
			free(name);
		}
	}
	/* nothing half-loaded: a failed environment drops both env sources */
	for (size_t i = cfg->nsrc; r && i-- > 0;)
		if (cfg->src[i].kind == HPC_CFG_SRC_ENV)
			source_drop(cfg, &cfg->src[i]);
	remerge(cfg);
	return r;
}

int hpc_config_load_default(struct hpc_config *cfg, char **envp, const struct hpc_events *ev,
			    struct hpc_error **err)
{
	struct hpc_strv files = HPC_STRV_INIT;
	int r = 0;

	if (!envp)
		envp = environ;
	/* The root prefix decides one rc location, so take it from the environment
	 * (or an earlier --root-prefix) before reading files. */
	if (!hpc_config_is_set(cfg, "root_prefix") && env_lookup(envp, "HPCENV_ROOT_PREFIX"))
		r = hpc_config_load_env(cfg, envp, ev, err);
	hpc_config_search_path(cfg, &files);
	for (size_t i = 0; i < files.n && !r; i++)
		r = hpc_config_load_file(cfg, files.v[i], ev, err);
	if (!r && !source_find(cfg, HPC_CFG_SRC_ENV))
		r = hpc_config_load_env(cfg, envp, ev, err);
	hpc_strv_fini(&files);
	return r;
}

int hpc_config_set(struct hpc_config *cfg, const char *key, const char *value,
		   struct hpc_error **err)
{
	long k = key_index(key);
	struct cfg_source *s;
	int r;

	if (k < 0)
		return HPC_FAIL(err, USAGE, "unknown configuration key '%s'", key);
	s = source_find(cfg, HPC_CFG_SRC_CMDLINE);
	if (!s)
		s = source_add(cfg, "cmdline", HPC_CFG_SRC_CMDLINE);
	r = set_from_text(s, (size_t)k, value, "\n", "command line", err);
	remerge(cfg);
	return r;
}

/* ---- getters ---- */

static const struct merged *merged_of(const struct hpc_config *cfg, const char *key)
{
	long k = key_index(key);

	return k < 0 ? NULL : &cfg->m[k];
}

bool hpc_config_is_set(const struct hpc_config *cfg, const char *key)
{
	const struct merged *m = merged_of(cfg, key);

	return m && m->set;
}

const char *hpc_config_get_str(const struct hpc_config *cfg, const char *key)
{
	const struct merged *m = merged_of(cfg, key);

	return m ? m->scalar : NULL;
}

bool hpc_config_get_bool(const struct hpc_config *cfg, const char *key)
{
	const char *s = hpc_config_get_str(cfg, key);

	return s && parse_bool(s) != 0;
}

long hpc_config_get_int(const struct hpc_config *cfg, const char *key)
{
	const char *s = hpc_config_get_str(cfg, key);

	return s ? strtol(s, NULL, 10) : 0;
}

double hpc_config_get_float(const struct hpc_config *cfg, const char *key)
{
	const char *s = hpc_config_get_str(cfg, key);

	return s ? strtod(s, NULL) : 0.0;
}

const struct hpc_strv *hpc_config_get_list(const struct hpc_config *cfg, const char *key)
{
	static const struct hpc_strv empty = HPC_STRV_INIT;
	const struct merged *m = merged_of(cfg, key);

	return m ? &m->list : &empty;
}

const char *hpc_config_map_get(const struct hpc_config *cfg, const char *key, const char *mkey)
{
	const struct hpc_strv *l = hpc_config_get_list(cfg, key);

	for (size_t i = 0; i + 1 < l->n; i += 2)
		if (!strcmp(l->v[i], mkey))
			return l->v[i + 1];
	return NULL;
}

const char *hpc_config_origin(const struct hpc_config *cfg, const char *key)
{
	const struct merged *m = merged_of(cfg, key);

	return m && m->origin ? m->origin : "default";
}

const char *hpc_config_root_prefix(const struct hpc_config *cfg)
{
	return cfg->root_prefix;
}

/* ---- sources ---- */

size_t hpc_config_nsources(const struct hpc_config *cfg)
{
	return cfg->nsrc;
}

const char *hpc_config_source_name(const struct hpc_config *cfg, size_t i)
{
	return i < cfg->nsrc ? cfg->src[i].name : NULL;
}

enum hpc_config_source_kind hpc_config_source_kind(const struct hpc_config *cfg, size_t i)
{
	return i < cfg->nsrc ? cfg->src[i].kind : HPC_CFG_SRC_DEFAULT;
}

void hpc_config_source_keys(const struct hpc_config *cfg, size_t i, struct hpc_strv *out)
{
	if (i >= cfg->nsrc)
		return;
	for (size_t j = 0; j < cfg->src[i].nvals; j++)
		hpc_strv_push(out, keys[cfg->src[i].vals[j].key].name);
}

bool hpc_config_source_value(const struct hpc_config *cfg, size_t i, const char *key,
			     const char **scalar, const struct hpc_strv **list)
{
	long k = key_index(key);
	struct cfg_value *v;

	if (i >= cfg->nsrc || k < 0)
		return false;
	v = source_value(&cfg->src[i], (size_t)k, false);
	if (!v)
		return false;
	if (scalar)
		*scalar = v->scalar;
	if (list)
		*list = &v->list;
	return true;
}
