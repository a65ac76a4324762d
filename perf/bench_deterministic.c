/*
 * bench_deterministic.c: `simulate --deterministic` in process, for the
 * bundled scenarios: loading the catalog (data/), loading the scenario,
 * and the run at the means (figures, the lasting breakeven over 1 to
 * 10,000,000 users, viability), each the median of 21 repetitions.
 * Then the whole command as a process (./flatcost, started 21 times):
 * its start-up (dynamic linking: 9 libraries now that libcurl is opened
 * only by the commands that fetch) included, the fastest and the median
 * wall time and the CPU time per run, user and system, of the children.
 * Prints milliseconds; asserts nothing (target: the whole command at most
 * 10 ms).  Run from the repository root after `make`.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "data.h"
#include "mc.h"
#include "scenario.h"
#include "stats.h"

#define REPS 21

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static double
median(double *v)
{
	qsort(v, REPS, sizeof(double), fc_stats_cmp_double);
	return v[REPS / 2];
}

static double
tv_ms(struct timeval tv)
{
	return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec * 1e-3;
}

static double
children_cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
}

/* ./flatcost simulate PATH --deterministic -o /dev/null, stderr to
 * /dev/null, REPS times: the fastest and median wall and the mean CPU. */
static int
process_times(const char *path, double *fastest, double *med, double *cpu)
{
	static char prog[] = "./flatcost", cmd[] = "simulate", det[] = "--deterministic",
	    o[] = "-o", null[] = "/dev/null";
	char spath[256];
	char *argv[] = { prog, cmd, spath, det, o, null, NULL };
	extern char **environ;
	posix_spawn_file_actions_t fa;
	double w[REPS], c0 = children_cpu_ms();
	int i;

	snprintf(spath, sizeof(spath), "%s", path);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (i = 0; i < REPS; i++) {
		double t0 = now_ms();
		pid_t pid;
		int st;

		if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0 ||
		    waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			posix_spawn_file_actions_destroy(&fa);
			return -1;
		}
		w[i] = now_ms() - t0;
	}
	posix_spawn_file_actions_destroy(&fa);
	*cpu = (children_cpu_ms() - c0) / REPS;
	*med = median(w);
	*fastest = w[0];
	return 0;
}

int
main(void)
{
	static const char *const paths[] = { "scenarios/classifier-api.yaml",
	    "scenarios/content-optimizer.yaml", "scenarios/support-chatbot.yaml" };
	double tc[REPS], ts[REPS], tr[REPS];
	size_t p;
	int i;

	gsl_set_error_handler_off();
	printf("simulate --deterministic in process, median of %d (ms):\n", REPS);
	printf("  %-34s %9s %9s %9s %9s\n", "scenario", "catalog", "scenario", "run", "total");
	for (p = 0; p < sizeof(paths) / sizeof(paths[0]); p++) {
		for (i = 0; i < REPS; i++) {
			struct fc_catalog *cat = NULL;
			struct fc_scenario *s = NULL;
			struct fc_diags d;
			struct fc_mc_opts o;
			struct fc_mc_result r;
			double t0 = now_ms(), t1, t2;

			fc_diags_init(&d);
			if (fc_catalog_load("data", &cat, &d) != FC_OK) {
				fprintf(stderr, "cannot load data/ (run from the repository root)\n");
				return 1;
			}
			t1 = now_ms();
			if (fc_scenario_load(paths[p], cat, NULL, 0, &s, &d) != FC_OK) {
				fprintf(stderr, "cannot load %s\n", paths[p]);
				return 1;
			}
			t2 = now_ms();
			memset(&o, 0, sizeof(o));
			o.deterministic = 1;
			o.trials = 1;
			o.threads = 1;
			o.month = 1;
			o.users = NAN;
			if (fc_mc_run(s, &o, &r) != FC_OK) {
				fprintf(stderr, "%s: run failed\n", paths[p]);
				return 1;
			}
			tc[i] = t1 - t0;
			ts[i] = t2 - t1;
			tr[i] = now_ms() - t2;
			fc_mc_result_free(&r);
			fc_scenario_free(s);
			fc_catalog_free(cat);
			fc_diags_free(&d);
		}
		{
			double c = median(tc), sc = median(ts), ru = median(tr);
			printf("  %-34s %9.2f %9.2f %9.2f %9.2f\n", paths[p] + sizeof("scenarios/") - 1,
			    c, sc, ru, c + sc + ru);
		}
	}
	printf("simulate --deterministic as a process (./flatcost), %d runs (ms):\n", REPS);
	printf("  %-34s %9s %9s %9s\n", "scenario", "fastest", "median", "CPU");
	for (p = 0; p < sizeof(paths) / sizeof(paths[0]); p++) {
		double f, m, c;

		if (process_times(paths[p], &f, &m, &c) != 0) {
			fprintf(stderr, "cannot run ./flatcost simulate %s (run `make` first)\n",
			    paths[p]);
			return 1;
		}
		printf("  %-34s %9.2f %9.2f %9.2f\n", paths[p] + sizeof("scenarios/") - 1, f, m, c);
	}
	return 0;
}
