/*
 * ynode.c: libyaml events to a located node tree (see ynode.h).
 */
#include "ynode.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#define MAX_DEPTH 64
#define MAX_FILE_BYTES (16u << 20)

const char *
fc_ykind_name(enum fc_ykind k)
{
	switch (k) {
	case FC_Y_SCALAR: return "a scalar";
	case FC_Y_MAP: return "a mapping";
	case FC_Y_SEQ: return "a list";
	}
	return "?";
}

void
fc_ynode_free(struct fc_ynode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->n; i++) {
		if (n->keys)
			fc_ynode_free(n->keys[i]);
		fc_ynode_free(n->vals[i]);
	}
	fc_free(n->keys);
	fc_free(n->vals);
	fc_free(n->str);
	fc_free(n);
}

static struct fc_ynode *
node_new(enum fc_ykind kind, struct fc_loc loc)
{
	struct fc_ynode *n = fc_calloc(1, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->kind = kind;
	n->loc = loc;
	return n;
}

static struct fc_ynode *
ynode_scalar(const char *s, struct fc_loc loc, int quoted)
{
	struct fc_ynode *n = node_new(FC_Y_SCALAR, loc);

	if (n == NULL)
		return NULL;
	n->str = fc_strdup(s);
	if (n->str == NULL) {
		fc_free(n);
		return NULL;
	}
	n->len = strlen(s);
	n->quoted = quoted;
	return n;
}

struct fc_ynode *
fc_ynode_map(struct fc_loc loc)
{
	return node_new(FC_Y_MAP, loc);
}

static int
append(struct fc_ynode *parent, struct fc_ynode *key, struct fc_ynode *val)
{
	struct fc_ynode **nv, **nk;

	/* doubling: a mapping of n keys costs O(n), not n reallocs */
	if (parent->n == parent->cap) {
		size_t cap = parent->cap ? 2 * parent->cap : 4;

		if (cap > ((size_t)-1) / sizeof(*nv))
			return -1;
		nv = fc_realloc(parent->vals, cap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		parent->vals = nv;
		if (parent->kind == FC_Y_MAP) {
			nk = fc_realloc(parent->keys, cap * sizeof(*nk));
			if (nk == NULL)
				return -1;
			parent->keys = nk;
		}
		parent->cap = cap;
	}
	if (parent->kind == FC_Y_MAP)
		parent->keys[parent->n] = key;
	parent->vals[parent->n++] = val;
	return 0;
}

long
fc_ynode_find(const struct fc_ynode *map, const char *key)
{
	size_t i;

	if (map == NULL || map->kind != FC_Y_MAP)
		return -1;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->str, key) == 0)
			return (long)i;
	return -1;
}

struct fc_ynode *
fc_ynode_get(const struct fc_ynode *map, const char *key)
{
	long i = fc_ynode_find(map, key);

	return i < 0 ? NULL : map->vals[i];
}

enum fc_status
fc_ynode_set(struct fc_ynode *map, const char *key, struct fc_loc keyloc,
    struct fc_ynode *val)
{
	long i = fc_ynode_find(map, key);
	struct fc_ynode *k;

	if (i >= 0) {
		fc_ynode_free(map->vals[i]);
		map->vals[i] = val;
		return FC_OK;
	}
	k = ynode_scalar(key, keyloc, 0);
	if (k == NULL || append(map, k, val) != 0) {
		fc_ynode_free(k);
		fc_ynode_free(val);
		return FC_ENOMEM;
	}
	return FC_OK;
}

int
fc_ynode_parse_double(const char *s, double *out)
{
	char buf[128], *end;
	size_t i, j = 0;
	double v;

	if (s == NULL || *s == '\0' || strlen(s) >= sizeof(buf))
		return -1;
	for (i = 0; s[i]; i++) {
		char c = s[i];
		if (c == '_') {
			/* only between two digits, as in 1_000_000 */
			if (i == 0 || !(s[i - 1] >= '0' && s[i - 1] <= '9') ||
			    !(s[i + 1] >= '0' && s[i + 1] <= '9'))
				return -1;
			continue;
		}
		if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' ||
		    c == 'E' || c == '+' || c == '-'))
			return -1;  /* rejects nan, inf, hex, spaces */
		buf[j++] = c;
	}
	buf[j] = '\0';
	if (!((buf[0] >= '0' && buf[0] <= '9') || buf[0] == '.' ||
	    ((buf[0] == '-' || buf[0] == '+') &&
	    ((buf[1] >= '0' && buf[1] <= '9') || buf[1] == '.'))))
		return -1;
	errno = 0;
	v = strtod(buf, &end);
	/* ERANGE on underflow still gives the nearest double (4.9e-324 is
	 * a number, if a tiny one); on overflow it is not finite */
	if (end == buf || *end != '\0' || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* The number a person probably meant by s, which fc_ynode_parse_double()
 * refused: "1.5k" 1500, "2M" 2000000, "50%" 0.5, "$12" 12, "3,000" 3000,
 * and "20-60" the range "20 to 60". */
int
fc_ynode_number_hint(const char *s, char *buf, size_t len)
{
	char t[128], *p = t, *q;
	size_t n;
	double v, a, b, scale = 1;
	int changed = 0;

	if (s == NULL)
		return 0;
	while (*s == ' ')
		s++;
	if ((n = strlen(s)) == 0 || n >= sizeof(t))
		return 0;
	memcpy(t, s, n + 1);
	while (n > 0 && t[n - 1] == ' ')
		t[--n] = '\0';
	/* a currency sign before the number */
	if (*p == '$') {
		p++;
		changed = 1;
	} else if (strncmp(p, "\xe2\x82\xac", 3) == 0) {   /* the euro sign */
		p += 3;
		changed = 1;
	}
	n = strlen(p);
	/* a suffix: thousands, millions, billions, a percentage */
	if (n > 1 && strchr("kKMB%", p[n - 1])) {
		scale = p[n - 1] == '%' ? 0.01 : p[n - 1] == 'M' ? 1e6 :
		    p[n - 1] == 'B' ? 1e9 : 1e3;
		p[--n] = '\0';
		changed = 1;
	}
	/* thousands separators: 3,000 or 1,250,000.5 */
	if (strchr(p, ',')) {
		size_t digits = 0;
		int ok = 1, seen = 0;

		for (q = p; *q && *q != '.'; q++) {
			if (*q == ',') {
				ok &= (seen ? digits == 3 : digits >= 1 && digits <= 3);
				seen = 1;
				digits = 0;
			} else if (*q >= '0' && *q <= '9') {
				digits++;
			} else if (!(q == p && *q == '-')) {
				ok = 0;
			}
		}
		if (!ok || digits != 3)
			return 0;
		for (q = p; (q = strchr(q, ',')) != NULL; )
			memmove(q, q + 1, strlen(q));
		changed = 1;
	}
	if (changed && fc_ynode_parse_double(p, &v) == 0) {
		snprintf(buf, len, "%.15g", v * scale);
		return 1;
	}
	/* "20-60": a range is written "20 to 60" */
	if (!changed && (q = strchr(p + 1, '-')) != NULL && q[-1] != 'e' && q[-1] != 'E') {
		*q = '\0';
		if (fc_ynode_parse_double(p, &a) == 0 && fc_ynode_parse_double(q + 1, &b) == 0 &&
		    a >= 0 && b > a) {
			snprintf(buf, len, "'%s to %s'", p, q + 1);
			return 1;
		}
	}
	return 0;
}

struct parser {
	const char *file;
	struct fc_diags *d;
	yaml_parser_t yp;
	yaml_event_t ev;
	int have_ev;
	const char *buf;
	size_t len;
};

static struct fc_loc
mark_loc(const struct parser *p, yaml_mark_t m, size_t len)
{
	struct fc_loc l;

	l.file = p->file;
	l.line = (int)m.line + 1;
	l.col = (int)m.column + 1;
	l.len = len > 200 ? 200 : (int)len;
	return l;
}

/* libyaml's problems, reworded for a person who wrote a scenario. */
static enum fc_status
syntax_error(struct parser *p)
{
	const char *prob = p->yp.problem ? p->yp.problem : "syntax error";
	yaml_mark_t m = p->yp.problem_mark;
	const char *ctx = p->yp.context;
	size_t off = m.index;

	if (p->yp.error == YAML_MEMORY_ERROR)
		return FC_ENOMEM;
	/* the reader (bad UTF-8, a NUL or a control byte) gives a byte
	 * offset, not a mark: count its line and column here */
	if (p->yp.error == YAML_READER_ERROR) {
		size_t i;

		off = p->yp.problem_offset < p->len ? p->yp.problem_offset : p->len;
		m.line = m.column = 0;
		for (i = 0; i < off; i++) {
			if (p->buf[i] == '\n') {
				m.line++;
				m.column = 0;
			} else if (((unsigned char)p->buf[i] & 0xc0) != 0x80) {
				m.column++;   /* a character, not a continuation byte */
			}
		}
	}
	if ((strstr(prob, "cannot start any token") || strstr(prob, "tab character")) && off < p->len &&
	    p->buf[off] == '\t')
		return fc_error(p->d, mark_loc(p, m, 1),
		    "tab character used for indentation (YAML indents with spaces)");
	if (strstr(prob, "control characters") || strstr(prob, "invalid leading UTF-8") ||
	    strstr(prob, "invalid trailing UTF-8") || strstr(prob, "incomplete UTF-8") ||
	    strstr(prob, "invalid Unicode"))
		return fc_error(p->d, mark_loc(p, m, 1),
		    "not a text file: %s (expected UTF-8 YAML)", prob);
	/* "users 3000": libyaml finds the missing ':' only where the next
	 * key would start, often past the end of the file; the key is where
	 * the context mark points */
	if (ctx && strstr(prob, "could not find expected ':'"))
		return fc_error(p->d, mark_loc(p, p->yp.context_mark, 1),
		    "YAML syntax error: expected 'KEY: VALUE', and this key has no ':' after it");
	if (ctx) {
		enum fc_status st = fc_error(p->d, mark_loc(p, m, 1),
		    "YAML syntax error: %s %s", prob, ctx);
		yaml_mark_t cm = p->yp.context_mark;
		const char *open = strstr(ctx, "flow sequence") ? "[" :
		    strstr(ctx, "flow mapping") ? "{" : NULL;
		if (open && (cm.line != m.line || cm.column != m.column))
			fc_note(p->d, mark_loc(p, cm, 1),
			    "the '%s' opened here is never closed", open);
		return st;
	}
	return fc_error(p->d, mark_loc(p, m, 1), "YAML syntax error: %s", prob);
}

static enum fc_status
next(struct parser *p)
{
	if (p->have_ev)
		yaml_event_delete(&p->ev);
	p->have_ev = 0;
	if (!yaml_parser_parse(&p->yp, &p->ev))
		return syntax_error(p);
	p->have_ev = 1;
	return FC_OK;
}

static enum fc_status parse_node(struct parser *p, int depth, struct fc_ynode **out);

/*
 * The keys of the mapping being read, hashed, so that finding a duplicate
 * costs O(1) a key: a linear search per key made a mapping of 100,000
 * keys take half a minute.  Open addressing over the
 * key indices + 1 (0: empty), at most half full.
 */
struct keyset {
	size_t *slot;
	size_t cap;    /* a power of two, or 0 before the first key */
};

static size_t
key_hash(const char *s)
{
	size_t h = 1469598103934665603u;   /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

/* The index of key in map (whose first map->n keys are in ks), or -1. */
static long
keyset_find(const struct keyset *ks, const struct fc_ynode *map, const char *key)
{
	size_t i;

	if (ks->cap == 0)
		return -1;
	for (i = key_hash(key) & (ks->cap - 1); ks->slot[i]; i = (i + 1) & (ks->cap - 1))
		if (strcmp(map->keys[ks->slot[i] - 1]->str, key) == 0)
			return (long)(ks->slot[i] - 1);
	return -1;
}

/* Adds map's key at index k, the last one appended (the set grows when
 * half full); -1 out of memory. */
static int
keyset_add(struct keyset *ks, const struct fc_ynode *map, size_t k)
{
	size_t i, j, cap = ks->cap, *v = ks->slot;

	if (2 * (k + 1) > cap) {
		cap = cap ? 2 * cap : 16;
		if ((v = fc_calloc(cap, sizeof(*v))) == NULL)
			return -1;
		fc_free(ks->slot);
		ks->slot = v;
		ks->cap = cap;
		j = 0;   /* every key again */
	} else {
		j = k;
	}
	for (; j <= k; j++) {
		for (i = key_hash(map->keys[j]->str) & (cap - 1); v[i]; i = (i + 1) & (cap - 1))
			;
		v[i] = j + 1;
	}
	return 0;
}

static enum fc_status
parse_children(struct parser *p, struct fc_ynode *n, int depth)
{
	enum fc_status st;
	yaml_event_type_t end = n->kind == FC_Y_MAP ?
	    YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
	struct keyset ks = { NULL, 0 };

	for (;;) {
		struct fc_ynode *key = NULL, *val = NULL;
		long i;

		if ((st = next(p)) != FC_OK)
			break;
		if (p->ev.type == end)
			break;
		if ((st = parse_node(p, depth + 1, &key)) != FC_OK)
			break;
		if (n->kind == FC_Y_MAP) {
			if (key->kind != FC_Y_SCALAR) {
				st = fc_error(p->d, key->loc,
				    "a mapping key must be a plain name, not %s",
				    fc_ykind_name(key->kind));
				fc_ynode_free(key);
				break;
			}
			if ((i = keyset_find(&ks, n, key->str)) >= 0) {
				st = fc_error(p->d, key->loc,
				    "duplicate key '%s' (first defined at line %d)",
				    key->str, n->keys[i]->loc.line);
				fc_ynode_free(key);
				break;
			}
			if ((st = next(p)) != FC_OK ||
			    (st = parse_node(p, depth + 1, &val)) != FC_OK) {
				fc_ynode_free(key);
				break;
			}
		} else {
			val = key;
			key = NULL;
		}
		if (append(n, key, val) != 0) {
			fc_ynode_free(key);
			fc_ynode_free(val);
			st = FC_ENOMEM;
			break;
		}
		if (n->kind == FC_Y_MAP && keyset_add(&ks, n, n->n - 1) != 0) {
			st = FC_ENOMEM;
			break;
		}
	}
	fc_free(ks.slot);
	return st;
}

/* Builds the node whose first event is p->ev. */
static enum fc_status
parse_node(struct parser *p, int depth, struct fc_ynode **out)
{
	yaml_event_t *e = &p->ev;
	struct fc_ynode *n = NULL;
	enum fc_status st;
	yaml_char_t *anchor = NULL, *tag = NULL;

	*out = NULL;
	if (depth > MAX_DEPTH)
		return fc_error(p->d, mark_loc(p, e->start_mark, 1),
		    "nesting deeper than %d levels", MAX_DEPTH);
	switch (e->type) {
	case YAML_ALIAS_EVENT:
		return fc_error(p->d, mark_loc(p, e->start_mark, 1),
		    "YAML aliases (*name) are not supported: write the value out");
	case YAML_SCALAR_EVENT:
		anchor = e->data.scalar.anchor;
		tag = e->data.scalar.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = e->data.mapping_start.anchor;
		tag = e->data.mapping_start.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = e->data.sequence_start.anchor;
		tag = e->data.sequence_start.tag;
		break;
	default:
		return fc_error(p->d, mark_loc(p, e->start_mark, 1),
		    "unexpected YAML structure");
	}
	if (anchor)
		return fc_error(p->d, mark_loc(p, e->start_mark, 1),
		    "YAML anchors (&%s) are not supported", (char *)anchor);
	if (tag)
		return fc_error(p->d, mark_loc(p, e->start_mark, 1),
		    "YAML tags (%s) are not supported", (char *)tag);
	if (e->type == YAML_SCALAR_EVENT) {
		size_t len = e->data.scalar.length;
		n = node_new(FC_Y_SCALAR, mark_loc(p, e->start_mark,
		    e->end_mark.index - e->start_mark.index));
		if (n == NULL)
			return FC_ENOMEM;
		n->str = fc_malloc(len + 1);
		if (n->str == NULL) {
			fc_free(n);
			return FC_ENOMEM;
		}
		memcpy(n->str, e->data.scalar.value, len);
		n->str[len] = '\0';
		n->len = len;
		if (strlen(n->str) != len) {
			st = fc_error(p->d, n->loc, "NUL byte inside a value");
			fc_ynode_free(n);
			return st;
		}
		n->quoted = e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		*out = n;
		return FC_OK;
	}
	n = node_new(e->type == YAML_MAPPING_START_EVENT ? FC_Y_MAP : FC_Y_SEQ,
	    mark_loc(p, e->start_mark, 1));
	if (n == NULL)
		return FC_ENOMEM;
	if ((st = parse_children(p, n, depth)) != FC_OK) {
		fc_ynode_free(n);
		return st;
	}
	*out = n;
	return FC_OK;
}

enum fc_status
fc_ynode_parse(const char *file, const char *buf, size_t len,
    struct fc_ynode **out, struct fc_diags *d)
{
	struct parser p;
	enum fc_status st;
	struct fc_ynode *root = NULL;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.file = fc_diags_intern(d, file);
	if (d->oom)
		return FC_ENOMEM;  /* the nodes' locations need the name */
	p.d = d;
	/* a UTF-8 byte-order mark is no part of the text (libyaml would skip
	 * it if it were left to detect the encoding, which would also let
	 * UTF-16 in); columns are counted after it, as editors show them */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	p.buf = buf;
	p.len = len;
	if (!yaml_parser_initialize(&p.yp))
		return FC_ENOMEM;
	yaml_parser_set_input_string(&p.yp, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&p.yp, YAML_UTF8_ENCODING);
	/* stream start, document start (or stream end for an empty file) */
	if ((st = next(&p)) != FC_OK || (st = next(&p)) != FC_OK)
		goto out;
	if (p.ev.type == YAML_STREAM_END_EVENT) {
		struct fc_loc l = { p.file, 1, 1, 0 };
		st = fc_error(d, l, "empty file: expected a YAML mapping");
		goto out;
	}
	if ((st = next(&p)) != FC_OK)
		goto out;
	if ((st = parse_node(&p, 0, &root)) != FC_OK)
		goto out;
	/* document end, then stream end: a second document is an error */
	if ((st = next(&p)) != FC_OK || (st = next(&p)) != FC_OK)
		goto out;
	if (p.ev.type != YAML_STREAM_END_EVENT) {
		st = fc_error(d, mark_loc(&p, p.ev.start_mark, 3),
		    "more than one YAML document in the file");
		goto out;
	}
	if (root->kind == FC_Y_SCALAR && !root->quoted && root->len == 0) {
		struct fc_loc l = { p.file, 1, 1, 0 };
		st = fc_error(d, l, "empty file: expected a YAML mapping");
		goto out;
	}
	*out = root;
	root = NULL;
	st = FC_OK;
out:
	fc_ynode_free(root);
	if (p.have_ev)
		yaml_event_delete(&p.ev);
	yaml_parser_delete(&p.yp);
	return st;
}

/* A path that names no file is the user's mistake (FC_EINVAL); one that
 * cannot be opened for another reason (permissions, I/O) is a failure of
 * the system (FC_EIO), which the front end reports with exit status 3. */
static enum fc_status
open_error(struct fc_diags *d, struct fc_loc l, int e)
{
	enum fc_status st = fc_error(d, l, "cannot open: %s", strerror(e));

	if (e == ENOENT || e == ENOTDIR || e == ENAMETOOLONG || e == ELOOP)
		return st;
	return FC_EIO;
}

enum fc_status
fc_ynode_load_file(const char *path, struct fc_ynode **out, struct fc_diags *d)
{
	struct fc_loc l = { NULL, 0, 0, 0 };
	struct stat sb;
	FILE *f;
	char *buf = NULL, *nb;
	size_t got = 0, cap;
	enum fc_status st;

	*out = NULL;
	l.file = fc_diags_intern(d, path);
	if (d->oom)
		return FC_ENOMEM;
	if (stat(path, &sb) != 0)
		return open_error(d, l, errno);
	if (S_ISDIR(sb.st_mode))
		return fc_error(d, l, "is a directory, expected a YAML file");
	if (S_ISREG(sb.st_mode) && sb.st_size > (off_t)MAX_FILE_BYTES)
		return fc_error(d, l, "file too large (%lld bytes; limit %u)",
		    (long long)sb.st_size, MAX_FILE_BYTES);
	f = fopen(path, "rb");
	if (f == NULL)
		return open_error(d, l, errno);
	/* read to the end: st_size is 0 for a pipe or a FIFO, and a file may
	 * grow while it is read */
	cap = S_ISREG(sb.st_mode) && sb.st_size > 0 ? (size_t)sb.st_size + 1 : 4096;
	for (;;) {
		if (got + 1 >= cap || buf == NULL) {
			if (buf != NULL)
				cap *= 2;
			if ((nb = fc_realloc(buf, cap)) == NULL) {
				fc_free(buf);
				fclose(f);
				return FC_ENOMEM;
			}
			buf = nb;
		}
		got += fread(buf + got, 1, cap - 1 - got, f);
		if (ferror(f) || feof(f) || got > MAX_FILE_BYTES)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		fc_free(buf);
		fclose(f);
		fc_error(d, l, "cannot read: %s", strerror(e));
		return FC_EIO;
	}
	fclose(f);
	if (got > MAX_FILE_BYTES) {
		fc_free(buf);
		return fc_error(d, l, "file too large (more than %u bytes)", MAX_FILE_BYTES);
	}
	buf[got] = '\0';
	st = fc_ynode_parse(path, buf, got, out, d);
	fc_free(buf);
	return st;
}
