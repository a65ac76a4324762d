/*
 * calib_cli.h: calibrate's command-line checks (calib_cli.c).
 */
#ifndef CALIB_CLI_H
#define CALIB_CLI_H

#include "calib.h"

/* --tz ZONE: an IANA name with a file in the zone database (TZDIR, else
 * /usr/share/zoneinfo); sets TZ and o's utc_offset_s.  EXIT_OK, or the
 * usage error said. */
int calib_set_tz(const char *zone, struct fc_calib_opts *o);
/* Standard input given twice: the usage error; the same log given twice
 * (or LOG and LOG.gz): a warning.  EXIT_OK otherwise. */
int calib_check_logs(const char *const *logs, int nlogs);

#endif
