/* SPDX-License-Identifier: MIT */
/* workers.c - a fixed set of pthreads, a job queue and a completion queue */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "hpcenv/util.h"
#include "hpcenv/workers.h"

struct job {
	hpc_job_fn *fn;
	void *arg;
};

struct queue {
	struct job *v;
	size_t head, n, alloc;
};

struct hpc_workers {
	pthread_mutex_t mu;
	pthread_cond_t todo_cv, done_cv;
	struct queue todo, done;
	pthread_t *threads;
	int nthreads, started;
	size_t pending;
	bool quit;
	atomic_bool cancel;
};

static void queue_push(struct queue *q, struct job j)
{
	if (q->head + q->n == q->alloc) {
		if (q->head) { /* reuse the consumed front */
			for (size_t i = 0; i < q->n; i++)
				q->v[i] = q->v[q->head + i];
			q->head = 0;
		} else {
			q->alloc = q->alloc ? 2 * q->alloc : 16;
			q->v = hpc_xrealloc(q->v, q->alloc * sizeof(*q->v));
		}
	}
	q->v[q->head + q->n++] = j;
}

static struct job queue_pop(struct queue *q)
{
	struct job j = q->v[q->head++];

	if (--q->n == 0)
		q->head = 0;
	return j;
}

static int cpus(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set) > 0 ? CPU_COUNT(&set) : 1;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

struct hpc_workers *hpc_workers_new(int nthreads)
{
	struct hpc_workers *w = hpc_xcalloc(1, sizeof(*w));

	w->nthreads = nthreads > 0 ? nthreads : cpus();
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->todo_cv, NULL);
	pthread_cond_init(&w->done_cv, NULL);
	w->threads = hpc_xcalloc((size_t)w->nthreads, sizeof(*w->threads));
	atomic_init(&w->cancel, false);
	return w;
}

static void *worker_main(void *arg)
{
	struct hpc_workers *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct job j;

		while (!w->todo.n && !w->quit)
			pthread_cond_wait(&w->todo_cv, &w->mu);
		if (!w->todo.n)
			break;
		j = queue_pop(&w->todo);
		pthread_mutex_unlock(&w->mu);
		j.fn(w, j.arg);
		pthread_mutex_lock(&w->mu);
		queue_push(&w->done, j);
		pthread_cond_signal(&w->done_cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

void hpc_workers_add(struct hpc_workers *w, hpc_job_fn *fn, void *job)
{
	pthread_mutex_lock(&w->mu);
	queue_push(&w->todo, (struct job){ fn, job });
	w->pending++;
	/* threads start on demand: a transaction with one package needs none spare */
	if (w->nthreads > 1 && w->started < w->nthreads && w->started < (int)w->pending &&
	    pthread_create(&w->threads[w->started], NULL, worker_main, w) == 0)
		w->started++;
	pthread_cond_signal(&w->todo_cv);
	pthread_mutex_unlock(&w->mu);
}

static void deadline_after(struct timespec *ts, double seconds)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += (time_t)seconds;
	ts->tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

void *hpc_workers_next(struct hpc_workers *w, double timeout)
{
	struct timespec ts;
	void *r = NULL;

	pthread_mutex_lock(&w->mu);
	if (!w->started && w->todo.n) { /* no threads: run one job here */
		struct job j = queue_pop(&w->todo);

		pthread_mutex_unlock(&w->mu);
		j.fn(w, j.arg);
		pthread_mutex_lock(&w->mu);
		queue_push(&w->done, j);
	}
	deadline_after(&ts, timeout);
	while (!w->done.n && w->pending && w->started)
		if (pthread_cond_timedwait(&w->done_cv, &w->mu, &ts) != 0)
			break;
	if (w->done.n) {
		r = queue_pop(&w->done).arg;
		w->pending--;
	}
	pthread_mutex_unlock(&w->mu);
	return r;
}

size_t hpc_workers_pending(const struct hpc_workers *w)
{
	return w->pending;
}

void hpc_workers_cancel(struct hpc_workers *w)
{
	atomic_store(&w->cancel, true);
}

bool hpc_workers_cancelling(const struct hpc_workers *w)
{
	return atomic_load(&((struct hpc_workers *)w)->cancel);
}

int hpc_workers_threads(const struct hpc_workers *w)
{
	return w->nthreads;
}

void hpc_workers_free(struct hpc_workers *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->quit = true;
	pthread_cond_broadcast(&w->todo_cv);
	pthread_mutex_unlock(&w->mu);
	for (int i = 0; i < w->started; i++)
		pthread_join(w->threads[i], NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->todo_cv);
	pthread_cond_destroy(&w->done_cv);
	free(w->todo.v);
	free(w->done.v);
	free(w->threads);
	free(w);
}
