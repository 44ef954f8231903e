/* SPDX-License-Identifier: MIT */
/* solv-asan-realloc.c - libsolv's array growth, made geometric for the sanitizer build
 *
 * libsolv grows its rule array and its queues a block at a time (solv_extend, every 64
 * elements) and relies on realloc being cheap when the block still fits. AddressSanitizer's
 * realloc always moves the block, so a solve that makes 475,000 rules (python=3.9 on the
 * conda-forge subset: same-name rules between 842 setuptools builds) copies gigabytes and
 * takes a minute instead of 0.1 s. In the sanitizer build only, the linker wraps
 * libsolv's reallocation functions (-Wl,--wrap, see cmake/Dependencies.cmake): a request
 * that fits the block returns it, a larger one grows by half. libsolv never depends on the
 * exact size of what it gets.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

void *__wrap_solv_realloc(void *old, size_t len);
void *__wrap_solv_realloc2(void *old, size_t num, size_t len);
void *__wrap_solv_extend_realloc(void *old, size_t len, size_t size, size_t block);

static void *grow(void *old, size_t need)
{
	void *p;

	if (!need)
		need = 1;
	if (old && malloc_usable_size(old) >= need)
		return old;
	p = realloc(old, need + need / 2);
	if (!p) {
		fprintf(stderr, "out of memory allocating %zu bytes\n", need);
		abort();
	}
	return p;
}

void *__wrap_solv_realloc(void *old, size_t len)
{
	return grow(old, len);
}

void *__wrap_solv_realloc2(void *old, size_t num, size_t len)
{
	if (len && num > (size_t)-1 / len)
		abort();
	return grow(old, num * len);
}

void *__wrap_solv_extend_realloc(void *old, size_t len, size_t size, size_t block)
{
	return __wrap_solv_realloc2(old, (len + block) & ~block, size);
}
