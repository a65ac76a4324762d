/*
 * bench_http.c: what `flatcost bench` asks a server before measuring it
 * (blocking HTTP: the API, the model, its size and shape; model/server.c
 * reads the replies), and the model's size from --gguf, --like or the
 * options.
 */
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_int.h"
#include "benchstat.h"
#include "cli.h"
#include "data.h"
#include "harness.h"
#include "modelref.h"
#include "probe.h"
#include "rng.h"
#include "server.h"
#include "stream.h"
#include "ynode.h"

/* ---- blocking HTTP for discovery ---- */


size_t
bench_membuf_write(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct membuf *b = ud;
	size_t len = size * nmemb;

	if (b->n + len > b->max) {
		b->over = 1;
		return 0;
	}
	if (b->n + len + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 4096;
		char *np;

		while (ncap < b->n + len + 1)
			ncap *= 2;
		np = fc_realloc(b->p, ncap);
		if (np == NULL)
			return 0;
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->n, ptr, len);
	b->n += len;
	b->p[b->n] = '\0';
	return len;
}

struct http_res {
	long status;              /* 0: no HTTP response */
	CURLcode code;
	char err[CURL_ERROR_SIZE];
	struct membuf body;
	char server[128];         /* the Server header */
};

static size_t
header_cb(char *buf, size_t size, size_t nitems, void *ud)
{
	struct http_res *r = ud;
	size_t len = size * nitems;

	if (len > 8 && strncasecmp(buf, "server:", 7) == 0) {
		size_t i = 7, k = 0;
		while (i < len && buf[i] == ' ')
			i++;
		while (i < len && buf[i] != '\r' && buf[i] != '\n' &&
		    k + 1 < sizeof(r->server))
			r->server[k++] = buf[i++];
		r->server[k] = '\0';
	}
	return len;
}

/* GET (body NULL) or POST a JSON body; returns the curl code. */
static CURLcode
http_call(const struct opts *o, const char *path, const char *body,
    struct http_res *r)
{
	char url[2048];
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;

	memset(r, 0, sizeof(*r));
	r->body.max = 16u << 20;
	if (h == NULL) {
		r->code = CURLE_OUT_OF_MEMORY;
		return r->code;
	}
	snprintf(url, sizeof(url), "%s%s", o->base, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->err);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, bench_membuf_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)(o->timeout * 1000));
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(o->timeout * 1000));
	curl_easy_setopt(h, CURLOPT_USERAGENT, "flatcost-bench/" FC_VERSION);
	if (o->auth)
		hdr = curl_slist_append(hdr, o->auth);
	if (body != NULL) {
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	}
	if (hdr != NULL)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	r->code = curl_easy_perform(h);
	if (r->code == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	if (r->err[0] == '\0')
		snprintf(r->err, sizeof(r->err), "%s", curl_easy_strerror(r->code));
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return r->code;
}

static void
http_res_free(struct http_res *r)
{
	fc_free(r->body.p);
	r->body.p = NULL;
}

/* ---- what the server says about itself (model/server.c reads it) ---- */

static int
connect_failure(const struct opts *o, const struct http_res *r)
{
	/* it did connect: what came back was too big to be a reply about the
	 * server */
	if (r->body.over)
		cli_err("bench: %s sent a reply larger than %zu MiB, which no inference "
		    "server sends here; is --url right?", o->base, r->body.max >> 20);
	else
		cli_err("bench: cannot connect to %s: %s", o->base, r->err);
	return EXIT_RUNTIME;
}

/* The body of a 200 reply, else NULL (0 bytes). */
static const char *
ok_body(const struct http_res *r, size_t *len)
{
	*len = 0;
	if (r->code != CURLE_OK || r->status != 200 || r->body.p == NULL)
		return NULL;
	*len = r->body.n;
	return r->body.p;
}

int
bench_discover_ollama(const struct opts *o, struct fc_server_info *si)
{
	struct http_res r;
	json_t *body;
	const char *b;
	char *req, ver[128];
	size_t n;

	if (http_call(o, "/api/version", NULL, &r) != CURLE_OK) {
		http_res_free(&r);
		return connect_failure(o, &r);
	}
	b = ok_body(&r, &n);
	if (fc_server_ollama_version(b, n, ver, sizeof(ver)) && ver[0])
		snprintf(si->engine, sizeof(si->engine), "ollama %s", ver);
	else
		snprintf(si->engine, sizeof(si->engine), "ollama%s%s",
		    r.server[0] ? " " : "", r.server);
	http_res_free(&r);

	body = json_pack("{s:s}", "model", o->model);
	req = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (req == NULL)
		return cli_oom();
	if (http_call(o, "/api/show", req, &r) != CURLE_OK) {
		free(req);
		http_res_free(&r);
		return connect_failure(o, &r);
	}
	free(req);
	if (r.status == 404 || r.status == 400) {
		char msg[256];

		fc_stream_error_text(r.body.p ? r.body.p : "", r.body.n, msg, sizeof(msg));
		cli_err("bench: the server does not know model '%s' (HTTP %ld: %s)",
		    o->model, r.status, msg);
		http_res_free(&r);
		return EXIT_RUNTIME;
	}
	b = ok_body(&r, &n);
	fc_server_ollama_show(b, n, si);
	http_res_free(&r);

	if (http_call(o, "/api/tags", NULL, &r) == CURLE_OK) {
		b = ok_body(&r, &n);
		fc_server_ollama_tags(b, n, o->model, si);
	}
	http_res_free(&r);
	snprintf(si->endpoint, sizeof(si->endpoint), "%s",
	    o->chat ? "/api/chat" : "/api/generate");
	return EXIT_OK;
}

int
bench_discover_openai(const struct opts *o, struct fc_server_info *si)
{
	struct http_res r;
	const char *b;
	char others[256];
	size_t n;

	if (http_call(o, "/v1/models", NULL, &r) != CURLE_OK) {
		http_res_free(&r);
		return connect_failure(o, &r);
	}
	b = ok_body(&r, &n);
	switch (fc_server_openai_models(b, n, o->model, si, others, sizeof(others))) {
	case FC_LIST_ONLY:
		cli_warn("bench: the server serves one model, %s; measuring it "
		    "as '%s'", others, o->model);
		break;
	case FC_LIST_ABSENT:
		cli_warn("bench: the server lists no model '%s' (it has %s); "
		    "requests will tell", o->model, others);
		break;
	default:
		break;
	}
	if (r.server[0] && si->engine[0] == '\0')
		snprintf(si->engine, sizeof(si->engine), "%s", r.server);
	http_res_free(&r);

	/* llama.cpp's server describes its build and threads at /props */
	if (http_call(o, "/props", NULL, &r) == CURLE_OK) {
		b = ok_body(&r, &n);
		fc_server_llamacpp_props(b, n, si);
	}
	http_res_free(&r);
	if (si->engine[0] == '\0')
		snprintf(si->engine, sizeof(si->engine), "OpenAI-compatible server");
	snprintf(si->endpoint, sizeof(si->endpoint), "%s",
	    o->chat ? "/v1/chat/completions" : "/v1/completions");
	return EXIT_OK;
}

/* Picks the API when not given: Ollama answers /api/version. */
int
bench_detect_api(struct opts *o)
{
	struct http_res r;
	const char *b;
	char ver[128];
	size_t n;

	if (http_call(o, "/api/version", NULL, &r) != CURLE_OK) {
		int rc = connect_failure(o, &r);
		http_res_free(&r);
		return rc;
	}
	b = ok_body(&r, &n);
	o->api = fc_server_ollama_version(b, n, ver, sizeof(ver)) ?
	    API_OLLAMA : API_OPENAI;
	http_res_free(&r);
	return EXIT_OK;
}

/* Sizes from --params-b/--weights-gb, else --like, when the server gave none. */
/* --gguf FILE: the served model's shape from its header. */
int
bench_gguf_shape(const char *path, struct fc_server_info *si)
{
	struct fc_diags d;
	struct fc_model m;
	struct fc_loc loc = { "--gguf", 1, 1, 0 };
	enum fc_quant q;
	enum fc_status st;
	int known;

	fc_diags_init(&d);
	st = fc_modelref_from_gguf(path, loc, &m, &q, &known, &d);
	cli_print_diags(&d);
	fc_diags_free(&d);
	if (st == FC_ENOMEM)
		return cli_oom();
	if (st != FC_OK)
		return EXIT_USAGE;
	si->params_b = m.params_b;
	si->weights_gb = m.weights_gb[q];
	si->kv_bytes_per_token = m.kv_bytes_per_token;
	si->active_params_b = m.active_params_b;
	si->context_length = m.context_length;
	if (known)
		snprintf(si->quant, sizeof(si->quant), "%s", fc_quant_names[q]);
	fc_model_clear(&m);
	return EXIT_OK;
}

int
bench_fill_sizes(const struct opts *o, struct fc_server_info *si)
{
	int grc;

	if (o->gguf && (grc = bench_gguf_shape(o->gguf, si)) != EXIT_OK)
		return grc;
	if (o->params_b > 0)
		si->params_b = o->params_b;
	if (o->weights_gb > 0)
		si->weights_gb = o->weights_gb;
	if (o->like && (si->params_b <= 0 || si->weights_gb <= 0 ||
	    si->kv_bytes_per_token <= 0)) {
		char path[4096];
		struct fc_diags d;
		struct fc_ynode *root = NULL;
		struct fc_probe_model *ms = NULL;
		const struct fc_probe_model *m;
		size_t n = 0;
		int rc = EXIT_OK, qi;

		fc_diags_init(&d);
		snprintf(path, sizeof(path), "%s/models.yaml", cli_data_dir());
		if (fc_ynode_load_file(path, &root, &d) != FC_OK ||
		    fc_probe_models(root, &ms, &n, &d) != FC_OK) {
			cli_print_diags(&d);
			rc = EXIT_RUNTIME;
		} else if ((m = fc_probe_model_find(ms, n, o->like)) == NULL) {
			rc = cli_usage_error(CMD, "--like: unknown model '%s'", o->like);
		} else {
			if (si->params_b <= 0)
				si->params_b = m->params_b;
			qi = fc_quant_index(si->quant[0] ? si->quant : "q4_k_m");
			if (qi < 0) {
				char lower[32];
				size_t i;

				for (i = 0; si->quant[i] && i + 1 < sizeof(lower); i++)
					lower[i] = (char)((si->quant[i] >= 'A' &&
					    si->quant[i] <= 'Z') ? si->quant[i] + 32 : si->quant[i]);
				lower[i] = '\0';
				qi = fc_quant_index(lower);
			}
			if (si->weights_gb <= 0)
				si->weights_gb = m->weights_gb[qi >= 0 ? qi : o->quant];
			if (si->kv_bytes_per_token <= 0)
				si->kv_bytes_per_token = m->kv_bytes_per_token;
		}
		fc_free(ms);
		fc_ynode_free(root);
		fc_diags_free(&d);
		if (rc != EXIT_OK)
			return rc;
	}
	return EXIT_OK;
}
