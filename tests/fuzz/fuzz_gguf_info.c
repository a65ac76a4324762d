/*
 * fuzz_gguf_info.c: GGUF files read back (fc_gguf_info_parse: header,
 * metadata, tensor table), with two kinds of input:
 *   - bytes starting with "GGUF" (or anything else): parsed as a file;
 *   - byte 0 == 0xff: bytes 1..9 give a small shape and format, which is
 *     checked, written with fc_gguf_write to memory and parsed back; the
 *     written size must be fc_gguf_file_size() and the file must parse.
 */
#include <stdio.h>

#include "fuzz.h"
#include "gguf.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void
round_trip(const uint8_t *p)
{
	static const enum fc_gguf_type types[] = { FC_GGUF_Q4_0, FC_GGUF_Q8_0, FC_GGUF_F16 };
	struct fc_gguf_shape s;
	struct fc_gguf_info *g = NULL;
	struct fc_diags d;
	enum fc_gguf_type t = types[p[0] % 3];
	char *buf = NULL;
	size_t len = 0;
	uint64_t want;
	FILE *f;

	memset(&s, 0, sizeof(s));
	s.layers = 1 + p[1] % 3;
	s.embd = 8u * (1 + p[2] % 16);
	s.ff = 8u * (1 + p[3] % 32);
	s.heads = 1 + p[4] % 8;
	s.kv_heads = p[5] % 9;
	s.head_dim = p[6] % 2 ? 0 : 2u * (1 + p[6] % 32);
	s.vocab = FC_GGUF_MIN_VOCAB + p[7] % 64;
	s.context = p[8] % 2 ? 0 : 16u * (1 + p[8] % 64);
	fc_diags_init(&d);
	if (fc_gguf_shape_check(&s, t, &d) != FC_OK) {
		fuzz_check_diags(&d);
		fc_diags_free(&d);
		return;
	}
	want = fc_gguf_file_size(&s, t, "fuzz");
	if (want == 0 || want > (16u << 20)) {
		fc_diags_free(&d);
		return;
	}
	f = open_memstream(&buf, &len);
	if (f == NULL)
		abort();
	if (fc_gguf_write(f, &s, t, "fuzz", p[9], NULL, NULL) != FC_OK)
		abort();
	fclose(f);
	if (len != want)
		abort();
	if (fc_gguf_info_parse("fuzz.gguf", (const unsigned char *)buf, len, &g, &d) != FC_OK)
		abort();
	fc_gguf_info_free(g);
	free(buf);
	fc_diags_free(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fc_gguf_info *g = NULL;
	struct fc_diags d;

	if (size > (1u << 20))
		return -1;
	if (size >= 11 && data[0] == 0xff) {
		round_trip(data + 1);
		return 0;
	}
	fc_diags_init(&d);
	if (fc_gguf_info_parse("fuzz.gguf", data, size, &g, &d) == FC_OK) {
		uint64_t i;
		for (i = 0; i < g->n_tensors; i++)
			(void)strlen(g->tensors[i].name);
		for (i = 0; i < g->n_kv; i++)
			(void)strlen(g->kv[i].key);
	}
	fuzz_check_diags(&d);
	fc_gguf_info_free(g);
	fc_diags_free(&d);
	return 0;
}
