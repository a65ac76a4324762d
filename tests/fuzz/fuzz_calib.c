/*
 * fuzz_calib.c: the usage-log readers of `flatcost calibrate` (model/
 * calib_read.c): format detection, CSV through libcsv (quotes, CRLF, a
 * BOM), JSON documents and JSON Lines through jansson (OpenAI usage pages,
 * LiteLLM spend logs, Langfuse observations), timestamps and numbers;
 * then the fit over whatever was read and the bill, whole and by model.  The first byte picks the options
 * (forced format, --skip-bad, a --columns mapping), the rest is the log.
 */
#include <math.h>
#include <stdio.h>

#include "calib.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fc_calib_opts o;
	struct fc_calib *c = NULL;
	struct fc_calib_fit f;
	struct fc_diags d;

	if (size < 1 || size > 65536)
		return -1;
	fc_calib_opts_init(&o);
	o.format = (enum fc_calib_format)(data[0] % 5);
	o.skip_bad = (data[0] >> 3) & 3;
	if (data[0] & 0x20)
		o.columns[FC_ROLE_IN] = "tokens";
	if (data[0] & 0x40)
		o.since = 1700000000;
	fc_diags_init(&d);
	if (fc_calib_new(&o, &c) == FC_OK &&
	    fc_calib_read_mem(c, "log", (const char *)data + 1, size - 1, &d) == FC_OK &&
	    fc_calib_fit(c, data[0] & 0x80 ? 100 : NAN, &f) == FC_OK) {
		struct fc_price p = { 0 };
		p.input = 2.5;
		p.cached_input = 1.25;
		p.output = 10;
		p.batch_discount = 0.5;
		(void)fc_calib_bill(c, &p, 0, fc_calib_ndays(c));
		/* the bill by model: every model the fit names at p */
		{
			struct fc_calib_route r = { 0 };
			size_t i;
			for (i = 0; i < f.n_models && i < FC_MAX_ROUTE; i++) {
				r.model[i] = f.model[i];
				r.price[i] = &p;
			}
			r.n = i;
			(void)fc_calib_bill_route(c, &r, 0, fc_calib_ndays(c));
		}
	}
	fuzz_check_diags(&d);
	fc_calib_free(c);
	fc_diags_free(&d);
	return 0;
}
