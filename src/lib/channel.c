/* SPDX-License-Identifier: MIT */
/* channel.c - channel strings to channel URLs, as conda resolves them
 *
 * conda/models/channel.py is the reference. Where it has quirks that only matter for
 * its own history (migrated aliases, Anaconda Enterprise's /conda prefix, a multichannel
 * member matched by name on any host) we take the plain reading: a member is recognised
 * by its URL.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hpcenv/buildinfo.h"
#include "hpcenv/channel.h"
#include "hpcenv/error.h"

static const char *const known_subdirs[] = {
	"noarch", "emscripten-wasm32", "wasi-wasm32", "freebsd-64", "linux-32", "linux-64",
	"linux-aarch64", "linux-armv6l", "linux-armv7l", "linux-ppc64", "linux-ppc64le",
	"linux-riscv64", "linux-s390x", "osx-64", "osx-arm64", "win-32", "win-64", "win-arm64",
	"zos-z", NULL,
};

/* A URL taken apart; the token (/t/TOKEN) is cut out of the path. */
struct url {
	char *scheme;   /* lowercase */
	char *auth;     /* user:pass or NULL */
	char *host;     /* host[:port], "" for file:// */
	char *path;     /* "" or "/a/b", no trailing '/' */
	char *token;    /* or NULL */
	size_t tokpos;  /* where in path the token was */
};

static void url_fini(struct url *u)
{
	free(u->scheme);
	free(u->auth);
	free(u->host);
	free(u->path);
	free(u->token);
	memset(u, 0, sizeof(*u));
}

bool hpc_channel_is_subdir(const char *s, size_t len)
{
	for (const char *const *k = known_subdirs; *k; k++)
		if (strlen(*k) == len && !strncmp(*k, s, len))
			return true;
	return false;
}

static void strip_trailing_slashes(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '/')
		s[--n] = '\0';
}

/* Cut "/t/TOKEN" out of u->path (anaconda.org style tokens). */
static void cut_token(struct url *u)
{
	char *t = strstr(u->path, "/t/"), *end;

	if (!t)
		return;
	end = strchr(t + 3, '/');
	if (!end)
		end = t + strlen(t);
	u->token = hpc_xstrndup(t + 3, (size_t)(end - t - 3));
	u->tokpos = (size_t)(t - u->path);
	memmove(t, end, strlen(end) + 1);
}

/* Split "scheme://[auth@]host[/path]". Returns false when s has no scheme. */
static bool url_parse(struct url *u, const char *s)
{
	const char *sep = strstr(s, "://"), *rest, *slash, *at;

	memset(u, 0, sizeof(*u));
	for (const char *p = s; sep && p < sep; p++)
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.')
			sep = NULL;
	if (!sep || sep == s)
		return false;
	u->scheme = hpc_xstrndup(s, (size_t)(sep - s));
	for (char *p = u->scheme; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	rest = sep + 3;
	slash = strchr(rest, '/');
	if (!slash)
		slash = rest + strlen(rest);
	at = memrchr(rest, '@', (size_t)(slash - rest));
	if (at) {
		u->auth = hpc_xstrndup(rest, (size_t)(at - rest));
		rest = at + 1;
	}
	u->host = hpc_xstrndup(rest, (size_t)(slash - rest));
	u->path = hpc_xstrdup(slash);
	strip_trailing_slashes(u->path);
	cut_token(u);
	return true;
}

static char *url_base(const struct url *u)
{
	return hpc_xasprintf("%s://%s%s", u->scheme, u->host, u->path);
}

static char *url_fetch(const struct url *u)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	hpc_strbuf_addf(&sb, "%s://", u->scheme);
	if (u->auth)
		hpc_strbuf_addf(&sb, "%s@", u->auth);
	hpc_strbuf_adds(&sb, u->host);
	hpc_strbuf_add(&sb, u->path, u->tokpos);
	if (u->token)
		hpc_strbuf_addf(&sb, "/t/%s", u->token);
	hpc_strbuf_adds(&sb, u->path + u->tokpos);
	return hpc_strbuf_detach(&sb);
}

char *hpc_url_redact(const char *url)
{
	const char *sep = strstr(url, "://"), *host, *slash, *at, *colon, *t, *end;
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	if (!sep)
		return hpc_xstrdup(url);
	host = sep + 3;
	slash = host + strcspn(host, "/");
	at = memrchr(host, '@', (size_t)(slash - host));
	hpc_strbuf_add(&sb, url, (size_t)(host - url));
	if (at) {
		colon = memchr(host, ':', (size_t)(at - host));
		hpc_strbuf_add(&sb, host, (size_t)((colon ? colon : at) - host));
		hpc_strbuf_adds(&sb, colon ? ":***@" : "@");
		host = at + 1;
	}
	t = strstr(slash, "/t/");
	if (!t) {
		hpc_strbuf_adds(&sb, host);
		return hpc_strbuf_detach(&sb);
	}
	end = t + 3 + strcspn(t + 3, "/");
	hpc_strbuf_add(&sb, host, (size_t)(t - host));
	hpc_strbuf_adds(&sb, "/t/<TOKEN>");
	hpc_strbuf_adds(&sb, end);
	return hpc_strbuf_detach(&sb);
}

/* ---- local paths ---- */

/* Collapse "." and ".." and repeated '/' of an absolute path in place. */
static void normalise_abs(char *p)
{
	char *out = p, *seg = p;

	while (*seg) {
		char *end;
		size_t n;

		while (*seg == '/')
			seg++;
		end = strchr(seg, '/');
		n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 0 || (n == 1 && seg[0] == '.')) {
			/* skip */
		} else if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > p && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, seg, n);
			out += n;
		}
		seg += n;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

static char *absolute_path(const char *path)
{
	char *exp = hpc_path_expand(path), *abs, cwd[4096];

	if (exp[0] == '/') {
		abs = exp;
	} else {
		abs = hpc_path_join(getcwd(cwd, sizeof(cwd)) ? cwd : "/", exp);
		free(exp);
	}
	normalise_abs(abs);
	return abs;
}

char *hpc_path_to_file_url(const char *path)
{
	static const char keep[] = "!'()*-._/:~";
	char *abs = absolute_path(path);
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	hpc_strbuf_adds(&sb, "file://");
	for (const unsigned char *c = (const unsigned char *)abs; *c; c++) {
		if (isalnum(*c) || strchr(keep, *c))
			hpc_strbuf_addc(&sb, (char)*c);
		else
			hpc_strbuf_addf(&sb, "%%%02X", *c);
	}
	free(abs);
	return hpc_strbuf_detach(&sb);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *hpc_file_url_to_path(const char *url)
{
	const char *p;
	char *out, *o;

	if (strncasecmp(url, "file:", 5))
		return NULL;
	p = url + 5;
	if (!strncmp(p, "//", 2)) {
		p += 2;
		if (!strncasecmp(p, "localhost/", 10))
			p += 9;
		else if (*p != '/')
			return NULL; /* file://host/... is not local */
	}
	out = o = hpc_xmalloc(strlen(p) + 1);
	for (; *p; p++) {
		if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			*o++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static bool is_path(const char *s)
{
	return !strncmp(s, "./", 2) || !strncmp(s, "..", 2) || s[0] == '~' || s[0] == '/' ||
	       !strcmp(s, ".");
}

/* ---- resolution ---- */

struct resolver {
	const struct hpc_config *cfg;
	const char *spec;     /* the user's string, for messages */
	int depth;            /* multichannel nesting guard */
};

static int bad_channel(const struct resolver *rs, struct hpc_error **err, const char *why)
{
	char *red = hpc_url_redact(rs->spec);
	int r = HPC_FAIL(err, CHANNEL, "invalid channel '%s': %s", red, why);

	free(red);
	return r;
}

/* If the last segment of s is a known subdir, cut it off and return it. */
static char *split_platform(char *s)
{
	char *slash = strrchr(s, '/');
	const char *last = slash ? slash + 1 : s;

	if (!slash || !hpc_channel_is_subdir(last, strlen(last)))
		return NULL;
	*slash = '\0';
	return hpc_xstrdup(last);
}

/* True when path segments of s start with those of prefix; *rest is what follows. */
static bool segment_prefix(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n) || (s[n] && s[n] != '/'))
		return false;
	*rest = s[n] == '/' ? s + n + 1 : s + n;
	return true;
}

static void list_take(struct hpc_channel_list *l, struct hpc_channel ch)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 8;
		l->v = hpc_xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	l->v[l->n++] = ch;
}

static void push_channel(struct hpc_channel_list *out, char *name, const struct url *u,
			 char *platform, const struct resolver *rs)
{
	list_take(out, (struct hpc_channel){
		.name = name, .base_url = url_base(u), .fetch_url = url_fetch(u),
		.platform = platform, .source = hpc_url_redact(rs->spec),
		.local = !strcmp(u->scheme, "file"),
	});
}

/* The name of the multichannel with a member at this base URL, or NULL. */
static const char *multichannel_of(const struct resolver *rs, const char *base);

/* Canonical name of a URL channel: a name under channel_alias or custom_channels, a
 * multichannel's name, or the URL itself. */
static char *canonical_for_url(const struct resolver *rs, const char *base)
{
	const struct hpc_strv *cc = hpc_config_get_list(rs->cfg, "custom_channels");
	const char *rest, *multi;
	struct url a;
	char *abase;

	if ((multi = multichannel_of(rs, base)))
		return hpc_xstrdup(multi);
	for (size_t i = 0; i + 1 < cc->n; i += 2) {
		char *cbase = NULL;

		if (url_parse(&a, cc->v[i + 1])) {
			abase = url_base(&a);
			cbase = hpc_xasprintf("%s/%s", abase, cc->v[i]);
			free(abase);
			url_fini(&a);
		}
		if (cbase && segment_prefix(base, cbase, &rest)) {
			free(cbase);
			return *rest ? hpc_xasprintf("%s/%s", cc->v[i], rest)
				     : hpc_xstrdup(cc->v[i]);
		}
		free(cbase);
	}
	if (url_parse(&a, hpc_config_get_str(rs->cfg, "channel_alias"))) {
		abase = url_base(&a);
		url_fini(&a);
		if (segment_prefix(base, abase, &rest) && *rest) {
			free(abase);
			return hpc_xstrdup(rest);
		}
		free(abase);
	}
	return hpc_xstrdup(base);
}

static const char *url_problem(const struct url *u)
{
	bool file = !strcmp(u->scheme, "file");

	if (!file && strcmp(u->scheme, "http") && strcmp(u->scheme, "https"))
		return "unsupported URL scheme (use http, https or file)";
	if (file ? u->host[0] != '\0' : !u->host[0])
		return file ? "file:// URL with a host" : "URL without a host";
	if (hpc_str_endswith(u->path, ".conda") || hpc_str_endswith(u->path, ".tar.bz2") ||
	    hpc_str_endswith(u->path, ".json"))
		return "names a file, not a channel directory";
	return NULL;
}

static int resolve_url(struct hpc_channel_list *out, const struct resolver *rs, const char *s,
		       const char *multi_name, struct hpc_error **err)
{
	struct url u;
	char *platform, *base;
	const char *why;

	if (!url_parse(&u, s))
		return bad_channel(rs, err, "not a URL");
	if (!strcmp(u.scheme, "file") && !strcasecmp(u.host, "localhost"))
		u.host[0] = '\0';
	if ((why = url_problem(&u))) {
		url_fini(&u);
		return bad_channel(rs, err, why);
	}
	platform = split_platform(u.path);
	base = url_base(&u);
	push_channel(out, multi_name ? hpc_xstrdup(multi_name) : canonical_for_url(rs, base), &u,
		     platform, rs);
	free(base);
	url_fini(&u);
	return 0;
}

/* A location from configuration (channel_alias, a custom_channels value) + a name. */
static int resolve_under(struct hpc_channel_list *out, const struct resolver *rs,
			 const char *location, const char *name, char *platform,
			 const char *display, struct hpc_error **err)
{
	struct url u;
	char *path;

	if (!url_parse(&u, location)) {
		free(platform);
		return HPC_FAIL(err, CHANNEL, "invalid channel location '%s' for '%s'", location,
				name);
	}
	path = hpc_xasprintf("%s/%s", u.path, name);
	free(u.path);
	u.path = path;
	push_channel(out, hpc_xstrdup(display), &u, platform, rs);
	url_fini(&u);
	return 0;
}

static int resolve_spec(struct hpc_channel_list *out, const struct resolver *rs, const char *s,
			const char *multi_name, struct hpc_error **err);

/* Members of a multichannel, or NULL (borrowed or into *own). */
static const char *multichannel_members(const struct resolver *rs, const char *name,
					char **own)
{
	const char *v = hpc_config_map_get(rs->cfg, "custom_multichannels", name);

	*own = NULL;
	if (v)
		return v;
	if (strcmp(name, "defaults"))
		return NULL;
	*own = hpc_strv_join(hpc_config_get_list(rs->cfg, "default_channels"), ",");
	return *own;
}

static bool member_matches(const struct resolver *rs, const char *member, const char *base)
{
	struct hpc_channel_list l = { 0 };
	struct resolver sub = { rs->cfg, member, rs->depth + 1 };
	bool hit = false;

	/* a multi_name is given so that resolution never asks for canonical names */
	if (rs->depth < 4 && !resolve_spec(&l, &sub, member, "-", NULL))
		for (size_t k = 0; k < l.n; k++)
			hit |= !strcmp(l.v[k].base_url, base);
	hpc_channel_list_fini(&l);
	return hit;
}

static const char *multichannel_of(const struct resolver *rs, const char *base)
{
	const struct hpc_strv *cm = hpc_config_get_list(rs->cfg, "custom_multichannels");
	bool custom_defaults = hpc_config_map_get(rs->cfg, "custom_multichannels", "defaults");

	for (size_t i = 0; i <= cm->n; i += 2) {
		const char *name = i < cm->n ? cm->v[i] : custom_defaults ? NULL : "defaults";
		struct hpc_strv items = HPC_STRV_INIT;
		char *own;
		const char *members = name ? multichannel_members(rs, name, &own) : NULL;
		bool hit = false;

		if (!members)
			continue;
		hpc_strv_split(&items, members, ",");
		for (size_t j = 0; !hit && j < items.n; j++)
			hit = member_matches(rs, items.v[j], base);
		hpc_strv_fini(&items);
		free(own);
		if (hit)
			return name;
	}
	return NULL;
}

static int resolve_multi(struct hpc_channel_list *out, const struct resolver *rs,
			 const char *name, const char *members, const char *platform,
			 struct hpc_error **err)
{
	struct hpc_strv items = HPC_STRV_INIT;
	struct resolver sub = { rs->cfg, rs->spec, rs->depth + 1 };
	int r = 0;

	if (rs->depth >= 4)
		return bad_channel(rs, err, "multichannels nest too deeply");
	hpc_strv_split(&items, members, ",");
	for (size_t i = 0; !r && i < items.n; i++) {
		size_t first = out->n;

		r = resolve_spec(out, &sub, items.v[i], name, err);
		for (size_t k = first; !r && platform && k < out->n; k++) {
			free(out->v[k].platform);
			out->v[k].platform = hpc_xstrdup(platform);
		}
	}
	hpc_strv_fini(&items);
	return r;
}

static int resolve_name(struct hpc_channel_list *out, const struct resolver *rs, const char *s,
			const char *multi_name, struct hpc_error **err)
{
	const struct hpc_strv *cc = hpc_config_get_list(rs->cfg, "custom_channels");
	char *name = hpc_xstrdup(s), *platform, *own;
	const char *members, *rest, *best = NULL, *bestloc = NULL;
	int r;

	strip_trailing_slashes(name);
	platform = split_platform(name);
	if (!*name || strspn(name, " \t") || strchr(name, ' ') || strstr(name, "//")) {
		free(name);
		free(platform);
		return bad_channel(rs, err, "not a channel name, URL or path");
	}
	members = multichannel_members(rs, name, &own);
	if (members) {
		r = resolve_multi(out, rs, name, members, platform, err);
		free(own);
		free(name);
		free(platform);
		return r;
	}
	for (size_t i = 0; i + 1 < cc->n; i += 2)
		if (segment_prefix(name, cc->v[i], &rest) &&
		    (!best || strlen(cc->v[i]) > strlen(best))) {
			best = cc->v[i];
			bestloc = cc->v[i + 1];
		}
	r = resolve_under(out, rs, bestloc ? bestloc : hpc_config_get_str(rs->cfg, "channel_alias"),
			  name, platform, multi_name ? multi_name : name, err);
	free(name);
	return r;
}

static int resolve_spec(struct hpc_channel_list *out, const struct resolver *rs, const char *s,
			const char *multi_name, struct hpc_error **err)
{
	struct url u;
	int r;

	if (url_parse(&u, s) && strcmp(u.scheme, "file")) {
		url_fini(&u);
		return resolve_url(out, rs, s, multi_name, err);
	}
	url_fini(&u);
	if (!strncasecmp(s, "file:", 5) || is_path(s)) {
		/* file URLs are normalised through their path, so that spaces and the
		 * like are encoded the same way whichever form the user wrote */
		char *path = !strncasecmp(s, "file:", 5) ? hpc_file_url_to_path(s) : hpc_xstrdup(s);
		char *url = path ? hpc_path_to_file_url(path) : hpc_xstrdup(s);

		r = resolve_url(out, rs, url, multi_name, err);
		free(url);
		free(path);
		return r;
	}
	return resolve_name(out, rs, s, multi_name, err);
}

int hpc_channel_parse(struct hpc_channel_list *out, const struct hpc_config *cfg,
		      const char *spec, struct hpc_error **err)
{
	struct resolver rs = { cfg, spec, 0 };
	char *s = hpc_str_trim(hpc_xstrdup(spec));
	int r;

	if (!*s) {
		free(s);
		return HPC_FAIL(err, CHANNEL, "invalid channel '': empty name");
	}
	r = resolve_spec(out, &rs, s, NULL, err);
	free(s);
	return r;
}

/* ---- lists ---- */

void hpc_channel_list_init(struct hpc_channel_list *l)
{
	memset(l, 0, sizeof(*l));
}

void hpc_channel_list_fini(struct hpc_channel_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].base_url);
		free(l->v[i].fetch_url);
		free(l->v[i].platform);
		free(l->v[i].source);
	}
	free(l->v);
	hpc_channel_list_init(l);
}

static char *dup_or_null(const char *s)
{
	return s ? hpc_xstrdup(s) : NULL;
}

void hpc_channel_list_push(struct hpc_channel_list *l, const struct hpc_channel *ch)
{
	list_take(l, (struct hpc_channel){
		.name = hpc_xstrdup(ch->name), .base_url = hpc_xstrdup(ch->base_url),
		.fetch_url = hpc_xstrdup(ch->fetch_url), .platform = dup_or_null(ch->platform),
		.source = dup_or_null(ch->source), .local = ch->local,
	});
}

static bool same_channel(const struct hpc_channel *a, const struct hpc_channel *b)
{
	return !strcmp(a->base_url, b->base_url) &&
	       !strcmp(a->platform ? a->platform : "", b->platform ? b->platform : "");
}

static int add_all(struct hpc_channel_list *out, const struct hpc_config *cfg,
		   const struct hpc_strv *specs, struct hpc_error **err)
{
	for (size_t i = 0; i < specs->n; i++) {
		struct hpc_channel_list one = { 0 };
		int r = hpc_channel_parse(&one, cfg, specs->v[i], err);

		for (size_t j = 0; !r && j < one.n; j++) {
			bool dup = false;

			for (size_t k = 0; k < out->n && !dup; k++)
				dup = same_channel(&out->v[k], &one.v[j]);
			if (!dup)
				hpc_channel_list_push(out, &one.v[j]);
		}
		hpc_channel_list_fini(&one);
		if (r)
			return r;
	}
	return 0;
}

int hpc_channel_list_append(struct hpc_channel_list *out, const struct hpc_config *cfg,
			    const struct hpc_strv *specs, struct hpc_error **err)
{
	return add_all(out, cfg, specs, err);
}

int hpc_channel_list_resolve(struct hpc_channel_list *out, const struct hpc_config *cfg,
			     const struct hpc_strv *cli, bool override, struct hpc_error **err)
{
	int r = cli ? add_all(out, cfg, cli, err) : 0;

	if (!r && !override)
		r = add_all(out, cfg, hpc_config_get_list(cfg, "channels"), err);
	if (!r && !out->n)
		r = HPC_FAIL(err, CHANNEL, "no channels configured: give -c CHANNEL or set "
					   "'channels' in .condarc");
	return r;
}

/* ---- subdirs, priority, platform ---- */

void hpc_channel_subdirs(const struct hpc_channel *ch, const char *platform,
			 struct hpc_strv *out)
{
	hpc_strv_push_unique(out, ch->platform ? ch->platform : platform);
	hpc_strv_push_unique(out, "noarch");
}

char *hpc_channel_subdir_url(const struct hpc_channel *ch, const char *subdir,
			     bool with_credentials)
{
	return hpc_xasprintf("%s/%s", with_credentials ? ch->fetch_url : ch->base_url, subdir);
}

enum hpc_channel_priority hpc_channel_priority_get(const struct hpc_config *cfg)
{
	const char *p = hpc_config_get_str(cfg, "channel_priority");

	if (p && !strcmp(p, "strict"))
		return HPC_PRIORITY_STRICT;
	if (p && !strcmp(p, "disabled"))
		return HPC_PRIORITY_DISABLED;
	return HPC_PRIORITY_FLEXIBLE;
}

const char *hpc_channel_priority_name(enum hpc_channel_priority p)
{
	static const char *const names[] = { "strict", "flexible", "disabled" };

	return (unsigned)p < 3 ? names[p] : "flexible";
}

const char *hpc_channel_platform(const struct hpc_config *cfg)
{
	const char *s = hpc_config_get_str(cfg, "subdir");
	struct hpc_buildinfo bi;

	if (s && *s)
		return s;
	hpc_buildinfo_get(&bi);
	return bi.platform;
}

/* ---- channel names in specs ---- */

static int resolve_for_spec(void *ud, const char *name, struct hpc_strv *urls,
			    struct hpc_error **err)
{
	struct hpc_channel_list l;
	int r;

	hpc_channel_list_init(&l);
	r = hpc_channel_parse(&l, ud, name, err);
	for (size_t i = 0; !r && i < l.n; i++)
		hpc_strv_push_unique(urls, l.v[i].base_url);
	hpc_channel_list_fini(&l);
	return r;
}

struct hpc_channel_resolver hpc_channel_resolver_from_config(const struct hpc_config *cfg)
{
	return (struct hpc_channel_resolver){ .resolve = resolve_for_spec, .ud = (void *)cfg };
}
