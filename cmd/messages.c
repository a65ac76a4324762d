/*
 * messages.c: the front end's messages (see cli.h): errors and warnings
 * on stderr, and diagnostics as a compiler prints them, with the source
 * line and a caret.  Usage errors are util.c's.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diagprint.h"
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

/* In-memory sources (the --set arguments, a merged run's scenario). */
static struct fc_sources sources;

int
cli_add_source(const char *name, const char *text)
{
	return fc_sources_add(&sources, name, text);
}

size_t
cli_print_diags(const struct fc_diags *d)
{
	return fc_diags_print(stderr, d, &sources);
}

