/* SPDX-License-Identifier: MIT */
/* matchspec.c - MatchSpec parsing and canonical text (conda's match_spec.py, CEP-29)
 *
 * The parse follows conda's steps (package file, brackets, channel, name, version and
 * build), but by hand rather than with regexes, so that every error can point at the
 * character that caused it. Every value remembers where it came from in the spec text.
 * Matching is in matchspec_match.c.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hpcenv/error.h"
#include "matchspec_priv.h"
#include "versionspec_int.h"

const char *const hpc_ms_key_names[HPC_MSK__COUNT] = {
	"channel", "subdir", "name", "version", "build", "build_number", "track_features",
	"features", "url", "md5", "sha256", "license", "license_family", "fn",
};

/* conda's KNOWN_SUBDIRS: a "channel/<subdir>" suffix only splits off when it is one. */
static const char *const known_subdirs[] = {
	"noarch", "emscripten-wasm32", "wasi-wasm32", "freebsd-64", "linux-32", "linux-64",
	"linux-aarch64", "linux-armv6l", "linux-armv7l", "linux-ppc64", "linux-ppc64le",
	"linux-riscv64", "linux-s390x", "osx-64", "osx-arm64", "win-32", "win-64", "win-arm64",
	"zos-z",
};

static bool known_subdir(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(known_subdirs) / sizeof(known_subdirs[0]); i++)
		if (strlen(known_subdirs[i]) == n && !memcmp(known_subdirs[i], s, n))
			return true;
	return false;
}

struct msp {
	const char *s;
	size_t len;
	struct hpc_spec_fault f;
	struct hpc_ms_part out[HPC_MSK__COUNT]; /* from outside the brackets */
	struct hpc_ms_part br[HPC_MSK__COUNT];  /* from inside them (they win) */
};

static int fail(struct msp *m, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct msp *m, size_t col, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (m->f.why)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort(); /* out of memory, as hpc_xmalloc */
	va_end(ap);
	m->f.why = msg;
	m->f.col = col;
	return -1;
}

static void part_free(struct hpc_ms_part *p)
{
	free(p->text);
	free(p->map);
	p->text = NULL;
	p->map = NULL;
}

/* Set p to s[at..at+n) of the spec (or to other text placed at `at`). */
static void part_set(struct hpc_ms_part *p, const char *text, size_t n, size_t at)
{
	part_free(p);
	p->text = hpc_xstrndup(text, n);
	p->map = hpc_xmalloc((n + 1) * sizeof(*p->map));
	for (size_t i = 0; i <= n; i++)
		p->map[i] = at + i;
}

static void part_take(struct hpc_ms_part *dst, struct hpc_ms_part *src)
{
	part_free(dst);
	*dst = *src;
	src->text = NULL;
	src->map = NULL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* ---- bracket section: [key=value, key='value' key="value"] ---- */

static int key_index(const char *k, size_t n)
{
	for (int i = 0; i < HPC_MSK__COUNT; i++)
		if (strlen(hpc_ms_key_names[i]) == n && !memcmp(hpc_ms_key_names[i], k, n))
			return i;
	return -1;
}

static int bad_key(struct msp *m, size_t at, size_t n)
{
	static const char *const later[] = { "when", "extras", "flags" };

	for (size_t i = 0; i < 3; i++)
		if (strlen(later[i]) == n && !memcmp(later[i], m->s + at, n))
			return fail(m, at, "key '%.*s' is not supported", (int)n, m->s + at);
	return fail(m, at, "unknown key '%.*s'", (int)n, m->s + at);
}

/* One value at *pos; quoted values may hold anything but their quote. */
static int bracket_value(struct msp *m, size_t *pos, size_t end, size_t *vs, size_t *vn)
{
	size_t p = *pos;

	if (p < end && (m->s[p] == '\'' || m->s[p] == '"')) {
		const char *q = memchr(m->s + p + 1, m->s[p], end - p - 1);

		if (!q)
			return fail(m, p, "missing closing %c", m->s[p]);
		*vs = p + 1;
		*vn = (size_t)(q - m->s) - p - 1;
		*pos = (size_t)(q - m->s) + 1;
	} else {
		*vs = p;
		while (p < end && m->s[p] != ',' && !is_blank(m->s[p]))
			p++;
		*vn = p - *vs;
		*pos = p;
	}
	if (*pos < end && m->s[*pos] != ',' && !is_blank(m->s[*pos]))
		return fail(m, *pos, "unexpected '%c' after a value", m->s[*pos]);
	return 0;
}

/* The key=value pairs of s[open+1..close). */
static int parse_pairs(struct msp *m, size_t open, size_t close)
{
	size_t p = open + 1;

	while (p < close) {
		size_t ks, kn, vs = 0, vn = 0;
		int k;

		while (p < close && (m->s[p] == ',' || is_blank(m->s[p])))
			p++;
		if (p >= close)
			break;
		ks = p;
		while (p < close && (isalnum((unsigned char)m->s[p]) || m->s[p] == '_' ||
				     m->s[p] == '-'))
			p++;
		kn = p - ks;
		if (!kn)
			return fail(m, p, "expected a key, found '%c'", m->s[p]);
		while (p < close && is_blank(m->s[p]))
			p++;
		if (p >= close || m->s[p] != '=')
			return fail(m, p, "expected '=' after '%.*s'", (int)kn, m->s + ks);
		p++;
		while (p < close && is_blank(m->s[p]))
			p++;
		if (bracket_value(m, &p, close, &vs, &vn) < 0)
			return -1;
		if ((k = key_index(m->s + ks, kn)) < 0)
			return bad_key(m, ks, kn);
		if (!vn)
			return fail(m, vs, "missing value for '%.*s'", (int)kn, m->s + ks);
		if (m->br[k].text)
			return fail(m, ks, "'%.*s' given twice", (int)kn, m->s + ks);
		part_set(&m->br[k], m->s + vs, vn, vs);
	}
	return 0;
}

/* The ']' closing the '[' at open, skipping quoted text. */
static long bracket_end(struct msp *m, size_t open, size_t end)
{
	size_t quote_at = 0;
	char quote = 0;

	for (size_t p = open + 1; p < end; p++) {
		if (quote) {
			quote = m->s[p] == quote ? 0 : quote;
		} else if (m->s[p] == '\'' || m->s[p] == '"') {
			quote = m->s[p];
			quote_at = p;
		} else if (m->s[p] == '[') {
			return fail(m, p, "nested '['");
		} else if (m->s[p] == ']') {
			return (long)p;
		}
	}
	if (quote)
		return fail(m, quote_at, "missing closing %c", quote);
	return fail(m, end, "missing ']'");
}

/* conda's legacy "(target=..., optional)" section, which it parses and ignores; anything
 * else in parentheses belongs to the version. */
static bool legacy_parens(const char *s, size_t open, size_t close)
{
	size_t p = open + 1;

	while (p < close && is_blank(s[p]))
		p++;
	if (p >= close || !isalpha((unsigned char)s[p]))
		return false;
	while (p < close && (isalnum((unsigned char)s[p]) || s[p] == '_'))
		p++;
	while (p < close && is_blank(s[p]))
		p++;
	return p == close || s[p] == '=' || s[p] == ',';
}

/* Cut brackets and legacy parentheses off s[b..*e). */
static int split_brackets(struct msp *m, size_t b, size_t *e)
{
	const char *open = memchr(m->s + b, '[', *e - b);
	size_t tail, end = *e;
	long close;

	if (open) {
		if ((close = bracket_end(m, (size_t)(open - m->s), end)) < 0)
			return -1;
		if (parse_pairs(m, (size_t)(open - m->s), (size_t)close) < 0)
			return -1;
		tail = (size_t)close + 1;
		*e = (size_t)(open - m->s);
	} else {
		tail = end;
		while (tail > b && is_blank(m->s[tail - 1]))
			tail--;
		if (tail == b || m->s[tail - 1] != ')')
			return 0;
		while (tail > b && m->s[tail - 1] != '(')
			tail--;
		if (tail == b || !legacy_parens(m->s, tail - 1, end - 1))
			return 0;
		*e = --tail;
	}
	while (tail < end && is_blank(m->s[tail]))
		tail++;
	if (tail < end && m->s[tail] == '(' && m->s[end - 1] == ')' &&
	    legacy_parens(m->s, tail, end - 1))
		tail = end;
	if (tail < end)
		return fail(m, tail, "unexpected '%c' after ']'", m->s[tail]);
	return 0;
}

/* ---- channel ---- */

/* "chan", "chan/subdir", a URL or a path, into channel and subdir parts ("*": none). */
static void split_channel(const char *text, size_t n, size_t at, struct hpc_ms_part *chan,
			  struct hpc_ms_part *subdir)
{
	const char *slash;

	while (n > 1 && text[n - 1] == '/')
		n--;
	slash = memrchr(text, '/', n);
	if (slash && known_subdir(slash + 1, n - (size_t)(slash + 1 - text))) {
		part_set(subdir, slash + 1, n - (size_t)(slash + 1 - text),
			 at + (size_t)(slash + 1 - text));
		n = (size_t)(slash - text);
	}
	if (n == 1 && text[0] == '*')
		part_free(chan);
	else
		part_set(chan, text, n, at);
}

/* ---- name ---- */

static bool name_sep(char c)
{
	return c == '.' || c == '_' || c == '-';
}

/* CEP-26: [a-z0-9._-], no two separators in a row, starting with a letter or digit, or
 * with one '_' (two for virtual packages, "__glibc"). Globs are not checked. */
static int check_name(struct msp *m, const char *n, size_t len, size_t at)
{
	size_t i = 0;

	if (memchr(n, '*', len))
		return 0;
	for (size_t j = 0; j < len; j++) {
		char c = (char)tolower((unsigned char)n[j]);

		if (!isalnum((unsigned char)c) && !name_sep(c))
			return fail(m, at + j, "invalid character '%c' in package name", n[j]);
	}
	if (len > 2 && n[0] == '_' && n[1] == '_')
		i = 2; /* virtual package */
	else if (n[0] == '_')
		i = len > 1 && n[1] == '_' ? 0 : 1;
	if (i != 1 && !isalnum((unsigned char)n[i]))
		return fail(m, at + i, "invalid package name '%.*s'", (int)len, n);
	for (size_t j = i + 1; j < len; j++)
		if (name_sep(n[j]) && name_sep(n[j - 1]))
			return fail(m, at + j, "invalid package name '%.*s'", (int)len, n);
	return 0;
}

/* ---- version and build ---- */

static bool version_char_before_build(char c)
{
	return !strchr("=!|,<>~", c);
}

/* conda's _VERSION_BUILD_RE: the build is what follows the first ' ' or '=' that is not
 * preceded by an operator character and is followed only by build characters. */
static long build_split(const char *r, size_t n)
{
	for (size_t i = 1; i + 1 < n; i++) {
		if ((r[i] != ' ' && r[i] != '=') || !version_char_before_build(r[i - 1]))
			continue;
		if (strcspn(r + i + 1, "-=,|<>~") >= n - i - 1)
			return (long)i;
	}
	return -1;
}

/* Keep the characters of p that are not blanks (with their positions). */
static void part_squeeze(struct hpc_ms_part *p)
{
	size_t j = 0, n = strlen(p->text);

	for (size_t i = 0; i <= n; i++)
		if (i == n || !isspace((unsigned char)p->text[i])) {
			p->text[j] = p->text[i];
			p->map[j++] = p->map[i];
		}
}

/* conda's _sanitize_version_str: "=1.2" is "1.2*", "==1.2" is "1.2"; with a build string
 * "=1.2" and "==1.2" are both "1.2". */
static void sanitize_version(struct hpc_ms_part *v, bool has_build)
{
	const char *t = v->text, *w = t;
	size_t n = strlen(t), skip;
	bool dbl = t[0] == '=' && t[1] == '=', star;

	if (!strcmp(t, "==") || !strcmp(t, "=") || t[0] != '=')
		return;
	while (*w == '=')
		w++;
	if (!(dbl && !has_build) && strpbrk(w, "=,|"))
		return;
	skip = (size_t)(w - t);
	n -= skip;
	memmove(v->text, w, n + 1);
	memmove(v->map, v->map + skip, (n + 1) * sizeof(*v->map));
	star = !dbl && !has_build && (n == 0 || v->text[n - 1] != '*');
	if (star) {
		v->text = hpc_xrealloc(v->text, n + 2);
		v->map = hpc_xrealloc(v->map, (n + 2) * sizeof(*v->map));
		v->text[n] = '*';
		v->text[n + 1] = '\0';
		v->map[n + 1] = v->map[n];
	}
}

static int parse_version_build(struct msp *m, size_t b, size_t e)
{
	long sep;

	/* conda needs an operator or blank and one more character: "numpy=" is "numpy" */
	if (e - b == 1) {
		if (m->s[b] == '=' || is_blank(m->s[b]))
			return 0;
		return fail(m, e, "missing version after '%c'", m->s[b]);
	}
	while (b < e && is_blank(m->s[b]))
		b++;
	while (e > b && is_blank(m->s[e - 1]))
		e--;
	if (b == e)
		return 0;
	sep = build_split(m->s + b, e - b);
	if (sep >= 0) {
		size_t bs = b + (size_t)sep + 1, be = e;

		while (bs < be && is_blank(m->s[bs]))
			bs++;
		part_set(&m->out[HPC_MSK_BUILD], m->s + bs, be - bs, bs);
		e = b + (size_t)sep;
	}
	part_set(&m->out[HPC_MSK_VERSION], m->s + b, e - b, b);
	part_squeeze(&m->out[HPC_MSK_VERSION]);
	sanitize_version(&m->out[HPC_MSK_VERSION], sep >= 0);
	return 0;
}

/* channel::name version build */
static int parse_outside(struct msp *m, size_t b, size_t e)
{
	size_t p, ns;
	const char *cc = NULL;

	for (size_t i = b; i + 1 < e; i++)
		if (m->s[i] == ':' && m->s[i + 1] == ':')
			cc = m->s + i;
	if (cc) {
		if (cc == m->s + b)
			return fail(m, b, "missing channel before '::'");
		split_channel(m->s + b, (size_t)(cc - m->s) - b, b, &m->out[HPC_MSK_CHANNEL],
			      &m->out[HPC_MSK_SUBDIR]);
		b = (size_t)(cc - m->s) + 2;
	}
	for (size_t i = b; i < e; i++)
		if (m->s[i] == ':')
			return fail(m, i, "unexpected ':' (a channel ends with '::')");
	ns = p = b;
	while (p < e && !strchr(" \t=<>!~", m->s[p]))
		p++;
	if (p == ns && ns < e)
		return fail(m, ns, "missing package name before '%c'", m->s[ns]);
	if (p == ns)
		return fail(m, ns, "missing package name");
	if (check_name(m, m->s + ns, p - ns, ns) < 0)
		return -1;
	part_set(&m->out[HPC_MSK_NAME], m->s + ns, p - ns, ns);
	for (char *c = m->out[HPC_MSK_NAME].text; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return parse_version_build(m, p, e);
}

/* ---- package files: URL or path ending in .conda / .tar.bz2 ---- */

static bool pkg_ext(const char *s, size_t n, size_t *extlen)
{
	if (n > 6 && !memcmp(s + n - 6, ".conda", 6))
		*extlen = 6;
	else if (n > 8 && !memcmp(s + n - 8, ".tar.bz2", 8))
		*extlen = 8;
	else
		return false;
	return true;
}

static char *percent_decode(const char *s, size_t n)
{
	char *out = hpc_xmalloc(n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };

			*o++ = (char)strtol(hex, NULL, 16);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static void set_text(struct hpc_ms_part *p, const char *text, size_t at)
{
	part_set(p, text, strlen(text), at);
}

static int parse_package_file(struct msp *m, size_t b, size_t e, size_t extlen)
{
	char *url, *fn, *stem, *d1, *d2;
	const char *slash;

	if (memmem(m->s + b, e - b, "://", 3)) {
		url = hpc_xstrndup(m->s + b, e - b);
	} else {
		char *cwd = m->s[b] == '/' ? NULL : getcwd(NULL, 0);

		url = hpc_xasprintf("file://%s%s%.*s", cwd ? cwd : "", cwd ? "/" : "",
				    (int)(e - b), m->s + b);
		free(cwd);
	}
	slash = strrchr(url, '/');
	fn = percent_decode(slash + 1, strlen(slash + 1));
	set_text(&m->out[HPC_MSK_URL], url, b);
	set_text(&m->out[HPC_MSK_FN], fn, b);
	set_text(&m->out[HPC_MSK_NAME], "*", b);
	stem = hpc_xstrndup(fn, strlen(fn) - extlen);
	d2 = strrchr(stem, '-');
	d1 = d2 ? memrchr(stem, '-', (size_t)(d2 - stem)) : NULL;
	if (d1 && d1 > stem) {
		const char *sub = memrchr(url, '/', (size_t)(slash - url));

		if (sub && known_subdir(sub + 1, (size_t)(slash - sub - 1))) {
			split_channel(url, (size_t)(slash - url), b, &m->out[HPC_MSK_CHANNEL],
				      &m->out[HPC_MSK_SUBDIR]);
			part_set(&m->out[HPC_MSK_NAME], stem, (size_t)(d1 - stem), b);
			part_set(&m->out[HPC_MSK_VERSION], d1 + 1, (size_t)(d2 - d1 - 1), b);
			set_text(&m->out[HPC_MSK_BUILD], d2 + 1, b);
		}
	}
	free(stem);
	free(fn);
	free(url);
	return 0;
}

/* ---- putting it together ---- */

/* Bracket values override, except the name, which may only repeat the outside one. */
static int merge_brackets(struct msp *m)
{
	struct hpc_ms_part *br = m->br, *out = m->out;

	if (br[HPC_MSK_NAME].text) {
		if (strcmp(br[HPC_MSK_NAME].text, "*") &&
		    strcasecmp(br[HPC_MSK_NAME].text, out[HPC_MSK_NAME].text))
			return fail(m, br[HPC_MSK_NAME].map[0],
				    "name '%s' in brackets differs from '%s'",
				    br[HPC_MSK_NAME].text, out[HPC_MSK_NAME].text);
		part_free(&br[HPC_MSK_NAME]);
	}
	if (br[HPC_MSK_CHANNEL].text) {
		struct hpc_ms_part chan = { 0 }, sub = { 0 };

		split_channel(br[HPC_MSK_CHANNEL].text, strlen(br[HPC_MSK_CHANNEL].text),
			      br[HPC_MSK_CHANNEL].map[0], &chan, &sub);
		part_take(&out[HPC_MSK_CHANNEL], &chan);
		if (sub.text)
			part_take(&out[HPC_MSK_SUBDIR], &sub);
		part_free(&br[HPC_MSK_CHANNEL]);
	}
	if (br[HPC_MSK_VERSION].text)
		sanitize_version(&br[HPC_MSK_VERSION], false);
	for (int k = 0; k < HPC_MSK__COUNT; k++)
		if (br[k].text)
			part_take(&out[k], &br[k]);
	return 0;
}

static int parse_text(struct msp *m)
{
	size_t b = 0, e = m->len, extlen;
	const char *cut;

	while (b < e && isspace((unsigned char)m->s[b]))
		b++;
	if ((cut = memchr(m->s + b, '#', e - b)))
		e = (size_t)(cut - m->s);
	if ((cut = memmem(m->s + b, e - b, " if ", 4)))
		e = (size_t)(cut - m->s); /* conda ignores a condition */
	while (e > b && isspace((unsigned char)m->s[e - 1]))
		e--;
	if (b == e)
		return fail(m, b, "empty spec");
	if (e - b > 1 && m->s[e - 1] == '@') { /* "mkl@": the feature mkl */
		set_text(&m->out[HPC_MSK_NAME], "*", b);
		part_set(&m->out[HPC_MSK_TRACK_FEATURES], m->s + b, e - b - 1, b);
		return 0;
	}
	if (!memchr(m->s + b, '[', e - b) && pkg_ext(m->s + b, e - b, &extlen))
		return parse_package_file(m, b, e, extlen);
	if (split_brackets(m, b, &e) < 0 || parse_outside(m, b, e) < 0)
		return -1;
	return merge_brackets(m);
}

static void msp_free(struct msp *m)
{
	for (int k = 0; k < HPC_MSK__COUNT; k++) {
		part_free(&m->out[k]);
		part_free(&m->br[k]);
	}
	free(m->f.why);
}

struct hpc_matchspec *hpc_matchspec_parse(const char *spec, struct hpc_error **err)
{
	struct msp m = { .s = spec, .len = strlen(spec) };
	struct hpc_matchspec *ms = NULL;

	if (parse_text(&m) == 0) {
		ms = hpc_xcalloc(1, sizeof(*ms));
		if (hpc_ms_compile(ms, m.out, &m.f) < 0) {
			hpc_matchspec_free(ms);
			ms = NULL;
		}
	}
	if (!ms)
		HPC_FAIL(err, SPEC, "invalid spec '%s': %s at column %zu", spec, m.f.why,
			 m.f.col + 1);
	msp_free(&m);
	return ms;
}

void hpc_matchspec_free(struct hpc_matchspec *ms)
{
	if (!ms)
		return;

	char **strs[] = { &ms->name, &ms->channel, &ms->subdir, &ms->version, &ms->build,
			  &ms->build_number, &ms->track_features, &ms->features, &ms->md5,
			  &ms->sha256, &ms->url, &ms->fn, &ms->license, &ms->license_family };

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(*strs[i]);
	hpc_versionspec_free(ms->vspec);
	hpc_ms_priv_free(ms->priv);
	free(ms);
}

/* ---- canonical text (conda's MatchSpec.__str__) ---- */

/* key=value, quoted when value has a character of quote_if (always when it is NULL) */
static void bracket_add(struct hpc_strbuf *br, const char *key, const char *value,
			const char *quote_if)
{
	bool quote = !quote_if || strpbrk(value, quote_if);

	hpc_strbuf_addf(br, "%s%s=%s%s%s", br->len ? "," : "", key, quote ? "'" : "", value,
			quote ? "'" : "");
}

/* The version goes outside the brackets when it reads naturally there. Returns true when
 * it is exact ("==1.2"), so an exact build can follow as "=build". */
static bool add_version(const struct hpc_matchspec *ms, struct hpc_strbuf *sb,
			struct hpc_strbuf *br)
{
	const char *v = ms->version;
	size_t n = v ? strlen(v) : 0;

	if (!v || !strcmp(v, "*"))
		return false;
	if (strpbrk(v, "><$^|,") ||
	    ((!strncmp(v, "!=", 2) || !strncmp(v, "~=", 2)) && ms->build)) {
		bracket_add(br, "version", v, NULL);
	} else if (!strncmp(v, "!=", 2) || !strncmp(v, "~=", 2)) {
		hpc_strbuf_adds(sb, v);
	} else if (n >= 2 && !strcmp(v + n - 2, ".*")) {
		hpc_strbuf_addf(sb, "=%.*s", (int)n - 2, v);
	} else if (v[n - 1] == '*') {
		hpc_strbuf_addf(sb, "=%.*s", (int)n - 1, v);
	} else {
		hpc_strbuf_addf(sb, "%s%s", strncmp(v, "==", 2) ? "==" : "", v);
		return true;
	}
	return false;
}

static void add_build(const char *b, bool version_exact, struct hpc_strbuf *sb,
		      struct hpc_strbuf *br)
{
	if (!b)
		return;
	if (strpbrk(b, "><$^|,"))
		bracket_add(br, "build", b, "><$^|,");
	else if (!strchr(b, '*') && version_exact)
		hpc_strbuf_addf(sb, "=%s", b);
	else
		bracket_add(br, "build", b, "");
}

char *hpc_matchspec_str(const struct hpc_matchspec *ms)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT, br = HPC_STRBUF_INIT;
	bool chan_exact = ms->channel && !strchr(ms->channel, '*');
	const char *rest[] = { ms->build_number, ms->track_features, ms->features,
			       ms->channel ? NULL : ms->url, ms->md5, ms->sha256, ms->license,
			       ms->license_family, ms->url ? NULL : ms->fn };
	const char *rest_keys[] = { "build_number", "track_features", "features", "url", "md5",
				    "sha256", "license", "license_family", "fn" };

	if (chan_exact)
		hpc_strbuf_adds(&sb, ms->channel);
	else if (ms->channel)
		bracket_add(&br, "channel", ms->channel, "");
	if (ms->subdir) {
		if (chan_exact)
			hpc_strbuf_addf(&sb, "/%s", ms->subdir);
		else
			bracket_add(&br, "subdir", ms->subdir, "");
	}
	hpc_strbuf_addf(&sb, "%s%s", sb.len ? "::" : "", ms->name);
	add_build(ms->build, add_version(ms, &sb, &br), &sb, &br);
	for (size_t i = 0; i < sizeof(rest) / sizeof(rest[0]); i++)
		if (rest[i])
			bracket_add(&br, rest_keys[i], rest[i], ", =");
	if (br.len)
		hpc_strbuf_addf(&sb, "[%s]", hpc_strbuf_str(&br));
	hpc_strbuf_release(&br);
	return hpc_strbuf_detach(&sb);
}

bool hpc_matchspec_name_is_exact(const struct hpc_matchspec *ms)
{
	return ms->priv->name.kind == HPC_SM_EXACT;
}

bool hpc_matchspec_is_name_only(const struct hpc_matchspec *ms)
{
	return hpc_matchspec_name_is_exact(ms) && ms->priv->fields == HPC_MSF_NAME;
}
