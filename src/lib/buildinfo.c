/* SPDX-License-Identifier: MIT */
/* buildinfo.c - versions of hpcenv and of the libraries it runs with */
#include <archive.h>
#include <curl/curl.h>
#include <jansson.h>
#include <solv/solvversion.h>
#include <yaml.h>

#include "hpcenv/buildinfo.h"

#ifndef HPCENV_VERSION
#error "HPCENV_VERSION must be defined by the build"
#endif

/* The ISA level the compiler was allowed to assume, read from its predefined macros. */
static const char *cpu_baseline(void)
{
#if defined(__x86_64__)
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512DQ__) && \
	defined(__AVX512VL__)
	return "x86-64-v4";
#elif defined(__AVX2__) && defined(__FMA__) && defined(__BMI2__)
	return "x86-64-v3";
#elif defined(__SSE4_2__) && defined(__POPCNT__)
	return "x86-64-v2";
#else
	return "x86-64 (v1)";
#endif
#elif defined(__aarch64__)
	return "armv8-a";
#elif defined(__powerpc64__)
	return "ppc64le";
#else
	return "generic";
#endif
}

static const char *native_platform(void)
{
#if defined(__linux__) && defined(__x86_64__)
	return "linux-64";
#elif defined(__linux__) && defined(__aarch64__)
	return "linux-aarch64";
#elif defined(__linux__) && defined(__powerpc64__)
	return "linux-ppc64le";
#elif defined(__linux__) && defined(__i386__)
	return "linux-32";
#elif defined(__APPLE__) && defined(__aarch64__)
	return "osx-arm64";
#elif defined(__APPLE__)
	return "osx-64";
#else
	return "unknown";
#endif
}

void hpc_buildinfo_get(struct hpc_buildinfo *bi)
{
	bi->version = HPCENV_VERSION;
	bi->libsolv = solv_version;
	bi->libcurl = curl_version_info(CURLVERSION_NOW)->version;
	bi->libarchive = archive_version_string();
	bi->libyaml = yaml_get_version_string();
	bi->jansson = jansson_version_str();
	bi->cpu_baseline = cpu_baseline();
	bi->platform = native_platform();
}
