/* SPDX-License-Identifier: MIT */
/* verify_plot.c - SVG of GEMM GFLOP/s against matrix size, per thread count, with peaks
 *
 * Readable without a legend hunt: every line is labelled at its right end ("DGEMM 2 thr"),
 * every peak line names itself ("DP peak, 2 cores"), and the sizes are a log2 axis.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpcenv/util.h"
#include "verify_int.h"

#define W 860
#define H 520
#define LEFT 70
#define RIGHT 190 /* room for the labels at the lines' ends */
#define TOP 60
#define BOTTOM 60

static const char *const palette[] = { "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
				       "#8c564b", "#e377c2", "#17becf" };

struct frame {
	double xmin, xmax, ymax; /* x in log2(n) */
};

static double px(const struct frame *f, int n)
{
	double span = f->xmax > f->xmin ? f->xmax - f->xmin : 1;

	return LEFT + (log2(n) - f->xmin) / span * (W - LEFT - RIGHT);
}

static double py(const struct frame *f, double g)
{
	return H - BOTTOM - g / f->ymax * (H - TOP - BOTTOM);
}

static void text(struct hpc_strbuf *sb, double x, double y, const char *anchor,
		 const char *colour, const char *s)
{
	hpc_strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">", x, y,
			anchor, colour);
	for (; *s; s++)
		if (*s == '<')
			hpc_strbuf_adds(sb, "&lt;");
		else if (*s == '&')
			hpc_strbuf_adds(sb, "&amp;");
		else if (*s == '>')
			hpc_strbuf_adds(sb, "&gt;");
		else
			hpc_strbuf_addc(sb, *s);
	hpc_strbuf_adds(sb, "</text>\n");
}

static bool is_gemm(const struct hpc_verify_bench *b)
{
	return !b->skipped && strstr(b->op, "gemm") && b->gflops > 0;
}

static void bounds(const struct hpc_verify *v, struct frame *f)
{
	*f = (struct frame){ 30, 0, 1 };
	for (size_t i = 0; i < v->nbench; i++) {
		const struct hpc_verify_bench *b = &v->bench[i];

		if (!is_gemm(b))
			continue;
		f->xmin = fmin(f->xmin, log2(b->n));
		f->xmax = fmax(f->xmax, log2(b->n));
		f->ymax = fmax(f->ymax, b->gflops);
	}
	if (f->xmax < f->xmin)
		*f = (struct frame){ 8, 12, 1 };
	f->ymax = fmax(f->ymax, hpc_verify_peak_dp(&v->peak, v->peak.cores));
	f->ymax = fmax(f->ymax, v->cost.gflops_best);
	f->ymax *= 1.1;
}

static double nice_step(double ymax)
{
	double raw = ymax / 6, mag = pow(10, floor(log10(raw))), r = raw / mag;

	return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
}

static void axes(struct hpc_strbuf *sb, const struct hpc_verify *v, const struct frame *f)
{
	double step = nice_step(f->ymax);
	char buf[64];

	hpc_strbuf_addf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
			LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM);
	hpc_strbuf_addf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
			LEFT, TOP, LEFT, H - BOTTOM);
	for (double y = 0; y <= f->ymax; y += step) {
		hpc_strbuf_addf(sb, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
				"stroke=\"#eee\"/>\n", LEFT, py(f, y), W - RIGHT, py(f, y));
		snprintf(buf, sizeof(buf), "%g", y);
		text(sb, LEFT - 6, py(f, y) + 4, "end", "#333", buf);
	}
	for (int e = (int)f->xmin; e <= (int)f->xmax; e++) {
		snprintf(buf, sizeof(buf), "%d", 1 << e);
		text(sb, px(f, 1 << e), H - BOTTOM + 18, "middle", "#333", buf);
	}
	text(sb, (LEFT + W - RIGHT) / 2.0, H - 15, "middle", "#333", "matrix size n (n x n)");
	hpc_strbuf_addf(sb, "<text x=\"18\" y=\"%d\" transform=\"rotate(-90 18 %d)\" "
			"text-anchor=\"middle\" fill=\"#333\">GFLOP/s</text>\n", H / 2, H / 2);
	(void)v;
}

static void peaks(struct hpc_strbuf *sb, const struct hpc_verify *v, const struct frame *f,
		  const int *threads, int nthreads)
{
	char buf[96];

	for (int t = 0; t < nthreads; t++) {
		double g = hpc_verify_peak_dp(&v->peak, threads[t]);

		if (g <= 0)
			continue;
		hpc_strbuf_addf(sb, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
				"stroke=\"%s\" stroke-dasharray=\"6 4\"/>\n", LEFT, py(f, g),
				W - RIGHT, py(f, g), palette[t % 8]);
		snprintf(buf, sizeof(buf), "DP peak, %d core%s: %.0f", threads[t],
			 threads[t] == 1 ? "" : "s", g);
		text(sb, W - RIGHT + 6, py(f, g) + 4, "start", palette[t % 8], buf);
	}
}

/* One polyline per (op, threads), labelled at its last point; nothing when not measured. */
static void series(struct hpc_strbuf *sb, const struct hpc_verify *v, const struct frame *f,
		   const char *op, int threads, const char *colour, bool dashed)
{
	struct hpc_strbuf pts = HPC_STRBUF_INIT;
	char buf[64], upper[8];
	double lx = 0, ly = 0;

	for (size_t i = 0; i < v->nbench; i++) {
		const struct hpc_verify_bench *b = &v->bench[i];

		if (!is_gemm(b) || strcmp(b->op, op) || b->threads != threads)
			continue;
		lx = px(f, b->n);
		ly = py(f, b->gflops);
		hpc_strbuf_addf(&pts, "%s%.1f,%.1f", pts.len ? " " : "", lx, ly);
	}
	if (pts.len) {
		hpc_strbuf_addf(sb, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s "
				"points=\"%s\"/>\n", colour,
				dashed ? " stroke-dasharray=\"2 3\"" : "", hpc_strbuf_str(&pts));
		snprintf(upper, sizeof(upper), "%s", op);
		for (char *c = upper; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		snprintf(buf, sizeof(buf), "%s %d thr", upper, threads);
		hpc_strbuf_addf(sb, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", lx,
				ly, colour);
		text(sb, lx + 8, ly + (dashed ? 14 : -6), "start", colour, buf);
	}
	hpc_strbuf_release(&pts);
}

static int thread_list(const struct hpc_verify *v, int *threads)
{
	int n = 0;

	for (size_t i = 0; i < v->nbench && n < 16; i++) {
		bool seen = false;

		for (int k = 0; k < n; k++)
			seen |= threads[k] == v->bench[i].threads;
		if (!seen && is_gemm(&v->bench[i]))
			threads[n++] = v->bench[i].threads;
	}
	return n;
}

char *hpc_verify_report_svg(const struct hpc_verify *v)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	const struct hpc_verify_lib *lib = hpc_verify_blas_primary(&v->blas);
	int threads[16], nthreads = thread_list(v, threads);
	struct frame f;
	char title[256];

	bounds(v, &f);
	hpc_strbuf_addf(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
			"xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
			"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
			W, H, W, H);
	hpc_strbuf_adds(&sb, "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
	snprintf(title, sizeof(title), "%s %s%s%s: GEMM GFLOP/s by size and threads",
		 lib ? lib->vendor : "BLAS", lib && lib->version ? lib->version : "",
		 v->blas.core_in_use ? ", " : "", v->blas.core_in_use ? v->blas.core_in_use : "");
	text(&sb, W / 2.0, 24, "middle", "#000", title);
	snprintf(title, sizeof(title), "%s, %d cores; dashed lines: measured FMA peak",
		 v->peak.cpu.brand, v->peak.cores);
	text(&sb, W / 2.0, 42, "middle", "#555", title);
	axes(&sb, v, &f);
	peaks(&sb, v, &f, threads, nthreads);
	for (int t = 0; t < nthreads; t++) {
		series(&sb, v, &f, "dgemm", threads[t], palette[t % 8], false);
		series(&sb, v, &f, "sgemm", threads[t], palette[t % 8], true);
	}
	if (v->cost.measured) {
		double x = px(&f, v->cost.n), y = py(&f, v->cost.gflops_best);

		snprintf(title, sizeof(title), "DGEMM with %s kernels",
			 v->cost.core_best ? v->cost.core_best : "the best");
		hpc_strbuf_addf(&sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" "
				"fill=\"#000\"/>\n", x - 4, y - 4);
		text(&sb, x - 8, y - 8, "end", "#000", title);
	}
	hpc_strbuf_adds(&sb, "</svg>\n");
	return hpc_strbuf_detach(&sb);
}
