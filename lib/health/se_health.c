/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The probe state machine: consecutive counts with hysteresis, timeouts
 * measured from the send time the caller gave, and a round-trip histogram.
 */
#include <errno.h>
#include <string.h>

#include "se_health.h"

/* Bucket bounds of the round-trip histogram, ns: 100 us .. 1 s, then +Inf. */
static const uint64_t rtt_bounds[SE_HEALTH_RTT_BUCKETS - 1] = {
	100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000, 25000000,
	50000000, 100000000, 250000000, 500000000, 1000000000,
};

static const char *const state_names[] = {
	[SE_HEALTH_DOWN] = "down",
	[SE_HEALTH_UP] = "up",
};

static const char *const reason_names[SE_HEALTH_REASON_COUNT] = {
	[SE_HEALTH_REASON_STARTUP] = "never answered",
	[SE_HEALTH_REASON_REPLY] = "reply",
	[SE_HEALTH_REASON_TIMEOUT] = "timeout",
	[SE_HEALTH_REASON_CODE] = "code",
	[SE_HEALTH_REASON_UNREACHABLE] = "unreachable",
	[SE_HEALTH_REASON_OPERATOR] = "operator",
	[SE_HEALTH_REASON_PROBE_OFF] = "probing off",
};

const char *
se_health_state_name(enum se_health_state s)
{
	return (unsigned int)s <= SE_HEALTH_UP ? state_names[s] : "?";
}

const char *
se_health_reason_name(enum se_health_reason r)
{
	return (unsigned int)r < SE_HEALTH_REASON_COUNT ? reason_names[r] : "?";
}

uint64_t
se_health_rtt_bound(unsigned int i)
{
	return i < SE_HEALTH_RTT_BUCKETS - 1 ? rtt_bounds[i] : UINT64_MAX;
}

int
se_health_params_check(const struct se_health_params *p)
{
	if (p->interval == 0 || p->timeout == 0 || p->min_gap > p->interval)
		return -EINVAL;
	if (p->fail_n == 0 || p->ok_n == 0)
		return -EINVAL;
	if (p->n_codes == 0 || p->n_codes > SE_HEALTH_MAX_CODES)
		return -EINVAL;
	for (unsigned int i = 0; i < p->n_codes; i++)
		if (p->codes[i].lo < 100 || p->codes[i].lo > p->codes[i].hi ||
		    p->codes[i].hi > 699)
			return -EINVAL;
	return 0;
}

/* A final code 200..699 at *s, three digits exactly; advances *s. */
static bool
parse_code(const char **s, uint16_t *code)
{
	const char *p = *s;
	unsigned int v = 0;

	for (int i = 0; i < 3; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (unsigned int)(p[i] - '0');
	}
	if (p[3] >= '0' && p[3] <= '9')
		return false;
	if (v < 200 || v > 699)
		return false;
	*code = (uint16_t)v;
	*s = p + 3;
	return true;
}

int
se_health_codes_parse(struct se_health_params *p, const char *text)
{
	struct se_health_code_range r[SE_HEALTH_MAX_CODES];
	const char *s = text;
	uint16_t n = 0;

	if (s == NULL || *s == '\0')
		return -EINVAL;
	for (;;) {
		uint16_t lo, hi;

		if (!parse_code(&s, &lo))
			return -EINVAL;
		hi = lo;
		if (*s == '-') {
			s++;
			if (!parse_code(&s, &hi) || hi < lo)
				return -EINVAL;
		}
		if (n == SE_HEALTH_MAX_CODES)
			return -ENOSPC;
		r[n].lo = lo;
		r[n].hi = hi;
		n++;
		if (*s == '\0')
			break;
		if (*s != ',')
			return -EINVAL;
		s++;
	}
	memcpy(p->codes, r, n * sizeof(r[0]));
	p->n_codes = n;
	return 0;
}

bool
se_health_code_ok(const struct se_health_params *p, uint16_t code)
{
	for (unsigned int i = 0; i < p->n_codes; i++)
		if (code >= p->codes[i].lo && code <= p->codes[i].hi)
			return true;
	return false;
}

void
se_health_init(struct se_health *h, uint64_t now, bool up)
{
	memset(h, 0, sizeof(*h));
	h->state = up ? SE_HEALTH_UP : SE_HEALTH_DOWN;
	h->reason = up ? SE_HEALTH_REASON_PROBE_OFF : SE_HEALTH_REASON_STARTUP;
	h->last_fail = SE_HEALTH_REASON_STARTUP;
	h->changed_at = now;
}

static bool
transition(struct se_health *h, enum se_health_state to, enum se_health_reason why,
	   uint16_t code, uint64_t now)
{
	h->state = (uint8_t)to;
	h->reason = (uint8_t)why;
	h->code = code;
	h->changed_at = now;
	if (to == SE_HEALTH_UP)
		h->n_up++;
	else
		h->n_down++;
	return true;
}

static bool
failure(struct se_health *h, const struct se_health_params *p, enum se_health_reason why,
	uint16_t code, uint64_t now)
{
	h->oks = 0;
	if (h->fails < UINT32_MAX)
		h->fails++;
	h->last_fail = (uint8_t)why;
	if (h->state == SE_HEALTH_UP && h->fails >= p->fail_n)
		return transition(h, SE_HEALTH_DOWN, why, code, now);
	return false;
}

static bool
success(struct se_health *h, const struct se_health_params *p, uint16_t code, uint64_t now)
{
	bool first = !h->answered;

	h->answered = true;
	h->fails = 0;
	if (h->oks < UINT32_MAX)
		h->oks++;
	if (h->state == SE_HEALTH_DOWN && (first || h->oks >= p->ok_n))
		return transition(h, SE_HEALTH_UP, SE_HEALTH_REASON_REPLY, code, now);
	return false;
}

bool
se_health_due(const struct se_health *h, const struct se_health_params *p, uint64_t now)
{
	uint64_t since;

	if (h->in_flight)
		return false;
	if (h->n_sent == 0)
		return true;
	/* the clock went back: se_health_tick() re-anchors, then the interval runs again */
	if (now < h->sent_at)
		return false;
	since = now - h->sent_at;
	return since >= p->interval || (h->suspect && since >= p->min_gap);
}

bool
se_health_sent(struct se_health *h, const struct se_health_params *p, uint64_t now,
	       uint32_t *seq)
{
	bool changed = false;

	if (h->in_flight) {
		h->in_flight = false;
		h->n_timeout++;
		changed = failure(h, p, SE_HEALTH_REASON_TIMEOUT, 0, now);
	}
	h->seq++;
	h->in_flight = true;
	h->suspect = false;
	h->sent_at = now;
	h->n_sent++;
	*seq = h->seq;
	return changed;
}

bool
se_health_tick(struct se_health *h, const struct se_health_params *p, uint64_t now)
{
	if (now < h->sent_at)
		h->sent_at = now;
	if (now < h->changed_at)
		h->changed_at = now;
	if (!h->in_flight || now - h->sent_at < p->timeout)
		return false;
	h->in_flight = false;
	h->n_timeout++;
	return failure(h, p, SE_HEALTH_REASON_TIMEOUT, 0, now);
}

static void
record_rtt(struct se_health *h, uint64_t rtt)
{
	unsigned int i = 0;

	while (i < SE_HEALTH_RTT_BUCKETS - 1 && rtt > rtt_bounds[i])
		i++;
	h->rtt_hist[i]++;
	h->rtt_sum += rtt;
	h->rtt = rtt;
}

bool
se_health_reply(struct se_health *h, const struct se_health_params *p, uint32_t seq,
		uint16_t code, uint64_t now)
{
	if (!h->in_flight || seq != h->seq) {
		h->n_late++;
		return false;
	}
	if (code < 200)
		return false;
	h->in_flight = false;
	record_rtt(h, now >= h->sent_at ? now - h->sent_at : 0);
	h->last_code = code;
	if (se_health_code_ok(p, code)) {
		h->n_ok++;
		return success(h, p, code, now);
	}
	h->n_refused++;
	return failure(h, p, SE_HEALTH_REASON_CODE, code, now);
}

bool
se_health_unreachable(struct se_health *h, const struct se_health_params *p, uint64_t now)
{
	h->n_unreachable++;
	if (!h->in_flight) {
		h->suspect = true;
		return false;
	}
	h->in_flight = false;
	return failure(h, p, SE_HEALTH_REASON_UNREACHABLE, 0, now);
}

bool
se_health_force(struct se_health *h, enum se_health_state state, uint64_t now)
{
	h->fails = 0;
	h->oks = 0;
	if (h->state == (uint8_t)state)
		return false;
	return transition(h, state, SE_HEALTH_REASON_OPERATOR, 0, now);
}
