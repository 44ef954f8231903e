/* SPDX-License-Identifier: MIT */
/* version.c - conda version literals: parsing and ordering (CEP-33, conda's VersionOrder)
 *
 * A parsed version keeps its normalised text and, in the same allocation, a flat array of
 * atoms (runs of digits or of other characters) plus the index of each component's first
 * atom. Numbers stay text and are compared digit-wise, so any length works, as with
 * Python's integers in conda.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "hpcenv/error.h"
#include "hpcenv/util.h"
#include "version_int.h"

enum { K_NUM, K_STR, K_DEV, K_POST };

/* The missing run: integer 0 (conda's fillvalue). */
static const struct hpc_version_atom fill0 = { K_NUM, 0, 0 };

void hpc_version_init(struct hpc_version *v)
{
	memset(v, 0, sizeof(*v));
}

void hpc_version_fini(struct hpc_version *v)
{
	free(v->atoms); /* str and comp live in the same block */
	hpc_version_init(v);
}

static bool valid_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '*' || c == '.' ||
	       c == '+' || c == '!' || c == '_';
}

/* First invalid character of buf, or -1. */
static long first_invalid(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!valid_char(buf[i]))
			return (long)i;
	return -1;
}

struct vparse {
	char *buf;      /* normalised text, NUL-terminated */
	size_t n;
	struct hpc_version_atom *atoms;
	uint32_t *comp;
	uint32_t natoms, ncomp;
	uint32_t nver;  /* components before the local part */
	const char *why;
	size_t col;     /* offset into buf of the problem */
};

static void push_atom(struct vparse *p, int kind, size_t off, size_t len)
{
	p->atoms[p->natoms++] = (struct hpc_version_atom){ (uint8_t)kind, (uint32_t)off,
							    (uint32_t)len };
}

/* One component buf[off..off+len): runs of digits, of '*', of anything else. */
static int add_component(struct vparse *p, size_t off, size_t len)
{
	const char *s = p->buf + off;
	size_t i = 0;

	if (!len) {
		p->why = "empty version component";
		p->col = off;
		return -1;
	}
	p->comp[p->ncomp++] = p->natoms;
	if (!isdigit((unsigned char)s[0]))
		p->atoms[p->natoms++] = fill0; /* keep numbers and strings in phase */
	while (i < len) {
		size_t j = i + 1;
		int kind;

		if (isdigit((unsigned char)s[i])) {
			while (j < len && isdigit((unsigned char)s[j]))
				j++;
			kind = K_NUM;
		} else if (s[i] == '*') {
			while (j < len && s[j] == '*')
				j++;
			kind = K_STR;
		} else {
			while (j < len && !isdigit((unsigned char)s[j]) && s[j] != '*')
				j++;
			kind = K_STR;
			if (j - i == 3 && !memcmp(s + i, "dev", 3))
				kind = K_DEV;
			else if (j - i == 4 && !memcmp(s + i, "post", 4))
				kind = K_POST;
		}
		push_atom(p, kind, off + i, j - i);
		i = j;
	}
	return 0;
}

/* Split buf[off..end) at '.' and '_'. With openssl_tail, a final '_' stays attached to the
 * last component instead of separating an empty one. */
static int add_part(struct vparse *p, size_t off, size_t end, bool openssl_tail)
{
	size_t stop = openssl_tail ? end - 1 : end, start = off;

	for (size_t i = off; i <= stop; i++) {
		if (i < stop && p->buf[i] != '.' && p->buf[i] != '_')
			continue;
		if (add_component(p, start, (i == stop ? end : i) - start) < 0)
			return -1;
		start = i + 1;
	}
	return 0;
}

/* Epoch, main part and local part of p->buf. */
static int split_parts(struct vparse *p)
{
	char *bang = strchr(p->buf, '!'), *plus, *main = p->buf;
	size_t moff, mend;

	if (bang && strchr(bang + 1, '!')) {
		p->why = "duplicated epoch separator '!'";
		p->col = (size_t)(strchr(bang + 1, '!') - p->buf);
		return -1;
	}
	p->comp[p->ncomp++] = p->natoms;
	if (bang) {
		bool digits = bang > p->buf;

		for (const char *c = p->buf; c < bang; c++)
			digits = digits && isdigit((unsigned char)*c);
		if (!digits) {
			p->why = "epoch must be an integer";
			p->col = 0;
			return -1;
		}
		push_atom(p, K_NUM, 0, (size_t)(bang - p->buf));
		main = bang + 1;
	} else {
		p->atoms[p->natoms++] = fill0;
	}
	plus = strchr(main, '+');
	if (plus && strchr(plus + 1, '+')) {
		p->why = "duplicated local version separator '+'";
		p->col = (size_t)(strchr(plus + 1, '+') - p->buf);
		return -1;
	}
	moff = (size_t)(main - p->buf);
	mend = plus ? (size_t)(plus - p->buf) : p->n;
	if (mend == moff) {
		p->why = plus ? "missing version before local version separator '+'"
			      : "empty version after epoch";
		p->col = moff;
		return -1;
	}
	if (add_part(p, moff, mend, p->buf[mend - 1] == '_') < 0)
		return -1;
	p->nver = p->ncomp;
	return plus ? add_part(p, mend + 1, p->n, false) : 0;
}

/* Lower-case, validate, and turn '-' into '_' the way conda does (only when the text has
 * no '_' and the '-' is what makes it invalid). */
static int normalise(struct vparse *p, const char *s)
{
	long bad;

	for (size_t i = 0; i < p->n; i++)
		p->buf[i] = (char)tolower((unsigned char)s[i]);
	bad = first_invalid(p->buf, p->n);
	if (bad >= 0 && memchr(p->buf, '-', p->n) && !memchr(p->buf, '_', p->n)) {
		for (size_t i = 0; i < p->n; i++)
			if (p->buf[i] == '-')
				p->buf[i] = '_';
		bad = first_invalid(p->buf, p->n);
	}
	if (bad >= 0) {
		p->why = "invalid character";
		p->col = (size_t)bad;
		return -1;
	}
	return 0;
}

int hpc_version_parse_n(struct hpc_version *v, const char *s, size_t len, const char **why,
			size_t *col)
{
	struct vparse p = { 0 };
	size_t lead = 0, maxatoms, maxcomp;
	char *block;

	hpc_version_fini(v);
	while (lead < len && isspace((unsigned char)s[lead]))
		lead++;
	while (len > lead && isspace((unsigned char)s[len - 1]))
		len--;
	p.n = len - lead;
	if (!p.n) {
		*why = "empty version";
		*col = lead;
		return -1;
	}
	maxatoms = 2 * p.n + 4;
	maxcomp = p.n + 3;
	block = hpc_xmalloc(maxatoms * sizeof(*p.atoms) + maxcomp * sizeof(*p.comp) + p.n + 1);
	p.atoms = (struct hpc_version_atom *)block;
	p.comp = (uint32_t *)(block + maxatoms * sizeof(*p.atoms));
	p.buf = block + maxatoms * sizeof(*p.atoms) + maxcomp * sizeof(*p.comp);
	p.buf[p.n] = '\0';
	if (normalise(&p, s + lead) < 0 || split_parts(&p) < 0) {
		free(block);
		*why = p.why;
		*col = lead + p.col;
		return -1;
	}
	p.comp[p.ncomp] = p.natoms;
	v->atoms = p.atoms;
	v->comp = p.comp;
	v->str = p.buf;
	v->nver = p.nver;
	v->nlocal = p.ncomp - p.nver;
	return 0;
}

int hpc_version_parse(struct hpc_version *v, const char *s, struct hpc_error **err)
{
	const char *why;
	size_t col;

	if (hpc_version_parse_n(v, s, strlen(s), &why, &col) < 0)
		return HPC_FAIL(err, PARSE, "invalid version '%s': %s at column %zu", s, why,
				col + 1);
	return 0;
}

/* ---- ordering ---- */

static bool is_str(const struct hpc_version_atom *a)
{
	return a->kind == K_STR || a->kind == K_DEV;
}

/* Text of a string atom; "dev" compares as "DEV", below every lower-case string and '_'
 * but above '*', exactly as conda's upper-casing trick orders it. */
static const char *atom_text(const struct hpc_version *v, const struct hpc_version_atom *a)
{
	return a->kind == K_DEV ? "DEV" : v->str + a->off;
}

static int num_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	int r;

	while (al && *a == '0')
		a++, al--;
	while (bl && *b == '0')
		b++, bl--;
	if (al != bl)
		return al < bl ? -1 : 1;
	r = memcmp(a, b, al);
	return (r > 0) - (r < 0);
}

static int atom_cmp(const struct hpc_version *va, const struct hpc_version_atom *a,
		    const struct hpc_version *vb, const struct hpc_version_atom *b)
{
	if (is_str(a) && is_str(b)) {
		size_t al = a->len, bl = b->len, n = al < bl ? al : bl;
		int r = memcmp(atom_text(va, a), atom_text(vb, b), n);

		if (r)
			return (r > 0) - (r < 0);
		return (al > bl) - (al < bl);
	}
	if (is_str(a) || is_str(b))
		return is_str(a) ? -1 : 1; /* strings sort before numbers */
	if (a->kind == K_POST || b->kind == K_POST)
		return (a->kind == K_POST) - (b->kind == K_POST);
	return num_cmp(va->str + a->off, a->len, vb->str + b->off, b->len);
}

static const struct hpc_version_atom *atom_at(const struct hpc_version *v, uint32_t comp,
					      uint32_t ncomp_avail, uint32_t j)
{
	if (comp >= ncomp_avail)
		return &fill0;
	uint32_t first = v->comp[comp], n = v->comp[comp + 1] - first;

	return j < n ? &v->atoms[first + j] : &fill0;
}

static uint32_t comp_len(const struct hpc_version *v, uint32_t comp)
{
	return v->comp[comp + 1] - v->comp[comp];
}

/* Compare components [a0, a0+an) of a with [b0, b0+bn) of b, missing ones as zeros. */
static int parts_cmp(const struct hpc_version *a, uint32_t a0, uint32_t an,
		     const struct hpc_version *b, uint32_t b0, uint32_t bn)
{
	uint32_t n = an > bn ? an : bn;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t la = i < an ? comp_len(a, a0 + i) : 0;
		uint32_t lb = i < bn ? comp_len(b, b0 + i) : 0;
		uint32_t m = la > lb ? la : lb;

		for (uint32_t j = 0; j < m; j++) {
			int r = atom_cmp(a, atom_at(a, a0 + i, a0 + an, j), b,
					 atom_at(b, b0 + i, b0 + bn, j));
			if (r)
				return r;
		}
	}
	return 0;
}

int hpc_version_cmp(const struct hpc_version *a, const struct hpc_version *b)
{
	int r = parts_cmp(a, 0, a->nver, b, 0, b->nver);

	return r ? r : parts_cmp(a, a->nver, a->nlocal, b, b->nver, b->nlocal);
}

bool hpc_version_startswith(const struct hpc_version *v, const struct hpc_version *prefix)
{
	uint32_t a0 = 0, an = v->nver, b0 = 0, bn = prefix->nver, nt, la, lb, k;
	const struct hpc_version_atom *c1, *c2;

	if (prefix->nlocal) { /* the main parts must be equal, then the local parts start */
		if (parts_cmp(v, 0, v->nver, prefix, 0, prefix->nver))
			return false;
		a0 = v->nver, an = v->nlocal, b0 = prefix->nver, bn = prefix->nlocal;
	}
	nt = bn - 1;
	if (parts_cmp(v, a0, an < nt ? an : nt, prefix, b0, nt))
		return false;
	/* the last component of prefix: all runs but its last equal, the last one a prefix */
	la = an > nt ? comp_len(v, a0 + nt) : 0;
	lb = comp_len(prefix, b0 + nt);
	k = lb - 1;
	for (uint32_t j = 0; j < k; j++)
		if (atom_cmp(v, j < la ? atom_at(v, a0 + nt, a0 + an, j) : &fill0, prefix,
			     atom_at(prefix, b0 + nt, b0 + bn, j)))
			return false;
	c1 = la > k ? atom_at(v, a0 + nt, a0 + an, k) : &fill0;
	c2 = atom_at(prefix, b0 + nt, b0 + bn, k);
	if (is_str(c2))
		return is_str(c1) && c1->len >= c2->len &&
		       !memcmp(atom_text(v, c1), atom_text(prefix, c2), c2->len);
	return atom_cmp(v, c1, prefix, c2) == 0;
}

int hpc_version_cmp_str(const char *a, const char *b, bool *ok)
{
	struct hpc_version va, vb;
	const char *why;
	size_t col;
	bool ga, gb;
	int r;

	hpc_version_init(&va);
	hpc_version_init(&vb);
	ga = hpc_version_parse_n(&va, a, strlen(a), &why, &col) == 0;
	gb = hpc_version_parse_n(&vb, b, strlen(b), &why, &col) == 0;
	if (ok)
		*ok = ga && gb;
	if (ga && gb)
		r = hpc_version_cmp(&va, &vb);
	else if (ga != gb)
		r = ga ? 1 : -1;
	else
		r = strcmp(a, b), r = (r > 0) - (r < 0);
	hpc_version_fini(&va);
	hpc_version_fini(&vb);
	return r;
}
