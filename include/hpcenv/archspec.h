/* SPDX-License-Identifier: MIT */
/* archspec.h - the CPU's microarchitecture under archspec's names (for __archspec)
 *
 * archspec (the library conda asks for the build of its __archspec virtual package) names
 * the most specific target of its microarchitectures.json that the CPU can run: among the
 * targets whose vendor is the CPU's (or "generic") and whose features the CPU all has, it
 * takes the best generic level (x86_64, x86_64_v2..v4), then the deepest named target
 * descending from it (e.g. haswell, skylake_avx512, icelake, sapphirerapids, zen2..zen5),
 * deepest by number of ancestors, then by number of features. hpcenv carries the x86_64
 * part of that file as a table (archspec-json 90b453f) and applies the same rules to the
 * features cpu.c reads with cpuid.
 */
#ifndef HPCENV_ARCHSPEC_H
#define HPCENV_ARCHSPEC_H

#include <stddef.h>

#include "cpu.h"

/* archspec's name for cpu (a static string), or NULL when cpu is not an x86-64 CPU. */
const char *hpc_archspec_name(const struct hpc_cpu *cpu);

/* The table: target i's name and its features (space-separated, /proc/cpuinfo spelling,
 * archspec's implied "sse3" included); NULL past the end. */
const char *hpc_archspec_target(size_t i, const char **features);

#endif
