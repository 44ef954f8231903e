/* SPDX-License-Identifier: MIT */
/* verify.h - prove an environment is fast (BLAS) and correctly wired (mpi4py, libmpi, launcher)
 *
 * hpc_verify_run() checks a target python: which BLAS numpy really maps and how fast it runs
 * against the measured peak of this machine, and whether mpi4py, the libmpi ld.so would load
 * and the launcher on PATH belong together and actually run across ranks. Every fault found
 * becomes a named finding with a one-line remedy; the report functions render the result as
 * text, JSON (docs/verify.schema.json), JUnit XML and an SVG plot.
 *
 * Anything that loads a foreign library (a BLAS, libmpi) runs in a forked child, so a crashing
 * or hanging library cannot take the caller down, and environment variables read at load time
 * (OPENBLAS_CORETYPE) can differ per measurement without touching the caller's environment.
 */
#ifndef HPCENV_VERIFY_H
#define HPCENV_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "cpu.h"
#include "events.h"
#include "util.h"

struct hpc_error;

enum hpc_verify_status {
	HPC_VERIFY_PASS,
	HPC_VERIFY_SKIP,
	HPC_VERIFY_WARN,
	HPC_VERIFY_FAIL,
};

enum hpc_verify_mode {
	HPC_VERIFY_NORMAL,
	HPC_VERIFY_QUICK, /* small sizes, few repeats: under a minute on 2 cores */
	HPC_VERIFY_FULL,  /* every size and thread count, more repeats */
};

/* "pass", "skip", "warn", "fail" */
const char *hpc_verify_status_name(enum hpc_verify_status s);

/* ---- the model: checks (one per report row / JUnit test case) and findings ---- */

struct hpc_verify_check {
	char *id;      /* stable, dotted: "blas.library", "mpi.run" */
	char *section; /* "cpu", "blas", "bench", "numpy", "mpi", "reference" */
	enum hpc_verify_status status;
	char *summary; /* one line */
	double seconds;
};

struct hpc_verify_finding {
	char *id;      /* stable name of the fault: "blas-netlib", "mpi-launcher-mismatch" */
	char *check;   /* id of the check it belongs to */
	enum hpc_verify_status status; /* warn or fail */
	bool measured; /* comes from a timing, not from configuration */
	char *message; /* what is wrong, one line */
	char *remedy;  /* the fix, one line */
};

/* ---- CPU and measured peak (verify_peak.c) ---- */

struct hpc_verify_peak {
	struct hpc_cpu cpu;
	int cores, pus, packages; /* physical cores / logical CPUs usable by this process */
	size_t l2_bytes, l3_bytes; /* per core L2, largest L3 (0 unknown) */
	const char *isa;          /* widest FMA kernel measured: "avx512", "avx2", "sse2" */
	int simd_bits;            /* 512, 256, 128 */
	int fma_units;            /* FMA pipes per core assumed for the theoretical peak */
	double clock_ghz;         /* measured with a dependent integer-add chain */
	double dp_core, sp_core;  /* measured GFLOP/s, one pinned core (best of trials) */
	double dp_all, sp_all;    /* all cores together */
	double dp_theory_core;    /* clock x fma_units x lanes x 2 */
	double dp_flop_per_cycle; /* measured dp_core / clock_ghz */
	double triad_one, triad_all; /* STREAM triad GB/s */
	size_t triad_bytes;       /* bytes of the three arrays together */
	double gemm_best;         /* best DGEMM GFLOP/s per core seen (cross-check), 0 none */
	bool measured;
};

/* Topology (hwloc) and cpuid only: cheap, no timing. */
int hpc_verify_peak_topology(struct hpc_verify_peak *p, struct hpc_error **err);
/* Calibrated FMA peak (per core and all cores) and triad bandwidth. Takes ~1 s (quick). */
int hpc_verify_peak_measure(struct hpc_verify_peak *p, enum hpc_verify_mode mode,
			    const struct hpc_events *ev, struct hpc_error **err);
/* Measured DP peak in GFLOP/s for `threads` cores (interpolated between one and all). */
double hpc_verify_peak_dp(const struct hpc_verify_peak *p, int threads);
double hpc_verify_peak_sp(const struct hpc_verify_peak *p, int threads);

/* ---- BLAS identification (verify_blas.c) ---- */

struct hpc_verify_lib {
	char *path;      /* real path of the mapped file */
	char *soname;
	char *vendor;    /* "OpenBLAS", "MKL", "BLIS", "FlexiBLAS", "netlib", "" */
	char *role;      /* "blas", "lapack", "blas+lapack", "openmp" */
	char *provider;  /* for a frontend (Debian's libblas.so.3): the vendor library behind it */
	char *version;   /* "0.3.21", MKL's version string, BLIS's... */
	char *config;    /* openblas_get_config() */
	char *corename;  /* openblas_get_corename() */
	char *threading; /* "sequential", "pthreads", "openmp", "tbb" or NULL */
	int threads;     /* the library's thread count now, -1 unknown */
};

struct hpc_verify_blas {
	char *python_version;
	char *numpy_version, *numpy_path, *numpy_config; /* numpy.show_config() text */
	char *numpy_built; /* what that config names for BLAS and LAPACK, one line */
	struct hpc_strv simd_baseline, simd_dispatch, simd_found; /* numpy's CPU dispatch */
	struct hpc_strv env; /* "NAME=value" steering BLAS, as the target python sees them */
	struct hpc_verify_lib *libs;
	size_t nlibs;
	char *gemm_symbol, *gemm_path; /* what numpy's matmul calls, and the file defining it */
	int primary;        /* index of the vendor library doing the work, -1 none */
	int nproviders;     /* distinct BLAS implementations mapped (2+ = interposition risk) */
	/* OpenBLAS kernels (DYNAMIC_ARCH builds choose them at load time) */
	bool dynamic_arch;
	char *core_in_use, *core_autodetect, *core_best;
	char *error; /* numpy could not be imported: the message */
};

struct hpc_verify;
/* Import numpy in the target, map what it loaded, identify every BLAS/LAPACK. */
int hpc_verify_blas_probe(struct hpc_verify *v, const struct hpc_events *ev,
			  struct hpc_error **err);
/* Configuration findings: netlib, one thread, core type, two BLAS, env. */
void hpc_verify_blas_judge(struct hpc_verify *v);
const struct hpc_verify_lib *hpc_verify_blas_primary(const struct hpc_verify_blas *b);
/* Rank of an OpenBLAS x86-64 core name (Prescott 1 ... SapphireRapids 9), 0 unknown. */
int hpc_verify_openblas_core_rank(const char *core);
/* The best OpenBLAS core type the CPU's features allow, from cpuid; NULL off x86. */
const char *hpc_verify_openblas_core_for(const struct hpc_cpu *cpu);
void hpc_verify_blas_fini(struct hpc_verify_blas *b);

/* ---- BLAS benchmark from C (verify_bench.c) ---- */

struct hpc_verify_bench {
	char op[8];      /* "dgemm", "sgemm", "dgemv", "ddot" */
	int n, threads;  /* threads: what the library was set to (1 when it has no setter) */
	char *core;      /* OpenBLAS core type during the run, or NULL */
	int reps;
	double median, min, max; /* seconds per call */
	double gflops, gbs;      /* from the median */
	double pct;      /* % of measured peak (gemm) or of triad bandwidth (gemv, dot); <0 n/a */
	double residual; /* scaled residual; <= 1 passes */
	bool ok;
	char *skipped;   /* why it was not run, or NULL */
};

struct hpc_verify_cost {  /* the price of the OpenBLAS core type in use */
	char *core_in_use, *core_best;
	int n, threads;
	double gflops_in_use, gflops_best;
	bool measured;
};

int hpc_verify_bench_run(struct hpc_verify *v, const struct hpc_events *ev,
			 struct hpc_error **err);
void hpc_verify_bench_fini(struct hpc_verify_bench *b);
/* Freivalds' check of C = A*B (column-major n x n): |Cx - A(Bx)| scaled by the rounding
 * bound, so <= 1 means "as right as a correct GEMM can be". */
double hpc_verify_gemm_residual(int n, const double *a, const double *b, const double *c,
				double eps);
double hpc_verify_sgemm_residual(int n, const float *a, const float *b, const float *c);

/* ---- numpy end to end (verify_numpy.c) ---- */

struct hpc_verify_npop {
	char *name;   /* "dot", "vdot", "svd", "cholesky", "eig", "inv" */
	char *shape;  /* "4096x4096" */
	int reps;
	double median, min, max; /* seconds */
	double residual; /* scaled; <= 1 passes */
	bool ok;
};

int hpc_verify_numpy_run(struct hpc_verify *v, const struct hpc_events *ev,
			 struct hpc_error **err);

/* ---- ELF and the dynamic loader's search (verify_elf.c) ---- */

struct hpc_verify_elf {
	char *path;
	int elfclass, machine;     /* ELFCLASS64, EM_X86_64 ... */
	char *soname, *rpath, *runpath;
	struct hpc_strv needed;
	struct hpc_strv defined;   /* dynamic symbols defined here, sorted */
	struct hpc_strv undefined; /* dynamic symbols it needs from elsewhere, sorted */
};

int hpc_verify_elf_read(const char *path, struct hpc_verify_elf *e, struct hpc_error **err);
void hpc_verify_elf_fini(struct hpc_verify_elf *e);
bool hpc_verify_elf_defines(const struct hpc_verify_elf *e, const char *sym);
bool hpc_verify_elf_needs(const struct hpc_verify_elf *e, const char *sym);
/* Any symbol in a sorted list starting with prefix. */
bool hpc_verify_strv_has_prefix(const struct hpc_strv *sorted, const char *prefix);

struct hpc_verify_ldso {
	char *path;  /* the file ld.so would map, NULL when none */
	char *why;   /* "LD_LIBRARY_PATH entry /x", "RUNPATH $ORIGIN/../lib", "ld.so.cache", ... */
	char *dir;   /* the search directory that matched */
	struct hpc_strv tried; /* "where: path" for every place searched, in order */
};

/* Find `soname` as ld.so would for a library needed by `obj`: obj's DT_RPATH then the
 * loading executable's (only when obj has no DT_RUNPATH), ld_library_path, obj's
 * DT_RUNPATH, the ld.so cache (ldconfig -p), the default directories; $ORIGIN expanded,
 * glibc-hwcaps subdirectories and the ELF class checked. exe may be NULL. Not finding it
 * is not an error (out->path stays NULL). */
int hpc_verify_ldso_find(const struct hpc_verify_elf *obj, const char *soname,
			 const char *ld_library_path, const struct hpc_verify_elf *exe,
			 struct hpc_verify_ldso *out, struct hpc_error **err);
void hpc_verify_ldso_fini(struct hpc_verify_ldso *l);

/* ---- MPI (verify_mpi.c: linkage and library; verify_launch.c: launcher and runs) ---- */

struct hpc_verify_mpi {
	bool present;            /* mpi4py importable (the package, not necessarily MPI) */
	char *mpi4py_version, *mpi4py_dir, *ext_path;
	struct hpc_strv needed;  /* DT_NEEDED of mpi4py's MPI extension */
	char *rpath, *runpath;
	char *built_family;      /* "openmpi" or "mpich": what the extension was built against */
	char *lib_soname;        /* the libmpi soname it needs */
	struct hpc_verify_ldso resolved; /* what ld.so would load and why */
	char *resolved_default;  /* what it would load without LD_LIBRARY_PATH, if different */
	char *lib_family;        /* of the resolved file: "openmpi", "mpich" */
	char *lib_version;       /* MPI_Get_library_version(), first line */
	char *loaded_path;       /* what the python process really mapped */
	char *import_error;      /* `from mpi4py import MPI` failed: why */
	char *mpi4py_lib_version; /* python -m mpi4py --mpi-lib-version (mpi4py >= 4) */
	struct hpc_strv env;      /* "NAME=value" steering the MPI: OMPI_MCA_*, MPIR_CVAR_*... */
	/* launcher */
	char *launcher, *launcher_path, *launcher_family, *launcher_version;
	char *launcher_why;       /* "env bin", "PATH" */
	char *launcher_match;     /* a launcher of the library's family found elsewhere, or NULL */
	char *srun_mpi_types;     /* srun --mpi=list */
	/* runs */
	bool singleton_ok;        /* MPI_Init without a launcher */
	char *singleton_error;
	int np, hellos, size_seen; /* ranks asked for, hello lines, COMM_WORLD size reported */
	bool all_singletons;      /* every rank that started is 'rank 0 of 1' (np > 1) */
	bool ring_ok;
	double latency_us, bandwidth_mbs, ring_seconds;
	char *run_command;        /* the command line used */
	char *hung_step;          /* step that did not finish in time, or NULL */
	char *run_error;          /* tail of the output when the run failed */
	int run_status;
	bool ran;
};

int hpc_verify_mpi_probe(struct hpc_verify *v, const struct hpc_events *ev,
			 struct hpc_error **err);
int hpc_verify_launch_run(struct hpc_verify *v, const struct hpc_events *ev,
			  struct hpc_error **err);
/* MPI family from a library's ELF symbols and soname: "openmpi", "mpich" or NULL. */
const char *hpc_verify_mpi_family(const struct hpc_verify_elf *lib);
/* MPI family an extension was built against, from its needs: "openmpi", "mpich" or NULL. */
const char *hpc_verify_mpi_built_family(const struct hpc_verify_elf *ext);
/* Launcher family from `LAUNCHER --version` output: "openmpi", "mpich", "slurm" or NULL;
 * *version gets the version (caller frees). */
const char *hpc_verify_launcher_family(const char *version_text, char **version);
void hpc_verify_mpi_fini(struct hpc_verify_mpi *m);

/* ---- references (verify_ref.c): ReFrame-style value/lower/upper/unit per system ---- */

struct hpc_verify_ref {
	char *metric; /* "dgemm_4096_2t", "numpy_dot", "peak_dp_core", "mpi_latency" ... */
	double value, lower, upper; /* lower/upper: fractions of value, NAN = unbounded */
	char *unit;
	char *where;  /* file:line */
};

struct hpc_verify_refs {
	char *path, *key; /* the file and the section chosen for this machine */
	struct hpc_verify_ref *refs;
	size_t n;
};

/* Load the section of a references file that applies here: the first present of hostname,
 * x86_64_vN (this CPU's level, then lower ones), "*". */
int hpc_verify_refs_load(const char *path, const struct hpc_cpu *cpu, const char *hostname,
			 struct hpc_verify_refs **out, struct hpc_error **err);
void hpc_verify_refs_free(struct hpc_verify_refs *r);
/* Compare every reference with the measured metric; a value outside the band fails. */
void hpc_verify_refs_apply(struct hpc_verify *v);
/* The measured value of a metric and its unit; false when not measured in this run. */
bool hpc_verify_metric(const struct hpc_verify *v, const char *metric, double *value,
		       const char **unit);

/* ---- the whole run (verify.c) ---- */

struct hpc_verify_opts {
	const char *python;   /* target interpreter (absolute) */
	const char *prefix;   /* its conda environment, or NULL (a system python) */
	bool blas, mpi;       /* sections to run (neither = both) */
	enum hpc_verify_mode mode;
	int np;               /* MPI ranks (default 2) */
	bool np_given;        /* the user chose np: judge BLAS threads x ranks against cores */
	const char *launcher; /* "mpiexec" (default) or "srun" */
	const char *hostfile;
	double timeout;       /* per python probe / MPI step, seconds (default 60) */
	struct hpc_verify_refs *refs; /* taken over by the verify object, may be NULL */
};

struct hpc_verify_ref_result {
	char *metric, *unit, *where;
	double measured, value, lo, hi; /* band [lo, hi], +-INFINITY unbounded */
	enum hpc_verify_status status;
};

struct hpc_verify {
	struct hpc_verify_opts opts;
	char *python, *prefix, *hostfile, *launcher;
	bool blas_asked, mpi_asked; /* the section was chosen explicitly (--blas / --mpi) */
	struct hpc_verify_peak peak;
	struct hpc_verify_blas blas;
	struct hpc_verify_bench *bench;
	size_t nbench;
	struct hpc_verify_cost cost;
	struct hpc_verify_npop *npops;
	size_t nnpops;
	struct hpc_verify_mpi mpi;
	struct hpc_verify_ref_result *refres;
	size_t nrefres;
	struct hpc_verify_check *checks;
	size_t nchecks;
	struct hpc_verify_finding *findings;
	size_t nfindings;
	enum hpc_verify_status status; /* worst of the checks */
	double seconds;
	char *started; /* UTC, ISO 8601 */
};

/* The python of an environment, or check a given one. Exactly one of prefix/python may be
 * NULL. When python lives in a conda environment (../conda-meta), *prefix_out names it. */
int hpc_verify_target(const char *prefix, const char *python, char **python_out,
		      char **prefix_out, struct hpc_error **err);

struct hpc_verify *hpc_verify_new(const struct hpc_verify_opts *o);
void hpc_verify_free(struct hpc_verify *v);
/* Run every selected section. Returns 0 when the checks ran, whatever they found (see
 * v->status); fails only when verification itself could not run (-HPC_E_INTERRUPTED too). */
int hpc_verify_run(struct hpc_verify *v, const struct hpc_events *ev, struct hpc_error **err);

/* Add a check (or update the one with the same id) and findings attached to it. */
struct hpc_verify_check *hpc_verify_check_set(struct hpc_verify *v, const char *id,
					      const char *section, enum hpc_verify_status st,
					      const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
const struct hpc_verify_check *hpc_verify_check_get(const struct hpc_verify *v, const char *id);
void hpc_verify_find(struct hpc_verify *v, const char *check, const char *id,
		     enum hpc_verify_status st, bool measured, const char *remedy,
		     const char *fmt, ...) __attribute__((format(printf, 7, 8)));
const struct hpc_verify_finding *hpc_verify_finding_get(const struct hpc_verify *v,
							 const char *id);

/* ---- reports (verify_report.c, verify_json.c, verify_plot.c) ---- */

/* The human report; colour adds ANSI colours (for a terminal). Caller frees. */
char *hpc_verify_report_text(const struct hpc_verify *v, bool colour);
/* JUnit XML: one test suite per section, one test case per check. Caller frees. */
char *hpc_verify_report_junit(const struct hpc_verify *v);
/* JSON with every figure (docs/verify.schema.json). Caller frees. */
char *hpc_verify_report_json(const struct hpc_verify *v);
/* SVG: GFLOP/s against size per operation and thread count, with the peak lines. */
char *hpc_verify_report_svg(const struct hpc_verify *v);

#endif
