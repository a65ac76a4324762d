/*
 * report.h: rendering a simulation's result as table, json, csv or md.
 */
#ifndef FC_REPORT_H
#define FC_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "currency.h"
#include "result_json.h"
#include "study_report.h"
#include "textfmt.h"
#include "mc.h"
#include "scenario.h"

enum report_format { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_MD };

/* JSON documents' format_version: 2 since breakeven_users is the lasting
 * breakeven (flat cheaper for good), not the first crossing. */
#define REPORT_JSON_FORMAT 2

/* Parses "table|json|csv|md"; -1 when unknown. */
int report_format_parse(const char *s);
/* The whole result as JSON (a new reference). */
json_t *report_json(const struct fc_scenario *s, const struct fc_mc_result *r);
/* Its first members (a new reference): flatcost_version, scenario, mode,
 * month, and trials and seed for Monte Carlo; sweep starts the same way. */
json_t *report_json_head(const struct fc_scenario *s, const struct fc_mc_result *r);
/*
 * The currency money figures are reported in (simulate --currency): USD by
 * default.  report_currency_apply() converts a result's money figures
 * (model/currency.h); the reports then print symbol and code, and the
 * JSON says which currency and rate.
 */
extern struct fc_currency report_currency;
void report_currency_apply(struct fc_mc_result *r);
/* --currency EUR: sets report_currency at the rate of s's hardware entry
 * (or the bundled Hetzner rate, FC_USD_PER_EUR) and says so on stderr. */
void report_currency_eur(const struct fc_scenario *s);

/* Writes the result; returns 0 or -1 on a write error. */
int report_write(FILE *f, enum report_format fmt, const struct fc_scenario *s,
    const struct fc_mc_result *r);
/* The same for report index of count (simulate --months): JSON wraps
 * them as {"months": [...]}, CSV adds a month column and one header. */
int report_write_seq(FILE *f, enum report_format fmt, const struct fc_scenario *s,
    const struct fc_mc_result *r, int index, int count);
/* simulate --months: the months table and the payback month (r->months
 * set); returns 0 or -1 on a write error. */
int report_months(FILE *f, enum report_format fmt, const struct fc_scenario *s,
    const struct fc_mc_result *r);
/* The fleet's sizing: "sized" (per trial), "fixed" (flat.fixed_servers)
 * or "capped" (flat.max_servers); and the same in words for tables. */
void report_fleet_text(char *buf, size_t len, const struct fc_scenario *s);
/* The breakeven headline, each line starting with pre: "Breakeven: flat
 * is cheaper for good from N users (first cheaper at M; the API is
 * cheaper again in A-B)", or why there is none. */
void report_breakeven_text(FILE *f, const struct fc_scenario *s, const struct fc_breakeven *b,
    const char *pre);
/* A number for a CSV or machine cell: "%.10g", empty when not finite
 * (callers that print -0 as 0 pass v == 0 ? 0 : v). */
void report_num_cell(char *buf, size_t len, double v);
/* Money in report_currency's symbol (textfmt.h, fc_fmt_money). */
void fmt_money(char *buf, size_t len, double v);
/* Figure fig's value v for people (check, diff): money, a percent or a
 * count; "n/a" when not finite. */
void fmt_figure_value(char *buf, size_t len, size_t fig, double v);

#endif
