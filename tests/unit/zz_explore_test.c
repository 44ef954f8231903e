#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "tu_repo.h"
#define CF "https://conda.anaconda.org/conda-forge"
#define PT "https://conda.anaconda.org/pytorch"
static void run(const char *specs, const char *glibc, enum hpc_channel_priority prio, int pt)
{
	Pool *pool = tu_pool_new();
	struct hpc_solution *sol = NULL;
	struct hpc_problems *pb = NULL;
	struct hpc_error *e = NULL;
	if (pt) tu_repo_file(pool, "repodata/pytorch-linux-64-2023.json", PT "/linux-64", 2);
	tu_repo_file(pool, "repodata/conda-forge-subset-py39-linux-64-2024.json", CF "/linux-64", 1);
	tu_repo_file(pool, "repodata/conda-forge-subset-py39-noarch-2024.json", CF "/noarch", 1);
	tu_virtual(pool, glibc, NULL);
	int r = tu_solve(pool, specs, prio, getenv("TMO") ? atof(getenv("TMO")) : 0, &sol, &pb, &e);
	printf("=== %s -> %d %s\n", specs, r, e ? e->msg : "");
	if (pb) { char *t = hpc_problems_render_text(pb, 0); printf("%s", t); free(t);
	  if (getenv("JSON")) { json_t *j = hpc_problems_to_json(pb); char *s = json_dumps(j, JSON_INDENT(1)); printf("%s\n", s); free(s); json_decref(j);} }
	hpc_problems_free(pb); hpc_solution_free(sol); hpc_error_free(e);
	tu_pool_free(pool);
}
int main(int argc, char **argv)
{
	run(argv[1], argc > 2 ? argv[2] : "2.36", HPC_PRIORITY_STRICT, argc > 3);
	return 0;
}
