/*
 * check_report.c: `flatcost check`'s outputs: the table, Markdown for a
 * pull-request comment (led by a hidden marker line), JSON, and JUnit XML
 * for the CI's test view.  A limit budget shows its value and limit; an
 * increase budget its base value, candidate value and the change, in the
 * figure's unit and in percent.
 */
#include "cli.h"

#include <math.h>
#include <string.h>

#include "check.h"
#include "cost.h"
#include "report.h"

static const char *const status_names[] = { "pass", "warn", "fail" };

const struct fc_budgets *
check_budgets_of(const struct check *c, const struct item *it)
{
	return c->common ? c->common : it->b;
}

const char *
check_label(const struct item *it)
{
	return it->s->name ? it->s->name : it->path;
}

static const char *
row_status(const struct row *w)
{
	return w->skipped ? "skip" : status_names[w->level];
}

/* A change in the figure's unit with its sign: "+$0.0500", "-3". */
void
check_fmt_change(char *buf, size_t len, size_t fig, double v)
{
	char tmp[40];

	fmt_figure_value(tmp, sizeof(tmp), fig, v);
	snprintf(buf, len, "%s%s", isfinite(v) && v > 0 ? "+" : "", tmp);
}

void
check_fmt_pct(char *buf, size_t len, double pct)
{
	if (isnan(pct))
		snprintf(buf, len, "n/a");
	else if (isinf(pct))
		snprintf(buf, len, "%s", pct > 0 ? "+inf%" : "-inf%");
	else
		snprintf(buf, len, "%+.2f%%", pct);
}

/* An increase budget's limit: "+10%" or "+$500.00". */
void
check_fmt_inc_limit(char *buf, size_t len, const struct row *w)
{
	if (w->ch.by_pct)
		snprintf(buf, len, "+%g%%", w->ch.limit);
	else
		check_fmt_change(buf, len, w->bg->figure, w->ch.limit);
}

/* The value cell: a limit's value, or "base → candidate (change, pct)". */
static void
value_cell(char *buf, size_t len, const struct row *w)
{
	char b[48], c[48], d[48], p[32];

	if (!w->bg->increase) {
		fmt_figure_value(buf, len, w->bg->figure, w->value);
		return;
	}
	if (w->skipped) {
		snprintf(buf, len, "no base");
		return;
	}
	fmt_figure_value(b, sizeof(b), w->bg->figure, w->ch.base);
	fmt_figure_value(c, sizeof(c), w->bg->figure, w->ch.cand);
	check_fmt_change(d, sizeof(d), w->bg->figure, w->ch.change);
	check_fmt_pct(p, sizeof(p), w->ch.pct);
	snprintf(buf, len, "%s -> %s (%s, %s)", b, c, d, p);
}

static void
limit_cell(char *buf, size_t len, const struct row *w)
{
	if (w->bg->increase)
		check_fmt_inc_limit(buf, len, w);
	else
		fmt_figure_value(buf, len, w->bg->figure, w->limit);
}

/* "per_user.api" or "per_user.api increase" */
static void
figure_cell(char *buf, size_t len, const struct row *w)
{
	snprintf(buf, len, "%s%s", fc_figures[w->bg->figure].key,
	    w->bg->increase ? " increase" : "");
}

void
check_verdict(char *buf, size_t len, const struct row *w)
{
	const char *key = fc_figures[w->bg->figure].key;
	const char *at = fc_budget_stat_names[w->bg->stat];
	char v[48], l[48], x[48], d[48], p[32];

	if (w->bg->increase) {
		if (w->skipped) {
			snprintf(buf, len, "the increase of %s at %s is not checked: %s", key, at,
			    w->it->no_base ? w->it->no_base : "no base");
			return;
		}
		fmt_figure_value(v, sizeof(v), w->bg->figure, w->ch.base);
		fmt_figure_value(x, sizeof(x), w->bg->figure, w->ch.cand);
		check_fmt_inc_limit(l, sizeof(l), w);
		if (isnan(w->ch.change)) {
			snprintf(buf, len, "%s at %s has no value in the base or the candidate (%s, %s)",
			    key, at, v, x);
			return;
		}
		check_fmt_change(d, sizeof(d), w->bg->figure, w->ch.change);
		check_fmt_pct(p, sizeof(p), w->ch.pct);
		if (w->level == FC_BUDGET_PASS)
			snprintf(buf, len, "%s at %s went from %s to %s, %s (%s), within the "
			    "increase limit %s", key, at, v, x, d, p, l);
		else
			snprintf(buf, len, "%s at %s went from %s to %s, %s (%s), over the %s "
			    "increase limit %s", key, at, v, x, d, p,
			    w->level == FC_BUDGET_FAIL ? "fail" : "warn", l);
		return;
	}
	fmt_figure_value(v, sizeof(v), w->bg->figure, w->value);
	fmt_figure_value(l, sizeof(l), w->bg->figure, w->limit);
	if (isnan(w->value))
		snprintf(buf, len, "%s at %s has no value in this scenario", key, at);
	else if (w->level == FC_BUDGET_PASS)
		snprintf(buf, len, "%s at %s is %s, within the limit %s", key, at, v, l);
	else
		snprintf(buf, len, "%s at %s is %s, over the %s limit %s", key, at, v,
		    w->level == FC_BUDGET_FAIL ? "fail" : "warn", l);
}

static void
summary(FILE *f, const struct check *c)
{
	size_t n = c->nrows - c->nskipped;

	fprintf(f, "%zu budget%s: %zu passed, %zu warned, %zu failed", n, n == 1 ? "" : "s",
	    c->n[FC_BUDGET_PASS], c->n[FC_BUDGET_WARN], c->n[FC_BUDGET_FAIL]);
	if (c->nskipped)
		fprintf(f, "; %zu increase budget%s not checked (no base)", c->nskipped,
		    c->nskipped == 1 ? "" : "s");
}

void
check_write_table(FILE *f, const struct check *c)
{
	size_t i, ws = strlen("SCENARIO"), wf = strlen("FIGURE"), wv = strlen("VALUE");
	size_t wl = strlen("LIMIT"), n;
	char v[256], l[48], fig[80];

	for (i = 0; i < c->nrows; i++) {
		const struct row *w = &c->rows[i];
		if ((n = strlen(w->it->path)) > ws)
			ws = n;
		figure_cell(fig, sizeof(fig), w);
		if ((n = strlen(fig)) > wf)
			wf = n;
		value_cell(v, sizeof(v), w);
		limit_cell(l, sizeof(l), w);
		if ((n = strlen(v)) > wv)
			wv = n;
		if ((n = strlen(l)) > wl)
			wl = n;
	}
	if (c->nrows)
		fprintf(f, "%-*s  %-*s  %-4s  %*s  %*s  %s\n", (int)ws, "SCENARIO",
		    (int)wf, "FIGURE", "AT", (int)wv, "VALUE", (int)wl, "LIMIT", "STATUS");
	for (i = 0; i < c->nrows; i++) {
		const struct row *w = &c->rows[i];
		figure_cell(fig, sizeof(fig), w);
		value_cell(v, sizeof(v), w);
		limit_cell(l, sizeof(l), w);
		fprintf(f, "%-*s  %-*s  %-4s  %*s  %*s  %s\n", (int)ws, w->it->path,
		    (int)wf, fig, fc_budget_stat_names[w->bg->stat],
		    (int)wv, v, (int)wl, l, row_status(w));
	}
	if (c->nrows)
		fputc('\n', f);
	summary(f, c);
	if (c->nobudget)
		fprintf(f, "; %zu scenario%s without a budget", c->nobudget,
		    c->nobudget == 1 ? "" : "s");
	fprintf(f, "%s\n", c->deterministic ? " (deterministic values)" : "");
	if (c->base)
		fprintf(f, "increases against %s, on the same trials and seed\n", c->base);
}

/* Whether every scenario ran the same trials with the same seed. */
static int
same_trials(const struct check *c)
{
	size_t i;

	for (i = 1; i < c->nitems; i++)
		if (c->items[i].r.trials != c->items[0].r.trials ||
		    c->items[i].r.seed != c->items[0].r.seed)
			return 0;
	return 1;
}

/* Markdown cells of an increase row: base | candidate | change | limit */
static void
md_increase_cells(FILE *f, const struct row *w)
{
	char b[48], x[48], d[48], p[32], l[48];

	if (w->skipped) {
		fputs("— | — | not checked: ", f);
		fc_md_text(f, w->it->no_base ? w->it->no_base : "no base");
		fputs(" | ", f);
		check_fmt_inc_limit(l, sizeof(l), w);
		fprintf(f, "%s | ", l);
		return;
	}
	fmt_figure_value(b, sizeof(b), w->bg->figure, w->ch.base);
	fmt_figure_value(x, sizeof(x), w->bg->figure, w->ch.cand);
	check_fmt_change(d, sizeof(d), w->bg->figure, w->ch.change);
	check_fmt_pct(p, sizeof(p), w->ch.pct);
	check_fmt_inc_limit(l, sizeof(l), w);
	fprintf(f, "%s | %s | %s (%s) | %s | ", b, x, d, p, l);
}

static void
md_rows(FILE *f, const struct check *c, int increase)
{
	static const char *const mark[] = { "✅ pass", "⚠️ warn", "❌ fail" };
	char v[48], l[48];
	size_t i;

	if (increase)
		fprintf(f, "| Scenario | Figure | Percentile | Base | Candidate | Change | "
		    "Limit | Status |\n|---|---|---|---:|---:|---:|---:|---|\n");
	else
		fprintf(f, "| Scenario | Figure | Percentile | Value | Limit | Status |\n"
		    "|---|---|---|---:|---:|---|\n");
	for (i = 0; i < c->nrows; i++) {
		const struct row *w = &c->rows[i];
		if (w->bg->increase != increase)
			continue;
		fputs("| ", f);
		fc_md_text(f, check_label(w->it));
		fprintf(f, " | `%s` | %s | ", fc_figures[w->bg->figure].key,
		    c->deterministic ? "deterministic" : fc_budget_stat_names[w->bg->stat]);
		if (increase) {
			md_increase_cells(f, w);
		} else {
			fmt_figure_value(v, sizeof(v), w->bg->figure, w->value);
			fmt_figure_value(l, sizeof(l), w->bg->figure, w->limit);
			fprintf(f, "%s | %s | ", v, l);
		}
		fprintf(f, "%s |\n", w->skipped ? "⏭️ skip" : mark[w->level]);
	}
	fputc('\n', f);
}

void
check_write_md(FILE *f, const struct check *c)
{
	size_t i, ninc = 0;

	fprintf(f, "%s\n", CHECK_MD_MARKER);
	fprintf(f, "### flatcost budgets: %s\n\n", c->n[FC_BUDGET_FAIL] ? "❌ failed" :
	    c->n[FC_BUDGET_WARN] ? "⚠️ passed with warnings" : "✅ passed");
	summary(f, c);
	fputs(".\n\n", f);
	for (i = 0; i < c->nrows; i++)
		ninc += c->rows[i].bg->increase;
	if (c->nrows > ninc)
		md_rows(f, c, 0);
	if (ninc) {
		fputs("Increases against the base", f);
		if (c->base) {
			fputs(" (", f);
			fc_md_text(f, c->base);
			fputs(")", f);
		}
		fputs(", both on the same trials and seed:\n\n", f);
		md_rows(f, c, 1);
	}
	for (i = 0; i < c->nitems; i++)
		if (check_budgets_of(c, &c->items[i]) == NULL ||
		    check_budgets_of(c, &c->items[i])->n == 0) {
			fputs("- ", f);
			fc_md_text(f, c->items[i].path);
			fputs(" has no budget\n", f);
		}
	if (c->nobudget)
		fputc('\n', f);
	if (c->deterministic)
		fprintf(f, "<sub>Deterministic: every input at its mean. ");
	else if (c->nitems && same_trials(c))
		fprintf(f, "<sub>Monte Carlo, %ld trials, seed %lu. ", c->items[0].r.trials,
		    c->items[0].r.seed);
	else
		fprintf(f, "<sub>Monte Carlo (trials and seeds by scenario in the JSON). ");
	fprintf(f, "A budget fails when its value is above its limit. flatcost %s.</sub>\n",
	    FC_VERSION);
}

static json_t *
loc_json(const struct fc_loc *l)
{
	char buf[1100];

	snprintf(buf, sizeof(buf), "%s:%d:%d", l->file ? l->file : "?", l->line, l->col);
	return json_string(buf);
}

static json_t *
row_json(const struct row *w)
{
	const struct fc_budget *bg = w->bg;
	json_t *o;

	if (!bg->increase)
		return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o}",
		    "kind", "limit",
		    "figure", fc_figures[bg->figure].key, "unit", fc_figures[bg->figure].unit,
		    "percentile", fc_budget_stat_names[bg->stat],
		    "value", fc_json_num(w->value), "limit", fc_json_num(w->limit),
		    "warn", fc_json_num(bg->warn), "fail", fc_json_num(bg->fail),
		    "status", status_names[w->level], "location", loc_json(&bg->loc));
	o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:o}",
	    "kind", "increase",
	    "figure", fc_figures[bg->figure].key, "unit", fc_figures[bg->figure].unit,
	    "percentile", fc_budget_stat_names[bg->stat],
	    "max_pct", fc_json_num(bg->fail_pct), "max_usd", fc_json_num(bg->fail),
	    "warn_pct", fc_json_num(bg->warn_pct), "warn_usd", fc_json_num(bg->warn),
	    "status", w->skipped ? "skipped" : status_names[w->level],
	    "location", loc_json(&bg->loc));
	if (w->skipped) {
		json_object_set_new(o, "reason", json_string(w->it->no_base ?
		    w->it->no_base : "no base"));
		return o;
	}
	json_object_set_new(o, "base", fc_json_num(w->ch.base));
	json_object_set_new(o, "candidate", fc_json_num(w->ch.cand));
	json_object_set_new(o, "change", fc_json_num(w->ch.change));
	/* +-infinity (a base of 0) is written as a string: JSON has no inf */
	json_object_set_new(o, "change_pct", isinf(w->ch.pct) ?
	    json_string(w->ch.pct > 0 ? "+inf" : "-inf") : fc_json_num(w->ch.pct));
	json_object_set_new(o, "limit", fc_json_num(w->ch.limit));
	json_object_set_new(o, "limit_unit", json_string(w->ch.by_pct ? "percent" :
	    fc_figures[bg->figure].unit));
	return o;
}

/* Every figure's statistics (or value), so that a later check can use
 * this JSON as its --base. */
static json_t *
figures_json(const struct item *it)
{
	json_t *o = json_object();
	size_t k;

	for (k = 0; k < fc_nfigures; k++) {
		if (!fc_figure_applies(it->s, k))
			continue;
		if (it->r.deterministic) {
			json_object_set_new(o, fc_figures[k].key, json_pack("{s:o}", "value",
			    fc_json_num(fc_figure_get(&it->r.det, k))));
			continue;
		}
		json_object_set_new(o, fc_figures[k].key, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
		    "mean", fc_json_num(it->r.stats[k].mean), "p5", fc_json_num(it->r.stats[k].p5),
		    "p50", fc_json_num(it->r.stats[k].p50), "p95", fc_json_num(it->r.stats[k].p95),
		    "p99", fc_json_num(it->r.stats[k].p99), "n", fc_json_num(it->r.stats[k].n)));
	}
	return o;
}

int
check_write_json(FILE *f, const struct check *c)
{
	json_t *o = json_object(), *scs = json_array();
	size_t i, j;

	json_object_set_new(o, "flatcost_version", json_string(FC_VERSION));
	json_object_set_new(o, "format_version", json_integer(REPORT_JSON_FORMAT));
	json_object_set_new(o, "status", json_string(c->n[FC_BUDGET_FAIL] ? "fail" :
	    c->n[FC_BUDGET_WARN] ? "warn" : "pass"));
	json_object_set_new(o, "budgets", json_integer((json_int_t)(c->nrows - c->nskipped)));
	json_object_set_new(o, "passed", json_integer((json_int_t)c->n[FC_BUDGET_PASS]));
	json_object_set_new(o, "warned", json_integer((json_int_t)c->n[FC_BUDGET_WARN]));
	json_object_set_new(o, "failed", json_integer((json_int_t)c->n[FC_BUDGET_FAIL]));
	json_object_set_new(o, "skipped", json_integer((json_int_t)c->nskipped));
	if (c->base)
		json_object_set_new(o, "base", json_string(c->base));
	cli_json_data(o);
	for (i = 0; i < c->nitems; i++) {
		const struct item *it = &c->items[i];
		const struct fc_budgets *b = check_budgets_of(c, it);
		json_t *so = json_object(), *rows = json_array();

		json_object_set_new(so, "file", json_string(it->path));
		if (it->s->name)
			json_object_set_new(so, "name", json_string(it->s->name));
		json_object_set_new(so, "mode", json_string(it->r.deterministic ?
		    "deterministic" : "monte-carlo"));
		if (!it->r.deterministic) {
			json_object_set_new(so, "trials", json_integer(it->r.trials));
			json_object_set_new(so, "seed", json_integer((json_int_t)it->r.seed));
		}
		json_object_set_new(so, "month", json_integer(it->r.month));
		if (b)
			json_object_set_new(so, "budget_file", json_string(b->file));
		if (it->base_path)
			json_object_set_new(so, "base_file", json_string(it->base_path));
		for (j = 0; j < c->nrows; j++)
			if (c->rows[j].it == it)
				json_array_append_new(rows, row_json(&c->rows[j]));
		json_object_set_new(so, "budgets", rows);
		if (b == NULL || b->n == 0)
			json_object_set_new(so, "warning", json_string("no budget"));
		json_object_set_new(so, "figures", figures_json(it));
		json_array_append_new(scs, so);
	}
	json_object_set_new(o, "scenarios", scs);
	return fc_json_dump(f, o);
}

