/*
 * fuzz.h: what the libFuzzer targets (tests/fuzz/fuzz_*.c) share.
 *
 * Each target feeds one parser that takes outside input.  They link
 * build-fuzz/libflatcost.a (and, for the command-line parsers,
 * build-fuzz/libcli.a) built with -fsanitize=fuzzer-no-link,address,
 * undefined; scripts/fuzz.sh runs them.  Errors a target's input causes
 * are expected (they are diagnostics); a crash, a sanitizer report, a leak
 * or a time-out is a bug.  Every crash found becomes a file in
 * tests/fuzz/regress/<target>/, which `make fuzz-regress` replays.
 */
#ifndef FC_FUZZ_H
#define FC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The bundled data: $FLATCOST_DATA, else data/ (the fuzzers run from the
 * repository root). */
static inline const char *
fuzz_data_dir(void)
{
	const char *e = getenv("FLATCOST_DATA");

	return e && *e ? e : "data";
}

/* A NUL-terminated copy of the input (the parsers of argument strings
 * take C strings: a NUL inside ends the string, as it would in argv). */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Every diagnostic must be well formed: a message, and a location whose
 * line and column are not negative. */
static inline void
fuzz_check_diags(const struct fc_diags *d)
{
	size_t i;

	if (d->n > d->cap)
		abort();
	for (i = 0; i < d->n; i++) {
		if (d->v[i].msg == NULL || d->v[i].loc.line < 0 || d->v[i].loc.col < 0)
			abort();
		(void)strlen(d->v[i].msg);
		if (d->v[i].loc.file)
			(void)strlen(d->v[i].loc.file);
	}
}

#endif
