/*
 * plot.c: gnuplot glue (see plot.h): the charts of model/chart.h rendered
 * by running gnuplot on their scripts.
 *
 * When flatcost renders a chart, the script (its data inline) goes to
 * gnuplot on its standard input; gnuplot's own output is kept in a
 * temporary file and shown only when it fails.  With --plot-script the
 * same script, reading a side data file, is kept for people who want to
 * restyle the chart.
 */
#include "plot.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chart.h"
#include "cli.h"
#include "report.h"

/* What to install, for the messages. */
#define INSTALL_HINT "apt-get install gnuplot-nox (Debian/Ubuntu) or brew install gnuplot (macOS)"

int
plot_chart_parse(const char *s)
{
	return fc_chart_kind_parse(s);
}


static const char *
gnuplot_prog(void)
{
	const char *g = getenv("FLATCOST_GNUPLOT");

	return g && *g ? g : "gnuplot";
}

static int
is_program(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

/* Whether name runs: a path, or a program found on $PATH as execvp would. */
static int
have_program(const char *name)
{
	const char *path = getenv("PATH"), *p, *colon;
	char buf[4096];

	if (strchr(name, '/'))
		return is_program(name);
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = colon + 1) {
		size_t len;
		colon = strchr(p, ':');
		len = colon ? (size_t)(colon - p) : strlen(p);
		if (len == 0)
			snprintf(buf, sizeof(buf), "./%s", name);
		else
			snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, p, name);
		if (is_program(buf))
			return 1;
		if (colon == NULL)
			return 0;
	}
}

int
plot_check(const char *cmd, const char *path)
{
	const char *p;

	if (*path == '\0')
		return cli_usage_error(cmd, "--plot: expected a file name");
	for (p = path; *p; p++)
		if ((unsigned char)*p < 32 || *p == 127)
			return cli_usage_error(cmd, "--plot: the file name has control characters");
	if (fc_chart_term_of(path) < 0)
		return cli_usage_error(cmd,
		    "--plot: '%s' should end in .png, .svg or .pdf (the extension picks the format)",
		    path);
	if (!have_program(gnuplot_prog())) {
		cli_err("cannot find %s, which draws the charts: install it with " INSTALL_HINT
		    ", or set FLATCOST_GNUPLOT to its path", gnuplot_prog());
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}


struct plot_style plot_style = { NULL, NULL, PLOT_Y_AUTO, 0 };

int
plot_yscale_parse(const char *cmd, const char *s, enum plot_yscale *out)
{
	if (strcmp(s, "linear") == 0)
		*out = PLOT_Y_LINEAR;
	else if (strcmp(s, "log") == 0)
		*out = PLOT_Y_LOG;
	else
		return cli_usage_error(cmd, "--y-scale: expected linear or log, got '%s'", s);
	return EXIT_OK;
}

/* The command line's style for model/chart.h, money in the report's
 * currency. */
static struct fc_chart_style
style(void)
{
	struct fc_chart_style st;

	st.title = plot_style.title;
	st.subtitle = plot_style.subtitle;
	st.y_scale = (enum fc_chart_yscale)plot_style.y_scale;
	st.page = plot_style.page;
	st.money = report_currency.symbol;
	return st;
}

/* Runs gnuplot on script (rewound to its start).  Its output goes to a
 * temporary file, shown only when it fails. */
static int
run_gnuplot(FILE *script, const char *what)
{
	const char *prog = gnuplot_prog();
	FILE *err = tmpfile();
	sigset_t block, old;
	pid_t pid;
	int status;

	if (err == NULL) {
		cli_err("cannot create a temporary file: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	if (fflush(script) != 0 || ferror(script)) {
		cli_err("cannot write the gnuplot script: %s", strerror(errno));
		fclose(err);
		return EXIT_RUNTIME;
	}
	rewind(script);
	fflush(stdout);
	fflush(stderr);
	/* SIGINT and SIGTERM wait until the child is known to the handler,
	 * which kills and reaps it before removing the temporary chart
	 * (else gnuplot would write it again after the cleanup) */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	pid = fork();
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		cli_err("cannot run %s: %s", prog, strerror(errno));
		fclose(err);
		return EXIT_RUNTIME;
	}
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (dup2(fileno(script), 0) < 0 || dup2(fileno(err), 1) < 0 ||
		    dup2(fileno(err), 2) < 0)
			_exit(126);
		execlp(prog, prog, (char *)NULL);
		_exit(127);
	}
	cli_child = pid;
	sigprocmask(SIG_SETMASK, &old, NULL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			cli_child = 0;
			cli_err("cannot wait for %s: %s", prog, strerror(errno));
			fclose(err);
			return EXIT_RUNTIME;
		}
	cli_child = 0;
	if (cli_interrupted) {
		fclose(err);
		cli_err("interrupted");
		return EXIT_SIGINT;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		fclose(err);
		return EXIT_OK;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		cli_err("cannot run %s, which draws the charts: install it with " INSTALL_HINT
		    ", or set FLATCOST_GNUPLOT to its path", prog);
		fclose(err);
		return EXIT_RUNTIME;
	}
	{
		/* show what gnuplot said: its last 4 KB */
		char buf[4096];
		long end;
		size_t n;

		fflush(err);
		fseek(err, 0, SEEK_END);
		end = ftell(err);
		fseek(err, end > (long)sizeof(buf) - 1 ? end - (long)sizeof(buf) + 1 : 0, SEEK_SET);
		n = fread(buf, 1, sizeof(buf) - 1, err);
		buf[n] = '\0';
		if (n)
			fprintf(stderr, "%s%s", buf, buf[n - 1] == '\n' ? "" : "\n");
	}
	fclose(err);
	if (WIFEXITED(status))
		cli_err("%s failed to draw %s (exit status %d); flatcost needs gnuplot 5 with "
		    "its cairo terminals: " INSTALL_HINT, prog, what, WEXITSTATUS(status));
	else
		cli_err("%s was killed by signal %d while drawing %s", prog,
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0, what);
	return EXIT_RUNTIME;
}


/* base name of path without its extension, into buf */
static void
stem_of(const char *path, char *buf, size_t len)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t n;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
	snprintf(buf, len, "%.*s", (int)n, base);
}

int
plot_claim(const char *path, const char *script_dir)
{
	char stem[256], *p;
	size_t len;
	int rc;

	if ((rc = cli_io_output(path)) != EXIT_OK || script_dir == NULL)
		return rc;
	stem_of(path, stem, sizeof(stem));
	len = strlen(script_dir) + sizeof(stem) + 8;
	if ((p = fc_malloc(len)) == NULL)
		return cli_oom();
	snprintf(p, len, "%s/%s.dat", script_dir, stem);
	rc = cli_io_output(p);
	snprintf(p, len, "%s/%s.gp", script_dir, stem);
	if (rc == EXIT_OK)
		rc = cli_io_output(p);
	fc_free(p);
	return rc;
}

/* Writes DIR/STEM.dat and DIR/STEM.gp into po->dat and po->gp (their
 * temporary files: plot_commit() renames them); the script renders
 * BASENAME in the directory it is run from. */
static int
keep_script(const char *dir, const char *path, enum fc_chart_term t, const struct fc_chart *c,
    struct plot_out *po)
{
	char stem[256], *p = NULL, ref[300];
	const char *base = strrchr(path, '/');
	size_t len = strlen(dir) + sizeof(stem) + 8;
	int rc;

	base = base ? base + 1 : path;
	stem_of(path, stem, sizeof(stem));
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		cli_err("cannot create %s: %s", dir, strerror(errno));
		return EXIT_RUNTIME;
	}
	if ((p = fc_malloc(len)) == NULL)
		return cli_oom();
	snprintf(p, len, "%s/%s.dat", dir, stem);
	if ((rc = out_open(&po->dat, p)) != EXIT_OK)
		goto out;
	fc_chart_write_data(c, po->dat.f);
	snprintf(p, len, "%s/%s.gp", dir, stem);
	if ((rc = out_open(&po->gp, p)) != EXIT_OK)
		goto out;
	fprintf(po->gp.f, "# flatcost %s: the %s chart; restyle and render it with\n"
	    "#   cd %s && gnuplot %s.gp\n"
	    "# which reads %s.dat (columns named in its first line) and writes %s.\n",
	    FC_VERSION, fc_chart_name(c), dir, stem, stem, base);
	snprintf(ref, sizeof(ref), "%s.dat", stem);
	fc_chart_write_script(c, t, base, ref, po->gp.f);
out:
	fc_free(p);
	return rc;
}

/* Renders chart c to path (and its script to script_dir when not NULL)
 * into po's temporary files. */
static int
render(const char *path, const char *script_dir, const struct fc_chart *c, struct plot_out *po)
{
	struct stat sb;
	FILE *script;
	int t = fc_chart_term_of(path), rc;

	memset(po, 0, sizeof(*po));
	if (t < 0) {
		cli_err("--plot: '%s' should end in .png, .svg or .pdf", path);
		return EXIT_USAGE;
	}
	if ((rc = out_open(&po->chart, path)) != EXIT_OK)
		return rc;
	if ((script = tmpfile()) == NULL) {
		cli_err("cannot create a temporary file: %s", strerror(errno));
		plot_abort(po);
		return EXIT_RUNTIME;
	}
	/* gnuplot writes the temporary file itself: ours stays empty */
	fc_chart_write_script(c, (enum fc_chart_term)t, po->chart.tmp ? po->chart.tmp : path, NULL,
	    script);
	rc = run_gnuplot(script, path);
	fclose(script);
	if (rc == EXIT_OK && po->chart.tmp && (stat(po->chart.tmp, &sb) != 0 ||
	    sb.st_size == 0)) {
		cli_err("%s wrote nothing for %s; flatcost needs gnuplot 5 with its cairo "
		    "terminals: " INSTALL_HINT, gnuplot_prog(), path);
		rc = EXIT_RUNTIME;
	} else if (rc == EXIT_OK && po->chart.tmp &&
	    !fc_chart_file_complete(po->chart.tmp, (enum fc_chart_term)t)) {
		cli_err("%s wrote a truncated chart for %s (is the disk full?); nothing written",
		    gnuplot_prog(), path);
		rc = EXIT_RUNTIME;
	}
	if (rc == EXIT_OK && script_dir)
		rc = keep_script(script_dir, path, (enum fc_chart_term)t, c, po);
	if (rc != EXIT_OK)
		plot_abort(po);
	return rc;
}

/* Renders the chart that st prepared into c (model/chart.h), or prints
 * why it could not: a request that cannot be drawn is command cmd's usage
 * error. */
static int
draw(const char *cmd, enum fc_status st, struct fc_chart *c, struct fc_diags *d,
    const char *path, const char *script_dir, struct plot_out *po)
{
	const char *msg = d->n ? d->v[0].msg : fc_strstatus(st);
	int rc;

	memset(po, 0, sizeof(*po));
	if (st == FC_OK)
		rc = render(path, script_dir, c, po);
	else if (st == FC_ENOMEM || d->oom)
		rc = cli_oom();
	else if (st == FC_EINVAL)
		rc = cli_usage_error(cmd, "%s", msg);
	else {
		cli_err("%s", msg);
		rc = EXIT_RUNTIME;
	}
	fc_chart_free(c);
	fc_diags_free(d);
	return rc;
}

void
plot_abort(struct plot_out *po)
{
	out_abort(&po->chart);
	out_abort(&po->dat);
	out_abort(&po->gp);
}

int
plot_commit(struct plot_out *po)
{
	int rc = EXIT_OK;

	if (po->dat.f && (rc = out_commit(&po->dat)) != EXIT_OK)
		goto fail;
	if (po->gp.f && (rc = out_commit(&po->gp)) != EXIT_OK)
		goto fail;
	/* the chart last: gnuplot wrote its temporary file by name (our
	 * stream on it holds nothing) and it was checked whole */
	if (po->chart.f && (rc = out_commit(&po->chart)) != EXIT_OK)
		goto fail;
	return EXIT_OK;
fail:
	plot_abort(po);
	return rc;
}


int
plot_sweep(const char *path, const char *script_dir, enum plot_chart chart,
    const struct fc_chart_sweep *sw, struct plot_out *po)
{
	struct fc_chart_style st = style();
	struct fc_chart *c = NULL;
	struct fc_diags d;
	enum fc_status got;

	fc_diags_init(&d);
	got = fc_chart_sweep(sw, (enum fc_chart_kind)chart, &st, &c, &d);
	return draw("sweep", got, c, &d, path, script_dir, po);
}

int
plot_histogram(const char *path, const char *script_dir,
    const struct fc_scenario *s, const struct fc_mc_result *r, struct plot_out *po)
{
	struct fc_chart_style st = style();
	struct fc_chart *c = NULL;
	struct fc_diags d;
	enum fc_status got;

	fc_diags_init(&d);
	got = fc_chart_histogram(s, r, &st, &c, &d);
	return draw("simulate", got, c, &d, path, script_dir, po);
}

int
plot_timeline(const char *path, const struct fc_scenario *s, const struct fc_mc_result *r,
    struct plot_out *po)
{
	struct fc_chart_style st = style();
	struct fc_chart *c = NULL;
	struct fc_diags d;
	enum fc_status got;

	fc_diags_init(&d);
	got = fc_chart_timeline(s, r, &st, &c, &d);
	return draw("simulate", got, c, &d, path, NULL, po);
}

int
plot_tornado(const char *path, const struct fc_chart_tornado *t, struct plot_out *po)
{
	struct fc_chart_style st = style();
	struct fc_chart *c = NULL;
	struct fc_diags d;
	enum fc_status got;

	fc_diags_init(&d);
	got = fc_chart_tornado(path, t, &st, &c, &d);
	return draw("sensitivity", got, c, &d, path, NULL, po);
}

int
plot_compare(const char *path, const struct fc_scenario *s, const struct fc_mc_opts *o,
    const struct fc_cmp_option *v, const size_t *order, size_t n, struct plot_out *po)
{
	struct fc_chart_style st = style();
	struct fc_chart *c = NULL;
	struct fc_diags d;
	enum fc_status got;

	fc_diags_init(&d);
	got = fc_chart_compare(s, o, v, order, n, &st, &c, &d);
	return draw("compare", got, c, &d, path, NULL, po);
}
