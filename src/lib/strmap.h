/* SPDX-License-Identifier: MIT */
/* strmap.h - a string-keyed hash map for the library's own bookkeeping (internal)
 *
 * Packages have thousands of paths (ncurses: 2986) and a transaction tens of thousands;
 * extraction, linking and clobber checks look paths up by name constantly.
 */
#ifndef HPCENV_STRMAP_H
#define HPCENV_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hpc_strmap_slot {
	char *key; /* owned; NULL for an empty slot */
	uint64_t hash;
	void *val;
};

struct hpc_strmap {
	struct hpc_strmap_slot *slots;
	size_t n, cap;
};

#define HPC_STRMAP_INIT { NULL, 0, 0 }

void hpc_strmap_init(struct hpc_strmap *m);
/* Free keys, and values with free_val when it is not NULL. */
void hpc_strmap_fini(struct hpc_strmap *m, void (*free_val)(void *));
/* The value slot for key, or NULL when absent. */
void **hpc_strmap_get(const struct hpc_strmap *m, const char *key);
/* The value slot for key, inserting it (value NULL) when absent; *added says which. */
void **hpc_strmap_put(struct hpc_strmap *m, const char *key, bool *added);
bool hpc_strmap_has(const struct hpc_strmap *m, const char *key);

/* Iterate: for (size_t i = 0; i < m.cap; i++) if (m.slots[i].key) ... */

#endif
