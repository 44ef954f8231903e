/* SPDX-License-Identifier: MIT */
/* config.c - hpcenv config list|get|sources (docs/config.md) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A typed JSON value for a key from its text form. */
static json_t *value_json(const struct hpc_config_key *k, const char *scalar,
			  const struct hpc_strv *list)
{
	json_t *v;

	switch (k->type) {
	case HPC_CFG_LIST:
	case HPC_CFG_PATH_LIST:
		v = json_array();
		for (size_t i = 0; list && i < list->n; i++)
			json_array_append_new(v, json_string(list->v[i]));
		return v;
	case HPC_CFG_MAP:
		v = json_object();
		for (size_t i = 0; list && i + 1 < list->n; i += 2)
			json_object_set_new(v, list->v[i], json_string(list->v[i + 1]));
		return v;
	default:
		break;
	}
	if (!scalar)
		return json_null();
	if (k->type == HPC_CFG_BOOL || (k->type == HPC_CFG_BOOL_OR_STR &&
					(!strcmp(scalar, "true") || !strcmp(scalar, "false"))))
		return json_boolean(!strcmp(scalar, "true"));
	if (k->type == HPC_CFG_INT)
		return json_integer(strtol(scalar, NULL, 10));
	if (k->type == HPC_CFG_FLOAT)
		return json_real(strtod(scalar, NULL));
	return json_string(scalar);
}

static json_t *merged_json(const struct hpc_config *cfg, const struct hpc_config_key *k)
{
	return value_json(k, hpc_config_get_str(cfg, k->name), hpc_config_get_list(cfg, k->name));
}

/* YAML-style text, as `conda config --show` prints it. */
static void print_value(const char *indent, const struct hpc_config_key *k, json_t *v)
{
	size_t i;
	const char *key;
	json_t *item;

	if (json_is_array(v)) {
		printf(json_array_size(v) ? "%s:\n" : "%s: []\n", k->name);
		json_array_foreach(v, i, item)
			printf("%s  - %s\n", indent, json_string_value(item));
	} else if (json_is_object(v)) {
		printf(json_object_size(v) ? "%s:\n" : "%s: {}\n", k->name);
		json_object_foreach(v, key, item)
			printf("%s  %s: %s\n", indent, key, json_string_value(item));
	} else if (json_is_null(v)) {
		printf("%s: null\n", k->name);
	} else {
		char *s = json_dumps(v, JSON_ENCODE_ANY);

		printf("%s: %s\n", k->name, json_is_string(v) ? json_string_value(v) : s);
		free(s);
	}
}

static int list_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	json_t *o = json_object();

	for (size_t i = 0; i < hpc_config_nkeys(); i++) {
		const struct hpc_config_key *k = hpc_config_key_at(i);
		json_t *v = merged_json(s->cfg, k);

		if (!strcmp(k->name, "root_prefix"))
			v = (json_decref(v), json_string(hpc_config_root_prefix(s->cfg)));
		if (!s->json)
			print_value("", k, v);
		json_object_set_new(o, k->name, v);
	}
	s->out = o;
	return 0;
}

HPC_DEFINE_COMMAND(config_list,
	.group = "config", .name = "list",
	.summary = "show every setting with its merged value",
	.opts = (const struct hpc_opt[]){ HPC_OPT_END },
	.min_args = 0, .max_args = 0, .run = list_run)

static int get_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	const struct hpc_config_key *k = hpc_config_key_find(s->argv[0]);
	json_t *v;

	if (!k)
		return HPC_FAIL(err, USAGE, "unknown configuration key '%s'", s->argv[0]);
	v = !strcmp(k->name, "root_prefix") ? json_string(hpc_config_root_prefix(s->cfg))
					     : merged_json(s->cfg, k);
	if (s->json) {
		s->out = json_pack("{s:o,s:s}", k->name, v, "origin",
				   hpc_config_origin(s->cfg, k->name));
		return 0;
	}
	if (json_is_array(v) || json_is_object(v)) {
		print_value("", k, v);
	} else {
		char *t = json_dumps(v, JSON_ENCODE_ANY);

		printf("%s\n", json_is_string(v) ? json_string_value(v) : t);
		free(t);
	}
	json_decref(v);
	return 0;
}

HPC_DEFINE_COMMAND(config_get,
	.group = "config", .name = "get", .usage = "KEY",
	.summary = "print one setting's merged value",
	.opts = (const struct hpc_opt[]){ HPC_OPT_END },
	.min_args = 1, .max_args = 1, .run = get_run)

static const char *kind_name(enum hpc_config_source_kind k)
{
	static const char *const names[] = { "file", "env", "cmdline", "default" };

	return names[k];
}

static int sources_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < hpc_config_nsources(s->cfg); i++) {
		struct hpc_strv keys = HPC_STRV_INIT;
		json_t *vals = json_object();

		hpc_config_source_keys(s->cfg, i, &keys);
		if (!s->json)
			printf("==> %s <==\n", hpc_config_source_name(s->cfg, i));
		for (size_t j = 0; j < keys.n; j++) {
			const struct hpc_config_key *k = hpc_config_key_find(keys.v[j]);
			const char *scalar = NULL;
			const struct hpc_strv *list = NULL;
			json_t *v;

			hpc_config_source_value(s->cfg, i, keys.v[j], &scalar, &list);
			v = value_json(k, scalar, list);
			if (!s->json)
				print_value("", k, v);
			json_object_set_new(vals, k->name, v);
		}
		if (!s->json)
			printf("\n");
		json_array_append_new(arr, json_pack("{s:s,s:s,s:o}", "name",
						     hpc_config_source_name(s->cfg, i), "kind",
						     kind_name(hpc_config_source_kind(s->cfg, i)),
						     "values", vals));
		hpc_strv_fini(&keys);
	}
	s->out = json_pack("{s:o}", "sources", arr);
	return 0;
}

HPC_DEFINE_COMMAND(config_sources,
	.group = "config", .name = "sources",
	.summary = "show which file or variable set what, lowest priority first",
	.opts = (const struct hpc_opt[]){ HPC_OPT_END },
	.min_args = 0, .max_args = 0, .run = sources_run)
