/* SPDX-License-Identifier: MIT */
/* versionspec.h - version constraints: the version part of a MatchSpec (conda's VersionSpec)
 *
 *   1.2.3           exactly 1.2.3 (== 1.2.3.0)       ==1.2.3, !=1.2.3, <, <=, >, >=
 *   1.2.* / 1.2*    starts with 1.2 (1.2, 1.2.5)     =1.2  the same ("fuzzy")
 *   !=1.2.*         does not start with 1.2          ~=1.2.3  >=1.2.3 and starts with 1.2
 *   *               anything                         1.*.3  glob on the text
 *   ^1\.[0-9]$      POSIX extended regex on the text 1.0@x  (contains '@') exact text
 *   a,b             both                             a|b    either (',' binds tighter)
 *   (a|b),c         grouping
 */
#ifndef HPCENV_VERSIONSPEC_H
#define HPCENV_VERSIONSPEC_H

#include <stdbool.h>

#include "version.h"

struct hpc_error;
struct hpc_versionspec;

/* Parse a version constraint. Fails with HPC_E_SPEC "invalid version spec 'S': WHY at
 * column N" (e.g. "unexpected '<' at column 2" for "<<2") and returns NULL. */
struct hpc_versionspec *hpc_versionspec_parse(const char *s, struct hpc_error **err);
void hpc_versionspec_free(struct hpc_versionspec *vs);

/* Canonical text, as conda prints it ("1.7*" -> "1.7.*", blanks dropped), except that
 * nested groups keep the parentheses they need (conda drops them and changes the meaning).
 * Borrowed. */
const char *hpc_versionspec_str(const struct hpc_versionspec *vs);
/* True for "==X" and plain "X": one version, no range, glob or alternatives. */
bool hpc_versionspec_is_exact(const struct hpc_versionspec *vs);
/* True for "*" (matches every version). */
bool hpc_versionspec_is_any(const struct hpc_versionspec *vs);

/* Does the version text match? parsed is text's parse, or NULL when text is not a valid
 * version: then only "*", globs, regexes and exact '@' texts can match. */
bool hpc_versionspec_match_parsed(const struct hpc_versionspec *vs, const char *text,
				  const struct hpc_version *parsed);
/* The same, parsing text on the way. */
bool hpc_versionspec_match(const struct hpc_versionspec *vs, const char *text);

#endif
