/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_STATS_H_
#define _SE_STATS_H_

/**
 * @file
 * The one table of counter names.
 *
 * Every outcome of a packet in the data plane (received, sent, each reason
 * to drop) is a counter listed once in SE_STATS_FOREACH. Workers keep their
 * own struct se_stats and only ever increment it; the control core sums
 * them. Stats printing, telemetry and /metrics all walk the same table, so a
 * new reason is added here and nowhere else.
 *
 * Each entry is X(ID, kind, name, help): SE_STAT_<ID> is its index, kind is
 * one of "rx", "tx", "drop", "event" (drop counters are what an operator
 * alarms on), name is the stable identifier used in logs, telemetry and
 * metrics, help is one line for humans.
 *
 * Parse failures are counted once in drop_sip_parse and once more by their
 * status (enum se_sip_status) in sip_err[]: those counters are named
 * "sip_parse_<status name>" (se_sip_status_name()), so the parser's own enum
 * is the one list of its reasons.
 *
 * With the guard (lib/guard), a request that failed to parse may be answered
 * (reply_400, reply_505, reply_513) instead of dropped: sip_parse_<status>
 * counts every parse failure, drop_sip_parse only those dropped for it.
 */

#include <stdbool.h>
#include <stdint.h>

#include "se_sip.h"

#define SE_STATS_FOREACH(X) \
	/* port I/O */ \
	X(RX_PACKETS,        rx,    "rx_packets",        "frames received") \
	X(RX_BYTES,          rx,    "rx_bytes",          "bytes received") \
	X(TX_PACKETS,        tx,    "tx_packets",        "frames sent") \
	X(TX_BYTES,          tx,    "tx_bytes",          "bytes sent") \
	X(DROP_TX_FULL,      drop,  "drop_tx_full",      "TX queue full: frame not sent") \
	X(DROP_PORT_RX_MISSED, drop, "drop_port_rx_missed", "frames the device dropped: RX queue or ring full") \
	X(DROP_PORT_RX_NOMBUF, drop, "drop_port_rx_nombuf", "frames the device dropped: no mbuf to receive into") \
	X(DROP_PORT_RX_ERRORS, drop, "drop_port_rx_errors", "frames the device received in error") \
	X(DROP_PORT_TX_ERRORS, drop, "drop_port_tx_errors", "frames the device failed to send") \
	/* L2 */ \
	X(DROP_L2_SHORT,     drop,  "drop_l2_short",     "frame shorter than an Ethernet header") \
	X(DROP_L2_ETHERTYPE, drop,  "drop_l2_ethertype", "ethertype not ARP or IPv4") \
	X(DROP_L2_NOT_US,    drop,  "drop_l2_not_us",    "destination MAC neither ours nor broadcast") \
	X(ARP_TO_CONTROL,    event, "arp_to_control",    "ARP frames handed to the control core") \
	X(DROP_CONTROL_RING, drop,  "drop_control_ring", "control ring full: frame for the control core dropped") \
	X(DROP_ARP_BAD,      drop,  "drop_arp_bad",      "ARP truncated, or not an Ethernet/IPv4 request or reply") \
	X(DROP_ARP_NOT_US,   drop,  "drop_arp_not_us",   "ARP neither for our address nor gratuitous") \
	X(DROP_ARP_SENDER,   drop,  "drop_arp_sender",   "ARP sender is not a unicast on-link neighbour") \
	X(ARP_REPLIED,       event, "arp_replied",       "ARP requests for our addresses answered") \
	X(ARP_REQUESTS_SENT, event, "arp_requests_sent", "ARP requests sent to resolve next hops") \
	X(NEIGH_PUBLISHED,   event, "neigh_published",   "neighbour tables published to the workers") \
	X(DROP_LINEARIZE,    drop,  "drop_linearize",    "multi-segment datagram could not be made contiguous") \
	/* IPv4 */ \
	X(DROP_IP_SHORT,     drop,  "drop_ip_short",     "IPv4 header truncated") \
	X(DROP_IP_VERSION,   drop,  "drop_ip_version",   "IP version is not 4") \
	X(DROP_IP_HDR_LEN,   drop,  "drop_ip_hdr_len",   "IPv4 IHL below 5 or beyond the frame") \
	X(DROP_IP_LEN,       drop,  "drop_ip_len",       "IPv4 total length inconsistent with the frame") \
	X(DROP_IP_CHECKSUM,  drop,  "drop_ip_checksum",  "IPv4 header checksum wrong") \
	X(DROP_IP_TTL,       drop,  "drop_ip_ttl",       "IPv4 TTL zero") \
	X(DROP_IP_NOT_US,    drop,  "drop_ip_not_us",    "IPv4 destination not one of our addresses") \
	X(DROP_IP_PROTO,     drop,  "drop_ip_proto",     "IP protocol neither UDP nor ICMP") \
	X(DROP_IP_OPTIONS,   drop,  "drop_ip_options",   "IPv4 options present") \
	X(DROP_IP_SRC,       drop,  "drop_ip_src",       "source address broadcast, multicast or zero") \
	X(IP_FRAGMENTS,      event, "ip_fragments",      "IPv4 fragments received") \
	X(IP_REASSEMBLED,    event, "ip_reassembled",    "datagrams reassembled from fragments") \
	X(DROP_IP_FRAG,      drop,  "drop_ip_frag",      "fragment dropped: table full, timeout or overlap") \
	X(IP_FRAGMENTED_OUT, event, "ip_fragmented_out", "datagrams fragmented on output") \
	X(DROP_IP_FRAG_OUT,  drop,  "drop_ip_frag_out",  "datagram too large to fragment, or no mbufs") \
	/* ICMP */ \
	X(ICMP_ECHO_REPLIED, event, "icmp_echo_replied", "ICMP echo requests answered") \
	X(ICMP_TO_CONTROL,   event, "icmp_to_control",   "ICMP errors handed to the control core") \
	X(DROP_ICMP,         drop,  "drop_icmp",         "ICMP message malformed or of another type") \
	/* UDP */ \
	X(DROP_UDP_SHORT,    drop,  "drop_udp_short",    "UDP header truncated") \
	X(DROP_UDP_LEN,      drop,  "drop_udp_len",      "UDP length inconsistent with the IP length") \
	X(DROP_UDP_CHECKSUM, drop,  "drop_udp_checksum", "UDP checksum wrong") \
	X(DROP_UDP_PORT,     drop,  "drop_udp_port",     "UDP destination port is not our SIP port") \
	X(SIP_RX,            rx,    "sip_rx",            "SIP datagrams handed to the SIP stage") \
	X(NEIGH_GLEANED,     event, "neigh_gleaned",     "on-link SIP senders learned from their frames (no ARP)") \
	/* next hop */ \
	X(DROP_NO_ROUTE,     drop,  "drop_no_route",     "no port or gateway reaches the next hop") \
	X(DROP_NEIGH_UNRESOLVED, drop, "drop_neigh_unresolved", "next hop MAC not yet resolved (ARP started)") \
	X(DROP_NO_HEADROOM,  drop,  "drop_no_headroom",  "no room to prepend the UDP/IP/Ethernet headers") \
	X(DROP_NO_MBUF,      drop,  "drop_no_mbuf",      "mbuf pool exhausted") \
	X(DROP_DST_INVALID,  drop,  "drop_dst_invalid",  "destination broadcast, multicast or zero") \
	/* guard (lib/guard): before parsing */ \
	X(DROP_GUARD_ACL,    drop,  "drop_guard_acl",    "source denied by --deny (its longest matching prefix)") \
	X(GUARD_ACL_ALLOWED, event, "guard_acl_allowed", "datagrams of listed peers (--allow): no bucket, no scanner check") \
	X(DROP_GUARD_BANNED, drop,  "drop_guard_banned", "source banned (flood or scanner): dropped before parsing") \
	X(DROP_GUARD_RATE,   drop,  "drop_guard_rate",   "source over its --rate-limit bucket") \
	X(GUARD_BANS,        event, "guard_bans",        "bans started (over the bucket, or a scanner with --scanner-ban)") \
	X(GUARD_EVICTIONS,   event, "guard_evictions",   "sources evicted from a full table (the least recently seen)") \
	/* guard: after parsing */ \
	X(DROP_GUARD_SCANNER, drop, "drop_guard_scanner", "request whose User-Agent is on the scanner list") \
	X(DROP_GUARD_UNTRUSTED, drop, "drop_guard_untrusted", "new request for a --trusted-set from a source no --allow lists") \
	X(DROP_GUARD_TOO_LARGE, drop, "drop_guard_too_large", "response or ACK above --max-message-size") \
	X(DROP_GUARD_REPLY_LIMIT, drop, "drop_guard_reply_limit", "guard reply (400, 420, 503, 505, 513) over --guard-reply-rate") \
	X(REPLY_400,         tx,    "reply_400",         "requests that failed to parse answered 400") \
	X(REPLY_420,         tx,    "reply_420",         "requests with a Proxy-Require option the edge lacks answered 420") \
	X(REPLY_503,         tx,    "reply_503",         "requests of a banned or flooding source answered 503 (--flood-reply 503)") \
	X(REPLY_505,         tx,    "reply_505",         "requests of another SIP version answered 505") \
	X(REPLY_513,         tx,    "reply_513",         "requests above --max-message-size answered 513") \
	/* SIP stage */ \
	X(SIP_FORWARDED,     tx,    "sip_forwarded",     "SIP messages forwarded") \
	X(DROP_SIP_PARSE,    drop,  "drop_sip_parse",    "SIP message failed to parse (see sip_parse_* reasons)") \
	/* NAT (lib/nat) */ \
	X(NAT_DETECTED,      event, "nat_detected",      "client messages a --nat-detect test found behind NAT") \
	X(NAT_CONTACTS_REWRITTEN, event, "nat_contacts_rewritten", "Contacts set to the source (se-alias keeps the original)") \
	X(NAT_RPORT_FORCED,  event, "nat_rport_forced",  "requests behind NAT given ;rport=PORT in their Via") \
	X(NAT_TO_PINHOLE,    event, "nat_requests_to_pinhole", "requests to a se-alias Request-URI: into the pinhole") \
	X(NAT_CONTACTS_RESTORED, event, "nat_contacts_restored", "REGISTER 2xx Contacts given back to their client as written") \
	X(NAT_SKIP_STAR,     event, "nat_skip_star",     "Contact: * left alone") \
	X(NAT_SKIP_SCHEME,   event, "nat_skip_scheme",   "Contact not sip: (sips:, tel:...) left alone") \
	X(NAT_SKIP_IPV6,     event, "nat_skip_ipv6",     "Contact with an IPv6 reference left alone") \
	X(NAT_SKIP_TRANSPORT, event, "nat_skip_transport", "Contact with maddr= or transport= not UDP left alone") \
	X(NAT_SKIP_ALIASED,  event, "nat_skip_aliased",  "Contact carrying se-alias already left alone") \
	X(NAT_SKIP_SAME,     event, "nat_skip_same",     "Contact that is the source already left alone") \
	X(NAT_SKIP_PROXIED,  event, "nat_skip_proxied",  "Contact of a request via a proxy (2+ Vias) left alone") \
	X(NAT_SKIP_MALFORMED, event, "nat_skip_malformed", "Contact that does not parse left alone") \
	X(NAT_SKIP_NO_ROOM,  event, "nat_skip_no_room",  "NAT edit left out: edit plan full") \
	X(NAT_SKIP_ALIAS_BAD, event, "nat_skip_alias_bad", "Request-URI se-alias malformed: URI kept as it is") \
	/* control core: health probes (lib/health) and backend tables */ \
	X(PROBES_SENT,       event, "probes_sent",       "health-probe OPTIONS sent to backends") \
	X(PROBE_UNRESOLVED,  event, "probe_unresolved",  "probes held for ARP of the next hop") \
	X(PROBE_OK,          event, "probe_ok",          "probe replies with an accepted code") \
	X(PROBE_REFUSED,     event, "probe_refused",     "probe replies with a refused code") \
	X(PROBE_TIMEOUTS,    event, "probe_timeouts",    "probes without a final reply in time") \
	X(PROBE_UNREACHABLE, event, "probe_unreachable", "ICMP destination unreachable about a backend") \
	X(PROBE_LATE,        event, "probe_late",        "probe replies to no probe out") \
	X(DROP_PROBE_REPLY,  drop,  "drop_probe_reply",  "probe reply bad, or no probe of ours") \
	X(BACKEND_TO_UP,     event, "backend_transitions_up", "backends that began taking new calls") \
	X(BACKEND_FROM_UP,   event, "backend_transitions_down", "backends that stopped taking new calls") \
	X(TABLES_PUBLISHED,  event, "tables_published",  "backend tables published to the workers") \
	X(CONFIG_RELOADS,    event, "config_reloads",    "--backends-file rereads applied (SIGHUP)") \
	X(CONFIG_REFUSED,    event, "config_reloads_refused", "--backends-file rereads refused") \
	/* proxy (lib/proxy) */ \
	X(PROXY_REQ_TO_BACKEND, tx, "proxy_requests_to_backends", "requests forwarded to a backend") \
	X(PROXY_REQ_TO_CLIENT, tx,  "proxy_requests_to_clients", "requests from backends forwarded towards clients") \
	X(PROXY_RESPONSES,   tx,    "proxy_responses",   "responses forwarded along their Via") \
	X(PROXY_NEW_DIALOGS, event, "proxy_new_dialogs", "dialog-creating requests record-routed to a backend") \
	X(PROXY_PINNED,      event, "proxy_pinned",      "in-dialog requests sent to the backend our Route names") \
	X(PROXY_PIN_FALLBACK, event, "proxy_pin_fallback", "in-dialog requests whose backend is gone: hashed instead") \
	X(PROXY_PROBE_REPLIES, event, "proxy_probe_replies", "health-probe replies handed to the control core") \
	X(REPLY_OPTIONS_200, tx,    "reply_options_200", "OPTIONS for the edge itself answered 200") \
	X(REPLY_483,         tx,    "reply_483",         "requests with Max-Forwards 0 answered 483") \
	X(DROP_PROXY_VIA_NOT_OURS, drop, "drop_proxy_via_not_ours", "response whose top Via is not ours") \
	X(DROP_PROXY_NO_NEXT_VIA, drop, "drop_proxy_no_next_via", "response with no Via below ours") \
	X(DROP_PROXY_NEXT_VIA_BAD, drop, "drop_proxy_next_via_bad", "response whose next Via is malformed") \
	X(DROP_PROXY_HOSTNAME, drop, "drop_proxy_hostname", "next hop is a host name (no DNS in the data plane)") \
	X(DROP_PROXY_TARGET_BAD, drop, "drop_proxy_target_bad", "Route or Request-URI of a request malformed") \
	X(DROP_NO_BACKEND,   drop,  "drop_no_backend",   "no up backend in the set of a new call") \
	X(DROP_PROXY_LOOP,   drop,  "drop_proxy_loop",   "request from a backend addressed to the edge itself") \
	X(DROP_PROXY_ACK_MF0, drop, "drop_proxy_ack_mf0", "ACK with Max-Forwards 0 (an ACK is never answered)") \
	X(DROP_PROXY_EDIT,   drop,  "drop_proxy_edit",   "edits do not fit the plan or the buffer") \
	X(DROP_PROXY_DST_INVALID, drop, "drop_proxy_dst_invalid", "next hop is broadcast, multicast or zero")

/** Counter indices. */
enum se_stat_id {
#define SE_STAT_ENUM_(id, kind, name, help) SE_STAT_##id,
	SE_STATS_FOREACH(SE_STAT_ENUM_)
#undef SE_STAT_ENUM_
	SE_STAT_COUNT /**< number of counters */
};

/** One worker's counters: written by that worker only, read by the control core. */
struct se_stats {
	uint64_t c[SE_STAT_COUNT];              /**< indexed by enum se_stat_id */
	uint64_t sip_err[SE_SIP_STATUS_COUNT];  /**< parse failures by status (index 0 unused) */
};

/** Prefix of the per-status parse counters. */
#define SE_STATS_SIP_ERR_PREFIX "sip_parse_"

/**
 * Called by se_stats_walk() for each counter: its name is @p prefix followed
 * by @p name ("" and "rx_packets", or "sip_parse_" and "no_call_id").
 */
typedef void (*se_stats_walk_fn)(void *arg, const char *prefix, const char *name,
				 const char *kind, const char *help, uint64_t value);

/**
 * Visit every counter of @p st in the one fixed order: the table, then the
 * parse statuses. Printing, telemetry and metrics all use this.
 *
 * @param st        the counters
 * @param skip_zero skip counters that are 0
 * @param fn        the visitor
 * @param arg       its argument
 */
void se_stats_walk(const struct se_stats *st, bool skip_zero, se_stats_walk_fn fn, void *arg);

/** Stable name of counter @p id ("drop_ip_checksum"). */
const char *se_stats_name(enum se_stat_id id);

/** Kind of counter @p id: "rx", "tx", "drop" or "event". */
const char *se_stats_kind(enum se_stat_id id);

/** One line of help for counter @p id. */
const char *se_stats_help(enum se_stat_id id);

/** Add every counter of @p src to @p dst. */
void se_stats_add(struct se_stats *dst, const struct se_stats *src);

#endif /* _SE_STATS_H_ */
