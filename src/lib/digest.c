/* SPDX-License-Identifier: MIT */
/* digest.c - md5/sha256 through OpenSSL's EVP interface
 *
 * The EVP_MD objects are fetched once: an implicit fetch per EVP_DigestInit_ex costs
 * more than hashing a small file, and extraction hashes every file it writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hpcenv/digest.h"
#include "hpcenv/error.h"
#include "hpcenv/util.h"

struct hpc_digest {
	unsigned what;
	EVP_MD_CTX *md5, *sha256;
	uint64_t bytes;
};

static EVP_MD *md_md5, *md_sha256;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;

static void fetch_mds(void)
{
	md_md5 = EVP_MD_fetch(NULL, "MD5", NULL);
	md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!md_md5 || !md_sha256)
		abort(); /* a broken OpenSSL install: nothing sensible to do */
}

/* Freed at exit so leak checkers see a clean process. */
__attribute__((destructor)) static void free_mds(void)
{
	EVP_MD_free(md_md5);
	EVP_MD_free(md_sha256);
}

static EVP_MD_CTX *start(const EVP_MD *md)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	if (!c || !EVP_DigestInit_ex2(c, md, NULL))
		abort();
	return c;
}

struct hpc_digest *hpc_digest_new(unsigned what)
{
	struct hpc_digest *d = hpc_xcalloc(1, sizeof(*d));

	pthread_once(&md_once, fetch_mds);
	d->what = what;
	if (what & HPC_DIGEST_MD5)
		d->md5 = start(md_md5);
	if (what & HPC_DIGEST_SHA256)
		d->sha256 = start(md_sha256);
	return d;
}

void hpc_digest_update(struct hpc_digest *d, const void *data, size_t n)
{
	if (d->md5)
		EVP_DigestUpdate(d->md5, data, n);
	if (d->sha256)
		EVP_DigestUpdate(d->sha256, data, n);
	d->bytes += n;
}

static void to_hex(const unsigned char *b, unsigned n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (unsigned i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static void finish(EVP_MD_CTX *c, const EVP_MD *md, char *out)
{
	unsigned char buf[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	if (!c) {
		if (out)
			out[0] = '\0';
		return;
	}
	EVP_DigestFinal_ex(c, buf, &n);
	if (out)
		to_hex(buf, n, out);
	EVP_DigestInit_ex2(c, md, NULL);
}

void hpc_digest_final(struct hpc_digest *d, char md5[HPC_MD5_HEX], char sha256[HPC_SHA256_HEX])
{
	finish(d->md5, md_md5, md5);
	finish(d->sha256, md_sha256, sha256);
	d->bytes = 0;
}

uint64_t hpc_digest_bytes(const struct hpc_digest *d)
{
	return d->bytes;
}

void hpc_digest_free(struct hpc_digest *d)
{
	if (!d)
		return;
	EVP_MD_CTX_free(d->md5);
	EVP_MD_CTX_free(d->sha256);
	free(d);
}

int hpc_digest_file(const char *path, char md5[HPC_MD5_HEX], char sha256[HPC_SHA256_HEX],
		    uint64_t *size, struct hpc_error **err)
{
	unsigned what = (md5 ? HPC_DIGEST_MD5 : 0) | (sha256 ? HPC_DIGEST_SHA256 : 0);
	int fd = open(path, O_RDONLY | O_CLOEXEC), r = 0;
	struct hpc_digest *d;
	static const size_t bufsize = 1 << 17;
	char *buf;
	ssize_t n;

	if (fd < 0)
		return HPC_FAILC(err, errno == ENOENT ? HPC_E_NOTFOUND : HPC_E_IO,
				 "cannot open '%s': %s", path, strerror(errno));
	d = hpc_digest_new(what);
	buf = hpc_xmalloc(bufsize);
	while ((n = read(fd, buf, bufsize)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = HPC_FAIL(err, IO, "cannot read '%s': %s", path, strerror(errno));
			break;
		}
		hpc_digest_update(d, buf, (size_t)n);
	}
	if (!r && size)
		*size = hpc_digest_bytes(d);
	if (!r)
		hpc_digest_final(d, md5, sha256);
	hpc_digest_free(d);
	free(buf);
	close(fd);
	return r;
}

void hpc_digest_sha256_buf(const void *data, size_t n, char sha256[HPC_SHA256_HEX])
{
	struct hpc_digest *d = hpc_digest_new(HPC_DIGEST_SHA256);

	hpc_digest_update(d, data, n);
	hpc_digest_final(d, NULL, sha256);
	hpc_digest_free(d);
}
