/* test_server.c: the discovery replies of Ollama and OpenAI-compatible
 * servers (model/server.c), from bodies as those servers send them, and
 * bodies that are wrong in every way a server can get them wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "server.h"

#define NEAR(a, b) assert_true(((a) - (b)) < 1e-9 && ((b) - (a)) < 1e-9)
#define B(s) (s), strlen(s)

static void
test_ollama_version(void **state)
{
	char v[16];

	(void)state;
	assert_int_equal(fc_server_ollama_version(B("{\"version\":\"0.5.7\"}"), v,
	    sizeof(v)), 1);
	assert_string_equal(v, "0.5.7");
	/* an Ollama reply whose version is not a string: still Ollama */
	assert_int_equal(fc_server_ollama_version(B("{\"version\":7}"), v, sizeof(v)), 1);
	assert_string_equal(v, "");
	/* truncated to the buffer, NUL-terminated */
	assert_int_equal(fc_server_ollama_version(
	    B("{\"version\":\"0123456789abcdefghij\"}"), v, sizeof(v)), 1);
	assert_string_equal(v, "0123456789abcde");
	/* llama-server answers 404 with an error object; or HTML; or nothing */
	assert_int_equal(fc_server_ollama_version(
	    B("{\"error\":{\"code\":404,\"message\":\"File Not Found\"}}"), v, sizeof(v)), 0);
	assert_int_equal(fc_server_ollama_version(B("<html>404</html>"), v, sizeof(v)), 0);
	assert_int_equal(fc_server_ollama_version(NULL, 0, v, sizeof(v)), 0);
	assert_int_equal(fc_server_ollama_version(B("[\"version\"]"), v, sizeof(v)), 0);
}

static const char show[] =
    "{\"license\":\"x\",\"modelfile\":\"FROM x\","
    "\"parameters\":\"num_ctx                        4096\\n"
    "num_thread                     8\\nstop \\\"<|im_end|>\\\"\","
    "\"details\":{\"format\":\"gguf\",\"parameter_size\":\"7.6B\","
    "\"quantization_level\":\"Q4_K_M\"},"
    "\"model_info\":{\"general.architecture\":\"qwen2\","
    "\"general.parameter_count\":7615616512}}";

static void
test_ollama_show(void **state)
{
	struct fc_server_info si;

	(void)state;
	memset(&si, 0, sizeof(si));
	fc_server_ollama_show(B(show), &si);
	NEAR(si.params_b, 7.615616512);
	assert_string_equal(si.quant, "Q4_K_M");
	assert_int_equal(si.threads, 8);

	/* implausible figures are not figures: the fields stay as they were */
	memset(&si, 0, sizeof(si));
	si.threads = 3;
	fc_server_ollama_show(B("{\"model_info\":{\"general.parameter_count\":-5},"
	    "\"parameters\":\"num_thread 99999999999999999999\","
	    "\"details\":{\"quantization_level\":4}}"), &si);
	NEAR(si.params_b, 0);
	assert_int_equal(si.threads, 3);
	assert_string_equal(si.quant, "");
	fc_server_ollama_show(B("{\"model_info\":{\"general.parameter_count\":1e300},"
	    "\"parameters\":\"num_threads 4 num_thread\"}"), &si);
	NEAR(si.params_b, 0);
	assert_int_equal(si.threads, 3);
	fc_server_ollama_show(B("not json"), &si);
	fc_server_ollama_show(B("[1,2]"), &si);
	assert_int_equal(si.threads, 3);
}

/* model_info's GGUF metadata, as Ollama 0.5 sends it for qwen2.5:7b:
 * the KV cache per token follows (2 x 28 layers x 4 KV heads x 128 x 2) */
static void
test_ollama_show_shape(void **state)
{
	struct fc_server_info si;

	(void)state;
	memset(&si, 0, sizeof(si));
	fc_server_ollama_show(B("{\"model_info\":{\"general.architecture\":\"qwen2\","
	    "\"general.parameter_count\":7615616512,\"qwen2.block_count\":28,"
	    "\"qwen2.attention.head_count\":28,\"qwen2.attention.head_count_kv\":4,"
	    "\"qwen2.embedding_length\":3584,\"qwen2.context_length\":32768}}"), &si);
	NEAR(si.kv_bytes_per_token, 2.0 * 28 * 4 * 128 * 2);
	assert_int_equal(si.context_length, 32768);
	/* key_length, when given, is the head size */
	memset(&si, 0, sizeof(si));
	fc_server_ollama_show(B("{\"model_info\":{\"general.architecture\":\"gemma3\","
	    "\"gemma3.block_count\":34,\"gemma3.attention.head_count\":8,"
	    "\"gemma3.attention.head_count_kv\":4,\"gemma3.attention.key_length\":256,"
	    "\"gemma3.embedding_length\":2560}}"), &si);
	NEAR(si.kv_bytes_per_token, 2.0 * 34 * 4 * 256 * 2);
	/* no shape: nothing */
	memset(&si, 0, sizeof(si));
	fc_server_ollama_show(B("{\"model_info\":{\"general.architecture\":\"llama\"}}"), &si);
	NEAR(si.kv_bytes_per_token, 0);
}

static void
test_ollama_tags(void **state)
{
	static const char tags[] =
	    "{\"models\":[{\"name\":\"llama3.2:latest\",\"size\":2019393189},"
	    "{\"name\":\"qwen2.5:7b\",\"size\":4683087332},"
	    "{\"name\":\"qwen2.5:7b-instruct\",\"size\":1}]}";
	struct fc_server_info si;

	(void)state;
	memset(&si, 0, sizeof(si));
	fc_server_ollama_tags(B(tags), "qwen2.5:7b", &si);
	NEAR(si.weights_gb, 4.683087332);
	/* a name without a tag means :latest */
	memset(&si, 0, sizeof(si));
	fc_server_ollama_tags(B(tags), "llama3.2", &si);
	NEAR(si.weights_gb, 2.019393189);
	/* a prefix of a longer name is not the model */
	memset(&si, 0, sizeof(si));
	fc_server_ollama_tags(B(tags), "qwen2.5", &si);
	NEAR(si.weights_gb, 0);
	fc_server_ollama_tags(B("{\"models\":{\"name\":\"qwen2.5\"}}"), "qwen2.5", &si);
	fc_server_ollama_tags(B("{\"models\":[null,1,{\"name\":null}]}"), "qwen2.5", &si);
	NEAR(si.weights_gb, 0);
}

static void
test_openai_models(void **state)
{
	static const char one[] =
	    "{\"object\":\"list\",\"data\":[{\"id\":\"/models/synth.gguf\","
	    "\"object\":\"model\",\"owned_by\":\"llamacpp\","
	    "\"meta\":{\"n_params\":25000000,\"size\":14000000}}]}";
	static const char two[] =
	    "{\"data\":[{\"id\":\"a\"},{\"id\":\"b\",\"owned_by\":\"vllm\","
	    "\"meta\":{\"n_params\":8e9}}]}";
	struct fc_server_info si;
	char others[16];

	(void)state;
	memset(&si, 0, sizeof(si));
	assert_int_equal(fc_server_openai_models(B(one), "/models/synth.gguf", &si,
	    others, sizeof(others)), FC_LIST_FOUND);
	NEAR(si.params_b, 0.025);
	NEAR(si.weights_gb, 0.014);
	assert_string_equal(si.engine, "llamacpp");
	assert_string_equal(others, "");

	/* llama-server's one model, asked for under another name */
	memset(&si, 0, sizeof(si));
	assert_int_equal(fc_server_openai_models(B(one), "synth", &si,
	    others, sizeof(others)), FC_LIST_ONLY);
	NEAR(si.params_b, 0.025);
	assert_string_equal(others, "'/models/synth.");

	memset(&si, 0, sizeof(si));
	assert_int_equal(fc_server_openai_models(B(two), "b", &si,
	    others, sizeof(others)), FC_LIST_FOUND);
	NEAR(si.params_b, 8);
	assert_string_equal(si.engine, "vllm");
	assert_string_equal(others, "'a'");

	memset(&si, 0, sizeof(si));
	assert_int_equal(fc_server_openai_models(B(two), "c", &si,
	    others, sizeof(others)), FC_LIST_ABSENT);
	assert_string_equal(others, "'a', 'b'");
	NEAR(si.params_b, 0);

	assert_int_equal(fc_server_openai_models(B("{\"data\":[]}"), "c", &si,
	    others, sizeof(others)), FC_LIST_NONE);
	assert_int_equal(fc_server_openai_models(B("Not Found"), "c", &si,
	    others, sizeof(others)), FC_LIST_NONE);
	assert_int_equal(fc_server_openai_models(B("{\"data\":[{\"id\":5}]}"), "c",
	    &si, others, sizeof(others)), FC_LIST_ABSENT);
	assert_string_equal(others, "");
}

static void
test_llamacpp_props(void **state)
{
	struct fc_server_info si;

	(void)state;
	memset(&si, 0, sizeof(si));
	fc_server_llamacpp_props(B("{\"total_slots\":4,\"build_info\":\"b4500-abc\","
	    "\"n_threads\":2}"), &si);
	assert_string_equal(si.engine, "llama.cpp (b4500-abc)");
	assert_int_equal(si.threads, 2);
	assert_string_equal(si.model_path, "");
	fc_server_llamacpp_props(B("{\"model_path\":\"/models/ft-Q4_K_M.gguf\"}"), &si);
	assert_string_equal(si.model_path, "/models/ft-Q4_K_M.gguf");
	fc_server_llamacpp_props(B("{\"n_threads\":0}"), &si);
	fc_server_llamacpp_props(B("{\"n_threads\":1e3}"), &si);
	fc_server_llamacpp_props(B("{\"n_threads\":9223372036854775807}"), &si);
	assert_int_equal(si.threads, 2);
	fc_server_llamacpp_props(NULL, 0, &si);
	assert_string_equal(si.engine, "llama.cpp (b4500-abc)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ollama_version),
		cmocka_unit_test(test_ollama_show),
		cmocka_unit_test(test_ollama_show_shape),
		cmocka_unit_test(test_ollama_tags),
		cmocka_unit_test(test_openai_models),
		cmocka_unit_test(test_llamacpp_props),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
