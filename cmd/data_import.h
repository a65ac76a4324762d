/*
 * data_import.h: `flatcost data import` and `flatcost data update`
 * (cmd/data_import.c), called from cmd_data.c, which parses the options.
 */
#ifndef FC_DATA_IMPORT_H
#define FC_DATA_IMPORT_H

#include "import.h"

struct data_import_args {
	const char *source;          /* a file or an http(s) URL */
	enum fc_import_format format;
	const char *as_of;           /* NULL: today */
	double usd_per_eur;          /* hetzner-pricing: the rate; 0 unset */
	const char *location;        /* hetzner-pricing: e.g. "fsn1" */
	int llamabench;              /* --from llama-bench (data_import_lb.c) */
	const char *hardware, *model; /* llama-bench: the entry measured, the model's id */
};

/* Imports one source into the user data directory; an exit status. */
int data_import_one(const struct data_import_args *a);
/* --from llama-bench: a hardware profile with the measured point on
 * stdout (cmd/data_import_lb.c); an exit status. */
int data_import_llamabench(const struct data_import_args *a);
/* Imports again every source imports.yaml records; an exit status. */
int data_update(const struct data_import_args *base);

#endif
