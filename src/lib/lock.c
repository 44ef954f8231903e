/* SPDX-License-Identifier: MIT */
/* lock.c - libmamba-compatible fcntl locks with a timeout and a lock-free fallback
 *
 * See include/hpcenv/lock.h. HPCENV_FAULT=lock-hang (the fcntl call never returns, as
 * on an NFS mount without lockd) and HPCENV_FAULT=lock-enolck (the kernel refuses
 * locks) let tests reach the paths a healthy local filesystem never takes.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hpcenv/error.h"
#include "hpcenv/lock.h"
#include "hpcenv/util.h"

/* One per lock file in this process: fcntl locks are per process. */
struct lockfile {
	struct lockfile *next;
	char *key; /* canonical path of the lock file */
	pid_t pid; /* a forked child inherits the registry but not the locks */
	int fd;
	int users;
};

struct hpc_lock {
	struct lockfile *lf; /* NULL when going on without a lock */
	char *file;
};

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static struct lockfile *registry;

/* One fcntl request, run on a helper thread that may outlive the request. The helper
 * borrows the caller's descriptor (never a duplicate: closing a duplicate would drop the
 * lock); when the caller gives up on a new lock file, the descriptor passes to the
 * attempt, which closes it once the helper is done. */
struct attempt {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int fd;
	bool owns_fd;
	short type;
	int state;     /* 0 running, 1 locked, 2 failed */
	int error;     /* errno when failed */
	pid_t holder;  /* pid of the process in our way, 0 when unknown */
	bool stop;
	int refs;
};

static bool fault(const char *what)
{
	const char *f = getenv("HPCENV_FAULT");

	return f && strstr(f, what);
}

char *hpc_lock_path_for(const char *path)
{
	char *copy, *base, *r;
	size_t n = strlen(path);

	if (!hpc_is_dir(path))
		return hpc_xasprintf("%s.lock", path);
	copy = hpc_xstrdup(path);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	base = basename(copy);
	r = hpc_xasprintf("%s/%s.lock", copy, base);
	free(copy);
	return r;
}

static void attempt_unref(struct attempt *a)
{
	bool last;

	pthread_mutex_lock(&a->mu);
	last = --a->refs == 0;
	pthread_mutex_unlock(&a->mu);
	if (!last)
		return;
	if (a->owns_fd)
		close(a->fd);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	free(a);
}

static pid_t holder_of(int fd, short type)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = HPC_LOCK_BYTE,
			    .l_len = 1 };

	return fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK ? fl.l_pid : 0;
}

static int try_lock(struct attempt *a)
{
	struct flock fl = { .l_type = a->type, .l_whence = SEEK_SET, .l_start = HPC_LOCK_BYTE,
			    .l_len = 1 };

	if (fault("lock-enolck")) {
		errno = ENOLCK;
		return -1;
	}
	return fcntl(a->fd, F_SETLK, &fl);
}

static void *attempt_main(void *arg)
{
	struct attempt *a = arg;
	struct timespec pause = { 0, 20 * 1000 * 1000 };

	while (fault("lock-hang"))
		sleep(3600); /* what a hung NFS lock request looks like from here */
	for (;;) {
		int r = try_lock(a), e = errno;
		pid_t holder = r < 0 && (e == EAGAIN || e == EACCES) ? holder_of(a->fd, a->type) : 0;

		pthread_mutex_lock(&a->mu);
		if (r == 0 || (e != EAGAIN && e != EACCES) || a->stop) {
			a->state = r == 0 ? 1 : 2;
			a->error = r == 0 ? 0 : e;
			pthread_cond_broadcast(&a->cv);
			pthread_mutex_unlock(&a->mu);
			break;
		}
		a->holder = holder;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
		nanosleep(&pause, NULL);
	}
	attempt_unref(a);
	return NULL;
}

static struct attempt *attempt_start(int fd, short type)
{
	struct attempt *a = hpc_xcalloc(1, sizeof(*a));
	pthread_t t;

	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	a->fd = fd;
	a->type = type;
	a->refs = 2;
	if (pthread_create(&t, NULL, attempt_main, a) != 0) {
		a->state = 2;
		a->error = EAGAIN;
		a->refs = 1;
		return a;
	}
	pthread_detach(t);
	return a;
}

static bool unsupported(int e)
{
	return e == ENOLCK || e == EOPNOTSUPP || e == ENOSYS || e == EINVAL || e == EBADF;
}

/* Wait for an attempt to finish; 0 when the lock is ours. */
static int attempt_wait(struct attempt *a, bool give_fd, const char *file, double timeout,
			const struct hpc_events *ev, struct hpc_error **err)
{
	double start = hpc_now();
	bool told = false;
	int r = 0, state, error;
	pid_t holder;

	pthread_mutex_lock(&a->mu);
	while (!a->state && !r) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&a->cv, &a->mu, &ts);
		if (a->state)
			break;
		if (a->holder && !told) {
			pid_t h = a->holder;

			pthread_mutex_unlock(&a->mu);
			hpc_info(ev, "waiting for the lock on '%s' (held by process %d)", file, (int)h);
			pthread_mutex_lock(&a->mu);
			told = true;
		}
		if (hpc_cancelled(ev))
			r = -HPC_E_INTERRUPTED;
		else if (timeout >= 0 && hpc_now() - start >= timeout)
			r = -HPC_E_TIMEOUT;
	}
	if (r) {
		a->stop = true;
		a->owns_fd = give_fd;
	}
	state = a->state;
	error = a->error;
	holder = a->holder;
	pthread_mutex_unlock(&a->mu);
	attempt_unref(a);
	if (r == -HPC_E_INTERRUPTED)
		return HPC_FAIL(err, INTERRUPTED, "interrupted while waiting for the lock on '%s'",
				file);
	if (r == -HPC_E_TIMEOUT && holder)
		return HPC_FAIL(err, TIMEOUT, "timed out after %g s waiting for the lock on '%s' "
				"(held by process %d)", timeout, file, (int)holder);
	if (r == -HPC_E_TIMEOUT)
		return HPC_FAIL(err, TIMEOUT, "timed out after %g s waiting for the lock on '%s' "
				"(the filesystem does not answer lock requests)", timeout, file);
	if (state == 2)
		return HPC_FAIL(err, LOCK, "cannot lock '%s': %s%s", file, strerror(error),
				unsupported(error) ? " (file locking does not work here)" : "");
	return 0;
}

/* Canonical name of the lock file: the same file always gets the same registry key. */
static char *canonical(const char *file)
{
	char *dir = hpc_xstrdup(file), *base = strrchr(dir, '/'), *real, *r;

	if (!base) {
		free(dir);
		dir = hpc_xstrdup(".");
		base = (char *)file;
	} else {
		*base++ = '\0';
		base = (char *)file + (base - dir);
	}
	real = realpath(*dir ? dir : "/", NULL);
	r = real ? hpc_path_join(real, base) : hpc_xstrdup(file);
	free(real);
	free(dir);
	return r;
}

/* Found by name, before opening: opening and closing a second descriptor of a locked
 * file would drop the lock. */
static struct lockfile *registry_find(const char *key)
{
	for (struct lockfile *l = registry; l; l = l->next)
		if (l->pid == getpid() && !strcmp(l->key, key))
			return l;
	return NULL;
}

/* Open (creating if needed) the lock file. A new lock file in a setgid (group-shared)
 * directory is made group-writable so the group's other users can lock it too. */
static int open_lock_file(const char *file, bool shared, struct hpc_error **err)
{
	int fd = open(file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	struct stat dst, st;
	char *dir;

	if (fd >= 0) {
		dir = hpc_xstrdup(file);
		*strrchr(dir, '/') = '\0';
		if (stat(*dir ? dir : "/", &dst) == 0 && (dst.st_mode & S_ISGID) &&
		    fstat(fd, &st) == 0)
			fchmod(fd, (st.st_mode & 07777) | S_IRGRP | S_IWGRP);
		free(dir);
		return fd;
	}
	if (errno == EEXIST)
		fd = open(file, O_RDWR | O_CLOEXEC);
	if (fd < 0 && shared && (errno == EACCES || errno == EROFS))
		fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return HPC_FAILC(err, errno == EACCES || errno == EROFS ? HPC_E_LOCK : HPC_E_IO,
				 "cannot open the lock file '%s': %s", file, strerror(errno));
	return fd;
}

/* e is the failure; it ends in *err, or becomes a warning with fallback. */
static int fail_or_fallback(int r, struct hpc_error *e, const struct hpc_lock_options *opt,
			    const struct hpc_events *ev, struct hpc_error **err)
{
	if (!opt->fallback || r == -HPC_E_INTERRUPTED) {
		if (err) {
			e->cause = *err;
			*err = e;
		} else {
			hpc_error_free(e);
		}
		return r;
	}
	hpc_warn(ev, "%s; going on without the lock (safe: every change is made in a temporary "
		 "place and renamed into place)", e->msg);
	hpc_error_free(e);
	return 0;
}

static struct hpc_lock *lock_new(struct lockfile *lf, const char *file)
{
	struct hpc_lock *l = hpc_xcalloc(1, sizeof(*l));

	l->lf = lf;
	l->file = hpc_xstrdup(file);
	return l;
}

static int lock_new_file(const char *file, const char *key, const struct hpc_lock_options *opt,
			 const struct hpc_events *ev, struct lockfile **out, struct hpc_error **err)
{
	int fd = open_lock_file(file, opt->shared, err), r;
	struct lockfile *lf;

	if (fd < 0)
		return fd;
	r = attempt_wait(attempt_start(fd, opt->shared ? F_RDLCK : F_WRLCK), true, file,
			 opt->timeout, ev, err);
	if (r == -HPC_E_TIMEOUT || r == -HPC_E_INTERRUPTED)
		return r; /* the helper may still be using fd: it closes it */
	if (r) {
		close(fd);
		return r;
	}
	lf = hpc_xcalloc(1, sizeof(*lf));
	lf->key = hpc_xstrdup(key);
	lf->pid = getpid();
	lf->fd = fd;
	lf->users = 1;
	lf->next = registry;
	registry = lf;
	*out = lf;
	return 0;
}

int hpc_lock_acquire(const char *path, const struct hpc_lock_options *opt,
		     const struct hpc_events *ev, struct hpc_lock **out, struct hpc_error **err)
{
	char *file = hpc_lock_path_for(path), *key = canonical(file);
	struct lockfile *lf = NULL;
	struct hpc_error *e = NULL;
	int r = 0;

	*out = NULL;
	pthread_mutex_lock(&registry_mu);
	lf = registry_find(key);
	if (lf)
		lf->users++; /* this process holds it already */
	else
		r = lock_new_file(file, key, opt, ev, &lf, &e);
	pthread_mutex_unlock(&registry_mu);
	if (r) {
		lf = NULL;
		r = fail_or_fallback(r, e, opt, ev, err);
	}
	if (!r)
		*out = lock_new(lf, file);
	free(key);
	free(file);
	return r;
}

int hpc_lock_change(struct hpc_lock *l, bool shared, double timeout, const struct hpc_events *ev,
		    struct hpc_error **err)
{
	if (!l->lf)
		return 0;
	return attempt_wait(attempt_start(l->lf->fd, shared ? F_RDLCK : F_WRLCK), false, l->file,
			    timeout, ev, err);
}

bool hpc_lock_held(const struct hpc_lock *l)
{
	return l && l->lf;
}

const char *hpc_lock_file(const struct hpc_lock *l)
{
	return l->file;
}

void hpc_lock_release(struct hpc_lock *l)
{
	if (!l)
		return;
	if (l->lf) {
		pthread_mutex_lock(&registry_mu);
		if (--l->lf->users == 0) {
			struct lockfile **pp = &registry;

			while (*pp != l->lf)
				pp = &(*pp)->next;
			*pp = l->lf->next;
			close(l->lf->fd); /* drops the fcntl lock */
			free(l->lf->key);
			free(l->lf);
		}
		pthread_mutex_unlock(&registry_mu);
	}
	free(l->file);
	free(l);
}
