/* SPDX-License-Identifier: MIT */
/* versionspec.c - version constraints (conda's VersionSpec): parse, print, match
 *
 * The text is parsed by recursive descent into an and/or tree whose leaves are single
 * constraints; conda's treeify() gives the same tree (',' binds tighter than '|', a group
 * of the same operator is merged into its parent). Leaves are compiled once: versions
 * parsed, globs and regexes turned into POSIX regexes.
 */
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "hpcenv/error.h"
#include "hpcenv/util.h"
#include "version_int.h"
#include "versionspec_int.h"

enum vs_kind { VS_ANY, VS_AND, VS_OR, VS_REGEX, VS_OP, VS_TEXT };
enum vs_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_STARTS, OP_NOT_STARTS, OP_COMPAT };

struct vs_node {
	enum vs_kind kind;
	enum vs_op op;
	char *text;               /* canonical text of a leaf */
	struct hpc_version ver;   /* VS_OP */
	struct hpc_version compat; /* OP_COMPAT: the version without its last component */
	regex_t re;               /* VS_REGEX */
	struct vs_node **kids;    /* VS_AND, VS_OR */
	size_t nkids;
};

struct hpc_versionspec {
	struct vs_node *root;
	char *str;
};

struct vsp {
	const char *s;
	size_t len, pos;
	struct hpc_spec_fault *fault;
};

static void node_free(struct vs_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	if (n->kind == VS_REGEX)
		regfree(&n->re);
	hpc_version_fini(&n->ver);
	hpc_version_fini(&n->compat);
	free(n->text);
	free(n);
}

void hpc_versionspec_free(struct hpc_versionspec *vs)
{
	if (!vs)
		return;
	node_free(vs->root);
	free(vs->str);
	free(vs);
}

static void *fail_at(struct vsp *p, size_t col, char *why)
{
	if (!p->fault->why) {
		p->fault->why = why;
		p->fault->col = col;
	} else {
		free(why);
	}
	return NULL;
}

static char *unexpected(const char *s, size_t len, size_t at)
{
	if (at >= len)
		return hpc_xstrdup("unexpected end");
	return hpc_xasprintf("unexpected '%c'", s[at]);
}

/* ---- leaves ---- */

static int compile_regex(struct vs_node *n, const char *rx)
{
	if (regcomp(&n->re, rx, REG_EXTENDED | REG_NOSUB))
		return -1;
	n->kind = VS_REGEX;
	return 0;
}

/* Glob with '*' inside: a regex on the version text, as conda builds it. */
static int compile_glob(struct vs_node *n)
{
	struct hpc_strbuf rx = HPC_STRBUF_INIT;
	int r;

	hpc_strbuf_adds(&rx, "^(");
	for (const char *c = n->text; *c; c++) {
		if (*c == '*')
			hpc_strbuf_adds(&rx, ".*");
		else if (strchr("\\.+?()[]{}|^$", *c))
			hpc_strbuf_addf(&rx, "\\%c", *c);
		else
			hpc_strbuf_addc(&rx, *c);
	}
	hpc_strbuf_adds(&rx, ")$");
	r = compile_regex(n, hpc_strbuf_str(&rx));
	hpc_strbuf_release(&rx);
	return r;
}

static void *parse_version_at(struct vsp *p, struct hpc_version *v, const char *s, size_t len,
			      size_t at)
{
	const char *why;
	size_t col;

	if (hpc_version_parse_n(v, s, len, &why, &col) == 0)
		return v;
	if (!strcmp(why, "invalid character") && col < len)
		return fail_at(p, at + col, hpc_xasprintf("invalid character '%c' in version",
							  s[col]));
	return fail_at(p, at + col, hpc_xstrdup(why));
}

/* Length of the operator at the start of t, or 0 with a fault. */
static size_t op_len(struct vsp *p, const char *t, size_t tl, size_t at, enum vs_op *op)
{
	static const struct { const char *s; enum vs_op op; } ops[] = {
		{ "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE }, { ">=", OP_GE },
		{ "~=", OP_COMPAT }, { "=", OP_STARTS }, { "<", OP_LT }, { ">", OP_GT },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].s);

		if (tl >= n && !memcmp(t, ops[i].s, n)) {
			*op = ops[i].op;
			return n;
		}
	}
	fail_at(p, at + 1, hpc_xasprintf("expected '=' after '%c'", t[0]));
	return 0;
}

/* "OP VERSION" with conda's rules for a ".*" suffix. */
static void *parse_op(struct vsp *p, struct vs_node *n, size_t at)
{
	const char *t = n->text, *v;
	size_t tl = strlen(t), ol = op_len(p, t, tl, at, &n->op), vl;

	if (!ol)
		return NULL;
	v = t + ol;
	vl = tl - ol;
	if (!vl)
		return fail_at(p, at + tl,
			       hpc_xasprintf("missing version after '%.*s'", (int)ol, t));
	if (strchr("=<>!~", v[0]))
		return fail_at(p, at + ol, unexpected(t, tl, ol));
	for (size_t i = 0; i < vl; i++)
		if (isspace((unsigned char)v[i]))
			return fail_at(p, at + ol + i, unexpected(t, tl, ol + i));
	if (vl >= 2 && !memcmp(v + vl - 2, ".*", 2)) {
		if (n->op == OP_COMPAT)
			return fail_at(p, at + tl - 2, hpc_xstrdup("'.*' cannot follow '~='"));
		if (n->op == OP_NE)
			n->op = OP_NOT_STARTS;
		vl -= 2; /* "=1.2.*" is "=1.2", ">=1.2.*" ">=1.2"; conda ignores it elsewhere */
	}
	if (!parse_version_at(p, &n->ver, v, vl, at + ol))
		return NULL;
	if (n->op == OP_COMPAT) {
		const char *dot = strrchr(n->ver.str, '.');

		if (!dot)
			return fail_at(p, at + ol,
				       hpc_xstrdup("'~=' needs at least two components"));
		if (!parse_version_at(p, &n->compat, n->ver.str, (size_t)(dot - n->ver.str),
				      at + ol))
			return NULL;
	}
	n->kind = VS_OP;
	return n;
}

/* "1.2*" and "1.2.*": starts with 1.2; the canonical text always ends in ".*". */
static void *parse_starts(struct vsp *p, struct vs_node *n, size_t at)
{
	size_t tl = strlen(n->text), vl = tl;

	if (tl < 2 || n->text[tl - 2] != '.') {
		char *t = hpc_xasprintf("%.*s.*", (int)tl - 1, n->text);

		free(n->text);
		n->text = t;
	}
	while (vl && n->text[vl - 1] == '*')
		vl--;
	while (vl && n->text[vl - 1] == '.')
		vl--;
	if (!parse_version_at(p, &n->ver, n->text, vl, at))
		return NULL;
	n->kind = VS_OP;
	n->op = OP_STARTS;
	return n;
}

static struct vs_node *parse_leaf(struct vsp *p, const char *t, size_t tl, size_t at)
{
	struct vs_node *n = hpc_xcalloc(1, sizeof(*n));
	void *ok;
	size_t stars = tl;

	n->text = hpc_xstrndup(t, tl);
	while (stars && t[stars - 1] == '*')
		stars--;
	if (t[0] == '^' || t[tl - 1] == '$') {
		if (t[0] != '^' || t[tl - 1] != '$' || tl < 2)
			ok = fail_at(p, t[0] != '^' ? at : at + tl, hpc_xstrdup(
					     "a regex must start with '^' and end with '$'"));
		else
			ok = compile_regex(n, n->text) ? fail_at(p, at, hpc_xstrdup(
								 "invalid regular expression"))
						       : n;
	} else if (strchr("=<>!~", t[0])) {
		ok = parse_op(p, n, at);
	} else if (tl == 1 && t[0] == '*') {
		n->kind = VS_ANY;
		ok = n;
	} else if (memchr(t, '*', stars)) {
		ok = compile_glob(n) ? fail_at(p, at, hpc_xstrdup("invalid glob")) : n;
	} else if (stars < tl) {
		ok = parse_starts(p, n, at);
	} else if (!memchr(t, '@', tl)) {
		n->kind = VS_OP;
		n->op = OP_EQ;
		ok = parse_version_at(p, &n->ver, t, tl, at);
	} else {
		n->kind = VS_TEXT;
		ok = n;
	}
	if (!ok) {
		node_free(n);
		return NULL;
	}
	return n;
}

/* ---- expressions ---- */

static void skip_space(struct vsp *p)
{
	while (p->pos < p->len && isspace((unsigned char)p->s[p->pos]))
		p->pos++;
}

static struct vs_node *parse_or(struct vsp *p);

static struct vs_node *parse_primary(struct vsp *p)
{
	size_t start, end;

	skip_space(p);
	if (p->pos >= p->len || strchr(")|,", p->s[p->pos]))
		return fail_at(p, p->pos, p->pos >= p->len ? hpc_xstrdup("missing version")
							    : unexpected(p->s, p->len, p->pos));
	if (p->s[p->pos] == '(') {
		struct vs_node *n;

		p->pos++;
		n = parse_or(p);
		skip_space(p);
		if (n && (p->pos >= p->len || p->s[p->pos] != ')')) {
			node_free(n);
			if (p->pos >= p->len)
				return fail_at(p, p->pos, hpc_xstrdup("missing ')'"));
			return fail_at(p, p->pos, unexpected(p->s, p->len, p->pos));
		}
		p->pos++;
		return n;
	}
	start = end = p->pos;
	if (p->s[start] == '^' && memchr(p->s + start, '$', p->len - start)) {
		/* a regex may contain ( ) | , : it runs to the first '$' */
		end = (size_t)((const char *)memchr(p->s + start, '$', p->len - start) - p->s) + 1;
	} else {
		while (end < p->len && !strchr("()|,", p->s[end]))
			end++;
	}
	p->pos = end;
	while (end > start && isspace((unsigned char)p->s[end - 1]))
		end--;
	return parse_leaf(p, p->s + start, end - start, start);
}

/* Add kid to a group of kind k, merging a group of the same kind into it. */
static void group_add(struct vs_node *g, struct vs_node *kid)
{
	size_t add = kid->kind == g->kind ? kid->nkids : 1;

	g->kids = hpc_xrealloc(g->kids, (g->nkids + add) * sizeof(*g->kids));
	if (kid->kind == g->kind) {
		memcpy(g->kids + g->nkids, kid->kids, kid->nkids * sizeof(*kid->kids));
		g->nkids += kid->nkids;
		kid->nkids = 0;
		node_free(kid);
	} else {
		g->kids[g->nkids++] = kid;
	}
}

static struct vs_node *parse_list(struct vsp *p, enum vs_kind kind, char sep)
{
	struct vs_node *first = kind == VS_OR ? parse_list(p, VS_AND, ',') : parse_primary(p);
	struct vs_node *g;

	if (!first)
		return NULL;
	skip_space(p);
	if (p->pos >= p->len || p->s[p->pos] != sep)
		return first;
	g = hpc_xcalloc(1, sizeof(*g));
	g->kind = kind;
	group_add(g, first);
	while (p->pos < p->len && p->s[p->pos] == sep) {
		struct vs_node *next;

		p->pos++;
		next = kind == VS_OR ? parse_list(p, VS_AND, ',') : parse_primary(p);
		if (!next) {
			node_free(g);
			return NULL;
		}
		group_add(g, next);
		skip_space(p);
	}
	return g;
}

static struct vs_node *parse_or(struct vsp *p)
{
	return parse_list(p, VS_OR, '|');
}

static void node_str(const struct vs_node *n, struct hpc_strbuf *sb, bool in_and)
{
	if (n->kind != VS_AND && n->kind != VS_OR) {
		hpc_strbuf_adds(sb, n->text);
		return;
	}
	if (n->kind == VS_OR && in_and)
		hpc_strbuf_addc(sb, '(');
	for (size_t i = 0; i < n->nkids; i++) {
		if (i)
			hpc_strbuf_addc(sb, n->kind == VS_AND ? ',' : '|');
		node_str(n->kids[i], sb, n->kind == VS_AND);
	}
	if (n->kind == VS_OR && in_and)
		hpc_strbuf_addc(sb, ')');
}

struct hpc_versionspec *hpc_versionspec_parse_n(const char *s, size_t len,
						struct hpc_spec_fault *fault)
{
	struct vsp p = { s, len, 0, fault };
	struct vs_node *root;
	struct hpc_versionspec *vs;
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	fault->why = NULL;
	root = parse_or(&p);
	skip_space(&p);
	if (root && p.pos < len) {
		node_free(root);
		return fail_at(&p, p.pos, unexpected(s, len, p.pos));
	}
	if (!root)
		return NULL;
	vs = hpc_xcalloc(1, sizeof(*vs));
	vs->root = root;
	node_str(root, &sb, false);
	vs->str = hpc_strbuf_detach(&sb);
	return vs;
}

struct hpc_versionspec *hpc_versionspec_parse(const char *s, struct hpc_error **err)
{
	struct hpc_spec_fault f;
	struct hpc_versionspec *vs = hpc_versionspec_parse_n(s, strlen(s), &f);

	if (!vs) {
		HPC_FAIL(err, SPEC, "invalid version spec '%s': %s at column %zu", s, f.why,
			 f.col + 1);
		free(f.why);
	}
	return vs;
}

const char *hpc_versionspec_str(const struct hpc_versionspec *vs)
{
	return vs->str;
}

bool hpc_versionspec_is_exact(const struct hpc_versionspec *vs)
{
	return vs->root->kind == VS_TEXT || (vs->root->kind == VS_OP && vs->root->op == OP_EQ);
}

bool hpc_versionspec_is_any(const struct hpc_versionspec *vs)
{
	return vs->root->kind == VS_ANY;
}

/* ---- matching ---- */

static bool op_match(const struct vs_node *n, const struct hpc_version *v)
{
	switch (n->op) {
	case OP_EQ: return hpc_version_cmp(v, &n->ver) == 0;
	case OP_NE: return hpc_version_cmp(v, &n->ver) != 0;
	case OP_LT: return hpc_version_cmp(v, &n->ver) < 0;
	case OP_LE: return hpc_version_cmp(v, &n->ver) <= 0;
	case OP_GT: return hpc_version_cmp(v, &n->ver) > 0;
	case OP_GE: return hpc_version_cmp(v, &n->ver) >= 0;
	case OP_STARTS: return hpc_version_startswith(v, &n->ver);
	case OP_NOT_STARTS: return !hpc_version_startswith(v, &n->ver);
	case OP_COMPAT:
		return hpc_version_cmp(v, &n->ver) >= 0 && hpc_version_startswith(v, &n->compat);
	}
	return false;
}

static bool node_match(const struct vs_node *n, const char *text, const struct hpc_version *v)
{
	switch (n->kind) {
	case VS_ANY: return true;
	case VS_TEXT: return !strcmp(n->text, text);
	case VS_REGEX: return regexec(&n->re, text, 0, NULL, 0) == 0;
	case VS_OP: return v && op_match(n, v);
	case VS_AND:
		for (size_t i = 0; i < n->nkids; i++)
			if (!node_match(n->kids[i], text, v))
				return false;
		return true;
	case VS_OR:
		for (size_t i = 0; i < n->nkids; i++)
			if (node_match(n->kids[i], text, v))
				return true;
		return false;
	}
	return false;
}

bool hpc_versionspec_match_parsed(const struct hpc_versionspec *vs, const char *text,
				  const struct hpc_version *parsed)
{
	return node_match(vs->root, text, parsed);
}

bool hpc_versionspec_match(const struct hpc_versionspec *vs, const char *text)
{
	struct hpc_version v;
	const char *why;
	size_t col;
	bool ok, r;

	hpc_version_init(&v);
	ok = hpc_version_parse_n(&v, text, strlen(text), &why, &col) == 0;
	r = node_match(vs->root, text, ok ? &v : NULL);
	hpc_version_fini(&v);
	return r;
}
