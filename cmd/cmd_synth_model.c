/*
 * cmd_synth_model.c: `flatcost synth-model`, a GGUF model with random
 * weights in the shape of a catalogue model (--like) or of explicit
 * dimensions, so that `flatcost bench` can measure a 70B-shaped model on a
 * rented box without downloading it.  The file format is model/gguf.c's.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gguf.h"
#include "probe.h"
#include "ynode.h"

#define CMD "synth-model"

enum {
	OPT_CONTEXT = 256, OPT_EMBD, OPT_FF, OPT_HEAD_DIM, OPT_HEADS,
	OPT_KV_HEADS, OPT_LAYERS, OPT_LIKE, OPT_NAME, OPT_QUANT, OPT_SEED,
	OPT_VOCAB,
};

const struct cli_opt cli_synth_model_opts[] = {
	CLI_OPTF("like", OPT_LIKE, "MODEL", "the shape of a catalog model", CLI_OF_IN_HEAD),
	CLI_OPTF("layers", OPT_LAYERS, "N", "transformer blocks", CLI_OF_IN_HEAD),
	CLI_OPTF("embd", OPT_EMBD, "N", "the embedding width", CLI_OF_IN_HEAD),
	CLI_OPTF("ff", OPT_FF, "N", "the feed-forward width", CLI_OF_IN_HEAD),
	CLI_OPTF("heads", OPT_HEADS, "N", "attention heads", CLI_OF_IN_HEAD),
	CLI_OPTF("vocab", OPT_VOCAB, "N", "the vocabulary's size", CLI_OF_IN_HEAD),
	CLI_OPT("kv-heads", OPT_KV_HEADS, "N", "key/value heads (default: --heads)"),
	CLI_OPT("head-dim", OPT_HEAD_DIM, "N", "a head's width (default: --embd / --heads)"),
	CLI_OPT("context", OPT_CONTEXT, "N", "the context length recorded"),
	CLI_OPT("quant", OPT_QUANT, "q4_0|q8_0|f16", "the weights' format (default q4_0)"),
	CLI_OPT("seed", OPT_SEED, "N", "the weights' random seed (default 1)"),
	CLI_OPT("name", OPT_NAME, "NAME", "the model's general.name"),
	CLI_OPTF("output", 'o', "FILE.gguf", "the model file to write (- for standard output)",
	    CLI_OF_IN_HEAD),
	CLI_OPTS_END,
};

struct progress {
	const char *path;
	int last_pct;     /* last percentage shown, -1 before the first */
	int shown;
};

static int
on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;
	int pct = total ? (int)(done * 100 / total) : 100;

	if (cli_interrupted)
		return 1;
	if (cli_progress_enabled() && pct != p->last_pct) {
		fprintf(stderr, "\rwriting %s: %3d%% (%.2f of %.2f GB)", p->path,
		    pct, (double)done / 1e9, (double)total / 1e9);
		p->last_pct = pct;
		p->shown = 1;
	}
	return 0;
}

/* Fills the shape from catalogue model `like`; returns an exit status. */
static int
shape_from_catalogue(const char *like, struct fc_gguf_shape *s,
    const char **vocab_src)
{
	char path[4096];
	struct fc_diags d;
	struct fc_ynode *root = NULL;
	struct fc_probe_model *models = NULL;
	const struct fc_probe_model *m;
	size_t n = 0, i;
	int rc = EXIT_OK;

	fc_diags_init(&d);
	snprintf(path, sizeof(path), "%s/models.yaml", cli_data_dir());
	if (fc_ynode_load_file(path, &root, &d) != FC_OK ||
	    fc_probe_models(root, &models, &n, &d) != FC_OK) {
		cli_print_diags(&d);
		rc = d.oom ? cli_oom() : EXIT_RUNTIME;
		goto out;
	}
	m = fc_probe_model_find(models, n, like);
	if (m == NULL) {
		const char **ids = fc_calloc(n ? n : 1, sizeof(*ids));
		const char *hint;

		if (ids == NULL) {
			rc = cli_oom();
			goto out;
		}
		for (i = 0; i < n; i++)
			ids[i] = models[i].id;
		hint = fc_suggest(like, ids, n);
		if (hint)
			rc = cli_usage_error(CMD, "--like: unknown model '%s' "
			    "(did you mean '%s'?)", like, hint);
		else
			rc = cli_usage_error(CMD, "--like: unknown model '%s' "
			    "(see `flatcost data models`)", like);
		fc_free(ids);
		goto out;
	}
	/* explicit options given before or after --like win */
	if (!s->layers) s->layers = fc_probe_model_uint(m, "layers");
	if (!s->embd) s->embd = fc_probe_model_uint(m, "embd");
	if (!s->ff) s->ff = fc_probe_model_uint(m, "ff");
	if (!s->heads) s->heads = fc_probe_model_uint(m, "heads");
	if (!s->kv_heads) s->kv_heads = fc_probe_model_uint(m, "kv_heads");
	if (!s->head_dim) s->head_dim = fc_probe_model_uint(m, "head_dim");
	if (!s->vocab) {
		s->vocab = fc_probe_model_uint(m, "vocab");
		*vocab_src = "catalogue";
	}
	if (!s->context) s->context = fc_probe_model_uint(m, "context_length");
	if (!s->layers || !s->embd || !s->ff || !s->heads || !s->vocab)
		rc = cli_usage_error(CMD, "--like %s: the catalogue entry lacks "
		    "layers, embd, ff, heads or vocab; give them as options", like);
out:
	fc_free(models);
	fc_ynode_free(root);
	fc_diags_free(&d);
	return rc;
}

static int
uint_arg(const char *opt, const char *s, long hi, uint64_t *out)
{
	long v;

	if (arg_long(CMD, opt, s, 1, hi, &v))
		return EXIT_USAGE;
	*out = (uint64_t)v;
	return 0;
}

/* The command line, as parse_args() read it. */
struct synth_args {
	struct fc_gguf_shape s;
	enum fc_gguf_type type;
	const char *like, *outpath, *name;
	long seed;
};

/* One shape option's value into a->s. */
static int
shape_opt(int c, const char *arg, struct synth_args *a)
{
	switch (c) {
	case OPT_CONTEXT: return uint_arg("--context", arg, 1L << 24, &a->s.context);
	case OPT_EMBD: return uint_arg("--embd", arg, 1L << 24, &a->s.embd);
	case OPT_FF: return uint_arg("--ff", arg, 1L << 24, &a->s.ff);
	case OPT_HEAD_DIM: return uint_arg("--head-dim", arg, 4096, &a->s.head_dim);
	case OPT_HEADS: return uint_arg("--heads", arg, 4096, &a->s.heads);
	case OPT_KV_HEADS: return uint_arg("--kv-heads", arg, 4096, &a->s.kv_heads);
	case OPT_LAYERS: return uint_arg("--layers", arg, 1024, &a->s.layers);
	case OPT_VOCAB: return uint_arg("--vocab", arg, 1L << 24, &a->s.vocab);
	}
	return -1;
}

/* Reads the command line; returns 0, -1 after --help, or an exit status. */
static int
parse_args(int argc, char **argv, struct synth_args *a)
{
	struct cli_getopt g;
	int c;

	memset(a, 0, sizeof(*a));
	a->type = FC_GGUF_Q4_0;
	a->seed = 1;
	cli_getopt_init(&g, cli_synth_model_opts, argc, argv);
	while ((c = cli_getopt(&g)) != -1) {
		switch (c) {
		case 'h':
			cli_help(CMD);
			return -1;
		case 'o': a->outpath = optarg; break;
		case OPT_LIKE: a->like = optarg; break;
		case OPT_NAME: a->name = optarg; break;
		case OPT_QUANT:
			if (fc_gguf_type_parse(optarg, &a->type))
				return cli_usage_error(CMD, "--quant: unknown format "
				    "'%s' (expected q4_0, q8_0 or f16)", optarg);
			break;
		case OPT_SEED:
			if (arg_long(CMD, "--seed", optarg, 0, 2147483647L, &a->seed))
				return EXIT_USAGE;
			break;
		case OPT_CONTEXT: case OPT_EMBD: case OPT_FF: case OPT_HEAD_DIM:
		case OPT_HEADS: case OPT_KV_HEADS: case OPT_LAYERS: case OPT_VOCAB:
			if (shape_opt(c, optarg, a))
				return EXIT_USAGE;
			break;
		default:
			return cli_bad_option(CMD, c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
	if (a->outpath == NULL)
		return cli_usage_error(CMD, "-o FILE.gguf is required");
	if (strcmp(a->outpath, "-") == 0 && isatty(STDOUT_FILENO))
		return cli_usage_error(CMD, "refusing to write a model to a terminal");
	return 0;
}

/* The shape: --like's, with the options over it, checked; an exit status. */
static int
shape_of(struct synth_args *a)
{
	const char *vocab_src = "option";
	struct fc_diags d;
	int rc;

	if (a->like != NULL) {
		rc = shape_from_catalogue(a->like, &a->s, &vocab_src);
		if (rc != EXIT_OK)
			return rc;
	} else if (!a->s.layers || !a->s.embd || !a->s.ff || !a->s.heads ||
	    !a->s.vocab) {
		return cli_usage_error(CMD, "give --like MODEL, or all of --layers, "
		    "--embd, --ff, --heads and --vocab");
	}
	/* a catalogue vocabulary smaller than the byte-level minimum (never
	 * in practice) is raised to it; an explicit one is an error */
	if (a->s.vocab < FC_GGUF_MIN_VOCAB && strcmp(vocab_src, "catalogue") == 0)
		a->s.vocab = FC_GGUF_MIN_VOCAB;
	fc_diags_init(&d);
	if (fc_gguf_shape_check(&a->s, a->type, &d) != FC_OK) {
		size_t i;

		for (i = 0; i < d.n; i++)
			cli_usage_error(CMD, "%s", d.v[i].msg);
		fc_diags_free(&d);
		return EXIT_USAGE;
	}
	fc_diags_free(&d);
	return EXIT_OK;
}

int
cmd_synth_model(int argc, char **argv)
{
	struct synth_args a;
	const struct fc_gguf_shape *s = &a.s;
	char namebuf[256];
	struct cli_out o;
	struct progress prog = { NULL, -1, 0 };
	uint64_t params, size;
	enum fc_status st;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != 0)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = shape_of(&a)) != EXIT_OK)
		return rc;
	if (a.name == NULL) {
		snprintf(namebuf, sizeof(namebuf), "flatcost synthetic %s %s",
		    a.like ? a.like : "model", fc_gguf_type_name(a.type));
		a.name = namebuf;
	}
	params = fc_gguf_shape_params(s);
	size = fc_gguf_file_size(s, a.type, a.name);
	if (size == 0)
		return cli_oom();

	if ((rc = out_open(&o, a.outpath)) != EXIT_OK)
		return rc;
	prog.path = a.outpath;
	st = fc_gguf_write(o.f, s, a.type, a.name, (uint64_t)a.seed, on_progress,
	    &prog);
	if (prog.shown)
		fputc('\n', stderr);
	if (st != FC_OK) {
		out_abort(&o);
		if (cli_interrupted) {
			cli_err("interrupted; %s not written", a.outpath);
			return EXIT_SIGINT;
		}
		if (st == FC_ENOMEM)
			return cli_oom();
		cli_err("cannot write %s: %s", a.outpath, fc_strstatus(st));
		return EXIT_RUNTIME;
	}
	if ((rc = out_commit(&o)) != EXIT_OK)
		return rc;
	if (strcmp(a.outpath, "-") != 0)
		printf("wrote %s: %s, %llu layers, embd %llu, ff %llu, "
		    "heads %llu/%llu, head size %llu, vocab %llu, context %llu\n"
		    "  %.2fM parameters, %llu bytes (%.1f MB)\n", a.outpath,
		    fc_gguf_type_name(a.type), (unsigned long long)s->layers,
		    (unsigned long long)s->embd, (unsigned long long)s->ff,
		    (unsigned long long)s->heads, (unsigned long long)s->kv_heads,
		    (unsigned long long)s->head_dim, (unsigned long long)s->vocab,
		    (unsigned long long)s->context, (double)params / 1e6,
		    (unsigned long long)size, (double)size / 1e6);
	return EXIT_OK;
}
