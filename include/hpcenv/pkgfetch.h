/* SPDX-License-Identifier: MIT */
/* pkgfetch.h - bring package archives into the package cache: the transaction's download step
 *
 * hpc_pkgfetch_run is what hpc_txn_options.fetch points to (fetch_ud: the configuration).
 * It gets the packages that are neither extracted nor archived in any pkgs_dirs cache:
 *  - file:// URLs and plain paths are used in place: nothing is copied, and extraction
 *    checks size and sha256 (else md5) while it reads the file;
 *  - http(s) URLs are downloaded with fetch.h (fetch_threads at a time on one curl multi
 *    handle, HTTP/2 where offered, resuming pkgs/<fn>.part, retries with backoff, proxies
 *    and CA bundle from configuration) into the first writable cache as pkgs/<fn>, checked
 *    against the record's size and sha256 (else md5) before the rename that makes them
 *    visible, and noted in pkgs/urls.txt (conda's layout).
 * Bytes that do not match their record are deleted and downloaded once more; a second
 * mismatch fails naming the package and its URL. The cache is locked shared meanwhile
 * (`clean` waits; other creates go on). Offline, a package that must be downloaded fails
 * at once, naming it. Progress: one item per package (bytes) and an overall item (all
 * bytes of the batch); a summary line at the end for terminals without bars.
 */
#ifndef HPCENV_PKGFETCH_H
#define HPCENV_PKGFETCH_H

#include <stddef.h>

#include "cache.h"
#include "events.h"

struct hpc_error;

/* Set items[i]->archive for each of the n items (see above). cfg is a
 * const struct hpc_config *. Errors: HPC_E_FETCH, HPC_E_CHECKSUM (after the second
 * try), HPC_E_NOTFOUND (a local file that is not there, a record without URL), HPC_E_IO
 * (no writable cache), HPC_E_INTERRUPTED. */
int hpc_pkgfetch_run(void *cfg, struct hpc_cache *cache, struct hpc_cache_item **items, size_t n,
		     const struct hpc_events *ev, struct hpc_error **err);

#endif
