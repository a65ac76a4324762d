/*
 * calib_cli.c: calibrate's checks of its command line: --tz (an IANA zone
 * for the diurnal shape) and the logs given (standard input twice, a log
 * given twice).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "calib_cli.h"

/* Seconds east of UTC at Unix time t in the zone TZ names (set_tz). */
static double
tz_offset(void *ctx, double t)
{
	time_t s = (time_t)t;
	struct tm tm;

	(void)ctx;
	return localtime_r(&s, &tm) ? (double)tm.tm_gmtoff : 0;
}

/* --tz ZONE: an IANA name (Europe/Berlin) with a file in the zone database
 * (TZDIR, else /usr/share/zoneinfo), or UTC. */
int
calib_set_tz(const char *zone, struct fc_calib_opts *o)
{
	const char *dir = getenv("TZDIR") ? getenv("TZDIR") : "/usr/share/zoneinfo";
	char path[512];
	struct stat sb;
	size_t i;

	for (i = 0; zone[i]; i++)
		if (!(zone[i] == '/' || zone[i] == '_' || zone[i] == '-' || zone[i] == '+' ||
		    (zone[i] >= 'A' && zone[i] <= 'Z') || (zone[i] >= 'a' && zone[i] <= 'z') ||
		    (zone[i] >= '0' && zone[i] <= '9')))
			break;
	if (zone[0] == '\0' || zone[i] || zone[0] == '/' || strstr(zone, "..") ||
	    snprintf(path, sizeof(path), "%s/%s", dir, zone) >= (int)sizeof(path) ||
	    stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return cli_usage_error("calibrate", "--tz: expected an IANA time zone such as "
		    "Europe/Berlin or America/New_York (in %s), got '%s'", dir, zone);
	if (setenv("TZ", zone, 1) != 0)
		return cli_oom();
	tzset();
	o->utc_offset_s = tz_offset;
	return EXIT_OK;
}

/* Standard input given twice is an error (the second reading would be
 * empty); the same log given twice, or plain and gzipped (LOG and
 * LOG.gz), is said: its calls would count twice. */
int
calib_check_logs(const char *const *logs, int nlogs)
{
	int i, j, nstdin = 0;

	for (i = 0; i < nlogs; i++)
		nstdin += strcmp(logs[i], "-") == 0 || strcmp(logs[i], "/dev/stdin") == 0;
	if (nstdin > 1)
		return cli_usage_error("calibrate", "standard input given twice ('-' or /dev/stdin): "
		    "it can be read once");
	for (i = 0; i < nlogs; i++)
		for (j = i + 1; j < nlogs; j++) {
			const char *x = logs[i], *y = logs[j];
			size_t lx = strlen(x), ly = strlen(y);
			struct stat sx, sy;
			int same = strcmp(x, y) == 0 || (stat(x, &sx) == 0 && stat(y, &sy) == 0 &&
			    S_ISREG(sx.st_mode) && sx.st_dev == sy.st_dev && sx.st_ino == sy.st_ino);
			int gz = (ly == lx + 3 && strncmp(x, y, lx) == 0 && strcmp(y + lx, ".gz") == 0) ||
			    (lx == ly + 3 && strncmp(x, y, ly) == 0 && strcmp(x + ly, ".gz") == 0);
			if (same || gz)
				cli_warn("%s and %s: the same log given twice%s? its calls are counted "
				    "twice", x, y, same ? "" : " (plain and gzipped)");
		}
	return EXIT_OK;
}

