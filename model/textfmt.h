/*
 * textfmt.h: numbers and text as the reports print them for people:
 * money with thousands separators and cents in a currency's symbol
 * ("$1,234.50", "-EUR 12.00"), whole counts with separators ("12,345"),
 * "n/a" for what is not finite; Markdown table text escaped; words
 * wrapped to a width.  Each writes into the caller's buffer or stream.
 */
#ifndef FC_TEXTFMT_H
#define FC_TEXTFMT_H

#include <stddef.h>
#include <stdio.h>

/* v with cents and thousands separators after symbol (NULL: "$"). */
void fc_fmt_money(char *buf, size_t len, const char *symbol, double v);
/* v rounded to a whole number with thousands separators. */
void fc_fmt_count(char *buf, size_t len, double v);
/* s for a Markdown table cell: | < > & escaped, line breaks as spaces. */
void fc_md_text(FILE *f, const char *s);
/* Writes text's words from column col, breaking lines before width and
 * indenting the next ones by indent, then a newline. */
void fc_text_wrap(FILE *f, const char *text, int indent, int width, int col);

#endif
