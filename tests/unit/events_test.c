/* SPDX-License-Identifier: MIT */
/* events_test.c - logging levels, long messages, NULL-safety */
#include <string.h>

#include "testutil.h"

static void test_levels_filter(void **state)
{
	struct tu_log l;

	tu_log_init(&l);
	l.ev.level = HPC_LOG_INFO;
	hpc_warn(&l.ev, "w %d", 1);
	hpc_debug(&l.ev, "hidden");
	hpc_info(&l.ev, "i");
	assert_int_equal(l.lines.n, 2);
	assert_string_equal(l.lines.v[0], "1:w 1");
	assert_string_equal(l.lines.v[1], "2:i");
	assert_false(hpc_log_enabled(&l.ev, HPC_LOG_DEBUG));
	tu_log_fini(&l);
}

static void test_long_message_not_truncated(void **state)
{
	struct tu_log l;
	char big[2000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	tu_log_init(&l);
	hpc_info(&l.ev, "%s!", big);
	assert_int_equal(strlen(l.lines.v[0]), 2 + sizeof(big));
	tu_log_fini(&l);
}

static bool say_no(void *ud, const char *q)
{
	return false;
}

static bool stop(void *ud)
{
	return true;
}

static void test_null_safe_and_defaults(void **state)
{
	struct hpc_events ev = { 0 };
	struct hpc_progress p = { .id = "x" };

	hpc_info(NULL, "nothing");
	hpc_progress_emit(NULL, &p);
	assert_true(hpc_confirm(NULL, "ok?"));
	assert_false(hpc_cancelled(NULL));
	ev.confirm = say_no;
	ev.cancelled = stop;
	assert_false(hpc_confirm(&ev, "ok?"));
	assert_true(hpc_cancelled(&ev));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels_filter),
		cmocka_unit_test(test_long_message_not_truncated),
		cmocka_unit_test(test_null_safe_and_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
