/* SPDX-License-Identifier: MIT */
/* testutil.h - shared helpers for the cmocka unit tests */
#ifndef HPCENV_TESTUTIL_H
#define HPCENV_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <hpcenv.h>

/* A fresh temporary directory (removed by tu_tmpdir_free). */
char *tu_tmpdir(void);
void tu_tmpdir_free(char *dir);
/* Write a file (creating parent directories); aborts the test on failure. */
void tu_write(const char *dir, const char *rel, const char *content);
/* Path under ../shared/data; caller frees. */
char *tu_shared(const char *rel);
/* The nginx fixture (tests/fixtures/nginx.sh) serving dir until tu_nginx_stop (and no
 * proxy from the environment): *url is
 * http://127.0.0.1:PORT, *state its state directory (access.log, gate-open); both the
 * caller's to free (tu_nginx_stop does). */
void tu_nginx_start(const char *dir, char **url, char **state);
void tu_nginx_stop(const char *dir, char *url, char *state);
/* How many requests in the fixture's access log contain text. nginx logs a request just
 * after answering, so the last line may lag behind the client: this waits (at most 2 s)
 * until there are `want`. */
int tu_nginx_requests(const char *state, const char *text, int want);
/* Events that collect log lines into a strv (for asserting on warnings). */
struct tu_log {
	struct hpc_events ev;
	struct hpc_strv lines;
};
void tu_log_init(struct tu_log *l);
void tu_log_fini(struct tu_log *l);
/* assert an error chain's message contains text */
#define assert_err_contains(e, text) \
	do { \
		assert_non_null(e); \
		if (!strstr((e)->msg, (text))) \
			fail_msg("error '%s' lacks '%s'", (e)->msg, (text)); \
	} while (0)

#endif
