/*
 * fuzz_range.c: the range arguments of `flatcost sweep`: --users
 * FROM:TO[:STEPS] (or a fixed --users N beside --vary), --vary
 * KEY=FROM:TO:STEPS, and the spacing, through the command's own
 * parse_axis() (which is static: this file includes cmd/cmd_sweep.c).
 *
 * Input: the first byte picks which options are given and the spacing;
 * the rest is the --users argument, then after a newline the --vary one.
 * The points must come out strictly increasing, finite, within FROM..TO,
 * at most STEPS of them, and whole numbers for user counts.
 */
#include "../../cmd/cmd_sweep.c"

#include "fuzz.h"

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
	static struct axis a;
	const char *users = NULL, *vary = NULL;
	char *text, *nl;
	double fixed;
	int spacing;
	size_t i;

	if (size < 1 || size > 512)
		return -1;
	text = fuzz_cstr(data + 1, size - 1);
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	if (data[0] & 1)
		users = text;
	if (data[0] & 2)
		vary = nl ? nl + 1 : text;
	spacing = (int)((data[0] >> 2) % 3) - 1;
	memset(&a, 0, sizeof(a));
	if (parse_axis(users, vary, spacing, &a, &fixed) == 0) {
		if (a.n < 2 || a.n > MAX_STEPS || a.n > (size_t)a.steps)
			abort();
		for (i = 0; i < a.n; i++) {
			if (!isfinite(a.x[i]) || a.x[i] < a.from || a.x[i] > a.to)
				abort();
			if (i > 0 && !(a.x[i] > a.x[i - 1]))
				abort();
			if (a.users && (a.x[i] != floor(a.x[i]) || a.x[i] < 1))
				abort();
		}
		if (!isnan(fixed) && (fixed < 1 || fixed != floor(fixed)))
			abort();
	}
	free(text);
	return 0;
}
