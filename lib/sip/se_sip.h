/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_SIP_H_
#define _SE_SIP_H_

/**
 * @file
 * Zero-copy SIP parser.
 *
 * se_sip_parse() reads one UDP datagram, given as (buf, len), and fills a
 * message view: offsets and lengths into that buffer (struct se_span), never
 * copies. It allocates nothing, assumes no NUL terminator (bodies and some
 * header values carry NUL bytes) and never reads outside [buf, buf + len).
 *
 * One call indexes every header field (name classified, value trimmed, the
 * comma-separated entries of Via, Route, Record-Route, Contact and Path
 * split), checks what a proxy relies on (Call-ID, CSeq, From, To, Via,
 * Max-Forwards, Content-Length) and decodes the top Via, From and To. The
 * rest is decoded on demand by se_sip_via_parse(), se_sip_addr_parse() and
 * se_sip_uri_parse() over the spans the index holds, so a proxy pays only for
 * what it reads.
 *
 * The header and entry arrays belong to the caller: set msg->hdrs/hdr_cap
 * and msg->entries/entry_cap (se_sip_msg_init()) before parsing; the parser
 * fills hdr_count and entry_count.
 *
 * Lines end with CRLF; a bare LF is accepted as a line end too. Leading CRLFs
 * before the start line are skipped (RFC 3261 7.5). Checks run in a fixed
 * order, so the status names the first defect in that order: start line,
 * header framing (names, characters, list entries, blank line), then Via,
 * Call-ID, CSeq, From, To, Max-Forwards, Content-Length and the body.
 *
 * Changes to the first version of this contract (names and meanings kept):
 * - struct se_sip_msg gained ruri_uri, the Request-URI decoded.
 * - struct se_sip_hdr.line is documented to include the line terminator(s).
 * - A header field with more than 255 entries is SE_SIP_ERR_TOO_MANY_ENTRIES
 *   (n_entries is 8 bits).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest datagram the parser takes: spans are 16-bit offsets. */
#define SE_SIP_MAX_LEN 65535

/** A byte range of the datagram: offset from its first byte, and length. */
struct se_span {
	uint16_t off; /**< offset from the start of the datagram */
	uint16_t len; /**< length in bytes; 0 for an empty or absent value */
};

/** Pointer to the first byte of @p s inside @p buf. */
static inline const uint8_t *
se_span_ptr(const uint8_t *buf, struct se_span s)
{
	return buf + s.off;
}

/** Offset one past the last byte of @p s. */
static inline uint32_t
se_span_end(struct se_span s)
{
	return (uint32_t)s.off + s.len;
}

/** Outcome of parsing: SE_SIP_OK or the first defect found. */
enum se_sip_status {
	SE_SIP_OK = 0,                  /**< parsed, every check passed */
	SE_SIP_ERR_EMPTY,               /**< only CR/LF/whitespace: a keep-alive */
	SE_SIP_ERR_TOO_LARGE,           /**< longer than SE_SIP_MAX_LEN */
	SE_SIP_ERR_START_LINE,          /**< request or status line malformed */
	SE_SIP_ERR_METHOD,              /**< method is not a token */
	SE_SIP_ERR_REQUEST_URI,         /**< Request-URI empty, in <>, or with LWS */
	SE_SIP_ERR_VERSION,             /**< protocol version is not SIP/2.0 */
	SE_SIP_ERR_STATUS_CODE,         /**< status code is not 3 digits 100..699 */
	SE_SIP_ERR_HEADER_NAME,         /**< header line without a token and colon */
	SE_SIP_ERR_TRUNCATED,           /**< header section ends without blank line */
	SE_SIP_ERR_TOO_MANY_HEADERS,    /**< more header fields than hdr_cap */
	SE_SIP_ERR_TOO_MANY_ENTRIES,    /**< more list entries than entry_cap */
	SE_SIP_ERR_BAD_CHAR,            /**< control character (NUL, bare CR) in a header */
	SE_SIP_ERR_UNTERMINATED_QUOTE,  /**< quoted string without closing quote */
	SE_SIP_ERR_UNTERMINATED_ANGLE,  /**< '<' without matching '>' */
	SE_SIP_ERR_NO_VIA,              /**< no Via header field */
	SE_SIP_ERR_NO_CALL_ID,          /**< no Call-ID header field */
	SE_SIP_ERR_NO_CSEQ,             /**< no CSeq header field */
	SE_SIP_ERR_NO_FROM,             /**< no From header field */
	SE_SIP_ERR_NO_TO,               /**< no To header field */
	SE_SIP_ERR_VIA,                 /**< top Via malformed */
	SE_SIP_ERR_FROM,                /**< From malformed */
	SE_SIP_ERR_TO,                  /**< To malformed */
	SE_SIP_ERR_CALL_ID,             /**< Call-ID empty or with whitespace */
	SE_SIP_ERR_CALL_ID_MISMATCH,    /**< two Call-ID fields that differ */
	SE_SIP_ERR_CSEQ,                /**< CSeq not "number method", number > 2^31-1 */
	SE_SIP_ERR_CSEQ_MISMATCH,       /**< two CSeq fields, or method differs from the request's */
	SE_SIP_ERR_FROM_TO_DUPLICATE,   /**< more than one From or To field */
	SE_SIP_ERR_MAX_FORWARDS,        /**< Max-Forwards not an integer 0..255, or repeated */
	SE_SIP_ERR_CONTENT_LENGTH,      /**< Content-Length not a non-negative integer in range */
	SE_SIP_ERR_CONTENT_LENGTH_MISMATCH, /**< two Content-Length fields that differ */
	SE_SIP_ERR_BODY_SHORT,          /**< fewer body bytes than Content-Length */
	SE_SIP_STATUS_COUNT             /**< number of status values */
};

/** Methods the edge knows by name; everything else is SE_SIP_METHOD_OTHER. */
enum se_sip_method {
	SE_SIP_METHOD_OTHER = 0, /**< an extension method: see the method span */
	SE_SIP_METHOD_INVITE,    /**< RFC 3261 */
	SE_SIP_METHOD_ACK,       /**< RFC 3261 */
	SE_SIP_METHOD_BYE,       /**< RFC 3261 */
	SE_SIP_METHOD_CANCEL,    /**< RFC 3261 */
	SE_SIP_METHOD_OPTIONS,   /**< RFC 3261 */
	SE_SIP_METHOD_REGISTER,  /**< RFC 3261 */
	SE_SIP_METHOD_PRACK,     /**< RFC 3262 */
	SE_SIP_METHOD_SUBSCRIBE, /**< RFC 6665 */
	SE_SIP_METHOD_NOTIFY,    /**< RFC 6665 */
	SE_SIP_METHOD_PUBLISH,   /**< RFC 3903 */
	SE_SIP_METHOD_INFO,      /**< RFC 6086 */
	SE_SIP_METHOD_REFER,     /**< RFC 3515 */
	SE_SIP_METHOD_MESSAGE,   /**< RFC 3428 */
	SE_SIP_METHOD_UPDATE,    /**< RFC 3311 */
	SE_SIP_METHOD_COUNT      /**< number of method values */
};

/** Header field names the parser classifies (full and compact forms). */
enum se_sip_hdr_type {
	SE_SIP_HDR_OTHER = 0,        /**< any other name: see the name span */
	SE_SIP_HDR_VIA,              /**< Via, v */
	SE_SIP_HDR_CALL_ID,          /**< Call-ID, i */
	SE_SIP_HDR_FROM,             /**< From, f */
	SE_SIP_HDR_TO,               /**< To, t */
	SE_SIP_HDR_CSEQ,             /**< CSeq */
	SE_SIP_HDR_CONTACT,          /**< Contact, m */
	SE_SIP_HDR_MAX_FORWARDS,     /**< Max-Forwards */
	SE_SIP_HDR_ROUTE,            /**< Route */
	SE_SIP_HDR_RECORD_ROUTE,     /**< Record-Route */
	SE_SIP_HDR_PATH,             /**< Path (RFC 3327) */
	SE_SIP_HDR_CONTENT_LENGTH,   /**< Content-Length, l */
	SE_SIP_HDR_CONTENT_TYPE,     /**< Content-Type, c */
	SE_SIP_HDR_USER_AGENT,       /**< User-Agent */
	SE_SIP_HDR_EXPIRES,          /**< Expires */
	SE_SIP_HDR_REQUIRE,          /**< Require */
	SE_SIP_HDR_PROXY_REQUIRE,    /**< Proxy-Require */
	SE_SIP_HDR_SUPPORTED,        /**< Supported, k */
	SE_SIP_HDR_SUBJECT,          /**< Subject, s */
	SE_SIP_HDR_CONTENT_ENCODING, /**< Content-Encoding, e */
	SE_SIP_HDR_EVENT,            /**< Event, o (RFC 6665) */
	SE_SIP_HDR_REFER_TO,         /**< Refer-To, r (RFC 3515) */
	SE_SIP_HDR_ALLOW_EVENTS,     /**< Allow-Events, u */
	SE_SIP_HDR_SERVER,           /**< Server */
	SE_SIP_HDR_COUNT             /**< number of header types (< 32: fits the seen mask) */
};

/** Is @p t a header whose comma-separated values the parser splits into entries? */
static inline bool
se_sip_hdr_is_list(enum se_sip_hdr_type t)
{
	return t == SE_SIP_HDR_VIA || t == SE_SIP_HDR_ROUTE || t == SE_SIP_HDR_RECORD_ROUTE ||
	       t == SE_SIP_HDR_CONTACT || t == SE_SIP_HDR_PATH;
}

/** One header field as it appears in the message. */
struct se_sip_hdr {
	struct se_span line;   /**< the whole field, continuation lines and ending CRLF included */
	struct se_span name;   /**< the name as written (e.g. "v" or "Via") */
	struct se_span value;  /**< the value, leading and trailing LWS removed; may contain folded LWS */
	uint16_t first_entry;  /**< list headers: index of the first entry in msg->entries */
	uint8_t n_entries;     /**< list headers: how many entries this field holds; 0 otherwise */
	uint8_t type;          /**< enum se_sip_hdr_type */
};

/** One comma-separated value of a list header (Via, Route, Record-Route, Contact, Path). */
struct se_sip_entry {
	struct se_span span; /**< the entry, LWS around it removed */
	uint16_t hdr;        /**< index of its header field in msg->hdrs */
};

/** Kind of host in a URI or Via sent-by. */
enum se_sip_host_type {
	SE_SIP_HOST_NONE = 0, /**< absent */
	SE_SIP_HOST_IPV4,     /**< dotted quad; the address is decoded */
	SE_SIP_HOST_IPV6,     /**< IPv6 reference "[...]"; the span includes the brackets */
	SE_SIP_HOST_NAME,     /**< a host name */
};

/** Flags of struct se_sip_via: which parameters are present. */
#define SE_SIP_VIA_BRANCH   (1u << 0) /**< ;branch= present */
#define SE_SIP_VIA_RECEIVED (1u << 1) /**< ;received= present */
#define SE_SIP_VIA_RPORT    (1u << 2) /**< ;rport present (with or without a value) */
#define SE_SIP_VIA_MADDR    (1u << 3) /**< ;maddr= present */
#define SE_SIP_VIA_TTL      (1u << 4) /**< ;ttl= present */

/**
 * One decoded via-parm. A parameter's span points at its value; a parameter
 * without a value (";rport") has length 0 and points just past its name,
 * which is where a proxy inserts "=port". The flags say which are present.
 */
struct se_sip_via {
	struct se_span entry;     /**< the whole via-parm */
	struct se_span proto;     /**< protocol name, normally "SIP" */
	struct se_span version;   /**< protocol version, normally "2.0" */
	struct se_span transport; /**< "UDP", "TCP", "TLS", "SCTP", or an extension */
	struct se_span sent_by;   /**< host[:port] as written */
	struct se_span host;      /**< host; an IPv6 reference includes its brackets */
	struct se_span params;    /**< from the first ';' to the end of the entry (0 length if none) */
	struct se_span branch;    /**< value of ;branch= */
	struct se_span received;  /**< value of ;received= */
	struct se_span rport;     /**< value of ;rport (empty when given without a value) */
	struct se_span maddr;     /**< value of ;maddr= */
	uint32_t ipv4;            /**< host as an IPv4 address, network byte order, when host_type is IPV4 */
	uint16_t port;            /**< sent-by port; 0 when absent */
	uint16_t rport_num;       /**< ;rport value as a number; 0 when absent or empty */
	uint8_t host_type;        /**< enum se_sip_host_type */
	uint8_t flags;            /**< SE_SIP_VIA_* */
};

/** Flags of struct se_sip_uri. */
#define SE_SIP_URI_LR        (1u << 0) /**< ;lr present */
#define SE_SIP_URI_PASSWORD  (1u << 1) /**< user:password form */

/** Scheme of a URI. */
enum se_sip_scheme {
	SE_SIP_SCHEME_OTHER = 0, /**< any other scheme (tel:, mailto:, an unknown one) */
	SE_SIP_SCHEME_SIP,       /**< sip: */
	SE_SIP_SCHEME_SIPS,      /**< sips: */
};

/** A decoded SIP or SIPS URI (other schemes keep only scheme and the rest in opaque). */
struct se_sip_uri {
	struct se_span whole;    /**< the whole URI */
	struct se_span scheme;   /**< scheme, without the colon */
	struct se_span user;     /**< user part, without the password; 0 length if none */
	struct se_span password; /**< password, when SE_SIP_URI_PASSWORD */
	struct se_span host;     /**< host; an IPv6 reference includes its brackets */
	struct se_span params;   /**< uri-parameters, from the first ';' before any '?'; 0 length if none */
	struct se_span headers;  /**< the '?' headers part without the '?'; 0 length if none */
	struct se_span opaque;   /**< for SE_SIP_SCHEME_OTHER: everything after the colon */
	uint32_t ipv4;           /**< host as an IPv4 address, network byte order, when IPV4 */
	uint16_t port;           /**< port; 0 when absent */
	uint8_t scheme_id;       /**< enum se_sip_scheme */
	uint8_t host_type;       /**< enum se_sip_host_type */
	uint8_t flags;           /**< SE_SIP_URI_* */
};

/** Flags of struct se_sip_addr. */
#define SE_SIP_ADDR_NAME_ADDR (1u << 0) /**< name-addr form: the URI is inside <> */
#define SE_SIP_ADDR_TAG       (1u << 1) /**< ;tag= header parameter present */
#define SE_SIP_ADDR_STAR      (1u << 2) /**< Contact: * */

/**
 * A decoded name-addr or addr-spec (From, To, Contact, Route, Record-Route,
 * Path). In the addr-spec form (no <>) every ';' parameter after the URI is a
 * header parameter, as RFC 3261 section 20 says.
 */
struct se_sip_addr {
	struct se_span display;  /**< display name as written (quotes kept); 0 length if none */
	struct se_span uri_span; /**< the URI: inside <>, or the bare addr-spec */
	struct se_span hparams;  /**< header parameters from the first ';' after the URI; 0 length if none */
	struct se_span tag;      /**< value of ;tag= when SE_SIP_ADDR_TAG */
	struct se_sip_uri uri;   /**< the URI decoded */
	uint8_t flags;           /**< SE_SIP_ADDR_* */
};

/** Bit of msg->seen for header type @p t. */
#define SE_SIP_SEEN(t) (1u << (t))

/** Value of msg->first[t] when no header of type t is present. */
#define SE_SIP_NONE 0xffff

/**
 * The message view. The caller sets hdrs, hdr_cap, entries and entry_cap;
 * se_sip_parse() fills everything else. On an error other than
 * SE_SIP_ERR_EMPTY, TOO_LARGE and START_LINE the fields found before the
 * defect are still set (an operator sees as much as the parser could read).
 */
struct se_sip_msg {
	/* Start line. */
	bool is_request;            /**< request (true) or response (false) */
	uint8_t method_id;          /**< enum se_sip_method of a request */
	uint16_t status;            /**< status code of a response */
	struct se_span start_line;  /**< the start line without its CRLF */
	struct se_span method;      /**< method token of a request */
	struct se_span ruri;        /**< Request-URI of a request */
	struct se_span version;     /**< "SIP/2.0" */
	struct se_span reason;      /**< reason phrase of a response (may be empty) */
	struct se_sip_uri ruri_uri; /**< Request-URI of a request, decoded (one URI pass) */

	/* Header index. */
	struct se_sip_hdr *hdrs;    /**< caller's array of header fields */
	struct se_sip_entry *entries; /**< caller's array of list entries */
	uint16_t hdr_cap;           /**< capacity of hdrs */
	uint16_t hdr_count;         /**< header fields found */
	uint16_t entry_cap;         /**< capacity of entries */
	uint16_t entry_count;       /**< list entries found */
	uint32_t seen;              /**< SE_SIP_SEEN(type) of every header type present */
	uint16_t first[SE_SIP_HDR_COUNT]; /**< index of each type's first field, or SE_SIP_NONE */
	uint16_t hdrs_off;          /**< offset of the first header field (after the start line) */
	uint16_t hdrs_end;          /**< offset of the empty line that ends the header section */

	/* Decoded essentials. */
	struct se_span call_id;     /**< Call-ID value, exact bytes */
	struct se_span cseq_method; /**< CSeq method token */
	uint32_t cseq;              /**< CSeq number */
	uint8_t cseq_method_id;     /**< enum se_sip_method of the CSeq method */
	int16_t max_forwards;       /**< Max-Forwards, or -1 when absent */
	int32_t content_length;     /**< Content-Length, or -1 when absent */
	uint16_t body_off;          /**< offset of the body (after the empty line) */
	uint16_t body_len;          /**< body length: Content-Length, or the rest of the datagram */
	uint16_t msg_len;           /**< bytes of the message: body_off + body_len (trailing octets ignored) */
	struct se_sip_via via;      /**< the top Via, decoded */
	struct se_sip_addr from;    /**< From, decoded */
	struct se_sip_addr to;      /**< To, decoded */
};

/**
 * Point a message view at the caller's arrays.
 *
 * @param msg        the view to prepare
 * @param hdrs       array for header fields
 * @param hdr_cap    its capacity
 * @param entries    array for list entries
 * @param entry_cap  its capacity
 */
void se_sip_msg_init(struct se_sip_msg *msg, struct se_sip_hdr *hdrs, uint16_t hdr_cap,
		     struct se_sip_entry *entries, uint16_t entry_cap);

/**
 * Parse one datagram.
 *
 * @param buf  the datagram; need not be NUL-terminated
 * @param len  its length
 * @param msg  a view prepared by se_sip_msg_init()
 * @return SE_SIP_OK, or the first defect found (enum se_sip_status)
 */
enum se_sip_status se_sip_parse(const uint8_t *buf, size_t len, struct se_sip_msg *msg);

/** Short, stable text for a status, e.g. "missing Call-ID". Never NULL. */
const char *se_sip_strerror(enum se_sip_status st);

/** Stable identifier for a status, e.g. "no_call_id", for counters and JSON. Never NULL. */
const char *se_sip_status_name(enum se_sip_status st);

/** Canonical name of a method ("INVITE"), or "OTHER". Never NULL. */
const char *se_sip_method_name(enum se_sip_method m);

/** Method of a token (case-sensitive, as RFC 3261 says), or SE_SIP_METHOD_OTHER. */
enum se_sip_method se_sip_method_lookup(const uint8_t *p, size_t len);

/** Canonical (full) name of a header type ("Call-ID"), or "Other". Never NULL. */
const char *se_sip_hdr_name(enum se_sip_hdr_type t);

/** Header type of a name (full or compact, case-insensitive), or SE_SIP_HDR_OTHER. */
enum se_sip_hdr_type se_sip_hdr_lookup(const uint8_t *p, size_t len);

/**
 * Decode one via-parm.
 *
 * @param buf  the datagram
 * @param s    the entry (a msg->entries span of a Via field)
 * @param via  filled on success
 * @return 0, or -EINVAL when the entry is not a valid via-parm
 */
int se_sip_via_parse(const uint8_t *buf, struct se_span s, struct se_sip_via *via);

/**
 * Decode a name-addr or addr-spec (From, To, one Contact/Route/Record-Route/Path entry).
 *
 * @param buf   the datagram
 * @param s     the value or entry
 * @param addr  filled on success
 * @return 0, -EINVAL when malformed, -EBADMSG for an unterminated quote or '<'
 */
int se_sip_addr_parse(const uint8_t *buf, struct se_span s, struct se_sip_addr *addr);

/**
 * Decode a URI (Request-URI, or the uri_span of an address).
 *
 * @param buf  the datagram
 * @param s    the URI
 * @param uri  filled on success
 * @return 0, or -EINVAL when a sip/sips URI is malformed
 */
int se_sip_uri_parse(const uint8_t *buf, struct se_span s, struct se_sip_uri *uri);

/**
 * Find a parameter in a ';'-separated parameter list (Via params, URI params,
 * header params). Names compare case-insensitively.
 *
 * @param buf    the datagram
 * @param list   the list, starting at its first ';' (or at the first name)
 * @param name   parameter name
 * @param nlen   its length
 * @param value  the value (length 0, pointing past the name, when it has none)
 * @return true when the parameter is present
 */
bool se_sip_param_find(const uint8_t *buf, struct se_span list, const char *name, size_t nlen,
		       struct se_span *value);

/**
 * Decode a dotted-quad IPv4 address.
 *
 * @param p    text
 * @param len  its length (the whole text must be the address)
 * @param out  address in network byte order
 * @return true when @p p is exactly a valid IPv4 address
 */
bool se_sip_parse_ipv4(const uint8_t *p, size_t len, uint32_t *out);

/** Does @p s equal the string @p str (case-insensitively)? */
bool se_span_eq_nocase(const uint8_t *buf, struct se_span s, const char *str, size_t slen);

#ifdef __cplusplus
}
#endif

#endif /* _SE_SIP_H_ */
