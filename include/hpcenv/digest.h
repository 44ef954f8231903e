/* SPDX-License-Identifier: MIT */
/* digest.h - md5 and sha256 of packages and files (OpenSSL EVP), as lowercase hex
 *
 * conda records both: md5 is what old repodata and @EXPLICIT lists carry, sha256 what
 * newer ones and paths.json do. One pass computes whichever the caller asks for.
 */
#ifndef HPCENV_DIGEST_H
#define HPCENV_DIGEST_H

#include <stddef.h>
#include <stdint.h>

struct hpc_error;

enum {
	HPC_DIGEST_MD5 = 1 << 0,
	HPC_DIGEST_SHA256 = 1 << 1,
};

#define HPC_MD5_HEX 33    /* 32 hex digits and a NUL */
#define HPC_SHA256_HEX 65 /* 64 hex digits and a NUL */

struct hpc_digest;

/* A running digest of the kinds in `what` (HPC_DIGEST_* bits). Thread-safe to create
 * and use from any thread (one object per thread). */
struct hpc_digest *hpc_digest_new(unsigned what);
void hpc_digest_update(struct hpc_digest *d, const void *data, size_t n);
/* Finish: hex strings into md5/sha256 (either may be NULL; "" when not computed).
 * The digest restarts empty afterwards and can be reused. */
void hpc_digest_final(struct hpc_digest *d, char md5[HPC_MD5_HEX], char sha256[HPC_SHA256_HEX]);
/* Bytes fed since creation or the last final. */
uint64_t hpc_digest_bytes(const struct hpc_digest *d);
void hpc_digest_free(struct hpc_digest *d);

/* Digest a whole file; md5/sha256/size may be NULL. Fails HPC_E_NOTFOUND / HPC_E_IO. */
int hpc_digest_file(const char *path, char md5[HPC_MD5_HEX], char sha256[HPC_SHA256_HEX],
		    uint64_t *size, struct hpc_error **err);
/* sha256 of a buffer as hex. */
void hpc_digest_sha256_buf(const void *data, size_t n, char sha256[HPC_SHA256_HEX]);

#endif
