/*
 * util.c: the front end's shared plumbing (see cli.h): messages,
 * diagnostics with source lines, atomic output files, checked numbers.
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

volatile int cli_interrupted;
volatile pid_t cli_child;

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
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	const struct cli_command *c = cli_find(cmd);
	va_list ap;

	fprintf(stderr, "flatcost %s: ", cmd);
	va_start(ap, fmt);
	say("", fmt, ap);
	va_end(ap);
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

int
cli_oom(void)
{
	cli_err("out of memory");
	return EXIT_RUNTIME;
}

/* In-memory sources (the --set arguments). */
static struct { char *name; char *text; } sources[8];
static size_t nsources;

int
cli_add_source(const char *name, const char *text)
{
	size_t i;
	char *t;

	for (i = 0; i < nsources; i++)
		if (strcmp(sources[i].name, name) == 0) {
			if ((t = fc_strdup(text)) == NULL)
				return -1;
			fc_free(sources[i].text);
			sources[i].text = t;
			return 0;
		}
	if (nsources == sizeof(sources) / sizeof(sources[0]))
		return 0;   /* only the quoting of its lines is lost */
	sources[nsources].name = fc_strdup(name);
	sources[nsources].text = fc_strdup(text);
	if (sources[nsources].name == NULL || sources[nsources].text == NULL) {
		fc_free(sources[nsources].name);
		fc_free(sources[nsources].text);
		return -1;
	}
	nsources++;
	return 0;
}

/* Line `line` of the source, without its newline, into buf. */
static int
source_line(const char *file, int line, char *buf, size_t len)
{
	size_t i;
	FILE *f;
	int n = 1, c;
	size_t k = 0;

	for (i = 0; i < nsources; i++)
		if (strcmp(sources[i].name, file) == 0) {
			const char *p = sources[i].text;
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
print_caret(const struct fc_loc *l)
{
	char line[512], shown[512];
	size_t i, k = 0;
	int col, len;

	if (l->line <= 0 || source_line(l->file, l->line, line, sizeof(line)) != 0)
		return;
	/* control bytes would garble the terminal: show them as '?' */
	for (i = 0; line[i]; i++) {
		unsigned char ch = (unsigned char)line[i];
		shown[k++] = (ch < 32 && ch != '\t') || ch == 127 ? '?' : (char)ch;
	}
	shown[k] = '\0';
	fprintf(stderr, "%5d | %s\n      | ", l->line, shown);
	col = l->col > 0 ? l->col : 1;
	for (i = 1; i < (size_t)col && i <= k; i++)
		fputc(shown[i - 1] == '\t' ? '\t' : ' ', stderr);
	fputc('^', stderr);
	len = l->len;
	if (len > 1 && (size_t)(col + len - 1) > k + 1)
		len = (int)(k + 1 - (size_t)col) + 1;
	for (i = 1; len > 1 && i < (size_t)len; i++)
		fputc('~', stderr);
	fputc('\n', stderr);
}

size_t
cli_print_diags(const struct fc_diags *d)
{
	static const char *const sev[] = { "error", "warning", "note" };
	const char *last_file = NULL;
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct fc_diag *g = &d->v[i];
		if (g->loc.file && g->loc.line > 0)
			fprintf(stderr, "%s:%d:%d: %s: %s\n", g->loc.file, g->loc.line,
			    g->loc.col, sev[g->sev], g->msg);
		else if (g->loc.file)
			fprintf(stderr, "%s: %s: %s\n", g->loc.file, sev[g->sev], g->msg);
		else
			fprintf(stderr, "flatcost: %s: %s\n", sev[g->sev], g->msg);
		if (g->loc.file)
			print_caret(&g->loc);
		if (g->sev == FC_SEV_ERROR && g->loc.file)
			last_file = g->loc.file;
	}
	if (d->n_dropped)
		fprintf(stderr, "flatcost: %zu more errors not shown\n", d->n_dropped);
	if (d->oom)
		fprintf(stderr, "flatcost: out of memory\n");
	if (d->n_errors)
		fprintf(stderr, "flatcost: %zu error%s%s%s\n", d->n_errors,
		    d->n_errors == 1 ? "" : "s", last_file ? " in " : "",
		    last_file ? last_file : "");
	return d->n_errors;
}

/* Temporary files to remove if we are killed. */
static char *volatile pending[8];

static void
on_signal(int sig)
{
	size_t i;

	cli_interrupted = sig;
	/* a child (gnuplot) writing one of the temporary files dies first,
	 * so that it cannot write the file again after it is removed */
	if (cli_child > 0) {
		int st;
		kill(cli_child, SIGKILL);
		while (waitpid(cli_child, &st, 0) < 0 && errno == EINTR)
			;
	}
	for (i = 0; i < sizeof(pending) / sizeof(pending[0]); i++)
		if (pending[i])
			unlink(pending[i]);
	/* say why (write(2) is async-signal-safe, stdio is not) */
	if (sig == SIGINT) {
		static const char m[] = "flatcost: interrupted\n";
		ssize_t w = write(STDERR_FILENO, m, sizeof(m) - 1);
		(void)w;
	} else {
		static const char m[] = "flatcost: terminated (SIGTERM); "
		    "nothing written\n";
		ssize_t w = write(STDERR_FILENO, m, sizeof(m) - 1);
		(void)w;
		/* a runtime failure, as any other stop before the output is
		 * complete (a CI job's time-out sends SIGTERM) */
		_exit(EXIT_RUNTIME);
	}
	/* no half-written file is left: die of SIGINT, so the shell sees 130
	 * and a loop around us stops too */
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
remove_pending(void)
{
	size_t i;

	for (i = 0; i < sizeof(pending) / sizeof(pending[0]); i++)
		if (pending[i])
			unlink(pending[i]);
}

void
out_install_signal_cleanup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	atexit(remove_pending);
}

static void
track(char *tmp, int add)
{
	size_t i;

	for (i = 0; i < sizeof(pending) / sizeof(pending[0]); i++) {
		if (add && pending[i] == NULL) {
			pending[i] = tmp;
			return;
		}
		if (!add && pending[i] == tmp)
			pending[i] = NULL;
	}
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
static int
io_output(const char *path, int opening)
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
	return io_output(path, 0);
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

/* Frees what out_open() allocated and clears o. */
static void
out_clear(struct cli_out *o)
{
	fc_free(o->path);
	fc_free(o->dest);
	fc_free(o->tmp);
	memset(o, 0, sizeof(*o));
}

int
out_open(struct cli_out *o, const char *path)
{
	struct stat sb;
	char *real = NULL;
	size_t len;
	int fd, rc, exists = 0;
	mode_t mode = 0;

	memset(o, 0, sizeof(*o));
	if (path == NULL || strcmp(path, "-") == 0) {
		o->f = stdout;
		return EXIT_OK;
	}
	if ((rc = io_output(path, 1)) != EXIT_OK)
		return rc;
	/* a dangling or looping symbolic link: where the user meant the
	 * report to go is unclear, and replacing the link would lose it */
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) && stat(path, &sb) != 0) {
		int e = errno;
		char to[PATH_MAX];
		ssize_t n = readlink(path, to, sizeof(to) - 1);

		to[n > 0 ? n : 0] = '\0';
		if (e == ENOENT)
			cli_err("cannot write %s: it is a symbolic link to %s, which does not exist",
			    path, to);
		else
			cli_err("cannot write %s: %s", path, strerror(e));
		return EXIT_RUNTIME;
	}
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			cli_err("cannot write %s: %s", path, strerror(EISDIR));
			return EXIT_RUNTIME;
		}
		/* a device or a pipe (/dev/null, a FIFO, /dev/stdout on a pipe)
		 * is written in place: renaming a file over it would replace it */
		if (!S_ISREG(sb.st_mode)) {
			if ((o->path = fc_strdup(path)) == NULL)
				return cli_oom();
			o->f = fopen(path, "w");
			if (o->f == NULL) {
				cli_err("cannot write %s: %s", path, strerror(errno));
				out_clear(o);
				return EXIT_RUNTIME;
			}
			return EXIT_OK;
		}
		/* the replacement keeps the file's mode; one
		 * with other hard links is rewritten in place at the commit, so
		 * that every name still shows the same file */
		exists = 1;
		mode = sb.st_mode & 07777;
		o->copy_back = sb.st_nlink > 1;
		/* a symbolic link to a file: the file it names is replaced and
		 * the link stays (/dev/stdout, a link, is never renamed over) */
		if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode))
			real = realpath(path, NULL);
	}
	o->path = fc_strdup(path);
	o->dest = fc_strdup(real ? real : path);
	free(real);
	if (o->path == NULL || o->dest == NULL) {
		out_clear(o);
		return cli_oom();
	}
	len = strlen(o->dest);
	o->tmp = fc_malloc(len + 16);
	if (o->tmp == NULL) {
		out_clear(o);
		return cli_oom();
	}
	snprintf(o->tmp, len + 16, "%s.tmpXXXXXX", o->dest);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		cli_err("cannot write %s: %s", path, strerror(errno));
		out_clear(o);
		return EXIT_RUNTIME;
	}
	track(o->tmp, 1);
	/* mkstemp makes 0600 files; a new output file is the user's ordinary
	 * file, a replaced one keeps its mode */
	if (!exists) {
		mode_t um = umask(0);
		umask(um);
		mode = 0666 & ~um;
	}
	(void)fchmod(fd, mode);
	o->f = fdopen(fd, "w");
	if (o->f == NULL) {
		int e = errno;
		close(fd);
		unlink(o->tmp);
		track(o->tmp, 0);
		cli_err("cannot write %s: %s", path, strerror(e));
		out_clear(o);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

void
out_abort(struct cli_out *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	if (o->tmp) {
		unlink(o->tmp);
		track(o->tmp, 0);
	}
	out_clear(o);
}

int
out_fail(struct cli_out *o)
{
	int e = errno;
	const char *to = o->path ? "" : "to ", *what = o->path ? o->path : "standard output";

	if (o->f && ferror(o->f))
		cli_err("cannot write %s%s: %s", to, what, strerror(e ? e : EIO));
	else
		cli_err("cannot write the report to %s", what);
	out_abort(o);
	return EXIT_RUNTIME;
}

/* Copies the complete temporary file src over dest's bytes, in place
 * (dest has other hard links); -1 with errno set on failure. */
static int
copy_into(const char *src, const char *dest)
{
	char buf[65536];
	int in, out, e = 0;
	ssize_t n, w, at;

	if ((in = open(src, O_RDONLY)) < 0)
		return -1;
	if ((out = open(dest, O_WRONLY | O_TRUNC)) < 0) {
		e = errno;
		close(in);
		errno = e;
		return -1;
	}
	while (e == 0 && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno != EINTR)
				e = errno;
			continue;
		}
		for (at = 0; e == 0 && at < n; at += w > 0 ? w : 0)
			if ((w = write(out, buf + at, (size_t)(n - at))) < 0 && errno != EINTR)
				e = errno;
	}
	if (e == 0 && fsync(out) != 0 && errno != EINVAL)
		e = errno;
	if (close(out) != 0 && e == 0)
		e = errno;
	close(in);
	errno = e;
	return e ? -1 : 0;
}

int
out_commit(struct cli_out *o)
{
	int err;

	if (o->f == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			cli_err("cannot write to standard output: %s", strerror(errno));
			return EXIT_RUNTIME;
		}
		memset(o, 0, sizeof(*o));
		return EXIT_OK;
	}
	if (cli_interrupted) {
		out_abort(o);
		return EXIT_RUNTIME;
	}
	if (o->tmp == NULL) {   /* a device or a pipe, written in place */
		errno = 0;
		err = fflush(o->f) != 0 || ferror(o->f);
		if (fclose(o->f) != 0)
			err = 1;
		o->f = NULL;
		if (err)
			cli_err("cannot write %s: %s", o->path, strerror(errno ? errno : EIO));
		out_clear(o);
		return err ? EXIT_RUNTIME : EXIT_OK;
	}
	err = fflush(o->f) != 0 || ferror(o->f);
	if (!err)
		err = fsync(fileno(o->f)) != 0 && errno != EINVAL;
	if (fclose(o->f) != 0)
		err = 1;
	o->f = NULL;
	if (!err && o->copy_back)
		err = copy_into(o->tmp, o->dest) != 0;
	if (err || (!o->copy_back && rename(o->tmp, o->dest) != 0)) {
		cli_err("cannot write %s: %s", o->path, strerror(errno ? errno : EIO));
		out_abort(o);
		return EXIT_RUNTIME;
	}
	if (o->copy_back)
		unlink(o->tmp);
	track(o->tmp, 0);
	out_clear(o);
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
