/*
 * server.c: the discovery replies of inference servers (server.h).
 *
 * Every reader loads the body with jansson, takes the members it knows
 * when they have the right type and a plausible value, and leaves the
 * rest of struct fc_server_info alone.  Plausible: a parameter count
 * under 10^15, a weights size under 10^15 bytes, 1 to 65536 threads;
 * anything else is a server's mistake, not a figure to simulate with.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define MAX_COUNT 1e15
#define MAX_THREADS 65536

static json_t *
load(const char *body, size_t len)
{
	if (body == NULL || len == 0)
		return NULL;
	return json_loadb(body, len, 0, NULL);
}

static void
copy(char *dst, size_t n, const char *src)
{
	if (n > 0 && src != NULL)
		snprintf(dst, n, "%s", src);
}

/* A positive, finite count under MAX_COUNT, or 0. */
static double
count(json_t *v)
{
	double x;

	if (!json_is_number(v))
		return 0;
	x = json_number_value(v);
	return isfinite(x) && x > 0 && x < MAX_COUNT ? x : 0;
}

int
fc_server_ollama_version(const char *body, size_t len, char *ver, size_t verlen)
{
	json_t *j = load(body, len), *v;
	int ok = 0;

	if (verlen > 0)
		ver[0] = '\0';
	if (json_is_object(j) && (v = json_object_get(j, "version")) != NULL) {
		ok = 1;
		if (json_is_string(v))
			copy(ver, verlen, json_string_value(v));
	}
	json_decref(j);
	return ok;
}

/* "num_thread    8" in the Modelfile parameters text */
static long
num_thread(const char *params)
{
	const char *p = params;
	char *end;
	long t;

	while ((p = strstr(p, "num_thread")) != NULL) {
		p += strlen("num_thread");
		if (*p != ' ' && *p != '\t')
			continue;
		errno = 0;
		t = strtol(p, &end, 10);
		if (end != p && errno == 0 && t > 0 && t <= MAX_THREADS)
			return t;
	}
	return 0;
}

/* model_info's "{arch}.KEY" as a count, or 0. */
static double
arch_num(json_t *mi, const char *arch, const char *key)
{
	char k[160];

	snprintf(k, sizeof(k), "%s.%s", arch, key);
	return count(json_object_get(mi, k));
}

/* The KV cache per token from Ollama's model_info (GGUF metadata). */
static void
shape(json_t *mi, struct fc_server_info *si)
{
	const char *arch = json_string_value(json_object_get(mi,
	    "general.architecture"));
	double layers, heads, kvh, hd, embd;

	if (arch == NULL || strlen(arch) > 100)
		return;
	layers = arch_num(mi, arch, "block_count");
	heads = arch_num(mi, arch, "attention.head_count");
	kvh = arch_num(mi, arch, "attention.head_count_kv");
	embd = arch_num(mi, arch, "embedding_length");
	hd = arch_num(mi, arch, "attention.key_length");
	if (kvh <= 0)
		kvh = heads;
	if (hd <= 0 && heads > 0)
		hd = floor(embd / heads);
	if (layers > 0 && kvh > 0 && hd > 0)
		si->kv_bytes_per_token = 2 * layers * kvh * hd * 2;
	if (arch_num(mi, arch, "context_length") > 0)
		si->context_length = (long)arch_num(mi, arch, "context_length");
}

void
fc_server_ollama_show(const char *body, size_t len, struct fc_server_info *si)
{
	json_t *j = load(body, len), *v;
	double x;
	long t;

	if (!json_is_object(j)) {
		json_decref(j);
		return;
	}
	v = json_object_get(json_object_get(j, "model_info"),
	    "general.parameter_count");
	if ((x = count(v)) > 0)
		si->params_b = x / 1e9;
	shape(json_object_get(j, "model_info"), si);
	v = json_object_get(json_object_get(j, "details"), "quantization_level");
	if (json_is_string(v))
		copy(si->quant, sizeof(si->quant), json_string_value(v));
	v = json_object_get(j, "parameters");
	if (json_is_string(v) && (t = num_thread(json_string_value(v))) > 0)
		si->threads = t;
	json_decref(j);
}

void
fc_server_ollama_tags(const char *body, size_t len, const char *model,
    struct fc_server_info *si)
{
	json_t *j = load(body, len), *ms, *m;
	size_t i, ml = strlen(model);
	const char *nm;
	double x;

	ms = json_object_get(j, "models");
	for (i = 0; i < json_array_size(ms); i++) {
		m = json_array_get(ms, i);
		nm = json_string_value(json_object_get(m, "name"));
		if (nm == NULL || !(strcmp(nm, model) == 0 ||
		    (strncmp(nm, model, ml) == 0 && strcmp(nm + ml, ":latest") == 0)))
			continue;
		if ((x = count(json_object_get(m, "size"))) > 0)
			si->weights_gb = x / 1e9;
	}
	json_decref(j);
}

enum fc_server_listing
fc_server_openai_models(const char *body, size_t len, const char *model,
    struct fc_server_info *si, char *others, size_t otherslen)
{
	json_t *j = load(body, len), *data, *m, *meta, *v;
	enum fc_server_listing res = FC_LIST_NONE;
	const char *id;
	size_t i, l, n;
	double x;
	int only;

	if (otherslen > 0)
		others[0] = '\0';
	data = json_object_get(j, "data");
	if ((n = json_array_size(data)) == 0) {
		json_decref(j);
		return FC_LIST_NONE;
	}
	only = n == 1;
	res = FC_LIST_ABSENT;
	for (i = 0; i < n; i++) {
		m = json_array_get(data, i);
		if ((id = json_string_value(json_object_get(m, "id"))) == NULL)
			continue;
		if (strcmp(id, model) != 0) {
			l = otherslen > 0 ? strlen(others) : 0;
			if (l + 1 < otherslen)
				snprintf(others + l, otherslen - l, "%s'%s'",
				    l ? ", " : "", id);
			if (!only)
				continue;
			res = FC_LIST_ONLY;
		} else {
			res = FC_LIST_FOUND;
		}
		meta = json_object_get(m, "meta");
		if ((x = count(json_object_get(meta, "n_params"))) > 0)
			si->params_b = x / 1e9;
		if ((x = count(json_object_get(meta, "size"))) > 0)
			si->weights_gb = x / 1e9;
		if (json_is_string(v = json_object_get(m, "owned_by")))
			copy(si->engine, sizeof(si->engine), json_string_value(v));
	}
	json_decref(j);
	return res;
}

void
fc_server_llamacpp_props(const char *body, size_t len, struct fc_server_info *si)
{
	json_t *j = load(body, len), *v;

	if (json_is_string(v = json_object_get(j, "build_info")))
		snprintf(si->engine, sizeof(si->engine), "llama.cpp (%s)",
		    json_string_value(v));
	v = json_object_get(j, "n_threads");
	if (json_is_integer(v) && json_integer_value(v) > 0 &&
	    json_integer_value(v) <= MAX_THREADS)
		si->threads = (long)json_integer_value(v);
	if (json_is_string(v = json_object_get(j, "model_path")))
		copy(si->model_path, sizeof(si->model_path), json_string_value(v));
	json_decref(j);
}
