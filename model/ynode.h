/*
 * ynode.h: a YAML document as a tree of nodes that keep their source
 * location, built with libyaml.  Scenarios, data files, budgets and
 * profiles are all read through it, so every error can name file:line:col.
 *
 * Anchors, aliases and tags are refused (a scenario has no use for them and
 * aliases allow exponential blow-up); duplicate keys are errors.
 */
#ifndef FC_YNODE_H
#define FC_YNODE_H

#include "fc.h"

enum fc_ykind { FC_Y_SCALAR, FC_Y_MAP, FC_Y_SEQ };

struct fc_ynode {
	enum fc_ykind kind;
	struct fc_loc loc;
	char *str;                 /* scalar text, NUL-terminated (scalars only) */
	size_t len;                /* scalar length in bytes */
	int quoted;                /* scalar was quoted: never a number */
	size_t n;                  /* children: pairs for a map, items for a seq */
	size_t cap;                /* slots allocated in keys and vals */
	struct fc_ynode **keys;    /* map keys (scalars), n of them */
	struct fc_ynode **vals;    /* map values or seq items, n of them */
};

/* Parses buf (len bytes of UTF-8, a leading byte-order mark skipped)
 * named file into *out.  On error appends diagnostics and returns
 * FC_EINVAL (or FC_ENOMEM); *out is then NULL.  An empty document gives
 * FC_EINVAL.  Linear in the size of the document (duplicate keys are
 * found with a hash). */
enum fc_status fc_ynode_parse(const char *file, const char *buf, size_t len,
    struct fc_ynode **out, struct fc_diags *d);
/* Reads and parses a file, read to its end whatever its size says (a
 * pipe, a FIFO, /dev/stdin, <(...) read as they are); more than 16 MiB is
 * an error.  A missing or directory path is an error diagnostic and
 * FC_EINVAL; a file that exists but cannot be opened or read
 * (permissions, I/O errors) is an error diagnostic and FC_EIO: the
 * exception fc.h's convention makes for a file's readers. */
enum fc_status fc_ynode_load_file(const char *path, struct fc_ynode **out,
    struct fc_diags *d);
void fc_ynode_free(struct fc_ynode *n);

/* The value for key in a map, or NULL. */
struct fc_ynode *fc_ynode_get(const struct fc_ynode *map, const char *key);
/* The pair index of key in a map, or -1. */
long fc_ynode_find(const struct fc_ynode *map, const char *key);
/* A new scalar / map node (for --set overrides and inline defaults). */
struct fc_ynode *fc_ynode_map(struct fc_loc loc);
/* Sets key to val in map (replacing and freeing an existing value); takes
 * ownership of val.  FC_ENOMEM on failure (val is freed). */
enum fc_status fc_ynode_set(struct fc_ynode *map, const char *key,
    struct fc_loc keyloc, struct fc_ynode *val);

const char *fc_ykind_name(enum fc_ykind k);

/* Strict number parsing of a scalar: decimal or exponent notation, with
 * optional '_' between digits; rejects NaN, infinities, hex, trailing text.
 * Returns 0 on success. */
int fc_ynode_parse_double(const char *s, double *out);
/* When s is a number written another way ("1.5k", "2M", "50%", "$12",
 * "3,000", "20-60"), writes the form flatcost reads (1500, 2000000, 0.5,
 * 12, 3000, '20 to 60') into buf and returns 1; else 0. */
int fc_ynode_number_hint(const char *s, char *buf, size_t len);

#endif
