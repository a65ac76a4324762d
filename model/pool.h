/*
 * pool.h: the trial runner every Monte Carlo engine shares (mc.c,
 * compare.c): trials [0, n) split into blocks of FC_POOL_BLOCK that
 * threads take in turn, cancellation, and progress reported from the
 * calling thread.
 *
 * Determinism is the callers' part of the contract and this runner's:
 * each trial writes only its own slots (by trial index) and draws from
 * streams seeded by its index (mc.h), so which thread ran a trial, and in
 * what order, changes no byte; the runner itself decides nothing that
 * depends on timing except which thread takes which block.
 */
#ifndef FC_POOL_H
#define FC_POOL_H

#include "fc.h"

#define FC_POOL_BLOCK 64

struct fc_pool {
	long n;               /* trials [0, n), n >= 1 */
	long block;           /* trials a thread takes at a time; 0: FC_POOL_BLOCK */
	int threads;          /* >= 1; at most FC_MAX_THREADS and one per block */
	/* Per-thread state (random number generators): made by init(ctx) in
	 * the thread that uses it, NULL for out of memory; freed by fini.
	 * Both may be NULL (then every call gets NULL). */
	void *(*init)(void *ctx);
	void (*fini)(void *state);
	/* Runs trials lo..hi-1 with the thread's state; a status other than
	 * FC_OK stops every thread, and the first one is returned. */
	enum fc_status (*run)(void *ctx, void *state, long lo, long hi);
	void *ctx;
	/* called now and then from the calling thread with (base + trials
	 * done, total); may be NULL */
	void (*progress)(void *ctx, long done, long total);
	void *progress_ctx;
	long progress_base, progress_total;
	volatile int *cancel; /* stop when it becomes nonzero; may be NULL */
};

/*
 * Runs p->run over [0, p->n) on p->threads threads (the calling thread
 * one of them, after reporting progress while the others work).  FC_OK,
 * the first failing status of p->run, FC_ENOMEM (a thread's state), or
 * FC_ERANGE when cancelled.
 */
enum fc_status fc_pool_run(const struct fc_pool *p);

#endif
