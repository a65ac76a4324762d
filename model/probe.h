/*
 * probe.h: what `flatcost bench --probe` measures without a server: this
 * machine's effective memory bandwidth (a multi-threaded STREAM-style
 * read) and arithmetic rate, the host facts a hardware profile records
 * (CPU model, vCPUs, RAM from /proc), the model catalogue's sizes, and the
 * roofline prediction of decode and prefill speed from them.
 *
 * Roofline (docs/model.md, "Throughput: the roofline"): single-stream decode reads every weight
 * once per token, so tok/s = bandwidth / (weight bytes + KV bytes);
 * prefill does 2 flops per parameter per token, so tok/s = FLOPS /
 * (2 x parameters).  Both are upper bounds (efficiency 1); measured
 * engines reach 0.6-0.97 of the decode bound on CPUs.
 *
 * Nothing here prints; fc_probe_run() starts and joins its own threads.
 */
#ifndef FC_PROBE_H
#define FC_PROBE_H

#include <stddef.h>

#include "data.h"
#include "fc.h"
#include "ynode.h"

struct fc_probe_result {
	double bw_gbs;       /* effective read bandwidth, GB/s (1e9 bytes/s) */
	double gflops;       /* f32 multiply-add rate, GFLOP/s, all threads */
	const char *isa;     /* the kernel used, e.g. "avx2 f32 fma" (static) */
	int threads;         /* threads used */
	size_t bytes;        /* size of the array read */
	double seconds;      /* wall time the probe took */
};

/*
 * Measures read bandwidth over an array of `bytes` (0: 512 MiB; use
 * several times the last-level cache) split among `threads` threads, best
 * of several passes, then the arithmetic rate with the same threads.
 * FC_ENOMEM when the array cannot be allocated, FC_EIO when a thread
 * cannot be started.
 */
enum fc_status fc_probe_run(int threads, size_t bytes, struct fc_probe_result *r);

/* Facts about this host, from /proc (proc_root, normally "/proc"). */
struct fc_host_facts {
	char cpu_model[128];  /* "model name" of the first processor, "" if unknown */
	int vcpu;             /* processors listed, 0 if unknown */
	double ram_gb;        /* MemTotal in GB (1e9 bytes), 0 if unknown */
};
/* FC_EIO when neither cpuinfo nor meminfo can be read. */
enum fc_status fc_probe_host(const char *proc_root, struct fc_host_facts *h);

/* One model of data/models.yaml. */
struct fc_probe_model {
	const char *id;          /* borrowed from the YAML tree */
	const char *name;        /* borrowed; may be NULL */
	double params_b;         /* parameters, billions */
	double weights_gb[FC_NQUANT];        /* GB by enum fc_quant (data.h), 0 if absent */
	double kv_bytes_per_token;           /* 0 if absent */
	const struct fc_ynode *node;         /* the entry, for other fields */
};

/*
 * Reads the models of a catalogue tree: a map of id -> entry (optionally
 * under a top-level `models:` key), or a sequence of entries with an `id`.
 * Entries without params_b are skipped; *out is an array of *n models
 * that borrows strings from root (keep root alive), freed with fc_free().
 */
enum fc_status fc_probe_models(const struct fc_ynode *root,
    struct fc_probe_model **out, size_t *n, struct fc_diags *d);
const struct fc_probe_model *fc_probe_model_find(
    const struct fc_probe_model *m, size_t n, const char *id);
/* An unsigned integer field of a model entry (layers, embd, ...), or 0. */
unsigned long long fc_probe_model_uint(const struct fc_probe_model *m,
    const char *key);

/* Roofline single-stream decode tok/s for weights_gb of weights and
 * kv_bytes of KV cache read per token, at efficiency 1. */
double fc_probe_decode_tok_s(double bw_gbs, double weights_gb, double kv_bytes);
/* Roofline prefill tok/s for params_b billion parameters. */
double fc_probe_prefill_tok_s(double gflops, double params_b);

#endif
