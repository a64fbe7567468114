/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Key extraction. Message views are built by hand (spans into a buffer), not
 * by se_sip_parse(): these tests are about which bytes a set hashes.
 */

#include <arpa/inet.h>
#include <errno.h>

#include "dispatch_test.h"

/* Span of the @nth occurrence (0-based) of @needle in @buf. */
static struct se_span
span_of(const char *buf, const char *needle, int nth)
{
	const char *p = buf;
	struct se_span s;

	for (;;) {
		p = strstr(p, needle);
		cr_assert(not(eq(ptr, (void *)p, NULL)), "'%s' not in the message", needle);
		if (nth-- == 0)
			break;
		p++;
	}
	s.off = (uint16_t)(p - buf);
	s.len = (uint16_t)strlen(needle);
	return s;
}

/* A SIP URI view: scheme, user and host given as substrings of @buf. */
static void
sip_uri(const char *buf, struct se_sip_uri *u, const char *whole, const char *user,
	const char *host, int nth)
{
	struct se_span w = span_of(buf, whole, nth);

	memset(u, 0, sizeof(*u));
	u->whole = w;
	u->scheme_id = SE_SIP_SCHEME_SIP;
	u->scheme.off = w.off;
	u->scheme.len = 3;
	if (user != NULL) {
		u->user.off = (uint16_t)(strstr(buf + w.off, user) - buf);
		u->user.len = (uint16_t)strlen(user);
	}
	u->host.off = (uint16_t)(strstr(buf + w.off + 4, host) - buf);
	u->host.len = (uint16_t)strlen(host);
	u->host_type = SE_SIP_HOST_NAME;
}

static const char msg_text[] =
	"INVITE sip:+15551234@edge.example.net;user=phone SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds\r\n"
	"From: \"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
	"To: <sip:Bob@Biloxi.Example.com:5070;transport=udp>\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"\r\n";

static void
make_msg(struct se_sip_msg *m, struct se_sip_uri *ruri)
{
	memset(m, 0, sizeof(*m));
	m->is_request = true;
	m->call_id = span_of(msg_text, "a84b4c76e66710@pc33.atlanta.example.com", 0);
	m->from.uri_span = span_of(msg_text, "sip:alice@atlanta.example.com", 0);
	sip_uri(msg_text, &m->from.uri, "sip:alice@atlanta.example.com", "alice",
		"atlanta.example.com", 0);
	m->to.uri_span = span_of(msg_text, "sip:Bob@Biloxi.Example.com:5070;transport=udp", 0);
	sip_uri(msg_text, &m->to.uri, "sip:Bob@Biloxi.Example.com:5070;transport=udp", "Bob",
		"Biloxi.Example.com", 0);
	m->to.uri.port = 5070;
	sip_uri(msg_text, ruri, "sip:+15551234@edge.example.net;user=phone", "+15551234",
		"edge.example.net", 0);
}

static const uint8_t *
mbuf(void)
{
	return (const uint8_t *)msg_text;
}

static bool
key_is(const struct se_dispatch_key *k, const char *bytes)
{
	return k->len == strlen(bytes) && memcmp(k->p, bytes, k->len) == 0;
}

Test(dispatch_key, call_id_is_the_exact_call_id_value)
{
	struct se_sip_msg m;
	struct se_sip_uri ruri;
	struct se_dispatch_key k;
	const char *cid = "a84b4c76e66710@pc33.atlanta.example.com";

	make_msg(&m, &ruri);
	cr_assert(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_CALL_ID, mbuf(), &m, &ruri, 0,
						  &k), 0));
	cr_expect(key_is(&k, cid));
	cr_expect(eq(ptr, (void *)k.p, (void *)(msg_text + m.call_id.off)), "no copy");
	cr_expect(eq(u8, k.kind, SE_DISPATCH_KEY_CALL_ID));
	cr_expect(not(k.fallback));
	cr_expect(eq(u64, se_dispatch_key_hash(&k), se_dispatch_hash(cid, strlen(cid))),
		  "a Call-ID key hashes as se_dispatch_hash of its bytes");
}

Test(dispatch_key, from_user_is_the_from_uri_user)
{
	struct se_sip_msg m;
	struct se_sip_uri ruri;
	struct se_dispatch_key k;

	make_msg(&m, &ruri);
	cr_assert(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_FROM_USER, mbuf(), &m, NULL, 0,
						  &k), 0));
	cr_expect(key_is(&k, "alice"));
	cr_expect(eq(u8, k.kind, SE_DISPATCH_KEY_FROM_USER));
}

Test(dispatch_key, ruri_user_is_the_request_uri_user)
{
	struct se_sip_msg m;
	struct se_sip_uri ruri;
	struct se_dispatch_key k;

	make_msg(&m, &ruri);
	cr_assert(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_RURI_USER, mbuf(), &m, &ruri, 0,
						  &k), 0));
	cr_expect(key_is(&k, "+15551234"));
	cr_expect(not(k.fallback));
}

Test(dispatch_key, to_uri_is_user_and_host_without_port_or_parameters)
{
	struct se_sip_msg m;
	struct se_sip_uri ruri;
	struct se_dispatch_key k;

	make_msg(&m, &ruri);
	cr_assert(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_TO_URI, mbuf(), &m, NULL, 0,
						  &k), 0));
	cr_expect(key_is(&k, "Bob"));
	cr_expect(eq(u16, k.fold_len, strlen("Biloxi.Example.com")));
	cr_expect(eq(int, memcmp(k.fold, "Biloxi.Example.com", k.fold_len), 0));
	cr_expect(eq(u8, k.kind, SE_DISPATCH_KEY_TO_URI));
}

/* The To URI hash of a one-line "To:" message: the registrations of one AOR. */
static uint64_t
to_hash(const char *to_uri, const char *user, const char *host)
{
	char buf[1024];
	struct se_sip_msg m;
	struct se_dispatch_key k;

	snprintf(buf, sizeof(buf), "To: <%s>\r\nCall-ID: %s\r\n", to_uri, to_uri);
	memset(&m, 0, sizeof(m));
	m.call_id = span_of(buf, to_uri, 1);
	sip_uri(buf, &m.to.uri, to_uri, user, host, 0);
	if (strncmp(to_uri, "sips:", 5) == 0)
		m.to.uri.scheme_id = SE_SIP_SCHEME_SIPS;
	cr_assert(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_TO_URI, (const uint8_t *)buf,
						  &m, NULL, 0, &k), 0));
	cr_assert(not(k.fallback));
	return se_dispatch_key_hash(&k);
}

Test(dispatch_key, registrations_of_one_aor_hash_alike_whatever_the_device_adds)
{
	uint64_t h = to_hash("sip:alice@example.com", "alice", "example.com");

	cr_expect(eq(u64, to_hash("sip:alice@EXAMPLE.com", "alice", "EXAMPLE.com"), h),
		  "host case");
	cr_expect(eq(u64, to_hash("sip:alice@example.com:5060", "alice", "example.com"), h),
		  "port");
	cr_expect(eq(u64, to_hash("sip:alice@example.com;transport=tcp", "alice", "example.com"),
		     h), "parameters");
	cr_expect(eq(u64, to_hash("sip:alice:secret@example.com", "alice", "example.com"), h),
		  "password");
	cr_expect(eq(u64, to_hash("sips:alice@example.com", "alice", "example.com"), h),
		  "scheme");
	cr_expect(not(eq(u64, to_hash("sip:Alice@example.com", "Alice", "example.com"), h)),
		  "the user part is case-sensitive (RFC 3261 19.1.4)");
	cr_expect(not(eq(u64, to_hash("sip:bob@example.com", "bob", "example.com"), h)));
	cr_expect(not(eq(u64, to_hash("sip:alice@example.org", "alice", "example.org"), h)));
	cr_expect(not(eq(u64, to_hash("sip:alic@eexample.com", "alic", "eexample.com"), h)),
		  "user and host are hashed apart, not concatenated");
}

Test(dispatch_key, to_uri_with_a_long_host_hashes_its_tail_as_written)
{
	char host[301], uri[320];

	memset(host, 'a', 300);
	host[300] = '\0';
	snprintf(uri, sizeof(uri), "sip:u@%s", host);
	uint64_t h = to_hash(uri, "u", host);

	host[299] = 'A';
	snprintf(uri, sizeof(uri), "sip:u@%s", host);
	cr_expect(not(eq(u64, to_hash(uri, "u", host), h)), "byte 300 is beyond the fold");
	host[299] = 'a';
	host[10] = 'A';
	snprintf(uri, sizeof(uri), "sip:u@%s", host);
	cr_expect(eq(u64, to_hash(uri, "u", host), h), "byte 11 is folded");
}

Test(dispatch_key, src_addr_is_the_four_address_bytes)
{
	struct se_sip_msg m;
	struct se_sip_uri ruri;
	struct se_dispatch_key k, k2;
	uint32_t a = htonl(0xc000020a), b = htonl(0xc000020b);

	make_msg(&m, &ruri);
	cr_assert(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_SRC_ADDR, mbuf(), &m, NULL, a,
						  &k), 0));
	cr_expect(eq(int, memcmp(k.addr, "\xc0\x00\x02\x0a", 4), 0));
	cr_expect(eq(u64, se_dispatch_key_hash(&k), se_dispatch_hash("\xc0\x00\x02\x0a", 4)));
	cr_assert(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_SRC_ADDR, mbuf(), &m, NULL, b,
						  &k2), 0));
	cr_expect(not(eq(u64, se_dispatch_key_hash(&k), se_dispatch_key_hash(&k2))));
}

Test(dispatch_key, an_empty_key_falls_back_to_the_call_id)
{
	struct se_sip_msg m;
	struct se_sip_uri ruri;
	struct se_dispatch_key k;
	const char *cid = "a84b4c76e66710@pc33.atlanta.example.com";

	make_msg(&m, &ruri);
	m.from.uri.user.len = 0;
	cr_assert(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_FROM_USER, mbuf(), &m, NULL, 0,
						  &k), 0));
	cr_expect(key_is(&k, cid));
	cr_expect(k.fallback);
	cr_expect(eq(u8, k.kind, SE_DISPATCH_KEY_CALL_ID));

	cr_assert(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_RURI_USER, mbuf(), &m, NULL, 0,
						  &k), 0), "a response has no Request-URI");
	cr_expect(key_is(&k, cid));
	cr_expect(k.fallback);

	m.to.uri.user.len = 0;
	m.to.uri.host.len = 0;
	cr_assert(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_TO_URI, mbuf(), &m, NULL, 0,
						  &k), 0));
	cr_expect(key_is(&k, cid));
	cr_expect(eq(u16, k.fold_len, 0));
	cr_expect(k.fallback);
}

Test(dispatch_key, a_to_uri_without_user_keys_on_the_host)
{
	struct se_sip_msg m;
	struct se_sip_uri ruri;
	struct se_dispatch_key k;

	make_msg(&m, &ruri);
	m.to.uri.user.len = 0;
	cr_assert(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_TO_URI, mbuf(), &m, NULL, 0,
						  &k), 0));
	cr_expect(not(k.fallback));
	cr_expect(eq(u16, k.len, 0));
	cr_expect(eq(u16, k.fold_len, strlen("Biloxi.Example.com")));
}

Test(dispatch_key, a_non_sip_uri_keys_on_what_follows_the_scheme)
{
	static const char buf[] = "From: <tel:+15551234;phone-context=x>\r\nCall-ID: c1\r\n";
	struct se_sip_msg m;
	struct se_dispatch_key k;

	memset(&m, 0, sizeof(m));
	m.call_id = span_of(buf, "c1", 0);
	m.from.uri.scheme_id = SE_SIP_SCHEME_OTHER;
	m.from.uri.opaque = span_of(buf, "+15551234;phone-context=x", 0);
	m.to.uri = m.from.uri;
	cr_assert(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_FROM_USER, (const uint8_t *)buf,
						  &m, NULL, 0, &k), 0));
	cr_expect(key_is(&k, "+15551234;phone-context=x"));
	cr_assert(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_TO_URI, (const uint8_t *)buf,
						  &m, NULL, 0, &k), 0));
	cr_expect(key_is(&k, "+15551234;phone-context=x"));
	cr_expect(eq(u16, k.fold_len, 0), "no host to fold");
}

Test(dispatch_key, no_call_id_and_no_key_is_an_error)
{
	struct se_sip_msg m;
	struct se_dispatch_key k;

	memset(&m, 0, sizeof(m));
	cr_expect(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_CALL_ID, mbuf(), &m, NULL, 0,
						  &k), -EINVAL));
	cr_expect(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_FROM_USER, mbuf(), &m, NULL, 0,
						  &k), -EINVAL));
	cr_expect(eq(int, se_dispatch_key_extract(SE_DISPATCH_KEY_COUNT, mbuf(), &m, NULL, 0,
						  &k), -EINVAL));
}

Test(dispatch_key, the_sets_key_kind_is_used)
{
	static const char *const args[] = {"10.0.0.1,set=1", "10.0.0.1,set=2"};
	struct se_dispatch_config *cfg = test_config(args, 2);
	struct se_dispatch_table *t;
	struct se_sip_msg m;
	struct se_sip_uri ruri;
	struct se_dispatch_key k;

	cr_assert(eq(int, se_dispatch_config_set_arg(cfg, "2,key=ruri-user", NULL, 0), 0));
	t = test_build(cfg);
	make_msg(&m, &ruri);
	cr_assert(eq(int, se_dispatch_key(t, 0, mbuf(), &m, &ruri, 0, &k), 0));
	cr_expect(key_is(&k, "a84b4c76e66710@pc33.atlanta.example.com"));
	cr_assert(eq(int, se_dispatch_key(t, 1, mbuf(), &m, &ruri, 0, &k), 0));
	cr_expect(key_is(&k, "+15551234"));
	cr_expect(eq(int, se_dispatch_key(t, 2, mbuf(), &m, &ruri, 0, &k), -ENOENT));
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
}
