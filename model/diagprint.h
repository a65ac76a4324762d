/*
 * diagprint.h: diagnostics written as a compiler writes them (jq's
 * locfile.c is the model): "FILE:LINE:COL: error: MESSAGE", then the
 * source line with a caret under the column (and tildes under the rest of
 * the located text), then "flatcost: N errors in FILE".  The line is read
 * from a source the caller registered by name (the --set arguments, a
 * scenario loaded from memory), else from the file itself when it is a
 * regular, uncompressed file; control bytes are shown as '?'.
 *
 * A caller keeps one struct fc_sources for the life of the process,
 * zeroed before use; the texts are copied.  Nothing here writes anywhere
 * but the stream it is given.
 */
#ifndef FC_DIAGPRINT_H
#define FC_DIAGPRINT_H

#include <stddef.h>
#include <stdio.h>

#include "fc.h"

#define FC_MAX_SOURCES 8

struct fc_sources {
	struct { char *name; char *text; } v[FC_MAX_SOURCES];
	size_t n;
};

/* Registers (or replaces) the text of source name.  Past FC_MAX_SOURCES
 * only the quoting of its lines is lost: 0.  -1 when out of memory. */
int fc_sources_add(struct fc_sources *src, const char *name, const char *text);
/* Line `line` (1-based) of file, without its newline, into buf (len
 * bytes, cut there): from a registered text, else the file.  0, or -1
 * when there is no such line or no readable text file. */
int fc_sources_line(const struct fc_sources *src, const char *file, int line, char *buf,
    size_t len);
/* Writes every diagnostic of d to out, then how many were dropped, an
 * out-of-memory note, and the error count; returns d->n_errors. */
size_t fc_diags_print(FILE *out, const struct fc_diags *d, const struct fc_sources *src);

#endif
