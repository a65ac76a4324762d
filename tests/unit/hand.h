/*
 * hand.h: the hand-checked scenario of test_cost.c and test_breakeven.c,
 * one copy: a $750/month server serving 0.2 calls/s, every call the same
 * (1,000 tokens in, 500 out, no spread), sized by the target utilization
 * alone, priced $2.50 / $10.00 per Mtok on the API: 1,000 users cost
 * $6,750.00 a month on the API.  A static array, for a test's one
 * translation unit.
 */
#ifndef FC_TEST_HAND_H
#define FC_TEST_HAND_H

static const char HAND[] =
    "flatcost: 1\n"
    "name: hand\n"
    "users: 1000\n"
    "revenue_per_user: 20\n"
    "days_per_month: 30\n"
    "workload:\n"
    "  requests_per_user_per_day: 30\n"
    "  input_tokens: 1000\n"
    "  output_tokens: 500\n"
    "  input_cv: 0\n"
    "  output_cv: 0\n"
    "  peak_to_mean: 2\n"
    "api:\n"
    "  price: {input: 2.50, cached_input: 1.25, output: 10.00, batch_discount: 0.5}\n"
    "flat:\n"
    "  hardware:\n"
    "    name: hand-made server\n"
    "    kind: cpu\n"
    "    ram_gb: 64\n"
    "    monthly_price: 750\n"
    "    mem_bandwidth_gbs: 100\n"
    "    compute_gflops: 1000\n"
    "    throughput:\n"
    "      - model: qwen2.5-7b-q4_k_m\n"
    "        params_b: 7.62\n"
    "        weights_gb: 4.68\n"
    "        prefill_tok_s: 1000\n"
    "        decode_tok_s: {1: 125}\n"
    "  model: qwen2.5-7b-q4_k_m\n"
    "  target_utilization: 0.48\n"
    "  slots: 1\n"
    "  slo: {p95_latency_s: 3600}\n"
    "  fallback: {api: {input: 0.15, cached_input: 0.075, output: 0.60}, share: 0}\n";

#endif
