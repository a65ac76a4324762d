/*
 * diff_print.c: diff's report, for people (table, Markdown) and for
 * programs (JSON): every figure of both scenarios, the change, and the
 * gate of --fail-above.
 */
#include "diff_print.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A figure's value for people; sign: a '+' on positive values (changes). */
static void
fmt_value(char *buf, size_t len, size_t fig, double v, int sign)
{
	const char *plus = sign && v > 0 ? "+" : "";
	char tmp[40];

	fmt_figure_value(tmp, sizeof(tmp), fig, v);
	snprintf(buf, len, "%s%s", isfinite(v) ? plus : "", tmp);
}

void
diff_fmt_rel(char *buf, size_t len, double rel)
{
	if (isnan(rel))
		snprintf(buf, len, "n/a");
	else if (isinf(rel))
		snprintf(buf, len, "%s", rel > 0 ? "+inf%" : "-inf%");
	else if (rel == 0)
		snprintf(buf, len, "0.00%%");
	else
		snprintf(buf, len, "%+.2f%%", 100 * rel);
}

static const char *
label(const struct diff_side *x)
{
	return x->s->name ? x->s->name : x->path;
}

static int shown(const struct diff_side *b, const struct diff_side *c, size_t k);

/* "a breakeven" or "a value": what a conditional figure's trials share. */
static const char *
what_both_have(size_t k)
{
	return strncmp(fc_figures[k].key, "breakeven", 9) == 0 ? "a breakeven" : "a value";
}

/* One side's own figure: "930 (P50; mean 1,020; over 160 trials)". */
static void
fmt_own(char *buf, size_t len, size_t k, double p50, double mean, double n, int det)
{
	char a[48], b[48];

	fmt_value(a, sizeof(a), k, det ? mean : p50, 0);
	if (det) {
		snprintf(buf, len, "%s", isnan(mean) ? "none" : a);
		return;
	}
	fmt_value(b, sizeof(b), k, mean, 0);
	if (n == 0)
		snprintf(buf, len, "none (in no trial)");
	else
		snprintf(buf, len, "%s (P50; mean %s; over %.0f trials)", a, b, n);
}

/* The note under a table for each conditional figure (diff.h): the
 * figures shown are over the trials where both sides have a value, so
 * each side's own figure is said as well.  prefix starts each line. */
static void
write_conditional(FILE *f, const struct diff_side *b, const struct diff_side *c,
    const struct fc_diff *df, const char *prefix)
{
	char x[140], y[140];
	size_t k;

	for (k = 0; k < fc_nfigures; k++) {
		const struct fc_diff_fig *d = &df->fig[k];
		if (!shown(b, c, k) || !d->conditional)
			continue;
		fmt_own(x, sizeof(x), k, d->base_own_p50, d->base_own, d->n_base, df->deterministic);
		fmt_own(y, sizeof(y), k, d->cand_own_p50, d->cand_own, d->n_cand, df->deterministic);
		if (df->deterministic)
			fprintf(f, "%s%s*: not in both, so no change; the base's own is %s, "
			    "the candidate's %s\n", prefix, fc_figures[k].key, x, y);
		else
			fprintf(f, "%s%s*: over %.0f of %ld trials where both have %s; "
			    "on its own the base's is %s, the candidate's %s\n", prefix,
			    fc_figures[k].key, d->n, df->trials, what_both_have(k), x, y);
	}
}

static int
any_conditional(const struct diff_side *b, const struct diff_side *c, const struct fc_diff *df)
{
	size_t k;

	for (k = 0; k < fc_nfigures; k++)
		if (shown(b, c, k) && df->fig[k].conditional)
			return 1;
	return 0;
}

/* The figure's name in a table: a '*' marks a conditional figure. */
static void
fig_name(char *buf, size_t len, const struct fc_diff *df, size_t k)
{
	snprintf(buf, len, "%s%s", fc_figures[k].key, df->fig[k].conditional ? "*" : "");
}

/* The table's cells of figure k: base, candidate, change, P5 .. P95, relative. */
static void
table_cells(const struct fc_diff *df, size_t k, char cell[5][100])
{
	const struct fc_diff_fig *d = &df->fig[k];
	char lo[48], hi[48];

	fmt_value(cell[0], 100, k, d->base, 0);
	fmt_value(cell[1], 100, k, d->cand, 0);
	fmt_value(cell[2], 100, k, d->mean, 1);
	cell[3][0] = '\0';
	if (!df->deterministic) {
		fmt_value(lo, sizeof(lo), k, d->p5, 1);
		fmt_value(hi, sizeof(hi), k, d->p95, 1);
		snprintf(cell[3], 100, "%s .. %s", lo, hi);
	}
	diff_fmt_rel(cell[4], 100, d->rel);
}

/* Whether figure k has a value in either scenario (the routed API's
 * figures need api.route). */
static int
shown(const struct diff_side *b, const struct diff_side *c, size_t k)
{
	return fc_figure_applies(b->s, k) || fc_figure_applies(c->s, k);
}

void
diff_write_table(FILE *f, const struct diff_side *b, const struct diff_side *c,
    const struct fc_diff *df, const struct diff_gate *g, size_t kf, size_t ka)
{
	static const char *const head[] = { "BASE", "CANDIDATE", "CHANGE",
	    "P5 .. P95 OF CHANGE", "RELATIVE" };
	char cell[5][100], rel[32], name[80];
	size_t k, i, n, wk = strlen("FIGURE"), w[5];

	for (i = 0; i < 5; i++)
		w[i] = strlen(head[i]);
	for (k = 0; k < fc_nfigures; k++) {
		if (!shown(b, c, k))
			continue;
		table_cells(df, k, cell);
		fig_name(name, sizeof(name), df, k);
		if ((n = strlen(name)) > wk)
			wk = n;
		for (i = 0; i < 5; i++)
			if ((n = strlen(cell[i])) > w[i])
				w[i] = n;
	}
	fprintf(f, "base:      %s (%s)\ncandidate: %s (%s)\n", label(b), b->path,
	    label(c), c->path);
	if (df->deterministic)
		fprintf(f, "deterministic (every input at its mean), month %ld\n\n", b->r.month);
	else
		fprintf(f, "Monte Carlo, %ld trials, seed %lu, month %ld; both on the same random "
		    "numbers, change = candidate - base in each trial\n\n", df->trials,
		    b->r.seed, b->r.month);
	fprintf(f, "  %-*s", (int)wk, "FIGURE");
	for (i = 0; i < 5; i++)
		if (i != 3 || !df->deterministic)
			fprintf(f, "  %*s", (int)w[i], head[i]);
	fputc('\n', f);
	for (k = 0; k < fc_nfigures; k++) {
		if (!shown(b, c, k))
			continue;
		table_cells(df, k, cell);
		fig_name(name, sizeof(name), df, k);
		fprintf(f, "  %-*s", (int)wk, name);
		for (i = 0; i < 5; i++)
			if (i != 3 || !df->deterministic)
				fprintf(f, "  %*s", (int)w[i], cell[i]);
		fputc('\n', f);
	}
	if (any_conditional(b, c, df)) {
		fputc('\n', f);
		write_conditional(f, b, c, df, "  ");
	}
	if (!df->deterministic)
		fprintf(f, "\n  P(candidate cheaper): flat %.1f%%, API %.1f%%\n",
		    100 * df->fig[kf].p_lower, 100 * df->fig[ka].p_lower);
	if (g->on) {
		diff_fmt_rel(rel, sizeof(rel), g->rise / 100);
		fprintf(f, "\n  gate: %s %s %s, at most +%g%% allowed: %s\n",
		    fc_figures[g->fig].key, df->deterministic ? "changed" : "mean changed",
		    rel, g->above, g->failed ? "fail" : "pass");
	}
}

void
diff_write_md(FILE *f, const struct diff_side *b, const struct diff_side *c,
    const struct fc_diff *df, const struct diff_gate *g, size_t kf, size_t ka, size_t kg)
{
	const struct fc_diff_fig *d = &df->fig[kg];
	char x[48], y[48], z[48], lo[48], hi[48], rel[32];
	size_t k, unchanged = 0;

	fputs("### flatcost diff: ", f);
	fc_md_text(f, label(b));
	fputs(" → ", f);
	fc_md_text(f, label(c));
	fputs("\n\n", f);
	fmt_value(x, sizeof(x), kg, d->base, 0);
	fmt_value(y, sizeof(y), kg, d->cand, 0);
	fmt_value(z, sizeof(z), kg, d->mean, 1);
	diff_fmt_rel(rel, sizeof(rel), d->rel);
	fprintf(f, "**`%s%s`: %s → %s (%s, %s)**", fc_figures[kg].key,
	    d->conditional ? "*" : "", x, y, z, rel);
	if (!df->deterministic) {
		fmt_value(lo, sizeof(lo), kg, d->p5, 1);
		fmt_value(hi, sizeof(hi), kg, d->p95, 1);
		fprintf(f, ", P5–P95 of the change %s to %s", lo, hi);
	}
	fputs("\n\n", f);
	if (g->on) {
		diff_fmt_rel(rel, sizeof(rel), g->rise / 100);
		fprintf(f, "%s Gate: `%s` changed %s, at most +%g%% allowed.\n\n",
		    g->failed ? "❌" : "✅", fc_figures[g->fig].key, rel, g->above);
	}
	if (!df->deterministic)
		fprintf(f, "P(candidate cheaper): flat %.1f%%, API %.1f%%.\n\n",
		    100 * df->fig[kf].p_lower, 100 * df->fig[ka].p_lower);
	fprintf(f, "| Figure | Base | Candidate | Change | %sRelative |\n"
	    "|---|---:|---:|---:|%s---:|\n", df->deterministic ? "" : "P5–P95 of change | ",
	    df->deterministic ? "" : "---:|");
	for (k = 0; k < fc_nfigures; k++) {
		if (!shown(b, c, k))
			continue;
		d = &df->fig[k];
		if (d->mean == 0 && (df->deterministic || (d->p5 == 0 && d->p95 == 0))) {
			unchanged++;
			continue;
		}
		fmt_value(x, sizeof(x), k, d->base, 0);
		fmt_value(y, sizeof(y), k, d->cand, 0);
		fmt_value(z, sizeof(z), k, d->mean, 1);
		diff_fmt_rel(rel, sizeof(rel), d->rel);
		fprintf(f, "| `%s%s` | %s | %s | %s | ", fc_figures[k].key,
		    d->conditional ? "*" : "", x, y, z);
		if (!df->deterministic) {
			fmt_value(lo, sizeof(lo), k, d->p5, 1);
			fmt_value(hi, sizeof(hi), k, d->p95, 1);
			fprintf(f, "%s to %s | ", lo, hi);
		}
		fprintf(f, "%s |\n", rel);
	}
	if (unchanged)
		fprintf(f, "\n%zu figure%s unchanged.\n", unchanged, unchanged == 1 ? "" : "s");
	if (any_conditional(b, c, df)) {
		fputc('\n', f);
		write_conditional(f, b, c, df, "- ");
	}
	if (df->deterministic)
		fprintf(f, "\n<sub>Deterministic: every input at its mean. flatcost %s.</sub>\n",
		    FC_VERSION);
	else
		fprintf(f, "\n<sub>Monte Carlo, %ld trials, seed %lu, both scenarios on the same "
		    "random numbers. flatcost %s.</sub>\n", df->trials, b->r.seed, FC_VERSION);
}

static json_t *
own_json(double mean, double p50, double n, int det)
{
	if (det)
		return json_pack("{s:o}", "value", fc_json_num(mean));
	return json_pack("{s:o, s:o, s:o}", "mean", fc_json_num(mean), "p50", fc_json_num(p50),
	    "trials", fc_json_num(n));
}

int
diff_write_json(FILE *f, const struct diff_side *b, const struct diff_side *c,
    const struct fc_diff *df, const struct diff_gate *g, size_t kf, size_t ka)
{
	json_t *o = json_object(), *figs = json_object();
	size_t k;

	json_object_set_new(o, "flatcost_version", json_string(FC_VERSION));
	json_object_set_new(o, "format_version", json_integer(REPORT_JSON_FORMAT));
	json_object_set_new(o, "base", json_pack("{s:s?, s:s}", "name", b->s->name,
	    "file", b->path));
	json_object_set_new(o, "candidate", json_pack("{s:s?, s:s}", "name", c->s->name,
	    "file", c->path));
	json_object_set_new(o, "mode", json_string(df->deterministic ?
	    "deterministic" : "monte-carlo"));
	json_object_set_new(o, "month", json_integer(b->r.month));
	if (!df->deterministic) {
		json_object_set_new(o, "trials", json_integer(df->trials));
		json_object_set_new(o, "seed", json_integer((json_int_t)b->r.seed));
	}
	cli_json_data(o);
	for (k = 0; k < fc_nfigures; k++) {
		if (!shown(b, c, k))
			continue;
		const struct fc_diff_fig *d = &df->fig[k];
		json_t *ch = json_object();
		json_object_set_new(ch, "mean", fc_json_num(d->mean));
		if (!df->deterministic) {
			json_object_set_new(ch, "p5", fc_json_num(d->p5));
			json_object_set_new(ch, "p50", fc_json_num(d->p50));
			json_object_set_new(ch, "p95", fc_json_num(d->p95));
		}
		json_t *fo = json_pack("{s:o, s:o, s:o, s:o, s:b, s:o, s:o}",
		    "base", fc_json_num(d->base), "candidate", fc_json_num(d->cand),
		    "change", ch, "relative", fc_json_num(d->rel),
		    "conditional", d->conditional, "trials_both", fc_json_num(d->n),
		    "own", json_pack("{s:o, s:o}",
			"base", own_json(d->base_own, d->base_own_p50, d->n_base, df->deterministic),
			"candidate", own_json(d->cand_own, d->cand_own_p50, d->n_cand,
			    df->deterministic)));
		fc_json_set_dotted(figs, fc_figures[k].key, fo);
	}
	json_object_set_new(o, "figures", figs);
	if (!df->deterministic)
		json_object_set_new(o, "p_candidate_cheaper", json_pack("{s:o, s:o}",
		    "flat.monthly_cost", fc_json_num(df->fig[kf].p_lower),
		    "api.monthly_cost", fc_json_num(df->fig[ka].p_lower)));
	if (g->on)
		json_object_set_new(o, "gate", json_pack("{s:s, s:o, s:o, s:s}",
		    "figure", fc_figures[g->fig].key, "fail_above_percent", fc_json_num(g->above),
		    "rise_percent", fc_json_num(g->rise), "status", g->failed ? "fail" : "pass"));
	return fc_json_dump(f, o);
}
