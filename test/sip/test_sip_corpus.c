/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every message of test/corpus/rfc4475 (RFC 4475, "SIP Torture Test
 * Messages", section 3) against what the RFC says an element should do with
 * it, and what a stateless proxy's parser therefore answers.
 *
 * Decisions where the RFC leaves a choice ("reasonable to reject", "may be
 * liberal"): the parser rejects what the RFC calls invalid syntax in the
 * parts it decodes (start line, top Via, From, To, Call-ID, CSeq,
 * Max-Forwards, Content-Length), and passes what a proxy forwards unread
 * (Date, Contact values, unknown schemes, unknown headers, Require). So:
 *  - regbadct (3.1.2.13, Contact addr-spec with '?' outside <>): the message
 *    parses (a proxy does not decode Contact); se_sip_addr_parse() on that
 *    Contact rejects it, for whoever does (a registrar, NAT fixing).
 *  - badaspec (3.1.2.14, "< sip:... >" in To): To is decoded, and LAQUOT /
 *    RAQUOT allow no LWS inside the brackets: SE_SIP_ERR_TO.
 *  - baddn (3.1.2.15, unquoted display names with ','): the archive's file
 *    ends after "l: 0" CRLF with no empty line, so as a UDP datagram its
 *    header section never ends: SE_SIP_ERR_TRUNCATED (RFC 3261 7: the empty
 *    line is mandatory). With the empty line added it is SE_SIP_ERR_FROM
 *    (tested below).
 *  - multi01 (3.3.8): several single-value fields repeated; the first defect
 *    in check order is the second, different Call-ID.
 *  - test.dat is in the archive but not in section 3: its request line has
 *    no SIP-Version ("INVITE sip:alan@jasomi.com"), so SE_SIP_ERR_START_LINE.
 *
 * file       RFC 4475 valid status, and for valid ones: Call-ID / CSeq / top Via branch
 * wsinv      3.1.1.1  yes  OK wsinv.ndaksdj@192.0.2.1 / 9 INVITE / 390skdjuw
 * intmeth    3.1.1.2  yes  OK intmeth.word%ZK-!.*_+'@word`~)(><:\/"][?}{
 *                          / 139122385 !interesting-Method0123456789_*+`.%indeed'~
 *                          / z9hG4bK-.!%66*_+`'~
 * esc01      3.1.1.3  yes  OK esc01.239409asdfakjkn23onasd0-3234 / 234234 INVITE / z9hG4bKkdjuw
 * escnull    3.1.1.4  yes  OK escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd / 14398234 REGISTER
 *                          / z9hG4bKkdjuw
 * esc02      3.1.1.5  yes  OK esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf / 29344 RE%47IST%45R
 *                          / z9hG4bK209%fzsnel234
 * lwsdisp    3.1.1.6  yes  OK lwsdisp.1234abcd@funky.example.com / 60 OPTIONS / z9hG4bKkdjuw
 * longreq    3.1.1.7  yes  OK longreq.onereallyreally...longcallid / 3882340 INVITE / (none)
 * dblreq     3.1.1.8  yes  OK dblreq.0ha0isndaksdj99sdfafnl3lk233412 / 8 REGISTER
 *                          / z9hG4bKkdjuw23492 (the second message is ignored)
 * semiuri    3.1.1.9  yes  OK semiuri.0ha0isndaksdj / 8 OPTIONS / z9hG4bKkdjuw
 * transports 3.1.1.10 yes  OK transports.kijh4akdnaqjkwendsasfdj / 60 OPTIONS / z9hG4bKkdjuw
 * mpart01    3.1.1.11 yes  OK 3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA.. / 1 MESSAGE
 *                          / z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-
 * unreason   3.1.1.12 yes  OK unreason.1234ksdfak3j2erwedfsASdf / 35 INVITE / z9hG4bK1324923
 * noreason   3.1.1.13 yes  OK noreason.asndj203insdf99223ndf / 35 INVITE / z9hG4bK2398ndaoe
 * badinv01   3.1.2.1  no   VIA (";;" and empty entries in the top Via field)
 * clerr      3.1.2.2  no   BODY_SHORT (Content-Length 9999 over UDP)
 * ncl        3.1.2.3  no   CONTENT_LENGTH (-999)
 * scalar02   3.1.2.4  no   CSEQ (2^65; Max-Forwards 300 comes later)
 * scalarlg   3.1.2.5  no   CSEQ (response, 9292394834772304023312)
 * quotbal    3.1.2.6  no   UNTERMINATED_QUOTE (To display name)
 * ltgtruri   3.1.2.7  no   REQUEST_URI (<> around it)
 * lwsruri    3.1.2.8  no   REQUEST_URI ("sip:user@example.com; lr")
 * lwsstart   3.1.2.9  no   START_LINE (two SP between elements)
 * trws       3.1.2.10 no   START_LINE (SP before CRLF)
 * escruri    3.1.2.11 no   REQUEST_URI (headers in a Request-URI)
 * baddate    3.1.2.12 yes  OK baddate.239423mnsadf3j23lj42--sedfnm234 / 1392934 INVITE
 *                          / z9hG4bKkdjuw (Date is not read by a proxy)
 * regbadct   3.1.2.13 yes* OK regbadct.k345asrl3fdbv@10.0.0.1 / 1 REGISTER / z9hG4bKkdjuw
 * badaspec   3.1.2.14 no   TO
 * baddn      3.1.2.15 no   TRUNCATED (see above; FROM with the empty line)
 * badvers    3.1.2.16 no   VERSION (SIP/7.0)
 * mismatch01 3.1.2.17 no   CSEQ_MISMATCH (OPTIONS vs INVITE)
 * mismatch02 3.1.2.18 no   CSEQ_MISMATCH (NEWMETHOD vs INVITE)
 * bigcode    3.1.2.19 no   STATUS_CODE (4294967301)
 * badbranch  3.2.1    yes  OK badbranch.sadonfo23i420jv0as0derf3j3n / 8 OPTIONS / z9hG4bK
 * insuf      3.3.1    no   NO_CALL_ID (no Call-ID, From, To)
 * unkscm     3.3.2    yes  OK unkscm.nasdfasser0q239nwsdfasdkl34 / 3923423 OPTIONS
 *                          / z9hG4bKkdjuw39234
 * novelsc    3.3.3    yes  OK novelsc.asdfasser0q239nwsdfasdkl34 / 3923423 OPTIONS
 *                          / z9hG4bKkdjuw39234
 * unksm2     3.3.4    yes  OK unksm2.daksdj@hyphenated-host.example.com / 234902 REGISTER
 *                          / z9hG4bKkdjuw
 * bext01     3.3.5    yes  OK bext01.0ha0isndaksdj / 8 OPTIONS / z9hG4bKkdjuw
 * invut      3.3.6    yes  OK invut.0ha0isndaksdjadsfij34n23d / 235448 INVITE / z9hG4bKkdjuw
 * regaut01   3.3.7    yes  OK regaut01.0ha0isndaksdj / 9338 REGISTER / z9hG4bKkdjuw
 * multi01    3.3.8    no   CALL_ID_MISMATCH
 * mcl01      3.3.9    no   CONTENT_LENGTH_MISMATCH (13 and 5)
 * bcast      3.3.10   yes  OK bcast.0384840201234ksdfak3j2erwedfsASdf / 35 INVITE / z9hG4bK1324923
 * zeromf     3.3.11   yes  OK zeromf.jfasdlfnm2o2l43r5u0asdfas / 39234321 OPTIONS
 *                          / z9hG4bKkdjuw2349i
 * cparam01   3.3.12   yes  OK cparam01.70710@saturn.example.com / 2 REGISTER / z9hG4bKkdjuw
 * cparam02   3.3.13   yes  OK cparam02.70710@saturn.example.com / 3 REGISTER / z9hG4bKkdjuw
 * regescrt   3.3.14   yes  OK regescrt.k345asrl3fdbv@192.0.2.1 / 14398234 REGISTER / z9hG4bKkdjuw
 * sdp01      3.3.15   yes  OK sdp01.ndaksdj9342dasdd / 8 INVITE / z9hG4bKkdjuw
 * inv2543    3.4.1    yes  OK inv2543.1717@ift.client.example.com / 56 INVITE / (none)
 * test       (none)   no   START_LINE
 * (* the RFC calls it invalid; a proxy passes it, see above)
 */

#include "sip_test.h"

/* Arrays, not pointers: Criterion hands parameters to another process. */
struct corpus_case {
	char file[16];
	enum se_sip_status status;
	char call_id[160];      /* valid messages: exact Call-ID bytes */
	uint32_t cseq;
	char cseq_method[48];
	char branch[48];        /* "": the top Via has no branch */
};

#define BAD(f, st) { f, st, "", 0, "", "" }

static struct corpus_case cases[] = {
	{ "wsinv.dat", SE_SIP_OK, "wsinv.ndaksdj@192.0.2.1", 9, "INVITE", "390skdjuw" },
	{ "intmeth.dat", SE_SIP_OK, "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", 139122385,
	  "!interesting-Method0123456789_*+`.%indeed'~", "z9hG4bK-.!%66*_+`'~" },
	{ "esc01.dat", SE_SIP_OK, "esc01.239409asdfakjkn23onasd0-3234", 234234, "INVITE",
	  "z9hG4bKkdjuw" },
	{ "escnull.dat", SE_SIP_OK, "escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd", 14398234,
	  "REGISTER", "z9hG4bKkdjuw" },
	{ "esc02.dat", SE_SIP_OK, "esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf", 29344,
	  "RE%47IST%45R", "z9hG4bK209%fzsnel234" },
	{ "lwsdisp.dat", SE_SIP_OK, "lwsdisp.1234abcd@funky.example.com", 60, "OPTIONS",
	  "z9hG4bKkdjuw" },
	{ "longreq.dat", SE_SIP_OK,
	  "longreq.onereallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreally"
	  "reallyreallyreallyreallyreallyreallyreallyreallyreallylongcallid",
	  3882340, "INVITE", "" },
	{ "dblreq.dat", SE_SIP_OK, "dblreq.0ha0isndaksdj99sdfafnl3lk233412", 8, "REGISTER",
	  "z9hG4bKkdjuw23492" },
	{ "semiuri.dat", SE_SIP_OK, "semiuri.0ha0isndaksdj", 8, "OPTIONS", "z9hG4bKkdjuw" },
	{ "transports.dat", SE_SIP_OK, "transports.kijh4akdnaqjkwendsasfdj", 60, "OPTIONS",
	  "z9hG4bKkdjuw" },
	{ "mpart01.dat", SE_SIP_OK, "3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..", 1, "MESSAGE",
	  "z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-" },
	{ "unreason.dat", SE_SIP_OK, "unreason.1234ksdfak3j2erwedfsASdf", 35, "INVITE",
	  "z9hG4bK1324923" },
	{ "noreason.dat", SE_SIP_OK, "noreason.asndj203insdf99223ndf", 35, "INVITE",
	  "z9hG4bK2398ndaoe" },
	BAD("badinv01.dat", SE_SIP_ERR_VIA),
	BAD("clerr.dat", SE_SIP_ERR_BODY_SHORT),
	BAD("ncl.dat", SE_SIP_ERR_CONTENT_LENGTH),
	BAD("scalar02.dat", SE_SIP_ERR_CSEQ),
	BAD("scalarlg.dat", SE_SIP_ERR_CSEQ),
	BAD("quotbal.dat", SE_SIP_ERR_UNTERMINATED_QUOTE),
	BAD("ltgtruri.dat", SE_SIP_ERR_REQUEST_URI),
	BAD("lwsruri.dat", SE_SIP_ERR_REQUEST_URI),
	BAD("lwsstart.dat", SE_SIP_ERR_START_LINE),
	BAD("trws.dat", SE_SIP_ERR_START_LINE),
	BAD("escruri.dat", SE_SIP_ERR_REQUEST_URI),
	{ "baddate.dat", SE_SIP_OK, "baddate.239423mnsadf3j23lj42--sedfnm234", 1392934, "INVITE",
	  "z9hG4bKkdjuw" },
	{ "regbadct.dat", SE_SIP_OK, "regbadct.k345asrl3fdbv@10.0.0.1", 1, "REGISTER",
	  "z9hG4bKkdjuw" },
	BAD("badaspec.dat", SE_SIP_ERR_TO),
	BAD("baddn.dat", SE_SIP_ERR_TRUNCATED),
	BAD("badvers.dat", SE_SIP_ERR_VERSION),
	BAD("mismatch01.dat", SE_SIP_ERR_CSEQ_MISMATCH),
	BAD("mismatch02.dat", SE_SIP_ERR_CSEQ_MISMATCH),
	BAD("bigcode.dat", SE_SIP_ERR_STATUS_CODE),
	{ "badbranch.dat", SE_SIP_OK, "badbranch.sadonfo23i420jv0as0derf3j3n", 8, "OPTIONS",
	  "z9hG4bK" },
	BAD("insuf.dat", SE_SIP_ERR_NO_CALL_ID),
	{ "unkscm.dat", SE_SIP_OK, "unkscm.nasdfasser0q239nwsdfasdkl34", 3923423, "OPTIONS",
	  "z9hG4bKkdjuw39234" },
	{ "novelsc.dat", SE_SIP_OK, "novelsc.asdfasser0q239nwsdfasdkl34", 3923423, "OPTIONS",
	  "z9hG4bKkdjuw39234" },
	{ "unksm2.dat", SE_SIP_OK, "unksm2.daksdj@hyphenated-host.example.com", 234902, "REGISTER",
	  "z9hG4bKkdjuw" },
	{ "bext01.dat", SE_SIP_OK, "bext01.0ha0isndaksdj", 8, "OPTIONS", "z9hG4bKkdjuw" },
	{ "invut.dat", SE_SIP_OK, "invut.0ha0isndaksdjadsfij34n23d", 235448, "INVITE",
	  "z9hG4bKkdjuw" },
	{ "regaut01.dat", SE_SIP_OK, "regaut01.0ha0isndaksdj", 9338, "REGISTER", "z9hG4bKkdjuw" },
	BAD("multi01.dat", SE_SIP_ERR_CALL_ID_MISMATCH),
	BAD("mcl01.dat", SE_SIP_ERR_CONTENT_LENGTH_MISMATCH),
	{ "bcast.dat", SE_SIP_OK, "bcast.0384840201234ksdfak3j2erwedfsASdf", 35, "INVITE",
	  "z9hG4bK1324923" },
	{ "zeromf.dat", SE_SIP_OK, "zeromf.jfasdlfnm2o2l43r5u0asdfas", 39234321, "OPTIONS",
	  "z9hG4bKkdjuw2349i" },
	{ "cparam01.dat", SE_SIP_OK, "cparam01.70710@saturn.example.com", 2, "REGISTER",
	  "z9hG4bKkdjuw" },
	{ "cparam02.dat", SE_SIP_OK, "cparam02.70710@saturn.example.com", 3, "REGISTER",
	  "z9hG4bKkdjuw" },
	{ "regescrt.dat", SE_SIP_OK, "regescrt.k345asrl3fdbv@192.0.2.1", 14398234, "REGISTER",
	  "z9hG4bKkdjuw" },
	{ "sdp01.dat", SE_SIP_OK, "sdp01.ndaksdj9342dasdd", 8, "INVITE", "z9hG4bKkdjuw" },
	{ "inv2543.dat", SE_SIP_OK, "inv2543.1717@ift.client.example.com", 56, "INVITE", "" },
	BAD("test.dat", SE_SIP_ERR_START_LINE),
};

ParameterizedTestParameters(sip_corpus, rfc4475_message_gets_the_rfc_verdict)
{
	return cr_make_param_array(struct corpus_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct corpus_case *c, sip_corpus, rfc4475_message_gets_the_rfc_verdict)
{
	char path[512];
	struct parsed p;
	uint8_t *raw;
	size_t len;

	corpus_path(path, sizeof(path), c->file);
	raw = read_file(path, &len);
	parse_bytes(&p, raw, len);
	cr_assert(eq(str, (char *)se_sip_status_name(p.st), (char *)se_sip_status_name(c->status)),
		  "%s", c->file);
	if (c->status == SE_SIP_OK) {
		const uint8_t *b = p.g.data;

		assert_span(b, p.msg.call_id, c->call_id);
		cr_assert(eq(u32, p.msg.cseq, c->cseq));
		assert_span(b, p.msg.cseq_method, c->cseq_method);
		if (c->branch[0] != '\0') {
			assert_true(p.msg.via.flags & SE_SIP_VIA_BRANCH);
			assert_span(b, p.msg.via.branch, c->branch);
		} else {
			assert_false(p.msg.via.flags & SE_SIP_VIA_BRANCH);
		}
		cr_assert(le(u32, (uint32_t)p.msg.msg_len, (uint32_t)len));
		cr_assert(eq(u32, (uint32_t)p.msg.msg_len,
			     (uint32_t)p.msg.body_off + p.msg.body_len));
		if (p.msg.content_length >= 0)
			cr_assert(eq(i32, p.msg.content_length, (int32_t)p.msg.body_len));
	}
	parsed_free(&p);
	free(raw);
}

/* Parse a corpus file, optionally with bytes appended. */
static void
parse_corpus(struct parsed *p, const char *name, const char *append)
{
	char path[512];
	uint8_t *raw;
	size_t len, extra = append == NULL ? 0 : strlen(append);

	corpus_path(path, sizeof(path), name);
	raw = read_file(path, &len);
	raw = realloc(raw, len + extra + 1);
	cr_assert(raw != NULL);
	if (extra != 0)
		memcpy(raw + len, append, extra);
	parse_bytes(p, raw, len + extra);
	free(raw);
}

Test(sip_corpus, baddn_with_its_empty_line_has_a_bad_from)
{
	struct parsed p;

	parse_corpus(&p, "baddn.dat", "\r\n");
	cr_assert(eq(int, p.st, SE_SIP_ERR_FROM));
	parsed_free(&p);
}

Test(sip_corpus, regbadct_contact_is_rejected_when_decoded)
{
	struct parsed p;
	struct se_sip_addr a;
	uint16_t h;

	parse_corpus(&p, "regbadct.dat", NULL);
	cr_assert(eq(int, p.st, SE_SIP_OK));
	h = p.msg.first[SE_SIP_HDR_CONTACT];
	cr_assert(ne(u16, h, SE_SIP_NONE));
	cr_assert(eq(int, se_sip_addr_parse(p.g.data, p.msg.entries[p.msg.hdrs[h].first_entry].span,
					    &a), -EINVAL));
	parsed_free(&p);
}

Test(sip_corpus, regescrt_contact_with_headers_inside_angles_decodes)
{
	struct parsed p;
	struct se_sip_addr a;
	uint16_t h;

	parse_corpus(&p, "regescrt.dat", NULL);
	cr_assert(eq(int, p.st, SE_SIP_OK));
	h = p.msg.first[SE_SIP_HDR_CONTACT];
	cr_assert(eq(int, se_sip_addr_parse(p.g.data, p.msg.entries[p.msg.hdrs[h].first_entry].span,
					    &a), 0));
	assert_span(p.g.data, a.uri.headers, "Route=%3Csip:sip.example.com%3E");
	parsed_free(&p);
}

Test(sip_corpus, wsinv_folds_whitespace_everywhere)
{
	struct parsed p;
	const uint8_t *b;
	struct se_sip_via v;
	const struct se_sip_hdr *h;

	parse_corpus(&p, "wsinv.dat", NULL);
	cr_assert(eq(int, p.st, SE_SIP_OK));
	b = p.g.data;
	cr_assert(eq(i32, p.msg.max_forwards, 68));
	cr_assert(eq(i32, p.msg.content_length, 150));
	assert_span(b, p.msg.via.transport, "UDP");
	assert_span(b, p.msg.via.host, "192.0.2.2");
	assert_span(b, p.msg.from.tag, "98asjd8");
	assert_span(b, p.msg.from.display, "\"J Rosenberg \\\\\\\"\"");
	assert_span(b, p.msg.to.tag, "1918181833n");
	assert_false(p.msg.to.flags & SE_SIP_ADDR_NAME_ADDR);
	/* three Via entries: one in the first field, two in the "v:" field */
	h = &p.msg.hdrs[p.msg.first[SE_SIP_HDR_VIA]];
	cr_assert(eq(u8, h->n_entries, 1));
	h = &p.msg.hdrs[p.msg.first[SE_SIP_HDR_CONTENT_TYPE] + 2];
	cr_assert(eq(u8, h->type, SE_SIP_HDR_VIA));
	cr_assert(eq(u8, h->n_entries, 2));
	cr_assert(eq(int, se_sip_via_parse(b, p.msg.entries[h->first_entry + 1].span, &v), 0));
	assert_span(b, v.host, "192.168.255.111");
	assert_span(b, v.branch, "z9hG4bK30239");
	/* "s :" with an empty value */
	h = &p.msg.hdrs[p.msg.first[SE_SIP_HDR_SUBJECT]];
	cr_assert(eq(u16, h->value.len, 0));
	parsed_free(&p);
}

Test(sip_corpus, dblreq_ends_at_the_first_message)
{
	struct parsed p;

	parse_corpus(&p, "dblreq.dat", NULL);
	cr_assert(eq(int, p.st, SE_SIP_OK));
	cr_assert(eq(u16, p.msg.body_len, 0));
	cr_assert(lt(u32, (uint32_t)p.msg.msg_len, (uint32_t)p.g.len));
	cr_assert(eq(u8, p.g.data[p.msg.msg_len], '\r')); /* the stray CRLF after it */
	cr_assert(eq(u8, p.msg.method_id, SE_SIP_METHOD_REGISTER));
	parsed_free(&p);
}

Test(sip_corpus, intmeth_keeps_nul_inside_a_quoted_pair)
{
	struct parsed p;
	const uint8_t *b;

	parse_corpus(&p, "intmeth.dat", NULL);
	cr_assert(eq(int, p.st, SE_SIP_OK));
	b = p.g.data;
	cr_assert(eq(u8, p.msg.method_id, SE_SIP_METHOD_OTHER));
	assert_true(memchr(b + p.msg.to.display.off, 0, p.msg.to.display.len) != NULL);
	assert_span(b, p.msg.to.uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
	assert_span(b, p.msg.ruri_uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
	assert_span(b, p.msg.from.tag, "_token~1'+`*%!-.");
	cr_assert(eq(i32, p.msg.max_forwards, 255));
	parsed_free(&p);
}

Test(sip_corpus, esc02_escaped_header_name_is_not_contact)
{
	struct parsed p;
	uint16_t i, contacts = 0, others = 0;

	parse_corpus(&p, "esc02.dat", NULL);
	cr_assert(eq(int, p.st, SE_SIP_OK));
	for (i = 0; i < p.msg.hdr_count; i++) {
		if (p.msg.hdrs[i].type == SE_SIP_HDR_CONTACT)
			contacts++;
		if (p.msg.hdrs[i].type == SE_SIP_HDR_OTHER)
			others++;
	}
	cr_assert(eq(u16, contacts, 2));
	cr_assert(eq(u16, others, 1));
	cr_assert(eq(u8, p.msg.method_id, SE_SIP_METHOD_OTHER));
	parsed_free(&p);
}

Test(sip_corpus, longreq_indexes_all_vias)
{
	struct parsed p;
	uint16_t i, vias = 0;

	parse_corpus(&p, "longreq.dat", NULL);
	cr_assert(eq(int, p.st, SE_SIP_OK));
	for (i = 0; i < p.msg.entry_count; i++)
		if (p.msg.hdrs[p.msg.entries[i].hdr].type == SE_SIP_HDR_VIA)
			vias++;
	cr_assert(eq(u16, vias, 34));
	assert_span(p.g.data, p.msg.via.host, "sip33.example.com");
	parsed_free(&p);
}

Test(sip_corpus, mpart01_has_rport_without_value_and_binary_body)
{
	struct parsed p;

	parse_corpus(&p, "mpart01.dat", NULL);
	cr_assert(eq(int, p.st, SE_SIP_OK));
	assert_true(p.msg.via.flags & SE_SIP_VIA_RPORT);
	cr_assert(eq(u16, p.msg.via.rport.len, 0));
	cr_assert(eq(u16, p.msg.via.port, 5070));
	cr_assert(eq(u16, p.msg.body_len, 553));
	parsed_free(&p);
}

Test(sip_corpus, unksm2_unknown_schemes_pass)
{
	struct parsed p;

	parse_corpus(&p, "unksm2.dat", NULL);
	cr_assert(eq(int, p.st, SE_SIP_OK));
	assert_span(p.g.data, p.msg.to.uri.scheme, "isbn");
	assert_span(p.g.data, p.msg.to.uri.opaque, "2983792873");
	cr_assert(eq(u8, p.msg.from.uri.scheme_id, SE_SIP_SCHEME_OTHER));
	parsed_free(&p);
}

Test(sip_corpus, noreason_and_unreason_keep_their_reason_phrase)
{
	struct parsed p;

	parse_corpus(&p, "noreason.dat", NULL);
	cr_assert(eq(int, p.st, SE_SIP_OK));
	cr_assert(eq(u16, p.msg.status, 100));
	cr_assert(eq(u16, p.msg.reason.len, 0));
	parsed_free(&p);
	parse_corpus(&p, "unreason.dat", NULL);
	cr_assert(eq(int, p.st, SE_SIP_OK));
	cr_assert(eq(u16, p.msg.status, 200));
	cr_assert(gt(u16, p.msg.reason.len, 20));
	parsed_free(&p);
}

Test(sip_corpus, inv2543_body_is_the_rest_of_the_datagram)
{
	struct parsed p;

	parse_corpus(&p, "inv2543.dat", NULL);
	cr_assert(eq(int, p.st, SE_SIP_OK));
	cr_assert(eq(i32, p.msg.content_length, -1));
	cr_assert(eq(u32, (uint32_t)p.msg.msg_len, (uint32_t)p.g.len));
	cr_assert(eq(i32, p.msg.max_forwards, -1));
	parsed_free(&p);
}

/* Every prefix of every corpus file parses to some status without a fault. */
Test(sip_corpus, every_prefix_of_every_file_is_handled)
{
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[512];
		uint8_t *raw;
		size_t len;

		corpus_path(path, sizeof(path), cases[i].file);
		raw = read_file(path, &len);
		for (n = 0; n <= len; n++) {
			struct parsed p;

			parse_bytes(&p, raw, n);
			cr_assert(lt(int, p.st, SE_SIP_STATUS_COUNT));
			if (p.st == SE_SIP_OK)
				cr_assert(le(u32, (uint32_t)p.msg.msg_len, (uint32_t)n));
			parsed_free(&p);
		}
		free(raw);
	}
}
