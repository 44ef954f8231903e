/* SPDX-License-Identifier: MIT */
/* tu_lock.c - lock files as channels (see tu_lock.h) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <yaml.h>

#include "tu_lock.h"

static json_t *to_json(yaml_document_t *doc, yaml_node_t *n)
{
	json_t *j;

	switch (n->type) {
	case YAML_SCALAR_NODE:
		return json_stringn((const char *)n->data.scalar.value, n->data.scalar.length);
	case YAML_SEQUENCE_NODE:
		j = json_array();
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++)
			json_array_append_new(j, to_json(doc, yaml_document_get_node(doc, *it)));
		return j;
	case YAML_MAPPING_NODE:
		j = json_object();
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(doc, p->key);

			json_object_set_new(j, (const char *)k->data.scalar.value,
					    to_json(doc, yaml_document_get_node(doc, p->value)));
		}
		return j;
	default:
		return json_null();
	}
}

json_t *tu_yaml_load(const char *path)
{
	struct hpc_error *e = NULL;
	yaml_parser_t parser;
	yaml_document_t doc;
	char *text;
	size_t len;
	json_t *j;

	if (hpc_file_read(path, &text, &len, &e))
		fail_msg("%s", e->msg);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc))
		fail_msg("%s: %s", path, parser.problem);
	j = to_json(&doc, yaml_document_get_root_node(&doc));
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	free(text);
	return j;
}

/* https://x/conda-forge/linux-64/numpy-2.3.5-py312h33ff503_1.conda: the subdir URL, the file
 * name, and name/version/build from it. */
struct where {
	char *subdir_url, *fn, *name, *version, *build, *subdir;
};

static void where_parse(struct where *w, const char *url)
{
	const char *slash = strrchr(url, '/');
	char *stem, *dash;

	w->subdir_url = hpc_xstrndup(url, (size_t)(slash - url));
	w->subdir = hpc_xstrdup(strrchr(w->subdir_url, '/') + 1);
	w->fn = hpc_xstrdup(slash + 1);
	stem = hpc_xstrndup(w->fn, strlen(w->fn) - (hpc_str_endswith(w->fn, ".conda") ? 6 : 8));
	dash = strrchr(stem, '-');
	w->build = hpc_xstrdup(dash + 1);
	*dash = '\0';
	dash = strrchr(stem, '-');
	w->version = hpc_xstrdup(dash + 1);
	*dash = '\0';
	w->name = stem;
}

static void where_fini(struct where *w)
{
	free(w->subdir_url);
	free(w->fn);
	free(w->name);
	free(w->version);
	free(w->build);
	free(w->subdir);
}

/* Put rec (a repodata record for url) into channels[subdir URL].packages. */
static void add_record(json_t *channels, const char *url, json_t *rec)
{
	struct where w;
	json_t *rd;

	where_parse(&w, url);
	if (!json_object_get(rec, "name"))
		json_object_set_new(rec, "name", json_string(w.name));
	if (!json_object_get(rec, "version"))
		json_object_set_new(rec, "version", json_string(w.version));
	json_object_set_new(rec, "build", json_string(w.build));
	json_object_set_new(rec, "subdir", json_string(w.subdir));
	if (!(rd = json_object_get(channels, w.subdir_url))) {
		rd = json_pack("{s:{s:s},s:{},s:{}}", "info", "subdir", w.subdir, "packages",
			       "packages.conda");
		json_object_set_new(channels, w.subdir_url, rd);
	}
	json_object_set_new(json_object_get(rd, hpc_str_endswith(w.fn, ".conda") ?
						"packages.conda" : "packages"),
			    w.fn, rec);
	where_fini(&w);
}

json_t *tu_condalock_channels(json_t *lock, const char *platform)
{
	json_t *channels = json_object(), *pkg;
	size_t i;

	json_array_foreach(json_object_get(lock, "package"), i, pkg) {
		json_t *rec, *deps = json_array(), *hash = json_object_get(pkg, "hash"), *v;
		const char *dep;

		if (strcmp(json_string_value(json_object_get(pkg, "platform")), platform) ||
		    strcmp(json_string_value(json_object_get(pkg, "manager")), "conda")) {
			json_decref(deps);
			continue;
		}
		json_object_foreach(json_object_get(pkg, "dependencies"), dep, v) {
			const char *spec = json_string_value(v);

			json_array_append_new(deps, *spec ? json_sprintf("%s %s", dep, spec) :
							    json_string(dep));
		}
		rec = json_pack("{s:O,s:O,s:o,s:O,s:O,s:i}", "name", json_object_get(pkg, "name"),
				"version", json_object_get(pkg, "version"), "depends", deps, "md5",
				json_object_get(hash, "md5"), "sha256",
				json_object_get(hash, "sha256"), "build_number", 0);
		add_record(channels, json_string_value(json_object_get(pkg, "url")), rec);
	}
	return channels;
}

json_t *tu_pixilock_channels(json_t *lock, const char *env, const char *platform)
{
	json_t *channels = json_object(), *want = json_object(), *item, *pkg;
	json_t *e = json_object_get(json_object_get(lock, "environments"), env);
	json_t *list = json_object_get(json_object_get(e, "packages"), platform);
	size_t i;

	json_array_foreach(list, i, item)
		if (json_object_get(item, "conda"))
			json_object_set_new(want, json_string_value(json_object_get(item, "conda")),
					    json_true());
	json_array_foreach(json_object_get(lock, "packages"), i, pkg) {
		const char *url = json_string_value(json_object_get(pkg, "conda"));
		json_t *rec;
		const char *key;
		json_t *v;

		if (!url || !json_object_get(want, url))
			continue;
		rec = json_object();
		json_object_foreach(pkg, key, v)
			if (strcmp(key, "conda") && strcmp(key, "purls") &&
			    strcmp(key, "run_exports"))
				json_object_set(rec, key, v);
		for (int k = 0; k < 3; k++) {
			static const char *const nums[] = { "build_number", "size", "timestamp" };
			const char *num = nums[k];

			v = json_object_get(rec, num);
			if (v && json_is_string(v))
				json_object_set_new(rec, num,
						    json_integer(atoll(json_string_value(v))));
		}
		add_record(channels, url, rec);
	}
	json_decref(want);
	return channels;
}
