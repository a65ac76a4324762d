/*
 * probe.c: memory bandwidth and arithmetic rate of this machine, host
 * facts from /proc, the model catalogue, and the roofline prediction.
 *
 * The bandwidth probe reads (never writes) a large array from several
 * threads at once, as a decoding engine streams its weights; the best of
 * several passes is kept, as STREAM does, so that a stray interruption
 * does not count.  The arithmetic probe runs independent f32 fused
 * multiply-adds in the widest vectors the CPU has (AVX-512, AVX2+FMA,
 * chosen at run time, as inference engines choose their kernels), else
 * plain 16-byte vector multiply-adds that any compiler maps to SIMD.
 */
#include "probe.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_X86_KERNELS 1
#endif

#define BW_PASSES 5
#define ARITH_SECONDS 0.15     /* target duration of one arithmetic pass */

typedef uint64_t u64x2 __attribute__((vector_size(16)));
typedef float f32x4 __attribute__((vector_size(16)));

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct job {
	const unsigned char *p;   /* bandwidth: slice to read */
	size_t n;                 /* bytes in the slice (multiple of 64) */
	long iters;               /* arithmetic: loop count */
	uint64_t sum;             /* result, so the work is not optimised away */
	float fsum;
};

static void *
read_slice(void *arg)
{
	struct job *j = arg;
	const u64x2 *v = (const u64x2 *)(const void *)j->p;
	size_t i, n = j->n / sizeof(u64x2);
	u64x2 a = { 0, 0 }, b = { 0, 0 }, c = { 0, 0 }, d = { 0, 0 };

	for (i = 0; i + 4 <= n; i += 4) {
		a += v[i];
		b += v[i + 1];
		c += v[i + 2];
		d += v[i + 3];
	}
	a += b + c + d;
	j->sum = a[0] + a[1];
	return NULL;
}

#ifdef HAVE_X86_KERNELS
/* 12 independent FMA chains cover the latency (4) times the ports (2). */
#define FMA_CHAINS(T, SET1, FMA, ADD, LANES, STORE) do {                  \
	T m = SET1(0.999999f), c = SET1(1e-6f);                           \
	T x0 = SET1(0), x1 = SET1(1), x2 = SET1(2), x3 = SET1(3);         \
	T x4 = SET1(4), x5 = SET1(5), x6 = SET1(6), x7 = SET1(7);         \
	T x8 = SET1(8), x9 = SET1(9), x10 = SET1(10), x11 = SET1(11);     \
	float out[LANES];                                                 \
	long i;                                                           \
	for (i = 0; i < j->iters; i++) {                                  \
		x0 = FMA(x0, m, c); x1 = FMA(x1, m, c);                   \
		x2 = FMA(x2, m, c); x3 = FMA(x3, m, c);                   \
		x4 = FMA(x4, m, c); x5 = FMA(x5, m, c);                   \
		x6 = FMA(x6, m, c); x7 = FMA(x7, m, c);                   \
		x8 = FMA(x8, m, c); x9 = FMA(x9, m, c);                   \
		x10 = FMA(x10, m, c); x11 = FMA(x11, m, c);               \
	}                                                                 \
	x0 = ADD(ADD(ADD(x0, x1), ADD(x2, x3)), ADD(ADD(x4, x5), ADD(x6, x7))); \
	x0 = ADD(x0, ADD(ADD(x8, x9), ADD(x10, x11)));                    \
	STORE(out, x0);                                                   \
	j->fsum = out[0];                                                 \
} while (0)

__attribute__((target("avx2,fma"))) static void *
arith_avx2(void *arg)
{
	struct job *j = arg;

	FMA_CHAINS(__m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps, 8,
	    _mm256_storeu_ps);
	return NULL;
}

__attribute__((target("avx512f"))) static void *
arith_avx512(void *arg)
{
	struct job *j = arg;

	FMA_CHAINS(__m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps, 16,
	    _mm512_storeu_ps);
	return NULL;
}
#endif

static void *
arith(void *arg)
{
	struct job *j = arg;
	f32x4 x0 = { 1, 2, 3, 4 }, x1 = x0 + 1, x2 = x0 + 2, x3 = x0 + 3;
	f32x4 x4 = x0 + 4, x5 = x0 + 5, x6 = x0 + 6, x7 = x0 + 7;
	const f32x4 m = { 0.999999f, 0.999999f, 0.999999f, 0.999999f };
	const f32x4 c = { 1e-6f, 1e-6f, 1e-6f, 1e-6f };
	long i;

	/* 8 independent chains hide the add latency */
	for (i = 0; i < j->iters; i++) {
		x0 = x0 * m + c; x1 = x1 * m + c; x2 = x2 * m + c; x3 = x3 * m + c;
		x4 = x4 * m + c; x5 = x5 * m + c; x6 = x6 * m + c; x7 = x7 * m + c;
	}
	x0 += x1 + x2 + x3 + x4 + x5 + x6 + x7;
	j->fsum = x0[0] + x0[1] + x0[2] + x0[3];
	return NULL;
}

/* Runs fn on every job in its own thread; returns wall seconds, or -1. */
static double
run_threads(void *(*fn)(void *), struct job *jobs, int n)
{
	pthread_t tid[256];
	double t0;
	int i, started = 0, ok = 1;

	t0 = now_s();
	for (i = 0; i < n; i++) {
		if (pthread_create(&tid[i], NULL, fn, &jobs[i]) != 0) {
			ok = 0;
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	return ok ? now_s() - t0 : -1;
}

enum fc_status
fc_probe_run(int threads, size_t bytes, struct fc_probe_result *r)
{
	struct job jobs[256];
	unsigned char *p;
	size_t slice, i;
	double t, best = 0, start = now_s(), per_iter;
	void *(*kernel)(void *);
	long iters = 200000;
	int k;

	memset(r, 0, sizeof(*r));
	if (threads < 1)
		threads = 1;
	if (threads > 256)
		threads = 256;
	if (bytes == 0)
		bytes = (size_t)512 << 20;
	slice = bytes / (size_t)threads / 64 * 64;
	if (slice == 0)
		slice = 64;
	bytes = slice * (size_t)threads;
	p = fc_malloc(bytes);
	if (p == NULL)
		return FC_ENOMEM;
	for (i = 0; i < bytes; i += 4096)  /* fault every page in before timing */
		p[i] = (unsigned char)i;
	memset(p, 1, bytes);

	memset(jobs, 0, sizeof(jobs));
	for (k = 0; k < threads; k++) {
		jobs[k].p = p + (size_t)k * slice;
		jobs[k].n = slice;
	}
	for (k = 0; k < BW_PASSES; k++) {
		t = run_threads(read_slice, jobs, threads);
		if (t < 0) {
			fc_free(p);
			return FC_EIO;
		}
		if (t > 0 && (double)bytes / t > best)
			best = (double)bytes / t;
	}
	fc_free(p);
	r->bw_gbs = best / 1e9;

	/* the widest kernel this CPU runs; flops per loop iteration */
	kernel = arith;
	per_iter = 64;          /* 8 vectors x 4 lanes x (mul + add) */
	r->isa = "sse/neon f32 mul+add";
#ifdef HAVE_X86_KERNELS
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f")) {
		kernel = arith_avx512;
		per_iter = 12 * 16 * 2;
		r->isa = "avx512 f32 fma";
	} else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
		kernel = arith_avx2;
		per_iter = 12 * 8 * 2;
		r->isa = "avx2 f32 fma";
	}
#endif
	/* calibrate the loop to about ARITH_SECONDS, then keep the best of 3 */
	for (k = 0; k < threads; k++)
		jobs[k].iters = iters;
	t = run_threads(kernel, jobs, threads);
	if (t < 0)
		return FC_EIO;
	if (t > 0 && t < ARITH_SECONDS)
		iters = (long)((double)iters * ARITH_SECONDS / t);
	best = 0;
	for (i = 0; i < 3; i++) {
		for (k = 0; k < threads; k++)
			jobs[k].iters = iters;
		t = run_threads(kernel, jobs, threads);
		if (t < 0)
			return FC_EIO;
		if (t > 0 && per_iter * (double)iters * threads / t > best)
			best = per_iter * (double)iters * threads / t;
	}
	r->gflops = best / 1e9;
	r->threads = threads;
	r->bytes = bytes;
	r->seconds = now_s() - start;
	return FC_OK;
}

/* ---- host facts ---- */

static void
trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

enum fc_status
fc_probe_host(const char *proc_root, struct fc_host_facts *h)
{
	char path[512], line[512];
	FILE *f;
	int found = 0;

	memset(h, 0, sizeof(*h));
	snprintf(path, sizeof(path), "%s/cpuinfo", proc_root);
	if ((f = fopen(path, "r")) != NULL) {
		found = 1;
		while (fgets(line, sizeof(line), f)) {
			char *colon = strchr(line, ':');

			if (strncmp(line, "processor", 9) == 0 && colon)
				h->vcpu++;
			else if (strncmp(line, "model name", 10) == 0 && colon &&
			    h->cpu_model[0] == '\0') {
				colon++;
				while (*colon == ' ' || *colon == '\t')
					colon++;
				snprintf(h->cpu_model, sizeof(h->cpu_model), "%s", colon);
				trim(h->cpu_model);
			}
		}
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/meminfo", proc_root);
	if ((f = fopen(path, "r")) != NULL) {
		found = 1;
		while (fgets(line, sizeof(line), f)) {
			unsigned long long kb;

			if (sscanf(line, "MemTotal: %llu kB", &kb) == 1) {
				h->ram_gb = (double)kb * 1024.0 / 1e9;
				break;
			}
		}
		fclose(f);
	}
	return found ? FC_OK : FC_EIO;
}

/* ---- the model catalogue ---- */

static int
num(const struct fc_ynode *n, double *out)
{
	if (n == NULL || n->kind != FC_Y_SCALAR || n->quoted)
		return -1;
	return fc_ynode_parse_double(n->str, out);
}

/* Fills m from entry e; returns 0 when it is a model (has params_b). */
static int
read_model(const char *id, const struct fc_ynode *e, struct fc_probe_model *m,
    struct fc_diags *d)
{
	const struct fc_ynode *w, *nm;
	int i;

	memset(m, 0, sizeof(*m));
	if (e->kind != FC_Y_MAP || num(fc_ynode_get(e, "params_b"), &m->params_b))
		return -1;
	if (!(m->params_b > 0)) {
		fc_error(d, fc_ynode_get(e, "params_b")->loc,
		    "params_b must be positive");
		return -1;
	}
	m->id = id;
	m->node = e;
	nm = fc_ynode_get(e, "name");
	m->name = nm && nm->kind == FC_Y_SCALAR ? nm->str : NULL;
	num(fc_ynode_get(e, "kv_bytes_per_token"), &m->kv_bytes_per_token);
	w = fc_ynode_get(e, "weights_gb");
	if (w && w->kind == FC_Y_MAP)
		for (i = 0; i < FC_NQUANT; i++)
			num(fc_ynode_get(w, fc_quant_names[i]), &m->weights_gb[i]);
	return 0;
}

enum fc_status
fc_probe_models(const struct fc_ynode *root, struct fc_probe_model **out,
    size_t *n, struct fc_diags *d)
{
	const struct fc_ynode *list = root, *sub;
	struct fc_probe_model *v;
	size_t i, k = 0, errors0 = d->n_errors;

	*out = NULL;
	*n = 0;
	if (root == NULL)
		return FC_EINVAL;
	if (root->kind == FC_Y_MAP && (sub = fc_ynode_get(root, "models")) != NULL &&
	    sub->kind != FC_Y_SCALAR)
		list = sub;
	if (list->kind == FC_Y_SCALAR)
		return fc_error(d, list->loc, "expected a map of models");
	v = fc_calloc(list->n ? list->n : 1, sizeof(*v));
	if (v == NULL)
		return FC_ENOMEM;
	for (i = 0; i < list->n; i++) {
		const struct fc_ynode *e = list->vals[i];
		const char *id;

		if (list->kind == FC_Y_MAP) {
			id = list->keys[i]->str;
		} else {
			const struct fc_ynode *idn = e->kind == FC_Y_MAP ?
			    fc_ynode_get(e, "id") : NULL;
			if (idn == NULL || idn->kind != FC_Y_SCALAR)
				continue;
			id = idn->str;
		}
		if (read_model(id, e, &v[k], d) == 0)
			k++;
	}
	if (d->n_errors > errors0) {
		fc_free(v);
		return FC_EINVAL;
	}
	*out = v;
	*n = k;
	return FC_OK;
}

const struct fc_probe_model *
fc_probe_model_find(const struct fc_probe_model *m, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(m[i].id, id) == 0)
			return &m[i];
	return NULL;
}

unsigned long long
fc_probe_model_uint(const struct fc_probe_model *m, const char *key)
{
	double v;

	if (num(fc_ynode_get(m->node, key), &v) || v < 0 || v > 1e15 ||
	    v != (double)(unsigned long long)v)
		return 0;
	return (unsigned long long)v;
}

double
fc_probe_decode_tok_s(double bw_gbs, double weights_gb, double kv_bytes)
{
	double bytes = weights_gb * 1e9 + kv_bytes;

	return bytes > 0 ? bw_gbs * 1e9 / bytes : 0;
}

double
fc_probe_prefill_tok_s(double gflops, double params_b)
{
	return params_b > 0 ? gflops / (2.0 * params_b) : 0;
}
