/*
 * bench_calib.c: the usage-log reader's speed (target: docs/model.md,
 * "Speed targets") on a generated 10M-row log: 20000 users, 28
 * days, 9 actions per user per weekday, 2 calls per trace (the generator
 * of model/calib_gen.c, plain CSV with ts, user, in, out, cached, trace,
 * ok, model, batch).  The log is written to a temporary file first (not
 * timed) and read once to warm the page cache; then the timed read and fit
 * run on this thread.  Prints rows/s and MB/s per second of this
 * thread's CPU time (so other load on the machine does not count; the wall
 * time is printed beside it), and the peak resident memory
 * growth, which follows users and open traces, not rows.
 * Then end to end: `./flatcost calibrate LOG --threads 1` (the build's
 * binary, run from the repository root as `make bench` does), reading the
 * log once, fitting, writing and validating the scenario and running both
 * back-tests (the default Monte Carlo trials), timed by the child's CPU
 * time (user + system) on one core; the log piped through standard input
 * as well (the same work: a pipe is read once too).
 * BENCH_CALIB_USERS scales the log (rows ~ users x 504); BENCH_CALIB_BIN
 * names another flatcost binary (the figures before a change);
 * BENCH_CALIB_LOG names a log to read instead of generating one (kept).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "calib.h"

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU seconds of this thread: the one-core rate, whatever else runs. */
static double
cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long
maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int
read_once(const char *path, double *rows, double *secs, double *cpu,
    struct fc_calib_fit *fit)
{
	struct fc_calib_opts o;
	struct fc_calib *c;
	struct fc_diags d;
	double t0, c0;
	enum fc_status st;

	fc_calib_opts_init(&o);
	fc_diags_init(&d);
	if (fc_calib_new(&o, &c) != FC_OK)
		return -1;
	t0 = now();
	c0 = cpu_now();
	st = fc_calib_read(c, path, &d);
	if (st == FC_OK)
		st = fc_calib_fit(c, NAN, fit);
	*secs = now() - t0;
	*cpu = cpu_now() - c0;
	*rows = fit->rows;
	fc_calib_free(c);
	fc_diags_free(&d);
	return st == FC_OK ? 0 : -1;
}

/* Runs flatcost calibrate on path (on its standard input when stdin_log),
 * one thread; the child's CPU seconds and wall seconds.  -1 if it fails. */
static int
end_to_end(const char *bin, const char *path, int stdin_log, double *cpu, double *wall)
{
	char out[] = "/tmp/bench_calib_out_XXXXXX";
	struct rusage ru;
	double t0 = now();
	int fd = mkstemp(out), status;
	pid_t pid;

	if (fd < 0)
		return -1;
	close(fd);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		if (stdin_log) {
			int in = open(path, O_RDONLY);
			if (in < 0 || dup2(in, 0) < 0)
				_exit(127);
		}
		if (devnull >= 0)
			dup2(devnull, 2);
		execl(bin, bin, "calibrate", stdin_log ? "-" : path, "--api-price", "openai/gpt-4o",
		    "--hardware", "hetzner/gex44", "--model", "qwen2.5-7b-q4_k_m", "--threads", "1",
		    "-o", out, (char *)NULL);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		unlink(out);
		return -1;
	}
	*wall = now() - t0;
	*cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	unlink(out);
	return 0;
}

int
main(void)
{
	struct fc_calib_gen g;
	struct fc_calib_fit fit;
	char path[4096] = "/tmp/bench_calib_XXXXXX";
	int keep = 0;
	const char *env = getenv("BENCH_CALIB_USERS");
	double rows, secs, cpu, t0, mb;
	long rss0;
	FILE *f;
	int fd;

	memset(&g, 0, sizeof(g));
	g.users = env ? atol(env) : 20000;
	g.days = 28;
	g.t0 = 1714521600;
	g.rpud = 9;
	g.chaining = 2;
	g.in_mean = 900;
	g.in_cv = 0.5;
	g.out_mean = 250;
	g.out_cv = 0.4;
	g.top10 = 0.4;
	g.peak = 2;
	g.weekend = 1;
	g.cached = 0.2;
	g.batch = 0.1;
	g.fallback = 0.05;
	g.seed = 1;
	if (getenv("BENCH_CALIB_LOG")) {
		snprintf(path, sizeof(path), "%s", getenv("BENCH_CALIB_LOG"));
		keep = 1;
	} else {
		if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL) {
			perror("bench_calib: temporary file");
			return 1;
		}
		t0 = now();
		if (fc_calib_generate(f, FC_CALIB_CSV, &g) < 0 || fclose(f) != 0) {
			fprintf(stderr, "bench_calib: cannot write %s\n", path);
			unlink(path);
			return 1;
		}
		fprintf(stderr, "bench_calib: generated %s in %.1f s\n", path, now() - t0);
	}
	if (read_once(path, &rows, &secs, &cpu, &fit) != 0) {   /* warms the page cache */
		fprintf(stderr, "bench_calib: the generated log did not read\n");
		if (!keep)
			unlink(path);
		return 1;
	}
	rss0 = maxrss_kb();
	if (read_once(path, &rows, &secs, &cpu, &fit) != 0) {
		if (!keep)
			unlink(path);
		return 1;
	}
	{
		FILE *s = fopen(path, "rb");
		fseek(s, 0, SEEK_END);
		mb = (double)ftell(s) / 1e6;
		fclose(s);
	}
	printf("calibrate reader, plain CSV, one core: %.0f rows (%.0f MB) in %.2f s CPU "
	    "(%.2f s wall): %.2f M rows/s, %.0f MB/s of CPU time (target >= 1 M rows/s)\n",
	    rows, mb, cpu, secs, rows / cpu / 1e6, mb / cpu);
	printf("  fit: %.0f users, chaining %.3f, rpud %.3f; peak RSS %ld MB (%+ld MB over the first read)\n",
	    fit.users.v, fit.chaining.v, fit.rpud.v, maxrss_kb() / 1024, (maxrss_kb() - rss0) / 1024);
	{
		const char *bin = getenv("BENCH_CALIB_BIN") ? getenv("BENCH_CALIB_BIN") : "./flatcost";
		int k;
		for (k = 0; k < 2; k++) {
			double ecpu, ewall;
			if (end_to_end(bin, path, k, &ecpu, &ewall) != 0) {
				printf("calibrate end to end (%s): %s failed\n", k ? "standard input" : "file", bin);
				continue;
			}
			printf("calibrate end to end, %s, --threads 1 (read once, fit, both back-tests): "
			    "%.2f s CPU (%.2f s wall): %.2f M rows/s of CPU time (target >= 1 M rows/s)\n",
			    k ? "standard input" : "file", ecpu, ewall, rows / ecpu / 1e6);
		}
	}
	if (!keep)
		unlink(path);
	return 0;
}
