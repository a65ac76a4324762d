/*
 * data_fetch.h: reading `data import`'s source whole (data_fetch.c), for
 * data_import.c.
 */
#ifndef FC_DATA_FETCH_H
#define FC_DATA_FETCH_H

#include <stddef.h>

/* The body read: p (fc_malloc'd, NUL-terminated; the caller fc_free()s
 * it), n bytes. */
struct data_buf {
	char *p;
	size_t n, cap;
	int too_big;   /* the body passed the size limit */
	int oom;
};

/* Reads src, a file or an http(s) URL (hetzner: the Hetzner Cloud API,
 * with $HCLOUD_TOKEN as its bearer token when set), into b; EXIT_OK, or
 * an exit status with the error printed and b empty. */
int data_read_source(const char *src, int hetzner, struct data_buf *b);

#endif
