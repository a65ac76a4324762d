/*
 * fuzz_server.c: the JSON bodies `flatcost bench` reads from a server's
 * discovery endpoints before it measures (model/server.c): Ollama's
 * /api/version, /api/show and /api/tags, and the OpenAI-compatible
 * /v1/models and llama.cpp's /props.
 *
 * Input: byte 0 picks the reader; the bytes up to the first newline name
 * the model asked for (at most 64); the rest is the body.  Whatever the
 * body, every string field stays NUL-terminated and every figure is
 * either unknown (0) or positive and finite.
 */
#include <math.h>

#include "fuzz.h"
#include "server.h"

static void
check(const struct fc_server_info *si)
{
	if (memchr(si->engine, '\0', sizeof(si->engine)) == NULL ||
	    memchr(si->quant, '\0', sizeof(si->quant)) == NULL ||
	    memchr(si->endpoint, '\0', sizeof(si->endpoint)) == NULL)
		abort();
	if (!(si->params_b >= 0 && isfinite(si->params_b)) ||
	    !(si->weights_gb >= 0 && isfinite(si->weights_gb)) ||
	    si->threads < 0 || si->threads > 65536)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fc_server_info si;
	char model[65], ver[128], others[64];
	const char *body, *nl;
	size_t n, len;
	int which;

	if (size < 1 || size > 65536)
		return -1;
	which = data[0] % 5;
	body = (const char *)data + 1;
	len = size - 1;
	nl = memchr(body, '\n', len < 64 ? len : 64);
	n = nl ? (size_t)(nl - body) : 0;
	memcpy(model, body, n);
	model[n] = '\0';
	if (nl) {
		body = nl + 1;
		len -= n + 1;
	}
	memset(&si, 0, sizeof(si));
	switch (which) {
	case 0:
		(void)fc_server_ollama_version(body, len, ver, sizeof(ver));
		if (memchr(ver, '\0', sizeof(ver)) == NULL)
			abort();
		break;
	case 1:
		fc_server_ollama_show(body, len, &si);
		break;
	case 2:
		fc_server_ollama_tags(body, len, model, &si);
		break;
	case 3:
		switch (fc_server_openai_models(body, len, model, &si, others,
		    sizeof(others))) {
		case FC_LIST_NONE:
		case FC_LIST_FOUND:
		case FC_LIST_ONLY:
		case FC_LIST_ABSENT:
			break;
		default:
			abort();
		}
		if (memchr(others, '\0', sizeof(others)) == NULL)
			abort();
		break;
	default:
		fc_server_llamacpp_props(body, len, &si);
		break;
	}
	check(&si);
	return 0;
}
