/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _NAT_TEST_H_
#define _NAT_TEST_H_

/*
 * Helpers for the lib/nat tests. The NAT step reads the datagram from a copy
 * that ends right before a PROT_NONE page, so reading one byte past it
 * crashes the test; the edits are then applied to a second copy with room
 * around it, and the result is parsed again.
 */

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "se_edit.h"
#include "se_nat.h"
#include "se_sip.h"

#define assert_true(x) cr_assert(eq(int, !!(x), 1), "%s", #x)
#define assert_false(x) cr_assert(eq(int, !!(x), 0), "not %s", #x)

/* Where the test messages come from: a client's NAT, public side. */
#define SRC "203.0.113.10"
#define SRC_PORT 40001

#define NT_HEAD 512
#define NT_ROOM 8192
#define NT_MAX_HDRS 64
#define NT_MAX_ENTRIES 64

static inline uint32_t
nt_ip(const char *s)
{
	struct in_addr a;

	cr_assert(eq(int, inet_pton(AF_INET, s, &a), 1), "%s", s);
	return a.s_addr;
}

/* A message, the NAT step's plan and outcome, and the message after the edits. */
struct nt_run {
	uint8_t *map;
	size_t map_len;
	uint8_t *in;    /* the input, ending before a PROT_NONE page */
	size_t in_len;
	struct se_sip_hdr hdrs[NT_MAX_HDRS], ohdrs[NT_MAX_HDRS];
	struct se_sip_entry ents[NT_MAX_ENTRIES], oents[NT_MAX_ENTRIES];
	struct se_sip_msg msg, omsg;
	struct se_edit_plan plan;
	struct se_nat_out out;
	uint8_t obuf[NT_HEAD + NT_ROOM];
	uint8_t *odata; /* the output */
	uint16_t olen;
};

/* Lines joined with CRLF: "\n" in the text is a line end. */
static inline size_t
nt_crlf(const char *text, uint8_t *dst, size_t cap)
{
	size_t n = 0;

	for (const char *p = text; *p != '\0'; p++) {
		cr_assert(lt(sz, n + 2, cap));
		if (*p == '\n')
			dst[n++] = '\r';
		dst[n++] = (uint8_t)*p;
	}
	return n;
}

/* Parse @p text (CRLF-joined) into r->msg, from a guarded copy. */
static inline void
nt_parse(struct nt_run *r, const char *text)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint8_t tmp[NT_ROOM];
	size_t len = nt_crlf(text, tmp, sizeof(tmp)), body;

	body = (len + page - 1) / page * page;
	r->map_len = body + page;
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert(r->map != MAP_FAILED);
	cr_assert(eq(int, mprotect(r->map + body, page, PROT_NONE), 0));
	r->in = r->map + body - len;
	r->in_len = len;
	memcpy(r->in, tmp, len);
	se_sip_msg_init(&r->msg, r->hdrs, NT_MAX_HDRS, r->ents, NT_MAX_ENTRIES);
	cr_assert(eq(int, se_sip_parse(r->in, len, &r->msg), SE_SIP_OK), "input does not parse: %s",
		  text);
	se_edit_reset(&r->plan);
	memset(&r->out, 0, sizeof(r->out));
}

/* Apply r->plan to a copy of the input and parse the result into r->omsg. */
static inline void
nt_apply(struct nt_run *r)
{
	int32_t shift;
	uint16_t len;

	memcpy(r->obuf + NT_HEAD, r->in, r->in_len);
	cr_assert(eq(int, se_edit_apply(&r->plan, r->obuf + NT_HEAD, r->msg.msg_len, NT_HEAD,
					(uint16_t)(NT_ROOM - r->in_len), &shift, &len), 0));
	r->odata = r->obuf + NT_HEAD + shift;
	r->olen = len;
	se_sip_msg_init(&r->omsg, r->ohdrs, NT_MAX_HDRS, r->oents, NT_MAX_ENTRIES);
	cr_assert(eq(int, se_sip_parse(r->odata, r->olen, &r->omsg), SE_SIP_OK),
		  "output does not parse: %.*s", (int)r->olen, r->odata);
}

static inline void
nt_free(struct nt_run *r)
{
	if (r->map != NULL)
		munmap(r->map, r->map_len);
	r->map = NULL;
}

/* The output equals @p text (CRLF-joined), byte for byte. */
static inline void
nt_assert_output(const struct nt_run *r, const char *text)
{
	uint8_t want[NT_ROOM];
	size_t n = nt_crlf(text, want, sizeof(want));

	cr_assert(eq(sz, (size_t)r->olen, n), "length %u, want %zu:\n%.*s\nwant:\n%.*s",
		  r->olen, n, (int)r->olen, r->odata, (int)n, want);
	cr_assert(eq(int, memcmp(r->odata, want, n), 0), "got:\n%.*s\nwant:\n%.*s", (int)r->olen,
		  r->odata, (int)n, want);
}

/* Span @p s of @p buf holds exactly @p str. */
static inline void
nt_assert_span(const uint8_t *buf, struct se_span s, const char *str)
{
	cr_assert(eq(int, (int)s.len, (int)strlen(str)), "%.*s != %s", (int)s.len, buf + s.off,
		  str);
	cr_assert(eq(int, memcmp(buf + s.off, str, s.len), 0), "%.*s != %s", (int)s.len,
		  buf + s.off, str);
}

/* Entry k of the Contact headers of a message, or -1. */
static inline int
nt_contact(const struct se_sip_msg *m, unsigned int k)
{
	for (unsigned int i = 0; i < m->entry_count; i++)
		if (m->hdrs[m->entries[i].hdr].type == SE_SIP_HDR_CONTACT && k-- == 0)
			return (int)i;
	return -1;
}

#endif /* _NAT_TEST_H_ */
