/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The on-demand decoders: se_sip_via_parse, se_sip_addr_parse,
 * se_sip_uri_parse, se_sip_param_find, se_sip_parse_ipv4. Each input is the
 * whole of a guarded copy, so reading past the span crashes.
 */

#include <arpa/inet.h>

#include "sip_test.h"

static int
via(struct guarded *g, const char *s, struct se_sip_via *v)
{
	guard_put(g, s, strlen(s));
	return se_sip_via_parse(g->data, span_all(g), v);
}

static int
addr(struct guarded *g, const char *s, struct se_sip_addr *a)
{
	guard_put(g, s, strlen(s));
	return se_sip_addr_parse(g->data, span_all(g), a);
}

static int
uri(struct guarded *g, const char *s, struct se_sip_uri *u)
{
	guard_put(g, s, strlen(s));
	return se_sip_uri_parse(g->data, span_all(g), u);
}

Test(sip_via, rport_without_value_is_empty)
{
	struct guarded g;
	struct se_sip_via v;

	cr_assert(eq(int, via(&g, "SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK1", &v), 0));
	assert_true(v.flags & SE_SIP_VIA_RPORT);
	cr_assert(eq(u16, v.rport.len, 0));
	/* points just past the name: where a proxy inserts "=port" */
	cr_assert(eq(u8, g.data[v.rport.off], ';'));
	cr_assert(eq(u8, g.data[v.rport.off - 1], 't'));
	cr_assert(eq(u16, v.rport_num, 0));
	assert_span(g.data, v.branch, "z9hG4bK1");
	guard_free(&g);
}

Test(sip_via, rport_at_the_end_points_at_the_end)
{
	struct guarded g;
	struct se_sip_via v;

	cr_assert(eq(int, via(&g, "SIP/2.0/UDP h;rport", &v), 0));
	cr_assert(eq(u32, se_span_end(v.rport), (uint32_t)g.len));
	guard_free(&g);
}

Test(sip_via, rport_with_value_is_decoded)
{
	struct guarded g;
	struct se_sip_via v;

	cr_assert(eq(int, via(&g, "SIP/2.0/UDP h.example.com;rport=40123;received=192.0.2.7", &v),
		     0));
	cr_assert(eq(u16, v.rport_num, 40123));
	assert_span(g.data, v.rport, "40123");
	assert_true(v.flags & SE_SIP_VIA_RECEIVED);
	assert_span(g.data, v.received, "192.0.2.7");
	guard_free(&g);
	cr_assert(eq(int, via(&g, "SIP/2.0/UDP h;rport=0", &v), -EINVAL));
	guard_free(&g);
	cr_assert(eq(int, via(&g, "SIP/2.0/UDP h;rport=65536", &v), -EINVAL));
	guard_free(&g);
}

/* The usual transports are recognised at once; any other token is read as a run. */
Test(sip_via, transport_is_the_whole_token)
{
	static const char *const cases[][2] = {
		{ "SIP/2.0/UDP h", "UDP" }, { "SIP/2.0/TCP h", "TCP" },
		{ "SIP/2.0/TLS h", "TLS" }, { "SIP/2.0/UDPX h", "UDPX" },
		{ "SIP/2.0/udp h", "udp" }, { "SIP/2.0/SCTP h", "SCTP" },
		{ "SIP/2.0/UD h", "UD" }, { "SIP/2.0/WSS h", "WSS" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct guarded g;
		struct se_sip_via v;

		cr_assert(eq(int, via(&g, cases[i][0], &v), 0), "%s", cases[i][0]);
		assert_span(g.data, v.transport, cases[i][1]);
		assert_span(g.data, v.host, "h");
		guard_free(&g);
	}
}

Test(sip_via, all_parts_are_decoded)
{
	struct guarded g;
	struct se_sip_via v;

	cr_assert(eq(int, via(&g, "SIP/2.0/TLS proxy.example.com:5061;maddr=224.2.0.1;ttl=16;"
			      "branch=z9hG4bKxyz;x-ext=\"q;uoted\"", &v), 0));
	assert_span(g.data, v.proto, "SIP");
	assert_span(g.data, v.version, "2.0");
	assert_span(g.data, v.transport, "TLS");
	assert_span(g.data, v.sent_by, "proxy.example.com:5061");
	assert_span(g.data, v.host, "proxy.example.com");
	cr_assert(eq(u8, v.host_type, SE_SIP_HOST_NAME));
	cr_assert(eq(u16, v.port, 5061));
	assert_span(g.data, v.maddr, "224.2.0.1");
	assert_true(v.flags & SE_SIP_VIA_TTL);
	assert_true(v.flags & SE_SIP_VIA_MADDR);
	assert_span(g.data, v.branch, "z9hG4bKxyz");
	assert_span(g.data, v.params,
		    ";maddr=224.2.0.1;ttl=16;branch=z9hG4bKxyz;x-ext=\"q;uoted\"");
	assert_false(v.flags & SE_SIP_VIA_RPORT);
	guard_free(&g);
}

Test(sip_via, ipv4_host_is_decoded_in_network_order)
{
	struct guarded g;
	struct se_sip_via v;

	cr_assert(eq(int, via(&g, "SIP/2.0/UDP 198.51.100.23", &v), 0));
	cr_assert(eq(u8, v.host_type, SE_SIP_HOST_IPV4));
	cr_assert(eq(u32, v.ipv4, htonl(0xc6336417u)));
	cr_assert(eq(u16, v.port, 0));
	guard_free(&g);
}

Test(sip_via, ipv6_reference_keeps_its_brackets)
{
	struct guarded g;
	struct se_sip_via v;

	cr_assert(eq(int, via(&g, "SIP/2.0/UDP [2001:db8::10]:5060;branch=z9hG4bK6", &v), 0));
	cr_assert(eq(u8, v.host_type, SE_SIP_HOST_IPV6));
	assert_span(g.data, v.host, "[2001:db8::10]");
	cr_assert(eq(u16, v.port, 5060));
	guard_free(&g);
	cr_assert(eq(int, via(&g, "SIP/2.0/UDP [::ffff:192.0.2.1]", &v), 0));
	guard_free(&g);
	cr_assert(eq(int, via(&g, "SIP/2.0/UDP [2001:db8::1::2]", &v), -EINVAL));
	guard_free(&g);
	cr_assert(eq(int, via(&g, "SIP/2.0/UDP [2001:db8:1]", &v), -EINVAL));
	guard_free(&g);
	cr_assert(eq(int, via(&g, "SIP/2.0/UDP [2001:db8::1", &v), -EINVAL));
	guard_free(&g);
}

Test(sip_via, lws_around_slashes_colon_and_params_is_allowed)
{
	struct guarded g;
	struct se_sip_via v;

	cr_assert(eq(int, via(&g, "SIP  /   2.0\r\n /UDP\r\n    192.0.2.2 : 5060 ; branch =\r\n"
			      " z9hG4bK30239 ;rport", &v), 0));
	assert_span(g.data, v.transport, "UDP");
	assert_span(g.data, v.host, "192.0.2.2");
	cr_assert(eq(u16, v.port, 5060));
	assert_span(g.data, v.branch, "z9hG4bK30239");
	assert_true(v.flags & SE_SIP_VIA_RPORT);
	guard_free(&g);
}

Test(sip_via, lws_after_the_last_slash_is_allowed)
{
	struct guarded g;
	struct se_sip_via v;

	cr_assert(eq(int, via(&g, "SIP/2.0/ UDP host", &v), 0));
	assert_span(g.data, v.transport, "UDP");
	guard_free(&g);
	cr_assert(eq(int, via(&g, "sip/2.0/tcp host", &v), 0));
	assert_span(g.data, v.proto, "sip");
	assert_span(g.data, v.transport, "tcp");
	guard_free(&g);
}

Test(sip_via, malformed_via_parms_are_refused)
{
	static const char *bad[] = {
		"", "SIP/2.0", "SIP/2.0/UDP", "SIP/2.0/UDP ", "SIP/2.0 UDP host", "SIP/2.0/UDPhost",
		"SIP/2.0/UDP host:", "SIP/2.0/UDP host:0", "SIP/2.0/UDP host:65536",
		"SIP/2.0/UDP host;;", "SIP/2.0/UDP 192.0.2.15;;", "SIP/2.0/UDP host;branch",
		"SIP/2.0/UDP host;branch=", "SIP/2.0/UDP host;ttl=256", "SIP/2.0/UDP host junk",
		"SIP/2.0/UDP 1.2.3.256", "SIP/2.0/UDP -host", "SIP/2.0/UDP host;received",
		"SIP/2.0/UDP host;x=\"open", ";", "SIP/2.0/UDP host;=v",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct guarded g;
		struct se_sip_via v;

		cr_assert(eq(int, via(&g, bad[i], &v), -EINVAL), "\"%s\"", bad[i]);
		guard_free(&g);
	}
}

Test(sip_addr, quoted_display_name_keeps_its_escapes)
{
	struct guarded g;
	struct se_sip_addr a;

	cr_assert(eq(int, addr(&g, "\"J Rosenberg \\\\\\\"\"  <sip:jdrosen@example.com>\r\n  ;\r\n"
			       "  tag = 98asjd8", &a), 0));
	assert_span(g.data, a.display, "\"J Rosenberg \\\\\\\"\"");
	assert_span(g.data, a.uri_span, "sip:jdrosen@example.com");
	assert_span(g.data, a.tag, "98asjd8");
	assert_true(a.flags & SE_SIP_ADDR_NAME_ADDR);
	assert_true(a.flags & SE_SIP_ADDR_TAG);
	guard_free(&g);
}

Test(sip_addr, token_display_name_may_touch_the_angle)
{
	struct guarded g;
	struct se_sip_addr a;

	cr_assert(eq(int, addr(&g, "caller<sip:caller@example.com>;tag=323", &a), 0));
	assert_span(g.data, a.display, "caller");
	assert_span(g.data, a.tag, "323");
	guard_free(&g);
	cr_assert(eq(int, addr(&g, "token1~` token2'+_ token3*%!.- <sip:m@example.com>", &a), 0));
	assert_span(g.data, a.display, "token1~` token2'+_ token3*%!.-");
	guard_free(&g);
}

Test(sip_addr, addr_spec_parameters_are_header_parameters)
{
	struct guarded g;
	struct se_sip_addr a;

	cr_assert(eq(int, addr(&g, "sip:+19725552222@gw1.example.net;unknownparam;tag=x", &a), 0));
	assert_false(a.flags & SE_SIP_ADDR_NAME_ADDR);
	assert_span(g.data, a.uri_span, "sip:+19725552222@gw1.example.net");
	cr_assert(eq(u16, a.uri.params.len, 0));
	assert_span(g.data, a.hparams, ";unknownparam;tag=x");
	assert_span(g.data, a.tag, "x");
	guard_free(&g);
}

Test(sip_addr, name_addr_uri_parameters_stay_in_the_uri)
{
	struct guarded g;
	struct se_sip_addr a;

	cr_assert(eq(int, addr(&g, "<sip:p1.example.com;lr;transport=udp>;x=1", &a), 0));
	assert_span(g.data, a.uri.params, ";lr;transport=udp");
	assert_true(a.uri.flags & SE_SIP_URI_LR);
	assert_span(g.data, a.hparams, ";x=1");
	assert_false(a.flags & SE_SIP_ADDR_TAG);
	guard_free(&g);
}

Test(sip_addr, star_is_a_contact_wildcard)
{
	struct guarded g;
	struct se_sip_addr a;

	cr_assert(eq(int, addr(&g, " * ", &a), 0));
	assert_true(a.flags & SE_SIP_ADDR_STAR);
	guard_free(&g);
}

Test(sip_addr, unterminated_quote_and_angle_are_ebadmsg)
{
	struct guarded g;
	struct se_sip_addr a;

	cr_assert(eq(int, addr(&g, "\"Mr. J. User <sip:j.user@example.com>", &a), -EBADMSG));
	guard_free(&g);
	cr_assert(eq(int, addr(&g, "<sip:j.user@example.com", &a), -EBADMSG));
	guard_free(&g);
	cr_assert(eq(int, addr(&g, "\"trailing backslash\\", &a), -EBADMSG));
	guard_free(&g);
}

Test(sip_addr, malformed_addresses_are_einval)
{
	static const char *bad[] = {
		"", "Bell, Alexander <sip:a.g.bell@example.com>", "< sip:t.watson@example.org >",
		"sip:user@example.com?Route=%3Csip:sip.example.com%3E", "<>", "<sip:a@b> x",
		"<sip:a@b>;tag=", "<sip:a@b>;;tag=1", "\"a\" sip:a@b", "noscheme", "* x",
		"<sip:a@b>;tag=\"x", "sip:a@b,sip:c@d",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct guarded g;
		struct se_sip_addr a;

		cr_assert(eq(int, addr(&g, bad[i], &a), -EINVAL), "\"%s\"", bad[i]);
		guard_free(&g);
	}
}

Test(sip_uri, sip_uri_parts_are_decoded)
{
	struct guarded g;
	struct se_sip_uri u;

	cr_assert(eq(int, uri(&g, "sip:alice:secret@Example.COM:5080;transport=tcp;lr?Subject=hi"
			      "&Priority=urgent", &u), 0));
	cr_assert(eq(u8, u.scheme_id, SE_SIP_SCHEME_SIP));
	assert_span(g.data, u.scheme, "sip");
	assert_span(g.data, u.user, "alice");
	assert_span(g.data, u.password, "secret");
	assert_true(u.flags & SE_SIP_URI_PASSWORD);
	assert_span(g.data, u.host, "Example.COM");
	cr_assert(eq(u16, u.port, 5080));
	assert_span(g.data, u.params, ";transport=tcp;lr");
	assert_true(u.flags & SE_SIP_URI_LR);
	assert_span(g.data, u.headers, "Subject=hi&Priority=urgent");
	guard_free(&g);
}

Test(sip_uri, scheme_is_case_insensitive_and_sips_is_known)
{
	struct guarded g;
	struct se_sip_uri u;

	cr_assert(eq(int, uri(&g, "SIPS:bob@biloxi.example.com", &u), 0));
	cr_assert(eq(u8, u.scheme_id, SE_SIP_SCHEME_SIPS));
	assert_false(u.flags & SE_SIP_URI_LR);
	guard_free(&g);
}

Test(sip_uri, user_may_hold_semicolons_and_escapes)
{
	struct guarded g;
	struct se_sip_uri u;

	cr_assert(eq(int, uri(&g, "sip:user;par=u%40example.net@example.com", &u), 0));
	assert_span(g.data, u.user, "user;par=u%40example.net");
	assert_span(g.data, u.host, "example.com");
	cr_assert(eq(u16, u.params.len, 0));
	guard_free(&g);
	cr_assert(eq(int, uri(&g, "sip:null-%00-null@example.com", &u), 0));
	assert_span(g.data, u.user, "null-%00-null");
	guard_free(&g);
	cr_assert(eq(int, uri(&g, "sip:%zz@example.com", &u), -EINVAL));
	guard_free(&g);
}

Test(sip_uri, ipv6_and_ipv4_hosts)
{
	struct guarded g;
	struct se_sip_uri u;

	cr_assert(eq(int, uri(&g, "sip:[2001:db8::10]:5060", &u), 0));
	cr_assert(eq(u8, u.host_type, SE_SIP_HOST_IPV6));
	assert_span(g.data, u.host, "[2001:db8::10]");
	cr_assert(eq(u16, u.port, 5060));
	guard_free(&g);
	cr_assert(eq(int, uri(&g, "sip:127.0.0.1:5080", &u), 0));
	cr_assert(eq(u8, u.host_type, SE_SIP_HOST_IPV4));
	cr_assert(eq(u32, u.ipv4, htonl(0x7f000001u)));
	guard_free(&g);
}

Test(sip_uri, other_schemes_keep_scheme_and_opaque)
{
	static const struct {
		const char *u, *scheme, *opaque;
	} ok[] = {
		{ "tel:+358-555-1234567;postd=pp22", "tel", "+358-555-1234567;postd=pp22" },
		{ "nobodyKnowsThisScheme:totallyopaquecontent", "nobodyKnowsThisScheme",
		  "totallyopaquecontent" },
		{ "soap.beep://192.0.2.103:3002", "soap.beep", "//192.0.2.103:3002" },
		{ "isbn:2983792873", "isbn", "2983792873" },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct guarded g;
		struct se_sip_uri u;

		cr_assert(eq(int, uri(&g, ok[i].u, &u), 0), "%s", ok[i].u);
		cr_assert(eq(u8, u.scheme_id, SE_SIP_SCHEME_OTHER));
		assert_span(g.data, u.scheme, ok[i].scheme);
		assert_span(g.data, u.opaque, ok[i].opaque);
		guard_free(&g);
	}
}

Test(sip_uri, malformed_uris_are_einval)
{
	static const char *bad[] = {
		"", "sip", "sip:", "sip:@host", "sip:user@", "sip:host:0", "sip:host:70000",
		"sip:host:", "sip:ho st", "sip:host;", "sip:host;=x", "sip:host;a=", "<sip:a@b>",
		"1sip:host", "tel:", "sip:host>", "sip:[::1", "sip:host;a=b c", "x:<y>",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct guarded g;
		struct se_sip_uri u;

		cr_assert(eq(int, uri(&g, bad[i], &u), -EINVAL), "\"%s\"", bad[i]);
		guard_free(&g);
	}
}

Test(sip_param, lws_around_equals_and_semicolons_is_skipped)
{
	struct guarded g;
	struct se_span v;
	const char *s = ";a=b;c;d = e ; F=\"q;x\"";

	guard_put(&g, s, strlen(s));
	assert_true(se_sip_param_find(g.data, span_all(&g), "a", 1, &v));
	assert_span(g.data, v, "b");
	assert_true(se_sip_param_find(g.data, span_all(&g), "D", 1, &v));
	assert_span(g.data, v, "e");
	assert_true(se_sip_param_find(g.data, span_all(&g), "f", 1, &v));
	assert_span(g.data, v, "\"q;x\"");
	assert_true(se_sip_param_find(g.data, span_all(&g), "c", 1, &v));
	cr_assert(eq(u16, v.len, 0));
	cr_assert(eq(u8, g.data[v.off], ';'));
	assert_false(se_sip_param_find(g.data, span_all(&g), "x", 1, &v));
	assert_false(se_sip_param_find(g.data, span_all(&g), "ab", 2, &v));
	guard_free(&g);
}

Test(sip_param, list_may_start_at_the_first_name)
{
	struct guarded g;
	struct se_span v;
	const char *s = "tag=1;lr";

	guard_put(&g, s, strlen(s));
	assert_true(se_sip_param_find(g.data, span_all(&g), "tag", 3, &v));
	assert_span(g.data, v, "1");
	assert_true(se_sip_param_find(g.data, span_all(&g), "LR", 2, &v));
	cr_assert(eq(u32, (uint32_t)v.off, (uint32_t)g.len));
	guard_free(&g);
}

Test(sip_ipv4, dotted_quads_only)
{
	static const char *bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", "a.b.c.d", "1..2.3", "1.2.3.",
		"1234.1.1.1", ".1.2.3",
	};
	uint32_t a;
	size_t i;

	assert_true(se_sip_parse_ipv4((const uint8_t *)"192.0.2.1", 9, &a));
	cr_assert(eq(u32, a, htonl(0xc0000201u)));
	assert_true(se_sip_parse_ipv4((const uint8_t *)"255.255.255.255", 15, &a));
	cr_assert(eq(u32, a, 0xffffffffu));
	assert_true(se_sip_parse_ipv4((const uint8_t *)"010.0.0.001", 11, &a));
	cr_assert(eq(u32, a, htonl(0x0a000001u)));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(se_sip_parse_ipv4((const uint8_t *)bad[i], strlen(bad[i]), &a));
}

Test(sip_span, eq_nocase_compares_whole_spans)
{
	const uint8_t buf[] = "xxINVITExx";
	struct se_span s = { 2, 6 };

	assert_true(se_span_eq_nocase(buf, s, "invite", 6));
	assert_true(se_span_eq_nocase(buf, s, "INVITE", 6));
	assert_false(se_span_eq_nocase(buf, s, "invit", 5));
	assert_false(se_span_eq_nocase(buf, s, "invitf", 6));
	cr_assert(eq(u32, se_span_end(s), 8));
	cr_assert(eq(ptr, (void *)se_span_ptr(buf, s), (void *)(buf + 2)));
}

Test(sip_method, known_methods_are_case_sensitive)
{
	int m;

	for (m = 1; m < SE_SIP_METHOD_COUNT; m++) {
		const char *name = se_sip_method_name(m);
		char lower[16];
		size_t i, n = strlen(name);

		cr_assert(eq(int, se_sip_method_lookup((const uint8_t *)name, n), m));
		for (i = 0; i <= n; i++)
			lower[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] | 0x20
									     : name[i]);
		cr_assert(eq(int, se_sip_method_lookup((const uint8_t *)lower, n),
			     SE_SIP_METHOD_OTHER));
	}
	cr_assert(eq(int, se_sip_method_lookup((const uint8_t *)"NEWMETHOD", 9),
		     SE_SIP_METHOD_OTHER));
	cr_assert(eq(int, se_sip_method_lookup((const uint8_t *)"INVITEX", 7),
		     SE_SIP_METHOD_OTHER));
	cr_assert(eq(str, (char *)se_sip_method_name(SE_SIP_METHOD_COUNT), "OTHER"));
}
