/*
 * bench_tokenize.c: tokenizing speed of o200k_base and cl100k_base
 * (model/tokenize.h) on the reference corpus, on the repository's man page
 * and on 100,000 spaces (a long piece, where a quadratic merge would
 * show).  Prints the load time, MB/s and tokens; asserts nothing about
 * time.  Run from the repository root (data/, tests/data/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tokenize.h"

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

static void
run(const struct fc_tokenizer *t, const char *what, const char *text, size_t len)
{
	double t0 = now_s(), dt;
	size_t n = 0;
	int reps = 0;

	do {
		fc_tokenizer_count(t, text, len, &n, NULL, 0);
		reps++;
	} while ((dt = now_s() - t0) < 0.5);
	printf("  %-12s %-28s %9zu bytes %8zu tokens %8.1f MB/s\n", fc_tokenizer_name(t), what,
	    len, n, (double)len * reps / dt / 1e6);
}

int
main(void)
{
	const char *names[] = { "o200k_base", "cl100k_base" };
	size_t lc = 0, lm = 0, i, ls = 100000;
	char *corpus = slurp("tests/data/tokenize/corpus.jsonl", &lc);
	char *man = slurp("man/flatcost.1", &lm);
	char *sp = malloc(ls);

	if (corpus == NULL || man == NULL || sp == NULL) {
		fprintf(stderr, "bench_tokenize: run from the repository root\n");
		return 1;
	}
	memset(sp, ' ', ls);
	printf("tokenize:\n");
	for (i = 0; i < 2; i++) {
		struct fc_tokenizer *t = NULL;
		struct fc_diags d;
		double t0 = now_s();

		fc_diags_init(&d);
		if (fc_tokenizer_load(names[i], "data", &t, &d) != FC_OK) {
			fprintf(stderr, "bench_tokenize: cannot load %s\n", names[i]);
			return 1;
		}
		fc_diags_free(&d);
		printf("  %-12s load %.0f ms\n", names[i], 1e3 * (now_s() - t0));
		run(t, "corpus.jsonl (mixed)", corpus, lc);
		run(t, "man/flatcost.1 (roff)", man, lm);
		run(t, "100,000 spaces", sp, ls);
		fc_tokenizer_free(t);
	}
	free(corpus);
	free(man);
	free(sp);
	return 0;
}
