/*
 * pool.c: the shared trial runner (pool.h).
 */
#include "pool.h"

#include <pthread.h>
#include <time.h>

struct shared {
	const struct fc_pool *p;
	long next, done;
	enum fc_status st;
	pthread_mutex_t mu;
};

static int
cancelled(const struct fc_pool *p)
{
	return p->cancel && *p->cancel;
}

static void
fail(struct shared *sh, enum fc_status st)
{
	pthread_mutex_lock(&sh->mu);
	if (sh->st == FC_OK)
		sh->st = st;
	pthread_mutex_unlock(&sh->mu);
}

static void *
worker(void *arg)
{
	struct shared *sh = arg;
	const struct fc_pool *p = sh->p;
	void *state = p->init ? p->init(p->ctx) : NULL;
	enum fc_status st = p->init && state == NULL ? FC_ENOMEM : FC_OK;
	long lo, hi, bl = p->block > 0 ? p->block : FC_POOL_BLOCK;

	while (st == FC_OK) {
		pthread_mutex_lock(&sh->mu);
		lo = sh->next;
		sh->next += bl;
		if (sh->st != FC_OK || cancelled(p))
			lo = p->n;
		pthread_mutex_unlock(&sh->mu);
		if (lo >= p->n)
			break;
		hi = lo + bl < p->n ? lo + bl : p->n;
		st = p->run(p->ctx, state, lo, hi);
		pthread_mutex_lock(&sh->mu);
		sh->done += hi - lo;
		pthread_mutex_unlock(&sh->mu);
	}
	if (st != FC_OK)
		fail(sh, st);
	if (state && p->fini)
		p->fini(state);
	return NULL;
}

static void
report(const struct fc_pool *p, long done)
{
	p->progress(p->progress_ctx, p->progress_base + done,
	    p->progress_total > 0 ? p->progress_total : p->n);
}

enum fc_status
fc_pool_run(const struct fc_pool *p)
{
	pthread_t th[FC_MAX_THREADS];
	struct shared sh;
	int t, nth = p->threads < 1 ? 1 : p->threads > FC_MAX_THREADS ? FC_MAX_THREADS :
	    p->threads;
	long last = -1, bl = p->block > 0 ? p->block : FC_POOL_BLOCK;

	if (p->n < 1)
		return FC_OK;
	if (nth > (p->n + bl - 1) / bl)
		nth = (int)((p->n + bl - 1) / bl);
	sh.p = p;
	sh.next = sh.done = 0;
	sh.st = FC_OK;
	pthread_mutex_init(&sh.mu, NULL);
	for (t = 1; t < nth; t++)
		if (pthread_create(&th[t], NULL, worker, &sh) != 0) {
			nth = t;
			break;
		}
	/* the calling thread reports progress while the others work, then
	 * joins in for what is left */
	while (p->progress && nth > 1) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		long done;
		int end;
		pthread_mutex_lock(&sh.mu);
		done = sh.done;
		end = done >= p->n || sh.next >= p->n || sh.st != FC_OK;
		pthread_mutex_unlock(&sh.mu);
		if (done != last)
			report(p, done);
		last = done;
		if (end || cancelled(p))
			break;
		nanosleep(&ts, NULL);
	}
	worker(&sh);
	for (t = 1; t < nth; t++)
		pthread_join(th[t], NULL);
	if (p->progress)
		report(p, sh.done);
	pthread_mutex_destroy(&sh.mu);
	if (sh.st == FC_OK && cancelled(p))
		return FC_ERANGE;
	return sh.st;
}
