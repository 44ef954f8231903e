/* SPDX-License-Identifier: MIT */
/* relocate.c - text and binary prefix replacement, long shebangs (see relocate.h) */
#include <stdlib.h>
#include <string.h>

#include "hpcenv/error.h"
#include "hpcenv/relocate.h"
#include "hpcenv/util.h"

/* Replace every `from` by `to` in [p, p+n) into sb. */
static size_t replace_all(struct hpc_strbuf *sb, const char *p, size_t n, const char *from,
			  size_t flen, const char *to, size_t tlen)
{
	const char *end = p + n, *hit;
	size_t count = 0;

	while (p < end && (hit = memmem(p, (size_t)(end - p), from, flen))) {
		hpc_strbuf_add(sb, p, (size_t)(hit - p));
		hpc_strbuf_add(sb, to, tlen);
		p = hit + flen;
		count++;
	}
	hpc_strbuf_add(sb, p, (size_t)(end - p));
	return count;
}

static char *escape_spaces(const char *s)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	for (; *s; s++) {
		if (*s == ' ')
			hpc_strbuf_addc(&sb, '\\');
		hpc_strbuf_addc(&sb, *s);
	}
	return hpc_strbuf_detach(&sb);
}

char *hpc_relocate_shebang(const char *data, size_t len, size_t *out_len)
{
	const char *nl = memchr(data, '\n', len), *end = nl ? nl : data + len, *p, *slash;
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	bool spaced = false;

	if (len < 3 || data[0] != '#' || data[1] != '!')
		return NULL;
	for (p = data + 2; p < end && *p == ' '; p++)
		;
	if (p == end || *p != '/')
		return NULL;
	for (slash = p; p < end; p++) {
		if (*p == '\\' && p + 1 < end && p[1] == ' ') {
			spaced = true;
			p++;
		} else if (*p == ' ' || *p == '\t' || *p == '\r') {
			break;
		} else if (*p == '/') {
			slash = p;
		}
	}
	if ((size_t)(end - data) <= HPC_MAX_SHEBANG && !spaced)
		return NULL;
	hpc_strbuf_adds(&sb, "#!/usr/bin/env ");
	hpc_strbuf_add(&sb, slash + 1, (size_t)(p - slash - 1)); /* the interpreter's name */
	hpc_strbuf_add(&sb, p, (size_t)(data + len - p));      /* its arguments, the rest */
	*out_len = sb.len;
	return hpc_strbuf_detach(&sb);
}

char *hpc_relocate_text(const char *data, size_t len, const char *placeholder,
			const char *prefix, size_t *out_len)
{
	size_t plen = strlen(placeholder), tlen = strlen(prefix), first = 0, n;
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	const char *nl;
	char *fixed;

	if (!plen || !memmem(data, len, placeholder, plen))
		return NULL;
	nl = memchr(data, '\n', len);
	if (nl && len > 2 && data[0] == '#' && data[1] == '!') {
		/* "#!PLACEHOLDER" gets the prefix with its spaces escaped */
		char *from = hpc_xasprintf("#!%s", placeholder), *esc = escape_spaces(prefix);
		char *to = hpc_xasprintf("#!%s", esc);
		struct hpc_strbuf line = HPC_STRBUF_INIT;

		first = (size_t)(nl - data);
		replace_all(&line, data, first, from, strlen(from), to, strlen(to));
		replace_all(&sb, line.buf, line.len, placeholder, plen, prefix, tlen);
		hpc_strbuf_release(&line);
		free(from);
		free(esc);
		free(to);
	}
	replace_all(&sb, data + first, len - first, placeholder, plen, prefix, tlen);
	fixed = hpc_relocate_shebang(sb.buf, sb.len, &n);
	if (fixed) {
		hpc_strbuf_release(&sb);
		*out_len = n;
		return fixed;
	}
	*out_len = sb.len;
	return hpc_strbuf_detach(&sb);
}

bool hpc_relocate_fits(const char *placeholder, const char *prefix)
{
	return strlen(prefix) <= strlen(placeholder);
}

int hpc_relocate_binary(char *data, size_t len, const char *placeholder, const char *prefix,
			size_t *count, struct hpc_error **err)
{
	size_t plen = strlen(placeholder), tlen = strlen(prefix), changed = 0;
	char *p = data, *end = data + len, *hit;

	if (count)
		*count = 0;
	if (!plen)
		return 0;
	if (tlen > plen)
		return HPC_FAIL(err, LINK, "the prefix '%s' (%zu bytes) is longer than the package's "
				"binary placeholder (%zu bytes)", prefix, tlen, plen);
	while (p < end && (hit = memmem(p, (size_t)(end - p), placeholder, plen))) {
		char *nul = memchr(hit, '\0', (size_t)(end - hit));
		struct hpc_strbuf sb = HPC_STRBUF_INIT;
		size_t seg, n;

		if (!nul) /* conda's pattern needs the terminating NUL */
			break;
		seg = (size_t)(nul - hit);
		n = replace_all(&sb, hit, seg, placeholder, plen, prefix, tlen);
		memcpy(hit, sb.buf, sb.len);
		memset(hit + sb.len, 0, seg - sb.len); /* NUL padding keeps offsets */
		hpc_strbuf_release(&sb);
		changed += n > 0;
		p = nul + 1;
	}
	if (count)
		*count = changed;
	return 0;
}
