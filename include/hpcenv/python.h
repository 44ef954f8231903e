/* SPDX-License-Identifier: MIT */
/* python.h - what noarch: python packages need from the environment's python
 *
 * conda's rules (CEP-34): site-packages/ goes to lib/pythonX.Y/site-packages (or the
 * python record's python_site_packages_path, CEP-17), python-scripts/ to bin/, entry
 * points from info/link.json become launcher scripts, and .py files are compiled with
 * the environment's python (-Wi -m compileall -q -l -i -) into __pycache__/.
 */
#ifndef HPCENV_PYTHON_H
#define HPCENV_PYTHON_H

#include <stdbool.h>

#include "record.h"
#include "util.h"

struct hpc_error;

struct hpc_python {
	char *version;       /* "3.11" */
	char *site_packages; /* relative to the prefix: "lib/python3.11/site-packages" */
	char *exe;           /* relative: "bin/python3.11" */
	char *cache_tag;     /* "cpython-311" */
};

/* From the python package's record (version "3.11.9" -> 3.11). HPC_E_PARSE for a
 * version without major.minor. */
int hpc_python_init(struct hpc_python *py, const struct hpc_record *python_rec,
		    struct hpc_error **err);
void hpc_python_fini(struct hpc_python *py);
/* Where a noarch: python package path goes in the prefix. Caller frees. */
char *hpc_python_map_path(const struct hpc_python *py, const char *pkg_path);
/* "a/b/c.py" -> "a/b/__pycache__/c.cpython-311.pyc"; NULL when not a .py file. */
char *hpc_python_pyc_path(const struct hpc_python *py, const char *py_path);
/* The launcher conda writes for "name = module:func". A shebang longer than 127 bytes
 * or with spaces is replaced by a /bin/sh line that execs the interpreter (conda's
 * "'''exec'" trick), so the script still runs the environment's own python. Caller
 * frees. */
char *hpc_python_entry_point(const struct hpc_python *py, const char *prefix,
			     const char *module, const char *func);
/* Compile py_files (relative to prefix) with the environment's python. Fails
 * HPC_E_NOTFOUND when that python is missing, HPC_E_LINK when it fails (its output in
 * the message). */
int hpc_python_compile(const struct hpc_python *py, const char *prefix,
		       const struct hpc_strv *py_files, struct hpc_error **err);

#endif
