/* SPDX-License-Identifier: MIT */
/* version.h - conda version literals and their order (CEP-33, conda's VersionOrder)
 *
 * A version is an optional epoch "N!", a main part and an optional local part "+...".
 * Parts split into components at '.' and '_' ('-' counts as '_' when the text has no
 * '_'); components split into runs of digits and of other characters. Comparison is
 * case-insensitive; numbers compare numerically (any length); strings sort before
 * numbers, except "dev" (before every string) and "post" (after every number); a
 * missing component or run counts as 0, so 1.1 == 1.1.0; a component starting with a
 * letter gets a 0 in front, so 1.1.a1 == 1.1.0a1; one trailing '_' (openssl style)
 * stays attached to the last run, so 1.1dev1 < 1.1_ < 1.1a1; the local part is compared
 * only when the rest is equal, a missing one counting as 0.
 */
#ifndef HPCENV_VERSION_H
#define HPCENV_VERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hpc_error;

/* One run of a component (private to version.c). */
struct hpc_version_atom {
	uint8_t kind;  /* number, string, "dev", "post" */
	uint32_t off;  /* text at str + off */
	uint32_t len;
};

struct hpc_version {
	char *str;     /* normalised text: trimmed, lower-case, '-' -> '_' as conda does */
	/* private: atoms of all components, comp[i] = first atom of component i,
	 * comp[nver + nlocal] = natoms; the epoch is component 0 */
	struct hpc_version_atom *atoms;
	uint32_t *comp;
	uint32_t nver;   /* components of epoch + main part */
	uint32_t nlocal; /* components of the local part */
};

/* Caller storage: init before use, fini after (fini leaves it initialised). */
void hpc_version_init(struct hpc_version *v);
void hpc_version_fini(struct hpc_version *v);

/* Parse s (surrounding blanks ignored) into v, replacing what v held. Invalid text fails
 * with HPC_E_PARSE "invalid version 'S': WHY at column N" (N 1-based) and leaves v empty:
 * empty, a character outside [0-9A-Za-z.+!_*] (or '-'), '!' or '+' twice, an epoch that is
 * not a number, nothing before '+', or an empty component ("1..2", "1.2+"). */
int hpc_version_parse(struct hpc_version *v, const char *s, struct hpc_error **err);

/* Three-way comparison: negative, 0 or positive as a sorts before, with or after b. */
int hpc_version_cmp(const struct hpc_version *a, const struct hpc_version *b);

/* conda's VersionOrder.startswith: v matches the pattern "prefix.*" (1.2.3 and 1.2 start
 * with 1.2; 1.20 does not; a trailing string run is a string prefix: 2013ab starts with
 * 2013a). */
bool hpc_version_startswith(const struct hpc_version *v, const struct hpc_version *prefix);

/* Compare two version strings. *ok (may be NULL) is set false when either is not a valid
 * version; invalid versions then sort before valid ones and among themselves by strcmp,
 * so a sort never fails. */
int hpc_version_cmp_str(const char *a, const char *b, bool *ok);

#endif
