/* SPDX-License-Identifier: MIT */
/* buildinfo.h - what this build of hpcenv is made of (for --version and info) */
#ifndef HPCENV_BUILDINFO_H
#define HPCENV_BUILDINFO_H

struct hpc_buildinfo {
	const char *version;      /* hpcenv's own version */
	const char *libsolv;      /* run-time versions of the libraries linked in */
	const char *libcurl;
	const char *libarchive;
	const char *libyaml;
	const char *jansson;
	const char *cpu_baseline; /* ISA level the binary was compiled for, e.g. "x86-64-v1" */
	const char *platform;     /* conda subdir this build runs on natively, e.g. "linux-64" */
};

/* Fill *bi with static strings. */
void hpc_buildinfo_get(struct hpc_buildinfo *bi);

#endif
