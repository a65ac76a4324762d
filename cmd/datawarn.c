/*
 * datawarn.c: the data a command runs on and what is wrong with it: the
 * user data directory laid over the bundled data, "today" (pinned by
 * SOURCE_DATE_EPOCH), and the staleness warnings of the entries the
 * scenarios use, printed on stderr once each and listed in every JSON
 * output's warnings[] (with where each entry came from in data.entries[]:
 * "bundled", the user data file's path, or "scenario" for inline ones).
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "data.h"
#include "scenario.h"
#include "schema.h"
#include "stale.h"

struct cli_data_flags cli_data_flags;
const char *cli_data_name;

/* Both lists live for the whole run (a command loads its scenarios once);
 * freed at exit by the OS like the other run-long state in cmd/. */
static json_t *warnings, *entries;
static size_t nwarnings;

long
cli_today(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;
	time_t t;

	if (e && *e) {
		errno = 0;
		v = strtoll(e, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0)
			return (long)(v / FC_SECONDS_PER_DAY);
		cli_warn("SOURCE_DATE_EPOCH='%s' is not a count of seconds since 1970: using the clock", e);
	}
	t = time(NULL);
	return (long)(t / FC_SECONDS_PER_DAY);
}

const char *
cli_user_data_dir(void)
{
	static char buf[PATH_MAX];
	const char *e;

	if ((e = getenv("FLATCOST_USER_DATA")) && *e)
		return e;
	if ((e = getenv("XDG_DATA_HOME")) && *e) {
		snprintf(buf, sizeof(buf), "%s/flatcost", e);
		return buf;
	}
	if ((e = getenv("HOME")) && *e) {
		snprintf(buf, sizeof(buf), "%s/.local/share/flatcost", e);
		return buf;
	}
	return NULL;
}

enum fc_status
cli_catalog_load(struct fc_catalog **cat, struct fc_diags *d)
{
	const char *u = cli_data_flags.no_user_data ? NULL : cli_user_data_dir();
	struct stat sb;
	enum fc_status st;

	st = fc_catalog_load(cli_data_dir(), cat, d);
	if (st != FC_OK || u == NULL || stat(u, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return st;
	st = fc_catalog_overlay(*cat, u, d);
	if (st != FC_OK) {
		fc_catalog_free(*cat);
		*cat = NULL;
	}
	return st;
}

static int
listed(json_t *arr, const char *key, const char *a, const char *key2,
    const char *b)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) {
		const char *x = json_string_value(json_object_get(v, key));
		const char *y = json_string_value(json_object_get(v, key2));
		if (x && y && strcmp(x, a) == 0 && strcmp(y, b) == 0)
			return 1;
	}
	return 0;
}

static void
note_entry(const char *role, const char *id, const char *origin)
{
	if (id == NULL)
		return;
	if (listed(entries, "role", role, "id", id))
		return;
	json_array_append_new(entries, json_pack("{s:s, s:s, s:s?}", "role", role,
	    "id", id, "origin", origin ? origin : "scenario"));
}

/* Prints and lists findings f[0..n) not yet listed; returns how many
 * count under --strict-data. */
static size_t
record(const struct fc_finding *f, size_t n)
{
	size_t i, nstrict = 0;

	for (i = 0; i < n; i++) {
		if (f[i].kind != FC_FIND_CACHE_PREFIX && f[i].kind != FC_FIND_ESTIMATED_SIZE)
			nstrict++;
		if (listed(warnings, "kind", fc_stale_kind_names[f[i].kind],
		    "message", f[i].msg))
			continue;
		cli_warn("%s", f[i].msg);
		nwarnings++;
		json_array_append_new(warnings, json_pack(
		    "{s:s, s:s, s:s, s:s?, s:I, s:s?, s:s}",
		    "kind", fc_stale_kind_names[f[i].kind], "id", f[i].id,
		    "role", f[i].role, "date", f[i].date, "days", (json_int_t)f[i].days,
		    "successor", f[i].successor, "message", f[i].msg));
	}
	return nstrict;
}

/* Hardware priced 0 that the user gave (a profile, an inline entry):
 * refused under cli_data_flags.free_hw 1, said and listed under 2. */
static int
check_free_hw(const struct fc_hw *h, int hourly, const char *role)
{
	struct fc_diags d;
	enum fc_status st;
	char msg[512];

	if (cli_data_flags.free_hw == 0)
		return EXIT_OK;
	fc_diags_init(&d);
	st = fc_scenario_check_hw_price(h, hourly, role, &d);
	if (st == FC_OK || cli_data_flags.free_hw == 1) {
		cli_print_diags(&d);
		fc_diags_free(&d);
		return st == FC_OK ? EXIT_OK : EXIT_USAGE;
	}
	fc_diags_free(&d);
	snprintf(msg, sizeof(msg), "--allow-free-hardware: %s '%s' costs 0 "
	    "(a machine you own): the flat architecture's server cost is 0",
	    role, h->name ? h->name : h->id ? h->id : "inline");
	if (!listed(warnings, "kind", "free_hardware", "message", msg)) {
		cli_warn("%s", msg);
		nwarnings++;
		json_array_append_new(warnings, json_pack("{s:s, s:s?, s:s, s:s}",
		    "kind", "free_hardware", "id", h->id, "role", role,
		    "message", msg));
	}
	return EXIT_OK;
}

/* Where the bundled prices can be refreshed from (an importable catalog). */
#define PRICES_URL "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
#define HETZNER_URL "https://api.hetzner.cloud/v1/pricing"

static const char *
origin_of(const char *role, const char *id)
{
	size_t i;
	json_t *v;

	json_array_foreach(entries, i, v) {
		const char *r = json_string_value(json_object_get(v, "role"));
		const char *x = json_string_value(json_object_get(v, "id"));
		if (r && x && id && strcmp(r, role) == 0 && strcmp(x, id) == 0)
			return json_string_value(json_object_get(v, "origin"));
	}
	return NULL;
}

/* The command that refreshes finding f's entry: an entry imported into
 * the user data directory is read again by `data update`; a bundled price
 * comes from an importable catalog; a bundled Hetzner server from
 * Hetzner's pricing API; other hardware has no importer. */
static void
refresh_command(char *buf, size_t len, const struct fc_finding *f)
{
	const char *origin = origin_of(f->role, f->id);
	int hw = strstr(f->role, "hardware") != NULL;

	if (origin && strcmp(origin, "bundled") != 0 && strcmp(origin, "scenario") != 0)
		snprintf(buf, len, "flatcost data update");
	else if (!hw)
		snprintf(buf, len, "flatcost data import %s", PRICES_URL);
	else if (f->id && strncmp(f->id, "hetzner/", 8) == 0)
		snprintf(buf, len, "HCLOUD_TOKEN=... flatcost data import %s --from hetzner-pricing",
		    HETZNER_URL);
	else
		snprintf(buf, len, "flatcost data hardware --format json (check the entry's source, "
		    "then put a newer entry in %s/hardware/)",
		    cli_user_data_dir() ? cli_user_data_dir() : "the user data directory");
}

/* Under --strict-data: one line per refused entry, with its date and how
 * to move on. */
static void
refuse(const struct fc_finding *f, size_t n)
{
	char cmd[400], succ[200];
	size_t i;

	for (i = 0; i < n; i++) {
		if (f[i].kind == FC_FIND_CACHE_PREFIX || f[i].kind == FC_FIND_ESTIMATED_SIZE)
			continue;
		refresh_command(cmd, sizeof(cmd), &f[i]);
		snprintf(succ, sizeof(succ), "choose another model or ");
		if (f[i].successor && strcmp(f[i].role, "api.price") == 0)
			snprintf(succ, sizeof(succ), "move to its successor (--set api.price=%s) or ",
			    f[i].successor);
		else if (f[i].successor)
			snprintf(succ, sizeof(succ), "move to its successor %s or ", f[i].successor);
		switch (f[i].kind) {
		case FC_FIND_STALE:
			cli_err("refused %s (%s): dated %s, %ld days old: refresh it with: %s",
			    f[i].id, f[i].role, f[i].date, f[i].days, cmd);
			break;
		case FC_FIND_SHUTDOWN:
			cli_err("refused %s (%s): shut down on %s: %srefresh the data if it changed: %s",
			    f[i].id, f[i].role, f[i].date, succ, cmd);
			break;
		default:
			cli_err("refused %s (%s): shuts down on %s: %srefresh the data if it changed: %s",
			    f[i].id, f[i].role, f[i].date, succ, cmd);
			break;
		}
	}
}

static void
lists_init(void)
{
	if (warnings == NULL) {
		warnings = json_array();
		entries = json_array();
	}
}

int
cli_data_check(const struct fc_scenario *s)
{
	struct fc_finding f[16];
	size_t n, i, nstrict;

	lists_init();
	note_entry("api.price", s->api.id, s->api.origin);
	if (s->flat.fallback_api.id)
		note_entry("flat.fallback.api", s->flat.fallback_api.id,
		    s->flat.fallback_api.origin);
	note_entry("flat.hardware", s->flat.hw.id, s->flat.hw.origin);
	for (i = 0; i < s->route.n; i++)
		note_entry("api.route", s->route.price[i].id, s->route.price[i].origin);
	if (check_free_hw(&s->flat.hw, s->flat.hourly, "flat.hardware") != EXIT_OK)
		return EXIT_USAGE;
	n = fc_stale_scenario(s, cli_today(), f, 16);
	if (cli_data_flags.hw_placeholder) {
		size_t k = 0;

		for (i = 0; i < n && i < 16; i++)
			if (strcmp(f[i].role, "flat.hardware") != 0)
				f[k++] = f[i];
		n = k;
	}
	nstrict = record(f, n < 16 ? n : 16);
	if (nstrict && cli_data_flags.strict) {
		cli_err("--strict-data: %zu data warning%s for %s", nstrict,
		    nstrict == 1 ? "" : "s", cli_data_name ? cli_data_name : s->file);
		refuse(f, n < 16 ? n : 16);
		return EXIT_DATA;
	}
	return EXIT_OK;
}

int
cli_data_check_hw(const struct fc_hw *const *hw, size_t nhw, const char *role)
{
	struct fc_finding f[4];
	struct fc_finding all[16];
	size_t i, n, nstrict = 0, nall = 0;

	lists_init();
	for (i = 0; i < nhw; i++) {
		/* the scenario's own was checked with it */
		if (hw[i]->id && listed(entries, "role", "flat.hardware", "id", hw[i]->id))
			continue;
		note_entry(role, hw[i]->id, hw[i]->origin);
		if (check_free_hw(hw[i], 0, role) != EXIT_OK)
			return EXIT_USAGE;
		n = fc_stale_hw(hw[i], role, cli_today(), f, 4);
		nstrict += record(f, n < 4 ? n : 4);
		for (size_t j = 0; j < n && j < 4 && nall < 16; j++)
			all[nall++] = f[j];
	}
	if (nstrict && cli_data_flags.strict) {
		cli_err("--strict-data: %zu data warning%s for the hardware compared (%s)",
		    nstrict, nstrict == 1 ? "" : "s", role);
		refuse(all, nall);
		return EXIT_DATA;
	}
	return EXIT_OK;
}

int
cli_data_check_horizon(const struct fc_scenario *s, long months)
{
	struct fc_finding f[16];
	size_t n, nstrict;

	lists_init();
	n = fc_stale_horizon(s, cli_today(), months, f, 16);
	nstrict = record(f, n < 16 ? n : 16);
	if (nstrict && cli_data_flags.strict) {
		cli_err("--strict-data: the %ld-month horizon runs past %zu model shutdown%s "
		    "in %s", months, nstrict, nstrict == 1 ? "" : "s",
		    cli_data_name ? cli_data_name : s->file);
		refuse(f, n < 16 ? n : 16);
		return EXIT_DATA;
	}
	return EXIT_OK;
}

size_t
cli_data_nwarnings(void)
{
	return nwarnings;
}

void
cli_json_data(json_t *o)
{
	const char *u = cli_data_flags.no_user_data ? NULL : cli_user_data_dir();
	struct stat sb;

	if (u && (stat(u, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		u = NULL;
	/* the bundled directory's path is the machine's, not the run's: each
	 * entry's origin says "bundled" instead */
	json_object_set_new(o, "data", json_pack("{s:s?, s:O?}", "user", u,
	    "entries", entries));
	json_object_set_new(o, "warnings", warnings ? json_copy(warnings) : json_array());
}
