/* SPDX-License-Identifier: MIT */
/* record_int.h - jansson-level access to records, for library files that already hold
 * parsed JSON (repodata, conda-meta) */
#ifndef HPCENV_RECORD_INT_H
#define HPCENV_RECORD_INT_H

#include <jansson.h>

#include "hpcenv/record.h"

/* Fill r from a JSON object; unknown keys go to r->extra_json. */
int hpc_record_from_object(struct hpc_record *r, json_t *obj, const char *where,
			   struct hpc_error **err);
/* A new JSON object (caller json_decref's it). */
json_t *hpc_record_to_object(const struct hpc_record *r);

#endif
