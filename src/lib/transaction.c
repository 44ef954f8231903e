/* SPDX-License-Identifier: MIT */
/* transaction.c - plan, apply and roll back changes to an environment (see transaction.h) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hpcenv/error.h"
#include "hpcenv/journal.h"
#include "hpcenv/link.h"
#include "hpcenv/lock.h"
#include "hpcenv/python.h"
#include "hpcenv/script.h"
#include "hpcenv/transaction.h"
#include "hpcenv/workers.h"
#include "strmap.h"

struct txn_link {
	struct hpc_cache_item item;
	char *requested_spec;
	struct hpc_link_pkg lp;
	bool planned;
	struct hpc_linker *linker; /* for the job */
	int rc;
	struct hpc_error *err;
};

struct hpc_txn {
	struct hpc_txn_options opt;
	char *prefix, *root_prefix, *cmd;
	bool made_prefix;  /* the directory did not exist */
	bool made_meta;    /* conda-meta did not exist: a new environment */
	struct hpc_lock *lock;
	struct hpc_condameta installed;
	const struct hpc_prefix_record **unlink;
	size_t nunlink;
	struct txn_link *link;
	size_t nlink, alink;
	struct hpc_strv update_specs, remove_specs;
	struct hpc_python python;
	bool have_python;
	bool prepared, committed;
	struct hpc_strv rm_paths;   /* files the unlink step moves away */
	struct hpc_strv new_dirs;   /* directories the link step creates, parents first */
	struct hpc_strv rm_dirs;    /* directories that may be empty after unlinking */
};

/* A prefix whose creation was rolled back goes away again, lock file included. */
static void remove_new_prefix(const char *prefix, bool made_dir)
{
	char *meta = hpc_path_join(prefix, "conda-meta");
	char *lockf = hpc_lock_path_for(meta);

	unlink(lockf);
	rmdir(meta);
	if (made_dir)
		rmdir(prefix);
	free(lockf);
	free(meta);
}

static int lock_prefix(const char *prefix, double timeout, const struct hpc_events *ev,
		       struct hpc_lock **out, struct hpc_error **err)
{
	char *meta = hpc_path_join(prefix, "conda-meta");
	struct hpc_lock_options o = { .timeout = timeout, .fallback = true };
	int r = hpc_lock_acquire(meta, &o, ev, out, err);

	free(meta);
	return r;
}

static int recover_locked(const char *prefix, const struct hpc_events *ev,
			  struct hpc_error **err)
{
	int what = 0, r;
	bool was_new = false;

	r = hpc_journal_recover(prefix, ev, &what, &was_new, err);
	if (r)
		return hpc_error_wrap(err, r, "while recovering an interrupted transaction in '%s'",
				      prefix);
	if (what == 1)
		hpc_warn(ev, "'%s': an interrupted transaction was rolled back", prefix);
	else if (what == 2)
		hpc_info(ev, "'%s': an interrupted transaction had completed; cleaned up", prefix);
	if (was_new && what != 2) /* also when killed before its first step */
		remove_new_prefix(prefix, false);
	return 0;
}

/* Only these names in dir (NULL-terminated list)? */
static bool holds_only(const char *dir, const char *const *names)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool only = d != NULL;

	while (only && (e = readdir(d))) {
		bool known = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");

		for (const char *const *n = names; !known && *n; n++)
			known = !strcmp(e->d_name, *n);
		only = known;
	}
	if (d)
		closedir(d);
	return only;
}

/* A prefix holding only conda-meta/, which holds only hpcenv's lock file: a `create`
 * killed before its journal existed. It is not an environment; it goes. */
static bool aborted_creation(const char *prefix)
{
	static const char *const top[] = { "conda-meta", NULL };
	static const char *const meta[] = { "conda-meta.lock", NULL };
	char *m = hpc_path_join(prefix, "conda-meta");
	bool r = holds_only(prefix, top) && holds_only(m, meta);

	free(m);
	return r;
}

int hpc_txn_recover(const char *prefix, double lock_timeout, const struct hpc_events *ev,
		    struct hpc_error **err)
{
	struct hpc_lock *l = NULL;
	char *meta;
	int r = 0;

	if (!hpc_journal_pending(prefix) && !aborted_creation(prefix))
		return 0;
	meta = hpc_path_join(prefix, "conda-meta");
	if (!hpc_journal_pending(prefix)) {
		r = lock_prefix(prefix, lock_timeout, ev, &l, err);
		if (!r && aborted_creation(prefix)) { /* still, now that it is ours */
			hpc_debug(ev, "'%s': removing what an interrupted create left", prefix);
			remove_new_prefix(prefix, false);
		}
		hpc_lock_release(l);
		free(meta);
		return r;
	}
	if (hpc_is_dir(meta))
		r = lock_prefix(prefix, lock_timeout, ev, &l, err);
	/* another process may have finished it while we waited for the lock */
	if (!r && hpc_journal_pending(prefix))
		r = recover_locked(prefix, ev, err);
	/* a create killed while its journal was being begun leaves a journal without its
	 * header, which cannot say the prefix was new: what remains is an aborted creation */
	if (!r && l && aborted_creation(prefix)) {
		hpc_debug(ev, "'%s': removing what an interrupted create left", prefix);
		remove_new_prefix(prefix, false);
	}
	hpc_lock_release(l);
	free(meta);
	return r;
}

static int make_prefix(struct hpc_txn *t, struct hpc_error **err)
{
	char *meta = hpc_path_join(t->prefix, "conda-meta");
	int r = 0;

	t->made_prefix = !hpc_path_exists(t->prefix);
	t->made_meta = !hpc_is_dir(meta);
	if (t->made_meta && t->made_prefix)
		r = hpc_mkdir_p(t->prefix, 0777, err);
	if (!r && t->made_meta && mkdir(meta, 0777) < 0)
		r = HPC_FAIL(err, IO, "cannot create '%s': %s", meta, strerror(errno));
	free(meta);
	return r;
}

int hpc_txn_open(const struct hpc_txn_options *opt, const struct hpc_events *ev,
		 struct hpc_txn **out, struct hpc_error **err)
{
	struct hpc_txn *t = hpc_xcalloc(1, sizeof(*t));
	int r;

	t->opt = *opt;
	t->prefix = hpc_xstrdup(opt->prefix);
	t->root_prefix = opt->root_prefix ? hpc_xstrdup(opt->root_prefix) : NULL;
	t->cmd = opt->cmd ? hpc_xstrdup(opt->cmd) : NULL;
	t->opt.prefix = t->prefix;
	t->opt.root_prefix = t->root_prefix;
	t->opt.cmd = t->cmd;
	*out = NULL;
	r = make_prefix(t, err);
	r = r ? r : lock_prefix(t->prefix, opt->lock_timeout, ev, &t->lock, err);
	if (!r && hpc_journal_pending(t->prefix))
		r = recover_locked(t->prefix, ev, err);
	r = r ? r : hpc_condameta_load(t->prefix, &t->installed, err);
	if (!r && opt->create && t->installed.n)
		r = HPC_FAIL(err, EXISTS, "'%s' already holds an environment with %zu packages",
			     t->prefix, t->installed.n);
	if (r) {
		hpc_txn_free(t);
		return r;
	}
	*out = t;
	return 0;
}

void hpc_txn_free(struct hpc_txn *t)
{
	if (!t)
		return;
	if (!t->committed && t->made_meta && !t->installed.n)
		remove_new_prefix(t->prefix, t->made_prefix);
	hpc_lock_release(t->lock);
	for (size_t i = 0; i < t->nlink; i++) {
		hpc_cache_item_fini(&t->link[i].item);
		free(t->link[i].requested_spec);
		hpc_link_pkg_fini(&t->link[i].lp);
		hpc_error_free(t->link[i].err);
	}
	free(t->link);
	free(t->unlink);
	hpc_condameta_fini(&t->installed);
	hpc_strv_fini(&t->update_specs);
	hpc_strv_fini(&t->remove_specs);
	hpc_strv_fini(&t->rm_paths);
	hpc_strv_fini(&t->new_dirs);
	hpc_strv_fini(&t->rm_dirs);
	if (t->have_python)
		hpc_python_fini(&t->python);
	free(t->prefix);
	free(t->root_prefix);
	free(t->cmd);
	free(t);
}

const struct hpc_condameta *hpc_txn_installed(const struct hpc_txn *t)
{
	return &t->installed;
}

int hpc_txn_unlink(struct hpc_txn *t, const char *name, struct hpc_error **err)
{
	const struct hpc_prefix_record *pr = hpc_condameta_find(&t->installed, name);

	if (!pr)
		return HPC_FAIL(err, NOTFOUND, "package '%s' is not installed in '%s'", name,
				t->prefix);
	for (size_t i = 0; i < t->nunlink; i++)
		if (t->unlink[i] == pr)
			return 0;
	t->unlink = hpc_xrealloc(t->unlink, (t->nunlink + 1) * sizeof(*t->unlink));
	t->unlink[t->nunlink++] = pr;
	return 0;
}

void hpc_txn_link(struct hpc_txn *t, const struct hpc_record *rec, const char *archive,
		  const char *requested_spec)
{
	struct txn_link *l;

	if (t->nlink == t->alink)
		t->link = hpc_xrealloc(t->link, (t->alink = t->alink ? 2 * t->alink : 16) *
						       sizeof(*t->link));
	l = &t->link[t->nlink++];
	memset(l, 0, sizeof(*l));
	hpc_cache_item_init(&l->item, rec, archive);
	l->requested_spec = requested_spec ? hpc_xstrdup(requested_spec) : NULL;
}

void hpc_txn_add_spec(struct hpc_txn *t, bool remove, const char *spec)
{
	hpc_strv_push(remove ? &t->remove_specs : &t->update_specs, spec);
}

/* ---- prepare ---- */

/* Items neither extracted nor archived in any cache go to the fetch hook. */
static int fetch_missing(struct hpc_txn *t, struct hpc_cache_item *items, size_t n,
			 const struct hpc_events *ev, struct hpc_error **err)
{
	struct hpc_cache_item **need = hpc_xcalloc(n + 1, sizeof(*need));
	size_t k = 0;
	int r = 0;

	for (size_t i = 0; i < n; i++) {
		struct hpc_cache_item *it = &items[i];

		if (!it->archive && !it->dir &&
		    !(it->archive = hpc_cache_find_archive(t->opt.cache, &it->rec)))
			need[k++] = it;
	}
	if (k && t->opt.fetch)
		r = t->opt.fetch(t->opt.fetch_ud, t->opt.cache, need, k, ev, err);
	free(need);
	return r;
}

/* The environment's python after the transaction (for noarch: python packages). */
static int find_python(struct hpc_txn *t, struct hpc_error **err)
{
	const struct hpc_record *py = NULL;

	for (size_t i = 0; i < t->nlink && !py; i++)
		if (!strcmp(t->link[i].item.rec.name, "python"))
			py = &t->link[i].item.rec;
	for (size_t i = 0; i < t->installed.n && !py; i++) {
		const struct hpc_prefix_record *pr = &t->installed.recs[i];
		bool going = false;

		for (size_t k = 0; k < t->nunlink; k++)
			going |= t->unlink[k] == pr;
		if (!going && !strcmp(pr->rec.name, "python"))
			py = &pr->rec;
	}
	if (!py)
		return 0;
	t->have_python = hpc_python_init(&t->python, py, err) == 0;
	return t->have_python ? 0 : -HPC_E_PARSE;
}

static void sort_links(struct hpc_txn *t)
{
	const struct hpc_record **recs = hpc_xcalloc(t->nlink + 1, sizeof(*recs));
	size_t *order = hpc_xcalloc(t->nlink + 1, sizeof(*order));
	struct txn_link *sorted = hpc_xcalloc(t->alink + 1, sizeof(*sorted));

	for (size_t i = 0; i < t->nlink; i++)
		recs[i] = &t->link[i].item.rec;
	hpc_records_deps_order(recs, t->nlink, order);
	for (size_t i = 0; i < t->nlink; i++)
		sorted[i] = t->link[order[i]];
	free(t->link);
	t->link = sorted;
	free(recs);
	free(order);
}

static void sort_unlinks(struct hpc_txn *t)
{
	const struct hpc_record **recs = hpc_xcalloc(t->nunlink + 1, sizeof(*recs));
	size_t *order = hpc_xcalloc(t->nunlink + 1, sizeof(*order));
	const struct hpc_prefix_record **sorted = hpc_xcalloc(t->nunlink + 1, sizeof(*sorted));

	for (size_t i = 0; i < t->nunlink; i++)
		recs[i] = &t->unlink[i]->rec;
	hpc_records_deps_order(recs, t->nunlink, order);
	for (size_t i = 0; i < t->nunlink; i++) /* dependents go first */
		sorted[i] = t->unlink[order[t->nunlink - 1 - i]];
	free(t->unlink);
	t->unlink = sorted;
	free(recs);
	free(order);
}

static int plan_links(struct hpc_txn *t, const struct hpc_events *ev, struct hpc_error **err)
{
	for (size_t i = 0; i < t->nlink; i++) {
		struct txn_link *l = &t->link[i];
		int r = hpc_link_pkg_plan(&l->lp, &l->item.rec, l->item.dir, l->requested_spec,
					  t->have_python ? &t->python : NULL, err);

		r = r ? r : hpc_link_pkg_check(&l->lp, t->prefix, err);
		if (r)
			return r;
		l->planned = true;
		for (size_t w = 0; w < l->lp.warnings.n; w++)
			hpc_warn(ev, "%s", l->lp.warnings.v[w]);
	}
	return 0;
}

static bool is_unlinked(const struct hpc_txn *t, const struct hpc_prefix_record *pr)
{
	for (size_t k = 0; k < t->nunlink; k++)
		if (t->unlink[k] == pr)
			return true;
	return false;
}

static void add_parents(struct hpc_strmap *dirs, const char *path)
{
	char *p = hpc_xstrdup(path);

	for (char *s = strrchr(p, '/'); s; s = strrchr(p, '/')) {
		bool added;

		*s = '\0';
		hpc_strmap_put(dirs, p, &added);
		if (!added)
			break; /* its parents are in too */
	}
	free(p);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void map_keys_sorted(const struct hpc_strmap *m, struct hpc_strv *out)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			hpc_strv_push(out, m->slots[i].key);
	if (out->n)
		qsort(out->v, out->n, sizeof(char *), cmp_str);
}

/* A path a package of the transaction will write (the target is NULL for entry points). */
struct claim {
	struct txn_link *link;
	struct hpc_link_target *target;
};

/* Who owns what: clobbered paths are reported (conda's path_conflict: clobber), files
 * still owned by a package that stays are not removed. */
static void claim(struct hpc_txn *t, struct hpc_strmap *kept, struct hpc_strmap *going,
		  struct hpc_strmap *coming, const char *path, struct txn_link *l,
		  struct hpc_link_target *tg, const struct hpc_events *ev)
{
	bool added;
	void **slot = hpc_strmap_put(coming, path, &added), **k;
	struct claim *c;
	char *full;

	if (!added) {
		c = *slot;
		hpc_warn(ev, "'%s' is in both '%s' and '%s'; the latter's is kept", path,
			 c->link->item.rec.name, l->item.rec.name);
		if (c->target) /* only the latter writes it */
			c->target->action = HPC_LINK_SHADOWED;
	} else {
		*slot = c = hpc_xcalloc(1, sizeof(*c));
	}
	c->link = l;
	c->target = tg;
	if ((k = hpc_strmap_get(kept, path))) {
		hpc_warn(ev, "'%s' from '%s' replaces the file of installed '%s'", path,
			 l->item.rec.name, (const char *)*k);
		return;
	}
	if (hpc_strmap_has(going, path) || t->made_meta) /* a new environment is empty */
		return;
	full = hpc_path_join(t->prefix, path);
	if (hpc_path_exists(full))
		hpc_warn(ev, "'%s' from '%s' replaces a file no package owns", path,
			 l->item.rec.name);
	free(full);
}

static void analyse_paths(struct hpc_txn *t, const struct hpc_events *ev)
{
	struct hpc_strmap kept = HPC_STRMAP_INIT, going = HPC_STRMAP_INIT;
	struct hpc_strmap coming = HPC_STRMAP_INIT, dirs = HPC_STRMAP_INIT, rmd = HPC_STRMAP_INIT;

	for (size_t i = 0; i < t->installed.n; i++) {
		const struct hpc_prefix_record *pr = &t->installed.recs[i];
		bool unl = is_unlinked(t, pr);

		for (size_t p = 0; p < pr->npaths; p++)
			*hpc_strmap_put(unl ? &going : &kept, pr->paths[p].path, NULL) =
				(void *)pr->rec.name;
	}
	for (size_t i = 0; i < t->nlink; i++) {
		struct hpc_link_pkg *lp = &t->link[i].lp;

		for (size_t k = 0; k < lp->ntargets; k++) {
			struct hpc_link_target *tg = &lp->targets[k];

			if (tg->action == HPC_LINK_SKIP)
				continue;
			if (tg->action == HPC_LINK_DIR)
				hpc_strmap_put(&dirs, tg->path, NULL);
			else
				claim(t, &kept, &going, &coming, tg->path, &t->link[i], tg, ev);
			add_parents(&dirs, tg->path);
		}
		for (size_t k = 0; k < lp->ep_paths.n; k++) {
			claim(t, &kept, &going, &coming, lp->ep_paths.v[k], &t->link[i], NULL, ev);
			add_parents(&dirs, lp->ep_paths.v[k]);
		}
	}
	for (size_t i = 0; i < t->nunlink; i++)
		for (size_t p = 0; p < t->unlink[i]->npaths; p++) {
			const char *path = t->unlink[i]->paths[p].path;

			if (hpc_strmap_has(&kept, path))
				continue; /* another package that stays owns it too */
			hpc_strv_push(&t->rm_paths, path);
			add_parents(&rmd, path);
		}
	map_keys_sorted(&dirs, &t->new_dirs);
	map_keys_sorted(&rmd, &t->rm_dirs);
	hpc_strmap_fini(&kept, NULL);
	hpc_strmap_fini(&going, NULL);
	hpc_strmap_fini(&coming, free);
	hpc_strmap_fini(&dirs, NULL);
	hpc_strmap_fini(&rmd, NULL);
}

/* Found (each cached record read once), fetched, extracted: every item gets its package
 * directory. The cache is locked shared first, so that nothing found goes away. */
static int prepare_cache(struct hpc_txn *t, const struct hpc_events *ev, struct hpc_error **err)
{
	struct hpc_cache_item *items = hpc_xcalloc(t->nlink + 1, sizeof(*items));
	int r;

	for (size_t i = 0; i < t->nlink; i++)
		items[i] = t->link[i].item; /* moved in and out: the cache wants an array */
	r = hpc_cache_lock(t->opt.cache, false, ev, err);
	if (!r && hpc_cache_find_items(t->opt.cache, items, t->nlink))
		r = fetch_missing(t, items, t->nlink, ev, err);
	r = r ? r : hpc_cache_prepare(t->opt.cache, items, t->nlink, ev, err);
	for (size_t i = 0; i < t->nlink; i++)
		t->link[i].item = items[i];
	free(items);
	return r;
}

int hpc_txn_prepare(struct hpc_txn *t, const struct hpc_events *ev, struct hpc_error **err)
{
	int r = 0;

	if (t->prepared)
		return 0;
	if (t->nlink)
		r = prepare_cache(t, ev, err);
	if (r)
		return r;
	sort_links(t);
	sort_unlinks(t);
	r = find_python(t, err);
	r = r ? r : plan_links(t, ev, err);
	if (r)
		return r;
	analyse_paths(t, ev);
	t->prepared = true;
	return 0;
}

void hpc_txn_plan(const struct hpc_txn *t, struct hpc_txn_plan *plan)
{
	plan->nunlink = t->nunlink;
	plan->nlink = t->nlink;
	plan->unlink = hpc_xcalloc(t->nunlink + 1, sizeof(*plan->unlink));
	plan->link = hpc_xcalloc(t->nlink + 1, sizeof(*plan->link));
	for (size_t i = 0; i < t->nunlink; i++)
		plan->unlink[i] = &t->unlink[i]->rec;
	for (size_t i = 0; i < t->nlink; i++)
		plan->link[i] = &t->link[i].item.rec;
}

void hpc_txn_plan_fini(struct hpc_txn_plan *plan)
{
	free(plan->unlink);
	free(plan->link);
	memset(plan, 0, sizeof(*plan));
}

/* ---- commit ---- */

struct commit {
	struct hpc_txn *t;
	struct hpc_journal *j;
	struct hpc_linker *linker;
	const struct hpc_events *ev;
};

static int check_cancel(const struct commit *c, struct hpc_error **err)
{
	if (hpc_cancelled(c->ev))
		return HPC_FAIL(err, INTERRUPTED, "interrupted while changing '%s'", c->t->prefix);
	return 0;
}

static void show_messages(const struct hpc_events *ev, char *msg)
{
	struct hpc_strv lines = HPC_STRV_INIT;

	if (!msg)
		return;
	hpc_strv_split(&lines, msg, "\n");
	for (size_t i = 0; i < lines.n; i++)
		hpc_info(ev, "%s", lines.v[i]);
	hpc_strv_fini(&lines);
	free(msg);
}

static void pre_unlink(struct commit *c)
{
	struct hpc_txn *t = c->t;

	for (size_t i = 0; !t->opt.no_scripts && i < t->nunlink; i++) {
		struct hpc_error *e = NULL;
		char *msg = NULL;

		/* conda only warns: a package must stay removable */
		if (hpc_script_run(t->prefix, t->prefix, t->root_prefix, &t->unlink[i]->rec,
				   "pre-unlink", &msg, &e))
			hpc_warn(c->ev, "%s", e->msg);
		show_messages(c->ev, msg);
		hpc_error_free(e);
	}
}

static int unlink_files(struct commit *c, struct hpc_error **err)
{
	struct hpc_txn *t = c->t;
	int r = 0;

	for (size_t i = 0; !r && i < t->rm_paths.n; i++) {
		if ((i & 255) == 255 && (r = check_cancel(c, err)))
			break;
		r = hpc_journal_backup(c->j, t->rm_paths.v[i], err);
	}
	for (size_t i = 0; !r && i < t->nunlink; i++) {
		const char *f = t->unlink[i]->meta_file;
		char *rel = hpc_xasprintf("conda-meta/%s", strrchr(f, '/') + 1);

		r = hpc_journal_backup(c->j, rel, err);
		free(rel);
	}
	return r;
}

/* A prefix this transaction made holds nothing else: its directories are noted in one write
 * and made without looking first. */
static int make_fresh_dirs(struct commit *c, struct hpc_error **err)
{
	struct hpc_txn *t = c->t;
	int r = hpc_journal_note_all(c->j, true, (const char *const *)t->new_dirs.v,
				     t->new_dirs.n, err);

	for (size_t i = 0; !r && i < t->new_dirs.n; i++) {
		char *full = hpc_path_join(t->prefix, t->new_dirs.v[i]);

		if (mkdir(full, 0777) < 0 && errno != EEXIST) /* conda-meta is there already */
			r = HPC_FAIL(err, IO, "cannot create directory '%s': %s", full,
				     strerror(errno));
		free(full);
	}
	return r;
}

static int make_dirs(struct commit *c, struct hpc_error **err)
{
	struct hpc_txn *t = c->t;
	int r = 0;

	if (t->made_prefix)
		return make_fresh_dirs(c, err);
	for (size_t i = 0; !r && i < t->new_dirs.n; i++) {
		char *full = hpc_path_join(t->prefix, t->new_dirs.v[i]);
		struct stat st;

		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) { /* a symlink to one is fine */
			free(full);
			continue;
		}
		if (lstat(full, &st) == 0) /* a file (or dangling link) where a directory goes */
			r = hpc_journal_backup(c->j, t->new_dirs.v[i], err);
		r = r ? r : hpc_journal_note_mkdir(c->j, t->new_dirs.v[i], err);
		if (!r && mkdir(full, 0777) < 0 && errno != EEXIST)
			r = HPC_FAIL(err, IO, "cannot create directory '%s': %s", full,
				     strerror(errno));
		free(full);
	}
	return r;
}

static int pre_link(struct commit *c, struct hpc_error **err)
{
	struct hpc_txn *t = c->t;
	int r = 0;

	for (size_t i = 0; !r && !t->opt.no_scripts && i < t->nlink; i++) {
		char *msg = NULL;

		r = hpc_script_run(t->link[i].item.dir, t->prefix, t->root_prefix,
				   &t->link[i].item.rec, "pre-link", &msg, err);
		show_messages(c->ev, msg);
	}
	return r;
}

static void link_job(struct hpc_workers *w, void *arg)
{
	struct txn_link *l = arg;

	l->rc = hpc_linker_link(l->linker, &l->lp, w, &l->err);
}

static void link_progress(const struct hpc_events *ev, const struct txn_link *l,
			  enum hpc_progress_state st)
{
	char *id = hpc_record_dist(&l->item.rec), *label = hpc_xasprintf("link %s", id);
	struct hpc_progress p = { .id = id, .label = label, .done = st == HPC_PROGRESS_DONE,
				  .total = 1, .state = st };

	hpc_progress_emit(ev, &p);
	free(label);
	free(id);
}

static int link_all(struct commit *c, struct hpc_error **err)
{
	struct hpc_txn *t = c->t;
	struct hpc_workers *w = hpc_workers_new(t->opt.threads);
	int r = 0;

	for (size_t i = 0; i < t->nlink; i++) {
		t->link[i].linker = c->linker;
		link_progress(c->ev, &t->link[i], HPC_PROGRESS_START);
		hpc_workers_add(w, link_job, &t->link[i]);
	}
	while (hpc_workers_pending(w)) {
		struct txn_link *l = hpc_workers_next(w, 0.1);

		if (!r && (r = check_cancel(c, err)))
			hpc_workers_cancel(w);
		if (!l)
			continue;
		link_progress(c->ev, l, l->rc ? HPC_PROGRESS_FAILED : HPC_PROGRESS_DONE);
		if (l->rc && !r) {
			r = l->rc;
			if (err) {
				l->err->cause = *err;
				*err = l->err;
				l->err = NULL;
			}
			hpc_workers_cancel(w);
		}
	}
	hpc_workers_free(w);
	return r;
}

static int entry_points(struct commit *c, struct hpc_error **err)
{
	int r = 0;

	for (size_t i = 0; !r && i < c->t->nlink; i++)
		if (c->t->link[i].lp.entry_points.n)
			r = hpc_linker_entry_points(c->linker, &c->t->link[i].lp, &c->t->python, err);
	return r;
}

/* Note every .pyc (and new __pycache__ directory) before python writes them. */
static int note_pycs(struct commit *c, struct hpc_strv *py, struct hpc_error **err)
{
	struct hpc_strmap dirs = HPC_STRMAP_INIT;
	int r = 0;

	for (size_t i = 0; !r && i < c->t->nlink; i++) {
		const struct hpc_strv *f = &c->t->link[i].lp.py_files;

		for (size_t k = 0; !r && k < f->n; k++) {
			char *pyc = hpc_python_pyc_path(&c->t->python, f->v[k]);
			char *dir = hpc_xstrndup(pyc, (size_t)(strrchr(pyc, '/') - pyc));
			char *full = hpc_path_join(c->t->prefix, dir);
			bool added;

			hpc_strmap_put(&dirs, dir, &added);
			if (added && !hpc_path_exists(full))
				r = hpc_journal_note_mkdir(c->j, dir, err);
			r = r ? r : hpc_journal_note_new(c->j, pyc, err);
			hpc_strv_push(py, f->v[k]);
			free(full);
			free(dir);
			free(pyc);
		}
	}
	hpc_strmap_fini(&dirs, NULL);
	return r;
}

static int compile_pyc(struct commit *c, struct hpc_error **err)
{
	struct hpc_strv py = HPC_STRV_INIT;
	struct hpc_error *e = NULL;
	int r;

	if (c->t->opt.no_scripts || !c->t->have_python)
		return 0;
	r = note_pycs(c, &py, err);
	if (!r && py.n && hpc_python_compile(&c->t->python, c->t->prefix, &py, &e))
		hpc_warn(c->ev, "%s: .pyc files were not (all) compiled", e->msg);
	hpc_error_free(e);
	for (size_t i = 0; !r && i < c->t->nlink; i++) { /* record the ones python wrote */
		struct hpc_link_pkg *lp = &c->t->link[i].lp;

		for (size_t k = 0; k < lp->py_files.n; k++) {
			char *pyc = hpc_python_pyc_path(&c->t->python, lp->py_files.v[k]);
			char *full = hpc_path_join(c->t->prefix, pyc);

			if (hpc_path_exists(full))
				hpc_prefix_record_add_path(&lp->result, pyc, HPC_PATH_PYC_FILE);
			free(full);
			free(pyc);
		}
	}
	hpc_strv_fini(&py);
	return r;
}

/* No fsync: the journal makes a transaction safe against kill -9, which the page cache
 * survives; conda does not sync either (an fsync per record would double a create). */
static int write_plain(const char *path, const char *data, struct hpc_error **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666), r = 0;
	size_t n = strlen(data);

	if (fd < 0 || write(fd, data, n) != (ssize_t)n)
		r = HPC_FAIL(err, IO, "cannot write '%s': %s", path, strerror(errno));
	if (fd >= 0 && close(fd) < 0 && !r)
		r = HPC_FAIL(err, IO, "cannot write '%s': %s", path, strerror(errno));
	return r;
}

/* A file into the prefix through the journal's scratch directory, so a crash never
 * leaves a half-written one where conda would read it. */
static int put_file(struct commit *c, const char *rel, const char *data,
		    struct hpc_error **err)
{
	char *tmp = hpc_xasprintf("%s/%s", hpc_journal_tmpdir(c->j), strrchr(rel, '/') + 1);
	char *full = hpc_path_join(c->t->prefix, rel);
	int r = hpc_journal_note_new(c->j, rel, err);

	r = r ? r : write_plain(tmp, data, err);
	if (!r && rename(tmp, full) < 0)
		r = HPC_FAIL(err, IO, "cannot write '%s': %s", full, strerror(errno));
	free(tmp);
	free(full);
	return r;
}

static int write_records(struct commit *c, struct hpc_error **err)
{
	int r = 0;

	for (size_t i = 0; !r && i < c->t->nlink; i++) {
		struct txn_link *l = &c->t->link[i];
		struct hpc_prefix_record *pr = &l->lp.result;
		char *rel = hpc_prefix_record_meta_path(&l->item.rec), *json;

		hpc_record_fini(&pr->rec);
		hpc_record_copy(&pr->rec, &l->item.rec);
		free(pr->requested_spec);
		pr->requested_spec = l->requested_spec ? hpc_xstrdup(l->requested_spec) : NULL;
		free(pr->link_source);
		pr->link_source = hpc_xstrdup(l->item.dir);
		free(pr->package_tarball_full_path);
		pr->package_tarball_full_path = l->item.archive ? hpc_xstrdup(l->item.archive) : NULL;
		json = hpc_prefix_record_to_json(pr);
		r = put_file(c, rel, json, err);
		free(json);
		free(rel);
	}
	return r;
}

static bool dir_is_empty(const char *p)
{
	DIR *d = opendir(p);
	struct dirent *e;
	bool empty = d != NULL;

	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return empty;
}

/* Directories the unlinked packages leave empty go too, deepest first. */
static int remove_empty_dirs(struct commit *c, struct hpc_error **err)
{
	struct hpc_txn *t = c->t;
	int r = 0;

	for (size_t i = t->rm_dirs.n; !r && i-- > 0;) {
		char *full = hpc_path_join(t->prefix, t->rm_dirs.v[i]);
		struct stat st;

		if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode) && dir_is_empty(full) &&
		    strcmp(t->rm_dirs.v[i], "conda-meta")) {
			r = hpc_journal_note_rmdir(c->j, t->rm_dirs.v[i], st.st_mode, err);
			if (!r && rmdir(full) < 0)
				r = HPC_FAIL(err, IO, "cannot remove '%s': %s", full, strerror(errno));
		}
		free(full);
	}
	return r;
}

static int append_history(struct commit *c, struct hpc_error **err)
{
	struct hpc_txn *t = c->t;
	struct hpc_strv added = HPC_STRV_INIT, removed = HPC_STRV_INIT;
	struct hpc_history_change h = { .when = time(NULL), .cmd = t->cmd, .added = &added,
					.removed = &removed, .update_specs = &t->update_specs,
					.remove_specs = &t->remove_specs };
	char *text, *full = hpc_path_join(t->prefix, "conda-meta/history");
	struct stat st;
	int fd, r;

	for (size_t i = 0; i < t->nunlink; i++)
		hpc_strv_push_take(&removed, hpc_record_dist_str(&t->unlink[i]->rec));
	for (size_t i = 0; i < t->nlink; i++)
		hpc_strv_push_take(&added, hpc_record_dist_str(&t->link[i].item.rec));
	text = hpc_history_format(&h);
	r = hpc_journal_note_size(c->j, "conda-meta/history",
				  stat(full, &st) == 0 ? (long long)st.st_size : -1, err);
	fd = r ? -1 : open(full, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	if (!r && (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)))
		r = HPC_FAIL(err, IO, "cannot write '%s': %s", full, strerror(errno));
	if (fd >= 0 && close(fd) < 0 && !r)
		r = HPC_FAIL(err, IO, "cannot write '%s': %s", full, strerror(errno));
	free(text);
	free(full);
	hpc_strv_fini(&added);
	hpc_strv_fini(&removed);
	return r;
}

static int post_link(struct commit *c, struct hpc_error **err)
{
	struct hpc_txn *t = c->t;
	int r = 0;

	for (size_t i = 0; !r && !t->opt.no_scripts && i < t->nlink; i++) {
		char *msg = NULL;

		r = hpc_script_run(t->prefix, t->prefix, t->root_prefix, &t->link[i].item.rec,
				   "post-link", &msg, err);
		show_messages(c->ev, msg);
	}
	return r;
}

static int apply(struct commit *c, struct hpc_error **err)
{
	int r;

	pre_unlink(c);
	r = unlink_files(c, err);
	r = r ? r : check_cancel(c, err);
	r = r ? r : make_dirs(c, err);
	r = r ? r : pre_link(c, err);
	r = r ? r : check_cancel(c, err);
	r = r ? r : link_all(c, err);
	r = r ? r : entry_points(c, err);
	r = r ? r : check_cancel(c, err);
	r = r ? r : compile_pyc(c, err);
	r = r ? r : write_records(c, err);
	r = r ? r : remove_empty_dirs(c, err);
	r = r ? r : append_history(c, err);
	r = r ? r : post_link(c, err);
	r = r ? r : check_cancel(c, err);
	return r;
}

int hpc_txn_commit(struct hpc_txn *t, const struct hpc_events *ev, struct hpc_error **err)
{
	struct commit c = { .t = t, .ev = ev };
	struct hpc_error *e = NULL;
	int r = t->prepared ? 0 : hpc_txn_prepare(t, ev, err);

	if (r)
		return r;
	r = hpc_journal_begin(t->prefix, t->made_meta, &c.j, err);
	r = r ? r : hpc_linker_new(t->prefix, c.j, t->opt.always_copy, &c.linker, err);
	if (!r)
		hpc_linker_set_fresh(c.linker, t->made_prefix);
	if (!r && !(r = apply(&c, err)))
		r = hpc_journal_commit(c.j, err);
	if (r && c.j) {
		if (hpc_journal_rollback(c.j, ev, &e)) {
			hpc_warn(ev, "rollback incomplete: %s", e->msg);
			hpc_error_free(e);
		}
		r = hpc_error_wrap(err, r, "changes to '%s' were rolled back", t->prefix);
	}
	t->committed = r == 0;
	hpc_linker_free(c.linker);
	hpc_journal_free(c.j);
	return r;
}
