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

#include "hpcenv/activate.h"
#include "hpcenv/archspec.h"
#include "hpcenv/buildinfo.h"
#include "hpcenv/cache.h"
#include "hpcenv/channel.h"
#include "hpcenv/condameta.h"
#include "hpcenv/config.h"
#include "hpcenv/cpu.h"
#include "hpcenv/digest.h"
#include "hpcenv/envexport.h"
#include "hpcenv/envfile.h"
#include "hpcenv/envsolve.h"
#include "hpcenv/envs.h"
#include "hpcenv/error.h"
#include "hpcenv/events.h"
#include "hpcenv/explicit.h"
#include "hpcenv/extract.h"
#include "hpcenv/fetch.h"
#include "hpcenv/journal.h"
#include "hpcenv/link.h"
#include "hpcenv/lock.h"
#include "hpcenv/lockfile.h"
#include "hpcenv/matchspec.h"
#include "hpcenv/pkgfetch.h"
#include "hpcenv/pkginfo.h"
#include "hpcenv/pool.h"
#include "hpcenv/prefix.h"
#include "hpcenv/problems.h"
#include "hpcenv/python.h"
#include "hpcenv/query.h"
#include "hpcenv/record.h"
#include "hpcenv/relocate.h"
#include "hpcenv/repocache.h"
#include "hpcenv/repodata.h"
#include "hpcenv/script.h"
#include "hpcenv/select.h"
#include "hpcenv/solver.h"
#include "hpcenv/spawn.h"
#include "hpcenv/transaction.h"
#include "hpcenv/util.h"
#include "hpcenv/verify.h"
#include "hpcenv/version.h"
#include "hpcenv/versionspec.h"
#include "hpcenv/virtual.h"
#include "hpcenv/workers.h"

#endif
