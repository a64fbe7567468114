/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _NAT_PRIV_H_
#define _NAT_PRIV_H_

/* Private to lib/nat: small helpers shared by detection and rewrite. */

#include <stdint.h>
#include <string.h>

#include "se_fmt.h"
#include "se_nat.h"

/* RFC 3261 19.1.2: a sip: URI or a Via without a port means 5060. */
static inline uint16_t
nat_port_or_default(uint16_t port)
{
	return port != 0 ? port : 5060;
}

/* The decoded first Contact of a message, kept by the detection for the rewrite. */
struct nat_first_contact {
	int entry;              /* its index in msg->entries, or -1 when not decoded */
	int rc;                 /* what se_sip_addr_parse() returned */
	struct se_sip_addr a;   /* the address, when rc is 0 */
};

/*
 * The Contact tests of @p tests on every Contact entry, stopping when all of
 * them fired; the first entry's decoding goes to @p first when not NULL.
 * Defined in se_nat.c.
 */
uint32_t nat_detect_contacts(uint32_t tests, const uint8_t *buf, const struct se_sip_msg *msg,
			     uint32_t src_ip, uint16_t src_port, struct nat_first_contact *first);

/* The Via tests of @p tests (none for a response). Defined in se_nat.c. */
uint32_t nat_detect_via(uint32_t tests, const struct se_sip_msg *msg, uint32_t src_ip,
			uint16_t src_port);

#endif /* _NAT_PRIV_H_ */
