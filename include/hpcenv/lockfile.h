/* SPDX-License-Identifier: MIT */
/* lockfile.h - conda-lock and pixi lock files: the exact packages of one environment
 *
 * conda-lock.yml (conda-lock's unified format, `version: 1`): `package:` entries with
 * name, version, manager (conda or pip), platform, category, url, hash {md5, sha256} and
 * dependencies {name: spec}. One platform and one category (main) are picked.
 *
 * pixi.lock (rattler-lock `version: 6` and `7`): `environments:` name the packages of each
 * environment per platform (`- conda: URL`, `- pypi: URL`); the `packages:` list carries
 * each package once, keyed by that URL, with sha256, md5, depends, constrains, size... (name,
 * version, build and subdir are left out when the file name says them). One environment
 * (default "default") and one platform are picked.
 *
 * What is picked becomes the same entries an @EXPLICIT list gives (explicit.h): complete
 * records with URL and checksums, installed exactly as locked, no solving. PyPI packages
 * are kept apart (hpcenv installs conda packages only): the caller decides what to do with
 * them. Source packages (pixi `conda_source`, a `conda:` location that is no archive) need
 * building and fail. Errors name the file and line.
 */
#ifndef HPCENV_LOCKFILE_H
#define HPCENV_LOCKFILE_H

#include <stddef.h>

#include "explicit.h"
#include "util.h"

struct hpc_error;

enum hpc_lockfile_kind {
	HPC_LOCKFILE_NONE,      /* neither (an @EXPLICIT list, environment.yml, specs...) */
	HPC_LOCKFILE_CONDA_LOCK,
	HPC_LOCKFILE_PIXI,
};

struct hpc_lockfile_select {
	const char *platform;   /* subdir, e.g. linux-64 (required) */
	const char *env;        /* pixi environment; NULL: "default" */
	const char *category;   /* conda-lock category; NULL: "main" */
};

struct hpc_lockfile {
	enum hpc_lockfile_kind kind;
	int version;                  /* the file's format version */
	const char *env;              /* the environment picked (pixi; else NULL), borrowed */
	struct hpc_explicit pkgs;     /* its conda packages on the platform (entries' line: where
				       * the file names them); pkgs.platform is the platform */
	struct hpc_strv pypi;         /* its PyPI packages: "name==version" or "name (URL)" */
	struct hpc_strv channels;     /* the channels the file lists, in order */
	/* what the whole file holds (messages, tests) */
	struct hpc_strv environments; /* pixi: every environment's name */
	struct hpc_strv platforms;    /* the platforms locked (for the picked environment) */
	size_t nconda_total;          /* conda package entries in the file */
	size_t npypi_total;           /* PyPI package entries in the file */
};

/* What the text is, from its top-level keys alone (cheap: nothing is parsed). */
enum hpc_lockfile_kind hpc_lockfile_detect(const char *text);

/* Parse and pick (sel). where names the file in errors, and relative package paths are
 * taken from its directory. Errors: HPC_E_PARSE (YAML, structure, a package URL: "FILE:LINE:
 * ..."), HPC_E_NOTFOUND (no such environment or platform: the message lists those there
 * are), HPC_E_UNSUPPORTED (another format version, a source package). *lf is zeroed
 * first and left empty on error. */
int hpc_lockfile_parse(struct hpc_lockfile *lf, const char *text, size_t len, const char *where,
		       const struct hpc_lockfile_select *sel, struct hpc_error **err);
int hpc_lockfile_load(struct hpc_lockfile *lf, const char *path,
		      const struct hpc_lockfile_select *sel, struct hpc_error **err);
void hpc_lockfile_fini(struct hpc_lockfile *lf);

#endif
