/*
 * status.c: the one table from a library status to an exit status and the
 * shape of the message that goes with it (cli.h says the contract).
 */
#include <stddef.h>

#include "cli.h"
#include "fc.h"

/* Each status, its exit status, and (in the comment) what the user sees. */
static const struct {
	enum fc_status st;
	int code;
} exits[] = {
	{ FC_OK, EXIT_OK },            /* nothing */
	{ FC_EINVAL, EXIT_USAGE },     /* FILE:LINE:COL: error: WHAT (the diagnostics) */
	{ FC_EIO, EXIT_RUNTIME },      /* the diagnostics, or flatcost: cannot read PATH: REASON */
	{ FC_ENOMEM, EXIT_RUNTIME },   /* flatcost: out of memory */
	{ FC_EDOM, EXIT_RUNTIME },     /* flatcost: FILE: cannot simulate: REASON */
	{ FC_ERANGE, EXIT_RUNTIME },   /* flatcost: FILE: cannot simulate: REASON */
};

int
cli_exit_status(enum fc_status st)
{
	size_t i;

	for (i = 0; i < sizeof(exits) / sizeof(exits[0]); i++)
		if (exits[i].st == st)
			return exits[i].code;
	return EXIT_RUNTIME;   /* a status this table does not know: the system's */
}

int
cli_failed(enum fc_status st)
{
	if (st == FC_ENOMEM)
		return cli_oom();
	return cli_exit_status(st);
}
