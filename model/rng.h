/*
 * rng.h: splitmix64 (Steele, Lea and Flood 2014; Vigna's reference
 * constants), the one small generator that model/ and cmd/ share where GSL's
 * are not needed: seeding the Monte Carlo's per-trial streams (mc.c), the
 * bytes of synthetic weights (gguf.c), bench's prompts and arrivals.
 * Pure functions of the state passed in: no globals, thread-safe.
 */
#ifndef FC_RNG_H
#define FC_RNG_H

#include <stdint.h>

/* Advances *state and returns the next 64 random bits. */
uint64_t fc_splitmix64(uint64_t *state);
/* The next double in [0, 1), with 53 random bits. */
double fc_splitmix64_unit(uint64_t *state);

/* A standard normal draw (Box-Muller from two uniforms). */
double fc_splitmix64_normal(uint64_t *state);
/* A lognormal draw of mean 1 and coefficient of variation cv (1 when
 * cv <= 0): exp(s Z - s^2 / 2), s^2 = log(1 + cv^2). */
double fc_splitmix64_lognormal1(uint64_t *state, double cv);
/* A gamma draw of the given mean and coefficient of variation (shape
 * 1 / cv^2; cv = 1 is the exponential), by Marsaglia and Tsang's method
 * (with the shape + 1 boost for shapes under 1). */
double fc_splitmix64_gamma(uint64_t *state, double mean, double cv);

#endif /* FC_RNG_H */
