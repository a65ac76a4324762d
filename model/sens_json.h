/*
 * sens_json.h: `flatcost sensitivity`'s result as JSON (sensmc.h's run
 * and estimates): the figure analysed with its spread and null trials, the
 * method of every number, each input's share of the variance with its
 * bootstrap standard error, low and high, rank correlation and P10/P90,
 * the rest (interactions and randomness), and the value of information.
 * Nothing here prints.
 */
#ifndef FC_SENS_JSON_H
#define FC_SENS_JSON_H

#include <jansson.h>

#include "sensmc.h"

/* The row of the variance no single input explains. */
#define FC_SENS_REST_KEY "(interactions and randomness)"

/* Adds users, figure, method, inputs and value_of_information to o, the
 * document's head. */
void fc_sens_mc_json_fill(json_t *o, const struct fc_sens_mc *m);

#endif
