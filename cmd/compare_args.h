/*
 * compare_args.h: compare's option lists (compare_args.c), parsed for
 * cmd_compare.c.  Each function returns EXIT_OK or the usage error's
 * status, the message printed.
 */
#ifndef FC_COMPARE_ARGS_H
#define FC_COMPARE_ARGS_H

#include <stddef.h>

#include "cli.h"
#include "compare.h"
#include "data.h"
#include "scenario.h"

/* A model to compare: the entry and its quantization. */
struct compare_mq {
	const struct fc_model *m;
	enum fc_quant q;
};

#define COMPARE_MAX_MODELS 256
#define COMPARE_MAX_HW 256

/* --model (NULL: the scenario's model): up to COMPARE_MAX_MODELS into mq. */
int compare_parse_models(const struct fc_catalog *cat, const struct fc_scenario *s,
    const char *arg, struct compare_mq *mq, size_t *nmq);
/* The hardware options, like with like: those priced on `basis` (NULL:
 * every basis); a listed one on another basis is an error (basis is NULL
 * for a list unless --price-basis was given).  Up to COMPARE_MAX_HW. */
int compare_parse_hardware(const struct fc_catalog *cat, const struct fc_scenario *s,
    const char *arg, const char *basis, const struct fc_hw **hw, size_t *nhw);
/* --rank-by FIGURE[@pNN]. */
int compare_parse_rank(const char *arg, struct fc_cmp_rank *rk);

#endif
