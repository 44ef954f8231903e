/* SPDX-License-Identifier: MIT */
/* verify_launch.c - the MPI launcher and real runs: hello, ring, ping-pong, with timeouts
 *
 * Which mpiexec runs is decided by PATH (an environment's bin/ first once activated); when
 * it belongs to another MPI than the library, each rank initialises as a singleton and
 * says "rank 0 of 1", or MPI_Init fails or hangs. So the launcher is identified from its
 * --version (Hydra = MPICH family, ORTE/PRRTE = Open MPI, Slurm's srun), compared with the
 * library, and then actually used: every step is timed out and reported by name.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hpcenv/util.h"
#include "verify_int.h"

static const char run_script[] =
	"import sys, os, json, socket\n"
	"def say(**kw):\n"
	"    os.write(1, (json.dumps(kw) + '\\n').encode())  # one write: lines stay whole\n"
	"lat_iters, bw_iters = int(sys.argv[1]), int(sys.argv[2])\n"
	"from mpi4py import MPI\n"
	"c = MPI.COMM_WORLD; r = c.Get_rank(); n = c.Get_size()\n"
	"lib = MPI.Get_library_version().replace('\\x00', '').strip().splitlines()[0]\n"
	"say(step='hello', rank=r, size=n, host=socket.gethostname(), lib=lib, pid=os.getpid())\n"
	"def begin(name):\n"
	"    if r == 0:\n"
	"        say(step='begin', name=name)\n"
	"begin('barrier'); c.Barrier()\n"
	"if n > 1:\n"
	"    begin('ring')\n"
	"    t = MPI.Wtime(); ok = True\n"
	"    for _ in range(10):\n"
	"        if r == 0:\n"
	"            c.send(0, dest=1); ok = ok and c.recv(source=n - 1) == n - 1\n"
	"        else:\n"
	"            v = c.recv(source=r - 1); c.send(v + 1, dest=(r + 1) % n)\n"
	"    if r == 0:\n"
	"        say(step='ring', ok=ok, seconds=(MPI.Wtime() - t) / 10)\n"
	"    begin('pingpong')\n"
	"    for size, iters in ((8, lat_iters), (1 << 20, bw_iters)):\n"
	"        buf = bytearray(size); c.Barrier(); t = MPI.Wtime()\n"
	"        for _ in range(iters):\n"
	"            if r == 0:\n"
	"                c.Send(buf, dest=1); c.Recv(buf, source=1)\n"
	"            elif r == 1:\n"
	"                c.Recv(buf, source=0); c.Send(buf, dest=0)\n"
	"        dt = MPI.Wtime() - t\n"
	"        if r == 0 and size == 8:\n"
	"            say(step='latency', us=dt / iters / 2 * 1e6)\n"
	"        elif r == 0:\n"
	"            say(step='bandwidth', mbs=2.0 * size * iters / dt / 1e6)\n"
	"begin('finalize'); c.Barrier()\n"
	"if r == 0:\n"
	"    say(step='done')\n";

static const char singleton_script[] =
	"import json\n"
	"from mpi4py import MPI\n"
	"c = MPI.COMM_WORLD\n"
	"print(json.dumps({'rank': c.Get_rank(), 'size': c.Get_size()}))\n";

/* Open MPI refuses root unless told; harmless for other launchers. */
static const char *const root_env[] = { "OMPI_ALLOW_RUN_AS_ROOT=1",
					"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1", NULL };

static const char *const *launch_env(void)
{
	return geteuid() == 0 ? root_env : NULL;
}

/* ---- identifying launchers ---- */

static char *line_after(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	if (!p)
		return NULL;
	p += strlen(key);
	while (*p == ' ' || *p == '\t' || *p == ':')
		p++;
	return hpc_str_trim(hpc_xstrndup(p, strcspn(p, "\n")));
}

static char *last_word(const char *text)
{
	char *line = hpc_xstrndup(text, strcspn(text, "\n")), *sp;

	hpc_str_trim(line);
	sp = strrchr(line, ' ');
	if (sp) {
		char *w = hpc_xstrdup(sp + 1);

		free(line);
		return w;
	}
	return line;
}

const char *hpc_verify_launcher_family(const char *text, char **version)
{
	*version = NULL;
	if (!text)
		return NULL;
	if (strstr(text, "HYDRA build details")) {
		*version = line_after(text, "Version:");
		return "mpich";
	}
	if (strstr(text, "Intel(R) MPI Library") || strstr(text, "MVAPICH")) {
		*version = line_after(text, "Version");
		return "mpich";
	}
	if (strstr(text, "Open MPI") || strstr(text, "OpenRTE") || strstr(text, "PRRTE") ||
	    strstr(text, "prterun")) {
		*version = last_word(text);
		return "openmpi";
	}
	if (hpc_str_startswith(text, "slurm")) {
		*version = last_word(text);
		return "slurm";
	}
	return NULL;
}

static const char *identify(const char *path, char **version, const struct hpc_events *ev)
{
	const char *argv[] = { path, "--version", NULL };
	struct hpc_verify_proc p = { .argv = argv, .env_set = launch_env(), .timeout = 20,
				     .ev = ev };
	const char *family = NULL;

	*version = NULL;
	if (!hpc_verify_proc_run(&p, NULL)) {
		char *all = hpc_xasprintf("%s%s", p.out ? p.out : "", p.err ? p.err : "");

		family = hpc_verify_launcher_family(all, version);
		free(all);
	}
	hpc_verify_proc_fini(&p);
	return family;
}

static void search_dirs(const struct hpc_verify *v, struct hpc_strv *dirs)
{
	const char *path = getenv("PATH");

	if (v->prefix)
		hpc_strv_pushf(dirs, "%s/bin", v->prefix);
	hpc_strv_split(dirs, path ? path : "/usr/bin:/bin", ":");
}

static char *find_program(const struct hpc_verify *v, const char *name, char **why)
{
	struct hpc_strv dirs = HPC_STRV_INIT;
	char *found = NULL;

	search_dirs(v, &dirs);
	for (size_t i = 0; i < dirs.n && !found; i++) {
		char *p = hpc_path_join(dirs.v[i], name);

		if (access(p, X_OK) == 0 && !hpc_is_dir(p)) {
			found = p;
			*why = v->prefix && i == 0 ? hpc_xstrdup("the environment's bin/")
						   : hpc_xstrdup("PATH");
		} else {
			free(p);
		}
	}
	hpc_strv_fini(&dirs);
	return found;
}

/* Any launcher of the library's family in the environment or on PATH, for the remedy. */
static char *find_matching(const struct hpc_verify *v, const char *family,
			   const struct hpc_events *ev)
{
	static const char *const names[] = { "mpiexec", "mpirun", "mpiexec.openmpi",
					     "mpirun.openmpi", "mpiexec.mpich", "mpiexec.hydra",
					     "mpirun.mpich", NULL };
	struct hpc_strv dirs = HPC_STRV_INIT, seen = HPC_STRV_INIT;
	char *match = NULL, real[PATH_MAX];

	search_dirs(v, &dirs);
	for (size_t i = 0; i < dirs.n && !match; i++)
		for (const char *const *n = names; *n && !match; n++) {
			char *p = hpc_path_join(dirs.v[i], *n), *ver = NULL;
			const char *f;

			if (access(p, X_OK) || !realpath(p, real) ||
			    hpc_strv_contains(&seen, real)) {
				free(p);
				continue;
			}
			hpc_strv_push(&seen, real);
			f = identify(p, &ver, ev);
			if (f && !strcmp(f, family))
				match = hpc_xasprintf("%s (%s %s)", p, !strcmp(f, "openmpi")
						      ? "Open MPI" : "MPICH Hydra", ver ? ver : "");
			free(ver);
			free(p);
		}
	hpc_strv_fini(&dirs);
	hpc_strv_fini(&seen);
	return match;
}

/* ---- findings ---- */

/* The MPI the launcher must match: the one mpi4py was built for (when ld.so resolves
 * another one, that is the fault to fix, not the launcher), else the library's. */
static const char *lib_family(const struct hpc_verify_mpi *m)
{
	if (m->built_family)
		return m->built_family;
	if (m->lib_family && strcmp(m->lib_family, "unknown"))
		return m->lib_family;
	return NULL;
}

static const char *pretty(const char *family)
{
	return !family ? "unknown MPI" : !strcmp(family, "openmpi") ? "Open MPI"
					 : !strcmp(family, "mpich") ? "MPICH" : family;
}

/* The PMI plugin srun should use for this MPI, from `srun --mpi=list`, or NULL. */
static const char *srun_pmi(const struct hpc_verify_mpi *m)
{
	if (!m->srun_mpi_types)
		return NULL;
	return strstr(m->srun_mpi_types, "pmix") ? "pmix"
	       : strstr(m->srun_mpi_types, "pmi2") ? "pmi2" : NULL;
}

static char *mismatch_remedy(const struct hpc_verify *v)
{
	const struct hpc_verify_mpi *m = &v->mpi;

	if (m->launcher_family && !strcmp(m->launcher_family, "slurm"))
		return srun_pmi(m) ? hpc_xasprintf("srun's default MPI plugin does not wire up "
						   "the ranks: use srun --mpi=%s (or export "
						   "SLURM_MPI_TYPE=%s)", srun_pmi(m), srun_pmi(m))
				   : hpc_xstrdup("this Slurm offers no PMI plugin (pmix, pmi2): "
						 "use mpiexec inside the allocation");
	if (m->launcher_match)
		return hpc_xasprintf("use %s, or put its directory first in PATH",
				     m->launcher_match);
	return hpc_xasprintf("install %s's launcher (%s) and put it first in PATH",
			     pretty(lib_family(m)),
			     !strcmp(lib_family(m), "openmpi")
				     ? (v->prefix ? "conda install openmpi" : "openmpi-bin")
				     : (v->prefix ? "conda install mpich" : "mpich"));
}

/* Slurm starts MPI ranks through a PMI plugin: Open MPI and MPICH wire up over pmix or pmi2;
 * with neither on offer every rank initialises alone. */
static void judge_srun(struct hpc_verify *v)
{
	struct hpc_verify_mpi *m = &v->mpi;
	struct hpc_strv words = HPC_STRV_INIT;
	char *types;

	if (!m->srun_mpi_types || srun_pmi(m))
		return;
	hpc_strv_split(&words, m->srun_mpi_types, " \t\n");
	types = hpc_strv_join(&words, " ");
	hpc_verify_find(v, "mpi.launcher", "mpi-srun-no-pmi", HPC_VERIFY_WARN, false,
			"use mpiexec inside the allocation, or ask the administrators for "
			"Slurm's PMIx plugin",
			"srun --mpi=list offers neither pmix nor pmi2 (%s): srun cannot wire up "
			"%s ranks", types, pretty(lib_family(m)));
	free(types);
	hpc_strv_fini(&words);
}

static void judge_launcher(struct hpc_verify *v, const struct hpc_events *ev)
{
	struct hpc_verify_mpi *m = &v->mpi;
	const char *lib = lib_family(m);
	char *remedy;

	hpc_verify_check_set(v, "mpi.launcher", "mpi", HPC_VERIFY_PASS, "%s: %s %s (from %s)",
			     m->launcher_path, pretty(m->launcher_family),
			     m->launcher_version ? m->launcher_version : "", m->launcher_why);
	if (!lib || !m->launcher_family || !strcmp(m->launcher_family, "slurm") ||
	    !strcmp(m->launcher_family, lib))
		return;
	m->launcher_match = find_matching(v, lib, ev);
	remedy = mismatch_remedy(v);
	hpc_verify_find(v, "mpi.launcher", "mpi-launcher-mismatch", HPC_VERIFY_FAIL, false,
			remedy, "%s is %s %s but mpi4py uses %s (%s): ranks will not see each "
			"other",
			m->launcher_path, pretty(m->launcher_family),
			m->launcher_version ? m->launcher_version : "", pretty(lib),
			m->lib_soname ? m->lib_soname : "libmpi");
	free(remedy);
}

static int find_launcher(struct hpc_verify *v, const struct hpc_events *ev)
{
	struct hpc_verify_mpi *m = &v->mpi;
	const char *family;

	m->launcher = hpc_xstrdup(v->opts.launcher);
	m->launcher_path = find_program(v, m->launcher, &m->launcher_why);
	if (!m->launcher_path) {
		hpc_verify_check_set(v, "mpi.launcher", "mpi", HPC_VERIFY_FAIL, "no %s found",
				     m->launcher);
		hpc_verify_find(v, "mpi.launcher", "mpi-launcher-missing", HPC_VERIFY_FAIL, false,
				!strcmp(m->launcher, "srun") ? "run inside a Slurm allocation, or "
							      "use --launcher mpiexec"
							    : "install the MPI's launcher "
							      "(openmpi-bin / mpich) or activate "
							      "the environment",
				"no %s in %s", m->launcher, v->prefix ? "the environment's bin/ "
							       "or PATH" : "PATH");
		return -1;
	}
	family = identify(m->launcher_path, &m->launcher_version, ev);
	m->launcher_family = hpc_xstrdup(family ? family : "unknown");
	if (family && !strcmp(family, "slurm")) {
		const char *argv[] = { m->launcher_path, "--mpi=list", NULL };
		struct hpc_verify_proc p = { .argv = argv, .timeout = 20, .ev = ev };

		if (!hpc_verify_proc_run(&p, NULL) && p.out)
			m->srun_mpi_types = hpc_str_trim(hpc_xasprintf("%s%s", p.out,
								       p.err ? p.err : ""));
		hpc_verify_proc_fini(&p);
	}
	judge_launcher(v, ev);
	judge_srun(v);
	return 0;
}

/* MPI_Init in a plain python: the finding waits for the real run (judge_singleton), which
 * tells a missing launcher apart from an MPI that cannot start at all. */
static void singleton(struct hpc_verify *v, const struct hpc_events *ev)
{
	struct hpc_verify_mpi *m = &v->mpi;
	struct hpc_error *e = NULL;
	json_t *o = NULL;

	if (hpc_verify_python(v, singleton_script, NULL, launch_env(), NULL, 60, ev, &o, &e)) {
		m->singleton_error = hpc_xstrdup(e->msg);
		hpc_verify_check_set(v, "mpi.singleton", "mpi", HPC_VERIFY_WARN,
				     "MPI_Init without a launcher fails");
	} else {
		m->singleton_ok = true;
		hpc_verify_check_set(v, "mpi.singleton", "mpi", HPC_VERIFY_PASS,
				     "MPI_Init works without a launcher (1 rank)");
	}
	hpc_error_free(e);
	json_decref(o);
}

static void judge_singleton(struct hpc_verify *v, bool init_failed)
{
	struct hpc_verify_mpi *m = &v->mpi;

	if (m->singleton_ok || !m->singleton_error)
		return;
	if (init_failed) { /* one cause, named once: mpi-init-failed */
		hpc_verify_check_set(v, "mpi.singleton", "mpi", HPC_VERIFY_FAIL,
				     "MPI_Init fails without a launcher too");
		return;
	}
	hpc_verify_find(v, "mpi.singleton", "mpi-singleton-init", HPC_VERIFY_WARN, false,
			"always start MPI programs with the launcher (mpiexec -n 1 python ...), "
			"even for one rank",
			"MPI_Init without a launcher fails: %s", m->singleton_error);
}

/* ---- the run ---- */

struct outcome {
	int hellos, singletons, size;
	char *begun;   /* last step rank 0 began */
	bool ring, ring_ok, done;
	double ring_s, latency, bandwidth;
};

static void parse_hello(json_t *o, struct outcome *oc)
{
	int size = (int)json_integer_value(json_object_get(o, "size"));

	oc->hellos++;
	oc->singletons += size == 1;
	if (size > oc->size)
		oc->size = size;
}

static void parse_step(json_t *o, struct outcome *oc)
{
	const char *step = json_string_value(json_object_get(o, "step"));

	if (!step)
		return;
	if (!strcmp(step, "hello")) {
		parse_hello(o, oc);
	} else if (!strcmp(step, "begin")) {
		free(oc->begun);
		oc->begun = hpc_verify_jstr(o, "name");
	} else if (!strcmp(step, "ring")) {
		oc->ring = true;
		oc->ring_ok = json_is_true(json_object_get(o, "ok"));
		oc->ring_s = json_number_value(json_object_get(o, "seconds"));
	} else if (!strcmp(step, "latency")) {
		oc->latency = json_number_value(json_object_get(o, "us"));
	} else if (!strcmp(step, "bandwidth")) {
		oc->bandwidth = json_number_value(json_object_get(o, "mbs"));
	} else if (!strcmp(step, "done")) {
		oc->done = true;
	}
}

/* Every JSON object in the output, also when a launcher glued two ranks' lines together
 * ("}{") or put its own text between them. */
static void parse_run(const char *out, struct outcome *oc)
{
	const char *p = out ? out : "";

	memset(oc, 0, sizeof(*oc));
	while ((p = strchr(p, '{'))) {
		json_error_t je;
		json_t *o = json_loads(p, JSON_DISABLE_EOF_CHECK, &je);

		if (!o) {
			p++;
			continue;
		}
		parse_step(o, oc);
		json_decref(o);
		p += je.position > 0 ? (size_t)je.position : 1;
	}
}

static void build_argv(const struct hpc_verify *v, struct hpc_strv *argv)
{
	const struct hpc_verify_mpi *m = &v->mpi;
	bool ompi = m->launcher_family && !strcmp(m->launcher_family, "openmpi");
	bool quick = v->opts.mode == HPC_VERIFY_QUICK;

	hpc_strv_push(argv, m->launcher_path);
	hpc_strv_push(argv, "-n");
	hpc_strv_pushf(argv, "%d", v->opts.np);
	if (ompi && v->opts.np > v->peak.pus)
		hpc_strv_push(argv, "--oversubscribe");
	if (v->hostfile) {
		hpc_strv_push(argv, ompi ? "--hostfile" : "-f");
		hpc_strv_push(argv, v->hostfile);
	}
	hpc_strv_push(argv, v->python);
	hpc_strv_push(argv, "-c");
	hpc_strv_push(argv, run_script);
	hpc_strv_push(argv, quick ? "200" : "2000");
	hpc_strv_push(argv, quick ? "20" : "200");
}

static char *init_remedy(const struct hpc_verify *v)
{
	const struct hpc_verify_mpi *m = &v->mpi;
	char *vars, *r;

	if (m->env.n) {
		vars = hpc_strv_join(&m->env, " ");
		r = hpc_xasprintf("check the MPI variables in the environment (%s): unset them or "
				  "correct their values (Open MPI: ompi_info lists the components)",
				  vars);
		free(vars);
		return r;
	}
	if (m->singleton_error)
		return hpc_xasprintf("MPI_Init fails with and without %s: run `%s -c 'from mpi4py "
				     "import MPI'` to see the whole output, then repair or "
				     "reinstall the MPI", m->launcher, v->python);
	return hpc_xasprintf("MPI_Init works without a launcher but not under %s: use the "
			     "launcher of mpi4py's MPI (see mpi.launcher)", m->launcher_path);
}

/* The run ended early: a hang (named by the step it was in), MPI_Init failing on the
 * ranks, or a failure after start-up. */
static void judge_failed_run(struct hpc_verify *v, const struct hpc_verify_proc *p,
			     const struct outcome *oc)
{
	struct hpc_verify_mpi *m = &v->mpi;
	const char *step = oc->hellos ? (oc->begun ? oc->begun : "the first barrier")
				      : "MPI_Init";
	char *remedy;

	m->run_error = hpc_verify_error_line(p->err && *p->err ? p->err : p->out);
	if (p->timed_out) {
		m->hung_step = hpc_xstrdup(step);
		hpc_verify_find(v, "mpi.run", "mpi-hang", HPC_VERIFY_FAIL, false,
				oc->hellos ? "the ranks started but cannot talk: check the "
					     "transport (Open MPI: OMPI_MCA_btl=self,vader,tcp; "
					     "MPICH: FI_PROVIDER) and firewalls between hosts"
					   : "a launcher that does not match the library, or a "
					     "network the MPI cannot use: fix the findings above, "
					     "then try --np 1",
				"%s hung in %s: no progress in %.0f s (%d of %d ranks said hello)",
				m->run_command, step, p->timeout, oc->hellos, v->opts.np);
		return;
	}
	if (!oc->hellos) {
		remedy = init_remedy(v);
		hpc_verify_find(v, "mpi.run", "mpi-init-failed", HPC_VERIFY_FAIL, false, remedy,
				"%s: MPI_Init failed, no rank started (exit %d): %s",
				m->run_command, p->status, *m->run_error ? m->run_error
									: "no output");
		free(remedy);
		return;
	}
	hpc_verify_find(v, "mpi.run", "mpi-run-failed", HPC_VERIFY_FAIL, false,
			"run the command by hand to see all of its output",
			"%s failed in %s (exit %d): %s", m->run_command, step, p->status,
			*m->run_error ? m->run_error : "no output");
}

static void run_summary(struct hpc_verify *v, const struct outcome *oc)
{
	int np = v->opts.np;

	if (oc->done && oc->size == np && (np == 1 || oc->ring_ok))
		hpc_verify_check_set(v, "mpi.run", "mpi", HPC_VERIFY_PASS,
				     "%d of %d ranks, ring ok, ping-pong %.1f us, %.0f MB/s",
				     oc->hellos, np, oc->latency, oc->bandwidth);
	else
		hpc_verify_check_set(v, "mpi.run", "mpi", HPC_VERIFY_PASS, "%d of %d ranks said "
				     "hello%s", oc->hellos, np, v->mpi.all_singletons
				     ? ", each as 'rank 0 of 1'" : "");
}

/* Every rank that started says 'rank 0 of 1' although more were asked for. Some may not
 * have started at all: Open MPI 4's singletons each fork a daemon, and the daemons race to
 * create the session directory (mkdir /tmp/ompi.<host>.<uid>: File exists), so a rank or
 * two of a mismatched launch dies in the singleton component. Two singletons prove the
 * case, as does one with a lost rank that failed as a singleton; one rank of size 1
 * alone is a launcher that started too few ranks. */
static bool singleton_ranks(const struct hpc_verify_proc *p, const struct outcome *oc, int np)
{
	if (np < 2 || !oc->hellos || oc->singletons != oc->hellos)
		return false;
	return oc->hellos >= 2 || (p->err && strstr(p->err, "ess_singleton"));
}

static void judge_singletons(struct hpc_verify *v, const struct hpc_verify_proc *p,
			     const struct outcome *oc)
{
	struct hpc_verify_mpi *m = &v->mpi;
	char *remedy = mismatch_remedy(v), *lost = NULL;

	if (oc->hellos < v->opts.np) {
		m->run_error = hpc_verify_error_line(p->err);
		lost = hpc_xasprintf(" (%d of %d ranks died before saying hello: %s)",
				     v->opts.np - oc->hellos, v->opts.np,
				     *m->run_error ? m->run_error : "no output");
	}
	hpc_verify_find(v, "mpi.run", "mpi-singleton-ranks", HPC_VERIFY_FAIL, false, remedy,
			"every rank says 'rank 0 of 1': %s started %d separate singleton%s%s, so "
			"%s (%s) and the library (%s) do not belong together", m->launcher,
			oc->hellos, oc->hellos == 1 ? "" : "s", lost ? lost : "", m->launcher_path,
			pretty(m->launcher_family), pretty(lib_family(m)));
	free(lost);
	free(remedy);
}

static void judge_run(struct hpc_verify *v, const struct hpc_verify_proc *p,
		      const struct outcome *oc)
{
	struct hpc_verify_mpi *m = &v->mpi;
	int np = v->opts.np;

	m->hellos = oc->hellos;
	m->size_seen = oc->size;
	m->ring_ok = oc->ring_ok;
	m->ring_seconds = oc->ring_s;
	m->latency_us = oc->latency;
	m->bandwidth_mbs = oc->bandwidth;
	m->all_singletons = singleton_ranks(p, oc, np);
	run_summary(v, oc);
	if (m->all_singletons) {
		judge_singletons(v, p, oc);
	} else if (p->timed_out || p->status || !oc->done) {
		judge_failed_run(v, p, oc);
	} else if (oc->hellos != np || oc->size != np) {
		/* a launcher may exit 0 when a rank failed (a plain `wait` does): its
		 * error output is then the only account of the missing ranks */
		m->run_error = hpc_verify_error_line(p->err);
		hpc_verify_find(v, "mpi.run", "mpi-wrong-size", HPC_VERIFY_FAIL, false,
				"check the launcher's options and the hostfile",
				"asked for %d ranks: %d said hello, COMM_WORLD has %d%s%s", np,
				oc->hellos, oc->size, *m->run_error ? ": " : "", m->run_error);
	} else if (np > 1 && !oc->ring_ok) {
		hpc_verify_find(v, "mpi.run", "mpi-ring-failed", HPC_VERIFY_FAIL, false,
				"check the MPI transport settings",
				"the ring test passed the wrong token around %d ranks", np);
	}
}

int hpc_verify_launch_run(struct hpc_verify *v, const struct hpc_events *ev,
			  struct hpc_error **err)
{
	struct hpc_verify_mpi *m = &v->mpi;
	struct hpc_strv argv = HPC_STRV_INIT;
	struct hpc_verify_proc p = { 0 };
	struct outcome oc;
	bool init_failed = false;
	int r;

	if (find_launcher(v, ev) < 0)
		return 0;
	if (m->import_error || !m->resolved.path) {
		hpc_verify_check_set(v, "mpi.run", "mpi", HPC_VERIFY_SKIP,
				     "not run: mpi4py cannot load its MPI library");
		return 0;
	}
	singleton(v, ev);
	hpc_verify_step(ev, "verify:mpirun", "running hello, ring and ping-pong", false);
	build_argv(v, &argv);
	m->run_command = hpc_xasprintf("%s -n %d", m->launcher_path, v->opts.np);
	p = (struct hpc_verify_proc){ .argv = (const char *const *)argv.v, .env_set = launch_env(),
				      .timeout = v->opts.timeout > 0 ? v->opts.timeout : 60,
				      .ev = ev };
	r = hpc_verify_proc_run(&p, err);
	if (!r) {
		m->ran = true;
		m->np = v->opts.np;
		m->run_status = p.status;
		parse_run(p.out, &oc);
		judge_run(v, &p, &oc);
		init_failed = !p.timed_out && !oc.hellos && (p.status || !oc.done);
		free(oc.begun);
	}
	judge_singleton(v, init_failed);
	hpc_verify_proc_fini(&p);
	hpc_strv_fini(&argv);
	hpc_verify_step(ev, "verify:mpirun", "running hello, ring and ping-pong", true);
	return r;
}
