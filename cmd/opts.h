/*
 * opts.h: a command's options as one declarative table (git's
 * parse-options is the model).  From the table come the parser
 * (cli_getopt(), getopt_long over it), the synopsis that `flatcost help
 * CMD` and every usage error print, the option list of `help CMD`, the
 * lists `flatcost help --complete options CMD` and `flatcost help
 * --completions bash|zsh` print (the shell completions in completions/ are
 * generated from them) and the lists tests/cli/man.bats holds the man
 * pages to.  An option is declared once, here; the options shared by the
 * Monte Carlo commands once, in cli_mc_options[] (cmd/mcopts.c).
 */
#ifndef FC_OPTS_H
#define FC_OPTS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

/* Flags of an entry. */
enum {
	CLI_OF_REPEAT = 1,   /* may be given again: "[--set KEY=VALUE]..." */
	CLI_OF_HIDDEN = 2,   /* parsed, never shown nor completed */
	CLI_OF_IN_HEAD = 4,  /* written in the command's synopsis head (a
	                      * required option, an alternative), not again */
	CLI_OF_OR = 8,       /* shown as an alternative to the entry before:
	                      * "[--linear | --log]" */
	CLI_OF_NEST = 16,    /* shown inside the entry before's brackets:
	                      * "[--shard K/N [--resume]]" */
};

/* Where cli_opt_store() puts a value: nowhere (the command's switch
 * handles the code), a string, a number within [lo, hi], the constant lo
 * in an int, or through a parser of the entry's own. */
enum cli_store { CLI_S_NONE, CLI_S_STR, CLI_S_LONG, CLI_S_DOUBLE, CLI_S_SET, CLI_S_FN };

/*
 * One option, or (name NULL, group set) the entries of a shared group
 * whose bit (1 << index in the group) is in mask, at this place; a table
 * ends with an entry whose name and group are both NULL.  The table's
 * order is the synopsis's order.
 */
struct cli_opt {
	const char *name;    /* the long name, without "--" */
	int code;            /* what cli_getopt() returns for it: a character
	                      * ('o') is also the short option -o, else a code
	                      * of CLI_OPT_* or a command's own, >= 256; 0: one
	                      * of its own (a table whose values are stored by
	                      * cli_opt_store() needs none) */
	const char *arg;     /* the value's placeholder ("N", "FILE",
	                      * "table|json": alternatives are the values the
	                      * completions offer); NULL: takes no value */
	const char *help;    /* one line for `flatcost help CMD` */
	unsigned flags;      /* CLI_OF_* */
	unsigned forms;      /* the synopsis forms it is shown in, bit k for
	                      * the k-th line of the command's head; 0: the
	                      * first */
	const struct cli_opt *group;  /* a group's entry: the group */
	unsigned mask;                /* a group's entry: which of it */
	/* the value's target, for cli_opt_store() (bench's table) */
	enum cli_store store;
	size_t off;          /* the field's offset in the command's struct */
	double lo, hi;       /* CLI_S_LONG, CLI_S_DOUBLE: the range; CLI_S_SET:
	                      * the value */
	int (*fn)(void *ctx, const char *arg);  /* CLI_S_FN's parser, or a hook
	                      * run after a number is stored; 0 or an exit
	                      * status */
};

/* An entry: long name, code, placeholder, help (and flags). */
#define CLI_OPT(n, c, a, h) { .name = (n), .code = (c), .arg = (a), .help = (h) }
#define CLI_OPTF(n, c, a, h, f) { .name = (n), .code = (c), .arg = (a), .help = (h), .flags = (f) }
/* The same shown in the synopsis forms of mask fm (bit k: form k). */
#define CLI_OPTV(n, c, a, h, f, fm) { .name = (n), .code = (c), .arg = (a), .help = (h), \
	.flags = (f), .forms = (fm) }
/* The group entry of the shared options (cli_mc_options[]) in mask. */
#define CLI_MC(m) { .group = cli_mc_options, .mask = (m) }
#define CLI_OPTS_END { .name = NULL }

/* The shared options, by bit of CLI_MC() (in cli_mc_options[]'s order). */
enum {
	CLI_MC_TRIALS = 1 << 0,
	CLI_MC_SEED = 1 << 1,
	CLI_MC_THREADS = 1 << 2,
	CLI_MC_DETERMINISTIC = 1 << 3,
	CLI_MC_SET = 1 << 4,
	CLI_MC_NO_USER_DATA = 1 << 5,
	CLI_MC_STRICT_DATA = 1 << 6,
	CLI_MC_ALLOW_FREE_HW = 1 << 7,
	CLI_MC_RUN = CLI_MC_TRIALS | CLI_MC_SEED | CLI_MC_THREADS,
	CLI_MC_DATA = CLI_MC_NO_USER_DATA | CLI_MC_STRICT_DATA,
};
extern const struct cli_opt cli_mc_options[];

/* Every command's table, beside its command (cmd/cmd_<name>.c). */
extern const struct cli_opt cli_bench_opts[], cli_calibrate_opts[],
    cli_check_opts[], cli_compare_opts[], cli_data_opts[], cli_diff_opts[],
    cli_help_opts[], cli_merge_opts[], cli_report_opts[],
    cli_sensitivity_opts[], cli_simulate_opts[], cli_sweep_opts[],
    cli_synth_model_opts[], cli_tokens_opts[], cli_validate_opts[];

/*
 * Walks a table's options (groups expanded, in synopsis order; --help, which
 * every command takes, last): *it starts at 0; returns the next option, or
 * NULL after the last.
 */
struct cli_opt_iter {
	const struct cli_opt *t;   /* the table */
	size_t i, j;               /* the entry, and in a group the member */
	int done_help;
};
void cli_opt_iter_init(struct cli_opt_iter *it, const struct cli_opt *table);
const struct cli_opt *cli_opt_next(struct cli_opt_iter *it);

/* The -h/--help entry every table has implicitly. */
extern const struct cli_opt cli_help_opt;

/*
 * The parser over a table: getopt_long with the table's long options and
 * its short ones (":ho:" when it has -o), resetting optind.  Returns the
 * entry's code, ':' or '?' as getopt_long does (cli_bad_option() names
 * it), or -1 at the end; optarg holds the value.
 */
#define CLI_MAX_OPTS 64
struct cli_mc_args;
struct cli_getopt {
	int argc;
	char **argv;
	const char *cmd;               /* cli_getopt_mc(): the command */
	struct cli_mc_args *mc;        /* cli_getopt_mc(): the shared options' */
	int status;                    /* after CLI_GETOPT_FAILED: the exit status */
	char shorts[16];
	struct option longopts[CLI_MAX_OPTS + 1];
	const struct cli_opt *entries[CLI_MAX_OPTS + 1];
	const struct cli_opt *entry;   /* the option cli_getopt() returned,
	                                * NULL after ':', '?' or the end */
};
void cli_getopt_init(struct cli_getopt *g, const struct cli_opt *table, int argc,
    char **argv);
int cli_getopt(struct cli_getopt *g);
/*
 * After cli_getopt_init(): cli_getopt() handles the shared options itself,
 * into mc (cli_mc_opt()), and the options it rejects (cli_bad_option(),
 * naming cmd); it returns only the command's own codes, -1 at the end, or
 * CLI_GETOPT_FAILED after printing the usage error, g->status holding the
 * exit status.
 */
#define CLI_GETOPT_FAILED (-2)
void cli_getopt_mc(struct cli_getopt *g, const char *cmd, struct cli_mc_args *mc);
/* Stores arg as entry o says (o->store, o->off into ctx, o->lo, o->hi,
 * o->fn); a number out of range is a usage error of cmd naming the
 * option.  Returns 0 or an exit status. */
int cli_opt_store(const char *cmd, const struct cli_opt *o, void *ctx, const char *arg);

/* The synopsis of a command: "flatcost CMD HEAD [--opt ARG]..." per form,
 * wrapped; returns a static buffer. */
struct cli_command;
const char *cli_synopsis(const struct cli_command *c);
/* The options of `flatcost help CMD`, one a line with its help, to f. */
void cli_opts_print_help(FILE *f, const struct cli_command *c);
/* `help --completions`: the generated part of the completion scripts,
 * shell functions that bash and zsh both read (every command's options,
 * and the values an option takes); returns EXIT_OK. */
int cli_opts_print_completions(FILE *f);

#endif
