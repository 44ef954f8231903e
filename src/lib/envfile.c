/* SPDX-License-Identifier: MIT */
/* envfile.c - plain spec lists and environment.yml (see hpcenv/envfile.h)
 *
 * environment.yml is read with libyaml's document API, so every value keeps its position
 * for messages. conda reads name, channels, dependencies (strings, and one "pip" mapping),
 * prefix and variables; other keys are recorded for a warning, not refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "hpcenv/envfile.h"
#include "hpcenv/error.h"
#include "hpcenv/matchspec.h"
#include "hpcenv/solver.h"

void hpc_envfile_init(struct hpc_envfile *ef)
{
	memset(ef, 0, sizeof(*ef));
}

void hpc_envfile_fini(struct hpc_envfile *ef)
{
	free(ef->path);
	free(ef->name);
	free(ef->prefix);
	hpc_strv_fini(&ef->channels);
	hpc_strv_fini(&ef->specs);
	hpc_strv_fini(&ef->origins);
	hpc_strv_fini(&ef->variables);
	hpc_strv_fini(&ef->pip);
	free(ef->pip_origin);
	hpc_strv_fini(&ef->unknown);
	hpc_envfile_init(ef);
}

/* Check a spec found at path:line:col; a parse error points at the file's column. */
static int add_spec(struct hpc_envfile *ef, const char *spec, size_t line, size_t col,
		    struct hpc_error **err)
{
	struct hpc_error *e = NULL;
	struct hpc_matchspec *ms = hpc_matchspec_parse(spec, &e);
	const char *at;
	int r = 0;
	size_t c;

	if (!ms) {
		at = strstr(e->msg, " at column ");
		c = at ? col + strtoul(at + 11, NULL, 10) - 1 : col;
		r = HPC_FAIL(err, SPEC, "%s:%zu:%zu: %s", ef->path, line, c, e->msg);
		hpc_error_free(e);
		return r;
	}
	hpc_matchspec_free(ms);
	hpc_strv_push(&ef->specs, spec);
	hpc_strv_pushf(&ef->origins, "%s:%zu", ef->path, line);
	return 0;
}

/* ---- plain spec lists ---- */

int hpc_envfile_parse_plain(const char *path, const char *text, size_t len,
			    struct hpc_envfile *ef, struct hpc_error **err)
{
	const char *p = text, *end = text + len;
	size_t line = 0;
	int r = 0;

	hpc_envfile_init(ef);
	ef->path = hpc_xstrdup(path);
	while (p < end && r == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		char *s = hpc_xstrndup(p, (size_t)(e - p)), *hash = strchr(s, '#');
		size_t lead = strspn(s, " \t");

		line++;
		if (!strncmp(s + lead, "@EXPLICIT", 9))
			r = HPC_FAIL(err, USAGE,
				     "%s:%zu: an @EXPLICIT file lists package URLs, not specs "
				     "(install it as an explicit environment)",
				     path, line);
		if (hash)
			*hash = '\0';
		if (r == 0 && *hpc_str_trim(s))
			r = add_spec(ef, s, line, lead + 1, err);
		free(s);
		p = e + 1;
	}
	if (r < 0)
		hpc_envfile_fini(ef);
	return r;
}

/* ---- environment.yml ---- */

struct ydoc {
	yaml_document_t *doc;
	struct hpc_envfile *ef;
};

static int fail_at(struct ydoc *y, const yaml_node_t *n, struct hpc_error **err,
		   const char *fmt, const char *what)
{
	return HPC_FAIL(err, PARSE, "%s:%zu:%zu: %s %s", y->ef->path, n->start_mark.line + 1,
			n->start_mark.column + 1, what, fmt);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node(struct ydoc *y, int id)
{
	return yaml_document_get_node(y->doc, id);
}

static int read_strings(struct ydoc *y, const yaml_node_t *n, const char *key,
			struct hpc_strv *out, struct hpc_error **err)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(y, n, err, "must be a list", key);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *item = node(y, *it);

		if (!scalar(item))
			return fail_at(y, item, err, "must be a list of strings", key);
		hpc_strv_push(out, scalar(item));
	}
	return 0;
}

static int read_pip(struct ydoc *y, const yaml_node_t *map, struct hpc_error **err)
{
	const yaml_node_pair_t *p = map->data.mapping.pairs.start;
	yaml_node_t *k = node(y, p->key), *v = node(y, p->value);

	if (map->data.mapping.pairs.top - p != 1 || !scalar(k) || strcmp(scalar(k), "pip"))
		return fail_at(y, map, err, "may only map 'pip' to a list", "a dependency");
	free(y->ef->pip_origin);
	y->ef->pip_origin = hpc_xasprintf("%s:%zu:%zu", y->ef->path, k->start_mark.line + 1,
					  k->start_mark.column + 1);
	return read_strings(y, v, "pip", &y->ef->pip, err);
}

static int read_dependencies(struct ydoc *y, const yaml_node_t *n, struct hpc_error **err)
{
	int r = 0;

	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(y, n, err, "must be a list", "'dependencies'");
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top && r == 0; it++) {
		yaml_node_t *item = node(y, *it);

		if (item->type == YAML_MAPPING_NODE)
			r = read_pip(y, item, err);
		else if (scalar(item))
			r = add_spec(y->ef, scalar(item), item->start_mark.line + 1,
				     item->start_mark.column + 1, err);
		else
			r = fail_at(y, item, err, "must be a spec or a pip: list", "a dependency");
	}
	return r;
}

static int read_variables(struct ydoc *y, const yaml_node_t *n, struct hpc_error **err)
{
	if (n->type != YAML_MAPPING_NODE)
		return fail_at(y, n, err, "must be a mapping", "'variables'");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node(y, p->key), *v = node(y, p->value);

		if (!scalar(k) || !scalar(v))
			return fail_at(y, k, err, "must map names to values", "'variables'");
		hpc_strv_push(&y->ef->variables, scalar(k));
		hpc_strv_push(&y->ef->variables, scalar(v));
	}
	return 0;
}

static int read_string(struct ydoc *y, const yaml_node_t *n, const char *key, char **out,
		       struct hpc_error **err)
{
	if (!scalar(n))
		return fail_at(y, n, err, "must be a string", key);
	free(*out);
	*out = hpc_xstrdup(scalar(n));
	return 0;
}

static int read_key(struct ydoc *y, yaml_node_t *k, yaml_node_t *v, struct hpc_error **err)
{
	const char *key = scalar(k);
	struct hpc_envfile *ef = y->ef;

	if (!key)
		return fail_at(y, k, err, "must be strings", "keys");
	if (!strcmp(key, "name"))
		return read_string(y, v, "'name'", &ef->name, err);
	if (!strcmp(key, "prefix"))
		return read_string(y, v, "'prefix'", &ef->prefix, err);
	if (!strcmp(key, "channels"))
		return read_strings(y, v, "'channels'", &ef->channels, err);
	if (!strcmp(key, "dependencies"))
		return read_dependencies(y, v, err);
	if (!strcmp(key, "variables"))
		return read_variables(y, v, err);
	hpc_strv_pushf(&ef->unknown, "%s:%zu:%zu: %s", ef->path, k->start_mark.line + 1,
		       k->start_mark.column + 1, key);
	return 0;
}

static int read_root(struct ydoc *y, struct hpc_error **err)
{
	yaml_node_t *root = yaml_document_get_root_node(y->doc);
	int r = 0;

	if (!root)
		return HPC_FAIL(err, PARSE, "%s: empty file", y->ef->path);
	if (root->type != YAML_MAPPING_NODE)
		return fail_at(y, root, err, "must be a mapping (name, channels, dependencies)",
			       "an environment file");
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top && r == 0; p++)
		r = read_key(y, node(y, p->key), node(y, p->value), err);
	return r;
}

int hpc_envfile_parse_yaml(const char *path, const char *text, size_t len,
			   struct hpc_envfile *ef, struct hpc_error **err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct ydoc y = { &doc, ef };
	int r;

	hpc_envfile_init(ef);
	ef->path = hpc_xstrdup(path);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		const yaml_mark_t *m = parser.problem ? &parser.problem_mark : &parser.context_mark;

		r = HPC_FAIL(err, PARSE, "%s:%zu:%zu: %s%s%s", path, m->line + 1, m->column + 1,
			     parser.problem ? parser.problem : "invalid YAML",
			     parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		hpc_envfile_fini(ef);
		return r;
	}
	r = read_root(&y, err);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (r < 0)
		hpc_envfile_fini(ef);
	return r;
}

int hpc_envfile_read(const char *path, struct hpc_envfile *ef, struct hpc_error **err)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	hpc_envfile_init(ef);
	if ((r = hpc_file_read(path, &text, &len, err)) < 0)
		return r;
	if (hpc_str_endswith(path, ".yml") || hpc_str_endswith(path, ".yaml"))
		r = hpc_envfile_parse_yaml(path, text, len, ef, err);
	else
		r = hpc_envfile_parse_plain(path, text, len, ef, err);
	free(text);
	return r;
}

int hpc_envfile_to_request(const struct hpc_envfile *ef, struct hpc_request *rq,
			   struct hpc_error **err)
{
	size_t n0 = rq->njobs;
	int r = 0;

	if (ef->pip_origin) {
		char *list = hpc_strv_join(&ef->pip, ", ");

		r = HPC_FAIL(err, UNSUPPORTED,
			     "%s: pip dependencies are not supported (hpcenv installs conda "
			     "packages only): %s",
			     ef->pip_origin, list);
		free(list);
		return r;
	}
	for (size_t i = 0; i < ef->specs.n && r == 0; i++)
		r = hpc_request_add(rq, HPC_JOB_INSTALL, ef->specs.v[i], ef->origins.v[i], err);
	if (r < 0) {
		while (rq->njobs > n0) {
			struct hpc_job *j = &rq->jobs[--rq->njobs];

			free(j->spec);
			free(j->origin);
			hpc_matchspec_free(j->ms);
		}
	}
	return r;
}
