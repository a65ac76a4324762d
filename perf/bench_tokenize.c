/*
 * bench_tokenize.c: tokenizing speed of o200k_base and cl100k_base
 * (model/tokenize.h) on the reference corpus, on the repository's man page
 * and on 100,000 spaces (a long piece, where a quadratic merge would
 * show), and their load times: the rank file parsed, read from the cache
 * on disk, and shared within the process (the best of five each); and
 * the GGUF vocabularies of the tests (Qwen2.5's BPE, Mistral 7B's
 * SentencePiece): their load and speed.
 * Prints the times, MB/s and tokens; asserts nothing about time.  Run
 * from the repository root (data/, tests/data/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "tokenize.h"
#include "tokenize_int.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
		if (f)
			fclose(f);
		return NULL;
	}
	rewind(f);
	if ((b = malloc((size_t)n + 1)) == NULL || fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* Unpacks tests/data/tokenize/NAME.gguf.gz into path. */
static int
gunzip_to(const char *name, const char *path)
{
	char src[160], buf[1 << 16];
	gzFile g;
	FILE *f;
	int n, rc = 0;

	snprintf(src, sizeof(src), "tests/data/tokenize/%s.gguf.gz", name);
	if ((g = gzopen(src, "rb")) == NULL)
		return -1;
	if ((f = fopen(path, "wb")) == NULL) {
		gzclose(g);
		return -1;
	}
	while ((n = gzread(g, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, (size_t)n, f) != (size_t)n)
			rc = -1;
	if (n < 0 || gzclose(g) != Z_OK)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

static struct fc_tokenizer *
load(const char *name)
{
	struct fc_tokenizer *t = NULL;
	struct fc_diags d;

	fc_diags_init(&d);
	if (fc_tokenizer_load(name, "data", &t, &d) != FC_OK) {
		fprintf(stderr, "bench_tokenize: cannot load %s\n", name);
		exit(1);
	}
	fc_diags_free(&d);
	return t;
}

/* The best of five loads of name, in milliseconds; forget: with the
 * process's shared tokenizers dropped before each. */
static double
load_ms(const char *name, int forget)
{
	double best = 1e9, t0, dt;
	int k;

	for (k = 0; k < 5; k++) {
		if (forget)
			fc_tokenizer_forget_shared();
		t0 = now_s();
		fc_tokenizer_free(load(name));
		if ((dt = 1e3 * (now_s() - t0)) < best)
			best = dt;
	}
	return best;
}

static void
run(const struct fc_tokenizer *t, const char *label, const char *what, const char *text,
    size_t len)
{
	double t0 = now_s(), dt;
	size_t n = 0;
	int reps = 0;

	do {
		fc_tokenizer_count(t, text, len, &n, NULL, 0);
		reps++;
	} while ((dt = now_s() - t0) < 0.5);
	printf("  %-12s %-28s %9zu bytes %8zu tokens %8.1f MB/s\n", label, what,
	    len, n, (double)len * reps / dt / 1e6);
}

int
main(void)
{
	const char *names[] = { "o200k_base", "cl100k_base" };
	size_t lc = 0, lm = 0, i, ls = 100000;
	char cache[] = "/tmp/fc_bench_tok_XXXXXX", path[128];
	char *corpus = slurp("tests/data/tokenize/corpus.jsonl", &lc);
	char *man = slurp("man/flatcost.1", &lm);
	char *sp = malloc(ls);

	if (corpus == NULL || man == NULL || sp == NULL) {
		fprintf(stderr, "bench_tokenize: run from the repository root\n");
		return 1;
	}
	memset(sp, ' ', ls);
	if (mkdtemp(cache) == NULL) {
		fprintf(stderr, "bench_tokenize: no temporary directory\n");
		return 1;
	}
	printf("tokenize:\n");
	for (i = 0; i < 2; i++) {
		struct fc_tokenizer *t = NULL;
		double parse, disk, shared;

		/* the rank file parsed (no cache), then read back from the cache
		 * on disk it wrote (a new process's load), then shared in the
		 * process (the next scenario's load) */
		fc_tokenizer_set_cache_dir(NULL);
		parse = load_ms(names[i], 1);
		fc_tokenizer_set_cache_dir(cache);
		load_ms(names[i], 1);   /* writes the cache */
		disk = load_ms(names[i], 1);
		shared = load_ms(names[i], 0);
		printf("  %-12s load %.0f ms parsed, %.1f ms from the disk cache, "
		    "%.2f ms shared in the process\n", names[i], parse, disk, shared);
		t = load(names[i]);
		run(t, names[i], "corpus.jsonl (mixed)", corpus, lc);
		run(t, names[i], "man/flatcost.1 (roff)", man, lm);
		run(t, names[i], "100,000 spaces", sp, ls);
		fc_tokenizer_free(t);
	}
	/* GGUF vocabularies: byte-level BPE (Qwen2.5) and SentencePiece
	 * (Mistral 7B), the test files unpacked */
	for (i = 0; i < 2; i++) {
		const char *g[] = { "qwen2_5", "mistral7b" };
		struct fc_tokenizer *t;
		char name[160];
		double parse;

		snprintf(path, sizeof(path), "%s/%s.gguf", cache, g[i]);
		if (gunzip_to(g[i], path) != 0) {
			fprintf(stderr, "bench_tokenize: cannot unpack %s\n", g[i]);
			return 1;
		}
		snprintf(name, sizeof(name), "gguf:%s", path);
		parse = load_ms(name, 1);
		printf("  %-12s load %.0f ms (the GGUF file read and parsed)\n", g[i], parse);
		t = load(name);
		run(t, g[i], "corpus.jsonl (mixed)", corpus, lc);
		run(t, g[i], "100,000 spaces", sp, ls);
		fc_tokenizer_free(t);
		fc_tokenizer_forget_shared();
		unlink(path);
	}
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s.bin", cache, names[i]);
		unlink(path);
	}
	rmdir(cache);
	free(corpus);
	free(man);
	free(sp);
	return 0;
}
