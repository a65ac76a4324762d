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

#endif /* FC_RNG_H */
