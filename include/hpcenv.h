/* SPDX-License-Identifier: MIT */
/* hpcenv.h - the public interface of libhpcenv (one include for everything)
 *
 * Conventions (see docs/architecture.md):
 *  - fallible calls return 0 or a negative HPC_E_* code and take `struct hpc_error **err` last;
 *  - `hpc_x_new`/`hpc_x_free` for heap objects, `hpc_x_init`/`hpc_x_fini` for caller storage;
 *  - returned `const` pointers are borrowed, returned `char *` is the caller's to free();
 *  - the library never prints or exits: it reports through `struct hpc_events`.
 */
#ifndef HPCENV_H
#define HPCENV_H

#include "hpcenv/buildinfo.h"
#include "hpcenv/config.h"
#include "hpcenv/cpu.h"
#include "hpcenv/error.h"
#include "hpcenv/events.h"
#include "hpcenv/prefix.h"
#include "hpcenv/record.h"
#include "hpcenv/util.h"
#include "hpcenv/verify.h"

#endif
