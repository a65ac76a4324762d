/*
 * diagprint.c: diagnostics with their source lines (see diagprint.h).
 */
#include "diagprint.h"

#include <string.h>
#include <sys/stat.h>

int
fc_sources_add(struct fc_sources *src, const char *name, const char *text)
{
	size_t i;
	char *t;

	for (i = 0; i < src->n; i++)
		if (strcmp(src->v[i].name, name) == 0) {
			if ((t = fc_strdup(text)) == NULL)
				return -1;
			fc_free(src->v[i].text);
			src->v[i].text = t;
			return 0;
		}
	if (src->n == FC_MAX_SOURCES)
		return 0;   /* only the quoting of its lines is lost */
	src->v[src->n].name = fc_strdup(name);
	src->v[src->n].text = fc_strdup(text);
	if (src->v[src->n].name == NULL || src->v[src->n].text == NULL) {
		fc_free(src->v[src->n].name);
		fc_free(src->v[src->n].text);
		return -1;
	}
	src->n++;
	return 0;
}

int
fc_sources_line(const struct fc_sources *src, const char *file, int line, char *buf, size_t len)
{
	size_t i;
	FILE *f;
	int n = 1, c;
	size_t k = 0;

	for (i = 0; i < src->n; i++)
		if (strcmp(src->v[i].name, file) == 0) {
			const char *p = src->v[i].text;
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
print_caret(FILE *out, const struct fc_loc *l, const struct fc_sources *src)
{
	char line[512], shown[512];
	size_t i, k = 0;
	int col, len;

	if (l->line <= 0 || fc_sources_line(src, l->file, l->line, line, sizeof(line)) != 0)
		return;
	/* control bytes would garble the terminal: show them as '?' */
	for (i = 0; line[i]; i++) {
		unsigned char ch = (unsigned char)line[i];
		shown[k++] = (ch < 32 && ch != '\t') || ch == 127 ? '?' : (char)ch;
	}
	shown[k] = '\0';
	fprintf(out, "%5d | %s\n      | ", l->line, shown);
	col = l->col > 0 ? l->col : 1;
	for (i = 1; i < (size_t)col && i <= k; i++)
		fputc(shown[i - 1] == '\t' ? '\t' : ' ', out);
	fputc('^', out);
	len = l->len;
	if (len > 1 && (size_t)(col + len - 1) > k + 1)
		len = (int)(k + 1 - (size_t)col) + 1;
	for (i = 1; len > 1 && i < (size_t)len; i++)
		fputc('~', out);
	fputc('\n', out);
}

size_t
fc_diags_print(FILE *out, const struct fc_diags *d, const struct fc_sources *src)
{
	static const char *const sev[] = { "error", "warning", "note" };
	const char *last_file = NULL;
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct fc_diag *g = &d->v[i];
		if (g->loc.file && g->loc.line > 0)
			fprintf(out, "%s:%d:%d: %s: %s\n", g->loc.file, g->loc.line,
			    g->loc.col, sev[g->sev], g->msg);
		else if (g->loc.file)
			fprintf(out, "%s: %s: %s\n", g->loc.file, sev[g->sev], g->msg);
		else
			fprintf(out, "flatcost: %s: %s\n", sev[g->sev], g->msg);
		if (g->loc.file)
			print_caret(out, &g->loc, src);
		if (g->sev == FC_SEV_ERROR && g->loc.file)
			last_file = g->loc.file;
	}
	if (d->n_dropped)
		fprintf(out, "flatcost: %zu more errors not shown\n", d->n_dropped);
	if (d->oom)
		fprintf(out, "flatcost: out of memory\n");
	if (d->n_errors)
		fprintf(out, "flatcost: %zu error%s%s%s\n", d->n_errors,
		    d->n_errors == 1 ? "" : "s", last_file ? " in " : "",
		    last_file ? last_file : "");
	return d->n_errors;
}
