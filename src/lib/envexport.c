/* SPDX-License-Identifier: MIT */
/* envexport.c - environment.yml and @EXPLICIT lists of an environment (see envexport.h)
 *
 * The YAML is written by libyaml's emitter, which quotes what must be quoted; scalars a
 * YAML reader would take for numbers, booleans or null are written double-quoted.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "hpcenv/buildinfo.h"
#include "hpcenv/envexport.h"
#include "hpcenv/error.h"
#include "hpcenv/matchspec.h"
#include "strmap.h"

/* ---- reading ---- */

/* conda's env export: the packages' channels go in front of the configured ones, each
 * inserted at the top, so the last package's channel comes first. */
static void add_channels(struct hpc_envexport *x, const struct hpc_condameta *m,
			 const struct hpc_strv *configured)
{
	struct hpc_strv found = HPC_STRV_INIT;

	for (size_t i = 0; i < m->n; i++) {
		const char *ch = m->recs[i].rec.channel;
		char *name = ch ? hpc_channel_canonical(ch) : NULL;

		if (name && !hpc_strv_contains(&found, name) &&
		    !(configured && hpc_strv_contains(configured, name)))
			hpc_strv_push(&found, name);
		free(name);
	}
	for (size_t i = found.n; i-- > 0;)
		hpc_strv_push(&x->channels, found.v[i]);
	for (size_t i = 0; configured && i < configured->n; i++)
		hpc_strv_push_unique(&x->channels, configured->v[i]);
	hpc_strv_fini(&found);
}

static int read_records(struct hpc_envexport *x, const char *prefix,
			const struct hpc_envexport_options *o, struct hpc_error **err)
{
	struct hpc_condameta m;
	int r = hpc_condameta_load(prefix, &m, err);

	if (r)
		return r;
	for (size_t i = 0; i < m.n; i++) { /* hpc_condameta_load sorts them by name */
		const struct hpc_record *rec = &m.recs[i].rec;

		if (o->no_builds)
			hpc_strv_pushf(&x->dependencies, "%s=%s", rec->name, rec->version);
		else
			hpc_strv_pushf(&x->dependencies, "%s=%s=%s", rec->name, rec->version,
				       rec->build);
	}
	add_channels(x, &m, o->channels);
	hpc_condameta_fini(&m);
	return 0;
}

/* The package name a history spec is about ("conda-forge::numpy>=2" -> "numpy"). */
static char *spec_name(const char *spec)
{
	struct hpc_matchspec *ms = hpc_matchspec_parse(spec, NULL);
	char *name = ms ? hpc_xstrdup(ms->name) : NULL;

	hpc_matchspec_free(ms);
	return name;
}

static void apply_specs(struct hpc_strmap *want, const struct hpc_strv *specs, bool remove)
{
	for (size_t i = 0; i < specs->n; i++) {
		char *name = spec_name(specs->v[i]);
		void **slot;

		if (!name)
			continue; /* conda skips what it cannot parse as well */
		slot = hpc_strmap_put(want, name, NULL);
		free(*slot);
		*slot = remove ? NULL : hpc_xstrdup(specs->v[i]);
		free(name);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_history(struct hpc_envexport *x, const char *prefix,
			const struct hpc_envexport_options *o, struct hpc_error **err)
{
	struct hpc_strmap want = HPC_STRMAP_INIT;
	struct hpc_history h;
	int r = hpc_history_load(prefix, &h, err);

	if (r)
		return r;
	for (size_t i = 0; i < h.n; i++) {
		apply_specs(&want, &h.revs[i].update_specs, false);
		apply_specs(&want, &h.revs[i].remove_specs, true);
	}
	for (size_t i = 0; i < want.cap; i++)
		if (want.slots[i].key && want.slots[i].val)
			hpc_strv_push(&x->dependencies, want.slots[i].val);
	if (x->dependencies.n) /* by name, as the specs start with it */
		qsort(x->dependencies.v, x->dependencies.n, sizeof(char *), cmp_str);
	for (size_t i = 0; o->channels && i < o->channels->n; i++)
		hpc_strv_push_unique(&x->channels, o->channels->v[i]);
	hpc_strmap_fini(&want, free);
	hpc_history_fini(&h);
	return 0;
}

int hpc_envexport_read(struct hpc_envexport *x, const char *prefix,
		       const struct hpc_envexport_options *o, struct hpc_error **err)
{
	static const struct hpc_envexport_options none = { 0 };
	int r;

	memset(x, 0, sizeof(*x));
	o = o ? o : &none;
	x->name = o->name ? hpc_xstrdup(o->name) : NULL;
	x->prefix = hpc_xstrdup(prefix);
	r = o->from_history ? read_history(x, prefix, o, err) : read_records(x, prefix, o, err);
	if (r)
		hpc_envexport_fini(x);
	return r;
}

void hpc_envexport_fini(struct hpc_envexport *x)
{
	free(x->name);
	free(x->prefix);
	hpc_strv_fini(&x->channels);
	hpc_strv_fini(&x->dependencies);
	memset(x, 0, sizeof(*x));
}

/* ---- environment.yml ---- */

static int to_strbuf(void *data, unsigned char *buf, size_t n)
{
	hpc_strbuf_add(data, buf, n);
	return 1;
}

/* Would a YAML reader take this plain scalar for something other than a string? */
static bool looks_typed(const char *s)
{
	static const char *const words[] = { "", "~", "null", "true", "false", "yes", "no",
					     "on", "off", "y", "n" };
	char *end;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcasecmp(s, words[i]))
			return true;
	strtod(s, &end);
	return end != s && !*end;
}

static void emit(yaml_emitter_t *e, yaml_event_t *ev)
{
	yaml_emitter_emit(e, ev); /* to memory: it only fails out of memory, which aborts */
}

static void scalar(yaml_emitter_t *e, const char *s)
{
	yaml_event_t ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
				     looks_typed(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
						    : YAML_ANY_SCALAR_STYLE);
	emit(e, &ev);
}

static void list(yaml_emitter_t *e, const char *key, const struct hpc_strv *v)
{
	yaml_event_t ev;

	scalar(e, key);
	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	emit(e, &ev);
	for (size_t i = 0; i < v->n; i++)
		scalar(e, v->v[i]);
	yaml_sequence_end_event_initialize(&ev);
	emit(e, &ev);
}

char *hpc_envexport_yaml(const struct hpc_envexport *x)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	yaml_emitter_t e;
	yaml_event_t ev;

	yaml_emitter_initialize(&e);
	yaml_emitter_set_output(&e, to_strbuf, &sb);
	yaml_emitter_set_unicode(&e, 1);
	yaml_emitter_set_width(&e, -1); /* long specs stay on one line */
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	emit(&e, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	emit(&e, &ev);
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	emit(&e, &ev);
	if (x->name) {
		scalar(&e, "name");
		scalar(&e, x->name);
	}
	list(&e, "channels", &x->channels);
	list(&e, "dependencies", &x->dependencies);
	scalar(&e, "prefix");
	scalar(&e, x->prefix);
	yaml_mapping_end_event_initialize(&ev);
	emit(&e, &ev);
	yaml_document_end_event_initialize(&ev, 1);
	emit(&e, &ev);
	yaml_stream_end_event_initialize(&ev);
	emit(&e, &ev);
	yaml_emitter_delete(&e);
	return hpc_strbuf_detach(&sb);
}

/* ---- @EXPLICIT ---- */

static const char *hash_of(const struct hpc_record *r, enum hpc_explicit_hash hash, bool *sha)
{
	*sha = hash == HPC_EXPLICIT_SHA256 || (hash == HPC_EXPLICIT_BEST && r->sha256);
	if (hash == HPC_EXPLICIT_NO_HASH)
		return NULL;
	return *sha ? r->sha256 : r->md5;
}

char *hpc_envexport_explicit(const struct hpc_condameta *m, const char *platform,
			     enum hpc_explicit_hash hash)
{
	const struct hpc_record **recs = hpc_xcalloc(m->n + 1, sizeof(*recs));
	size_t *order = hpc_xcalloc(m->n + 1, sizeof(*order));
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	struct hpc_buildinfo bi;

	hpc_buildinfo_get(&bi);
	for (size_t i = 0; i < m->n; i++) {
		recs[i] = &m->recs[i].rec;
		if (recs[i]->subdir && strcmp(recs[i]->subdir, "noarch")) /* made for it */
			platform = recs[i]->subdir;
	}
	hpc_records_deps_order(recs, m->n, order); /* re-creating follows dependencies */
	hpc_strbuf_addf(&sb, "# This file may be used to create an environment using:\n"
			"# $ hpcenv create --name <env> --file <this file>\n# platform: %s\n"
			"# created-by: hpcenv %s\n@EXPLICIT\n", platform, bi.version);
	for (size_t i = 0; i < m->n; i++) {
		const struct hpc_record *r = recs[order[i]];
		bool sha;
		const char *h = hash_of(r, hash, &sha);

		if (!r->url)
			hpc_strbuf_addf(&sb, "# no URL for: %s\n", r->fn ? r->fn : r->name);
		else
			hpc_strbuf_addf(&sb, "%s%s%s%s\n", r->url, h ? "#" : "",
					h && sha ? "sha256:" : "", h ? h : "");
	}
	free(order);
	free(recs);
	return hpc_strbuf_detach(&sb);
}
