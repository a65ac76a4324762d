/*
 * cli.h: what the front end's files share: the subcommands, exit statuses,
 * atomic output files, diagnostics printing and checked argument parsing.
 * Only cmd/ prints; model/ returns statuses and diagnostics.
 */
#ifndef FC_CLI_H
#define FC_CLI_H

#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "fc.h"
#include "opts.h"

/* Exit statuses, documented once in flatcost(1), EXIT STATUS.  3 is also a
 * SIGTERM. */
enum {
	EXIT_OK = 0,       /* success */
	EXIT_BUDGET = 1,   /* a budget was exceeded (check), a figure rose (diff) */
	EXIT_USAGE = 2,    /* usage error, invalid or missing input; nothing written */
	EXIT_RUNTIME = 3,  /* I/O, gnuplot missing, server unreachable, memory */
	EXIT_DATA = 4,     /* data refused by --strict-data (stale price,
	                    * shut-down model); nothing written */
	EXIT_SIGINT = 130, /* interrupted */
};

/*
 * The one mapping from a library status to an exit status and the shape of
 * its message (cmd/status.c holds the table):
 *
 *   FC_OK      0  nothing
 *   FC_EINVAL  2  the diagnostics, "FILE:LINE:COL: error: WHAT" (a file that
 *                 does not exist is one: "FILE: error: cannot open: REASON")
 *   FC_EIO     3  the diagnostics or "flatcost: cannot read|write PATH: REASON"
 *   FC_ENOMEM  3  "flatcost: out of memory"
 *   FC_EDOM    3  "flatcost: FILE: cannot simulate: REASON" (a command that
 *                 knows the input at fault says so itself and exits 2)
 *   FC_ERANGE  3  as FC_EDOM
 *
 * cli_exit_status() returns the exit status and prints nothing.
 * cli_failed() prints "out of memory" for FC_ENOMEM (the statuses whose
 * message comes with diagnostics are printed by the caller with
 * cli_print_diags()) and returns the exit status.
 */
int cli_exit_status(enum fc_status st);
int cli_failed(enum fc_status st);

/* One function per subcommand, cmd/cmd_<name>.c; argv[0] is the command. */
int cmd_bench(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_data(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_synth_model(int argc, char **argv);
int cmd_tokens(int argc, char **argv);
int cmd_validate(int argc, char **argv);

/* The dispatch table (cmd/flatcost.c), sorted by name. */
struct cli_command {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;   /* one line, for `flatcost help` */
	const char *usage;     /* the synopsis's head, what follows "flatcost
	                        * CMD" before the options: the arguments, and
	                        * one line per form when the command has several
	                        * (cli_synopsis() adds the table's options) */
	const struct cli_opt *opts;   /* the option table (cmd/opts.h) */
};
extern const struct cli_command cli_commands[];
const struct cli_command *cli_find(const char *name);

/* Prints "flatcost: <msg>" to stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints a usage error and the command's synopsis; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An out-of-memory message; returns EXIT_RUNTIME. */
int cli_oom(void);

/* Prints every diagnostic as `file:line:col: error: msg` with the source
 * line and a caret underline, then "flatcost: N errors in FILE" when there
 * were errors.  Returns the number of errors. */
size_t cli_print_diags(const struct fc_diags *d);
/* Registers an in-memory source (e.g. the `--set` arguments, one per line)
 * so that diagnostics pointing into it can show the line.  text is copied;
 * returns -1 when out of memory. */
int cli_add_source(const char *name, const char *text);

/*
 * Atomic output: out_open() opens a temporary file beside path (or stdout
 * when path is NULL or "-"); out_commit() flushes, checks for write errors
 * and renames it into place; out_abort() removes it.  An existing file is
 * left as it was unless the commit succeeds.  A symbolic link is followed
 * (the file it names is replaced, the link stays); a device or a pipe is
 * written in place; a directory is an error.  Both return EXIT_OK or
 * EXIT_RUNTIME after printing the cause.  A replaced file keeps its mode,
 * and one with other hard links keeps them (its bytes are rewritten at
 * the commit, from the complete temporary file); a dangling or looping
 * symbolic link is an error.  out_open() also refuses (EXIT_USAGE) a
 * path that is an input of the command or an output already opened: see
 * cli_io_output().
 */
struct cli_out {
	FILE *f;
	char *path;   /* the path as given, NULL for stdout */
	char *dest;   /* where the file is renamed to: path, or the file a
	               * symbolic link path names; NULL when written in place */
	char *tmp;    /* temporary path beside dest; NULL when written in place
	               * (a device or a pipe) */
	int copy_back; /* dest has other hard links: at the commit the complete
	               * temporary file is copied into it (the links stay) */
};
int out_open(struct cli_out *o, const char *path);
/* No output may replace an input or another output.
 * Before any work a command names what it reads, cli_io_input(), and
 * every file it will write, cli_io_output(), which prints "cannot write
 * PATH: it is the input ..." or "... also the output ..." and returns
 * EXIT_USAGE when PATH is the same file as one named before (same device
 * and inode through symbolic and hard links, or the same path when it
 * does not exist yet).  NULL and "-" (stdout), devices and pipes are
 * never refused.  Both return EXIT_OK, EXIT_USAGE or, out of memory,
 * EXIT_RUNTIME. */
int cli_io_input(const char *path);
int cli_io_output(const char *path);
/* cli_io_output() for out_open() (opening 1): the output is marked opened. */
int cli_io_opening(const char *path, int opening);
/* cli_io_input() on each of in, then cli_io_output() on each of out;
 * NULL entries (an option not given) are skipped. */
int cli_io_claim(const char *const *in, size_t nin, const char *const *out,
    size_t nout);
/* The output at path, written before, is written again (a sweep part
 * saved at each checkpoint): the next out_open() of it is not refused.
 * EXIT_OK, or EXIT_RUNTIME out of memory. */
int cli_io_rewrite(const char *path);
/* Forgets every file named so far (a process that runs several commands,
 * as the fuzz targets do). */
void cli_io_reset(void);
int out_commit(struct cli_out *o);
void out_abort(struct cli_out *o);
/* When writing the report failed: prints why ("cannot write PATH: No
 * space left on device"), aborts and returns EXIT_RUNTIME. */
int out_fail(struct cli_out *o);
/* Temporary files still open are removed at exit and on SIGINT/SIGTERM. */
void out_install_signal_cleanup(void);
/* Set when SIGINT or SIGTERM arrived: long loops poll it and stop. */
extern volatile int cli_interrupted;
/* A child process writing one of our temporary files (gnuplot), 0 when
 * none: SIGINT and SIGTERM kill and reap it before the files are removed.
 * Set it with those signals blocked around fork(). */
extern volatile pid_t cli_child;

/* Checked number arguments: print a usage error naming opt and return
 * EXIT_USAGE when s is not a number in [lo, hi]; else store and return 0. */
int arg_double(const char *cmd, const char *opt, const char *s, double lo,
    double hi, double *out);
int arg_long(const char *cmd, const char *opt, const char *s, long lo,
    long hi, long *out);

/* The usage error for what getopt_long() returned as ch ('?' or ':', the
 * option string starting with ':'); returns EXIT_USAGE. */
int cli_bad_option(const char *cmd, int ch, char *const *argv);

/* `flatcost help CMD`, for CMD --help; returns EXIT_OK. */
int cli_help(const char *cmd);

/*
 * Long-only options have codes above any character, so that the short
 * option strings stay "ho:" (or "h"): -o and -h are the only short options
 * flatcost(1) documents.  The Monte Carlo options shared by simulate,
 * sweep, check and diff come first; a command numbers its own long-only
 * options from CLI_OPT_OWN.  The shared ones are declared once, in
 * cli_mc_options[] (cmd/mcopts.c), and a command's table (cmd/opts.h)
 * takes those it accepts with CLI_MC(mask).
 */
enum {
	CLI_OPT_DETERMINISTIC = 256,  /* --deterministic */
	CLI_OPT_SEED,                 /* --seed N */
	CLI_OPT_SET,                  /* --set KEY=VALUE */
	CLI_OPT_THREADS,              /* --threads N */
	CLI_OPT_TRIALS,               /* --trials N */
	CLI_OPT_NO_USER_DATA,         /* --no-user-data */
	CLI_OPT_STRICT_DATA,          /* --strict-data */
	CLI_OPT_ALLOW_FREE_HW,        /* --allow-free-hardware */
	CLI_OPT_OWN,                  /* the first code left to a command */
};

#define CLI_MAX_SETS 64
#define CLI_NOT_MINE (-1)     /* cli_mc_opt(): not a shared option */

/* The shared Monte Carlo options as given on the command line. */
struct cli_mc_args {
	const char *sets[CLI_MAX_SETS + 1];  /* --set KEY=VALUE, borrowed from argv;
	                                      * one spare slot (sweep's --vary point) */
	size_t nsets;
	long trials;         /* -1: the scenario's */
	long seed;           /* -1: the scenario's */
	long threads;        /* 0: one per online CPU */
	int deterministic;
};

struct fc_catalog;
struct fc_mc_opts;
struct fc_scenario;
void cli_mc_init(struct cli_mc_args *a);
/* Handles getopt_long's result ch (and its optarg) when it is one of the
 * shared options: returns EXIT_OK, or EXIT_USAGE after printing the usage
 * error for cmd; CLI_NOT_MINE when ch is not a shared option. */
int cli_mc_opt(const char *cmd, struct cli_mc_args *a, int ch, const char *arg);
/* Fills every field of o: trials and seed from the scenario s unless
 * given, one thread per CPU unless given, s's month (1 when it has none),
 * users NaN (the scenario's), cancelled by SIGINT; no progress callback. */
void cli_mc_fill(const struct cli_mc_args *a, const struct fc_scenario *s,
    struct fc_mc_opts *o);
/* After fc_mc_run() on the scenario path failed with st: says why
 * (interrupted, out of memory, or st) and returns EXIT_SIGINT or
 * EXIT_RUNTIME. */
int cli_mc_failed(const char *path, enum fc_status st);
/* Refuses (exit 2, saying how much memory it would take) a Monte Carlo
 * of o->trials when `runs` results held at once plus extra_bytes exceed
 * FC_MC_MAX_BYTES; EXIT_OK otherwise and when deterministic. */
int cli_mc_check_memory(const char *cmd, const struct fc_mc_opts *o, double runs,
    double extra_bytes);

/* Warns on stderr when clipped_share of the trials drew api.route shares
 * summing over 1 (figure api_routed.shares_clipped, mean); nothing when
 * s has no route or no trial was clipped. */
void cli_route_warning(const struct fc_scenario *s, double clipped_share);

/* Loads a scenario with KEY=VALUE overrides against the catalog *cat,
 * first loading the bundled catalog into *cat when it is NULL (a sweep
 * loads it once for all its points); prints diagnostics.  Returns
 * EXIT_OK, EXIT_USAGE or EXIT_RUNTIME. */
int load_scenario(const char *path, const char *const *sets, size_t nsets,
    struct fc_catalog **cat, struct fc_scenario **s);
/* The same for a scenario held in memory: len bytes of text (NUL-terminated
 * for quoting in diagnostics), named name (relative paths in it are from
 * name's folder). */
int load_scenario_text(const char *name, const char *text, size_t len, const char *const *sets,
    size_t nsets, struct fc_catalog **cat, struct fc_scenario **s);
/* The same, the last of sets being sweep's --vary KEY=VALUE point: its
 * diagnostics point into "--vary", not "--set". */
int load_scenario_vary(const char *path, const char *const *sets, size_t nsets,
    struct fc_catalog **cat, struct fc_scenario **s);
/* The same, the last nvary of sets being a grid's --vary points, one per
 * varied axis: their diagnostics point into "--vary", line i the i-th;
 * from text (len bytes named path) when text is not NULL. */
int load_scenario_varyn(const char *path, const char *text, size_t len, const char *const *sets,
    size_t nsets, size_t nvary, struct fc_catalog **cat, struct fc_scenario **s);

/* Where bundled data lives: $FLATCOST_DATA, else data/ beside the binary,
 * else the installed share/flatcost/data. */
const char *cli_data_dir(void);
/* Number of online CPUs (>= 1). */
int cli_ncpus(void);
/* Nonzero when stderr is a terminal (progress is shown only then). */
int cli_progress_enabled(void);
/* Seconds since t0, taken with clock_gettime(CLOCK_MONOTONIC). */
double cli_elapsed(const struct timespec *t0);
/* Starts a progress line on stderr over the previous one: "  [###...]",
 * fill of the CLI_BAR_WIDTH marks filled; the caller adds what follows. */
#define CLI_BAR_WIDTH 40
void cli_progress_bar(int fill);
/* A progress bar over one run's trials (simulate, sensitivity), shown
 * when stderr is a terminal and the run takes over a second: sets o's
 * progress callback to one that updates *p, which must outlive the run. */
struct cli_trials_progress {
	struct timespec start;
	int shown;
};
void cli_trials_progress_init(struct cli_trials_progress *p, struct fc_mc_opts *o);

/*
 * Data (cmd/datawarn.c).  --no-user-data and --strict-data set these
 * flags, which every command that loads data reads.
 */
struct cli_data_flags {
	int no_user_data;   /* ignore the user data directory */
	int strict;         /* data warnings exit EXIT_DATA */
	int free_hw;        /* hardware priced 0 (a profile, an inline entry):
	                       0 not checked, 1 refused (simulate, sweep,
	                       compare, check), 2 --allow-free-hardware */
	int hw_placeholder; /* flat.hardware is a placeholder the user did not
	                       choose (calibrate without --hardware): its
	                       price's date is neither said nor refused */
};
extern struct cli_data_flags cli_data_flags;
/* What --strict-data's error names instead of the scenario's file (a
 * scenario written to a temporary file: calibrate's fit); NULL: the file. */
extern const char *cli_data_name;
struct fc_diags;
/* Today, days since 1970-01-01 (UTC): SOURCE_DATE_EPOCH when set. */
long cli_today(void);
/* $FLATCOST_USER_DATA, else $XDG_DATA_HOME/flatcost, else
 * ~/.local/share/flatcost; NULL when none can be named. */
const char *cli_user_data_dir(void);
/* The bundled data with the user data directory over it (unless
 * --no-user-data or it does not exist). */
enum fc_status cli_catalog_load(struct fc_catalog **cat, struct fc_diags *d);
/* Records the entries s uses and warns (once each) about stale or
 * retiring ones; returns EXIT_DATA when there are any under
 * --strict-data (after saying so, with each entry refused, its date and
 * the command that refreshes it), else EXIT_OK. */
int cli_data_check(const struct fc_scenario *s);
/* The same for a run of `months` months from today: a model the run
 * prices past its shutdown (fc_stale_horizon), warned on stderr and
 * listed in warnings[] (kind shutdown_in_horizon); EXIT_DATA under
 * --strict-data, else EXIT_OK. */
int cli_data_check_horizon(const struct fc_scenario *s, long months);
/* The same for hardware entries a command uses beyond the scenario's own
 * (compare --hardware), listed under role; EXIT_DATA under --strict-data
 * when any is stale. */
struct fc_hw;
int cli_data_check_hw(const struct fc_hw *const *hw, size_t nhw, const char *role);
size_t cli_data_nwarnings(void);
/* Adds "data" (where the bundled and user data are, and each entry used
 * with its origin) and "warnings" (the findings so far) to a JSON output. */
typedef struct json_t json_t;
void cli_json_data(json_t *o);

#endif
