/*
 * cmd_tokens.c: `flatcost tokens FILE... --tokenizer T`: how many tokens
 * each file is for a model's tokenizer (model/tokenize.h: o200k_base,
 * cl100k_base, or gguf:MODEL.gguf, a model file's own), and the total.
 */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "report.h"
#include "tokenize.h"

enum {
	OPT_FORMAT = CLI_OPT_OWN, OPT_TOKENIZER,
};

const struct cli_opt cli_tokens_opts[] = {
	CLI_OPTF("tokenizer", OPT_TOKENIZER, "o200k_base|cl100k_base", "the tokenizer (required)",
	    CLI_OF_IN_HEAD),
	CLI_OPT("format", OPT_FORMAT, "table|json", "the output's format (default table)"),
	CLI_OPT("output", 'o', "FILE", "write the counts to FILE instead of standard output"),
	CLI_OPTS_END,
};

static int
print(FILE *f, int json, const char *name, char **files, const size_t *n, int nfiles)
{
	size_t total = 0;
	int i;

	for (i = 0; i < nfiles; i++)
		total += n[i];
	if (json) {
		json_t *o = json_object(), *arr = json_array();
		json_object_set_new(o, "flatcost_version", json_string(FC_VERSION));
		json_object_set_new(o, "format_version", json_integer(REPORT_JSON_FORMAT));
		json_object_set_new(o, "tokenizer", json_string(name));
		for (i = 0; i < nfiles; i++)
			json_array_append_new(arr, json_pack("{s:s, s:I}", "file", files[i],
			    "tokens", (json_int_t)n[i]));
		json_object_set_new(o, "files", arr);
		json_object_set_new(o, "total", json_integer((json_int_t)total));
		return fc_json_dump(f, o);
	}
	for (i = 0; i < nfiles; i++)
		fprintf(f, "%10zu  %s\n", n[i], files[i]);
	if (nfiles > 1)
		fprintf(f, "%10zu  total\n", total);
	return 0;
}

int
cmd_tokens(int argc, char **argv)
{
	struct cli_getopt g;
	const char *name = NULL, *out_path = NULL;
	struct fc_tokenizer *t = NULL;
	struct fc_diags d;
	struct cli_out out;
	enum fc_status st;
	size_t *n = NULL;
	int ch, json = 0, i, rc = EXIT_OK, nfiles, oom_said;

	cli_getopt_init(&g, cli_tokens_opts, argc, argv);
	while ((ch = cli_getopt(&g)) != -1) {
		switch (ch) {
		case OPT_FORMAT:
			if (strcmp(optarg, "table") != 0 && strcmp(optarg, "json") != 0)
				return cli_usage_error("tokens",
				    "--format: expected table or json, got '%s'", optarg);
			json = strcmp(optarg, "json") == 0;
			break;
		case OPT_TOKENIZER:
			name = optarg;
			break;
		case 'h':
			return cli_help("tokens");
		case 'o':
			out_path = optarg;
			break;
		default:
			return cli_bad_option("tokens", ch, argv);
		}
	}
	if (name == NULL)
		return cli_usage_error("tokens", "--tokenizer: expected o200k_base, cl100k_base or "
		    "gguf:MODEL.gguf");
	if (optind >= argc)
		return cli_usage_error("tokens", "no file given");
	nfiles = argc - optind;
	for (i = optind; i < argc; i++)
		if ((rc = cli_io_input(argv[i])) != EXIT_OK)
			return rc;
	if ((rc = cli_io_claim(NULL, 0, (const char *const[]){ out_path }, 1)) != EXIT_OK)
		return rc;
	fc_diags_init(&d);
	st = fc_tokenizer_load(name, cli_data_dir(), &t, &d);
	if (st == FC_OK && (n = fc_calloc((size_t)nfiles, sizeof(*n))) == NULL)
		st = FC_ENOMEM;
	for (i = 0; st == FC_OK && i < nfiles; i++)
		st = fc_tokenizer_count_file(t, argv[optind + i], &n[i], &d);
	cli_print_diags(&d);   /* says "out of memory" itself when d.oom */
	oom_said = d.oom;
	fc_diags_free(&d);
	if (st != FC_OK) {
		rc = st == FC_ENOMEM ? (oom_said ? EXIT_RUNTIME : cli_oom()) :
		    st == FC_EIO ? EXIT_RUNTIME : EXIT_USAGE;
		goto done;
	}
	memset(&out, 0, sizeof(out));
	if ((rc = out_open(&out, out_path)) != EXIT_OK)
		goto done;
	if (print(out.f, json, name, argv + optind, n, nfiles) != 0) {
		rc = out_fail(&out);
		goto done;
	}
	rc = out_commit(&out);
done:
	fc_free(n);
	fc_tokenizer_free(t);
	return rc;
}
