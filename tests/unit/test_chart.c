/*
 * test_chart.c: the charts' gnuplot scripts without the CLI or gnuplot
 * (model/chart.c): a histogram's bins counted by hand, a tornado's data
 * and ranges with a null value, titles quoted so that they cannot run a
 * command, the currency of money labels, the requests refused with their
 * messages, and the check that a chart file is whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart.h"

/* What a writer put into a memory stream, NUL-terminated; free() it. */
struct buf {
	char *p;
	size_t n;
	FILE *f;
};

static void
buf_open(struct buf *b)
{
	b->p = NULL;
	b->n = 0;
	b->f = open_memstream(&b->p, &b->n);
	assert_non_null(b->f);
}

static char *
buf_close(struct buf *b)
{
	assert_int_equal(fclose(b->f), 0);
	return b->p;
}

static const struct fc_chart_style plain = { NULL, NULL, FC_CHART_Y_AUTO, 0, "$" };

static void
test_names(void **state)
{
	(void)state;
	assert_int_equal(fc_chart_kind_parse("cost"), FC_CHART_COST);
	assert_int_equal(fc_chart_kind_parse("per-user"), FC_CHART_PER_USER);
	assert_int_equal(fc_chart_kind_parse("histogram"), FC_CHART_HISTOGRAM);
	/* the other kinds are not --chart names */
	assert_int_equal(fc_chart_kind_parse("tornado"), -1);
	assert_int_equal(fc_chart_kind_parse("Cost"), -1);
	assert_int_equal(fc_chart_term_of("a/b.PNG"), FC_CHART_PNG);
	assert_int_equal(fc_chart_term_of("b.svg"), FC_CHART_SVG);
	assert_int_equal(fc_chart_term_of("b.pdf"), FC_CHART_PDF);
	assert_int_equal(fc_chart_term_of("b.jpg"), -1);
	assert_int_equal(fc_chart_term_of("dir.png/b"), -1);
	assert_int_equal(fc_chart_term_of(".png"), -1);
}

/* A run of 4 trials: api 100, 200, 300, 400 and flat 100, 100, 100, 400
 * USD a month. */
static void
four_trials(struct fc_scenario *s, struct fc_mc_result *r)
{
	long ka = fc_figure_index("api.monthly_cost"), kf = fc_figure_index("flat.monthly_cost");
	const double api[4] = { 100, 200, 300, 400 }, flat[4] = { 100, 100, 100, 400 };
	int t;

	assert_true(ka >= 0 && kf >= 0);
	memset(s, 0, sizeof(*s));
	s->name = (char *)"hand";
	memset(r, 0, sizeof(*r));
	r->trials = 4;
	r->month = 1;
	r->seed = 7;
	r->in.users = 1000;
	r->samples = calloc(4 * fc_nfigures, sizeof(double));
	assert_non_null(r->samples);
	for (t = 0; t < 4; t++) {
		r->samples[(size_t)t * fc_nfigures + (size_t)ka] = api[t];
		r->samples[(size_t)t * fc_nfigures + (size_t)kf] = flat[t];
	}
	r->stats[ka].p50 = 250;
	r->stats[kf].p50 = 100;
}

static void
test_histogram_bins(void **state)
{
	struct fc_scenario s;
	struct fc_mc_result r;
	struct fc_chart_style st = plain;
	struct fc_chart *c;
	struct fc_diags d;
	struct buf b;
	char *data, *gp;

	(void)state;
	four_trials(&s, &r);
	fc_diags_init(&d);
	st.title = "it's `id`";
	st.money = "€";
	assert_int_equal(fc_chart_histogram(&s, &r, &st, &c, &d), FC_OK);
	assert_string_equal(fc_chart_name(c), "histogram");
	buf_open(&b);
	fc_chart_write_data(c, b.f);
	data = buf_close(&b);
	/* 100 to 400 (a span under 5x: even bins), 50 bins 6 wide; 400 falls
	 * in the last */
	assert_non_null(strstr(data, "# cost_from cost_to api.trials flat.trials\n100 106 1 3\n"));
	assert_non_null(strstr(data, "\n196 202 1 0\n"));
	assert_non_null(strstr(data, "\n298 304 1 0\n"));
	assert_non_null(strstr(data, "\n394 400 1 1\n"));
	buf_open(&b);
	fc_chart_write_script(c, FC_CHART_SVG, "out.svg", NULL, b.f);
	gp = buf_close(&b);
	assert_non_null(strstr(gp, "set terminal svg size 1600,900 "));
	assert_non_null(strstr(gp, "set output 'out.svg'\n"));
	assert_non_null(strstr(gp, "$data << EOD\n# cost_from"));
	/* the title single-quoted, its quote doubled: gnuplot runs nothing */
	assert_non_null(strstr(gp, "set title 'it''s `id`'.\"\\n\".'how the cost spreads"));
	assert_non_null(strstr(gp, "set xrange [100:400]\n"));
	assert_null(strstr(gp, "logscale x"));
	assert_non_null(strstr(gp, "'API median (P50): €250.00'"));
	assert_non_null(strstr(gp, "'Flat median (P50): €100.00'"));
	assert_non_null(strstr(gp, "'Monte Carlo, 4 trials, seed 7'"));
	assert_true(strlen(gp) > strlen("unset output\n"));
	assert_string_equal(gp + strlen(gp) - strlen("unset output\n"), "unset output\n");
	free(gp);
	/* a side data file instead of the datablock */
	buf_open(&b);
	fc_chart_write_script(c, FC_CHART_PNG, "h.png", "h.dat", b.f);
	gp = buf_close(&b);
	assert_null(strstr(gp, "EOD"));
	assert_non_null(strstr(gp, "datafile = 'h.dat'\n"));
	assert_non_null(strstr(gp, "plot datafile using"));
	free(gp);
	free(data);
	fc_chart_free(c);
	assert_int_equal(d.n, 0);
	/* a deterministic run has no spread */
	r.deterministic = 1;
	assert_int_equal(fc_chart_histogram(&s, &r, &st, &c, &d), FC_EINVAL);
	assert_null(c);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg, "--plot draws the spread over Monte Carlo trials; "
	    "drop --deterministic");
	fc_diags_free(&d);
	free(r.samples);
}

static void
test_tornado(void **state)
{
	const struct fc_chart_bar bars[2] = {
		{ "a\nx", 10, 30, 0.6 },
		{ "b 5%", NAN, 25, 0.004 },
	};
	struct fc_chart_tornado t = { "it's", "sub", "cost (USD)", 1, 20, "median", 2, bars };
	struct fc_chart *c;
	struct fc_diags d;
	struct buf b;
	char *data, *gp;

	(void)state;
	fc_diags_init(&d);
	assert_int_equal(fc_chart_tornado("t.svg", &t, &plain, &c, &d), FC_OK);
	buf_open(&b);
	fc_chart_write_data(c, b.f);
	data = buf_close(&b);
	/* values 10 to 30: span 20; the null drawn at 30 + 2, right of all */
	assert_string_equal(data, "# y low_from low_to high_from high_to label_x label\n"
	    "2 10 20 20 30 30 \"60%\"\n"
	    "1 20 32 20 25 32 \"<1%, P10: none\"\n");
	buf_open(&b);
	fc_chart_write_script(c, FC_CHART_PNG, "t.png", NULL, b.f);
	gp = buf_close(&b);
	assert_non_null(strstr(gp, "set title 'it''s'.\"\\n\".'sub'\n"));
	/* a label's % doubled (a tic label is a format) */
	assert_non_null(strstr(gp, "set ytics scale 0 ('a'.\"\\n\".'x' 2, 'b 5%%' 1)\n"));
	/* 5% of the span left, 25% right of the null line */
	assert_non_null(strstr(gp, "set xrange [9:37]\n"));
	assert_non_null(strstr(gp, "set arrow 2 from 32, graph 0 to 32, graph 1"));
	assert_non_null(strstr(gp, "\"none (null)\""));
	free(gp);
	free(data);
	fc_chart_free(c);
	/* nothing finite to draw */
	{
		const struct fc_chart_bar none[1] = { { "k", NAN, NAN, 1 } };
		struct fc_chart_tornado e = { "T", "S", "x", 0, NAN, "m", 1, none };

		assert_int_equal(fc_chart_tornado("t.svg", &e, &plain, &c, &d), FC_EDOM);
		assert_null(c);
		assert_string_equal(d.v[0].msg, "t.svg: no input has a tornado value to draw");
	}
	fc_diags_free(&d);
}

static void
test_refusals(void **state)
{
	struct fc_mc_result r[2];
	struct fc_months m;
	struct fc_scenario s;
	struct fc_chart_sweep sw;
	struct fc_chart_style st = plain;
	struct fc_chart *c;
	struct fc_diags d;
	double x[2] = { 1, 2 };

	(void)state;
	memset(r, 0, sizeof(r));
	memset(&s, 0, sizeof(s));
	memset(&sw, 0, sizeof(sw));
	fc_diags_init(&d);
	sw.s = &s;
	sw.key = "users";
	sw.x = x;
	sw.r = r;
	sw.n = 1;
	assert_int_equal(fc_chart_sweep(&sw, FC_CHART_COST, &st, &c, &d), FC_EINVAL);
	sw.n = 2;
	assert_int_equal(fc_chart_sweep(&sw, FC_CHART_HISTOGRAM, &st, &c, &d), FC_EINVAL);
	assert_int_equal(fc_chart_sweep(&sw, FC_CHART_SHARE, &st, &c, &d), FC_OK);
	assert_string_equal(fc_chart_name(c), "share");
	fc_chart_free(c);
	/* a log y axis for savings that start below 0 */
	memset(&m, 0, sizeof(m));
	m.n = 1;
	m.one_time_net = 1000;
	m.stat[0][FC_MF_CUMULATIVE].p5 = 50;
	r[0].trials = 10;
	r[0].months = &m;
	st.y_scale = FC_CHART_Y_LOG;
	assert_int_equal(fc_chart_timeline(&s, &r[0], &st, &c, &d), FC_EINVAL);
	assert_non_null(strstr(d.v[d.n - 1].msg, "--y-scale log: the cumulative savings are not "
	    "all positive"));
	st.y_scale = FC_CHART_Y_LINEAR;
	assert_int_equal(fc_chart_timeline(&s, &r[0], &st, &c, &d), FC_OK);
	fc_chart_free(c);
	/* no viable server option */
	{
		struct fc_cmp_option v[1];
		struct fc_mc_opts o;
		size_t order[1] = { 0 };

		memset(v, 0, sizeof(v));
		memset(&o, 0, sizeof(o));
		s.file = (char *)"s.yaml";
		assert_int_equal(fc_chart_compare(&s, &o, v, order, 1, &st, &c, &d), FC_EDOM);
		assert_string_equal(d.v[d.n - 1].msg, "s.yaml: no viable server option to plot");
	}
	fc_diags_free(&d);
}

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void
test_file_complete(void **state)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
	    1, 2, 3, 4, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
	char path[] = "/tmp/test_chart.XXXXXX";
	const char *svg = "<svg>\n<g/>\n</svg>\n", *pdf = "%PDF-1.5\n1 0 obj\n%%EOF\n";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_file(path, svg, strlen(svg));
	assert_true(fc_chart_file_complete(path, FC_CHART_SVG));
	assert_false(fc_chart_file_complete(path, FC_CHART_PDF));
	write_file(path, svg, strlen(svg) - 4);   /* cut in its last tag */
	assert_false(fc_chart_file_complete(path, FC_CHART_SVG));
	write_file(path, pdf, strlen(pdf));
	assert_true(fc_chart_file_complete(path, FC_CHART_PDF));
	write_file(path, png, sizeof(png));
	assert_true(fc_chart_file_complete(path, FC_CHART_PNG));
	write_file(path, png, sizeof(png) - 1);
	assert_false(fc_chart_file_complete(path, FC_CHART_PNG));
	unlink(path);
	assert_false(fc_chart_file_complete(path, FC_CHART_SVG));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_histogram_bins),
		cmocka_unit_test(test_tornado),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_file_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
