/*
 * outfile.c: atomic output files (see cli.h, struct cli_out): a temporary
 * file beside the destination, renamed into place when complete, removed
 * if the run fails or is killed.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

volatile int cli_interrupted;
volatile pid_t cli_child;

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
	if ((rc = cli_io_opening(path, 1)) != EXIT_OK)
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

