/* SPDX-License-Identifier: MIT */
/* pkginfo.h - what a package says about itself: info/index.json, paths.json, link.json
 *
 * Read from an extracted package directory (pkgs/<dist>/info/...). Packages without
 * info/paths.json are described by info/files, info/has_prefix and info/no_link, as
 * conda does for old packages. Every path is checked: a package may only name
 * relative paths without "." or ".." components (HPC_E_UNSAFE otherwise).
 */
#ifndef HPCENV_PKGINFO_H
#define HPCENV_PKGINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "digest.h"
#include "record.h"
#include "util.h"

struct hpc_error;

enum hpc_path_type {
	HPC_PATH_HARDLINK,    /* a file (linked or copied) */
	HPC_PATH_SOFTLINK,
	HPC_PATH_DIRECTORY,   /* an empty directory the package wants */
	HPC_PATH_PYC_FILE,    /* conda-meta only: compiled at link time */
	HPC_PATH_ENTRY_POINT, /* conda-meta only: unix_python_entry_point */
};

enum hpc_file_mode {
	HPC_FILE_MODE_NONE,
	HPC_FILE_MODE_TEXT,
	HPC_FILE_MODE_BINARY,
};

/* The placeholder conda-build used before paths.json named one per file. */
#define HPC_DEFAULT_PLACEHOLDER "/opt/anaconda1anaconda2anaconda3"

struct hpc_pkg_path {
	char *path;                     /* relative to the package root, safe */
	enum hpc_path_type type;
	char sha256[HPC_SHA256_HEX];    /* "" when the package gives none */
	uint64_t size;
	bool has_size;
	char *placeholder;              /* prefix placeholder, NULL when none */
	enum hpc_file_mode file_mode;
	bool no_link;                   /* must be copied, never hardlinked */
};

struct hpc_pkginfo {
	struct hpc_record index;        /* info/index.json */
	struct hpc_pkg_path *paths;     /* in the package's order */
	size_t npaths;
	bool has_paths_json;            /* false: from info/files + has_prefix */
	struct hpc_strv entry_points;   /* info/link.json noarch entry points, "name = mod:func" */
};

/* Name of a path type as conda writes it ("hardlink", "pyc_file", ...). */
const char *hpc_path_type_name(enum hpc_path_type t);
/* Parse a conda path_type name; -1 when unknown. */
int hpc_path_type_parse(const char *name);

/* Read pkg_dir/info. Fails HPC_E_PARSE (bad JSON, named with file:line:col),
 * HPC_E_UNSAFE (a path or entry point that would leave the prefix), HPC_E_NOTFOUND. */
int hpc_pkginfo_load(struct hpc_pkginfo *pi, const char *pkg_dir, struct hpc_error **err);
void hpc_pkginfo_fini(struct hpc_pkginfo *pi);
/* index.json must describe dist ("name-version-build"); where names the archive. */
int hpc_pkginfo_check_dist(const struct hpc_pkginfo *pi, const char *dist, const char *where,
			   struct hpc_error **err);

/* A package path is relative, non-empty, with no "", "." or ".." component. */
bool hpc_pkgpath_is_safe(const char *p);
/* A symlink at package path `at` with target `target` stays inside the package root:
 * relative, with ".." only as leading components, no more of them than `at` has
 * parent directories. (Then the kernel resolves it as written, whatever is inside.) */
bool hpc_symlink_inside(const char *at, const char *target);
/* Split an entry point "name = module:func" (checking that name is a plain file name
 * and module/func Python dotted names). Outputs are the caller's to free. */
int hpc_entry_point_parse(const char *spec, char **name, char **module, char **func,
			  struct hpc_error **err);

#endif
