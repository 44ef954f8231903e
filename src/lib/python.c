/* SPDX-License-Identifier: MIT */
/* python.c - noarch: python relocation, pyc names, entry points, compileall */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hpcenv/error.h"
#include "hpcenv/python.h"
#include "hpcenv/relocate.h"
#include "hpcenv/spawn.h"

int hpc_python_init(struct hpc_python *py, const struct hpc_record *rec, struct hpc_error **err)
{
	const char *v = rec->version, *dot = strchr(v, '.');
	int major, minor;

	memset(py, 0, sizeof(*py));
	if (!dot || dot == v || !(minor = (int)strspn(dot + 1, "0123456789")))
		return HPC_FAIL(err, PARSE, "python version '%s' has no major.minor", v);
	major = (int)(dot - v);
	py->version = hpc_xasprintf("%.*s.%.*s", major, v, minor, dot + 1);
	py->site_packages = rec->python_site_packages_path
		? hpc_xstrdup(rec->python_site_packages_path)
		: hpc_xasprintf("lib/python%s/site-packages", py->version);
	py->exe = hpc_xasprintf("bin/python%s", py->version);
	py->cache_tag = hpc_xasprintf("cpython-%.*s%.*s", major, v, minor, dot + 1);
	return 0;
}

void hpc_python_fini(struct hpc_python *py)
{
	free(py->version);
	free(py->site_packages);
	free(py->exe);
	free(py->cache_tag);
	memset(py, 0, sizeof(*py));
}

char *hpc_python_map_path(const struct hpc_python *py, const char *p)
{
	if (hpc_str_startswith(p, "site-packages/"))
		return hpc_path_join(py->site_packages, p + strlen("site-packages/"));
	if (hpc_str_startswith(p, "python-scripts/"))
		return hpc_path_join("bin", p + strlen("python-scripts/"));
	return hpc_xstrdup(p);
}

char *hpc_python_pyc_path(const struct hpc_python *py, const char *p)
{
	const char *slash = strrchr(p, '/'), *base = slash ? slash + 1 : p;
	size_t dirlen = slash ? (size_t)(slash - p + 1) : 0;

	if (!hpc_str_endswith(p, ".py") || strlen(base) <= 3)
		return NULL;
	return hpc_xasprintf("%.*s__pycache__/%.*s.%s.pyc", (int)dirlen, p,
			     (int)(strlen(base) - 3), base, py->cache_tag);
}

char *hpc_python_entry_point(const struct hpc_python *py, const char *prefix,
			     const char *module, const char *func)
{
	char *exe = hpc_path_join(prefix, py->exe), *head, *r, *import = hpc_xstrdup(func);

	*strchrnul(import, '.') = '\0'; /* "a.b" is called as a.b() after "import a" */
	if (strlen(exe) + 3 > HPC_MAX_SHEBANG || strchr(exe, ' '))
		head = hpc_xasprintf("#!/bin/sh\n'''exec' \"%s\" \"$0\" \"$@\" #'''\n", exe);
	else
		head = hpc_xasprintf("#!%s\n", exe);
	r = hpc_xasprintf("%s# -*- coding: utf-8 -*-\nimport re\nimport sys\n\n"
			  "from %s import %s\n\n"
			  "if __name__ == '__main__':\n"
			  "    sys.argv[0] = re.sub(r'(-script\\.pyw?|\\.exe)?$', '', sys.argv[0])\n"
			  "    sys.exit(%s())\n", head, module, import, func);
	free(head);
	free(import);
	free(exe);
	return r;
}

int hpc_python_compile(const struct hpc_python *py, const char *prefix,
		       const struct hpc_strv *files, struct hpc_error **err)
{
	char *exe = hpc_path_join(prefix, py->exe), *list = NULL, *out = NULL;
	char tmpl[] = "/tmp/hpcenv-pyc-XXXXXX";
	const char *argv[] = { exe, "-Wi", "-m", "compileall", "-q", "-l", "-i", "-", NULL };
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	struct hpc_spawn sp = { .argv = argv, .cwd = prefix, .stdin_file = tmpl };
	int fd, st = 0, r;

	if (access(exe, X_OK) < 0) {
		r = HPC_FAIL(err, NOTFOUND, "no python at '%s' to compile .pyc files with", exe);
		free(exe);
		return r;
	}
	for (size_t i = 0; i < files->n; i++)
		hpc_strbuf_addf(&sb, "%s/%s\n", prefix, files->v[i]);
	list = hpc_strbuf_detach(&sb);
	fd = mkstemp(tmpl);
	r = fd < 0 || hpc_file_write_atomic(tmpl, list, strlen(list), 0600, err)
		? HPC_FAIL(err, IO, "cannot write the list of files to compile") : 0;
	if (fd >= 0)
		close(fd);
	r = r ? r : hpc_spawn_run(&sp, &st, &out, err);
	if (!r && st)
		r = HPC_FAIL(err, LINK, "'%s -m compileall' failed (status %d): %s", exe, st,
			     out && *out ? hpc_str_trim(out) : "no output");
	if (fd >= 0)
		unlink(tmpl);
	free(out);
	free(list);
	free(exe);
	return r;
}
