/*
 * textfmt.c: numbers and text for people (see textfmt.h).
 */
#include "textfmt.h"

#include <math.h>
#include <string.h>

void
fc_fmt_money(char *buf, size_t len, const char *symbol, double v)
{
	char raw[64], out[80];
	int neg = v < 0, n, i, j = 0, intlen;
	char *dot;

	if (!isfinite(v)) {
		snprintf(buf, len, "n/a");
		return;
	}
	snprintf(raw, sizeof(raw), "%.2f", fabs(v));
	dot = strchr(raw, '.');
	intlen = (int)(dot - raw);
	if (neg)
		out[j++] = '-';
	j += snprintf(out + j, sizeof(out) - (size_t)j, "%s", symbol ? symbol : "$");
	for (i = 0; i < intlen; i++) {
		out[j++] = raw[i];
		n = intlen - i - 1;
		if (n > 0 && n % 3 == 0)
			out[j++] = ',';
	}
	strcpy(out + j, dot);
	snprintf(buf, len, "%s", out);
}

void
fc_fmt_count(char *buf, size_t len, double v)
{
	char raw[64], out[80];
	int i, j = 0, n, l;

	if (!isfinite(v)) {
		snprintf(buf, len, "n/a");
		return;
	}
	snprintf(raw, sizeof(raw), "%.0f", fabs(v));
	l = (int)strlen(raw);
	if (v < 0)
		out[j++] = '-';
	for (i = 0; i < l; i++) {
		out[j++] = raw[i];
		n = l - i - 1;
		if (n > 0 && n % 3 == 0)
			out[j++] = ',';
	}
	out[j] = '\0';
	snprintf(buf, len, "%s", out);
}

void
fc_md_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '|': fputs("\\|", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '\n': case '\r': fputc(' ', f); break;
		default: fputc(*s, f);
		}
	}
}

void
fc_text_wrap(FILE *f, const char *text, int indent, int width, int col)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, " ");
		if (col > indent && col + 1 + (int)n > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, n, f);
		col += (int)n;
		p += n;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}
