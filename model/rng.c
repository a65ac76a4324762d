/* rng.c: splitmix64; see rng.h. */
#include "rng.h"

#include <math.h>

uint64_t
fc_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

double
fc_splitmix64_unit(uint64_t *state)
{
	return (double)(fc_splitmix64(state) >> 11) * (1.0 / 9007199254740992.0);
}

double
fc_splitmix64_normal(uint64_t *state)
{
	double u1 = fc_splitmix64_unit(state), u2 = fc_splitmix64_unit(state);

	return sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
}

double
fc_splitmix64_lognormal1(uint64_t *state, double cv)
{
	double s2;

	if (!(cv > 0))
		return 1;
	s2 = log(1 + cv * cv);
	return exp(sqrt(s2) * fc_splitmix64_normal(state) - s2 / 2);
}

double
fc_splitmix64_gamma(uint64_t *state, double mean, double cv)
{
	double k, d, c, x, v, u, boost = 1;

	if (!(cv > 0))
		return mean;
	k = 1 / (cv * cv);
	if (k < 1) {
		/* G(k) = G(k + 1) U^(1/k) */
		boost = pow(1 - fc_splitmix64_unit(state), 1 / k);
		k += 1;
	}
	d = k - 1.0 / 3;
	c = 1 / sqrt(9 * d);
	for (;;) {
		do {
			x = fc_splitmix64_normal(state);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = 1 - fc_splitmix64_unit(state);
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			break;
	}
	return d * v * boost * mean * cv * cv;
}
