/*
 * fuzz_import.c: a catalog file or HTTP body for `flatcost data import`
 * (model/import.c): JSON in any of the four formats.  The first byte
 * selects --from (mod 5: auto, models.dev, litellm, genai-prices,
 * hetzner-pricing); the rest is the body.  hetzner-pricing reprices the
 * bundled catalog's entries, loaded once.
 */
#include <stdio.h>

#include "data.h"
#include "fuzz.h"
#include "import.h"

static struct fc_catalog *cat;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fc_diags d;

	(void)argc;
	(void)argv;
	fc_diags_init(&d);
	if (fc_catalog_load(fuzz_data_dir(), &cat, &d) != FC_OK) {
		fprintf(stderr, "fuzz_import: cannot load the catalog in %s\n",
		    fuzz_data_dir());
		exit(1);
	}
	fc_diags_free(&d);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fc_diags d;
	struct fc_import im;
	enum fc_import_format f;

	if (size < 1 || size > 262144)
		return -1;
	f = (enum fc_import_format)(data[0] % FC_IMP_NFORMATS);
	fc_diags_init(&d);
	if (fc_import_parse((const char *)data + 1, size - 1, "import.json", f,
	    "2026-11-27", "fuzz", cat, 1.15, "fsn1", &im, &d) == FC_OK)
		fc_import_clear(&im);
	fc_diags_free(&d);
	return 0;
}
