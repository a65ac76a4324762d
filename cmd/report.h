/*
 * report.h: rendering a simulation's result as table, json, csv or md.
 */
#ifndef FC_REPORT_H
#define FC_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "mc.h"
#include "scenario.h"

enum report_format { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_MD };

/* Parses "table|json|csv|md"; -1 when unknown. */
int report_format_parse(const char *s);
/* The whole result as JSON (a new reference). */
json_t *report_json(const struct fc_scenario *s, const struct fc_mc_result *r);
/* Sets a dotted key ("api.monthly_cost") in obj, creating sub-objects. */
void json_set_dotted(json_t *obj, const char *key, json_t *val);
/* A number, or null when not finite (JSON has no NaN). */
json_t *json_num(double v);
/* Writes the result; returns 0 or -1 on a write error. */
int report_write(FILE *f, enum report_format fmt, const struct fc_scenario *s,
    const struct fc_mc_result *r);
/* The same for report index of count (simulate --months): JSON wraps
 * them as {"months": [...]}, CSV adds a month column and one header. */
int report_write_seq(FILE *f, enum report_format fmt, const struct fc_scenario *s,
    const struct fc_mc_result *r, int index, int count);
/* Writes one CSV row with libcsv quoting. */
void csv_row(FILE *f, const char *const *cells, size_t n);
/* "12,345.67"-style money and counts. */
void fmt_money(char *buf, size_t len, double v);
void fmt_count(char *buf, size_t len, double v);

#endif
