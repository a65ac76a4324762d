/*
 * cmd_compare.c: `flatcost compare SCENARIO`: every hardware x model option
 * and the API, evaluated on the same trials (model/compare.h), ranked by
 * a figure; the options that cannot work listed with the reason.
 */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compare_args.h"
#include "compare.h"
#include "compare_report.h"
#include "data.h"
#include "plot.h"
#include "report.h"
#include "scenario.h"

enum {
	OPT_FORMAT = CLI_OPT_OWN, OPT_HARDWARE, OPT_MODEL, OPT_PLOT, OPT_RANK_BY,
	OPT_NO_RACE, OPT_PRICE_BASIS,
};

const struct cli_opt cli_compare_opts[] = {
	CLI_OPT("hardware", OPT_HARDWARE, "all|ID,...", "the servers to compare (default: the catalog's)"),
	CLI_OPT("model", OPT_MODEL, "all|ID,...", "the models to compare (default: the scenario's)"),
	CLI_OPT("price-basis", OPT_PRICE_BASIS, "BASIS|all", "the hardware prices' basis"),
	CLI_OPT("rank-by", OPT_RANK_BY, "FIGURE[@pNN]", "the figure that ranks the options (default flat.monthly_cost@p50)"),
	CLI_OPT("no-race", OPT_NO_RACE, NULL, "run every option's trials to the end"),
	CLI_MC(CLI_MC_RUN | CLI_MC_DETERMINISTIC | CLI_MC_SET),
	CLI_OPT("plot", OPT_PLOT, "FILE.png|svg|pdf", "also draw the options' chart"),
	CLI_OPT("format", OPT_FORMAT, "table|json|csv|md", "the report's format (default table)"),
	CLI_OPT("output", 'o', "FILE", "write the report to FILE instead of standard output"),
	CLI_MC(CLI_MC_DATA | CLI_MC_ALLOW_FREE_HW),
	CLI_OPTS_END,
};

/* The options to compare, grown as the lists are expanded. */
struct optlist {
	struct fc_cmp_option *v;
	size_t n, cap;
};

static int
add_option(struct optlist *l, const struct fc_cmp_option *o)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].kind == o->kind && l->v[i].hw == o->hw &&
		    strcmp(l->v[i].ref, o->ref) == 0)
			return 0;   /* named twice */
	if (l->n == l->cap) {
		size_t nc = l->cap ? 2 * l->cap : 32;
		struct fc_cmp_option *nv = fc_realloc(l->v, nc * sizeof(*nv));
		if (nv == NULL)
			return -1;
		l->v = nv;
		l->cap = nc;
	}
	l->v[l->n++] = *o;
	return 0;
}

/* The run, as the writers see it. */
struct cmp_run {
	const struct fc_scenario *s;
	const struct fc_mc_opts *o;
	struct fc_cmp_rank rk;
	struct fc_cmp_option *v;
	size_t n;
	size_t *order;          /* ranked, viable unranked, raced out, not viable */
	size_t nraced;          /* options raced out */
	const char *warning;    /* or NULL */
	const char *basis;      /* the hardware prices' basis compared; NULL: all */
	char basis_warning[320]; /* a --hardware list on several bases, or "" */
};

static int
write_json(FILE *f, const struct cmp_run *c)
{
	struct fc_mc_result r;
	json_t *o, *a, *w;
	char msg[512];
	size_t i;

	memset(&r, 0, sizeof(r));
	r.deterministic = c->o->deterministic;
	r.month = c->o->month;
	r.trials = c->o->trials;
	r.seed = c->o->seed;
	o = report_json_head(c->s, &r);
	json_object_set_new(o, "ranked_by", json_pack("{s:s, s:s, s:s}",
	    "figure", fc_figures[c->rk.fig].key, "percentile", fc_compare_rank_stat(&c->rk, c->o->deterministic),
	    "order", fc_compare_rank_order(&c->rk)));
	fc_compare_race_text(msg, sizeof(msg), c->nraced);
	json_object_set_new(o, "race", json_pack("{s:b, s:i, s:i, s:s}",
	    "enabled", c->rk.race && !c->o->deterministic && c->o->trials >= FC_CMP_RACE_MIN &&
	    !fc_compare_by_breakeven(&c->rk), "batch_trials", FC_CMP_RACE_BATCH,
	    "raced_out", (json_int_t)c->nraced, "message", msg));
	json_object_set_new(o, "price_basis", json_string(c->basis ? c->basis : "all"));
	json_object_set_new(o, "breakeven_definition", json_string(
	    "lasting: the user count from which flat stays cheaper than api.price by at least a cent, at the means (as simulate's breakeven_users)"));
	/* beside the data warnings of report_json_head() */
	w = json_object_get(o, "warnings");
	if (c->warning && w)
		json_array_append_new(w, json_pack("{s:s, s:s}", "kind", "fallback_share",
		    "message", c->warning));
	if (c->basis_warning[0] && w)
		json_array_append_new(w, json_pack("{s:s, s:s}", "kind", "price_basis",
		    "message", c->basis_warning));
	a = json_array();
	for (i = 0; i < c->n; i++)
		json_array_append_new(a, fc_compare_option_json(&c->v[c->order[i]], c->o->deterministic));
	json_object_set_new(o, "options", a);
	return fc_json_dump(f, o);
}

/* The run as model/compare_report.h lists it, money in the report's
 * currency. */
static void
listing_of(const struct cmp_run *c, struct fc_compare_listing *l)
{
	l->s = c->s;
	l->o = c->o;
	l->rk = c->rk;
	l->v = c->v;
	l->n = c->n;
	l->order = c->order;
	l->nraced = c->nraced;
	l->warning = c->warning;
	l->basis = c->basis;
	l->money = report_currency.symbol;
}

static int
write_report(FILE *f, int fmt, const struct cmp_run *c)
{
	struct fc_compare_listing l;

	listing_of(c, &l);
	switch (fmt) {
	case FMT_JSON: return write_json(f, c);
	case FMT_CSV: return fc_compare_write_csv(f, &l);
	case FMT_MD: return fc_compare_write_text(f, &l, 1);
	default: return fc_compare_write_text(f, &l, 0);
	}
}

/* The options: every hardware x model, then the API. */
static int
build_options(const struct fc_scenario *s, const struct fc_hw *const *hw, size_t nhw,
    const struct compare_mq *mq, size_t nmq, struct optlist *l)
{
	struct fc_cmp_option o;
	size_t h, m;

	for (h = 0; h < nhw; h++)
		for (m = 0; m < nmq; m++) {
			memset(&o, 0, sizeof(o));
			o.kind = FC_CMP_FLAT;
			o.hw = hw[h];
			o.model = mq[m].m;
			o.quant = mq[m].q;
			snprintf(o.ref, sizeof(o.ref), "%s-%s", mq[m].m->id,
			    fc_quant_names[mq[m].q]);
			if (add_option(l, &o) != 0)
				return -1;
		}
	memset(&o, 0, sizeof(o));
	o.kind = FC_CMP_API;
	snprintf(o.ref, sizeof(o.ref), "%s", s->api.id ? s->api.id : "inline");
	if (add_option(l, &o) != 0)
		return -1;
	if (s->route.n == 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.kind = FC_CMP_API_ROUTED;
	for (m = 0; m < s->route.n; m++) {
		size_t len = strlen(o.ref);
		snprintf(o.ref + len, sizeof(o.ref) - len, "%s%s", m ? "+" : "",
		    s->route.price[m].id ? s->route.price[m].id : "inline");
	}
	return add_option(l, &o);
}

/* Several models, one fallback share: the smallest model wins by
 * construction.  The warning, or NULL. */
static const char *
fallback_warning(const struct fc_scenario *s, long month, const struct compare_mq *mq,
    size_t nmq)
{
	const struct fc_num *f0;
	size_t i;
	int several = 0;

	if (nmq == 0)
		return NULL;
	f0 = fc_scenario_fallback_for(s, mq[0].m, mq[0].q, month);

	for (i = 1; i < nmq; i++) {
		if (fc_scenario_fallback_for(s, mq[i].m, mq[i].q, month) != f0)
			return NULL;
		several |= mq[i].m != mq[0].m;
	}
	if (!several)
		return NULL;
	return s->flat.n_fallback_by_model ?
	    "every compared model has the same quality-fallback share "
	    "(flat.fallback.share_by_model names none of them, or gives them one share), "
	    "so the smallest model wins by construction" :
	    "every model has the same quality-fallback share "
	    "(flat.fallback.share), so the smallest model wins by construction; "
	    "give each model its own share with flat.fallback.share_by_model";
}

struct args {
	const char *out_path, *plot_path, *hw, *model, *basis;
	int fmt;
	struct fc_cmp_rank rk;
	struct cli_mc_args mc;
};

static int
parse_args(int argc, char **argv, struct args *a)
{
	struct cli_getopt g;
	int ch, rc;

	memset(a, 0, sizeof(*a));
	a->fmt = FMT_TABLE;
	a->rk.fig = fc_figure_index("flat.monthly_cost");
	a->rk.stat = 2;
	a->rk.race = 1;
	cli_mc_init(&a->mc);
	cli_data_flags.free_hw = 1;    /* a price of 0 is refused */
	cli_getopt_init(&g, cli_compare_opts, argc, argv);
	cli_getopt_mc(&g, "compare", &a->mc);
	while ((ch = cli_getopt(&g)) != -1) {
		switch (ch) {
		case OPT_FORMAT:
			if ((a->fmt = report_format_parse(optarg)) < 0)
				return cli_usage_error("compare",
				    "--format: expected table, json, csv or md, got '%s'", optarg);
			break;
		case OPT_HARDWARE:
			a->hw = optarg;
			break;
		case 'h':
			return cli_help("compare");
		case OPT_MODEL:
			a->model = optarg;
			break;
		case 'o':
			a->out_path = optarg;
			break;
		case OPT_PLOT:
			if ((rc = plot_check("compare", optarg)) != EXIT_OK)
				return rc;
			a->plot_path = optarg;
			break;
		case OPT_NO_RACE:
			a->rk.race = 0;
			break;
		case OPT_PRICE_BASIS:
			if (strcmp(optarg, "all") && fc_price_basis_index(optarg) < 0)
				return cli_usage_error("compare", "--price-basis: expected monthly, "
				    "on-demand, spot, serverless, reserved or all, got '%s'", optarg);
			a->basis = optarg;
			break;
		case OPT_RANK_BY:
			if ((rc = compare_parse_rank(optarg, &a->rk)) != EXIT_OK)
				return rc;
			break;
		default:
			return g.status;   /* CLI_GETOPT_FAILED */
		}
	}
	if (optind >= argc)
		return cli_usage_error("compare", "no scenario file given");
	if (optind + 1 < argc)
		return cli_usage_error("compare", "unexpected argument '%s'", argv[optind + 1]);
	if (a->plot_path && a->mc.deterministic)
		return cli_usage_error("compare", "--plot draws the P5-P95 spread over Monte "
		    "Carlo trials; drop --deterministic");
	return -1;
}

/* The basis compared: --price-basis, else none for a --hardware list
 * (the servers the user chose), else the scenario's hardware's (said on
 * stderr), else every basis. */
static const char *
compare_basis(const struct args *a, const struct fc_scenario *s)
{
	if (a->basis)
		return strcmp(a->basis, "all") ? a->basis : NULL;
	if (a->hw && strcmp(a->hw, "all"))
		return NULL;
	if (s->flat.hw.price_basis) {
		fprintf(stderr, "flatcost: note: compare: hardware priced %s, the basis of the scenario's %s "
		    "(--price-basis all compares every basis)\n", s->flat.hw.price_basis,
		    s->flat.hw.id);
		return s->flat.hw.price_basis;
	}
	fprintf(stderr, "flatcost: note: compare: the scenario's hardware %s says no price_basis: every basis "
	    "is compared\n", s->flat.hw.id);
	return NULL;
}

static int
run(const struct args *a, struct fc_scenario *s, struct fc_catalog *cat)
{
	const struct fc_hw *hw[COMPARE_MAX_HW + 1];
	struct compare_mq mq[COMPARE_MAX_MODELS];
	struct optlist l = { NULL, 0, 0 };
	struct cmp_run c;
	struct fc_mc_opts o;
	struct cli_trials_progress prog;
	struct cli_out out;
	struct plot_out po;
	size_t nhw, nmq, k;
	enum fc_status st;
	int rc;

	memset(&po, 0, sizeof(po));
	memset(&c, 0, sizeof(c));
	c.basis = compare_basis(a, s);
	if ((rc = compare_parse_hardware(cat, s, a->hw, c.basis, hw, &nhw)) != EXIT_OK ||
	    (rc = compare_parse_models(cat, s, a->model, mq, &nmq)) != EXIT_OK ||
	    (rc = cli_data_check_hw(hw, nhw, "compare.hardware")) != EXIT_OK)
		return rc;
	for (k = 1; k < nhw && c.basis == NULL && a->basis == NULL; k++)
		if (!hw[k]->price_basis || !hw[0]->price_basis ||
		    strcmp(hw[k]->price_basis, hw[0]->price_basis)) {
			snprintf(c.basis_warning, sizeof(c.basis_warning), "%s (compare.hardware): "
			    "priced %s, unlike %s (%s): the servers listed are priced on different "
			    "bases, their costs not like for like (--price-basis BASIS compares one)",
			    hw[k]->id, hw[k]->price_basis ? hw[k]->price_basis : "on no stated basis",
			    hw[0]->id, hw[0]->price_basis ? hw[0]->price_basis : "no stated basis");
			cli_warn("%s", c.basis_warning);
			break;
		}
	if (build_options(s, hw, nhw, mq, nmq, &l) != 0) {
		fc_free(l.v);
		return cli_oom();
	}
	c.s = s;
	c.o = &o;
	c.rk = a->rk;
	c.v = l.v;
	c.n = l.n;
	cli_mc_fill(&a->mc, s, &o);
	c.warning = fallback_warning(s, o.month, mq, nmq);
	if (c.warning)
		cli_warn("%s", c.warning);
	cli_trials_progress_init(&prog, &o);
	if ((c.order = fc_calloc(l.n, sizeof(*c.order))) == NULL) {
		fc_free(l.v);
		return cli_oom();
	}
	st = fc_compare_run(s, &o, &c.rk, l.v, l.n);
	if (st != FC_OK) {
		rc = cli_mc_failed(s->file, st);
		goto out;
	}
	fc_compare_order(c.v, c.n, c.order);
	for (k = 0; k < c.n; k++)
		c.nraced += c.v[k].raced_out != 0;
	if (c.nraced && a->fmt != FMT_TABLE && a->fmt != FMT_MD)
		fprintf(stderr, "flatcost: %zu of %zu options raced out after the first %d trials "
		    "(--no-race to run every option on every trial)\n", c.nraced, c.n,
		    FC_CMP_RACE_BATCH);
	for (k = 0; k < c.n && !o.deterministic; k++)
		if (c.v[k].kind == FC_CMP_API_ROUTED && c.v[k].viable)
			cli_route_warning(s, c.v[k].stats[FC_CMP_CLIPPED].mean);
	if (a->plot_path && (rc = plot_compare(a->plot_path, s, &o, c.v, c.order, c.n, &po))
	    != EXIT_OK)
		goto out;
	if ((rc = out_open(&out, a->out_path)) != EXIT_OK)
		goto out;
	if (write_report(out.f, a->fmt, &c) != 0)
		rc = out_fail(&out);
	else if ((rc = out_commit(&out)) == EXIT_OK)
		rc = plot_commit(&po);
out:
	plot_abort(&po);
	fc_free(c.order);
	fc_free(l.v);
	return rc;
}

int
cmd_compare(int argc, char **argv)
{
	struct args a;
	struct fc_catalog *cat = NULL;
	struct fc_scenario *s = NULL;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	{
		const char *in[] = { argv[optind] }, *outs[] = { a.out_path, a.plot_path };
		if ((rc = cli_io_claim(in, 1, outs, 2)) != EXIT_OK)
			return rc;
	}
	if ((rc = load_scenario(argv[optind], a.mc.sets, a.mc.nsets, &cat, &s)) == EXIT_OK)
		rc = run(&a, s, cat);
	fc_scenario_free(s);
	fc_catalog_free(cat);
	return rc;
}
