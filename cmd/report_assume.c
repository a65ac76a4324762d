/*
 * report_assume.c: the assumptions table of `flatcost report`: every input
 * of the scenario as simulate's JSON "inputs" records it, with its value or
 * distribution and where it comes from (model/report_data.c's
 * fc_report_data_origin: the scenario file's line, a --set, a calibrated
 * scenario, the documented default; a catalog entry's origin, date, source
 * and efficiency basis).
 */
#include "report_page.h"

#include <string.h>

#include "report.h"

/* A number as JSON writes it, shortened for people. */
static void
put_real(const struct page *p, json_t *v)
{
	if (json_is_number(v))
		fprintf(p->f, "%.6g", json_number_value(v));
	else if (json_is_string(v))
		page_text(p, json_string_value(v));
	else if (json_is_true(v) || json_is_false(v))
		fputs(json_is_true(v) ? "true" : "false", p->f);
	else if (json_is_null(v))
		fputs("none", p->f);
	else
		fputs("(list)", p->f);
}

/* {dist: lognormal, mean: 30, cv: 0.4, expected: 30} as "lognormal mean 30, cv 0.4". */
static void
put_dist(const struct page *p, json_t *o)
{
	const char *k;
	json_t *v;
	int first = 1;

	page_text(p, json_string_value(json_object_get(o, "dist")));
	json_object_foreach(o, k, v) {
		if (strcmp(k, "dist") == 0 || strcmp(k, "expected") == 0)
			continue;
		fprintf(p->f, "%s %s ", first ? "" : ",", k);
		put_real(p, v);
		first = 0;
	}
}

/* The JSON "inputs" name a few scenario keys their own way. */
static const char *const json_keys[][2] = {
	{ "flat.fallback_api", "flat.fallback.api" },
	{ "flat.fallback_share", "flat.fallback.share" },
	{ "flat.slo_applies_to", "flat.slo.applies_to" },
	{ "flat.slo_p95_latency_s", "flat.slo.p95_latency_s" },
};

static void
origin(const struct page *p, const char *key)
{
	char from[256];
	size_t i;
	int line;

	for (i = 0; i < sizeof(json_keys) / sizeof(json_keys[0]); i++)
		if (strcmp(key, json_keys[i][0]) == 0)
			key = json_keys[i][1];
	switch (fc_report_data_origin(p->s, key, &line)) {
	case FC_RO_SET:
		fputs("--set on the command line", p->f);
		break;
	case FC_RO_CALIBRATED:
		fc_report_data_calibrated(p->s, from, sizeof(from));
		fputs("written by flatcost calibrate from ", p->f);
		page_text(p, from);
		fprintf(p->f, " (%s:%d)", p->s->file, line);
		break;
	case FC_RO_FILE:
		page_text(p, p->s->file);
		fprintf(p->f, ":%d", line);
		break;
	default:
		fputs("documented default (flatcost-scenario(5))", p->f);
	}
}

/* A catalog entry's provenance: origin, date, efficiency basis, source. */
static void
entry(const struct page *p, json_t *o)
{
	json_t *v;

	if ((v = json_object_get(o, "origin")) && json_is_string(v)) {
		/* bundled, or the file it was read from: the user data
		 * directory (imported) or a profile written by bench */
		fputs(strcmp(json_string_value(v), "bundled") == 0 ? "bundled catalog" :
		    "from ", p->f);
		if (strcmp(json_string_value(v), "bundled") != 0)
			page_text(p, json_string_value(v));
	} else {
		/* a model has no origin: models.yaml, bundled or the user's */
		fputs(json_object_get(o, "ref") ? "catalog" : "inline", p->f);
	}
	if ((v = json_object_get(o, "as_of")) && json_is_string(v)) {
		fputs(", as of ", p->f);
		page_text(p, json_string_value(v));
	}
	if ((v = json_object_get(o, "efficiency_basis")) && json_is_string(v)) {
		fputs(", efficiency ", p->f);
		page_text(p, json_string_value(v));
		if (strcmp(json_string_value(v), "measured") != 0)
			fputs(" (spec sheet with a default efficiency)", p->f);
	}
	if ((v = json_object_get(o, "shutdown")) && json_is_string(v)) {
		fputs(", shuts down ", p->f);
		page_text(p, json_string_value(v));
	}
	if ((v = json_object_get(o, "source")) && json_is_string(v)) {
		fputs("; source: ", p->f);
		page_text(p, json_string_value(v));
	}
}

static void
row_start(const struct page *p, const char *key)
{
	fputs(p->md ? "| " : "<tr><td><code>", p->f);
	page_text(p, key);
	fputs(p->md ? " | " : "</code></td><td>", p->f);
}

static void
row_mid(const struct page *p)
{
	fputs(p->md ? " | " : "</td><td>", p->f);
}

static void
row_end(const struct page *p)
{
	fputs(p->md ? " |\n" : "</td></tr>\n", p->f);
}

static void
walk(const struct page *p, json_t *o, const char *prefix)
{
	const char *k;
	json_t *v;
	char key[256];

	json_object_foreach(o, k, v) {
		snprintf(key, sizeof(key), "%s%s%s", prefix, *prefix ? "." : "", k);
		if (json_is_object(v) && json_object_get(v, "dist")) {
			row_start(p, key);
			put_dist(p, v);
			row_mid(p);
			origin(p, key);
			row_end(p);
		} else if (json_is_object(v) && (json_object_get(v, "as_of") ||
		    json_object_get(v, "source"))) {
			json_t *id = json_object_get(v, "id");
			if (!json_is_string(id))
				id = json_object_get(v, "ref");   /* flat.model */
			row_start(p, key);
			if (json_is_string(id))
				page_text(p, json_string_value(id));
			else
				fputs("inline", p->f);
			row_mid(p);
			origin(p, key);
			fputs("; ", p->f);
			entry(p, v);
			row_end(p);
		} else if (json_is_object(v)) {
			walk(p, v, key);
		} else {
			row_start(p, key);
			put_real(p, v);
			row_mid(p);
			origin(p, key);
			row_end(p);
		}
	}
}

void
page_assumptions(const struct page *p)
{
	if (p->md)
		fputs("| Input | Value or distribution | Where it comes from |\n|---|---|---|\n",
		    p->f);
	else
		fputs("<table>\n<tr><th>Input</th><th>Value or distribution</th>"
		    "<th>Where it comes from</th></tr>\n", p->f);
	walk(p, p->inputs, "");
	fputs(p->md ? "\n" : "</table>\n", p->f);
}
