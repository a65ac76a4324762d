/*
 * fuzz_profile.c: a hardware profile (`flat.hardware: ./profile.yaml`,
 * written by `flatcost bench --profile` and then possibly edited by hand),
 * through the YAML parser and fc_hw_read, as fc_hw_load_profile reads it,
 * then deep-copied as a scenario copies it.
 */
#include <stdio.h>

#include "data.h"
#include "fuzz.h"
#include "ynode.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fc_diags d;
	struct fc_ynode *root = NULL;
	struct fc_hw hw, copy;

	if (size > 65536)
		return -1;
	memset(&hw, 0, sizeof(hw));
	memset(&copy, 0, sizeof(copy));
	fc_diags_init(&d);
	if (fc_ynode_parse("profile.yaml", (const char *)data, size, &root, &d) == FC_OK &&
	    fc_hw_read(root, "profile.yaml", 0, &hw, &d) == FC_OK) {
		if (fc_hw_copy(&copy, &hw) == FC_OK && copy.npoints != hw.npoints)
			abort();
		fc_hw_clear(&copy);
	}
	fuzz_check_diags(&d);
	fc_hw_clear(&hw);
	fc_ynode_free(root);
	fc_diags_free(&d);
	return 0;
}
