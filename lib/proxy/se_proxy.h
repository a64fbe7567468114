/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_PROXY_H_
#define _SE_PROXY_H_

/**
 * @file
 * Stateless proxy rules: RFC 3261 section 16.11, RFC 3581, RFC 3327.
 *
 * se_proxy_process() looks at one parsed message and decides: forward it (to
 * which address, out of which side), answer it (483, 200 to an OPTIONS for
 * the edge itself), hand it to the control core (a health-probe reply), or
 * drop it (and why, as a counter id). The changes a forwarded message needs
 * are added to an edit plan (lib/edit); the caller applies the plan to the
 * datagram in place. Nothing here touches the datagram, allocates, or keeps
 * state between calls: the same request gives the same decision and the same
 * bytes every time, which is what makes a retransmission or a CANCEL follow
 * its INVITE.
 *
 * The edge has two sides: external (clients) and internal (backends). With
 * one port both sides are the same address and a request is "from a backend"
 * when its source address and port are a backend's.
 *
 * What the edge writes into messages:
 * - Via: `SIP/2.0/UDP <our address of the egress side>:<port>;branch=z9hG4bKsE<16 hex>`,
 *   the branch a hash of the received top branch (or, for a pre-3261 client,
 *   of the fields section 16.11 lists) and of the destination.
 * - Record-Route on requests that create a dialog (INVITE, SUBSCRIBE, REFER,
 *   NOTIFY without a To tag): `<sip:ADDR:PORT;lr;sb=HEX>`, two entries when
 *   the edge has two sides, the one facing the next hop on top. `sb` names
 *   the backend of the dialog (address and port, hex), so later requests of
 *   the dialog reach it even after the backend table changed.
 * - Path on REGISTER towards a registrar: `<sip:INTERNAL-ADDR:PORT;lr>`.
 *
 * NAT (lib/nat, when se_proxy_params.nat_detect is not 0): a message from a
 * client that a detection test finds behind NAT gets its Contacts pointed at
 * its source address and port (`;se-alias=` keeps the original) and, for a
 * request without ;rport, `;rport=PORT` on its Via; a request from a backend
 * to a Request-URI carrying se-alias goes into that pinhole with the
 * client's own URI restored, and a registrar's 2xx gives the client its own
 * Contact back. out->nat says what was done.
 */

#include <stdbool.h>
#include <stdint.h>

#include "se_dispatch.h"
#include "se_edit.h"
#include "se_nat.h"
#include "se_sip.h"
#include "se_stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Branch prefix of requests the edge forwards: magic cookie + "sE". */
#define SE_PROXY_BRANCH "z9hG4bKsE"
/** Branch prefix of the control core's health probes: magic cookie + "sP". */
#define SE_PROXY_PROBE_BRANCH "z9hG4bKsP"
/** Length of both prefixes. */
#define SE_PROXY_BRANCH_PREFIX_LEN 9
/** Max-Forwards the edge adds when a request has none (RFC 3261 16.6). */
#define SE_PROXY_DEFAULT_MAX_FORWARDS 70
/** Largest reply se_proxy_reply() writes for a request whose Via, From, To, Call-ID, CSeq fit. */
#define SE_PROXY_REPLY_MAX 2048

/** A piece of text the edge writes into messages, formatted once at startup. */
struct se_proxy_text {
	uint8_t len;   /**< its length */
	char s[63];    /**< the text (not NUL-terminated) */
};

/** Index of the external and internal side in se_proxy_params' text arrays. */
enum se_proxy_side {
	SE_PROXY_EXT = 0, /**< external: clients */
	SE_PROXY_INT = 1, /**< internal: backends */
};

/**
 * Settings of the proxy, fixed at startup: set the first fields, then call
 * se_proxy_init() to format the text the edge writes in every message.
 */
struct se_proxy_params {
	uint32_t ext_ip;       /**< our external address, network byte order */
	uint32_t int_ip;       /**< our internal address (== ext_ip with one port) */
	uint16_t sip_port;     /**< our SIP port */
	bool two_sided;        /**< external and internal are different ports */
	uint32_t call_set;     /**< set id for new calls and other requests */
	uint32_t register_set; /**< set id for REGISTER (== call_set unless configured) */
	uint64_t seed;         /**< secret mixed into branches and To tags */
	uint32_t nat_detect;   /**< NAT tests on client messages (SE_NAT_*); 0: no NAT step */
	/* Filled by se_proxy_init(). */
	struct se_proxy_text via[2]; /**< "Via: SIP/2.0/UDP ADDR:PORT;branch=" SE_PROXY_BRANCH, per side */
	struct se_proxy_text uri[2]; /**< "<sip:ADDR:PORT;lr", per side (Record-Route) */
	struct se_proxy_text path;   /**< "Path: <sip:INTERNAL-ADDR:PORT;lr>\r\n" */
};

/**
 * Format the fixed text of @p pp from its addresses and port. Call it after
 * setting them and before se_proxy_process().
 *
 * @param pp  the settings
 */
void se_proxy_init(struct se_proxy_params *pp);

/** Where a message came from. */
struct se_proxy_in {
	uint32_t src_ip;    /**< source address, network byte order */
	uint16_t src_port;  /**< source port, host byte order */
	bool from_internal; /**< arrived on the internal port (two-sided edge) */
};

/** What to do with a message. */
enum se_proxy_verdict {
	SE_PROXY_FORWARD = 0, /**< apply the plan, send to out->dst */
	SE_PROXY_REPLY,       /**< answer with out->reply_code (se_proxy_reply()) to out->dst */
	SE_PROXY_CONTROL,     /**< a health-probe reply: hand it to the control core */
	SE_PROXY_DROP,        /**< drop; out->reason says why */
};

/** Decision details. */
struct se_proxy_out {
	uint32_t dst_ip;        /**< next hop address, network byte order */
	uint16_t dst_port;      /**< next hop port */
	uint16_t reply_code;    /**< SE_PROXY_REPLY: the status code */
	uint32_t src_ip;        /**< our address on the egress side */
	bool to_internal;       /**< egress is the internal side */
	uint8_t reason;         /**< the counter of this outcome (enum se_stat_id): the drop reason, or what was done */
	uint8_t event;          /**< a second counter to bump (pinned, fallback, new dialog), or SE_STAT_COUNT */
	int32_t backend;        /**< table index of the chosen backend, or -1 */
	bool new_dialog;        /**< a dialog-creating request, record-routed */
	struct se_nat_out nat;  /**< what the NAT step did (se_nat_count() counts it) */
};

/**
 * Decide what to do with one parsed message and plan its edits.
 *
 * @param pp     proxy settings
 * @param t      the current backend table (RCU snapshot); NULL drops requests to backends
 * @param buf    the datagram
 * @param msg    its view (se_sip_parse() returned SE_SIP_OK)
 * @param in     where it came from
 * @param plan   reset, then filled with the edits a forwarded message needs
 * @param out    the decision details
 * @return the verdict
 */
enum se_proxy_verdict se_proxy_process(const struct se_proxy_params *pp,
				       const struct se_dispatch_table *t, const uint8_t *buf,
				       const struct se_sip_msg *msg, const struct se_proxy_in *in,
				       struct se_edit_plan *plan, struct se_proxy_out *out);

/**
 * Write a stateless reply to a request (RFC 3261 16.11, 8.2.6): status line,
 * the request's Via fields (the top one with received and rport), From, To
 * (with a tag derived from the request when it had none, the same for every
 * retransmission), Call-ID, CSeq, @p extra, Server and Content-Length: 0.
 * Also sets out->dst_ip/dst_port (the source, or the Via's port without
 * rport), out->src_ip and out->to_internal (back out of the side it came in).
 *
 * @param pp      proxy settings
 * @param buf     the request
 * @param msg     its view
 * @param in      where it came from
 * @param code    status code
 * @param reason  reason phrase
 * @param extra   extra header lines, each ending in CRLF, or NULL
 * @param dst     buffer for the reply
 * @param cap     its size
 * @param out     next hop of the reply
 * @return the reply's length, or -ENOSPC when it does not fit in @p cap
 */
int se_proxy_reply(const struct se_proxy_params *pp, const uint8_t *buf,
		   const struct se_sip_msg *msg, const struct se_proxy_in *in, uint16_t code,
		   const char *reason, const char *extra, uint8_t *dst, size_t cap,
		   struct se_proxy_out *out);

/**
 * Is this URI one of the edge's own (our address and SIP port)?
 *
 * @param pp   proxy settings
 * @param uri  a decoded URI
 */
bool se_proxy_uri_is_ours(const struct se_proxy_params *pp, const struct se_sip_uri *uri);

/**
 * Decode the backend an `sb=` parameter names.
 *
 * @param p     the value
 * @param len   its length
 * @param addr  the backend
 * @return true when the value is well formed
 */
bool se_proxy_sb_decode(const uint8_t *p, size_t len, struct se_dispatch_addr *addr);

/** Does a branch begin with the prefix @p prefix (SE_PROXY_BRANCH or SE_PROXY_PROBE_BRANCH)? */
bool se_proxy_branch_is(const uint8_t *buf, struct se_span branch, const char *prefix);

#ifdef __cplusplus
}
#endif

#endif /* _SE_PROXY_H_ */
