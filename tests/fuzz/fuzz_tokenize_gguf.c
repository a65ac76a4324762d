/*
 * fuzz_tokenize_gguf.c: a GGUF file's tokenizer ("gguf:FILE",
 * model/tokenize_gguf.c): the input is written to a file and loaded as a
 * tokenizer (the GGUF reader, then tokenizer.ggml.* walked: tokens, types,
 * scores, merges, user-defined tokens); a tokenizer that loads counts a
 * fixed text of every kind (letters, digits, CJK, emoji, whitespace runs,
 * contractions, invalid UTF-8) and the input's own last 256 bytes.
 */
#include <stdio.h>
#include <unistd.h>

#include "fuzz.h"
#include "tokenize.h"
#include "tokenize_int.h"

static char path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "/tmp/fuzz_tokenize_gguf.%ld.gguf", (long)getpid());
	fc_tokenizer_set_cache_dir(NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char text[] = "Hello, World! it's 12345 \xe5\xa4\xa7\xe5\x9e\x8b "
	    "\xf0\x9f\xa4\x96   \n\n\t x<tool_call>y \xff\xfe\xc3 end";
	struct fc_tokenizer *t = NULL;
	struct fc_diags d;
	char name[80];
	uint32_t ids[64];
	size_t n;
	FILE *f;

	if (size > (1u << 20))
		return -1;
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	if (fwrite(data, 1, size, f) != size) {
		fclose(f);
		return 0;
	}
	fclose(f);
	snprintf(name, sizeof(name), "gguf:%s", path);
	fc_diags_init(&d);
	if (fc_tokenizer_load(name, "data", &t, &d) == FC_OK) {
		fc_tokenizer_count(t, text, sizeof(text) - 1, &n, ids, 64);
		fc_tokenizer_count(t, (const char *)data + (size > 256 ? size - 256 : 0),
		    size > 256 ? 256 : size, &n, NULL, 0);
		fc_tokenizer_free(t);
	}
	fc_diags_free(&d);
	/* the next input is a new file, not this one shared */
	fc_tokenizer_forget_shared();
	unlink(path);
	return 0;
}
