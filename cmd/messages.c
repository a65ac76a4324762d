/*
 * messages.c: the front end's messages (see cli.h): errors and warnings
 * on stderr, and diagnostics as a compiler prints them, with the source
 * line and a caret.  Usage errors are util.c's.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ynode.h"

/* One line on stderr: prefix, then the message. */
static void __attribute__((format(printf, 2, 0)))
say(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cli_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("flatcost: ", fmt, ap);
	va_end(ap);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("flatcost: warning: ", fmt, ap);
	va_end(ap);
}

int
cli_oom(void)
{
	cli_err("out of memory");
	return EXIT_RUNTIME;
}

/* In-memory sources (the --set arguments). */
static struct { char *name; char *text; } sources[8];
static size_t nsources;

int
cli_add_source(const char *name, const char *text)
{
	size_t i;
	char *t;

	for (i = 0; i < nsources; i++)
		if (strcmp(sources[i].name, name) == 0) {
			if ((t = fc_strdup(text)) == NULL)
				return -1;
			fc_free(sources[i].text);
			sources[i].text = t;
			return 0;
		}
	if (nsources == sizeof(sources) / sizeof(sources[0]))
		return 0;   /* only the quoting of its lines is lost */
	sources[nsources].name = fc_strdup(name);
	sources[nsources].text = fc_strdup(text);
	if (sources[nsources].name == NULL || sources[nsources].text == NULL) {
		fc_free(sources[nsources].name);
		fc_free(sources[nsources].text);
		return -1;
	}
	nsources++;
	return 0;
}

/* Line `line` of the source, without its newline, into buf. */
static int
source_line(const char *file, int line, char *buf, size_t len)
{
	size_t i;
	FILE *f;
	int n = 1, c;
	size_t k = 0;

	for (i = 0; i < nsources; i++)
		if (strcmp(sources[i].name, file) == 0) {
			const char *p = sources[i].text;
			while (n < line && (p = strchr(p, '\n')) != NULL) {
				p++;
				n++;
			}
			if (p == NULL)
				return -1;
			while (p[k] && p[k] != '\n' && k + 1 < len) {
				buf[k] = p[k];
				k++;
			}
			buf[k] = '\0';
			return 0;
		}
	/* only a regular file of text: a FIFO would block, gzip is no text */
	{
		struct stat sb;
		if (stat(file, &sb) != 0 || !S_ISREG(sb.st_mode))
			return -1;
	}
	f = fopen(file, "rb");
	if (f == NULL)
		return -1;
	if ((c = getc(f)) == 0x1f && (c = getc(f)) == 0x8b) {
		fclose(f);
		return -1;
	}
	rewind(f);
	while (n < line && (c = getc(f)) != EOF)
		if (c == '\n')
			n++;
	if (n != line) {
		fclose(f);
		return -1;
	}
	while ((c = getc(f)) != EOF && c != '\n' && k + 1 < len)
		buf[k++] = (char)c;
	buf[k] = '\0';
	fclose(f);
	if (k == 0 && c == EOF)
		return -1;
	return 0;
}

static void
print_caret(const struct fc_loc *l)
{
	char line[512], shown[512];
	size_t i, k = 0;
	int col, len;

	if (l->line <= 0 || source_line(l->file, l->line, line, sizeof(line)) != 0)
		return;
	/* control bytes would garble the terminal: show them as '?' */
	for (i = 0; line[i]; i++) {
		unsigned char ch = (unsigned char)line[i];
		shown[k++] = (ch < 32 && ch != '\t') || ch == 127 ? '?' : (char)ch;
	}
	shown[k] = '\0';
	fprintf(stderr, "%5d | %s\n      | ", l->line, shown);
	col = l->col > 0 ? l->col : 1;
	for (i = 1; i < (size_t)col && i <= k; i++)
		fputc(shown[i - 1] == '\t' ? '\t' : ' ', stderr);
	fputc('^', stderr);
	len = l->len;
	if (len > 1 && (size_t)(col + len - 1) > k + 1)
		len = (int)(k + 1 - (size_t)col) + 1;
	for (i = 1; len > 1 && i < (size_t)len; i++)
		fputc('~', stderr);
	fputc('\n', stderr);
}

size_t
cli_print_diags(const struct fc_diags *d)
{
	static const char *const sev[] = { "error", "warning", "note" };
	const char *last_file = NULL;
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct fc_diag *g = &d->v[i];
		if (g->loc.file && g->loc.line > 0)
			fprintf(stderr, "%s:%d:%d: %s: %s\n", g->loc.file, g->loc.line,
			    g->loc.col, sev[g->sev], g->msg);
		else if (g->loc.file)
			fprintf(stderr, "%s: %s: %s\n", g->loc.file, sev[g->sev], g->msg);
		else
			fprintf(stderr, "flatcost: %s: %s\n", sev[g->sev], g->msg);
		if (g->loc.file)
			print_caret(&g->loc);
		if (g->sev == FC_SEV_ERROR && g->loc.file)
			last_file = g->loc.file;
	}
	if (d->n_dropped)
		fprintf(stderr, "flatcost: %zu more errors not shown\n", d->n_dropped);
	if (d->oom)
		fprintf(stderr, "flatcost: out of memory\n");
	if (d->n_errors)
		fprintf(stderr, "flatcost: %zu error%s%s%s\n", d->n_errors,
		    d->n_errors == 1 ? "" : "s", last_file ? " in " : "",
		    last_file ? last_file : "");
	return d->n_errors;
}

