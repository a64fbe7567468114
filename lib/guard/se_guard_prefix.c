/* SPDX-License-Identifier: BSD-3-Clause */
/* Text forms (prefixes, rates, addresses), rule checks and the token bucket. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "se_guard.h"
#include "guard_priv.h"

void
se_guard_bucket_init(struct se_guard_bucket *b, uint64_t hz, uint32_t rate, uint32_t burst)
{
	b->tat = 0;
	if (rate == 0) {
		b->interval = 0;
		b->depth = 0;
		return;
	}
	b->interval = hz / rate != 0 ? hz / rate : 1;
	b->depth = b->interval * (burst != 0 ? burst : 1);
}

/* Decimal digits only, no sign or space, at most max. */
static bool
decimal(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0 || n > 12)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (x > max)
		return false;
	*v = x;
	return true;
}

int
se_guard_prefix_parse(const char *s, struct se_guard_prefix *p)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	unsigned int max, full, i;
	char a[INET6_ADDRSTRLEN];
	uint64_t depth;

	memset(p, 0, sizeof(*p));
	if (alen == 0 || alen >= sizeof(a))
		return -EINVAL;
	memcpy(a, s, alen);
	a[alen] = '\0';
	if (inet_pton(AF_INET, a, p->addr) == 1) {
		p->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, a, p->addr) == 1) {
		p->family = AF_INET6;
		max = 128;
	} else {
		return -EINVAL;
	}
	depth = max;
	if (slash != NULL) {
		if (!decimal(slash + 1, strlen(slash + 1), UINT32_MAX, &depth))
			return -EINVAL;
		if (depth > max)
			return -ERANGE;
	}
	p->depth = (uint8_t)depth;
	/* no bit beyond the prefix: 10.1.0.0/8 is a typo, not a /8 */
	full = p->depth / 8;
	for (i = full; i < max / 8; i++) {
		uint8_t keep = i == full ? (uint8_t)(0xff00u >> (p->depth % 8)) : 0;

		if (p->addr[i] & (uint8_t)~keep)
			return -EDOM;
	}
	return 0;
}

bool
se_guard_prefix_contains(const struct se_guard_prefix *p, const uint8_t *addr)
{
	unsigned int full = p->depth / 8, rest = p->depth % 8;

	if (memcmp(p->addr, addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((p->addr[full] ^ addr[full]) & (uint8_t)(0xff00u >> rest)) == 0;
}

int
se_guard_acl_check(const struct se_guard_acl_rule *rules, unsigned int n, unsigned int *bad)
{
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = 0; j < i; j++) {
			const struct se_guard_prefix *a = &rules[i].prefix, *b = &rules[j].prefix;

			if (a->family == b->family && a->depth == b->depth &&
			    memcmp(a->addr, b->addr, 16) == 0 &&
			    rules[i].action != rules[j].action) {
				if (bad != NULL)
					*bad = i;
				return -EINVAL;
			}
		}
	return 0;
}

int
se_guard_rate_parse(const char *s, uint32_t *rate, uint32_t *burst)
{
	const char *comma = strchr(s, ',');
	size_t n = comma != NULL ? (size_t)(comma - s) : strlen(s);
	uint64_t r, b;

	if (!decimal(s, n, 10000000, &r) || r == 0)
		return -EINVAL;
	b = r;
	if (comma != NULL) {
		if (strncmp(comma + 1, "burst=", 6) != 0 ||
		    !decimal(comma + 7, strlen(comma + 7), 100000000, &b) || b == 0)
			return -EINVAL;
	}
	*rate = (uint32_t)r;
	*burst = (uint32_t)b;
	return 0;
}

int
se_guard_key_format(const struct se_guard_key *k, char *buf, size_t len)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	uint8_t b[16];
	char tmp[INET6_ADDRSTRLEN];
	size_t n;

	memcpy(b, k->w, 16);
	if (memcmp(b, mapped, 12) == 0)
		inet_ntop(AF_INET, b + 12, tmp, sizeof(tmp));
	else
		inet_ntop(AF_INET6, b, tmp, sizeof(tmp));
	n = strlen(tmp);
	if (n >= len)
		return -ENOSPC;
	memcpy(buf, tmp, n + 1);
	return (int)n;
}
