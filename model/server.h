/*
 * server.h: what an inference server says about itself, read from the
 * JSON bodies of its discovery endpoints before `flatcost bench` measures
 * it (the HTTP is cmd/'s business; these take the body as received):
 *
 *   Ollama:  GET /api/version, POST /api/show, GET /api/tags;
 *   OpenAI-compatible (llama.cpp's llama-server and others):
 *            GET /v1/models, GET /props (llama.cpp only).
 *
 * A body may be anything a server (or something posing as one) sends:
 * what is not JSON, or lacks a member, or has one of the wrong type or out
 * of range, is ignored and leaves the field as it was.  Strings are
 * truncated to their fields and always NUL-terminated.
 */
#ifndef FC_SERVER_H
#define FC_SERVER_H

#include <stddef.h>

struct fc_server_info {
	char engine[256];         /* "ollama 0.5.7", "llama.cpp (b1-abc)" */
	double params_b;          /* parameters, billions; 0: unknown */
	double weights_gb;        /* weights file, GB; 0: unknown */
	long threads;             /* CPU threads the server uses; 0: unknown */
	char quant[32];           /* "Q4_K_M"; "" unknown */
	/* the model's shape (Ollama's model_info, --gguf, --like); 0 unknown */
	double kv_bytes_per_token;   /* f16 KV cache, bytes per token */
	double active_params_b;      /* mixture of experts: billions a token uses */
	long context_length;
	char model_path[1024];    /* llama-server's /props: the GGUF it serves; "" */
	char endpoint[64];        /* the generation path measured */
};

/* /api/version: copies "version" to ver and returns 1 when the body is an
 * Ollama version reply, else 0 (ver = ""). */
int fc_server_ollama_version(const char *body, size_t len, char *ver,
    size_t verlen);
/* /api/show: parameter count, quantization, num_thread, and from
 * model_info (the GGUF metadata) the f16 KV bytes per token, 2 x
 * {arch}.block_count x attention.head_count_kv (else head_count) x
 * attention.key_length (else embedding_length / head_count) x 2 bytes,
 * and the context length.  Active parameters are not derived: Ollama
 * does not list the tensors the experts hold. */
void fc_server_ollama_show(const char *body, size_t len,
    struct fc_server_info *si);
/* /api/tags: the weights size of model (or model:latest). */
void fc_server_ollama_tags(const char *body, size_t len, const char *model,
    struct fc_server_info *si);

enum fc_server_listing {
	FC_LIST_NONE,     /* no model list in the body */
	FC_LIST_FOUND,    /* model is listed */
	FC_LIST_ONLY,     /* one model listed under another name (llama-server
	                     serves its one model whatever a request names) */
	FC_LIST_ABSENT,   /* models listed, none of them model */
};

/* /v1/models: sizes and owner of model; the ids listed otherwise go to
 * others ("'a', 'b'", truncated), the single id for FC_LIST_ONLY too. */
enum fc_server_listing fc_server_openai_models(const char *body, size_t len,
    const char *model, struct fc_server_info *si, char *others,
    size_t otherslen);
/* /props (llama.cpp): build, threads and the served file's path. */
void fc_server_llamacpp_props(const char *body, size_t len,
    struct fc_server_info *si);

#endif
