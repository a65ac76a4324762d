/*
 * fc.h: what every module of libflatcost shares: status codes, source
 * locations and the caller-owned list of diagnostics.
 *
 * The library never prints and never exits.  A function that can fail
 * returns an enum fc_status and, where the failure is the user's (bad
 * input), appends a diagnostic with the file, line and column it concerns.
 *
 * The one error convention of every model/ header (said here, once):
 *  - FC_OK (0) is success; any other status is failure, and a function's
 *    header lists the statuses it returns beyond FC_ENOMEM.
 *  - FC_EINVAL comes with at least one error in the caller's fc_diags
 *    (fc_error() returns it).  FC_EIO from a function that opens or reads
 *    a file by its path comes with one too, naming the file and the
 *    system's reason (fc_ynode_load_file(), fc_calib_read() and the other
 *    readers whose headers say so); a path that names no file or a
 *    directory is the user's mistake, FC_EINVAL.  The other statuses
 *    (FC_ENOMEM above all) add none.
 *  - On failure a function leaves nothing for the caller to free (an
 *    out-pointer is set to NULL, a struct it fills holds no owned memory)
 *    unless its header says otherwise.
 *  - "owned" on a field or an out-parameter: the caller frees it, with the
 *    matching *_free() where the header names one, else fc_free();
 *    "borrowed": it points into an argument that must outlive it.
 *  - Functions returning a double say what NaN means for them; functions
 *    returning int return 0 for success or "no", as their header says.
 */
#ifndef FC_H
#define FC_H

#include <stdarg.h>
#include <stddef.h>

#define FC_VERSION "0.1.0"

/* Constants and limits that model/ and cmd/ share, named once. */
#define FC_SECONDS_PER_DAY 86400.0          /* seconds in a day */
#define FC_MAX_SEED 9007199254740991L       /* 2^53 - 1: the largest seed a
                                             * YAML number holds exactly */
#define FC_MAX_THREADS 256                  /* Monte Carlo worker threads */

enum fc_status {
	FC_OK = 0,      /* success */
	FC_EINVAL = 2,  /* invalid input: diagnostics say where */
	FC_EIO = 3,     /* a file could not be read or written */
	FC_ENOMEM = 4,  /* an allocation failed */
	FC_EDOM = 5,    /* outside the model's domain: unstable queue, no root */
	FC_ERANGE = 6,  /* a result does not fit (overflow, too many steps) */
};

/* A place in an input.  line and col are 1-based; 0 means unknown. */
struct fc_loc {
	const char *file; /* borrowed: interned in the fc_diags or static */
	int line;
	int col;
	int len;          /* characters to underline; 0 means 1 */
};

enum fc_severity { FC_SEV_ERROR, FC_SEV_WARNING, FC_SEV_NOTE };

struct fc_diag {
	enum fc_severity sev;
	struct fc_loc loc;
	char *msg;
};

/*
 * A list of diagnostics that the caller owns.  Loaders append to it; the
 * front end prints it.  max_errors caps how many errors are kept (0: 20);
 * further ones only raise n_dropped.
 */
struct fc_diags {
	struct fc_diag *v;
	size_t n, cap;
	size_t n_errors, n_dropped;
	size_t max_errors;
	char **files;     /* interned file names, owned */
	size_t n_files;
	int oom;          /* an allocation failed while recording */
};

void fc_diags_init(struct fc_diags *d);
void fc_diags_free(struct fc_diags *d);
/* Returns a copy of name owned by d, for use in struct fc_loc.file. */
const char *fc_diags_intern(struct fc_diags *d, const char *name);
/* Appends an error; always returns FC_EINVAL so callers can 'return fc_error(...)'. */
enum fc_status fc_error(struct fc_diags *d, struct fc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same over a va_list, for a module's own error helper. */
enum fc_status fc_verror(struct fc_diags *d, struct fc_loc loc, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
void fc_warning(struct fc_diags *d, struct fc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void fc_note(struct fc_diags *d, struct fc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int fc_diags_full(const struct fc_diags *d);

/* Allocation hooks: every allocation in flatcost goes through these, so
 * tests can make the n-th one fail (see fc_alloc_fail_at). */
void *fc_malloc(size_t n);
void *fc_calloc(size_t n, size_t size);
void *fc_realloc(void *p, size_t n);
char *fc_strdup(const char *s);
char *fc_strndup(const char *s, size_t n);
void fc_free(void *p);
/* Make the n-th allocation from now fail (1-based); 0 turns it off. */
void fc_alloc_fail_at(long n);
/* Allocations through these hooks since the start or the last
 * fc_alloc_fail_at() (the failed one included). */
long fc_alloc_count(void);

/* "did you mean" helper: the candidate closest to s by edit distance, or
 * NULL when none is close enough. */
const char *fc_suggest(const char *s, const char *const *cands, size_t n);

const char *fc_strstatus(enum fc_status st);

#endif
