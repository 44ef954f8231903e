/* SPDX-License-Identifier: MIT */
/* verify_elf.c - what a shared object needs and provides (libelf), and where ld.so finds it
 *
 * verify reads ELF to say why a process ends up with a given libmpi or BLAS without loading
 * anything: DT_NEEDED, DT_RPATH/DT_RUNPATH, DT_SONAME and the dynamic symbol table. The
 * search order follows ld.so(8): RPATH (object, then executable; only without RUNPATH),
 * LD_LIBRARY_PATH, RUNPATH, /etc/ld.so.cache, the default directories.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hpcenv/cpu.h"
#include "hpcenv/util.h"
#include "verify_int.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_strv(struct hpc_strv *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
}

static bool sorted_has(const struct hpc_strv *sv, const char *s)
{
	return sv->n && bsearch(&s, sv->v, sv->n, sizeof(*sv->v), cmp_str) != NULL;
}

bool hpc_verify_strv_has_prefix(const struct hpc_strv *sorted, const char *prefix)
{
	size_t lo = 0, hi = sorted->n, len = strlen(prefix);

	/* first entry >= prefix; it starts with prefix if any does */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(sorted->v[mid], prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sorted->n && !strncmp(sorted->v[lo], prefix, len);
}

bool hpc_verify_elf_defines(const struct hpc_verify_elf *e, const char *sym)
{
	return sorted_has(&e->defined, sym);
}

bool hpc_verify_elf_needs(const struct hpc_verify_elf *e, const char *sym)
{
	return sorted_has(&e->undefined, sym);
}

/* The string a dynamic entry names, for the tags verify needs. */
static char **dyn_slot(struct hpc_verify_elf *e, GElf_Sxword tag, bool *list)
{
	*list = false;
	switch (tag) {
	case DT_NEEDED:
		*list = true;
		return NULL;
	case DT_SONAME:
		return &e->soname;
	case DT_RPATH:
		return &e->rpath;
	case DT_RUNPATH:
		return &e->runpath;
	default:
		return NULL;
	}
}

static void read_dynamic(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct hpc_verify_elf *e)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	for (size_t i = 0; data && i < n; i++) {
		GElf_Dyn dyn;
		const char *s;
		char **slot;
		bool list;

		if (!gelf_getdyn(data, (int)i, &dyn))
			continue;
		slot = dyn_slot(e, dyn.d_tag, &list);
		if (!slot && !list)
			continue;
		s = elf_strptr(elf, sh->sh_link, dyn.d_un.d_val);
		if (s && list)
			hpc_strv_push(&e->needed, s);
		else if (s && !*slot)
			*slot = hpc_xstrdup(s);
	}
}

static void read_dynsym(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct hpc_verify_elf *e)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	for (size_t i = 1; data && i < n; i++) {
		GElf_Sym sym;
		const char *name;
		int type, bind;

		if (!gelf_getsym(data, (int)i, &sym))
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		type = GELF_ST_TYPE(sym.st_info);
		bind = GELF_ST_BIND(sym.st_info);
		if (!name || !*name || type == STT_SECTION || type == STT_FILE)
			continue;
		if (sym.st_shndx == SHN_UNDEF)
			hpc_strv_push(&e->undefined, name);
		else if (bind == STB_GLOBAL || bind == STB_WEAK || bind == STB_GNU_UNIQUE)
			hpc_strv_push(&e->defined, name);
	}
}

int hpc_verify_elf_read(const char *path, struct hpc_verify_elf *e, struct hpc_error **err)
{
	GElf_Ehdr eh;
	Elf_Scn *scn = NULL;
	Elf *elf;
	int fd;

	memset(e, 0, sizeof(*e));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return HPC_FAIL(err, BUG, "libelf is too old: %s", elf_errmsg(-1));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return HPC_FAIL(err, IO, "cannot open '%s': %s", path, strerror(errno));
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		if (elf)
			elf_end(elf);
		close(fd);
		return HPC_FAIL(err, PARSE, "'%s' is not an ELF file", path);
	}
	e->path = hpc_xstrdup(path);
	e->elfclass = gelf_getclass(elf);
	e->machine = eh.e_machine;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_DYNAMIC)
			read_dynamic(elf, scn, &sh, e);
		else if (sh.sh_type == SHT_DYNSYM)
			read_dynsym(elf, scn, &sh, e);
	}
	elf_end(elf);
	close(fd);
	sort_strv(&e->defined);
	sort_strv(&e->undefined);
	return 0;
}

void hpc_verify_elf_fini(struct hpc_verify_elf *e)
{
	if (!e)
		return;
	free(e->path);
	free(e->soname);
	free(e->rpath);
	free(e->runpath);
	hpc_strv_fini(&e->needed);
	hpc_strv_fini(&e->defined);
	hpc_strv_fini(&e->undefined);
	memset(e, 0, sizeof(*e));
}

/* ---- the loader's search ---- */

static char *dirname_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return hpc_xstrdup(".");
	return slash == path ? hpc_xstrdup("/") : hpc_xstrndup(path, (size_t)(slash - path));
}

/* $ORIGIN / ${ORIGIN}, $LIB and $PLATFORM as ld.so expands them on Debian x86-64. */
static char *expand_tokens(const char *dir, const char *origin)
{
	static const struct {
		const char *tok;
		const char *val;
	} subst[] = { { "${ORIGIN}", NULL }, { "$ORIGIN", NULL },
		      { "${LIB}", "lib/x86_64-linux-gnu" }, { "$LIB", "lib/x86_64-linux-gnu" },
		      { "${PLATFORM}", "x86_64" }, { "$PLATFORM", "x86_64" } };
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	while (*dir) {
		size_t k, n = sizeof(subst) / sizeof(subst[0]);

		for (k = 0; k < n; k++)
			if (!strncmp(dir, subst[k].tok, strlen(subst[k].tok)))
				break;
		if (k == n) {
			hpc_strbuf_addc(&sb, *dir++);
			continue;
		}
		hpc_strbuf_adds(&sb, subst[k].val ? subst[k].val : origin);
		dir += strlen(subst[k].tok);
	}
	return hpc_strbuf_detach(&sb);
}

static bool same_abi(const char *path, const struct hpc_verify_elf *obj, bool *wrong)
{
	struct hpc_verify_elf e;

	*wrong = false;
	if (hpc_verify_elf_read(path, &e, NULL))
		return false;
	*wrong = obj && (e.elfclass != obj->elfclass || e.machine != obj->machine);
	hpc_verify_elf_fini(&e);
	return !*wrong;
}

struct search {
	const struct hpc_verify_elf *obj;
	const char *soname;
	struct hpc_verify_ldso *out;
	int level; /* x86-64 level for glibc-hwcaps */
};

/* Try one directory (its glibc-hwcaps subdirectories first); true when found. */
static bool try_dir(struct search *s, const char *dir, const char *why)
{
	char sub[64];

	for (int lv = s->level; lv >= 1; lv--) {
		char *p;
		bool wrong;

		if (lv >= 2)
			snprintf(sub, sizeof(sub), "glibc-hwcaps/x86-64-v%d/", lv);
		else
			sub[0] = '\0';
		p = hpc_xasprintf("%s/%s%s", dir, sub, s->soname);
		if (access(p, R_OK) == 0 && same_abi(p, s->obj, &wrong)) {
			s->out->path = p;
			s->out->why = hpc_xstrdup(why);
			s->out->dir = hpc_xstrdup(dir);
			hpc_strv_pushf(&s->out->tried, "%s (found)", why);
			return true;
		}
		if (lv == 1 && access(p, F_OK) == 0)
			hpc_strv_pushf(&s->out->tried, "%s (wrong ELF class or machine)", why);
		else if (lv == 1)
			hpc_strv_push(&s->out->tried, why);
		free(p);
	}
	return false;
}

static bool try_list(struct search *s, const char *list, const char *origin, const char *kind)
{
	struct hpc_strv dirs = HPC_STRV_INIT;
	bool found = false;

	if (!list || !*list)
		return false;
	hpc_strv_split(&dirs, list, ":;");
	for (size_t i = 0; i < dirs.n && !found; i++) {
		char *dir = origin ? expand_tokens(dirs.v[i], origin) : hpc_xstrdup(dirs.v[i]);
		char *why = hpc_xasprintf("%s %s", kind, dirs.v[i]);

		found = try_dir(s, dir, why);
		free(why);
		free(dir);
	}
	hpc_strv_fini(&dirs);
	return found;
}

/* /etc/ld.so.cache through `ldconfig -p`, the tool that owns its format. */
static bool try_cache(struct search *s)
{
	static const char *const tools[] = { "/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig" };
	const char *argv[] = { NULL, "-p", NULL };
	struct hpc_verify_proc p = { .argv = argv, .timeout = 10 };
	char *needle = hpc_xasprintf("\t%s (", s->soname), *line;
	bool found = false;
	int st = -1;

	for (size_t i = 0; i < 3 && st != 0; i++) {
		hpc_verify_proc_fini(&p);
		argv[0] = tools[i];
		if (access(tools[i], X_OK) != 0 && strchr(tools[i], '/'))
			continue;
		st = hpc_verify_proc_run(&p, NULL) ? -1 : p.status;
	}
	for (line = p.out ? strstr(p.out, needle) : NULL; line && !found;
	     line = strstr(line + 1, needle)) {
		char *arrow = strstr(line, " => "), *eol = strchr(line + 1, '\n'), *path;
		bool wrong;

		if (!arrow || (eol && arrow > eol))
			continue;
		path = eol ? hpc_xstrndup(arrow + 4, (size_t)(eol - arrow - 4))
			   : hpc_xstrdup(arrow + 4);
		if (same_abi(path, s->obj, &wrong)) {
			s->out->path = path;
			s->out->why = hpc_xstrdup("ld.so.cache");
			s->out->dir = dirname_of(path);
			hpc_strv_push(&s->out->tried, "ld.so.cache (found)");
			found = true;
		} else {
			free(path);
		}
	}
	if (!found)
		hpc_strv_push(&s->out->tried, "ld.so.cache");
	free(needle);
	hpc_verify_proc_fini(&p);
	return found;
}

int hpc_verify_ldso_find(const struct hpc_verify_elf *obj, const char *soname,
			 const char *ld_library_path, const struct hpc_verify_elf *exe,
			 struct hpc_verify_ldso *out, struct hpc_error **err)
{
	static const char *const defaults = "/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:"
					    "/lib64:/usr/lib64:/lib:/usr/lib";
	struct hpc_cpu cpu;
	char *origin = dirname_of(obj->path), *exe_origin = exe ? dirname_of(exe->path) : NULL;
	struct search s = { obj, soname, out, 1 };
	bool found = false;

	memset(out, 0, sizeof(*out));
	hpc_cpu_detect(&cpu);
	s.level = cpu.x86_level > 0 ? cpu.x86_level : 1;
	if (strchr(soname, '/')) {
		found = access(soname, R_OK) == 0;
		if (found) {
			out->path = hpc_xstrdup(soname);
			out->why = hpc_xstrdup("a path in DT_NEEDED");
			out->dir = dirname_of(soname);
		}
	}
	if (!found && !obj->runpath)
		found = try_list(&s, obj->rpath, origin, "RPATH") ||
			(exe && try_list(&s, exe->rpath, exe_origin, "executable's RPATH"));
	if (!found)
		found = try_list(&s, ld_library_path, NULL, "LD_LIBRARY_PATH");
	if (!found)
		found = try_list(&s, obj->runpath, origin, "RUNPATH");
	if (!found)
		found = try_cache(&s);
	if (!found)
		found = try_list(&s, defaults, NULL, "default");
	free(origin);
	free(exe_origin);
	(void)err;
	return 0;
}

void hpc_verify_ldso_fini(struct hpc_verify_ldso *l)
{
	if (!l)
		return;
	free(l->path);
	free(l->why);
	free(l->dir);
	hpc_strv_fini(&l->tried);
	memset(l, 0, sizeof(*l));
}
