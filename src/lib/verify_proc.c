/* SPDX-License-Identifier: MIT */
/* verify_proc.c - child processes with a deadline: run a program, or fork a function
 *
 * verify runs foreign code all the time (the target python, mpiexec, a BLAS it dlopens),
 * any of which can hang or crash. Everything goes through here: stdin is /dev/null, output
 * is captured, and the child leads a process group so a timeout kills the whole tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hpcenv/util.h"
#include "verify_int.h"

#define OUTPUT_CAP (16u << 20) /* a runaway child must not eat our memory */

struct sink {
	int fd;
	struct hpc_strbuf sb;
};

bool hpc_verify_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

bool hpc_verify_write_json(int fd, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	bool ok = s && hpc_verify_write_all(fd, s, strlen(s)) && hpc_verify_write_all(fd, "\n", 1);

	free(s);
	return ok;
}

static void child_env(const struct hpc_verify_proc *p)
{
	for (const char *const *u = p->env_unset; u && *u; u++)
		unsetenv(*u);
	for (const char *const *s = p->env_set; s && *s; s++) {
		const char *eq = strchr(*s, '=');
		char name[256];

		if (!eq || (size_t)(eq - *s) >= sizeof(name))
			continue;
		memcpy(name, *s, (size_t)(eq - *s));
		name[eq - *s] = '\0';
		setenv(name, eq + 1, 1);
	}
}

/* In the child: wire the pipes, become a group leader, apply the environment. */
static void child_setup(const struct hpc_verify_proc *p, int out[2], int errp[2])
{
	static const int sigs[] = { SIGPIPE, SIGINT, SIGTERM, SIGSEGV, SIGBUS, SIGILL, SIGFPE,
				    SIGABRT };
	int devnull = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	/* A crash in a forked child must show as its signal, not run a handler the parent
	 * installed (a test harness's, the sanitizer's) in a copy of the parent. */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		close(devnull);
	}
	dup2(out[1], STDOUT_FILENO);
	dup2(errp[1], STDERR_FILENO);
	close(out[0]);
	close(out[1]);
	close(errp[0]);
	close(errp[1]);
	child_env(p);
}

static bool drain(struct sink *s)
{
	char buf[65536];
	ssize_t n = read(s->fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0) {
		close(s->fd);
		s->fd = -1;
		return false;
	}
	if (s->sb.len < OUTPUT_CAP)
		hpc_strbuf_add(&s->sb, buf, (size_t)n);
	return true;
}

static void kill_group(pid_t pid, int sig)
{
	if (kill(-pid, sig) < 0)
		kill(pid, sig);
}

struct watch {
	pid_t pid;
	double start, killed_at;
	int cancelled; /* -1 when the caller asked to stop */
};

/* Past the deadline (or cancelled): TERM the group, then KILL it. False = stop reading. */
static bool enforce(struct hpc_verify_proc *p, struct watch *w)
{
	double t = hpc_now();

	if (!w->killed_at && ((p->timeout > 0 && t - w->start > p->timeout) ||
			      hpc_cancelled(p->ev))) {
		w->cancelled = hpc_cancelled(p->ev) ? -1 : 0;
		p->timed_out = !w->cancelled;
		kill_group(w->pid, SIGTERM);
		w->killed_at = t;
	} else if (w->killed_at && t - w->killed_at > 1.0) {
		kill_group(w->pid, SIGKILL);
		return t - w->killed_at <= 3.0; /* a grandchild outside the group holds the pipe */
	}
	return true;
}

static void poll_once(struct sink s[2])
{
	struct pollfd fds[2];
	nfds_t n = 0;

	for (int i = 0; i < 2; i++)
		if (s[i].fd >= 0)
			fds[n++] = (struct pollfd){ .fd = s[i].fd, .events = POLLIN };
	if (poll(fds, n, 100) <= 0)
		return;
	for (nfds_t k = 0; k < n; k++)
		for (int i = 0; i < 2 && fds[k].revents; i++)
			if (s[i].fd == fds[k].fd)
				drain(&s[i]);
}

/* Read both pipes until they close or the deadline passes; returns -1 when cancelled. */
static int collect(struct hpc_verify_proc *p, pid_t pid, struct sink s[2], double start)
{
	struct watch w = { pid, start, 0, 0 };

	while ((s[0].fd >= 0 || s[1].fd >= 0) && enforce(p, &w))
		poll_once(s);
	for (int i = 0; i < 2; i++)
		if (s[i].fd >= 0)
			close(s[i].fd);
	return w.cancelled;
}

static void reap(struct hpc_verify_proc *p, pid_t pid)
{
	int st = 0;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st)) {
		p->signal = WTERMSIG(st);
		p->status = 128 + p->signal;
	} else {
		p->status = WEXITSTATUS(st);
	}
	/* the group may outlive its leader (a rank mpiexec left behind) */
	if (p->timed_out)
		kill_group(pid, SIGKILL);
}

static int spawn(struct hpc_verify_proc *p, int (*fn)(void *, int), void *arg,
		 struct hpc_error **err)
{
	int out[2], errp[2], cancelled;
	struct sink s[2];
	double start = hpc_now();
	pid_t pid;

	p->out = p->err = NULL;
	p->status = -1;
	if (pipe2(out, O_CLOEXEC) < 0)
		return HPC_FAIL(err, IO, "cannot create a pipe: %s", strerror(errno));
	if (pipe2(errp, O_CLOEXEC) < 0) {
		close(out[0]);
		close(out[1]);
		return HPC_FAIL(err, IO, "cannot create a pipe: %s", strerror(errno));
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		for (int i = 0; i < 2; i++) {
			close(out[i]);
			close(errp[i]);
		}
		return HPC_FAIL(err, IO, "cannot fork: %s", strerror(errno));
	}
	if (pid == 0) {
		child_setup(p, out, errp);
		if (fn)
			_exit(fn(arg, STDOUT_FILENO));
		execvp(p->argv[0], (char *const *)p->argv);
		dprintf(STDERR_FILENO, "cannot run '%s': %s\n", p->argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid); /* also here: no race with the kill below */
	close(out[1]);
	close(errp[1]);
	s[0] = (struct sink){ out[0], HPC_STRBUF_INIT };
	s[1] = (struct sink){ errp[0], HPC_STRBUF_INIT };
	cancelled = collect(p, pid, s, start);
	reap(p, pid);
	p->seconds = hpc_now() - start;
	p->outlen = s[0].sb.len;
	p->errlen = s[1].sb.len;
	p->out = hpc_strbuf_detach(&s[0].sb);
	p->err = hpc_strbuf_detach(&s[1].sb);
	if (cancelled)
		return HPC_FAIL(err, INTERRUPTED, "interrupted");
	return 0;
}

int hpc_verify_proc_run(struct hpc_verify_proc *p, struct hpc_error **err)
{
	if (!p->argv || !p->argv[0])
		return HPC_FAIL(err, BUG, "no program to run");
	return spawn(p, NULL, NULL, err);
}

int hpc_verify_proc_fork(struct hpc_verify_proc *p, int (*fn)(void *arg, int fd), void *arg,
			 struct hpc_error **err)
{
	return spawn(p, fn, arg, err);
}

void hpc_verify_proc_fini(struct hpc_verify_proc *p)
{
	if (!p)
		return;
	free(p->out);
	free(p->err);
	p->out = p->err = NULL;
}
