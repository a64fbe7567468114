/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The probe's text: an OPTIONS request (RFC 3261 11) whose branch carries
 * everything needed to match its reply, so the prober keeps no table of
 * probes out: id and seq in clear, and a check that binds them to the
 * backend's address and the caller's key (a stale reply after a reload, or
 * one forged by someone who cannot see the probes, does not match).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "se_health.h"

static const char hex_digits[] = "0123456789abcdef";

/* splitmix64's finaliser: a well-mixed 64-bit permutation. */
static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static uint32_t
probe_check(const struct se_health_probe *pr)
{
	uint64_t h = mix64(pr->key ^ ((uint64_t)pr->id << 32 | pr->seq));

	h = mix64(h ^ ((uint64_t)pr->dst_ip << 16 | pr->dst_port));
	return (uint32_t)(h >> 32);
}

static char *
put_hex32(char *p, uint32_t v)
{
	for (int i = 7; i >= 0; i--)
		*p++ = hex_digits[(v >> (4 * i)) & 15];
	return p;
}

void
se_health_probe_branch(const struct se_health_probe *pr, char *out)
{
	char *p = out;

	memcpy(p, pr->branch_prefix, SE_HEALTH_BRANCH_PREFIX_LEN);
	p += SE_HEALTH_BRANCH_PREFIX_LEN;
	p = put_hex32(p, pr->id);
	p = put_hex32(p, pr->seq);
	put_hex32(p, probe_check(pr));
}

/* Dotted quad of a network-order address. */
static void
ipv4_text(uint32_t be, char *out, size_t cap)
{
	const uint8_t *b = (const uint8_t *)&be;

	snprintf(out, cap, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

int
se_health_probe_build(const struct se_health_probe *pr, char *buf, size_t cap)
{
	char br[SE_HEALTH_BRANCH_PREFIX_LEN + SE_HEALTH_BRANCH_HEX + 1];
	char src[16], dst[16];
	const char *tag;
	int n;

	if (pr->branch_prefix == NULL ||
	    strlen(pr->branch_prefix) != SE_HEALTH_BRANCH_PREFIX_LEN)
		return -EINVAL;
	se_health_probe_branch(pr, br);
	br[sizeof(br) - 1] = '\0';
	/* id, seq, check: unique per probe and per edge, reused as tag and Call-ID */
	tag = br + SE_HEALTH_BRANCH_PREFIX_LEN;
	ipv4_text(pr->src_ip, src, sizeof(src));
	ipv4_text(pr->dst_ip, dst, sizeof(dst));
	n = snprintf(buf, cap,
		     "OPTIONS sip:%s:%u SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP %s:%u;branch=%s;rport\r\n"
		     "Max-Forwards: 70\r\n"
		     "From: <sip:sipedge@%s:%u>;tag=%s\r\n"
		     "To: <sip:%s:%u>\r\n"
		     "Call-ID: %s@%s\r\n"
		     "CSeq: %u OPTIONS\r\n"
		     "Accept: application/sdp\r\n"
		     "User-Agent: sipedge health probe\r\n"
		     "Content-Length: 0\r\n"
		     "\r\n",
		     dst, pr->dst_port, src, pr->src_port, br, src, pr->src_port, tag, dst,
		     pr->dst_port, tag, src, pr->seq & 0x7fffffffu);
	if (n < 0 || (size_t)n >= cap)
		return -ENOSPC;
	return n;
}

static bool
read_hex32(const uint8_t *p, uint32_t *v)
{
	uint32_t x = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else
			return false;
		x = x << 4 | d;
	}
	*v = x;
	return true;
}

bool
se_health_probe_decode(const char *prefix, const uint8_t *branch, size_t len, uint32_t *id,
		       uint32_t *seq)
{
	uint32_t check;

	if (len != SE_HEALTH_BRANCH_PREFIX_LEN + SE_HEALTH_BRANCH_HEX ||
	    memcmp(branch, prefix, SE_HEALTH_BRANCH_PREFIX_LEN) != 0)
		return false;
	branch += SE_HEALTH_BRANCH_PREFIX_LEN;
	return read_hex32(branch, id) && read_hex32(branch + 8, seq) &&
	       read_hex32(branch + 16, &check);
}

bool
se_health_probe_matches(const struct se_health_probe *pr, const uint8_t *branch, size_t len)
{
	char want[SE_HEALTH_BRANCH_PREFIX_LEN + SE_HEALTH_BRANCH_HEX];

	if (len != sizeof(want))
		return false;
	se_health_probe_branch(pr, want);
	return memcmp(want, branch, sizeof(want)) == 0;
}
