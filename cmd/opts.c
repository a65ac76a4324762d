/*
 * opts.c: the option tables' one mechanism (see opts.h): walking a table,
 * getopt_long over it, the synopsis, the option list of `help CMD` and the
 * generated part of the shell completions.
 */
#include "cli.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define CLI_AUTO_CODE 4096   /* getopt_long's value for an entry of code 0 */

/* Whether the entry has a short option too (its code is the character). */
static int
is_short(const struct cli_opt *o)
{
	return o->code > 0 && o->code < 256;
}

const struct cli_opt cli_help_opt = CLI_OPT("help", 'h', NULL, "show this help and exit");

void
cli_opt_iter_init(struct cli_opt_iter *it, const struct cli_opt *table)
{
	memset(it, 0, sizeof(*it));
	it->t = table;
}

const struct cli_opt *
cli_opt_next(struct cli_opt_iter *it)
{
	for (;;) {
		const struct cli_opt *e = &it->t[it->i];

		if (e->name == NULL && e->group == NULL) {
			if (it->done_help)
				return NULL;
			it->done_help = 1;
			return &cli_help_opt;
		}
		if (e->group == NULL) {
			it->i++;
			return e;
		}
		while (e->group[it->j].name != NULL) {
			size_t j = it->j++;

			if (e->mask & (1u << j))
				return &e->group[j];
		}
		it->i++;
		it->j = 0;
	}
}

void
cli_getopt_init(struct cli_getopt *g, const struct cli_opt *table, int argc,
    char **argv)
{
	struct cli_opt_iter it;
	const struct cli_opt *o;
	size_t n = 0, ns = 1;

	memset(g, 0, sizeof(*g));
	g->argc = argc;
	g->argv = argv;
	g->shorts[0] = ':';
	cli_opt_iter_init(&it, table);
	while ((o = cli_opt_next(&it)) != NULL) {
		if (n == CLI_MAX_OPTS)
			abort();   /* a table longer than CLI_MAX_OPTS: a bug */
		g->longopts[n].name = o->name;
		g->longopts[n].has_arg = o->arg ? required_argument : no_argument;
		g->longopts[n].val = o->code ? o->code : CLI_AUTO_CODE + (int)n;
		g->entries[n] = o;
		n++;
		if (is_short(o) && ns + 2 < sizeof(g->shorts)) {
			g->shorts[ns++] = (char)o->code;
			if (o->arg)
				g->shorts[ns++] = ':';
		}
	}
	optind = 1;
}

void
cli_getopt_mc(struct cli_getopt *g, const char *cmd, struct cli_mc_args *mc)
{
	g->cmd = cmd;
	g->mc = mc;
}

/* Whether o is one of cli_mc_options[]. */
static int
is_shared(const struct cli_opt *o)
{
	const struct cli_opt *m;

	for (m = cli_mc_options; m->name; m++)
		if (o == m)
			return 1;
	return 0;
}

int
cli_getopt(struct cli_getopt *g)
{
	for (;;) {
		int ch = getopt_long(g->argc, g->argv, g->shorts, g->longopts, NULL);
		size_t i;

		g->entry = NULL;
		for (i = 0; ch != -1 && ch != '?' && ch != ':' && g->longopts[i].name; i++)
			if (g->longopts[i].val == ch) {
				g->entry = g->entries[i];
				break;
			}
		if (g->mc == NULL || ch == -1)
			return ch;
		if (g->entry == NULL) {
			g->status = cli_bad_option(g->cmd, ch, g->argv);
			return CLI_GETOPT_FAILED;
		}
		if (!is_shared(g->entry))
			return ch;
		if ((g->status = cli_mc_opt(g->cmd, g->mc, ch, optarg)) != EXIT_OK)
			return CLI_GETOPT_FAILED;
	}
}

int
cli_opt_store(const char *cmd, const struct cli_opt *o, void *ctx, const char *arg)
{
	char *field = (char *)ctx + o->off, opt[64];
	int rc = 0;

	snprintf(opt, sizeof(opt), "--%s", o->name);
	switch (o->store) {
	case CLI_S_NONE:
		return 0;
	case CLI_S_STR:
		*(const char **)(void *)field = arg;
		return 0;
	case CLI_S_SET:
		*(int *)(void *)field = (int)o->lo;
		return 0;
	case CLI_S_LONG:
		rc = arg_long(cmd, opt, arg, (long)o->lo, (long)o->hi, (long *)(void *)field);
		break;
	case CLI_S_DOUBLE:
		rc = arg_double(cmd, opt, arg, o->lo, o->hi, (double *)(void *)field);
		break;
	case CLI_S_FN:
		return o->fn(ctx, arg);
	}
	if (rc == 0 && o->fn != NULL)
		rc = o->fn(ctx, arg);
	return rc ? EXIT_USAGE : 0;
}

/* ---- the synopsis ---- */

#define SYN_WIDTH 88    /* a line's width, "usage: " included */
#define SYN_INDENT 16   /* a continuation line's indent */
#define MAX_ITEMS 64

struct syn {
	char *buf;
	size_t len, cap;
	size_t col;
};

static void
syn_put(struct syn *s, const char *text)
{
	size_t n = strlen(text);

	if (s->len + n + 1 > s->cap)
		return;    /* truncated; the buffer is sized for every table */
	memcpy(s->buf + s->len, text, n + 1);
	s->len += n;
	s->col = strrchr(text, '\n') ? strlen(strrchr(text, '\n') + 1) : s->col + n;
}

/* One option as the synopsis shows it, without brackets: "--trials N",
 * "-o FILE". */
static void
opt_text(const struct cli_opt *o, char *buf, size_t len)
{
	if (is_short(o))
		snprintf(buf, len, "-%c%s%s", o->code, o->arg ? " " : "", o->arg ? o->arg : "");
	else
		snprintf(buf, len, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* The bracketed items of form k of table t into items[]; returns how
 * many. */
static size_t
form_items(const struct cli_opt *t, unsigned k, char items[][160], size_t max)
{
	struct cli_opt_iter it;
	const struct cli_opt *o;
	size_t n = 0;
	char one[128];

	cli_opt_iter_init(&it, t);
	while ((o = cli_opt_next(&it)) != NULL) {
		unsigned forms = o->forms ? o->forms : 1;

		if (!(forms & (1u << k)) || (o->flags & (CLI_OF_HIDDEN | CLI_OF_IN_HEAD)) ||
		    o == &cli_help_opt)
			continue;
		opt_text(o, one, sizeof(one));
		if ((o->flags & (CLI_OF_OR | CLI_OF_NEST)) && n > 0) {
			char *prev = items[n - 1];
			size_t pl = strlen(prev);

			if (pl > 0 && prev[pl - 1] == ']')
				prev[--pl] = '\0';
			snprintf(prev + pl, 160 - pl, "%s%s%s]%s",
			    (o->flags & CLI_OF_OR) ? " | " : " [", one,
			    (o->flags & CLI_OF_OR) ? "" : "]",
			    (o->flags & CLI_OF_REPEAT) ? "..." : "");
			continue;
		}
		if (n == max)
			break;
		snprintf(items[n++], 160, "[%s]%s", one, (o->flags & CLI_OF_REPEAT) ? "..." : "");
	}
	return n;
}

const char *
cli_synopsis(const struct cli_command *c)
{
	static char buf[8192];
	static char items[MAX_ITEMS][160];
	struct syn s = { buf, 0, sizeof(buf), 0 };
	const char *head = c->usage, *nl;
	unsigned k;
	size_t i, n;
	char line[512];

	buf[0] = '\0';
	for (k = 0; head != NULL; k++) {
		nl = strchr(head, '\n');
		snprintf(line, sizeof(line), "%s%sflatcost %s%s%.*s", k ? "\n" : "",
		    k ? "       " : "", c->name, *head && *head != '\n' ? " " : "",
		    nl ? (int)(nl - head) : (int)strlen(head), head);
		syn_put(&s, line);
		if (k == 0)
			s.col += 7;   /* "usage: " */
		n = c->opts ? form_items(c->opts, k, items, MAX_ITEMS) : 0;
		for (i = 0; i < n; i++) {
			if (s.col + 1 + strlen(items[i]) > SYN_WIDTH) {
				snprintf(line, sizeof(line), "\n%*s", SYN_INDENT, "");
				syn_put(&s, line);
				syn_put(&s, items[i]);
			} else {
				syn_put(&s, " ");
				syn_put(&s, items[i]);
			}
		}
		head = nl ? nl + 1 : NULL;
	}
	return buf;
}

/* ---- help CMD's option list ---- */

#define HELP_COL 30

void
cli_opts_print_help(FILE *f, const struct cli_command *c)
{
	struct cli_opt_iter it;
	const struct cli_opt *o;
	char left[160];

	fputs("options:\n", f);
	cli_opt_iter_init(&it, c->opts);
	while ((o = cli_opt_next(&it)) != NULL) {
		if (o->flags & CLI_OF_HIDDEN)
			continue;
		if (is_short(o))
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->code, o->name,
			    o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->arg ? " " : "",
			    o->arg ? o->arg : "");
		if (strlen(left) + 4 <= HELP_COL)
			fprintf(f, "  %-*s %s\n", HELP_COL - 3, left, o->help ? o->help : "");
		else
			fprintf(f, "  %s\n%*s%s\n", left, HELP_COL, "", o->help ? o->help : "");
	}
}

/* ---- the completions ---- */

/* What an option's value completes to: "@file", "@dir", its alternatives
 * ("table json csv md": each of them lower case, as values are and
 * placeholders are not), or "" (anything). */
static void
values_of(const struct cli_opt *o, char *buf, size_t len)
{
	const char *p;
	size_t n = 0;

	buf[0] = '\0';
	if (o->arg == NULL)
		return;
	if (strstr(o->arg, "FILE") != NULL) {
		snprintf(buf, len, "@file");
		return;
	}
	if (strcmp(o->arg, "DIR") == 0) {
		snprintf(buf, len, "@dir");
		return;
	}
	if (strchr(o->arg, '|') == NULL)
		return;
	for (p = o->arg; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
		    strchr("_.-|", *p) != NULL))
			return;
	for (p = o->arg; *p && n + 1 < len; p++)
		buf[n++] = *p == '|' ? ' ' : *p;
	buf[n] = '\0';
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A command's long options, sorted, then -o when it has it. */
static void
print_opt_list(FILE *f, const struct cli_command *c)
{
	struct cli_opt_iter it;
	const struct cli_opt *o;
	const char *names[CLI_MAX_OPTS + 1];
	size_t n = 0, i, col = 0;
	int has_o = 0;
	char word[64];

	cli_opt_iter_init(&it, c->opts);
	while ((o = cli_opt_next(&it)) != NULL && n < CLI_MAX_OPTS) {
		if (o->flags & CLI_OF_HIDDEN)
			continue;
		names[n++] = o->name;
		has_o |= o->code == 'o';
	}
	qsort(names, n, sizeof(names[0]), cmp_str);
	fprintf(f, "\t%s) echo \"", c->name);
	for (i = 0; i <= n; i++) {
		if (i == n && !has_o)
			break;
		snprintf(word, sizeof(word), i < n ? "--%s" : "-o", i < n ? names[i] : "");
		if (i > 0 && col + 1 + strlen(word) > 80) {
			fputs("\n\t\t", f);
			col = 0;
		} else if (i > 0) {
			fputc(' ', f);
			col++;
		}
		fputs(word, f);
		col += strlen(word);
	}
	fputs("\";;\n", f);
}

int
cli_opts_print_completions(FILE *f)
{
	const struct cli_command *c;
	struct cli_opt_iter it;
	const struct cli_opt *o;
	char v[256];

	fputs("# generated by `flatcost help --completions` from the commands' option\n"
	    "# tables (scripts/completions.sh); do not edit\n"
	    "_flatcost_opts() {\n\tcase $1 in\n", f);
	for (c = cli_commands; c->name; c++)
		if (c->opts != NULL)
			print_opt_list(f, c);
	fputs("\tesac\n}\n\n# the values of option $2 of command $1: words, @file or @dir\n"
	    "_flatcost_values() {\n\tcase \"$1 $2\" in\n", f);
	for (c = cli_commands; c->name; c++) {
		if (c->opts == NULL)
			continue;
		cli_opt_iter_init(&it, c->opts);
		while ((o = cli_opt_next(&it)) != NULL) {
			if (o->flags & CLI_OF_HIDDEN)
				continue;
			values_of(o, v, sizeof(v));
			if (v[0] == '\0')
				continue;
			if (is_short(o))
				fprintf(f, "\t\"%s -%c\"|\"%s --%s\") echo \"%s\";;\n", c->name,
				    o->code, c->name, o->name, v);
			else
				fprintf(f, "\t\"%s --%s\") echo \"%s\";;\n", c->name, o->name, v);
		}
	}
	fputs("\tesac\n}\n", f);
	return EXIT_OK;
}
