/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT detection (the tests of --nat-detect), the option's text form, and the
 * counters of the NAT step.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>

#include "se_nat.h"
#include "nat_priv.h"

/* Index = bit number of the test. */
static const char *const test_names[SE_NAT_TEST_COUNT] = {
	"contact-private", "via-private", "via-received", "via-rport-differs", "contact-differs",
};

bool
se_nat_ipv4_is_private(uint32_t be)
{
	uint32_t h = ntohl(be);

	return (h & 0xff000000u) == 0x0a000000u ||  /* 10/8 */
	       (h & 0xfff00000u) == 0xac100000u ||  /* 172.16/12 */
	       (h & 0xffff0000u) == 0xc0a80000u ||  /* 192.168/16 */
	       (h & 0xffc00000u) == 0x64400000u ||  /* 100.64/10, RFC 6598 */
	       (h & 0xffff0000u) == 0xa9fe0000u;    /* 169.254/16 */
}

const char *
se_nat_test_name(uint32_t test)
{
	for (unsigned int i = 0; i < SE_NAT_TEST_COUNT; i++)
		if (test == 1u << i)
			return test_names[i];
	return NULL;
}

int
se_nat_detect_parse(const char *list, uint32_t *tests)
{
	uint32_t mask = 0;
	bool none = false, named = false;
	const char *p = list;

	if (list == NULL)
		return -EINVAL;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		bool found = false;

		if (n == 4 && memcmp(p, "none", 4) == 0) {
			none = found = true;
		} else if (n == 7 && memcmp(p, "default", 7) == 0) {
			mask |= SE_NAT_DETECT_DEFAULT;
			named = found = true;
		} else {
			for (unsigned int i = 0; i < SE_NAT_TEST_COUNT; i++) {
				const char *t = test_names[i];

				if (strlen(t) == n && memcmp(p, t, n) == 0) {
					mask |= 1u << i;
					named = found = true;
				}
			}
		}
		if (!found)
			return -EINVAL;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	if (none && named)
		return -EINVAL;
	*tests = mask;
	return 0;
}

int
se_nat_detect_format(uint32_t tests, char *buf, size_t len)
{
	size_t off = 0;
	int n;

	if (len > 0)
		buf[0] = '\0';
	if ((tests & SE_NAT_DETECT_ALL) == 0)
		return snprintf(buf, len, "none");
	for (unsigned int i = 0; i < SE_NAT_TEST_COUNT; i++) {
		if ((tests & (1u << i)) == 0)
			continue;
		n = snprintf(buf + (off < len ? off : len), off < len ? len - off : 0, "%s%s",
			     off > 0 ? "," : "", test_names[i]);
		if (n < 0)
			return n;
		off += (size_t)n;
	}
	return (int)off;
}

uint32_t
nat_detect_contacts(uint32_t tests, const uint8_t *buf, const struct se_sip_msg *msg,
		    uint32_t src_ip, uint16_t src_port, struct nat_first_contact *first)
{
	uint32_t fired = 0;
	bool is_first = true;

	tests &= SE_NAT_CONTACT_PRIVATE | SE_NAT_CONTACT_DIFFERS;
	if (tests == 0 || (msg->seen & SE_SIP_SEEN(SE_SIP_HDR_CONTACT)) == 0)
		return 0;
	for (uint16_t h = msg->first[SE_SIP_HDR_CONTACT]; h < msg->hdr_count; h++) {
		const struct se_sip_hdr *hd = &msg->hdrs[h];

		if (hd->type != SE_SIP_HDR_CONTACT)
			continue;
		for (unsigned int k = 0; k < hd->n_entries; k++) {
			unsigned int e = hd->first_entry + k;
			struct se_sip_addr local, *a = &local;
			const struct se_sip_uri *u;
			int rc;

			if (e >= msg->entry_count)
				break;
			if (is_first && first != NULL)
				a = &first->a;
			rc = se_sip_addr_parse(buf, msg->entries[e].span, a);
			if (is_first && first != NULL) {
				first->entry = (int)e;
				first->rc = rc;
			}
			is_first = false;
			u = &a->uri;
			if (rc != 0 || (a->flags & SE_SIP_ADDR_STAR) ||
			    u->scheme_id == SE_SIP_SCHEME_OTHER)
				continue;
			if (u->host_type == SE_SIP_HOST_IPV4 && se_nat_ipv4_is_private(u->ipv4))
				fired |= SE_NAT_CONTACT_PRIVATE;
			if (u->host_type != SE_SIP_HOST_IPV4 || u->ipv4 != src_ip ||
			    nat_port_or_default(u->port) != src_port)
				fired |= SE_NAT_CONTACT_DIFFERS;
			if ((fired & tests) == tests)
				return tests;
		}
	}
	return fired & tests;
}

/* The Via tests: a response's top Via is the edge's own, so they are for requests only. */
uint32_t
nat_detect_via(uint32_t tests, const struct se_sip_msg *msg, uint32_t src_ip, uint16_t src_port)
{
	const struct se_sip_via *v = &msg->via;
	bool v4 = v->host_type == SE_SIP_HOST_IPV4;
	uint32_t fired = 0;

	if (!msg->is_request)
		return 0;
	if ((tests & SE_NAT_VIA_PRIVATE) && v4 && se_nat_ipv4_is_private(v->ipv4))
		fired |= SE_NAT_VIA_PRIVATE;
	if ((tests & SE_NAT_VIA_RECEIVED) && (!v4 || v->ipv4 != src_ip))
		fired |= SE_NAT_VIA_RECEIVED;
	if ((tests & SE_NAT_VIA_RPORT_DIFFERS) && nat_port_or_default(v->port) != src_port)
		fired |= SE_NAT_VIA_RPORT_DIFFERS;
	return fired;
}

uint32_t
se_nat_detect(uint32_t tests, const uint8_t *buf, const struct se_sip_msg *msg,
	      uint32_t src_ip, uint16_t src_port)
{
	return nat_detect_via(tests, msg, src_ip, src_port) |
	       nat_detect_contacts(tests, buf, msg, src_ip, src_port, NULL);
}

void
se_nat_count(const struct se_nat_out *o, struct se_stats *st)
{
	static const uint16_t skip_stat[SE_NAT_SKIP_COUNT] = {
		[SE_NAT_SKIP_STAR] = SE_STAT_NAT_SKIP_STAR,
		[SE_NAT_SKIP_SCHEME] = SE_STAT_NAT_SKIP_SCHEME,
		[SE_NAT_SKIP_IPV6] = SE_STAT_NAT_SKIP_IPV6,
		[SE_NAT_SKIP_TRANSPORT] = SE_STAT_NAT_SKIP_TRANSPORT,
		[SE_NAT_SKIP_ALIASED] = SE_STAT_NAT_SKIP_ALIASED,
		[SE_NAT_SKIP_SAME] = SE_STAT_NAT_SKIP_SAME,
		[SE_NAT_SKIP_PROXIED] = SE_STAT_NAT_SKIP_PROXIED,
		[SE_NAT_SKIP_MALFORMED] = SE_STAT_NAT_SKIP_MALFORMED,
		[SE_NAT_SKIP_NO_ROOM] = SE_STAT_NAT_SKIP_NO_ROOM,
		[SE_NAT_SKIP_ALIAS_BAD] = SE_STAT_NAT_SKIP_ALIAS_BAD,
	};

	if (!o->any)
		return;
	if (o->detected != 0)
		st->c[SE_STAT_NAT_DETECTED]++;
	st->c[SE_STAT_NAT_CONTACTS_REWRITTEN] += o->rewritten;
	st->c[SE_STAT_NAT_RPORT_FORCED] += o->rport_forced;
	st->c[SE_STAT_NAT_TO_PINHOLE] += o->to_pinhole;
	st->c[SE_STAT_NAT_CONTACTS_RESTORED] += o->restored;
	for (unsigned int i = 0; i < SE_NAT_SKIP_COUNT; i++)
		st->c[skip_stat[i]] += o->skipped[i];
}
