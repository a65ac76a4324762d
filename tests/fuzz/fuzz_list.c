/*
 * fuzz_list.c: the list arguments of `flatcost bench`: --concurrency
 * ("1,2,4,8", "1-32*2", "1-8+1", mixed), --rate ("0.5,1,2") and --slo
 * ("ttft=2s,tpot=200ms,e2e=30s"), through the parsers bench calls
 * (model/benchstat.c).  The first byte picks the parser.
 *
 * What comes out must hold what the header promises: at most cap values,
 * each within its bounds, no duplicates; an error always has a message.
 */
#include <math.h>
#include <stdio.h>

#include "benchstat.h"
#include "fuzz.h"

#define CAP 64

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long levels[CAP];
	double rates[CAP];
	struct fc_benchstat_slo slo;
	char err[256], *s;
	int n, i, j;

	if (size < 1 || size > 1024)
		return -1;
	s = fuzz_cstr(data + 1, size - 1);
	err[0] = '\0';
	switch (data[0] % 3) {
	case 0:
		n = fc_benchstat_levels_parse(s, 1024, levels, CAP, err, sizeof(err));
		if (n < 0 && err[0] == '\0')
			abort();
		for (i = 0; i < n; i++) {
			if (i >= CAP || levels[i] < 1 || levels[i] > 1024)
				abort();
			for (j = 0; j < i; j++)
				if (levels[j] == levels[i])
					abort();
		}
		break;
	case 1:
		n = fc_benchstat_rates_parse(s, 1e6, rates, CAP, err, sizeof(err));
		if (n < 0 && err[0] == '\0')
			abort();
		for (i = 0; i < n; i++)
			if (i >= CAP || !(rates[i] > 0 && rates[i] <= 1e6))
				abort();
		break;
	default:
		memset(&slo, 0, sizeof(slo));
		if (fc_benchstat_slo_parse(s, &slo, err, sizeof(err)) < 0 && err[0] == '\0')
			abort();
		break;
	}
	(void)strnlen(err, sizeof(err));
	free(s);
	return 0;
}
