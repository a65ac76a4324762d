/*
 * util.c: the front end's shared plumbing (see cli.h): which files a run
 * reads and writes (no output replaces an input), checked numbers, the
 * data directory, progress.  Messages and diagnostics are in messages.c,
 * atomic output files in outfile.c.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mc.h"
#include "ynode.h"

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	const struct cli_command *c = cli_find(cmd);
	va_list ap;

	fprintf(stderr, "flatcost %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (c)
		fprintf(stderr, "usage: %s\n", cli_synopsis(c));
	return EXIT_USAGE;
}

/*
 * What getopt_long() rejected (the option strings start with ':', so it
 * prints nothing itself), named as it was typed: an option without its
 * value (ch ':'; the option is the last argument consumed), a long option
 * given a value it does not take, an unknown short option (optopt; it
 * may sit inside a bundle such as -n5) or an unknown long one (optopt 0).
 */
int
cli_bad_option(const char *cmd, int ch, char *const *argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	int n = (int)strcspn(arg, "=");
	int is_long = arg[0] == '-' && arg[1] == '-';

	if (ch == ':')
		return cli_usage_error(cmd, "option '%.*s' needs a value", n, arg);
	if (optopt != 0 && is_long && arg[n] == '=')
		return cli_usage_error(cmd, "option '%.*s' takes no value", n, arg);
	if (optopt > 0 && optopt < 256)
		return cli_usage_error(cmd, "unknown option '-%c'", optopt);
	return cli_usage_error(cmd, "unknown option '%.*s'", n, arg);
}

/*
 * The files this run reads and writes, so that no output replaces an
 * input or another output.  Two paths are the same file
 * when both exist with the same device and inode (through symbolic and
 * hard links), or when their canonical paths are equal (an output not
 * created yet).  Devices and pipes are not files to protect: /dev/null
 * may take every output.  Kept for the life of the process, as the
 * --set sources are (one command runs per process).
 */
enum io_kind {
	IO_INPUT,     /* read by this command */
	IO_CLAIMED,   /* an output named on the command line, not yet opened */
	IO_OPENED,    /* an output out_open() has opened */
};
struct io_file {
	char *given;        /* the path as given, for messages */
	char *canon;        /* realpath of its folder, then its name */
	dev_t dev;          /* device and inode when it exists */
	ino_t ino;
	int exists;
	enum io_kind kind;
};
static struct io_file *io_files;
static size_t io_n, io_cap;

/* Fills f for path: 0, 1 when path is not a regular file (a device, a
 * pipe: never protected), -1 when out of memory. */
static int
io_identity(const char *path, struct io_file *f)
{
	struct stat sb;
	const char *slash = strrchr(path, '/');
	char *dir, *rp;
	size_t n;

	memset(f, 0, sizeof(*f));
	if (stat(path, &sb) == 0) {
		if (!S_ISREG(sb.st_mode))
			return 1;
		f->exists = 1;
		f->dev = sb.st_dev;
		f->ino = sb.st_ino;
	}
	if ((f->given = fc_strdup(path)) == NULL)
		return -1;
	if (f->exists && (rp = realpath(path, NULL)) != NULL) {
		f->canon = fc_strdup(rp);
		free(rp);
		return f->canon ? 0 : -1;
	}
	/* not there yet (or a dangling link): its folder's real path */
	n = slash ? (size_t)(slash - path) + 1 : 0;
	if ((dir = fc_malloc(n + 2)) == NULL)
		return -1;
	if (n)
		memcpy(dir, path, n);
	else
		dir[n++] = '.';
	dir[n] = '\0';
	rp = realpath(dir, NULL);
	fc_free(dir);
	if (rp == NULL) {
		f->canon = fc_strdup(path);
	} else {
		n = strlen(rp) + strlen(path) + 2;
		if ((f->canon = fc_malloc(n)) != NULL)
			snprintf(f->canon, n, "%s/%s", rp, slash ? slash + 1 : path);
		free(rp);
	}
	return f->canon ? 0 : -1;
}

static void
io_free(struct io_file *f)
{
	fc_free(f->given);
	fc_free(f->canon);
}

static struct io_file *
io_match(const struct io_file *f)
{
	size_t i;

	for (i = 0; i < io_n; i++)
		if ((f->exists && io_files[i].exists && f->dev == io_files[i].dev &&
		    f->ino == io_files[i].ino) || strcmp(f->canon, io_files[i].canon) == 0)
			return &io_files[i];
	return NULL;
}

static int
io_add(struct io_file *f, enum io_kind kind)
{
	if (io_n == io_cap) {
		size_t cap = io_cap ? io_cap * 2 : 8;
		struct io_file *v = fc_realloc(io_files, cap * sizeof(*v));
		if (v == NULL) {
			io_free(f);
			return cli_oom();
		}
		io_files = v;
		io_cap = cap;
	}
	f->kind = kind;
	io_files[io_n++] = *f;
	return EXIT_OK;
}

int
cli_io_input(const char *path)
{
	struct io_file f;
	int r = io_identity(path, &f);

	if (r != 0) {
		io_free(&f);
		return r < 0 ? cli_oom() : EXIT_OK;
	}
	if (io_match(&f)) {
		io_free(&f);
		return EXIT_OK;   /* read twice (diff s.yaml s.yaml) */
	}
	return io_add(&f, IO_INPUT);
}

/* The output path against what is known; opening: out_open() calls it. */
int
cli_io_opening(const char *path, int opening)
{
	struct io_file f, *m;
	int r;

	if (path == NULL || strcmp(path, "-") == 0)
		return EXIT_OK;
	if ((r = io_identity(path, &f)) != 0) {
		io_free(&f);
		return r < 0 ? cli_oom() : EXIT_OK;
	}
	m = io_match(&f);
	if (m && m->kind == IO_INPUT) {
		cli_err("cannot write %s: it is the input %s; nothing written", path, m->given);
		io_free(&f);
		return EXIT_USAGE;
	}
	if (m && (!opening || m->kind == IO_OPENED)) {
		cli_err("cannot write %s: it is also the output %s; nothing written", path,
		    m->given);
		io_free(&f);
		return EXIT_USAGE;
	}
	if (m) {   /* claimed before the work, now opened */
		m->kind = IO_OPENED;
		io_free(&f);
		return EXIT_OK;
	}
	return io_add(&f, opening ? IO_OPENED : IO_CLAIMED);
}

int
cli_io_output(const char *path)
{
	return cli_io_opening(path, 0);
}

int
cli_io_rewrite(const char *path)
{
	struct io_file f, *m;
	int r;

	if (path == NULL || strcmp(path, "-") == 0)
		return EXIT_OK;
	if ((r = io_identity(path, &f)) != 0) {
		io_free(&f);
		return r < 0 ? cli_oom() : EXIT_OK;
	}
	if ((m = io_match(&f)) != NULL && m->kind == IO_OPENED)
		m->kind = IO_CLAIMED;
	io_free(&f);
	return EXIT_OK;
}

void
cli_io_reset(void)
{
	size_t i;

	for (i = 0; i < io_n; i++)
		io_free(&io_files[i]);
	fc_free(io_files);
	io_files = NULL;
	io_n = io_cap = 0;
}

int
cli_io_claim(const char *const *in, size_t nin, const char *const *out, size_t nout)
{
	size_t i;
	int rc;

	for (i = 0; i < nin; i++)
		if (in[i] && (rc = cli_io_input(in[i])) != EXIT_OK)
			return rc;
	for (i = 0; i < nout; i++)
		if (out[i] && (rc = cli_io_output(out[i])) != EXIT_OK)
			return rc;
	return EXIT_OK;
}

int
arg_double(const char *cmd, const char *opt, const char *s, double lo,
    double hi, double *out)
{
	double v;

	if (fc_ynode_parse_double(s, &v) != 0)
		return cli_usage_error(cmd, "%s: '%s' is not a number", opt, s);
	if (v < lo || v > hi)
		return cli_usage_error(cmd, "%s: %s is out of range (%g to %g)", opt,
		    s, lo, hi);
	*out = v;
	return 0;
}

int
arg_long(const char *cmd, const char *opt, const char *s, long lo, long hi,
    long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno == ERANGE)
		return cli_usage_error(cmd, "%s: '%s' is not a whole number", opt, s);
	if (v < lo || v > hi)
		return cli_usage_error(cmd, "%s: %ld is out of range (%ld to %ld)",
		    opt, v, lo, hi);
	*out = v;
	return 0;
}

/* Where the bundled data is, relative to the directory of the running
 * binary: the build tree (flatcost, or build-asan/flatcost, beside data/),
 * then an installed tree (PREFIX/bin/flatcost and
 * PREFIX/share/flatcost/data), so that `make install PREFIX=...` works
 * whatever prefix the binary was built with. */
static const char *const data_rel[] = { "data", "../data", "../share/flatcost/data" };

const char *
cli_data_dir(void)
{
	static char buf[PATH_MAX + 64];
	const char *env = getenv("FLATCOST_DATA");
	char exe[PATH_MAX], probe[PATH_MAX + 64], *slash;
	ssize_t n;
	size_t i;
	struct stat sb;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			for (i = 0; i < sizeof(data_rel) / sizeof(data_rel[0]); i++) {
				snprintf(probe, sizeof(probe), "%s/%s/prices.yaml", exe, data_rel[i]);
				if (stat(probe, &sb) == 0 && S_ISREG(sb.st_mode)) {
					snprintf(buf, sizeof(buf), "%s/%s", exe, data_rel[i]);
					return buf;
				}
			}
		}
	}
	return FC_DATADIR;
}

int
cli_ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

int
cli_progress_enabled(void)
{
	return isatty(STDERR_FILENO);
}

double
cli_elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

void
cli_progress_bar(int fill)
{
	int i;

	fputs("\r  [", stderr);
	for (i = 0; i < CLI_BAR_WIDTH; i++)
		fputc(i < fill ? '#' : '.', stderr);
	fputc(']', stderr);
}

/* A progress bar on stderr, shown only after the first second. */
static void
trials_progress(void *ctx, long done, long total)
{
	struct cli_trials_progress *p = ctx;
	double e = cli_elapsed(&p->start);
	int w = CLI_BAR_WIDTH;

	if (e < 1 && done < total)
		return;
	if (!p->shown && done >= total)
		return;
	cli_progress_bar(total > 0 ? (int)((double)w * (double)done / (double)total) : w);
	fprintf(stderr, " %ld/%ld trials, %.1fs", done, total, e);
	if (done >= total)
		fputs("\r\033[K", stderr);
	p->shown = 1;
	fflush(stderr);
}

void
cli_trials_progress_init(struct cli_trials_progress *p, struct fc_mc_opts *o)
{
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->shown = 0;
	if (cli_progress_enabled()) {
		o->progress = trials_progress;
		o->progress_ctx = p;
	}
}

