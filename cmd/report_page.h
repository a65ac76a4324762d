/*
 * report_page.h: the page of `flatcost report`, as HTML (one file: CSS
 * inline, charts as inline SVG, no script) or Markdown (charts as files
 * beside it).  Every number is written through one function that, in
 * HTML, also records where it comes from: data-src names the command
 * (one of the page's "Figures from" commands, data-cmd), data-key the
 * dotted path of the number in that command's --format json (array
 * items by index), data-v the number itself as JSON writes it.
 * tests/cli/report.bats checks each against the command's JSON.
 */
#ifndef FC_REPORT_PAGE_H
#define FC_REPORT_PAGE_H

#include <stdio.h>

#include <jansson.h>

#include "plot.h"
#include "report_data.h"

enum page_chart { PC_TIMELINE, PC_COST, PC_COMPARE, PC_TORNADO, PC_N };
enum page_cmd { SRC_SIMULATE, SRC_MONTHS, SRC_SWEEP, SRC_SENS, SRC_COMPARE, SRC_N };
extern const char *const page_src_names[SRC_N];

struct page {
	FILE *f;
	int md;                          /* Markdown, else HTML */
	const struct fc_scenario *s;
	const struct fc_report_data *d;
	int sensitivity;                 /* the tornado section */
	const char *command;             /* the exact command line of the page */
	char *cmds[SRC_N];               /* the underlying commands (NULL: not run) */
	char *charts[PC_N];              /* HTML: the SVG text; md: the file name; NULL: none */
	const size_t *order;             /* compare's options, ranked */
	json_t *inputs;                  /* fc_result_json_inputs(), borrowed */
	json_t *warnings;                /* the "warnings" array, borrowed */
	char data_hash[20];              /* FNV-1a 64 of the inputs' JSON, hex */
};

/* How a number is shown: $1,234 / 12% (0.05%, <0.01%) / 1,234 / 12.3 s / 3 digits. */
enum page_kind { K_MONEY, K_PCT, K_COUNT, K_SEC, K_NUM };

/* Writes the page; 0, or -1 on a write error. */
int page_write(const struct page *p);
/* A number with its source: src's JSON at key (a printf format); in
 * HTML a span with data-src, data-key and data-v. */
void page_num(const struct page *p, enum page_cmd src, double v, enum page_kind k,
    const char *key, ...) __attribute__((format(printf, 5, 6)));
/* Building blocks, the same calls for HTML and Markdown: a section and
 * its end, a paragraph's start (open) or end, a chart by its figure, a
 * table's header row, a row's start or end, a cell's start or end (right:
 * a number column), a table's end. */
void page_section(const struct page *p, const char *id, const char *title);
void page_section_end(const struct page *p);
void page_para(const struct page *p, int open);
void page_chart(const struct page *p, enum page_chart c, const char *alt);
void page_head(const struct page *p, const char *const *h, size_t n);
void page_row(const struct page *p, int open);
void page_cell(const struct page *p, int open, int right);
void page_table_end(const struct page *p);
/* The sections (report_section.c), in page order after the decision. */
void page_payback(const struct page *p);
void page_cost(const struct page *p);
void page_compare(const struct page *p);
void page_drivers(const struct page *p);
void page_service(const struct page *p);
void page_reproduce(const struct page *p);
/* The assumptions section's table (report_assume.c). */
void page_assumptions(const struct page *p);
/* Text escaped for HTML (or Markdown table cells when p->md). */
void page_text(const struct page *p, const char *s);

/*
 * The page's charts (report_chart.c), drawn by gnuplot as SVG.  HTML
 * (md_path NULL): into a temporary directory, read back into p->charts as
 * text and removed.  Markdown: files STEM-timeline.svg, STEM-cost.svg,
 * STEM-compare.svg and STEM-tornado.svg beside md_path (STEM its name
 * without .md), their names in p->charts, renamed into place by
 * report_charts_commit() once the page is written.  Exit statuses of
 * cli.h; report_charts_abort() removes what is left (harmless twice).
 */
struct report_charts {
	struct plot_out po[PC_N];
};
struct fc_mc_opts;
int report_charts_draw(const struct fc_scenario *s, const struct fc_mc_opts *o,
    const struct fc_report_data *d, int sensitivity, const char *md_path,
    const size_t *order, struct page *p, struct report_charts *ch);
int report_charts_commit(struct report_charts *ch);
void report_charts_abort(struct report_charts *ch);

#endif
