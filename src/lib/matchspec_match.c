/* SPDX-License-Identifier: MIT */
/* matchspec_match.c - compiled MatchSpecs and matching them against packages
 *
 * Each part of a spec compiles once (versions parsed, globs and regexes prepared), and a
 * package is checked only on the parts the spec names, as conda's MatchSpec.match does.
 * Packages come as a struct hpc_pkgview so that records and libsolv solvables share the
 * logic (select.c fills views from a pool).
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hpcenv/error.h"
#include "hpcenv/record.h"
#include "matchspec_priv.h"

/* ---- string matchers ---- */

static int sm_compile(struct hpc_strmatch *sm, const struct hpc_ms_part *p, bool icase,
		      struct hpc_spec_fault *fault)
{
	const char *t = p->text;
	size_t n = strlen(t);

	sm->text = t;
	sm->icase = icase;
	if (n >= 2 && t[0] == '^' && t[n - 1] == '$') {
		if (regcomp(&sm->re, t, REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0))) {
			fault->why = hpc_xstrdup("invalid regular expression");
			fault->col = p->map[0];
			return -1;
		}
		sm->kind = HPC_SM_REGEX;
	} else {
		sm->kind = strchr(t, '*') ? HPC_SM_GLOB : HPC_SM_EXACT;
	}
	return 0;
}

static void sm_free(struct hpc_strmatch *sm)
{
	if (sm->kind == HPC_SM_REGEX)
		regfree(&sm->re);
	sm->kind = HPC_SM_NONE;
}

static bool same_char(char a, char b, bool icase)
{
	return icase ? tolower((unsigned char)a) == tolower((unsigned char)b) : a == b;
}

/* '*' matches any run; no other wildcard (conda's globs escape everything else). */
static bool glob_match(const char *p, const char *s, bool icase)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p && same_char(*p, *s, icase)) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return !*p;
}

static bool sm_match(const struct hpc_strmatch *sm, const char *s)
{
	if (sm->kind == HPC_SM_NONE)
		return true;
	if (!s)
		return false;
	switch (sm->kind) {
	case HPC_SM_EXACT: return sm->icase ? !strcasecmp(sm->text, s) : !strcmp(sm->text, s);
	case HPC_SM_GLOB: return glob_match(sm->text, s, sm->icase);
	case HPC_SM_REGEX: return regexec(&sm->re, s, 0, NULL, 0) == 0;
	default: return false;
	}
}

/* ---- compiling ---- */

static void fault_at(struct hpc_spec_fault *f, const struct hpc_ms_part *p,
		     struct hpc_spec_fault *sub)
{
	size_t n = strlen(p->text);

	f->why = sub->why;
	f->col = p->map[sub->col < n ? sub->col : n];
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "a b,c" -> sorted set {a, b, c}, and its canonical text "a b c". */
static char *feature_set(const char *text, struct hpc_strv *set)
{
	struct hpc_strv items = HPC_STRV_INIT;

	hpc_strv_split(&items, text, " ,");
	for (size_t i = 0; i < items.n; i++)
		hpc_strv_push_unique(set, items.v[i]);
	hpc_strv_fini(&items);
	if (set->n)
		qsort(set->v, set->n, sizeof(*set->v), cmp_str);
	return hpc_strv_join(set, " ");
}

static int compile_build_number(struct hpc_matchspec *ms, const struct hpc_ms_part *p,
				struct hpc_spec_fault *fault)
{
	struct hpc_matchspec_priv *pr = ms->priv;
	const char *t = p->text;
	size_t n = strlen(t);
	struct hpc_spec_fault sub;

	if (n && strspn(t, "0123456789") == n) {
		pr->bn_exact = strtol(t, NULL, 10);
		ms->build_number = hpc_xasprintf("%ld", pr->bn_exact);
		return 0;
	}
	ms->build_number = hpc_xstrdup(t);
	if (!strcmp(t, "*")) {
		pr->bn_any = true;
		return 0;
	}
	if (!strchr("=<>!^", t[0]) || strpbrk(t, ",|()")) {
		fault->why = hpc_xasprintf("invalid build_number '%s'", t);
		fault->col = p->map[0];
		return -1;
	}
	if (!(pr->bn_spec = hpc_versionspec_parse_n(t, n, &sub))) {
		fault_at(fault, p, &sub);
		return -1;
	}
	return 0;
}

static int compile_version(struct hpc_matchspec *ms, const struct hpc_ms_part *p,
			   struct hpc_spec_fault *fault)
{
	struct hpc_spec_fault sub;

	if (!(ms->vspec = hpc_versionspec_parse_n(p->text, strlen(p->text), &sub))) {
		fault_at(fault, p, &sub);
		return -1;
	}
	ms->version = hpc_xstrdup(hpc_versionspec_str(ms->vspec));
	if (!hpc_versionspec_is_any(ms->vspec))
		ms->priv->fields |= HPC_MSF_VERSION;
	return 0;
}

static char *dup_lower(const char *s)
{
	char *d = hpc_xstrdup(s);

	for (char *c = d; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return d;
}

/* A plain copy of a part, and the fields bit it sets. */
static char *copy_part(const struct hpc_ms_part *p, unsigned bit, unsigned *fields)
{
	if (!p->text)
		return NULL;
	*fields |= bit;
	return hpc_xstrdup(p->text);
}

static void copy_exact(struct hpc_matchspec *ms, struct hpc_ms_part *parts)
{
	unsigned *f = &ms->priv->fields;

	ms->subdir = copy_part(&parts[HPC_MSK_SUBDIR], HPC_MSF_SUBDIR, f);
	ms->md5 = copy_part(&parts[HPC_MSK_MD5], HPC_MSF_MD5, f);
	ms->sha256 = copy_part(&parts[HPC_MSK_SHA256], HPC_MSF_SHA256, f);
	ms->url = copy_part(&parts[HPC_MSK_URL], HPC_MSF_URL, f);
	ms->fn = copy_part(&parts[HPC_MSK_FN], HPC_MSF_FN, f);
	ms->channel = copy_part(&parts[HPC_MSK_CHANNEL], HPC_MSF_CHANNEL, f);
	ms->build = copy_part(&parts[HPC_MSK_BUILD], HPC_MSF_BUILD, f);
}

/* Globs and regexes; their text is the spec's own (lower-cased where matching ignores
 * case). */
static int compile_matchers(struct hpc_matchspec *ms, struct hpc_ms_part *parts,
			    struct hpc_spec_fault *f)
{
	struct hpc_matchspec_priv *pr = ms->priv;
	struct hpc_ms_part p;

	p = parts[HPC_MSK_NAME];
	p.text = ms->name;
	if (sm_compile(&pr->name, &p, false, f) < 0)
		return -1;
	p = parts[HPC_MSK_BUILD];
	p.text = ms->build;
	if (ms->build && sm_compile(&pr->build, &p, false, f) < 0)
		return -1;
	p = parts[HPC_MSK_CHANNEL];
	p.text = ms->channel;
	if (ms->channel && strchr(ms->channel, '*') && sm_compile(&pr->channel, &p, false, f) < 0)
		return -1;
	if (parts[HPC_MSK_LICENSE].text) {
		p = parts[HPC_MSK_LICENSE];
		p.text = ms->license = dup_lower(p.text);
		pr->fields |= HPC_MSF_LICENSE;
		if (sm_compile(&pr->license, &p, true, f) < 0)
			return -1;
	}
	if (parts[HPC_MSK_LICENSE_FAMILY].text) {
		p = parts[HPC_MSK_LICENSE_FAMILY];
		p.text = ms->license_family = dup_lower(p.text);
		pr->fields |= HPC_MSF_LICENSE_FAMILY;
		if (sm_compile(&pr->license_family, &p, true, f) < 0)
			return -1;
	}
	return 0;
}

int hpc_ms_compile(struct hpc_matchspec *ms, struct hpc_ms_part *parts,
		   struct hpc_spec_fault *fault)
{
	struct hpc_matchspec_priv *pr = ms->priv = hpc_xcalloc(1, sizeof(*ms->priv));

	pr->bn_exact = -1;
	ms->name = hpc_xstrdup(parts[HPC_MSK_NAME].text ? parts[HPC_MSK_NAME].text : "*");
	if (strcmp(ms->name, "*"))
		pr->fields |= HPC_MSF_NAME;
	copy_exact(ms, parts);
	if (compile_matchers(ms, parts, fault) < 0)
		return -1;
	if (parts[HPC_MSK_VERSION].text && compile_version(ms, &parts[HPC_MSK_VERSION], fault))
		return -1;
	if (parts[HPC_MSK_BUILD_NUMBER].text) {
		if (compile_build_number(ms, &parts[HPC_MSK_BUILD_NUMBER], fault) < 0)
			return -1;
		if (!pr->bn_any)
			pr->fields |= HPC_MSF_BUILD_NUMBER;
	}
	if (parts[HPC_MSK_TRACK_FEATURES].text) {
		ms->track_features = feature_set(parts[HPC_MSK_TRACK_FEATURES].text,
						 &pr->track_features);
		pr->fields |= HPC_MSF_TRACK_FEATURES;
	}
	if (parts[HPC_MSK_FEATURES].text) {
		ms->features = feature_set(parts[HPC_MSK_FEATURES].text, &pr->features);
		pr->fields |= HPC_MSF_FEATURES;
	}
	return 0;
}

void hpc_ms_priv_free(struct hpc_matchspec_priv *p)
{
	if (!p)
		return;
	sm_free(&p->name);
	sm_free(&p->build);
	sm_free(&p->license);
	sm_free(&p->license_family);
	sm_free(&p->channel);
	hpc_versionspec_free(p->bn_spec);
	hpc_strv_fini(&p->track_features);
	hpc_strv_fini(&p->features);
	free(p);
}

/* ---- matching ---- */

unsigned hpc_matchspec_fields(const struct hpc_matchspec *ms)
{
	return ms->priv->fields;
}

bool hpc_matchspec_match_name(const struct hpc_matchspec *ms, const char *name)
{
	return sm_match(&ms->priv->name, name);
}

/* conda compares feature sets for equality: "mkl" does not match "mkl debug". */
static bool same_set(const struct hpc_strv *set, const char *const *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (items[i] && *items[i] && !hpc_strv_contains(set, items[i]))
			return false;
	for (size_t i = 0; i < set->n; i++) {
		bool found = false;

		for (size_t j = 0; j < n && !found; j++)
			found = items[j] && !strcmp(items[j], set->v[i]);
		if (!found)
			return false;
	}
	return true;
}

static bool version_match(const struct hpc_matchspec *ms, const struct hpc_pkgview *pv)
{
	if (!pv->version)
		return false;
	if (pv->parsed_known)
		return hpc_versionspec_match_parsed(ms->vspec, pv->version, pv->parsed);
	return hpc_versionspec_match(ms->vspec, pv->version);
}

static bool build_number_match(const struct hpc_matchspec_priv *pr, long bn)
{
	char text[32];

	if (bn < 0)
		return false;
	if (pr->bn_exact >= 0)
		return bn == pr->bn_exact;
	snprintf(text, sizeof(text), "%ld", bn);
	return hpc_versionspec_match(pr->bn_spec, text);
}

static bool str_eq(const char *want, const char *have)
{
	return !want || (have && !strcmp(want, have));
}

bool hpc_matchspec_match_view(const struct hpc_matchspec *ms, const struct hpc_pkgview *pv)
{
	const struct hpc_matchspec_priv *pr = ms->priv;
	unsigned f = pr->fields;

	if ((f & HPC_MSF_NAME) && !sm_match(&pr->name, pv->name))
		return false;
	if ((f & HPC_MSF_VERSION) && !version_match(ms, pv))
		return false;
	if ((f & HPC_MSF_BUILD) && !sm_match(&pr->build, pv->build))
		return false;
	if ((f & HPC_MSF_BUILD_NUMBER) && !build_number_match(pr, pv->build_number))
		return false;
	if (!str_eq(ms->subdir, pv->subdir) || !str_eq(ms->md5, pv->md5) ||
	    !str_eq(ms->sha256, pv->sha256) || !str_eq(ms->url, pv->url) ||
	    !str_eq(ms->fn, pv->fn))
		return false;
	if ((f & HPC_MSF_LICENSE) && !sm_match(&pr->license, pv->license))
		return false;
	if ((f & HPC_MSF_LICENSE_FAMILY) && !sm_match(&pr->license_family, pv->license_family))
		return false;
	if ((f & HPC_MSF_TRACK_FEATURES) &&
	    !same_set(&pr->track_features, pv->track_features, pv->ntrack_features))
		return false;
	if ((f & HPC_MSF_FEATURES) && !same_set(&pr->features, pv->features, pv->nfeatures))
		return false;
	return true;
}

/* ---- channels ---- */

static size_t trimmed_len(const char *s)
{
	size_t n = strlen(s);

	while (n > 1 && s[n - 1] == '/')
		n--;
	return n;
}

static bool same_url(const char *a, const char *b)
{
	size_t n = trimmed_len(a);

	return n == trimmed_len(b) && !memcmp(a, b, n);
}

/* A glob matches the URL, or a '/'-separated tail of it ("conda-*" matches
 * https://conda.anaconda.org/conda-forge). */
static bool glob_tail_match(const struct hpc_strmatch *sm, const char *url)
{
	char *u = hpc_xstrndup(url, trimmed_len(url));
	const char *scheme = strstr(u, "://"), *from = scheme ? scheme + 3 : u;
	bool r = sm_match(sm, u);

	for (const char *c = from; !r && (c = strchr(c, '/')); c++)
		r = sm_match(sm, c + 1);
	free(u);
	return r;
}

/* The built-in rule: a URL is itself, a path its file:// URL, a name a path tail. */
static bool channel_rule(const struct hpc_matchspec *ms, const char *url)
{
	const char *c = ms->channel;
	size_t cn = trimmed_len(c), un = trimmed_len(url);

	if (ms->priv->channel.kind == HPC_SM_GLOB)
		return glob_tail_match(&ms->priv->channel, url);
	if (strstr(c, "://"))
		return same_url(c, url);
	if (c[0] == '/')
		return !strncmp(url, "file://", 7) && same_url(c, url + 7);
	if (un < cn || memcmp(url + un - cn, c, cn))
		return false;
	return un == cn || url[un - cn - 1] == '/';
}

bool hpc_matchspec_match_channel(const struct hpc_matchspec *ms, const char *channel_url,
				 const struct hpc_strv *urls)
{
	if (!ms->channel)
		return true;
	if (!channel_url)
		return false;
	if (!urls)
		return channel_rule(ms, channel_url);
	for (size_t i = 0; i < urls->n; i++)
		if (same_url(urls->v[i], channel_url))
			return true;
	return false;
}

/* ---- records ---- */

/* "features" (a string or a list) and "license_family" live in a record's extra_json. */
static void extra_fields(const struct hpc_record *r, json_t **root, const char **family,
			 struct hpc_strv *features)
{
	json_t *v;

	*root = r->extra_json ? json_loads(r->extra_json, 0, NULL) : NULL;
	if (!*root)
		return;
	v = json_object_get(*root, "license_family");
	*family = json_string_value(v);
	v = json_object_get(*root, "features");
	if (json_is_string(v)) {
		hpc_strv_split(features, json_string_value(v), " ,");
	} else if (json_is_array(v)) {
		size_t i;
		json_t *it;

		json_array_foreach(v, i, it)
			if (json_is_string(it))
				hpc_strv_push(features, json_string_value(it));
	}
}

bool hpc_matchspec_match(const struct hpc_matchspec *ms, const struct hpc_record *r)
{
	struct hpc_pkgview pv = {
		.name = r->name, .version = r->version, .build = r->build, .subdir = r->subdir,
		.md5 = r->md5, .sha256 = r->sha256, .url = r->url, .fn = r->fn,
		.license = r->license, .build_number = r->build_number,
		.track_features = (const char *const *)r->track_features.v,
		.ntrack_features = r->track_features.n,
	};
	struct hpc_strv features = HPC_STRV_INIT;
	json_t *extra = NULL;
	bool ok;

	if (ms->channel && !hpc_matchspec_match_channel(ms, r->channel, NULL))
		return false;
	if (ms->priv->fields & (HPC_MSF_FEATURES | HPC_MSF_LICENSE_FAMILY)) {
		extra_fields(r, &extra, &pv.license_family, &features);
		pv.features = (const char *const *)features.v;
		pv.nfeatures = features.n;
	}
	ok = hpc_matchspec_match_view(ms, &pv);
	json_decref(extra);
	hpc_strv_fini(&features);
	return ok;
}
