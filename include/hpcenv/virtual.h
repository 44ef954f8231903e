/* SPDX-License-Identifier: MIT */
/* virtual.h - virtual packages (CEP-30): what the system offers to the solver
 *
 * For a target subdir, the packages conda would export (its virtual package plugins):
 *   __archspec 1 <microarchitecture>   every subdir with a CPU architecture; the host's
 *                                      archspec name natively, the bare machine name
 *                                      (x86_64, aarch64, arm64...) for another subdir
 *   __cuda <driver's CUDA version> 0   only when a CUDA driver is found (libcuda)
 *   __unix 0 0                         linux-*, osx-*, freebsd-*
 *   __linux <kernel, e.g. 6.8.12> 0    linux-*; "0" when not running on Linux
 *   __glibc <gnu_get_libc_version> 0   linux-*; "0" when the host's libc is unknown
 *   __osx <version> 0, __win <version> 0   osx-*, win-*; "0" (the host's only natively)
 * CONDA_OVERRIDE_<NAME> replaces the version (the build for __archspec); an empty value
 * removes the package, except __linux, which becomes 0. conda's own __conda is not
 * exported: hpcenv is not conda. The list is sorted by name.
 */
#ifndef HPCENV_VIRTUAL_H
#define HPCENV_VIRTUAL_H

#include <stddef.h>

struct hpc_error;
struct hpc_record;

struct hpc_vpkg {
	char *name;    /* "__glibc" */
	char *version; /* "2.36" */
	char *build;   /* "0" */
};

struct hpc_vpkgs {
	struct hpc_vpkg *v;
	size_t n;
};

/* What the machine is, as the virtual packages see it (filled by hpc_virtual_probe, or by
 * hand to describe another machine). Empty strings mean "unknown" / "none". */
struct hpc_virtual_host {
	char sysname[65];       /* uname: "Linux" */
	char release[65];       /* uname: "6.18.44-fc-v657" */
	char machine[65];       /* uname: "x86_64" */
	char native_subdir[32]; /* "linux-64" */
	char libc_family[16];   /* "glibc" when glibc */
	char libc_version[32];  /* "2.36" */
	char cuda[32];          /* CUDA version the driver supports, "12.4"; "" without one */
	char archspec[65];      /* the CPU's archspec name, "icelake" */
};

/* Look at this machine: uname, gnu_get_libc_version, cpuid (archspec.h), and libcuda
 * (dlopen "libcuda.so.1" and the other places conda tries, cuInit, cuDriverGetVersion). */
void hpc_virtual_probe(struct hpc_virtual_host *host);

/* The virtual packages for subdir (NULL: host->native_subdir) on host, with overrides
 * from envp (CONDA_OVERRIDE_*; NULL: environ). Fails with HPC_E_CONFIG naming the
 * variable when an override is not a valid version, and HPC_E_USAGE for a subdir that is
 * not "<os>-<arch>". *out is initialised first; free with hpc_vpkgs_fini. */
int hpc_virtual_packages(const struct hpc_virtual_host *host, const char *subdir, char **envp,
			 struct hpc_vpkgs *out, struct hpc_error **err);
void hpc_vpkgs_fini(struct hpc_vpkgs *vp);

/* "__glibc=2.36=0" (caller frees). */
char *hpc_vpkg_str(const struct hpc_vpkg *p);

/* The record conda makes for a virtual package: channel "@", build_number 0, md5
 * "12345678901234567890123456789012", fn = name, subdir as given. r is initialised. */
void hpc_vpkg_record(const struct hpc_vpkg *p, const char *subdir, struct hpc_record *r);

#endif
