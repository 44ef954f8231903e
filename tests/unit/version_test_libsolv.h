/* SPDX-License-Identifier: MIT */
/* version_test_libsolv.h - the exact pairs of version_test's lists that libsolv 0.7.23
 * orders differently from conda (see test_libsolv_agrees) */

static const struct disagreement libsolv_disagreements[] = {
	/*
	 * 1. The openssl-style trailing '_'. conda keeps it as a string run ("1.1_" is
	 *    [[0], [1], [1, '_']]), so 1.1dev1 < 1.1_ < 1.1a1 < 1.1. libsolv treats '_' as a
	 *    separator and drops it: 1.1_ == 1.1, and so above every pre-release of 1.1.
	 */
	{ "1.1_", "1.1a1", 1 },
	{ "1.1_", "1.1.0dev1", 1 },
	{ "1.1_", "1.1.dev1", 1 },
	{ "1.1_", "1.1.a1", 1 },
	{ "1.1_", "1.1.0rc1", 1 },
	{ "1.1_", "1.1.0", 0 },
	{ "1.1_", "1.1", 0 },
	{ "1.0.1_", "1.0.1a", 1 },
	{ "1.0.1_", "1.0.1b", 1 },
	{ "1.0.1_", "1.0.1c", 1 },
	{ "1.0.1_", "1.0.1d", 1 },
	{ "1.0.1_", "1.0.1r", 1 },
	{ "1.0.1_", "1.0.1rc", 1 },
	{ "1.0.1_", "1.0.1rc1", 1 },
	{ "1.0.1_", "1.0.1rc2", 1 },
	{ "1.0.1_", "1.0.1s", 1 },
	{ "1.0.1_", "1.0.1", 0 },
	{ "1.0_", "1.0a", 1 },
	{ "1.0_", "1.0", 0 },
	/*
	 * 2. Local versions. conda (and CEP-33) compare a missing local part as 0, so a string
	 *    local part sorts before it and "+0" equals it. libsolv sorts any version with a
	 *    local part after the same version without one.
	 */
	{ "0.4.1+local", "0.4.1", 1 },
	{ "0.4.1+0.local", "0.4.1", 1 },
	{ "0.4.1", "0.4.1+0", -1 },
};
