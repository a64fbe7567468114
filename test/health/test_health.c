/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/health: the probe state machine, driven by hand with events and
 * times (ns). Every test starts from the defaults the daemon uses, with
 * hysteresis 3 down / 2 up unless it says otherwise.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>

#include "se_health.h"

#define MS 1000000ull
/* the start time: far enough from 0 that a clock can jump an hour back */
#define T0 (7200000 * MS)
#define assert_true(x) cr_assert(eq(int, !!(x), 1), "%s", #x)
#define assert_false(x) cr_assert(eq(int, !!(x), 0), "not %s", #x)

static struct se_health_params p;
static struct se_health h;
static uint64_t now;

static void
setup(void)
{
	memset(&p, 0, sizeof(p));
	p.interval = 1000 * MS;
	p.timeout = 500 * MS;
	p.min_gap = 10 * MS;
	p.fail_n = 3;
	p.ok_n = 2;
	cr_assert(eq(int, se_health_codes_parse(&p, "200"), 0));
	cr_assert(eq(int, se_health_params_check(&p), 0));
	now = T0;
	se_health_init(&h, now, false);
}

/* One probe round: send at the current time, reply @code after 2 ms; returns "changed". */
static bool
round_reply(uint16_t code)
{
	uint32_t seq;
	bool changed;

	assert_true(se_health_due(&h, &p, now));
	assert_false(se_health_sent(&h, &p, now, &seq));
	now += 2 * MS;
	changed = se_health_reply(&h, &p, seq, code, now);
	now += p.interval - 2 * MS;
	return changed;
}

/* One probe round that times out. */
static bool
round_timeout(void)
{
	uint32_t seq;
	bool changed;

	assert_true(se_health_due(&h, &p, now));
	assert_false(se_health_sent(&h, &p, now, &seq));
	now += p.timeout - 1;
	assert_false(se_health_tick(&h, &p, now));
	now += 1;
	changed = se_health_tick(&h, &p, now);
	now += p.interval - p.timeout;
	return changed;
}

static void
bring_up(void)
{
	assert_true(round_reply(200));
	cr_assert(eq(u8, h.state, SE_HEALTH_UP));
}

TestSuite(health, .init = setup);

Test(health, never_answered_backend_starts_down)
{
	cr_assert(eq(u8, h.state, SE_HEALTH_DOWN));
	cr_assert(eq(u8, h.reason, SE_HEALTH_REASON_STARTUP));
	cr_assert(eq(str, (char *)se_health_reason_name(h.reason), "never answered"));
	assert_true(se_health_due(&h, &p, now));
}

Test(health, never_answered_backend_stays_down_through_timeouts)
{
	for (int i = 0; i < 10; i++)
		assert_false(round_timeout());
	cr_assert(eq(u8, h.state, SE_HEALTH_DOWN));
	cr_assert(eq(u8, h.reason, SE_HEALTH_REASON_STARTUP));
	cr_assert(eq(u8, h.last_fail, SE_HEALTH_REASON_TIMEOUT));
	cr_assert(eq(u64, h.n_timeout, 10));
	cr_assert(eq(u64, h.n_down, 0));
}

Test(health, first_accepted_reply_brings_a_new_backend_up_at_once)
{
	bring_up();
	cr_assert(eq(u8, h.reason, SE_HEALTH_REASON_REPLY));
	cr_assert(eq(u16, h.code, 200));
	cr_assert(eq(u64, h.changed_at, T0 + 2 * MS));
	cr_assert(eq(u64, h.n_up, 1));
}

Test(health, probing_off_starts_up)
{
	se_health_init(&h, now, true);
	cr_assert(eq(u8, h.state, SE_HEALTH_UP));
	cr_assert(eq(u8, h.reason, SE_HEALTH_REASON_PROBE_OFF));
}

Test(health, up_backend_goes_down_after_fail_n_timeouts_not_before)
{
	bring_up();
	assert_false(round_timeout());
	assert_false(round_timeout());
	cr_assert(eq(u8, h.state, SE_HEALTH_UP));
	assert_true(round_timeout());
	cr_assert(eq(u8, h.state, SE_HEALTH_DOWN));
	cr_assert(eq(u8, h.reason, SE_HEALTH_REASON_TIMEOUT));
	cr_assert(eq(u32, h.fails, 3));
}

Test(health, a_success_between_failures_restarts_the_count)
{
	bring_up();
	assert_false(round_timeout());
	assert_false(round_timeout());
	assert_false(round_reply(200));
	assert_false(round_timeout());
	assert_false(round_timeout());
	cr_assert(eq(u8, h.state, SE_HEALTH_UP));
	assert_true(round_timeout());
}

Test(health, down_backend_needs_ok_n_successes_to_come_back)
{
	bring_up();
	for (int i = 0; i < 3; i++)
		round_timeout();
	cr_assert(eq(u8, h.state, SE_HEALTH_DOWN));
	assert_false(round_reply(200));
	cr_assert(eq(u8, h.state, SE_HEALTH_DOWN));
	assert_true(round_reply(200));
	cr_assert(eq(u8, h.state, SE_HEALTH_UP));
	cr_assert(eq(u8, h.reason, SE_HEALTH_REASON_REPLY));
	cr_assert(eq(u64, h.n_up, 2));
	cr_assert(eq(u64, h.n_down, 1));
}

Test(health, a_failure_between_successes_restarts_the_way_up)
{
	p.ok_n = 3;
	bring_up();
	for (int i = 0; i < 3; i++)
		round_timeout();
	assert_false(round_reply(200));
	assert_false(round_reply(200));
	assert_false(round_reply(503));
	assert_false(round_reply(200));
	assert_false(round_reply(200));
	cr_assert(eq(u8, h.state, SE_HEALTH_DOWN));
	assert_true(round_reply(200));
}

Test(health, fail_n_one_takes_it_down_on_the_first_failure)
{
	p.fail_n = 1;
	bring_up();
	assert_true(round_timeout());
}

Test(health, code_503_is_a_failure_with_its_code)
{
	bring_up();
	assert_false(round_reply(503));
	assert_false(round_reply(503));
	assert_true(round_reply(503));
	cr_assert(eq(u8, h.reason, SE_HEALTH_REASON_CODE));
	cr_assert(eq(u16, h.code, 503));
	cr_assert(eq(u64, h.n_refused, 3));
}

Test(health, refused_codes_never_bring_a_new_backend_up)
{
	static const uint16_t codes[] = { 404, 480, 500, 503, 603, 302 };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		assert_false(round_reply(codes[i]));
	cr_assert(eq(u8, h.state, SE_HEALTH_DOWN));
	cr_assert(eq(u16, h.last_code, 302));
	cr_assert(eq(u8, h.last_fail, SE_HEALTH_REASON_CODE));
}

Test(health, a_listed_code_is_accepted)
{
	cr_assert(eq(int, se_health_codes_parse(&p, "200,404"), 0));
	assert_true(round_reply(404));
	cr_assert(eq(u16, h.code, 404));
}

Test(health, a_code_range_is_accepted_inclusive)
{
	cr_assert(eq(int, se_health_codes_parse(&p, "200-299"), 0));
	assert_true(se_health_code_ok(&p, 200));
	assert_true(se_health_code_ok(&p, 299));
	assert_false(se_health_code_ok(&p, 300));
	assert_false(se_health_code_ok(&p, 199));
	assert_true(round_reply(202));
}

Test(health, provisional_replies_are_ignored_and_the_probe_still_waits)
{
	uint32_t seq;

	se_health_sent(&h, &p, now, &seq);
	assert_false(se_health_reply(&h, &p, seq, 100, now + MS));
	assert_true(h.in_flight);
	assert_true(se_health_reply(&h, &p, seq, 200, now + 3 * MS));
	cr_assert(eq(u64, h.rtt, 3 * MS));
}

Test(health, a_reply_to_an_older_probe_is_late_and_changes_nothing)
{
	uint32_t seq;

	bring_up();
	se_health_sent(&h, &p, now, &seq);
	assert_false(se_health_reply(&h, &p, seq - 1, 200, now + MS));
	cr_assert(eq(u64, h.n_late, 1));
	assert_true(h.in_flight);
}

Test(health, a_reply_after_the_timeout_is_late)
{
	uint32_t seq;

	bring_up();
	se_health_sent(&h, &p, now, &seq);
	se_health_tick(&h, &p, now + p.timeout);
	assert_false(se_health_reply(&h, &p, seq, 200, now + p.timeout + MS));
	cr_assert(eq(u64, h.n_late, 1));
	cr_assert(eq(u32, h.fails, 1));
}

Test(health, a_duplicated_reply_counts_once)
{
	uint32_t seq;

	se_health_sent(&h, &p, now, &seq);
	assert_true(se_health_reply(&h, &p, seq, 200, now + MS));
	assert_false(se_health_reply(&h, &p, seq, 200, now + 2 * MS));
	cr_assert(eq(u64, h.n_ok, 1));
	cr_assert(eq(u64, h.n_late, 1));
	cr_assert(eq(u32, h.oks, 1));
}

Test(health, unreachable_fails_the_probe_out_at_once)
{
	uint32_t seq;

	p.fail_n = 1;
	bring_up();
	se_health_sent(&h, &p, now, &seq);
	assert_true(se_health_unreachable(&h, &p, now + MS));
	cr_assert(eq(u8, h.state, SE_HEALTH_DOWN));
	cr_assert(eq(u8, h.reason, SE_HEALTH_REASON_UNREACHABLE));
	assert_false(h.in_flight);
	/* its timeout does not count a second time */
	assert_false(se_health_tick(&h, &p, now + p.timeout));
	cr_assert(eq(u64, h.n_timeout, 0));
}

Test(health, unreachables_count_towards_the_hysteresis)
{
	uint32_t seq;

	bring_up();
	for (int i = 0; i < 2; i++) {
		se_health_sent(&h, &p, now, &seq);
		assert_false(se_health_unreachable(&h, &p, now + MS));
		now += p.interval;
	}
	se_health_sent(&h, &p, now, &seq);
	assert_true(se_health_unreachable(&h, &p, now + MS));
	cr_assert(eq(u64, h.n_unreachable, 3));
}

Test(health, unreachable_without_a_probe_out_makes_the_next_probe_early)
{
	uint32_t seq;

	bring_up();
	se_health_sent(&h, &p, now, &seq);
	se_health_reply(&h, &p, seq, 200, now + MS);
	assert_false(se_health_due(&h, &p, now + 5 * MS));
	assert_false(se_health_unreachable(&h, &p, now + 5 * MS));
	cr_assert(eq(u8, h.state, SE_HEALTH_UP));
	cr_assert(eq(u32, h.fails, 0));
	assert_false(se_health_due(&h, &p, now + p.min_gap - 1));
	assert_true(se_health_due(&h, &p, now + p.min_gap));
	/* once the early probe went, the normal interval applies again */
	se_health_sent(&h, &p, now + p.min_gap, &seq);
	se_health_reply(&h, &p, seq, 200, now + p.min_gap + MS);
	assert_false(se_health_due(&h, &p, now + 2 * p.min_gap));
}

Test(health, no_probe_is_due_while_one_is_out)
{
	uint32_t seq;

	se_health_sent(&h, &p, now, &seq);
	assert_false(se_health_due(&h, &p, now + 10 * p.interval));
}

Test(health, sending_over_a_probe_out_counts_it_as_a_timeout)
{
	uint32_t seq1, seq2;

	p.fail_n = 1;
	bring_up();
	se_health_sent(&h, &p, now, &seq1);
	assert_true(se_health_sent(&h, &p, now + p.interval, &seq2));
	cr_assert(eq(u32, seq2, seq1 + 1));
	cr_assert(eq(u8, h.reason, SE_HEALTH_REASON_TIMEOUT));
	assert_false(se_health_reply(&h, &p, seq1, 200, now + p.interval + MS));
}

Test(health, clock_jumping_backwards_restarts_the_timeout_from_the_new_time)
{
	uint32_t seq;

	p.fail_n = 1;
	bring_up();
	se_health_sent(&h, &p, now, &seq);
	now -= 3600000 * MS;
	assert_false(se_health_tick(&h, &p, now));
	assert_false(se_health_tick(&h, &p, now + p.timeout - 1));
	cr_assert(eq(u8, h.state, SE_HEALTH_UP));
	assert_true(se_health_tick(&h, &p, now + p.timeout));
}

Test(health, clock_jumping_backwards_does_not_stall_probing)
{
	uint32_t seq;

	bring_up();
	se_health_sent(&h, &p, now, &seq);
	se_health_reply(&h, &p, seq, 200, now + MS);
	now -= 3600000 * MS;
	assert_false(se_health_due(&h, &p, now));
	se_health_tick(&h, &p, now);
	assert_false(se_health_due(&h, &p, now + p.interval - 1));
	assert_true(se_health_due(&h, &p, now + p.interval));
}

Test(health, clock_jumping_backwards_during_a_reply_gives_rtt_zero)
{
	uint32_t seq;

	se_health_sent(&h, &p, now, &seq);
	assert_true(se_health_reply(&h, &p, seq, 200, now - 10 * MS));
	cr_assert(eq(u64, h.rtt, 0));
}

Test(health, clock_jumping_forwards_fails_the_probe_out_once)
{
	uint32_t seq;

	bring_up();
	se_health_sent(&h, &p, now, &seq);
	now += 3600000 * MS;
	assert_false(se_health_tick(&h, &p, now));
	assert_false(se_health_tick(&h, &p, now + 1));
	cr_assert(eq(u64, h.n_timeout, 1));
	cr_assert(eq(u32, h.fails, 1));
	cr_assert(eq(u8, h.state, SE_HEALTH_UP));
	assert_true(se_health_due(&h, &p, now));
}

Test(health, operator_force_sets_the_state_with_its_reason)
{
	assert_true(se_health_force(&h, SE_HEALTH_UP, now));
	cr_assert(eq(u8, h.reason, SE_HEALTH_REASON_OPERATOR));
	assert_false(se_health_force(&h, SE_HEALTH_UP, now));
	/* probes still move it */
	assert_false(round_timeout());
	assert_false(round_timeout());
	assert_true(round_timeout());
}

Test(health, rtt_lands_in_its_bucket_and_the_sum)
{
	static const uint64_t rtts[] = { 50000, 100000, 100001, 3 * MS, 2000 * MS };
	static const unsigned int want[] = { 0, 0, 1, 5, SE_HEALTH_RTT_BUCKETS - 1 };
	uint64_t sum = 0;

	p.timeout = 5000 * MS;
	p.interval = 5000 * MS;
	for (size_t i = 0; i < 5; i++) {
		uint32_t seq;
		uint64_t before = h.rtt_hist[want[i]];

		se_health_sent(&h, &p, now, &seq);
		se_health_reply(&h, &p, seq, 200, now + rtts[i]);
		cr_assert(eq(u64, h.rtt_hist[want[i]], before + 1), "rtt %lu", (unsigned long)rtts[i]);
		sum += rtts[i];
		now += p.interval;
	}
	cr_assert(eq(u64, h.rtt_sum, sum));
	cr_assert(eq(u64, se_health_rtt_bound(SE_HEALTH_RTT_BUCKETS - 1), UINT64_MAX));
	for (unsigned int i = 1; i < SE_HEALTH_RTT_BUCKETS; i++)
		assert_true(se_health_rtt_bound(i) > se_health_rtt_bound(i - 1));
}

/* ---- settings ---- */

/* the text inside the struct: Criterion runs each case in a fresh process */
struct codes_case {
	char text[80];
	int rc;
	uint16_t n;
};

static struct codes_case codes_cases[] = {
	{ "200", 0, 1 },
	{ "200,202,404", 0, 3 },
	{ "200-299", 0, 1 },
	{ "200-299,404,500-503", 0, 3 },
	{ "", -EINVAL, 0 },
	{ "20", -EINVAL, 0 },
	{ "2000", -EINVAL, 0 },
	{ "199", -EINVAL, 0 },
	{ "700", -EINVAL, 0 },
	{ "299-200", -EINVAL, 0 },
	{ "200,", -EINVAL, 0 },
	{ ",200", -EINVAL, 0 },
	{ "200 ", -EINVAL, 0 },
	{ "2x0", -EINVAL, 0 },
	{ "200-", -EINVAL, 0 },
	{ "200,201,202,203,204,205,206,207,208,209,210,211,212,213,214,215,216", -ENOSPC, 0 },
};

ParameterizedTestParameters(health_codes, parse)
{
	return cr_make_param_array(struct codes_case, codes_cases,
				   sizeof(codes_cases) / sizeof(codes_cases[0]));
}

ParameterizedTest(struct codes_case *c, health_codes, parse)
{
	struct se_health_params q;

	memset(&q, 0, sizeof(q));
	q.n_codes = 7;
	cr_assert(eq(int, se_health_codes_parse(&q, c->text), c->rc), "'%s'", c->text);
	cr_assert(eq(u16, q.n_codes, c->rc == 0 ? c->n : 7), "'%s': refused lists change nothing",
		  c->text);
}

Test(health_params, bad_settings_are_refused)
{
	struct se_health_params q;

	setup();
	q = p;
	q.fail_n = 0;
	cr_assert(eq(int, se_health_params_check(&q), -EINVAL));
	q = p;
	q.ok_n = 0;
	cr_assert(eq(int, se_health_params_check(&q), -EINVAL));
	q = p;
	q.interval = 0;
	cr_assert(eq(int, se_health_params_check(&q), -EINVAL));
	q = p;
	q.timeout = 0;
	cr_assert(eq(int, se_health_params_check(&q), -EINVAL));
	q = p;
	q.min_gap = q.interval + 1;
	cr_assert(eq(int, se_health_params_check(&q), -EINVAL));
	q = p;
	q.n_codes = 0;
	cr_assert(eq(int, se_health_params_check(&q), -EINVAL));
	q = p;
	q.codes[0].lo = 99;
	cr_assert(eq(int, se_health_params_check(&q), -EINVAL));
}
