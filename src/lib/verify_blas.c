/* SPDX-License-Identifier: MIT */
/* verify_blas.c - which BLAS numpy really loads (threadpoolctl's model, done in C)
 *
 * numpy.show_config() tells what numpy was built against; what runs is decided at load time
 * by alternatives, LD_LIBRARY_PATH and conda's libblas builds. So the target python imports
 * numpy and reports the shared objects it mapped, and the file its matmul's cblas_dgemm binds
 * to (dladdr). Each mapped object is then classified from its ELF symbols (libelf: does it
 * define dgemm_, openblas_get_config, MKL_Get_Max_Threads...), and the vendor libraries are
 * asked about themselves (version, threads, OpenBLAS core type) in a forked child that
 * dlopens them, so their constructors and thread pools never run in our process.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hpcenv/util.h"
#include "verify_int.h"

/* Variables that change which BLAS runs or how. */
static const char *const blas_env[] = {
	"OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_VERBOSE",
	"OPENBLAS_MAIN_FREE", "GOTO_NUM_THREADS", "OMP_NUM_THREADS", "OMP_PROC_BIND",
	"OMP_PLACES", "MKL_NUM_THREADS", "MKL_THREADING_LAYER", "MKL_INTERFACE_LAYER",
	"MKL_CBWR", "MKL_ENABLE_INSTRUCTIONS", "MKL_DEBUG_CPU_TYPE", "BLIS_NUM_THREADS",
	"FLEXIBLAS", "FLEXIBLAS_NUM_THREADS", "LD_LIBRARY_PATH", "LD_PRELOAD", NULL,
};

static const char probe_script[] =
	"import sys, os, json, ctypes, io, contextlib, importlib\n"
	"out = {'python': sys.version.split()[0],\n"
	"       'env': {k: os.environ[k] for k in sys.argv[1:] if k in os.environ}}\n"
	"try:\n"
	"    import numpy, numpy.linalg\n"
	"except Exception as e:\n"
	"    out['error'] = '%s: %s' % (type(e).__name__, e)\n"
	"    print(json.dumps(out)); sys.exit(0)\n"
	"out['numpy_version'] = numpy.__version__\n"
	"out['numpy_path'] = os.path.dirname(numpy.__file__)\n"
	"buf = io.StringIO()\n"
	"try:\n"
	"    with contextlib.redirect_stdout(buf):\n"
	"        numpy.show_config()\n"
	"except Exception as e:\n"
	"    buf.write('numpy.show_config() failed: %s\\n' % e)\n"
	"out['show_config'] = buf.getvalue()\n"
	"built = []\n"
	"try:\n"
	"    deps = numpy.show_config(mode='dicts').get('Build Dependencies', {})\n"
	"    for k in ('blas', 'lapack'):\n"
	"        if k in deps:\n"
	"            built.append('%s: %s %s' % (k, deps[k].get('name', '?'),\n"
	"                                        deps[k].get('version', '')))\n"
	"except Exception:\n"
	"    for k in ('blas_opt_info', 'lapack_opt_info'):\n"
	"        info = getattr(numpy.__config__, k, None)\n"
	"        if info:\n"
	"            built.append('%s: -l%s' % (k[:-9], ' -l'.join(dict.fromkeys(\n"
	"                info.get('libraries', [])))))\n"
	"out['built'] = '; '.join(built)\n"
	"core = None\n"
	"for name in ('numpy._core._multiarray_umath', 'numpy.core._multiarray_umath'):\n"
	"    try:\n"
	"        core = importlib.import_module(name); break\n"
	"    except ImportError:\n"
	"        pass\n"
	"if core is not None:\n"
	"    out['simd_baseline'] = list(getattr(core, '__cpu_baseline__', []))\n"
	"    out['simd_dispatch'] = list(getattr(core, '__cpu_dispatch__', []))\n"
	"    feats = getattr(core, '__cpu_features__', {})\n"
	"    out['simd_found'] = [k for k in out['simd_dispatch'] if feats.get(k)]\n"
	"maps = []\n"
	"for line in open('/proc/self/maps'):\n"
	"    f = line.split(None, 5)\n"
	"    if len(f) == 6:\n"
	"        p = f[5].strip()\n"
	"        if p.startswith('/') and '.so' in p and p not in maps:\n"
	"            maps.append(p)\n"
	"out['maps'] = maps\n"
	"class Info(ctypes.Structure):\n"
	"    _fields_ = [('fname', ctypes.c_char_p), ('fbase', ctypes.c_void_p),\n"
	"                ('sname', ctypes.c_char_p), ('saddr', ctypes.c_void_p)]\n"
	"try:\n"
	"    dladdr = ctypes.CDLL(None).dladdr\n"
	"except AttributeError:\n"
	"    dladdr = ctypes.CDLL('libdl.so.2').dladdr\n"
	"dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(Info)]\n"
	"if core is not None:\n"
	"    h = ctypes.CDLL(core.__file__)\n"
	"    for sym in ('cblas_dgemm', 'cblas_dgemm64_', 'scipy_cblas_dgemm64_',\n"
	"                'scipy_cblas_dgemm', 'dgemm_', 'dgemm_64_', 'scipy_dgemm_64_'):\n"
	"        try:\n"
	"            fn = getattr(h, sym)\n"
	"        except AttributeError:\n"
	"            continue\n"
	"        info = Info()\n"
	"        if dladdr(ctypes.cast(fn, ctypes.c_void_p), ctypes.byref(info)) and info.fname:\n"
	"            out['gemm_symbol'] = sym\n"
	"            out['gemm_path'] = os.path.realpath(info.fname.decode())\n"
	"            break\n"
	"print(json.dumps(out))\n";

/* ---- OpenBLAS core types ---- */

static const struct {
	const char *name;
	int rank;
} core_ranks[] = {
	{ "Prescott", 1 },   { "Core2", 2 },      { "Penryn", 2 },     { "Dunnington", 2 },
	{ "Nehalem", 3 },    { "Atom", 3 },       { "Barcelona", 3 },  { "Bobcat", 3 },
	{ "Sandybridge", 4 }, { "Bulldozer", 4 }, { "Piledriver", 4 }, { "Steamroller", 4 },
	{ "Excavator", 4 },  { "Haswell", 5 },    { "Zen", 5 },        { "SkylakeX", 6 },
	{ "Cooperlake", 7 }, { "SapphireRapids", 8 },
};

int hpc_verify_openblas_core_rank(const char *core)
{
	for (size_t i = 0; core && i < sizeof(core_ranks) / sizeof(core_ranks[0]); i++)
		if (!strcasecmp(core, core_ranks[i].name))
			return core_ranks[i].rank;
	return 0;
}

/* AVX-512 (x86-64-v4) kernels, by the extensions on top. */
static const char *core_avx512(const struct hpc_cpu *c)
{
	if (hpc_cpu_has(c, HPC_CPU_AMX_TILE) && hpc_cpu_has(c, HPC_CPU_AVX512FP16) &&
	    hpc_cpu_has(c, HPC_CPU_AVX512BF16))
		return "SapphireRapids";
	if (hpc_cpu_has(c, HPC_CPU_AVX512BF16))
		return "Cooperlake";
	return "SkylakeX";
}

const char *hpc_verify_openblas_core_for(const struct hpc_cpu *c)
{
	bool amd = !strcmp(c->vendor, "AuthenticAMD") || !strcmp(c->vendor, "HygonGenuine");

	if (!c->vendor[0])
		return NULL;
	if (c->x86_level >= 4)
		return core_avx512(c);
	if (hpc_cpu_has(c, HPC_CPU_AVX2) && hpc_cpu_has(c, HPC_CPU_FMA))
		return amd ? "Zen" : "Haswell";
	if (hpc_cpu_has(c, HPC_CPU_AVX))
		return amd ? "Bulldozer" : "Sandybridge";
	if (hpc_cpu_has(c, HPC_CPU_SSE42))
		return amd ? "Barcelona" : "Nehalem";
	if (hpc_cpu_has(c, HPC_CPU_SSSE3))
		return "Core2";
	return "Prescott";
}

/* The chain of fallbacks below a core type, best first. */
static const char *const *core_chain(const char *best)
{
	static const char *const intel[] = { "SapphireRapids", "Cooperlake", "SkylakeX", "Haswell",
					     "Sandybridge", "Nehalem", "Core2", "Prescott", NULL };
	static const char *const amd[] = { "Zen", "Bulldozer", "Barcelona", "Core2", "Prescott",
					   NULL };

	for (const char *const *c = intel; *c; c++)
		if (!strcmp(*c, best))
			return c;
	for (const char *const *c = amd; *c; c++)
		if (!strcmp(*c, best))
			return c;
	return NULL;
}

/* Look up an OpenBLAS function under its plain, ILP64 and scipy-openblas names. */
static void *openblas_sym(void *h, const char *base)
{
	static const char *const pre[] = { "", "scipy_" }, *const suf[] = { "", "64_" };
	char name[96];

	for (int i = 0; i < 2; i++)
		for (int k = 0; k < 2; k++) {
			void *f;

			snprintf(name, sizeof(name), "%s%s%s", pre[i], base, suf[k]);
			f = dlsym(h, name);
			if (f)
				return f;
		}
	return NULL;
}

static int corename_child(void *arg, int fd)
{
	void *h = dlopen(arg, RTLD_NOW | RTLD_LOCAL);
	void *sym = h ? openblas_sym(h, "openblas_get_corename") : NULL;
	const char *name = sym ? ((const char *(*)(void))sym)() : NULL;

	if (!name)
		return 1;
	return hpc_verify_write_all(fd, name, strlen(name)) ? 0 : 1;
}

char *hpc_verify_openblas_core_with(const char *path, const char *core,
				    const struct hpc_events *ev)
{
	char *set = core ? hpc_xasprintf("OPENBLAS_CORETYPE=%s", core) : NULL;
	const char *env_set[] = { set, NULL }, *env_unset[] = { "OPENBLAS_CORETYPE", NULL };
	struct hpc_verify_proc p = { .env_set = env_set, .env_unset = core ? NULL : env_unset,
				     .timeout = 60, .ev = ev };
	char *out = NULL;

	if (!hpc_verify_proc_fork(&p, corename_child, (void *)path, NULL) && p.status == 0 &&
	    p.out && *p.out)
		out = hpc_str_trim(hpc_xstrdup(p.out));
	hpc_verify_proc_fini(&p);
	free(set);
	return out;
}

/* ---- classifying mapped objects ---- */

static bool defines_any(const struct hpc_verify_elf *e, const char *const *syms)
{
	for (; *syms; syms++)
		if (hpc_verify_elf_defines(e, *syms))
			return true;
	return false;
}

static const char *vendor_of(const struct hpc_verify_elf *e)
{
	static const char *const openblas[] = { "openblas_get_config", "openblas_get_config64_",
						"scipy_openblas_get_config64_",
						"scipy_openblas_get_config", NULL };
	static const char *const mkl[] = { "MKL_Get_Max_Threads", "mkl_get_max_threads",
					   "MKL_Get_Version_String", NULL };
	static const char *const blis[] = { "bli_info_get_version_str", NULL };
	static const char *const flexi[] = { "flexiblas_current_backend", NULL };

	if (defines_any(e, openblas))
		return "OpenBLAS";
	if (defines_any(e, mkl))
		return "MKL";
	if (defines_any(e, blis))
		return "BLIS";
	if (defines_any(e, flexi))
		return "FlexiBLAS";
	return NULL;
}

static const char *role_of(const struct hpc_verify_elf *e)
{
	static const char *const blas[] = { "dgemm_", "cblas_dgemm", "dgemm_64_", "cblas_dgemm64_",
					    "scipy_dgemm_64_", "scipy_cblas_dgemm64_", NULL };
	static const char *const lapack[] = { "dgetrf_", "dpotrf_", "dgesdd_", "dgetrf_64_",
					      "scipy_dgetrf_64_", NULL };
	bool b = defines_any(e, blas), l = defines_any(e, lapack);

	if (b && l)
		return "blas+lapack";
	if (b)
		return "blas";
	if (l)
		return "lapack";
	if (hpc_verify_elf_defines(e, "omp_get_max_threads"))
		return "openmp";
	return NULL;
}

struct mapped {
	struct hpc_verify_elf elf;
	char *real;
	const char *vendor, *role;
};

static void add_lib(struct hpc_verify_blas *b, const struct mapped *m)
{
	struct hpc_verify_lib *l;

	b->libs = hpc_xrealloc(b->libs, (b->nlibs + 1) * sizeof(*b->libs));
	l = &b->libs[b->nlibs++];
	memset(l, 0, sizeof(*l));
	l->path = hpc_xstrdup(m->real);
	l->soname = hpc_xstrdup(m->elf.soname ? m->elf.soname : "");
	l->vendor = hpc_xstrdup(m->vendor ? m->vendor : "");
	l->role = hpc_xstrdup(m->role);
	l->threads = -1;
}

/* Index of the mapped object a DT_NEEDED name refers to (by soname or file name). */
static int mapped_by_name(const struct mapped *m, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(m[i].elf.path, '/');

		if ((m[i].elf.soname && !strcmp(m[i].elf.soname, name)) ||
		    (base && !strcmp(base + 1, name)))
			return (int)i;
	}
	return -1;
}

/* The vendor library behind a frontend: follow DT_NEEDED among what is mapped. */
static int vendor_behind(const struct mapped *m, size_t n, size_t i, int depth)
{
	if (depth > 4)
		return -1;
	for (size_t k = 0; k < m[i].elf.needed.n; k++) {
		int j = mapped_by_name(m, n, m[i].elf.needed.v[k]);

		if (j < 0 || (size_t)j == i)
			continue;
		if (m[j].vendor)
			return j;
		j = vendor_behind(m, n, (size_t)j, depth + 1);
		if (j >= 0)
			return j;
	}
	return -1;
}

static void classify(struct hpc_verify_blas *b, struct mapped *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int j;

		if (!m[i].role && !m[i].vendor)
			continue;
		if (!m[i].role)
			m[i].role = "blas";
		if (!m[i].vendor && strcmp(m[i].role, "openmp")) {
			j = vendor_behind(m, n, i, 0);
			if (j >= 0) {
				add_lib(b, &m[i]);
				free(b->libs[b->nlibs - 1].vendor);
				b->libs[b->nlibs - 1].vendor = hpc_xstrdup(m[j].vendor);
				b->libs[b->nlibs - 1].provider = hpc_xstrdup(m[j].real);
				continue;
			}
			m[i].vendor = "netlib"; /* BLAS symbols, no vendor anywhere behind it */
		}
		add_lib(b, &m[i]);
	}
}

static void read_mapped(struct hpc_verify_blas *b, json_t *maps)
{
	size_t n = json_array_size(maps), k = 0, i;
	struct mapped *m = hpc_xcalloc(n ? n : 1, sizeof(*m));
	json_t *item;

	json_array_foreach(maps, i, item) {
		const char *path = json_string_value(item);
		char real[PATH_MAX];

		if (!path || hpc_verify_elf_read(path, &m[k].elf, NULL))
			continue;
		m[k].real = hpc_xstrdup(realpath(path, real) ? real : path);
		m[k].vendor = vendor_of(&m[k].elf);
		m[k].role = role_of(&m[k].elf);
		k++;
	}
	classify(b, m, k);
	for (i = 0; i < k; i++) {
		hpc_verify_elf_fini(&m[i].elf);
		free(m[i].real);
	}
	free(m);
}

/* ---- asking the vendor libraries about themselves (in a child) ---- */

static json_t *ask_openblas(void *h)
{
	const char *(*config)(void) = (const char *(*)(void))openblas_sym(h, "openblas_get_config");
	const char *(*core)(void) = (const char *(*)(void))openblas_sym(h, "openblas_get_corename");
	int (*threads)(void) = (int (*)(void))openblas_sym(h, "openblas_get_num_threads");
	int (*parallel)(void) = (int (*)(void))openblas_sym(h, "openblas_get_parallel");
	static const char *const modes[] = { "sequential", "pthreads", "openmp" };
	json_t *o = json_object();
	int par = parallel ? parallel() : -1;

	if (config)
		json_object_set_new(o, "config", json_string(config()));
	if (core)
		json_object_set_new(o, "corename", json_string(core()));
	if (threads)
		json_object_set_new(o, "threads", json_integer(threads()));
	if (par >= 0 && par <= 2)
		json_object_set_new(o, "threading", json_string(modes[par]));
	return o;
}

static json_t *ask_mkl(void *h)
{
	int (*threads)(void) = (int (*)(void))dlsym(h, "MKL_Get_Max_Threads");
	void (*version)(char *, int) = (void (*)(char *, int))dlsym(h, "MKL_Get_Version_String");
	json_t *o = json_object();
	char buf[256] = "";

	if (threads)
		json_object_set_new(o, "threads", json_integer(threads()));
	if (version) {
		version(buf, sizeof(buf));
		json_object_set_new(o, "version", json_string(hpc_str_trim(buf)));
	}
	return o;
}

static json_t *ask_blis(void *h)
{
	const char *(*version)(void) = (const char *(*)(void))dlsym(h, "bli_info_get_version_str");
	int (*threads)(void) = (int (*)(void))dlsym(h, "bli_thread_get_num_threads");
	int (*omp)(void) = (int (*)(void))dlsym(h, "bli_info_get_enable_openmp");
	int (*pth)(void) = (int (*)(void))dlsym(h, "bli_info_get_enable_pthreads");
	json_t *o = json_object();

	if (version)
		json_object_set_new(o, "version", json_string(version()));
	if (threads)
		json_object_set_new(o, "threads", json_integer(threads()));
	if (omp && omp())
		json_object_set_new(o, "threading", json_string("openmp"));
	else if (pth && pth())
		json_object_set_new(o, "threading", json_string("pthreads"));
	return o;
}

static json_t *ask_flexiblas(void *h)
{
	void *sym = dlsym(h, "flexiblas_current_backend");
	int (*backend)(char *, size_t) = (int (*)(char *, size_t))sym;
	int (*threads)(void) = (int (*)(void))dlsym(h, "flexiblas_get_num_threads");
	void (*version)(int *, int *, int *) =
		(void (*)(int *, int *, int *))dlsym(h, "flexiblas_get_version");
	json_t *o = json_object();
	char buf[256] = "";
	int major = 0, minor = 0, patch = 0;

	if (backend && backend(buf, sizeof(buf)) >= 0)
		json_object_set_new(o, "config", json_string(buf));
	if (version) {
		version(&major, &minor, &patch);
		json_object_set_new(o, "version", json_sprintf("%d.%d.%d", major, minor, patch));
	}
	if (threads)
		json_object_set_new(o, "threads", json_integer(threads()));
	return o;
}

static int ask_child(void *arg, int fd)
{
	struct hpc_verify_blas *b = arg;

	for (size_t i = 0; i < b->nlibs; i++) {
		const char *vendor = b->libs[i].vendor;
		void *h;
		json_t *o = NULL;

		if (b->libs[i].provider || !strcmp(vendor, "netlib") || !*vendor)
			continue;
		h = dlopen(b->libs[i].path, RTLD_NOW | RTLD_LOCAL);
		if (!h)
			continue;
		if (!strcmp(vendor, "OpenBLAS"))
			o = ask_openblas(h);
		else if (!strcmp(vendor, "MKL"))
			o = ask_mkl(h);
		else if (!strcmp(vendor, "BLIS"))
			o = ask_blis(h);
		else if (!strcmp(vendor, "FlexiBLAS"))
			o = ask_flexiblas(h);
		if (o) {
			json_object_set_new(o, "i", json_integer((json_int_t)i));
			hpc_verify_write_json(fd, o);
			json_decref(o);
		}
	}
	return 0;
}

/* "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ..." -> "0.3.21" */
static char *openblas_version(const char *config)
{
	const char *p = config ? strstr(config, "OpenBLAS ") : NULL;
	size_t n;

	if (!p)
		return NULL;
	p += strlen("OpenBLAS ");
	n = strcspn(p, " ");
	return n ? hpc_xstrndup(p, n) : NULL;
}

static void apply_answer(struct hpc_verify_lib *l, json_t *o)
{
	json_t *t = json_object_get(o, "threads");

	l->config = hpc_verify_jstr(o, "config");
	l->corename = hpc_verify_jstr(o, "corename");
	l->threading = hpc_verify_jstr(o, "threading");
	l->version = hpc_verify_jstr(o, "version");
	if (!l->version && !strcmp(l->vendor, "OpenBLAS"))
		l->version = openblas_version(l->config);
	if (json_is_integer(t))
		l->threads = (int)json_integer_value(t);
}

/* MKL names its threading layer in the file name of the library it loaded. */
static void mkl_threading(struct hpc_verify_blas *b, struct hpc_verify_lib *mkl,
			  json_t *maps)
{
	size_t i;
	json_t *item;

	(void)b;
	json_array_foreach(maps, i, item) {
		const char *p = json_string_value(item);

		if (!p || mkl->threading)
			continue;
		if (strstr(p, "libmkl_sequential"))
			mkl->threading = hpc_xstrdup("sequential");
		else if (strstr(p, "libmkl_tbb_thread"))
			mkl->threading = hpc_xstrdup("tbb");
		else if (strstr(p, "libmkl_gnu_thread") || strstr(p, "libmkl_intel_thread"))
			mkl->threading = hpc_xstrdup("openmp");
	}
}

static int ask_vendors(struct hpc_verify_blas *b, json_t *maps, const struct hpc_events *ev,
		       struct hpc_error **err)
{
	struct hpc_verify_proc p = { .timeout = 60, .ev = ev };
	char *line, *save = NULL;
	int r = hpc_verify_proc_fork(&p, ask_child, b, err);

	if (r)
		return r;
	for (line = strtok_r(p.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *o = json_loads(line, 0, NULL);
		json_int_t i = json_integer_value(json_object_get(o, "i"));

		if (o && i >= 0 && (size_t)i < b->nlibs)
			apply_answer(&b->libs[i], o);
		json_decref(o);
	}
	for (size_t i = 0; i < b->nlibs; i++)
		if (!strcmp(b->libs[i].vendor, "MKL"))
			mkl_threading(b, &b->libs[i], maps);
	hpc_verify_proc_fini(&p);
	return 0;
}

/* ---- the probe ---- */

static void strv_from_json(struct hpc_strv *sv, json_t *a)
{
	size_t i;
	json_t *item;

	json_array_foreach(a, i, item)
		if (json_is_string(item))
			hpc_strv_push(sv, json_string_value(item));
}

static void pick_primary(struct hpc_verify_blas *b)
{
	struct hpc_strv vendors = HPC_STRV_INIT;

	b->primary = -1;
	for (size_t i = 0; i < b->nlibs; i++) {
		const struct hpc_verify_lib *l = &b->libs[i];

		if (strstr(l->role, "blas"))
			hpc_strv_push_unique(&vendors, l->vendor);
		if (b->gemm_path && !strcmp(l->path, b->gemm_path))
			b->primary = (int)i;
	}
	b->nproviders = (int)vendors.n;
	hpc_strv_fini(&vendors);
	/* a frontend hands the work to its provider */
	if (b->primary >= 0 && b->libs[b->primary].provider)
		for (size_t i = 0; i < b->nlibs; i++)
			if (!strcmp(b->libs[i].path, b->libs[b->primary].provider)) {
				b->primary = (int)i;
				break;
			}
}

const struct hpc_verify_lib *hpc_verify_blas_primary(const struct hpc_verify_blas *b)
{
	return b->primary >= 0 && (size_t)b->primary < b->nlibs ? &b->libs[b->primary] : NULL;
}

/* Which kernels OpenBLAS picks by itself, and the best it has for this CPU. */
static void openblas_cores(struct hpc_verify *v, const struct hpc_events *ev)
{
	struct hpc_verify_blas *b = &v->blas;
	const struct hpc_verify_lib *l = hpc_verify_blas_primary(b);
	const char *best = hpc_verify_openblas_core_for(&v->peak.cpu), *const *chain;

	if (!l || strcmp(l->vendor, "OpenBLAS") || !l->corename)
		return;
	b->core_in_use = hpc_xstrdup(l->corename);
	b->dynamic_arch = l->config && strstr(l->config, "DYNAMIC_ARCH");
	if (!b->dynamic_arch)
		return;
	b->core_autodetect = getenv("OPENBLAS_CORETYPE")
				     ? hpc_verify_openblas_core_with(l->path, NULL, ev)
				     : hpc_xstrdup(l->corename);
	chain = best ? core_chain(best) : NULL;
	for (; chain && *chain && !b->core_best; chain++) {
		char *got = hpc_verify_openblas_core_with(l->path, *chain, ev);

		if (got && !strcasecmp(got, *chain))
			b->core_best = hpc_xstrdup(*chain);
		free(got);
	}
}

static void fill_from_probe(struct hpc_verify_blas *b, json_t *o)
{
	json_t *env = json_object_get(o, "env");
	const char *k;
	json_t *val;

	b->python_version = hpc_verify_jstr(o, "python");
	b->error = hpc_verify_jstr(o, "error");
	b->numpy_version = hpc_verify_jstr(o, "numpy_version");
	b->numpy_path = hpc_verify_jstr(o, "numpy_path");
	b->numpy_config = hpc_verify_jstr(o, "show_config");
	b->numpy_built = hpc_verify_jstr(o, "built");
	b->gemm_symbol = hpc_verify_jstr(o, "gemm_symbol");
	b->gemm_path = hpc_verify_jstr(o, "gemm_path");
	strv_from_json(&b->simd_baseline, json_object_get(o, "simd_baseline"));
	strv_from_json(&b->simd_dispatch, json_object_get(o, "simd_dispatch"));
	strv_from_json(&b->simd_found, json_object_get(o, "simd_found"));
	for (const char *const *e = blas_env; *e; e++)
		json_object_foreach(env, k, val)
			if (!strcmp(k, *e))
				hpc_strv_pushf(&b->env, "%s=%s", k, json_string_value(val));
}

int hpc_verify_blas_probe(struct hpc_verify *v, const struct hpc_events *ev,
			  struct hpc_error **err)
{
	struct hpc_verify_blas *b = &v->blas;
	json_t *o = NULL;
	int r;

	hpc_verify_step(ev, "verify:blas", "finding the BLAS numpy loads", false);
	r = hpc_verify_python(v, probe_script, blas_env, NULL, NULL, hpc_verify_timeout(v), ev,
			      &o, err);
	if (r)
		return hpc_error_wrap(err, r, "while importing numpy in '%s'", v->python);
	fill_from_probe(b, o);
	if (!b->error) {
		read_mapped(b, json_object_get(o, "maps"));
		r = ask_vendors(b, json_object_get(o, "maps"), ev, err);
		pick_primary(b);
		if (!r)
			openblas_cores(v, ev);
	}
	json_decref(o);
	hpc_verify_step(ev, "verify:blas", "finding the BLAS numpy loads", true);
	return r;
}

void hpc_verify_blas_fini(struct hpc_verify_blas *b)
{
	for (size_t i = 0; i < b->nlibs; i++) {
		struct hpc_verify_lib *l = &b->libs[i];

		free(l->path);
		free(l->soname);
		free(l->vendor);
		free(l->role);
		free(l->provider);
		free(l->version);
		free(l->config);
		free(l->corename);
		free(l->threading);
	}
	free(b->libs);
	free(b->python_version);
	free(b->numpy_version);
	free(b->numpy_path);
	free(b->numpy_config);
	free(b->numpy_built);
	free(b->gemm_symbol);
	free(b->gemm_path);
	free(b->core_in_use);
	free(b->core_autodetect);
	free(b->core_best);
	free(b->error);
	hpc_strv_fini(&b->simd_baseline);
	hpc_strv_fini(&b->simd_dispatch);
	hpc_strv_fini(&b->simd_found);
	hpc_strv_fini(&b->env);
	memset(b, 0, sizeof(*b));
	b->primary = -1;
}

/* ---- configuration findings ---- */

static const char *env_value(const struct hpc_verify_blas *b, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < b->env.n; i++)
		if (!strncmp(b->env.v[i], name, n) && b->env.v[i][n] == '=')
			return b->env.v[i] + n + 1;
	return NULL;
}

static bool dir_in_ld_path(const struct hpc_verify_blas *b, const char *file)
{
	const char *ld = env_value(b, "LD_LIBRARY_PATH");
	struct hpc_strv dirs = HPC_STRV_INIT;
	char *dir = hpc_xstrdup(file), *slash = strrchr(dir, '/'), real[PATH_MAX];
	bool in = false;

	if (slash)
		*slash = '\0';
	hpc_strv_split(&dirs, ld ? ld : "", ":");
	for (size_t i = 0; i < dirs.n && !in; i++)
		in = realpath(dirs.v[i], real) && !strcmp(real, dir);
	hpc_strv_fini(&dirs);
	free(dir);
	return in;
}

static char *netlib_remedy(const struct hpc_verify *v, const struct hpc_verify_lib *l)
{
	static const char *const alt = "/etc/alternatives/libblas.so.3-x86_64-linux-gnu";
	static const char *const obl = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3";
	char real[PATH_MAX];

	if (dir_in_ld_path(&v->blas, l->path)) {
		char *dir = hpc_xstrndup(l->path, (size_t)(strrchr(l->path, '/') - l->path));
		char *r = hpc_xasprintf("remove %s from LD_LIBRARY_PATH: it puts the reference "
					"BLAS before the optimised one", dir);

		free(dir);
		return r;
	}
	if (v->prefix)
		return hpc_xasprintf("conda install -p %s \"libblas=*=*openblas\" (or *mkl, *blis)",
				     v->prefix);
	if (realpath(alt, real) && !strcmp(real, l->path) && hpc_path_exists(obl))
		return hpc_xasprintf("update-alternatives --set libblas.so.3-x86_64-linux-gnu %s",
				     obl);
	return hpc_xstrdup("install an optimised BLAS (Debian: libopenblas0-pthread) and make "
			   "libblas.so.3 point at it");
}

static void judge_library(struct hpc_verify *v)
{
	const struct hpc_verify_blas *b = &v->blas;
	const struct hpc_verify_lib *l = hpc_verify_blas_primary(b);
	char *remedy, *names;
	struct hpc_strv vendors = HPC_STRV_INIT;

	if (!l) {
		hpc_verify_check_set(v, "blas.library", "blas", HPC_VERIFY_WARN, "no BLAS found");
		hpc_verify_find(v, "blas.library", "blas-none", HPC_VERIFY_WARN, false,
				"install numpy built against an optimised BLAS (OpenBLAS, MKL, "
				"BLIS)", "numpy's matmul is not backed by a BLAS library (no "
				"cblas_dgemm bound in its process)");
		return;
	}
	if (b->gemm_path && strcmp(b->gemm_path, l->path))
		hpc_verify_check_set(v, "blas.library", "blas", HPC_VERIFY_PASS, "%s%s%s via %s",
				     l->vendor, l->version ? " " : "", l->version ? l->version : "",
				     b->gemm_path);
	else
		hpc_verify_check_set(v, "blas.library", "blas", HPC_VERIFY_PASS, "%s%s%s %s",
				     l->vendor, l->version ? " " : "", l->version ? l->version : "",
				     l->path);
	if (!strcmp(l->vendor, "netlib")) {
		remedy = netlib_remedy(v, l);
		hpc_verify_find(v, "blas.library", "blas-netlib", HPC_VERIFY_WARN, false, remedy,
				"numpy's matmul runs the netlib reference BLAS %s (no vendor "
				"symbols: typically 10-50x slower on GEMM)", l->path);
		free(remedy);
	}
	if (b->nproviders < 2)
		return;
	for (size_t i = 0; i < b->nlibs; i++)
		if (strstr(b->libs[i].role, "blas"))
			hpc_strv_pushf(&vendors, "%s %s", b->libs[i].vendor, b->libs[i].path);
	names = hpc_strv_join(&vendors, ", ");
	hpc_verify_find(v, "blas.library", "blas-two-libraries", HPC_VERIFY_WARN, false,
			"make libblas and liblapack come from one implementation (one "
			"LD_LIBRARY_PATH directory, one alternative, one conda libblas build)",
			"%d BLAS implementations are mapped at once (%s): each symbol binds to "
			"whichever ld.so found first", b->nproviders, names);
	free(names);
	hpc_strv_fini(&vendors);
}

static const char *one_thread_cause(const struct hpc_verify_blas *b)
{
	static const char *const vars[] = { "OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS",
					    "OMP_NUM_THREADS", "MKL_NUM_THREADS",
					    "BLIS_NUM_THREADS", "FLEXIBLAS_NUM_THREADS", NULL };

	for (const char *const *n = vars; *n; n++) {
		const char *val = env_value(b, *n);

		if (val && atoi(val) == 1)
			return *n;
	}
	return NULL;
}

static void judge_threads(struct hpc_verify *v)
{
	const struct hpc_verify_lib *l = hpc_verify_blas_primary(&v->blas);
	int cores = v->peak.cores, np = v->opts.np_given ? v->opts.np : 0;
	const char *cause;
	char *remedy;

	if (!l || l->threads < 0)
		return;
	hpc_verify_check_set(v, "blas.threads", "blas", HPC_VERIFY_PASS, "%d thread%s (%s) on %d "
			     "cores", l->threads, l->threads == 1 ? "" : "s",
			     l->threading ? l->threading : "threading unknown", cores);
	if (l->threads == 1 && cores > 1) {
		cause = one_thread_cause(&v->blas);
		remedy = cause ? hpc_xasprintf("unset %s (or set it to %d) unless each process "
					       "should use one core, as with one MPI rank per "
					       "core", cause, cores)
			       : hpc_xstrdup("use a threaded build of the BLAS (Debian: "
					     "libopenblas0-pthread; conda: the default openblas)");
		hpc_verify_find(v, "blas.threads", "blas-single-thread", HPC_VERIFY_WARN, false,
				remedy, "%s runs 1 thread on a %d-core machine%s%s%s", l->vendor,
				cores, cause ? " (" : " (sequential build)", cause ? cause : "",
				cause ? "=1)" : "");
		if (cause)
			hpc_verify_check_set(v, "blas.threads", "blas", HPC_VERIFY_WARN,
					     "1 thread (%s=1) on %d cores", cause, cores);
		free(remedy);
	}
	if (np > 0 && np * l->threads > cores)
		hpc_verify_find(v, "blas.threads", "blas-oversubscribed", HPC_VERIFY_WARN, false,
				"set OPENBLAS_NUM_THREADS (or OMP_NUM_THREADS) to cores / ranks "
				"for MPI runs",
				"%d MPI ranks x %d BLAS threads = %d threads on %d cores", np,
				l->threads, np * l->threads, cores);
}

static char *coretype_remedy(const struct hpc_verify_blas *b, const char *forced)
{
	static const char *const why = "; it may be set on purpose (older OpenBLAS kernels gave "
				       "wrong results or crashed on some CPUs), so check results "
				       "after the change";

	if (!forced)
		return hpc_xasprintf("set OPENBLAS_CORETYPE=%s, or upgrade OpenBLAS (this one "
				     "picks %s for this CPU by itself)", b->core_best,
				     b->core_autodetect);
	if (b->core_autodetect && !strcasecmp(b->core_autodetect, b->core_best))
		return hpc_xasprintf("unset OPENBLAS_CORETYPE (OpenBLAS then picks %s itself)%s",
				     b->core_best, why);
	return hpc_xasprintf("set OPENBLAS_CORETYPE=%s (unset, this OpenBLAS picks %s)%s",
			     b->core_best, b->core_autodetect ? b->core_autodetect : "?", why);
}

static void judge_coretype(struct hpc_verify *v)
{
	const struct hpc_verify_blas *b = &v->blas;
	const char *forced = env_value(b, "OPENBLAS_CORETYPE");
	int used = hpc_verify_openblas_core_rank(b->core_in_use);
	int best = hpc_verify_openblas_core_rank(b->core_best);
	char *remedy;

	if (!b->core_in_use || !b->dynamic_arch || !best)
		return;
	hpc_verify_check_set(v, "blas.coretype", "blas", HPC_VERIFY_PASS, "%s kernels (%s), the "
			     "CPU supports %s", b->core_in_use, forced ? "OPENBLAS_CORETYPE"
			     : "autodetected", b->core_best);
	if (used > best) {
		hpc_verify_find(v, "blas.coretype", "blas-coretype-above-cpu", HPC_VERIFY_FAIL,
				false, "unset OPENBLAS_CORETYPE",
				"OPENBLAS_CORETYPE=%s asks for kernels this CPU cannot run (it "
				"supports %s): expect SIGILL", forced ? forced : "?", b->core_best);
		return;
	}
	if (used == best)
		return;
	remedy = coretype_remedy(b, forced);
	if (forced)
		hpc_verify_find(v, "blas.coretype", "blas-coretype-below-cpu", HPC_VERIFY_WARN,
				false, remedy, "OPENBLAS_CORETYPE=%s makes OpenBLAS run %s kernels "
				"on a CPU that supports %s", forced, b->core_in_use, b->core_best);
	else
		hpc_verify_find(v, "blas.coretype", "blas-coretype-below-cpu", HPC_VERIFY_WARN,
				false, remedy, "OpenBLAS picks %s kernels by itself on a CPU that "
				"supports %s (%s family %u model %u)", b->core_in_use, b->core_best,
				v->peak.cpu.vendor, v->peak.cpu.family, v->peak.cpu.model);
	free(remedy);
}

/* "0.3.21" -> 321 (for comparisons of 0.x releases) */
static int version_code(const char *ver)
{
	int a = 0, b = 0, c = 0;

	if (!ver || sscanf(ver, "%d.%d.%d", &a, &b, &c) < 2)
		return -1;
	return a * 10000 + b * 100 + c;
}

static void judge_env(struct hpc_verify *v)
{
	const struct hpc_verify_blas *b = &v->blas;
	const struct hpc_verify_lib *l = hpc_verify_blas_primary(b);
	const char *l2 = env_value(b, "OPENBLAS_L2_SIZE");
	char *list = hpc_strv_join(&b->env, " ");
	long kib;

	hpc_verify_check_set(v, "blas.env", "blas", HPC_VERIFY_PASS, "%s",
			     b->env.n ? list : "no BLAS variables set");
	free(list);
	if (!l2 || !l || strcmp(l->vendor, "OpenBLAS"))
		return;
	if (version_code(l->version) >= 0 && version_code(l->version) < 327) {
		hpc_verify_find(v, "blas.env", "blas-l2-size-ignored", HPC_VERIFY_WARN, false,
				"unset OPENBLAS_L2_SIZE, or upgrade OpenBLAS where the L2 size "
				"matters (VMs whose cpuid hides it)",
				"OPENBLAS_L2_SIZE=%s has no effect on OpenBLAS %s (read from "
				"0.3.27 on)", l2, l->version);
		return;
	}
	kib = strtol(l2, NULL, 10) / 1024;
	if (v->peak.l2_bytes && kib > 0 &&
	    (kib > (long)(v->peak.l2_bytes / 512) || kib < (long)(v->peak.l2_bytes / 2048)))
		hpc_verify_find(v, "blas.env", "blas-l2-size-mismatch", HPC_VERIFY_WARN, false,
				"set OPENBLAS_L2_SIZE to the L2 size in bytes, or unset it",
				"OPENBLAS_L2_SIZE=%s differs from this CPU's L2 cache (%zu KiB)",
				l2, v->peak.l2_bytes / 1024);
}

void hpc_verify_blas_judge(struct hpc_verify *v)
{
	const struct hpc_verify_blas *b = &v->blas;

	if (b->error) {
		hpc_verify_check_set(v, "blas.numpy", "blas", HPC_VERIFY_FAIL, "numpy missing");
		hpc_verify_find(v, "blas.numpy", "numpy-missing", HPC_VERIFY_FAIL, false,
				v->prefix ? "conda install numpy into the environment"
					  : "install numpy for this python (Debian: python3-numpy)",
				"'import numpy' fails in %s: %s", v->python, b->error);
		return;
	}
	hpc_verify_check_set(v, "blas.numpy", "blas", HPC_VERIFY_PASS, "numpy %s (Python %s), "
			     "built against %s", b->numpy_version, b->python_version,
			     b->numpy_built && *b->numpy_built ? b->numpy_built : "?");
	judge_library(v);
	judge_threads(v);
	judge_coretype(v);
	judge_env(v);
}
