/* SPDX-License-Identifier: MIT */
/* extract.h - unpack .conda and .tar.bz2 packages safely (libarchive)
 *
 * A package is untrusted input. Extraction refuses, with an error naming the archive
 * and the member, anything that could write outside the target directory or lie
 * about its contents: absolute paths and ".." components, symlinks or hardlinks that
 * point outside the package, members written through a symlink, devices, FIFOs and
 * sockets, members declaring sizes far beyond what the archive could hold (pax size
 * and zstd frame-content-size bombs), truncated archives, a .conda without its pkg
 * tarball, a bad info/index.json or one naming another package, and files that do not
 * match their sha256/size in info/paths.json. Regular files are created with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) where the kernel has it, so even a
 * bug in these checks cannot make a write leave the directory.
 *
 * .conda members are streamed: the zip is read sequentially and the inner
 * info-*.tar.zst / pkg-*.tar.zst are decompressed while they are read (in any order),
 * never written to disk first. The archive file is hashed (md5 + sha256) on the way.
 */
#ifndef HPCENV_EXTRACT_H
#define HPCENV_EXTRACT_H

#include <stdbool.h>
#include <stdint.h>

#include "digest.h"
#include "util.h"

struct hpc_error;
struct hpc_workers;

struct hpc_extract_options {
	/* "name-version-build" info/index.json must describe; NULL: from the file name */
	const char *dist;
	/* check regular files against paths.json sha256 and size (recommended) */
	bool verify;
	/* polled between members: when cancelling, fail with HPC_E_INTERRUPTED */
	struct hpc_workers *workers;
};

struct hpc_extract_result {
	char md5[HPC_MD5_HEX];       /* of the archive file */
	char sha256[HPC_SHA256_HEX];
	uint64_t archive_size;
	uint64_t bytes;              /* payload bytes written */
	uint64_t files;              /* members created */
	struct hpc_strv damaged;     /* symlink members with an empty target, not created */
};

/* Extract archive (.conda or .tar.bz2, by its name) into dest, an existing empty
 * directory. On failure dest may hold part of the package: the caller removes it
 * (extract into a temporary directory and rename). Thread-safe; emits no events.
 * res may be NULL; otherwise free it with hpc_extract_result_fini. */
int hpc_extract_package(const char *archive, const char *dest,
			const struct hpc_extract_options *opt, struct hpc_extract_result *res,
			struct hpc_error **err);
void hpc_extract_result_fini(struct hpc_extract_result *res);

/* "name-version-build" from a package file name (without .conda / .tar.bz2), or NULL
 * when the name has neither extension. Caller frees. */
char *hpc_extract_dist_of(const char *filename);

#endif
