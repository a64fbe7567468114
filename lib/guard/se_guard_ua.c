/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scanner User-Agents: case-insensitive substring search of a handful of
 * patterns. Each byte of the value is looked up in a table of the patterns
 * that start with it, masked by those whose second byte is the next one;
 * only the survivors are compared. A User-Agent of ordinary phones costs
 * about one table load per byte.
 */
#include <errno.h>

#include "se_guard.h"
#include "guard_priv.h"

const char *const se_guard_ua_defaults[] = {
	"friendly-scanner", "sipvicious", "sipcli", "VaxSIPUserAgent", "sundayddr", "pplsip",
	"iWar", "sip-scan", NULL,
};

void
se_guard_ua_clear(struct se_guard_ua *ua)
{
	memset(ua, 0, sizeof(*ua));
}

void
se_guard_ua_set_defaults(struct se_guard_ua *ua)
{
	se_guard_ua_clear(ua);
	for (unsigned int i = 0; se_guard_ua_defaults[i] != NULL; i++)
		(void)se_guard_ua_add(ua, se_guard_ua_defaults[i]);
}

static void
mark(uint32_t *table, uint8_t c, uint32_t bit)
{
	table[guard_lower(c)] |= bit;
	if (c >= 'a' && c <= 'z')
		table[c - 32] |= bit;
}

int
se_guard_ua_add(struct se_guard_ua *ua, const char *pattern)
{
	size_t n = strlen(pattern);
	uint32_t bit;

	if (n == 0 || n > SE_GUARD_UA_LEN)
		return -EINVAL;
	if (ua->n >= SE_GUARD_MAX_UA)
		return -ENOSPC;
	bit = 1u << ua->n;
	for (size_t i = 0; i < n; i++)
		ua->pat[ua->n][i] = (char)guard_lower((uint8_t)pattern[i]);
	ua->pat[ua->n][n] = '\0';
	ua->len[ua->n] = (uint8_t)n;
	mark(ua->by_first, (uint8_t)ua->pat[ua->n][0], bit);
	if (n == 1) {
		for (unsigned int c = 0; c < 256; c++)
			ua->by_second[c] |= bit;
		ua->len1 |= bit;
	} else {
		mark(ua->by_second, (uint8_t)ua->pat[ua->n][1], bit);
	}
	ua->n++;
	return 0;
}

static bool
same_nocase(const uint8_t *v, const char *pat, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (guard_lower(v[i]) != (uint8_t)pat[i])
			return false;
	return true;
}

bool
se_guard_ua_match(const struct se_guard_ua *ua, const uint8_t *value, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint32_t m = ua->by_first[value[i]];

		if (m == 0)
			continue;
		m &= i + 1 < len ? ua->by_second[value[i + 1]] : ua->len1;
		while (m != 0) {
			unsigned int j = (unsigned int)__builtin_ctz(m);

			m &= m - 1;
			if (ua->len[j] <= len - i && same_nocase(value + i, ua->pat[j], ua->len[j]))
				return true;
		}
	}
	return false;
}
