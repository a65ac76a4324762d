/*
 * prompt.c: a token count read from a prompt file (tokenize.h), for
 * `workload.input_tokens: {prompt: FILE, tokenizer: NAME, plus: N}`: the
 * file's tokens by the named tokenizer (o200k_base, cl100k_base, or
 * gguf:MODEL.gguf, a model file's own vocabulary; both paths relative to
 * the scenario), plus the user's part (a number or a distribution), so
 * that a change to the prompt moves every figure.
 */
#include "tokenize.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "schema.h"

/* The prompt's path: as written when absolute, else beside the scenario. */
static char *
prompt_path(const char *file, const char *dir)
{
	size_t ld = strlen(dir), lf = strlen(file);
	char *p = fc_malloc(ld + lf + 2);

	if (p == NULL)
		return NULL;
	if (file[0] == '/' || ld == 0)
		memcpy(p, file, lf + 1);
	else
		snprintf(p, ld + lf + 2, "%s/%s", dir, file);
	return p;
}

enum fc_status
fc_prompt_tokens_read(const struct fc_ynode *n, const char *dir, const char *datadir,
    double hi, struct fc_num *out, struct fc_diags *d)
{
	char *file = NULL, *name = NULL, *path = NULL, *tname = NULL;
	struct fc_num plus = fc_num_const(0);
	struct fc_tokenizer *t = NULL;
	struct fc_diags sub;
	enum fc_status st;
	size_t count = 0, k;
	const struct fc_field fields[] = {
		{ "plus", FT_NUM, &plus, 0, 0, hi, 0, "the user's tokens per call >= 0, a number or a distribution", NULL },
		{ "prompt", FT_STR, &file, 1, 0, 0, 0, "a prompt file's path", NULL },
		{ "tokenizer", FT_STR, &name, 1, 0, 0, 0, "o200k_base, cl100k_base or gguf:MODEL.gguf", NULL },
	};

	plus.lo = 0;
	plus.hi = hi;
	st = fc_schema_read(n, "input_tokens", fields, sizeof(fields) / sizeof(fields[0]), d);
	if (st != FC_OK)
		goto out;
	for (k = 0; fc_tokenizer_names[k]; k++)
		if (strcmp(name, fc_tokenizer_names[k]) == 0)
			break;
	if (strncmp(name, "gguf:", 5) == 0 && name[5] != '\0') {
		char *g = prompt_path(name + 5, dir);
		size_t lg = g ? strlen(g) + 6 : 0;
		if (g == NULL || (tname = fc_malloc(lg)) == NULL) {
			fc_free(g);
			st = FC_ENOMEM;
			goto out;
		}
		snprintf(tname, lg, "gguf:%s", g);
		fc_free(g);
	} else if (fc_tokenizer_names[k] == NULL) {
		const char *s = fc_suggest(name, fc_tokenizer_names, k);
		const struct fc_ynode *at = fc_ynode_get(n, "tokenizer");
		if (s)
			st = fc_error(d, at->loc, "unknown tokenizer '%s' (did you mean '%s'?)", name, s);
		else
			st = fc_error(d, at->loc, "unknown tokenizer '%s': expected o200k_base, "
			    "cl100k_base or gguf:MODEL.gguf", name);
		goto out;
	}
	if ((path = prompt_path(file, dir)) == NULL) {
		st = FC_ENOMEM;
		goto out;
	}
	fc_diags_init(&sub);
	st = fc_tokenizer_load(tname ? tname : name, datadir, &t, &sub);
	if (st == FC_OK)
		st = fc_tokenizer_count_file(t, path, &count, &sub);
	if (st == FC_EINVAL || st == FC_EIO)
		fc_error(d, fc_ynode_get(n, t == NULL ? "tokenizer" : "prompt")->loc,
		    "%s: %s", sub.n ? (sub.v[0].loc.file ? sub.v[0].loc.file : path) : path,
		    sub.n ? sub.v[0].msg : "cannot be read");
	fc_diags_free(&sub);
	if (st != FC_OK)
		goto out;
	/* the prompt's tokens before the user's part: a constant stays one */
	*out = plus;
	if (out->kind == FC_DIST_CONST)
		out->p[0] += (double)count;
	else
		out->shift += (double)count;
	out->loc = n->loc;
	out->lo = 0;
	out->hi = hi;
	if (fc_num_mean(out) > hi)
		st = fc_error(d, fc_ynode_get(n, "prompt")->loc,
		    "%s is %zu tokens: with the user's part, above the %g allowed", path, count, hi);
out:
	fc_tokenizer_free(t);
	fc_free(tname);
	fc_free(path);
	fc_free(file);
	fc_free(name);
	return st;
}
