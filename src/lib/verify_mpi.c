/* SPDX-License-Identifier: MIT */
/* verify_mpi.c - is mpi4py wired to the MPI it was built for: extension, libmpi, ld.so
 *
 * mpi4py's MPI extension names the libmpi soname it was linked against (DT_NEEDED) and, for
 * Open MPI, needs its ompi_mpi_* symbols. Which file the loader then maps depends on RPATH,
 * LD_LIBRARY_PATH (a `module load` of another MPI), RUNPATH, ld.so.cache and the defaults.
 * This file reads all of it with libelf, predicts the file ld.so maps and says why, tells
 * the MPI families apart (libmpi.so.12 = MPICH ABI: MPICH, Intel MPI, Cray MPICH,
 * MVAPICH; libmpi.so.40 = Open MPI), and asks the library MPI_Get_library_version() in a
 * forked child. The launcher and the actual runs are verify_launch.c.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hpcenv/util.h"
#include "verify_int.h"

static const char probe_script[] =
	"import sys, os, json, glob, importlib.util, importlib.machinery\n"
	"out = {}\n"
	"spec = importlib.util.find_spec('mpi4py')\n"
	"if spec is None or not spec.submodule_search_locations:\n"
	"    print(json.dumps({'missing': True})); sys.exit(0)\n"
	"out['dir'] = list(spec.submodule_search_locations)[0]\n"
	"exts = []\n"
	"for suf in importlib.machinery.EXTENSION_SUFFIXES:\n"
	"    exts += glob.glob(os.path.join(out['dir'], 'MPI' + suf))\n"
	"if exts:\n"
	"    out['ext'] = exts[0]\n"
	"try:\n"
	"    import mpi4py\n"
	"    out['version'] = mpi4py.__version__\n"
	"    mpi4py.rc.initialize = False\n"
	"    mpi4py.rc.finalize = False\n"
	"    from mpi4py import MPI\n"
	"    out['ext'] = MPI.__file__\n"
	"    out['library_version'] = MPI.Get_library_version().replace('\\x00', '')\n"
	"except Exception as e:\n"
	"    out['import_error'] = '%s: %s' % (type(e).__name__, e)\n"
	"loaded = []\n"
	"for line in open('/proc/self/maps'):\n"
	"    f = line.split(None, 5)\n"
	"    if len(f) == 6 and os.path.basename(f[5].strip()).startswith('libmpi'):\n"
	"        p = os.path.realpath(f[5].strip())\n"
	"        if p not in loaded:\n"
	"            loaded.append(p)\n"
	"out['loaded'] = loaded\n"
	"print(json.dumps(out))\n";

/* ---- families ---- */

const char *hpc_verify_mpi_family(const struct hpc_verify_elf *lib)
{
	const char *so = lib->soname ? lib->soname : "";

	if (hpc_verify_elf_defines(lib, "ompi_mpi_comm_world"))
		return "openmpi";
	if (hpc_verify_strv_has_prefix(&lib->defined, "MPIR_") ||
	    hpc_verify_strv_has_prefix(&lib->defined, "MPICH_") ||
	    hpc_verify_strv_has_prefix(&lib->defined, "I_MPI_"))
		return "mpich";
	if (hpc_str_startswith(so, "libmpi.so.40"))
		return "openmpi";
	if (hpc_str_startswith(so, "libmpi.so.12") || hpc_str_startswith(so, "libmpich"))
		return "mpich";
	return NULL;
}

static const char *needed_libmpi(const struct hpc_verify_elf *ext)
{
	for (size_t i = 0; i < ext->needed.n; i++)
		if (hpc_str_startswith(ext->needed.v[i], "libmpi"))
			return ext->needed.v[i];
	return NULL;
}

const char *hpc_verify_mpi_built_family(const struct hpc_verify_elf *ext)
{
	const char *so = needed_libmpi(ext);

	if (hpc_verify_strv_has_prefix(&ext->undefined, "ompi_"))
		return "openmpi";
	if (so && hpc_str_startswith(so, "libmpi.so.40"))
		return "openmpi";
	if (so && (hpc_str_startswith(so, "libmpi.so.12") || hpc_str_startswith(so, "libmpich")))
		return "mpich";
	return NULL;
}

static const char *family_name(const char *family)
{
	if (!family)
		return "an unknown MPI";
	if (!strcmp(family, "openmpi"))
		return "Open MPI";
	if (!strcmp(family, "mpich"))
		return "the MPICH family";
	return family;
}

static const char *family_package(const struct hpc_verify *v, const char *family)
{
	bool ompi = family && !strcmp(family, "openmpi");

	if (v->prefix)
		return ompi ? "conda install openmpi" : "conda install mpich";
	return ompi ? "apt-get install libopenmpi3 openmpi-bin"
		    : "apt-get install libmpich12 mpich";
}

/* ---- MPI_Get_library_version through dlopen, in a child ---- */

static int version_child(void *arg, int fd)
{
	int (*fn)(char *, int *);
	void *h = dlopen(arg, RTLD_NOW | RTLD_GLOBAL);
	char buf[8192] = "";
	int len = 0;

	if (!h) {
		dprintf(STDERR_FILENO, "%s\n", dlerror());
		return 2;
	}
	fn = (int (*)(char *, int *))dlsym(h, "MPI_Get_library_version");
	if (!fn || fn(buf, &len) != 0)
		return 3;
	buf[len > 0 && len < (int)sizeof(buf) ? len : (int)sizeof(buf) - 1] = '\0';
	return hpc_verify_write_all(fd, buf, strlen(buf)) ? 0 : 1;
}

static char *library_version(const char *path, const struct hpc_events *ev)
{
	struct hpc_verify_proc p = { .timeout = 30, .ev = ev };
	char *out = NULL;

	if (!hpc_verify_proc_fork(&p, version_child, (void *)path, NULL) && p.status == 0 &&
	    p.out && *p.out) {
		size_t n = strcspn(p.out, "\n");

		out = hpc_str_trim(hpc_xstrndup(p.out, n));
	}
	hpc_verify_proc_fini(&p);
	return out;
}

/* `python -m mpi4py --mpi-lib-version` exists from mpi4py 4.0 on. */
static void mpi4py_cli_version(struct hpc_verify *v, const struct hpc_events *ev)
{
	const char *argv[] = { v->python, "-m", "mpi4py", "--mpi-lib-version", NULL };
	struct hpc_verify_proc p = { .argv = argv, .timeout = 30, .ev = ev };

	if (!hpc_verify_proc_run(&p, NULL) && p.status == 0 && p.out && *p.out)
		v->mpi.mpi4py_lib_version = hpc_str_trim(hpc_xstrndup(p.out, strcspn(p.out, "\n")));
	else if (p.err && strstr(p.err, "Unknown option"))
		v->mpi.mpi4py_lib_version = hpc_xasprintf("(not supported by mpi4py %s)",
							  v->mpi.mpi4py_version
								  ? v->mpi.mpi4py_version
								  : "");
	hpc_verify_proc_fini(&p);
}

/* ---- linkage ---- */

static void resolve(struct hpc_verify *v, const struct hpc_verify_elf *ext)
{
	struct hpc_verify_mpi *m = &v->mpi;
	struct hpc_verify_elf exe = { 0 }, lib;
	const char *ld = getenv("LD_LIBRARY_PATH");
	char real[PATH_MAX];
	bool have_exe = realpath(v->python, real) && !hpc_verify_elf_read(real, &exe, NULL);

	hpc_verify_ldso_find(ext, m->lib_soname, ld, have_exe ? &exe : NULL, &m->resolved, NULL);
	if (m->resolved.path && m->resolved.why &&
	    hpc_str_startswith(m->resolved.why, "LD_LIBRARY_PATH")) {
		struct hpc_verify_ldso alt;

		hpc_verify_ldso_find(ext, m->lib_soname, NULL, have_exe ? &exe : NULL, &alt, NULL);
		if (alt.path)
			m->resolved_default = hpc_xasprintf("%s (%s)", alt.path, alt.why);
		hpc_verify_ldso_fini(&alt);
	}
	if (have_exe)
		hpc_verify_elf_fini(&exe);
	if (!m->resolved.path || !realpath(m->resolved.path, real) ||
	    hpc_verify_elf_read(real, &lib, NULL))
		return;
	m->lib_family = hpc_xstrdup(hpc_verify_mpi_family(&lib) ? hpc_verify_mpi_family(&lib)
								: "unknown");
	hpc_verify_elf_fini(&lib);
}

static void fill_from_probe(struct hpc_verify_mpi *m, json_t *o)
{
	json_t *loaded = json_object_get(o, "loaded");
	const char *lv = json_string_value(json_object_get(o, "library_version"));

	m->present = !json_is_true(json_object_get(o, "missing"));
	m->mpi4py_version = hpc_verify_jstr(o, "version");
	m->mpi4py_dir = hpc_verify_jstr(o, "dir");
	m->ext_path = hpc_verify_jstr(o, "ext");
	m->import_error = hpc_verify_jstr(o, "import_error");
	if (lv)
		m->lib_version = hpc_str_trim(hpc_xstrndup(lv, strcspn(lv, "\n")));
	if (json_array_size(loaded))
		m->loaded_path = hpc_xstrdup(json_string_value(json_array_get(loaded, 0)));
}

/* ---- findings ---- */

static void judge_missing_lib(struct hpc_verify *v)
{
	struct hpc_verify_mpi *m = &v->mpi;
	char *tried = hpc_strv_join(&m->resolved.tried, "; ");
	char *remedy = hpc_xasprintf("install the MPI it was built against (%s) or add the "
				     "directory holding %s to LD_LIBRARY_PATH; if the environment "
				     "was moved or copied, reinstall mpi4py",
				     family_package(v, m->built_family), m->lib_soname);

	hpc_verify_find(v, "mpi.linkage", "mpi-lib-missing", HPC_VERIFY_FAIL, false, remedy,
			"%s needs %s, which ld.so cannot find (searched: %s)", m->ext_path,
			m->lib_soname, tried);
	free(remedy);
	free(tried);
}

static void judge_resolution(struct hpc_verify *v)
{
	struct hpc_verify_mpi *m = &v->mpi;
	bool mismatch = m->lib_family && m->built_family && strcmp(m->lib_family, "unknown") &&
			strcmp(m->lib_family, m->built_family);
	bool via_ld = m->resolved.why && hpc_str_startswith(m->resolved.why, "LD_LIBRARY_PATH");
	char *remedy;

	if (via_ld && m->resolved_default) {
		remedy = hpc_xasprintf("remove %s from LD_LIBRARY_PATH (module unload the other "
				       "MPI) so %s resolves to %s, or rebuild mpi4py against it",
				       m->resolved.dir, m->lib_soname, m->resolved_default);
		hpc_verify_find(v, "mpi.linkage", "mpi-ld-library-path",
				mismatch ? HPC_VERIFY_FAIL : HPC_VERIFY_WARN, false, remedy,
				"LD_LIBRARY_PATH puts %s first: %s resolves to %s (%s) instead "
				"of %s%s",
				m->resolved.dir, m->lib_soname, m->resolved.path,
				family_name(m->lib_family), m->resolved_default,
				mismatch ? ", but mpi4py was built against another MPI" : "");
		free(remedy);
	} else if (mismatch) {
		remedy = hpc_xasprintf("make %s resolve to %s's library (%s), or rebuild mpi4py "
				       "against %s", m->lib_soname, family_name(m->built_family),
				       family_package(v, m->built_family), m->resolved.path);
		hpc_verify_find(v, "mpi.linkage", "mpi-abi-mismatch", HPC_VERIFY_FAIL, false,
				remedy, "mpi4py was built against %s but %s resolves to %s (%s, "
				"%s)",
				family_name(m->built_family), m->lib_soname, m->resolved.path,
				family_name(m->lib_family), m->resolved.why);
		free(remedy);
	}
	if (m->import_error && !mismatch)
		hpc_verify_find(v, "mpi.library", "mpi-import-failed", HPC_VERIFY_FAIL, false,
				"run `python -c 'from mpi4py import MPI'` to see the whole error",
				"from mpi4py import MPI fails: %s", m->import_error);
}

static void summarise(struct hpc_verify *v)
{
	struct hpc_verify_mpi *m = &v->mpi;

	hpc_verify_check_set(v, "mpi.mpi4py", "mpi", HPC_VERIFY_PASS, "mpi4py %s in %s",
			     m->mpi4py_version ? m->mpi4py_version : "?", m->mpi4py_dir);
	if (!m->lib_soname)
		return;
	hpc_verify_check_set(v, "mpi.linkage", "mpi", HPC_VERIFY_PASS, "%s -> %s (%s)",
			     m->lib_soname, m->resolved.path ? m->resolved.path : "not found",
			     m->resolved.why ? m->resolved.why : "nowhere");
	if (!m->resolved.path) {
		hpc_verify_check_set(v, "mpi.library", "mpi", HPC_VERIFY_SKIP, "built against %s; "
				     "no library to load", family_name(m->built_family));
		return;
	}
	hpc_verify_check_set(v, "mpi.library", "mpi", HPC_VERIFY_PASS, "%s%s%s",
			     family_name(m->lib_family ? m->lib_family : m->built_family),
			     m->lib_version ? ": " : "", m->lib_version ? m->lib_version : "");
}

/* The variables an MPI reads at start-up (components, transports, process managers): a
 * stale `module load` or a copied job script leaves them behind, and MPI_Init fails. */
static void read_env(struct hpc_verify *v)
{
	static const char *const prefixes[] = { "OMPI_", "PMIX_", "PRTE_", "MPICH_",
						"MPIR_CVAR_", "HYDRA_", "I_MPI_", "FI_", "UCX_",
						"PSM2_", "SLURM_MPI_TYPE=", NULL };
	struct hpc_verify_mpi *m = &v->mpi;
	char *list;

	for (char **e = environ; *e; e++)
		for (const char *const *p = prefixes; *p; p++)
			if (hpc_str_startswith(*e, *p)) {
				hpc_strv_push(&m->env, *e);
				break;
			}
	list = hpc_strv_join(&m->env, " ");
	hpc_verify_check_set(v, "mpi.env", "mpi", HPC_VERIFY_PASS, "%s",
			     m->env.n ? list : "no MPI variables set");
	free(list);
}

static char *dup_or_null(const char *s)
{
	return s ? hpc_xstrdup(s) : NULL;
}

/* mpi4py's extension: what it needs, where it looks, what ld.so would load. */
static void read_extension(struct hpc_verify *v)
{
	struct hpc_verify_mpi *m = &v->mpi;
	struct hpc_verify_elf ext;

	if (!m->ext_path || hpc_verify_elf_read(m->ext_path, &ext, NULL))
		return;
	for (size_t i = 0; i < ext.needed.n; i++)
		hpc_strv_push(&m->needed, ext.needed.v[i]);
	m->rpath = dup_or_null(ext.rpath);
	m->runpath = dup_or_null(ext.runpath);
	m->built_family = dup_or_null(hpc_verify_mpi_built_family(&ext));
	m->lib_soname = dup_or_null(needed_libmpi(&ext));
	if (m->lib_soname)
		resolve(v, &ext);
	hpc_verify_elf_fini(&ext);
}

int hpc_verify_mpi_probe(struct hpc_verify *v, const struct hpc_events *ev,
			 struct hpc_error **err)
{
	struct hpc_verify_mpi *m = &v->mpi;
	json_t *o = NULL;
	int r;

	hpc_verify_step(ev, "verify:mpi", "checking mpi4py and libmpi", false);
	r = hpc_verify_python(v, probe_script, NULL, NULL, NULL, hpc_verify_timeout(v), ev, &o,
			      err);
	if (r)
		return hpc_error_wrap(err, r, "while looking for mpi4py in '%s'", v->python);
	fill_from_probe(m, o);
	json_decref(o);
	if (!m->present) {
		hpc_verify_check_set(v, "mpi.mpi4py", "mpi", v->mpi_asked ? HPC_VERIFY_FAIL
					 : HPC_VERIFY_SKIP, "mpi4py is not installed");
		if (v->mpi_asked)
			hpc_verify_find(v, "mpi.mpi4py", "mpi4py-missing", HPC_VERIFY_FAIL, false,
					v->prefix ? "conda install mpi4py (with the mpi you want)"
						  : "install mpi4py (Debian: python3-mpi4py)",
					"mpi4py cannot be imported by %s", v->python);
		return 0;
	}
	read_extension(v);
	if (m->resolved.path && !m->lib_version)
		m->lib_version = library_version(m->resolved.path, ev);
	mpi4py_cli_version(v, ev);
	summarise(v);
	read_env(v);
	if (m->lib_soname && !m->resolved.path)
		judge_missing_lib(v);
	else
		judge_resolution(v);
	hpc_verify_step(ev, "verify:mpi", "checking mpi4py and libmpi", true);
	return 0;
}

void hpc_verify_mpi_fini(struct hpc_verify_mpi *m)
{
	free(m->mpi4py_version);
	free(m->mpi4py_dir);
	free(m->ext_path);
	hpc_strv_fini(&m->needed);
	free(m->rpath);
	free(m->runpath);
	free(m->built_family);
	free(m->lib_soname);
	hpc_verify_ldso_fini(&m->resolved);
	free(m->resolved_default);
	free(m->lib_family);
	free(m->lib_version);
	free(m->loaded_path);
	free(m->import_error);
	free(m->mpi4py_lib_version);
	hpc_strv_fini(&m->env);
	free(m->launcher);
	free(m->launcher_path);
	free(m->launcher_family);
	free(m->launcher_version);
	free(m->launcher_why);
	free(m->launcher_match);
	free(m->srun_mpi_types);
	free(m->singleton_error);
	free(m->run_command);
	free(m->hung_step);
	free(m->run_error);
	memset(m, 0, sizeof(*m));
}
