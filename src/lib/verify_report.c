/* SPDX-License-Identifier: MIT */
/* verify_report.c - the verify result for people (text) and for CI (JUnit XML)
 *
 * The text report is one section per topic, a PASS/WARN/FAIL/SKIP mark per check (coloured
 * on a terminal), the benchmark as a table, and the findings last, each with its fix.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpcenv/util.h"
#include "verify_int.h"

struct out {
	struct hpc_strbuf sb;
	bool colour;
};

static const char *mark_colour(enum hpc_verify_status s)
{
	static const char *const c[] = { "\033[32m", "\033[2m", "\033[33m", "\033[1;31m" };

	return (unsigned)s < 4 ? c[s] : "";
}

static void mark(struct out *o, enum hpc_verify_status s)
{
	static const char *const m[] = { "PASS", "SKIP", "WARN", "FAIL" };

	hpc_strbuf_addf(&o->sb, "  %s%s%s  ", o->colour ? mark_colour(s) : "", m[s],
			o->colour ? "\033[0m" : "");
}

static void heading(struct out *o, const char *title)
{
	hpc_strbuf_addf(&o->sb, "\n%s%s%s\n", o->colour ? "\033[1m" : "", title,
			o->colour ? "\033[0m" : "");
}

#define DETAIL "                          "

static void cpu_details(struct out *o, const struct hpc_verify *v, const char *id)
{
	const struct hpc_verify_peak *p = &v->peak;

	if (!strcmp(id, "cpu.topology"))
		hpc_strbuf_addf(&o->sb, DETAIL "%s family %u model %u, %d package%s, %d cores, %d "
				"logical CPUs, L2 %zu KiB, L3 %zu MiB%s\n", p->cpu.vendor,
				p->cpu.family, p->cpu.model, p->packages,
				p->packages == 1 ? "" : "s", p->cores, p->pus, p->l2_bytes >> 10,
				p->l3_bytes >> 20, p->cpu.hypervisor ? ", under a hypervisor" : "");
	if (strcmp(id, "cpu.peak") || !p->measured)
		return;
	hpc_strbuf_addf(&o->sb, DETAIL "clock %.2f GHz (measured); %s: %d FMA unit%s x %d "
			"doubles = %.1f GFLOP/s per core in theory, %.1f FLOP/cycle measured\n",
			p->clock_ghz, p->isa, p->fma_units, p->fma_units == 1 ? "" : "s",
			p->simd_bits / 64, p->dp_theory_core, p->dp_flop_per_cycle);
	hpc_strbuf_addf(&o->sb, DETAIL "single precision %.1f GFLOP/s per core, %.1f on %d "
			"cores; triad %.1f GB/s on one core, %.1f on all (%zu MiB%s)\n",
			p->sp_core, p->sp_all, p->cores, p->triad_one, p->triad_all,
			p->triad_bytes >> 20,
			p->l3_bytes && p->triad_bytes < p->l3_bytes ? ", fits in L3" : "");
}

static void blas_details(struct out *o, const struct hpc_verify_blas *b, const char *id)
{
	if (!strcmp(id, "blas.numpy") && b->simd_found.n) {
		char *base = hpc_strv_join(&b->simd_baseline, " ");
		char *found = hpc_strv_join(&b->simd_found, " ");

		hpc_strbuf_addf(&o->sb, DETAIL "SIMD: baseline %s; dispatched on this CPU: %s\n",
				base, found);
		free(base);
		free(found);
	}
	if (!strcmp(id, "blas.library")) {
		if (b->gemm_path)
			hpc_strbuf_addf(&o->sb, DETAIL "numpy's %s binds to %s\n", b->gemm_symbol,
					b->gemm_path);
		for (size_t i = 0; i < b->nlibs; i++) {
			const struct hpc_verify_lib *l = &b->libs[i];

			hpc_strbuf_addf(&o->sb, DETAIL "mapped: %s (%s %s%s%s)\n", l->path,
					l->vendor, l->role, l->provider ? ", frontend of " : "",
					l->provider ? l->provider : "");
		}
	}
	if (!strcmp(id, "blas.coretype") && b->core_in_use)
		hpc_strbuf_addf(&o->sb, DETAIL "in use %s; with OPENBLAS_CORETYPE unset %s; best "
				"for this CPU %s\n", b->core_in_use,
				b->core_autodetect ? b->core_autodetect : "?",
				b->core_best ? b->core_best : "?");
}

static void mpi_details(struct out *o, const struct hpc_verify_mpi *m, const char *id)
{
	if (!strcmp(id, "mpi.linkage") && m->ext_path) {
		char *needed = hpc_strv_join(&m->needed, " ");

		hpc_strbuf_addf(&o->sb, DETAIL "%s needs %s%s%s%s%s (built for %s)\n", m->ext_path,
				needed, m->rpath ? "; RPATH " : "", m->rpath ? m->rpath : "",
				m->runpath ? "; RUNPATH " : "", m->runpath ? m->runpath : "",
				m->built_family ? m->built_family : "?");
		free(needed);
		if (m->loaded_path)
			hpc_strbuf_addf(&o->sb, DETAIL "python loaded %s\n", m->loaded_path);
	}
	if (!strcmp(id, "mpi.library") && m->mpi4py_lib_version)
		hpc_strbuf_addf(&o->sb, DETAIL "python -m mpi4py --mpi-lib-version: %s\n",
				m->mpi4py_lib_version);
	if (!strcmp(id, "mpi.run") && m->run_command)
		hpc_strbuf_addf(&o->sb, DETAIL "%s python -c <hello, ring, ping-pong>\n",
				m->run_command);
}

static void checks_of(struct out *o, const struct hpc_verify *v, const char *section)
{
	for (size_t i = 0; i < v->nchecks; i++) {
		const struct hpc_verify_check *c = &v->checks[i];

		if (strcmp(c->section, section))
			continue;
		mark(o, c->status);
		hpc_strbuf_addf(&o->sb, "%-18s %s\n", c->id, c->summary ? c->summary : "");
		cpu_details(o, v, c->id);
		if (!v->blas.error)
			blas_details(o, &v->blas, c->id);
		mpi_details(o, &v->mpi, c->id);
	}
}

static void bench_section(struct out *o, const struct hpc_verify *v)
{
	heading(o, "Benchmark");
	if (v->blas.gemm_path)
		hpc_strbuf_addf(&o->sb, "  %s, from C\n", v->blas.gemm_path);
	if (v->nbench)
		hpc_strbuf_addf(&o->sb, "  %-6s %6s %4s %-12s %9s %8s %7s %7s %9s\n", "op", "n",
				"thr", "core", "GFLOP/s", "GB/s", "% ref", "spread", "residual");
	for (size_t i = 0; i < v->nbench; i++) {
		const struct hpc_verify_bench *b = &v->bench[i];

		if (b->skipped) {
			hpc_strbuf_addf(&o->sb, "  %-6s %6d %4d skipped: %s\n", b->op, b->n,
					b->threads, b->skipped);
			continue;
		}
		char gbs[24] = "-";

		if (b->gbs > 0)
			snprintf(gbs, sizeof(gbs), "%.2f", b->gbs);
		hpc_strbuf_addf(&o->sb, "  %-6s %6d %4d %-12s %9.2f %8s %6.0f%% %6.1f%% %9.2g%s\n",
				b->op, b->n, b->threads, b->core ? b->core : "-", b->gflops, gbs,
				b->pct, b->median > 0 ? 100 * (b->max - b->min) / b->median : 0.0,
				b->residual, b->ok ? "" : "  WRONG");
	}
	if (v->nbench)
		hpc_strbuf_adds(&o->sb, "  % ref: of the measured FMA peak (gemm), of the triad "
				"bandwidth (gemv, dot); residual <= 1 is correct\n");
	if (v->cost.measured)
		hpc_strbuf_addf(&o->sb, "  core type cost: DGEMM n=%d on %d threads %.1f GFLOP/s "
				"with %s, %.1f with %s\n", v->cost.n, v->cost.threads,
				v->cost.gflops_in_use, v->cost.core_in_use, v->cost.gflops_best,
				v->cost.core_best ? v->cost.core_best : "?");
	checks_of(o, v, "bench");
}

static void numpy_section(struct out *o, const struct hpc_verify *v)
{
	heading(o, "NumPy (ReFrame np_ops)");
	if (v->nnpops)
		hpc_strbuf_addf(&o->sb, "  %-9s %-10s %10s %10s %10s %7s %9s\n", "op", "shape",
				"median s", "min s", "max s", "spread", "residual");
	for (size_t i = 0; i < v->nnpops; i++) {
		const struct hpc_verify_npop *p = &v->npops[i];

		hpc_strbuf_addf(&o->sb, "  %-9s %-10s %10.4g %10.4g %10.4g %6.1f%% %9.2g%s\n",
				p->name, p->shape, p->median, p->min, p->max,
				p->median > 0 ? 100 * (p->max - p->min) / p->median : 0.0,
				p->residual, p->ok ? "" : "  WRONG");
	}
	checks_of(o, v, "numpy");
}

static void findings_section(struct out *o, const struct hpc_verify *v)
{
	if (!v->nfindings)
		return;
	heading(o, "Findings");
	for (size_t i = 0; i < v->nfindings; i++) {
		const struct hpc_verify_finding *f = &v->findings[i];

		mark(o, f->status);
		hpc_strbuf_addf(&o->sb, "%s: %s\n        fix: %s\n", f->id, f->message, f->remedy);
	}
}

static void result_line(struct out *o, const struct hpc_verify *v)
{
	static const char *const words[] = { "PASS", "PASS", "WARN", "FAIL" };
	size_t warn = 0, fail = 0;

	for (size_t i = 0; i < v->nchecks; i++) {
		warn += v->checks[i].status == HPC_VERIFY_WARN;
		fail += v->checks[i].status == HPC_VERIFY_FAIL;
	}
	hpc_strbuf_addf(&o->sb, "\nResult: %s%s%s, %zu check%s: %zu failed, %zu with warnings "
			"(%.1f s)\n", o->colour ? mark_colour(v->status) : "", words[v->status],
			o->colour ? "\033[0m" : "", v->nchecks, v->nchecks == 1 ? "" : "s", fail,
			warn, v->seconds);
}

static const char *mode_name(enum hpc_verify_mode m)
{
	return m == HPC_VERIFY_QUICK ? "quick" : m == HPC_VERIFY_FULL ? "full" : "normal";
}

char *hpc_verify_report_text(const struct hpc_verify *v, bool colour)
{
	struct out o = { HPC_STRBUF_INIT, colour };

	hpc_strbuf_addf(&o.sb, "hpcenv verify: %s%s%s (%s)\n", v->python,
			v->prefix ? " in " : "", v->prefix ? v->prefix : "",
			mode_name(v->opts.mode));
	heading(&o, "CPU");
	checks_of(&o, v, "cpu");
	if (v->opts.blas) {
		heading(&o, "BLAS");
		checks_of(&o, v, "blas");
		if (v->nbench || hpc_verify_check_get(v, "bench.dgemm"))
			bench_section(&o, v);
		if (v->nnpops || hpc_verify_check_get(v, "numpy.ops"))
			numpy_section(&o, v);
	}
	if (v->opts.mpi) {
		heading(&o, "MPI");
		checks_of(&o, v, "mpi");
	}
	if (v->nrefres) {
		heading(&o, "References");
		hpc_strbuf_addf(&o.sb, "  %s, section %s\n", v->opts.refs->path, v->opts.refs->key);
		checks_of(&o, v, "reference");
	}
	findings_section(&o, v);
	result_line(&o, v);
	return hpc_strbuf_detach(&o.sb);
}

/* ---- JUnit ---- */

static void xml_text(struct hpc_strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			hpc_strbuf_adds(sb, "&amp;");
		else if (c == '<')
			hpc_strbuf_adds(sb, "&lt;");
		else if (c == '>')
			hpc_strbuf_adds(sb, "&gt;");
		else if (c == '"')
			hpc_strbuf_adds(sb, "&quot;");
		else if (c == '\'')
			hpc_strbuf_adds(sb, "&apos;");
		else if (c < 0x20 && c != '\n' && c != '\t')
			hpc_strbuf_addc(sb, ' '); /* not allowed in XML 1.0 */
		else
			hpc_strbuf_addc(sb, (char)c);
	}
}

static void junit_case(struct hpc_strbuf *sb, const struct hpc_verify *v,
		       const struct hpc_verify_check *c)
{
	hpc_strbuf_adds(sb, "    <testcase classname=\"hpcenv.verify.");
	xml_text(sb, c->section);
	hpc_strbuf_adds(sb, "\" name=\"");
	xml_text(sb, c->id);
	hpc_strbuf_adds(sb, "\" time=\"0\">\n");
	if (c->status == HPC_VERIFY_SKIP) {
		hpc_strbuf_adds(sb, "      <skipped message=\"");
		xml_text(sb, c->summary);
		hpc_strbuf_adds(sb, "\"/>\n");
	}
	for (size_t i = 0; i < v->nfindings; i++) {
		const struct hpc_verify_finding *f = &v->findings[i];

		if (strcmp(f->check, c->id) || f->status != HPC_VERIFY_FAIL)
			continue;
		hpc_strbuf_adds(sb, "      <failure type=\"");
		xml_text(sb, f->id);
		hpc_strbuf_adds(sb, "\" message=\"");
		xml_text(sb, f->message);
		hpc_strbuf_adds(sb, "\">fix: ");
		xml_text(sb, f->remedy);
		hpc_strbuf_adds(sb, "</failure>\n");
	}
	hpc_strbuf_adds(sb, "      <system-out>");
	xml_text(sb, c->summary);
	for (size_t i = 0; i < v->nfindings; i++) {
		const struct hpc_verify_finding *f = &v->findings[i];

		if (strcmp(f->check, c->id) || f->status != HPC_VERIFY_WARN)
			continue;
		hpc_strbuf_adds(sb, "\nwarning ");
		xml_text(sb, f->id);
		hpc_strbuf_adds(sb, ": ");
		xml_text(sb, f->message);
		hpc_strbuf_adds(sb, "\nfix: ");
		xml_text(sb, f->remedy);
	}
	hpc_strbuf_adds(sb, "</system-out>\n    </testcase>\n");
}

static void count(const struct hpc_verify *v, const char *section, size_t *tests, size_t *fail,
		  size_t *skip)
{
	*tests = *fail = *skip = 0;
	for (size_t i = 0; i < v->nchecks; i++) {
		if (section && strcmp(v->checks[i].section, section))
			continue;
		(*tests)++;
		*fail += v->checks[i].status == HPC_VERIFY_FAIL;
		*skip += v->checks[i].status == HPC_VERIFY_SKIP;
	}
}

char *hpc_verify_report_junit(const struct hpc_verify *v)
{
	static const char *const sections[] = { "cpu", "blas", "bench", "numpy", "mpi",
						"reference", NULL };
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	size_t tests, fail, skip;

	count(v, NULL, &tests, &fail, &skip);
	hpc_strbuf_addf(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<testsuites name=\"hpcenv verify\" tests=\"%zu\" failures=\"%zu\" "
			"skipped=\"%zu\" time=\"%.3f\">\n", tests, fail, skip, v->seconds);
	for (const char *const *s = sections; *s; s++) {
		count(v, *s, &tests, &fail, &skip);
		if (!tests)
			continue;
		hpc_strbuf_addf(&sb, "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" "
				"errors=\"0\" skipped=\"%zu\" time=\"0\"%s%s%s>\n", *s, tests, fail,
				skip, v->started ? " timestamp=\"" : "",
				v->started ? v->started : "", v->started ? "\"" : "");
		for (size_t i = 0; i < v->nchecks; i++)
			if (!strcmp(v->checks[i].section, *s))
				junit_case(&sb, v, &v->checks[i]);
		hpc_strbuf_adds(&sb, "  </testsuite>\n");
	}
	hpc_strbuf_adds(&sb, "</testsuites>\n");
	return hpc_strbuf_detach(&sb);
}
