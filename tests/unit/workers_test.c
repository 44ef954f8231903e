/* SPDX-License-Identifier: MIT */
/* workers_test.c - jobs run once each, on worker threads or the caller's, and can stop */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

struct tjob {
	int in, out;
	pthread_t ran_on;
	bool saw_cancel;
};

static void square(struct hpc_workers *w, void *arg)
{
	struct tjob *j = arg;

	j->saw_cancel = hpc_workers_cancelling(w);
	if (!j->saw_cancel)
		j->out = j->in * j->in;
	j->ran_on = pthread_self();
	usleep(200);
}

static void run_all(int threads, bool expect_caller_thread)
{
	struct hpc_workers *w = hpc_workers_new(threads);
	struct tjob jobs[100];
	bool seen[100] = { false };
	size_t got = 0;
	struct tjob *j;

	for (int i = 0; i < 100; i++) {
		jobs[i] = (struct tjob){ .in = i };
		hpc_workers_add(w, square, &jobs[i]);
	}
	assert_int_equal(hpc_workers_pending(w), 100);
	while (hpc_workers_pending(w)) {
		j = hpc_workers_next(w, 1.0);
		if (!j)
			continue;
		assert_false(seen[j - jobs]);
		seen[j - jobs] = true;
		assert_int_equal(j->out, j->in * j->in);
		assert_int_equal(pthread_equal(j->ran_on, pthread_self()) != 0, expect_caller_thread);
		got++;
	}
	assert_int_equal(got, 100);
	assert_null(hpc_workers_next(w, 0.01));
	hpc_workers_free(w);
}

static void test_threads(void **state)
{
	run_all(4, false);
}

static void test_caller_thread(void **state)
{
	run_all(1, true);
}

static void test_cancel(void **state)
{
	struct hpc_workers *w = hpc_workers_new(2);
	struct tjob jobs[50];
	int cancelled = 0;

	for (int i = 0; i < 50; i++) {
		jobs[i] = (struct tjob){ .in = i };
		hpc_workers_add(w, square, &jobs[i]);
	}
	hpc_workers_cancel(w);
	assert_true(hpc_workers_cancelling(w));
	while (hpc_workers_pending(w)) {
		struct tjob *j = hpc_workers_next(w, 1.0);

		if (j && j->saw_cancel)
			cancelled++;
	}
	assert_true(cancelled > 40); /* at most the few already running finish normally */
	hpc_workers_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_caller_thread),
		cmocka_unit_test(test_cancel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
