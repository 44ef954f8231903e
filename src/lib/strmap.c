/* SPDX-License-Identifier: MIT */
/* strmap.c - open addressing with linear probing, FNV-1a hashes, no deletion */
#include <stdlib.h>
#include <string.h>

#include "hpcenv/util.h"
#include "strmap.h"

void hpc_strmap_init(struct hpc_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void hpc_strmap_fini(struct hpc_strmap *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].key)
			continue;
		free(m->slots[i].key);
		if (free_val)
			free_val(m->slots[i].val);
	}
	free(m->slots);
	hpc_strmap_init(m);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct hpc_strmap_slot *find(const struct hpc_strmap *m, const char *key, uint64_t h)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct hpc_strmap_slot *s = &m->slots[i];

		if (!s->key || (s->hash == h && !strcmp(s->key, key)))
			return s;
	}
}

static void grow(struct hpc_strmap *m)
{
	struct hpc_strmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = hpc_xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
	free(old.slots);
}

void **hpc_strmap_get(const struct hpc_strmap *m, const char *key)
{
	struct hpc_strmap_slot *s = find(m, key, hash(key));

	return s && s->key ? &s->val : NULL;
}

bool hpc_strmap_has(const struct hpc_strmap *m, const char *key)
{
	return hpc_strmap_get(m, key) != NULL;
}

void **hpc_strmap_put(struct hpc_strmap *m, const char *key, bool *added)
{
	uint64_t h = hash(key);
	struct hpc_strmap_slot *s;

	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	s = find(m, key, h);
	if (added)
		*added = !s->key;
	if (!s->key) {
		s->key = hpc_xstrdup(key);
		s->hash = h;
		s->val = NULL;
		m->n++;
	}
	return &s->val;
}
