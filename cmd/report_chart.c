/*
 * report_chart.c: the charts of `flatcost report` (report_page.h), drawn
 * with cmd/plot.c's charts from the figures of model/report_data.c.
 */
#include "report_page.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"

static const char *const chart_files[PC_N] = { "timeline", "cost", "compare", "tornado" };

static int
draw(enum page_chart c, const char *path, const struct fc_scenario *s,
    const struct fc_mc_opts *o, const struct fc_report_data *d, const size_t *order,
    struct plot_out *po)
{
	switch (c) {
	case PC_TIMELINE:
		return plot_timeline(path, s, &d->timeline, po);
	case PC_COST: {
		struct fc_chart_sweep sw;
		long kb = fc_figure_index("breakeven_users");
		double lo = d->x[0], hi = d->x[d->npoints - 1], be = d->now.breakeven.lasting;

		memset(&sw, 0, sizeof(sw));
		sw.s = s;
		sw.key = "users";
		sw.log_x = 1;
		sw.n = d->npoints;
		sw.x = d->x;
		sw.r = d->pts;
		sw.cross = be >= lo && be <= hi ? be : NAN;
		sw.cross_lo = NAN;
		sw.cross_hi = NAN;
		if (isfinite(sw.cross) && kb >= 0 && isfinite(d->now.stats[kb].p5)) {
			sw.cross_lo = fmax(lo, d->now.stats[kb].p5);
			sw.cross_hi = fmin(hi, d->now.stats[kb].p95);
		}
		return plot_sweep(path, NULL, CHART_COST, &sw, po);
	}
	case PC_COMPARE:
		return plot_compare(path, s, o, d->cmp, order, d->ncmp, po);
	default:
		break;
	}
	{
		const struct fc_sens *e = &d->sens;
		struct fc_chart_bar bars[64];
		char labels[64][200], title[300], xlabel[200], base[100];
		struct fc_chart_tornado t;
		size_t i;

		for (i = 0; i < e->ninputs && i < 64; i++) {
			size_t j = e->order[i], k = d->sens_cols[j];
			snprintf(labels[i], sizeof(labels[i]), "%s\n%.4g to %.4g %s",
			    fc_inputs_mc[k].key, e->rows[j].x_p10, e->rows[j].x_p90,
			    fc_inputs_mc[k].unit);
			bars[i].label = labels[i];
			bars[i].low = e->rows[j].low;
			bars[i].high = e->rows[j].high;
			bars[i].share = e->rows[j].share;
		}
		snprintf(title, sizeof(title), "%s: what drives %s", s->name ? s->name : s->file,
		    d->sens_figure);
		if (strcmp(d->sens_figure, "payback_month") == 0) {
			snprintf(base, sizeof(base), "median over all trials: month %.0f", e->median);
		} else {
			char m[48];
			fc_fmt_count(m, sizeof(m), fabs(e->median));
			snprintf(base, sizeof(base), "median over all trials: %s$%s",
			    e->median < 0 ? "-" : "", m);
		}
		snprintf(xlabel, sizeof(xlabel), "%s", d->sens_figure);
		memset(&t, 0, sizeof(t));
		t.title = title;
		t.subtitle = "median with each input near its P10 and its P90";
		t.xlabel = xlabel;
		t.money = strcmp(d->sens_figure, "payback_month") != 0;
		t.baseline = e->median;
		t.baseline_label = base;
		t.n = i;
		t.bars = bars;
		return plot_tornado(path, &t, po);
	}
}

/* The whole of a file, NUL-terminated, into *out (owned). */
static int
slurp(const char *path, char **out)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	*out = NULL;
	if (f == NULL) {
		cli_err("cannot read %s: %s", path, strerror(errno));
		return EXIT_RUNTIME;
	}
	do {
		if (cap - n < 4096) {
			char *nb = fc_realloc(buf, cap = cap ? 2 * cap : 65536);
			if (nb == NULL) {
				fc_free(buf);
				fclose(f);
				return cli_oom();
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	return EXIT_OK;
}

/* STEM-NAME.svg beside the page md_path, into a new string. */
static char *
beside(const char *md_path, const char *name)
{
	size_t len = strlen(md_path) + strlen(name) + 8;
	char *p = fc_malloc(len), *dot, *slash;

	if (p == NULL)
		return NULL;
	snprintf(p, len, "%s", md_path);
	dot = strrchr(p, '.');
	slash = strrchr(p, '/');
	if (dot && (slash == NULL || dot > slash))
		*dot = '\0';
	snprintf(p + strlen(p), len - strlen(p), "-%s.svg", name);
	return p;
}

int
report_charts_draw(const struct fc_scenario *s, const struct fc_mc_opts *o,
    const struct fc_report_data *d, int sensitivity, const char *md_path,
    const size_t *order, struct page *p, struct report_charts *ch)
{
	char dir[] = "/tmp/flatcost-report.XXXXXX", path[64];
	char *tdir = NULL;
	int c, rc = EXIT_OK;

	plot_style.page = 1;
	if (md_path == NULL && mkdtemp(dir) == NULL) {
		cli_err("cannot create a temporary directory: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	tdir = md_path ? NULL : dir;
	for (c = 0; c < PC_N && rc == EXIT_OK; c++) {
		char *file;
		if ((c == PC_COMPARE && d->cmp == NULL) ||
		    (c == PC_TORNADO && (!sensitivity || !d->have_sens)))
			continue;
		if (tdir) {
			snprintf(path, sizeof(path), "%s/%s.svg", tdir, chart_files[c]);
			file = path;
		} else if ((file = beside(md_path, chart_files[c])) == NULL) {
			rc = cli_oom();
			break;
		} else if ((rc = cli_io_output(file)) != EXIT_OK) {
			fc_free(file);
			break;
		}
		rc = draw((enum page_chart)c, file, s, o, d, order, &ch->po[c]);
		if (rc == EXIT_OK && tdir) {
			if ((rc = plot_commit(&ch->po[c])) == EXIT_OK)
				rc = slurp(file, &p->charts[c]);
			unlink(file);
		} else if (rc == EXIT_OK) {
			/* the page names the chart relative to itself */
			const char *base = strrchr(file, '/');
			size_t n = strlen(base ? base + 1 : file) + 1;
			if ((p->charts[c] = fc_malloc(n)) == NULL)
				rc = cli_oom();
			else
				memcpy(p->charts[c], base ? base + 1 : file, n);
		}
		if (!tdir)
			fc_free(file);
	}
	if (tdir)
		rmdir(tdir);
	return rc;
}

int
report_charts_commit(struct report_charts *ch)
{
	int c, rc;

	for (c = 0; c < PC_N; c++)
		if ((rc = plot_commit(&ch->po[c])) != EXIT_OK)
			return rc;
	return EXIT_OK;
}

void
report_charts_abort(struct report_charts *ch)
{
	int c;

	for (c = 0; c < PC_N; c++)
		plot_abort(&ch->po[c]);
}
