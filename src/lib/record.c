/* SPDX-License-Identifier: MIT */
/* record.c - package records and their repodata_record.json form */
#include <stdlib.h>
#include <string.h>

#include "hpcenv/error.h"
#include "record_int.h"

void hpc_record_init(struct hpc_record *r)
{
	memset(r, 0, sizeof(*r));
}

void hpc_record_fini(struct hpc_record *r)
{
	char **strs[] = { &r->name, &r->version, &r->build, &r->channel, &r->subdir, &r->fn,
			  &r->url, &r->md5, &r->sha256, &r->noarch, &r->license,
			  &r->python_site_packages_path, &r->extra_json };

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(*strs[i]);
	hpc_strv_fini(&r->depends);
	hpc_strv_fini(&r->constrains);
	hpc_strv_fini(&r->track_features);
	hpc_record_init(r);
}

static char *dup_or_null(const char *s)
{
	return s ? hpc_xstrdup(s) : NULL;
}

void hpc_record_copy(struct hpc_record *dst, const struct hpc_record *src)
{
	hpc_record_init(dst);
	dst->name = dup_or_null(src->name);
	dst->version = dup_or_null(src->version);
	dst->build = dup_or_null(src->build);
	dst->build_number = src->build_number;
	dst->channel = dup_or_null(src->channel);
	dst->subdir = dup_or_null(src->subdir);
	dst->fn = dup_or_null(src->fn);
	dst->url = dup_or_null(src->url);
	dst->md5 = dup_or_null(src->md5);
	dst->sha256 = dup_or_null(src->sha256);
	dst->size = src->size;
	dst->timestamp = src->timestamp;
	dst->noarch = dup_or_null(src->noarch);
	dst->license = dup_or_null(src->license);
	dst->python_site_packages_path = dup_or_null(src->python_site_packages_path);
	dst->extra_json = dup_or_null(src->extra_json);
	hpc_strv_copy(&dst->depends, &src->depends);
	hpc_strv_copy(&dst->constrains, &src->constrains);
	hpc_strv_copy(&dst->track_features, &src->track_features);
}

char *hpc_record_dist(const struct hpc_record *r)
{
	return hpc_xasprintf("%s-%s-%s", r->name, r->version, r->build);
}

/* ---- from JSON ---- */

static const char *const known_keys[] = {
	"name", "version", "build", "build_number", "channel", "subdir", "fn", "url", "md5",
	"sha256", "size", "timestamp", "noarch", "license", "python_site_packages_path",
	"depends", "constrains", "track_features", NULL,
};

static bool is_known(const char *k)
{
	for (const char *const *p = known_keys; *p; p++)
		if (!strcmp(*p, k))
			return true;
	return false;
}

static int get_str(json_t *obj, const char *key, char **out, bool required, const char *where,
		   struct hpc_error **err)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v)) {
		if (required)
			return HPC_FAIL(err, PARSE, "%s: record has no '%s'", where, key);
		return 0;
	}
	if (!json_is_string(v))
		return HPC_FAIL(err, PARSE, "%s: '%s' must be a string", where, key);
	*out = hpc_xstrdup(json_string_value(v));
	return 0;
}

static int get_list(json_t *obj, const char *key, struct hpc_strv *out, const char *where,
		    struct hpc_error **err)
{
	json_t *v = json_object_get(obj, key), *item;
	size_t i;

	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v)) { /* track_features: "a b" or "a,b" */
		hpc_strv_split(out, json_string_value(v), " ,");
		return 0;
	}
	if (!json_is_array(v))
		return HPC_FAIL(err, PARSE, "%s: '%s' must be a list", where, key);
	json_array_foreach(v, i, item) {
		if (!json_is_string(item))
			return HPC_FAIL(err, PARSE, "%s: '%s' item %zu is not a string", where, key,
					i);
		hpc_strv_push(out, json_string_value(item));
	}
	return 0;
}

static int get_uint(json_t *obj, const char *key, uint64_t *out, const char *where,
		    struct hpc_error **err)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		*out = (uint64_t)json_integer_value(v);
	else if (json_is_real(v) && json_real_value(v) >= 0)
		*out = (uint64_t)json_real_value(v);
	else
		return HPC_FAIL(err, PARSE, "%s: '%s' must be a non-negative number", where, key);
	return 0;
}

/* noarch is "python"/"generic", or a legacy boolean (true = generic). */
static int get_noarch(json_t *obj, struct hpc_record *r, const char *where,
		      struct hpc_error **err)
{
	json_t *v = json_object_get(obj, "noarch");

	if (!v || json_is_null(v) || json_is_false(v))
		return 0;
	if (json_is_true(v)) {
		r->noarch = hpc_xstrdup("generic");
		return 0;
	}
	return get_str(obj, "noarch", &r->noarch, false, where, err);
}

static void keep_extra(json_t *obj, struct hpc_record *r)
{
	json_t *extra = json_object(), *v;
	const char *k;

	json_object_foreach(obj, k, v)
		if (!is_known(k))
			json_object_set(extra, k, v);
	if (json_object_size(extra))
		r->extra_json = json_dumps(extra, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(extra);
}

int hpc_record_from_object(struct hpc_record *r, json_t *obj, const char *where,
			   struct hpc_error **err)
{
	json_t *bn;
	uint64_t bnum = 0;
	int rc;

	hpc_record_init(r);
	if (!json_is_object(obj))
		return HPC_FAIL(err, PARSE, "%s: a record must be a JSON object", where);
	rc = get_str(obj, "name", &r->name, true, where, err);
	rc = rc ? rc : get_str(obj, "version", &r->version, true, where, err);
	rc = rc ? rc : get_str(obj, "build", &r->build, true, where, err);
	bn = json_object_get(obj, "build_number");
	if (!rc && bn && !json_is_null(bn))
		rc = get_uint(obj, "build_number", &bnum, where, err);
	r->build_number = (long)bnum;
	rc = rc ? rc : get_str(obj, "channel", &r->channel, false, where, err);
	rc = rc ? rc : get_str(obj, "subdir", &r->subdir, false, where, err);
	rc = rc ? rc : get_str(obj, "fn", &r->fn, false, where, err);
	rc = rc ? rc : get_str(obj, "url", &r->url, false, where, err);
	rc = rc ? rc : get_str(obj, "md5", &r->md5, false, where, err);
	rc = rc ? rc : get_str(obj, "sha256", &r->sha256, false, where, err);
	rc = rc ? rc : get_uint(obj, "size", &r->size, where, err);
	rc = rc ? rc : get_uint(obj, "timestamp", &r->timestamp, where, err);
	rc = rc ? rc : get_noarch(obj, r, where, err);
	rc = rc ? rc : get_str(obj, "license", &r->license, false, where, err);
	rc = rc ? rc : get_str(obj, "python_site_packages_path", &r->python_site_packages_path,
			       false, where, err);
	rc = rc ? rc : get_list(obj, "depends", &r->depends, where, err);
	rc = rc ? rc : get_list(obj, "constrains", &r->constrains, where, err);
	rc = rc ? rc : get_list(obj, "track_features", &r->track_features, where, err);
	if (rc) {
		hpc_record_fini(r);
		return rc;
	}
	if (r->timestamp && r->timestamp < 100000000000ULL) /* seconds in old repodata */
		r->timestamp *= 1000;
	keep_extra(obj, r);
	return 0;
}

int hpc_record_from_json(struct hpc_record *r, const char *json, size_t len, const char *where,
			 struct hpc_error **err)
{
	json_error_t je;
	json_t *obj = json_loadb(json, len, 0, &je);
	int rc;

	if (!obj) {
		hpc_record_init(r);
		return HPC_FAIL(err, PARSE, "%s:%d:%d: invalid JSON: %s", where, je.line, je.column,
				je.text);
	}
	rc = hpc_record_from_object(r, obj, where, err);
	json_decref(obj);
	return rc;
}

/* ---- to JSON ---- */

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

static json_t *strv_array(const struct hpc_strv *sv)
{
	json_t *a = json_array();

	for (size_t i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

json_t *hpc_record_to_object(const struct hpc_record *r)
{
	json_t *o = NULL;

	if (r->extra_json)
		o = json_loads(r->extra_json, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	set_str(o, "name", r->name);
	set_str(o, "version", r->version);
	set_str(o, "build", r->build);
	json_object_set_new(o, "build_number", json_integer(r->build_number));
	set_str(o, "channel", r->channel);
	set_str(o, "subdir", r->subdir);
	set_str(o, "fn", r->fn);
	set_str(o, "url", r->url);
	set_str(o, "md5", r->md5);
	set_str(o, "sha256", r->sha256);
	if (r->size)
		json_object_set_new(o, "size", json_integer((json_int_t)r->size));
	if (r->timestamp)
		json_object_set_new(o, "timestamp", json_integer((json_int_t)r->timestamp));
	set_str(o, "noarch", r->noarch);
	set_str(o, "license", r->license);
	set_str(o, "python_site_packages_path", r->python_site_packages_path);
	json_object_set_new(o, "depends", strv_array(&r->depends));
	json_object_set_new(o, "constrains", strv_array(&r->constrains));
	if (r->track_features.n) {
		char *tf = hpc_strv_join(&r->track_features, " ");

		json_object_set_new(o, "track_features", json_string(tf));
		free(tf);
	}
	return o;
}

char *hpc_record_to_json(const struct hpc_record *r)
{
	json_t *o = hpc_record_to_object(r);
	char *s = json_dumps(o, JSON_SORT_KEYS | JSON_INDENT(2));

	json_decref(o);
	return s;
}
