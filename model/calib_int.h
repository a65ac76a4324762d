/*
 * calib_int.h: what the log readers (calib_read.c) and the accumulator
 * (calib.c) share.  Not public.
 */
#ifndef FC_CALIB_INT_H
#define FC_CALIB_INT_H

#include "calib.h"

const struct fc_calib_opts *fc_calib_get_opts(const struct fc_calib *c);
/* The format of the file just opened (the first one is reported). */
void fc_calib_note_format(struct fc_calib *c, enum fc_calib_format f);
/* One bad row skipped under skip_bad. */
void fc_calib_note_bad(struct fc_calib *c);
double fc_calib_bad_rows(const struct fc_calib *c);
/* One row answered from a proxy's cache (no API call), left out. */
void fc_calib_note_cache_hit(struct fc_calib *c);
/* A hint: the row being read names this user (trace when trace): its slot
 * of the hash table is fetched into the cache while the rest of the row is
 * parsed (the tables outgrow the cache; no effect on any figure). */
void fc_calib_prefetch(const struct fc_calib *c, int trace, const char *key);

#endif
