/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_NAT_H_
#define _SE_NAT_H_

/**
 * @file
 * NAT traversal in the data plane: detection, Contact rewriting, and the way
 * back into the pinhole.
 *
 * A client behind NAT writes its private address into Contact and Via; the
 * only way back to it is the pinhole its router opened, i.e. the source
 * address and port of its datagrams. Like Kamailio's nathelper
 * (nat_uac_test, fix_nated_contact, force_rport, handle_ruri_alias), but
 * without a script and without state, these rules add edits to the proxy's
 * edit plan (lib/edit); they never touch the datagram.
 *
 * Detection (se_nat_detect()): tests operators know from nat_uac_test, each
 * one bit of a mask chosen with `--nat-detect LIST`:
 * - contact-private: a Contact URI host is an RFC 1918 (10/8, 172.16/12,
 *   192.168/16), RFC 6598 (100.64/10) or link-local (169.254/16) address;
 * - via-private: the top Via sent-by is such an address (requests);
 * - via-received: the top Via sent-by address is not the packet's source
 *   address (requests);
 * - via-rport-differs: the top Via sent-by port (5060 when absent) is not
 *   the packet's source port (requests);
 * - contact-differs: a Contact URI's host:port is not the packet's source
 *   (not in the default set: it fires for every client using a host name).
 * The default (SE_NAT_DETECT_DEFAULT) is contact-private, via-received,
 * via-rport-differs. The Via tests do not apply to responses: their top Via
 * is the edge's own. The NAT step runs the Contact tests only when no Via
 * test fired (they decode the Contacts; the Via tests only compare numbers).
 *
 * The rewrite (se_nat_from_client()), for a message from a client that a test
 * found behind NAT:
 * - each Contact URI of a request that came straight from its UA (one Via),
 *   and of a 1xx/2xx response, gets the packet's source as host:port; the
 *   original host and port follow as the first URI parameter,
 *   `;se-alias=HOST~PORT` (`;se-alias=HOST` when the URI had no port), e.g.
 *   `<sip:alice@192.168.1.20:5062;transport=udp>;expires=60` becomes
 *   `<sip:alice@203.0.113.10:40001;se-alias=192.168.1.20~5062;transport=udp>;expires=60`.
 *   Every other URI and header parameter, the display name and the user
 *   part stay byte for byte. An addr-spec Contact (no <>) is put inside <>
 *   so that the new parameter is a URI parameter while the old ones stay
 *   header parameters. Left alone on purpose, each with its counter: `*`,
 *   schemes other than sip: (sips: needs TLS, a UDP pinhole is no use),
 *   IPv6 references (the edge relays IPv4 only), transport= other than UDP
 *   and maddr= (the pinhole is UDP and the URI's own), URIs that carry
 *   se-alias already, URIs that are the source already, and Contacts of a
 *   request relayed by a proxy (more than one Via: the source is the proxy,
 *   not the UA). The name is not Kamailio's `alias` on purpose: that one
 *   holds the received address, and a Kamailio behind the edge running
 *   handle_ruri_alias() would send to the private address.
 * - a request without ;rport in its top Via gets `;rport=SOURCE-PORT`
 *   (force_rport), so its responses go back through the pinhole.
 *
 * The way back (se_nat_to_client()): a request from a backend whose
 * Request-URI carries se-alias (an INVITE from the registrar through our
 * Path, an in-dialog request to the rewritten Contact) goes to the host:port
 * of the Request-URI, which is the pinhole. The Request-URI is restored to
 * what the client wrote (host and port from the parameter, the parameter
 * removed), so the client receives its own Contact back. RFC 3261 allows
 * it: the URI is one the edge minted itself (as with its own Record-Route
 * entries in section 16.4), and a UAS identifies the dialog by Call-ID and
 * tags, not by the Request-URI (12.2.2).
 *
 * The 2xx of a REGISTER (se_nat_register_reply()) lists the bindings the
 * registrar stored: the client's own come back as it wrote them, so that it
 * recognises its Contact and the expiry granted (RFC 3261 10.2.4).
 *
 * Content-Length never changes (the body is untouched); SDP is not
 * rewritten: media needs a relay (rtpengine beside the backends).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "se_edit.h"
#include "se_sip.h"
#include "se_stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A Contact URI host is a private, shared (RFC 6598) or link-local address. */
#define SE_NAT_CONTACT_PRIVATE   (1u << 0)
/** The top Via sent-by is a private, shared or link-local address. */
#define SE_NAT_VIA_PRIVATE       (1u << 1)
/** The top Via sent-by address is not the source address. */
#define SE_NAT_VIA_RECEIVED      (1u << 2)
/** The top Via sent-by port is not the source port. */
#define SE_NAT_VIA_RPORT_DIFFERS (1u << 3)
/** A Contact URI's host:port is not the source address and port. */
#define SE_NAT_CONTACT_DIFFERS   (1u << 4)
/** Number of detection tests. */
#define SE_NAT_TEST_COUNT 5
/** Every test. */
#define SE_NAT_DETECT_ALL ((1u << SE_NAT_TEST_COUNT) - 1)
/** The tests on by default (on messages from clients). */
#define SE_NAT_DETECT_DEFAULT (SE_NAT_CONTACT_PRIVATE | SE_NAT_VIA_RECEIVED | \
			       SE_NAT_VIA_RPORT_DIFFERS)

/** The URI parameter that records what a rewritten Contact said. */
#define SE_NAT_ALIAS "se-alias"
/** Its length. */
#define SE_NAT_ALIAS_LEN 8

/** Why a Contact (or a Request-URI's se-alias) was left alone. */
enum se_nat_skip {
	SE_NAT_SKIP_STAR = 0,   /**< Contact: * */
	SE_NAT_SKIP_SCHEME,     /**< not a sip: URI (sips:, tel:, ...) */
	SE_NAT_SKIP_IPV6,       /**< an IPv6 reference */
	SE_NAT_SKIP_TRANSPORT,  /**< transport= other than udp, or maddr= */
	SE_NAT_SKIP_ALIASED,    /**< carries se-alias already */
	SE_NAT_SKIP_SAME,       /**< host:port is the source already */
	SE_NAT_SKIP_PROXIED,    /**< a request with more than one Via: the source is a proxy */
	SE_NAT_SKIP_MALFORMED,  /**< the Contact does not parse */
	SE_NAT_SKIP_NO_ROOM,    /**< the edit plan is full */
	SE_NAT_SKIP_ALIAS_BAD,  /**< a Request-URI se-alias that is not ours: URI left as is */
	SE_NAT_SKIP_COUNT       /**< number of reasons */
};

/** What the NAT rules did to one message (counted by se_nat_count()). */
struct se_nat_out {
	bool any;            /**< something below is set */
	uint8_t detected;    /**< tests that fired (SE_NAT_*; Contact ones if no Via one did) */
	uint8_t rewritten;   /**< Contact URIs rewritten */
	bool rport_forced;   /**< ;rport=PORT added to the top Via */
	bool to_pinhole;     /**< the Request-URI's se-alias was restored: into the pinhole */
	uint8_t restored;    /**< REGISTER 2xx Contacts given back to their client as written */
	uint8_t skipped[SE_NAT_SKIP_COUNT]; /**< Contacts or URIs left alone, per reason */
};

/**
 * Is an IPv4 address private (RFC 1918), shared (RFC 6598, 100.64/10) or
 * link-local (169.254/16)?
 *
 * @param be  the address, network byte order
 */
bool se_nat_ipv4_is_private(uint32_t be);

/**
 * Parse a `--nat-detect` list: test names separated by commas
 * (contact-private, via-private, via-received, via-rport-differs,
 * contact-differs), or `none`, or `default`.
 *
 * @param list   the text
 * @param tests  set to the mask of SE_NAT_* tests
 * @return 0, or -EINVAL for an unknown or empty name, or `none` mixed with names
 */
int se_nat_detect_parse(const char *list, uint32_t *tests);

/**
 * Write a mask of tests as a `--nat-detect` list ("none" when 0).
 *
 * @param tests  the mask
 * @param buf    where to write (NUL-terminated, truncated to @p len)
 * @param len    its size
 * @return the length of the full text (as snprintf)
 */
int se_nat_detect_format(uint32_t tests, char *buf, size_t len);

/** The `--nat-detect` name of one test bit ("via-received"), or NULL. */
const char *se_nat_test_name(uint32_t test);

/**
 * Which of @p tests find the sender of a message behind NAT.
 *
 * @param tests     mask of SE_NAT_* tests to run
 * @param buf       the datagram
 * @param msg       its view (parsed SE_SIP_OK)
 * @param src_ip    source address, network byte order
 * @param src_port  source port, host byte order
 * @return the tests that fired (0: none)
 */
uint32_t se_nat_detect(uint32_t tests, const uint8_t *buf, const struct se_sip_msg *msg,
		       uint32_t src_ip, uint16_t src_port);

/**
 * Rewrite every Contact URI of a message to the source address and port,
 * recording the original in se-alias (see the file comment for what is left
 * alone). Runs whatever the detection said; se_nat_from_client() decides
 * when to call it.
 *
 * @param buf       the datagram
 * @param msg       its view
 * @param src_ip    source address, network byte order
 * @param src_port  source port, host byte order
 * @param plan      the edit plan to add to
 * @param out       counts what was done (added to, not reset)
 */
void se_nat_fix_contacts(const uint8_t *buf, const struct se_sip_msg *msg, uint32_t src_ip,
			 uint16_t src_port, struct se_edit_plan *plan, struct se_nat_out *out);

/**
 * The NAT step of a message from a client, forwarded by the proxy: detect,
 * then for a message behind NAT force ;rport on a request's top Via and
 * rewrite the Contacts of a request straight from its UA or of a 1xx/2xx
 * response.
 *
 * @param tests     mask of SE_NAT_* tests (0: do nothing)
 * @param buf       the datagram
 * @param msg       its view
 * @param src_ip    source address, network byte order
 * @param src_port  source port, host byte order
 * @param plan      the edit plan to add to (the proxy's edits already in it)
 * @param out       counts what was done (added to, not reset)
 */
void se_nat_from_client(uint32_t tests, const uint8_t *buf, const struct se_sip_msg *msg,
			uint32_t src_ip, uint16_t src_port, struct se_edit_plan *plan,
			struct se_nat_out *out);

/**
 * The NAT step of a request from a backend that goes to its Request-URI: when
 * the URI carries our se-alias, restore the client's host and port and
 * remove the parameter. The destination stays the URI's host:port as
 * received (the pinhole).
 *
 * @param buf   the datagram
 * @param msg   its view
 * @param plan  the edit plan to add to
 * @param out   counts what was done (added to, not reset)
 * @return true when the Request-URI carried a valid se-alias (restored, or
 *         counted no_room when the plan was full)
 */
bool se_nat_to_client(const uint8_t *buf, const struct se_sip_msg *msg,
		      struct se_edit_plan *plan, struct se_nat_out *out);

/**
 * The NAT step of a 2xx to a REGISTER, from the registrar to a client: the
 * bindings that name the client's pinhole (host:port = @p dst_ip:@p dst_port
 * and our se-alias) are given back as the client wrote them, so it finds its
 * own Contact in the list (RFC 3261 10.2.4) and learns its expiry. Other
 * bindings of the address of record (other devices, other pinholes) stay.
 *
 * @param buf       the datagram
 * @param msg       its view
 * @param dst_ip    where the response goes (the client's pinhole), network byte order
 * @param dst_port  its port, host byte order
 * @param plan      the edit plan to add to
 * @param out       counts what was done (added to, not reset)
 */
void se_nat_register_reply(const uint8_t *buf, const struct se_sip_msg *msg, uint32_t dst_ip,
			   uint16_t dst_port, struct se_edit_plan *plan, struct se_nat_out *out);

/**
 * Add what one message's NAT step did to a worker's counters.
 *
 * @param o   the NAT step's outcome
 * @param st  the counters
 */
void se_nat_count(const struct se_nat_out *o, struct se_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* _SE_NAT_H_ */
