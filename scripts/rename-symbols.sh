#!/bin/sh
# scripts/rename-symbols.sh: renames library symbols to the naming rule of
# docs/architecture.md ("Names"): a public function of module M is
# fc_M_<verb>, a pair is fc_M_load/fc_M_free, a static function has no
# fc_ prefix.  Each OLD NEW pair below is applied with sed on whole words
# over the C sources, tests and docs.  It is idempotent (a second run
# finds no OLD) and refuses to merge two names: when a C file still holds
# OLD and some C file already holds NEW as something else, it stops before
# changing anything.  Lines holding "` -> `" (the list of renames in
# docs/architecture.md) are left alone.  Run it from anywhere in the
# repository, e.g. after merging a branch written with the old names.
# With --check it changes nothing and fails (exit 1), naming them, when an
# old name is still in use.
# shellcheck disable=SC2086  # $dirs and $files are word lists on purpose
set -eu
# shellcheck disable=SC2016  # the backquotes are the docs' list, not a command
mark='` -> `'
check=0
[ "${1-}" = --check ] && check=1
cd "$(dirname "$0")/.."
dirs=
for d in model cmd tests perf fuzz docs; do
	[ -d "$d" ] && dirs="$dirs $d"
done
pairs='
fc_crossing_grid fc_breakeven_crossing_grid
fc_crossing_users fc_breakeven_crossing_users
fc_flat_cheaper fc_breakeven_flat_cheaper
fc_viability_eval fc_breakeven_viability_eval
fc_viability_text fc_breakeven_viability_text
fc_budgets_free fc_budget_free
fc_budgets_have_increase fc_budget_have_increase
calib_opts fc_calib_get_opts
calib_note_format fc_calib_note_format
calib_note_bad fc_calib_note_bad
calib_bad_rows fc_calib_bad_rows
calib_note_cache_hit fc_calib_note_cache_hit
fc_calib_tests_free fc_calib_test_free
fc_cap_basis_name fc_capacity_basis_name
fc_service_mult fc_cost_service_mult
fc_tier_shares fc_cost_tier_shares
fc_lognormal_params fc_dist_lognormal_params
fc_userdata_lock fc_import_userdata_lock
fc_userdata_unlock fc_import_userdata_unlock
fc_lb_format_names fc_llamabench_format_names
fc_hw_uncertain fc_inputs_hw_uncertain
fc_top10_sigma fc_inputs_top10_sigma
fc_input_tokens fc_inputs_input_tokens
fc_mc_input_num fc_inputs_mc_num
fc_mc_inputs fc_inputs_mc
fc_mc_ninputs fc_inputs_mc_n
fc_month_keys fc_mc_month_keys
fc_model_from_gguf fc_modelref_from_gguf
fc_model_resolve fc_modelref_resolve
fc_report_gather fc_report_data_gather
fc_report_calibrated fc_report_data_calibrated
fc_report_origin fc_report_data_origin
fc_report_user_points fc_report_data_user_points
fc_hw_check_price fc_scenario_check_hw_price
fc_date_days fc_schema_date_days
fc_date_valid fc_schema_date_valid
fc_sens_run fc_sensitivity_run
fc_sens_free fc_sensitivity_free
fc_sens_mc_run fc_sensmc_run
fc_sens_mc_free fc_sensmc_free
fc_sens_mc_known fc_sensmc_known
fc_finding_kind_names fc_stale_kind_names
fc_hw_staleness fc_stale_hw
fc_price_staleness fc_stale_price
fc_scenario_staleness fc_stale_scenario
fc_scenario_horizon fc_stale_horizon
fc_cmp_double fc_stats_cmp_double
fc_cmp_double_desc fc_stats_cmp_double_desc
fc_quantile_sorted fc_stats_quantile_sorted
fc_number_hint fc_ynode_number_hint
fc_parse_double fc_ynode_parse_double
fc_yaml_parse fc_ynode_parse
fc_yaml_load_file fc_ynode_load_file
fc_compare_option_viable option_viable
fc_api_route_cost_per_call route_cost_per_call
fc_fleet_des fleet_des
fc_fleet_des_min_servers fleet_des_min_servers
fc_inputs_set_slo inputs_set_slo
fc_ynode_scalar ynode_scalar
'
files=$(grep -rlE --include='*.[ch]' --include='*.md' --include='*.bats' --include='*.sh' \
    --include='*.mjs' --include='*.py' --include='*.txt' --include='Makefile' \
    'fc_|calib_' $dirs 2>/dev/null || true)
[ -n "$files" ] || exit 0
if [ "$check" = 1 ]; then
	left=0
	echo "$pairs" | {
		while read -r old new; do
			[ -n "$old" ] || continue
				if grep -nw -- "$old" $files | grep -v "$mark"; then
				echo "rename-symbols: $old is still in use (now $new)" >&2
				left=1
			fi
		done
		exit "$left"
	}
	exit $?
fi
# refuse to merge: OLD still in the C sources while NEW already names
# something there
csrc=$(echo "$files" | grep -E '\.[ch]$' || true)
bad=0
echo "$pairs" | while read -r old new; do
	[ -n "$old" ] && [ -n "$csrc" ] || continue
	if grep -qw -- "$old" $csrc && grep -qw -- "$new" $csrc; then
		echo "rename-symbols: $old -> $new: both names are in use" >&2
		exit 1
	fi
done || bad=1
[ "$bad" -eq 0 ] || exit 1
n=0
echo "$pairs" | {
	while read -r old new; do
		[ -n "$old" ] || continue
		grep -hw -- "$old" $files | grep -qv "$mark" || continue
		hits=$(grep -lw -- "$old" $files)
		sed -i "/$mark/!s/\\b$old\\b/$new/g" $hits
		n=$((n + 1))
	done
	echo "rename-symbols: $n names renamed"
}
