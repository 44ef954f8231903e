/* SPDX-License-Identifier: MIT */
/* link.h - put a package's files into a prefix
 *
 * Per info/paths.json (or info/files + has_prefix): files are reflinked (FICLONE,
 * btrfs/XFS), else hardlinked to the package cache, else copied (always_copy, another
 * filesystem, or a file hardlinks may not reach, e.g. another user's under
 * protected_hardlinks); files with a prefix placeholder are always written as new
 * copies with the prefix replaced (relocate.h); softlinks stay softlinks. noarch:
 * python packages are mapped into the environment's site-packages and get entry
 * points (python.h).
 *
 * Nothing escapes the prefix: every target is a safe relative path, its directory is
 * opened with openat2(RESOLVE_BENEATH) (symlinks inside the prefix are fine, ones
 * leading out are refused), and a softlink may only point inside the prefix.
 *
 * A package whose paths.json calls a path a softlink but whose archive has no usable
 * symlink for it (zlib 1.2.11 h7b6447c_3: empty link targets in the .conda, empty
 * regular files in the .tar.bz2) gets a warning and that path is not installed, so
 * both archives give the same tree and nothing dangling or wrong is created.
 */
#ifndef HPCENV_LINK_H
#define HPCENV_LINK_H

#include <stdbool.h>

#include "condameta.h"
#include "pkginfo.h"
#include "python.h"
#include "record.h"
#include "util.h"

struct hpc_error;
struct hpc_journal;
struct hpc_workers;
struct hpc_linker;

enum hpc_link_action {
	HPC_LINK_FILE,     /* reflink / hardlink / copy */
	HPC_LINK_RELOCATE, /* copy with the prefix placeholder replaced */
	HPC_LINK_SYMLINK,
	HPC_LINK_DIR,
	HPC_LINK_SKIP,     /* damaged in the package: not installed */
	HPC_LINK_SHADOWED, /* a later package of the same transaction writes this path (a
			    * clobber): listed in this package's record, not written */
};

struct hpc_link_target {
	const struct hpc_pkg_path *src; /* the package's entry */
	char *path;                     /* where it goes, relative to the prefix */
	enum hpc_link_action action;
	char *symlink;                  /* HPC_LINK_SYMLINK: the link's target */
};

/* One package to link, planned. */
struct hpc_link_pkg {
	struct hpc_record rec;
	char *dir;                      /* the extracted package */
	char *requested_spec;
	struct hpc_pkginfo info;
	struct hpc_link_target *targets;
	size_t ntargets;
	struct hpc_strv entry_points;   /* specs "name = module:func" */
	struct hpc_strv ep_paths;       /* bin/<name>, same order */
	struct hpc_strv py_files;       /* .py files to compile (noarch: python) */
	struct hpc_strv warnings;       /* for the caller to report */
	struct hpc_prefix_record result; /* conda-meta record, filled while linking */
	bool noarch_python;
};

/* Read the extracted package at dir and plan where everything goes. python is the
 * environment's python (needed by noarch: python packages, else may be NULL).
 * HPC_E_UNSAFE for a path or symlink that would leave the prefix. */
int hpc_link_pkg_plan(struct hpc_link_pkg *lp, const struct hpc_record *rec, const char *dir,
		      const char *requested_spec, const struct hpc_python *python,
		      struct hpc_error **err);
void hpc_link_pkg_fini(struct hpc_link_pkg *lp);
/* Before anything is written: every binary placeholder must hold the prefix. */
int hpc_link_pkg_check(const struct hpc_link_pkg *lp, const char *prefix,
		       struct hpc_error **err);

/* The prefix being linked into (opened once; shared by worker threads). */
int hpc_linker_new(const char *prefix, struct hpc_journal *journal, bool always_copy,
		   struct hpc_linker **out, struct hpc_error **err);
/* The prefix directory was made by this transaction, so nothing in it predates it: the
 * files of a package are journaled in one write instead of one each, and nothing is looked
 * for before a file is created. */
void hpc_linker_set_fresh(struct hpc_linker *l, bool fresh);
void hpc_linker_free(struct hpc_linker *l);
/* Create the package's files (parent directories must exist). Thread-safe for distinct
 * packages; emits no events; stops early when w is cancelling. Fills lp->result. */
int hpc_linker_link(struct hpc_linker *l, struct hpc_link_pkg *lp, struct hpc_workers *w,
		    struct hpc_error **err);
/* Write the package's entry-point launchers (after hpc_linker_link). */
int hpc_linker_entry_points(struct hpc_linker *l, struct hpc_link_pkg *lp,
			    const struct hpc_python *python, struct hpc_error **err);
/* How files were linked so far: reflinks, hardlinks, copies (for reports and tests). */
void hpc_linker_counts(const struct hpc_linker *l, unsigned long *reflinks,
		       unsigned long *hardlinks, unsigned long *copies);

#endif
