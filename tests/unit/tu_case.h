/* SPDX-License-Identifier: MIT */
/* tu_case.h - declarative solver cases (tests/solver/NAME.t), in the spirit of libsolv's
 * testcases and apk's test/solver:
 *
 *   # what the case shows
 *   channel https://conda.example/a/linux-64 priority 2
 *   pkg foo 1.0 h0_0                 a record of the channel above (or "installed")
 *     depends bar >=1                one key a line: depends, constrains, bn, ts
 *     features mkl                   (seconds), features (track_features), noarch
 *   installed                        the next pkg lines are the environment's
 *   virtual __glibc 2.17 [0]         a virtual package of the system
 *   job install foo >=1              install, update, remove, keep, pin (rest: the spec)
 *   flag strict                      strict, disabled, no_deps, only_deps, no_pip,
 *                                    force_reinstall, freeze, no_py_pin, update_all, no_prune
 *   expect link                      "name version build" lines in link order
 *   expect unlink                    likewise, in unlink order
 *   expect problems                  the problems as hpc_problems_render_text (ASCII) prints
 *   expect error notfound            the error code's name
 *
 * An expect section runs until the next "expect" line or the end of the file. */
#ifndef HPCENV_TU_CASE_H
#define HPCENV_TU_CASE_H

/* Run one case file, solving in process (timeout 0) or in a child; fails the test with
 * the file name and what differs. */
void tu_case_run(const char *path, double timeout);

#endif
