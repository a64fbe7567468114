/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "se_edit.h"

#define ROOM 256
#define BUF (ROOM + 1500 + ROOM)

/* What the plan means, built the slow way into a fresh buffer. */
static size_t
reference(const struct se_edit_plan *p, const uint8_t *src, size_t len, uint8_t *out)
{
	struct se_edit_plan q = *p;
	size_t n = 0, pos = 0;

	/* stable order by offset, like the real thing */
	for (unsigned int i = 1; i < q.n; i++)
		for (unsigned int j = i; j > 0 && (q.e[j].off < q.e[j - 1].off ||
			(q.e[j].off == q.e[j - 1].off && q.e[j].seq < q.e[j - 1].seq)); j--) {
			struct se_edit t = q.e[j];
			q.e[j] = q.e[j - 1];
			q.e[j - 1] = t;
		}
	for (unsigned int i = 0; i < q.n; i++) {
		memcpy(out + n, src + pos, q.e[i].off - pos);
		n += q.e[i].off - pos;
		memcpy(out + n, &q.scratch[q.e[i].ins_off], q.e[i].ins_len);
		n += q.e[i].ins_len;
		pos = q.e[i].off + q.e[i].del;
	}
	memcpy(out + n, src + pos, len - pos);
	return n + len - pos;
}

static int
apply_in(uint8_t *buf, struct se_edit_plan *p, const uint8_t *msg, uint16_t len,
	 uint16_t head, uint16_t tail, const uint8_t **res, uint16_t *res_len)
{
	int32_t shift;
	int rc;

	memset(buf, 0xee, BUF);
	memcpy(buf + ROOM, msg, len);
	rc = se_edit_apply(p, buf + ROOM, len, head, tail, &shift, res_len);
	if (rc == 0) {
		cr_assert(ge(i32, shift, -(int32_t)head));
		cr_assert(le(i64, (int64_t)shift + *res_len, (int64_t)len + tail));
		*res = buf + ROOM + shift;
	}
	return rc;
}

Test(edit, empty_plan_leaves_the_datagram_alone)
{
	static uint8_t buf[BUF];
	struct se_edit_plan p;
	const uint8_t *res;
	uint16_t n;

	se_edit_reset(&p);
	cr_assert(eq(int, apply_in(buf, &p, (const uint8_t *)"INVITE x", 8, 0, 0, &res, &n), 0));
	cr_assert(eq(u16, n, 8));
	cr_assert(eq(int, memcmp(res, "INVITE x", 8), 0));
}

Test(edit, insert_near_the_front_moves_only_the_prefix_into_headroom)
{
	static uint8_t buf[BUF];
	const char *msg = "INVITE sip:a SIP/2.0\r\nTo: b\r\n\r\nbody-body-body-body";
	struct se_edit_plan p;
	const uint8_t *res;
	uint16_t n, len = (uint16_t)strlen(msg);

	se_edit_reset(&p);
	cr_assert(eq(int, se_edit_add(&p, 22, 0, "Via: x\r\n", 8), 0));
	cr_assert(eq(int, apply_in(buf, &p, (const uint8_t *)msg, len, 64, 0, &res, &n), 0));
	cr_assert(eq(u16, n, len + 8));
	cr_assert(eq(int, memcmp(res, "INVITE sip:a SIP/2.0\r\nVia: x\r\nTo: b\r\n\r\nbody", 42), 0));
	/* the tail stayed where it was: the start moved back by 8 */
	cr_assert(eq(ptr, (void *)res, (void *)(buf + ROOM - 8)));
}

Test(edit, growth_without_headroom_uses_tailroom)
{
	static uint8_t buf[BUF];
	const char *msg = "AAAABBBBCCCC";
	struct se_edit_plan p;
	const uint8_t *res;
	uint16_t n;

	se_edit_reset(&p);
	cr_assert(eq(int, se_edit_add(&p, 4, 0, "xx", 2), 0));
	cr_assert(eq(int, apply_in(buf, &p, (const uint8_t *)msg, 12, 0, 2, &res, &n), 0));
	cr_assert(eq(int, memcmp(res, "AAAAxxBBBBCCCC", 14), 0));
	cr_assert(eq(ptr, (void *)res, (void *)(buf + ROOM)));
}

Test(edit, result_larger_than_the_buffer_is_refused)
{
	static uint8_t buf[BUF];
	struct se_edit_plan p;
	const uint8_t *res;
	uint16_t n;

	se_edit_reset(&p);
	cr_assert(eq(int, se_edit_add(&p, 2, 0, "xyz", 3), 0));
	cr_assert(eq(int, apply_in(buf, &p, (const uint8_t *)"abcd", 4, 1, 1, &res, &n), -ENOSPC));
}

Test(edit, overlapping_edits_are_refused)
{
	static uint8_t buf[BUF];
	struct se_edit_plan p;
	const uint8_t *res;
	uint16_t n;

	se_edit_reset(&p);
	cr_assert(eq(int, se_edit_add(&p, 2, 3, "", 0), 0));
	cr_assert(eq(int, se_edit_add(&p, 4, 1, "q", 1), 0));
	cr_assert(eq(int, apply_in(buf, &p, (const uint8_t *)"abcdefgh", 8, 8, 8, &res, &n), -EINVAL));
}

Test(edit, edit_beyond_the_end_is_refused)
{
	static uint8_t buf[BUF];
	struct se_edit_plan p;
	const uint8_t *res;
	uint16_t n;

	se_edit_reset(&p);
	cr_assert(eq(int, se_edit_add(&p, 6, 3, "", 0), 0));
	cr_assert(eq(int, apply_in(buf, &p, (const uint8_t *)"abcdefgh", 8, 8, 8, &res, &n), -EINVAL));
}

Test(edit, inserts_at_one_offset_keep_their_order)
{
	static uint8_t buf[BUF];
	struct se_edit_plan p;
	const uint8_t *res;
	uint16_t n;

	se_edit_reset(&p);
	cr_assert(eq(int, se_edit_add(&p, 1, 0, "1", 1), 0));
	cr_assert(eq(int, se_edit_add(&p, 3, 1, "Z", 1), 0));
	cr_assert(eq(int, se_edit_add(&p, 1, 0, "2", 1), 0));
	cr_assert(eq(int, apply_in(buf, &p, (const uint8_t *)"abcd", 4, 4, 4, &res, &n), 0));
	cr_assert(eq(u16, n, 6));
	cr_assert(eq(int, memcmp(res, "a12bcZ", 6), 0));
}

Test(edit, insert_where_a_deletion_starts_goes_first)
{
	static uint8_t buf[BUF];
	struct se_edit_plan p;
	const uint8_t *res;
	uint16_t n;

	se_edit_reset(&p);
	cr_assert(eq(int, se_edit_add(&p, 2, 2, NULL, 0), 0));
	cr_assert(eq(int, se_edit_add(&p, 2, 0, "XY", 2), 0));
	cr_assert(eq(int, apply_in(buf, &p, (const uint8_t *)"abcdef", 6, 4, 4, &res, &n), 0));
	cr_assert(eq(u16, n, 6));
	cr_assert(eq(int, memcmp(res, "abXYef", 6), 0));
}

Test(edit, full_plan_says_so)
{
	struct se_edit_plan p;
	int rc = 0;

	se_edit_reset(&p);
	for (unsigned int i = 0; i <= SE_EDIT_MAX && rc == 0; i++)
		rc = se_edit_add(&p, (uint16_t)i, 0, "x", 1);
	cr_assert(eq(int, rc, -ENOSPC));
	se_edit_reset(&p);
	cr_assert(eq(ptr, se_edit_reserve(&p, 0, 0, SE_EDIT_SCRATCH + 1), NULL));
}

Test(edit, trim_last_gives_back_unused_text)
{
	static uint8_t buf[BUF];
	struct se_edit_plan p;
	const uint8_t *res;
	uint8_t *w;
	uint16_t n;

	se_edit_reset(&p);
	w = se_edit_reserve(&p, 2, 1, 10);
	cr_assert(ne(ptr, w, NULL));
	memcpy(w, "XY", 2);
	se_edit_trim_last(&p, 2);
	cr_assert(eq(i32, p.growth, 1));
	cr_assert(eq(int, apply_in(buf, &p, (const uint8_t *)"abcd", 4, 4, 4, &res, &n), 0));
	cr_assert(eq(int, memcmp(res, "abXYd", 5), 0));
}

/* Random plans against the reference, with every mix of room around the datagram. */
Test(edit, random_plans_match_the_reference)
{
	static uint8_t buf[BUF], msg[1200], want[4096];
	unsigned int seed = 12345, applied = 0, refused = 0;

	for (unsigned int round = 0; round < 20000; round++) {
		struct se_edit_plan p;
		uint16_t len = (uint16_t)(1 + rand_r(&seed) % 1000);
		uint16_t head = (uint16_t)(rand_r(&seed) % 3 == 0 ? 0 : rand_r(&seed) % ROOM);
		uint16_t tail = (uint16_t)(rand_r(&seed) % 3 == 0 ? 0 : rand_r(&seed) % ROOM);
		unsigned int nedits = (unsigned int)rand_r(&seed) % 8;
		uint32_t pos = 0;
		const uint8_t *res;
		uint16_t n;
		size_t wn;
		int rc;

		for (unsigned int i = 0; i < len; i++)
			msg[i] = (uint8_t)rand_r(&seed);
		se_edit_reset(&p);
		/* non-overlapping edits in increasing offsets, added in shuffled order */
		struct { uint16_t off, del, len; } ed[8];
		unsigned int k = 0;
		/* strictly increasing offsets: shuffling can't make them overlap */
		for (unsigned int i = 0; i < nedits && pos + (i > 0) <= len; i++) {
			uint32_t from = pos + (i > 0);
			uint16_t off = (uint16_t)(from + rand_r(&seed) % (len - from + 1) / 2);
			uint16_t del = (uint16_t)(rand_r(&seed) % 2 ? 0 : rand_r(&seed) % ((len - off) / 2 + 1));
			ed[k].off = off;
			ed[k].del = del;
			ed[k].len = (uint16_t)(rand_r(&seed) % 60);
			pos = (uint32_t)off + del;
			k++;
		}
		for (unsigned int i = k; i > 1; i--) {
			unsigned int j = (unsigned int)rand_r(&seed) % i;
			__typeof__(ed[0]) t = ed[i - 1];
			ed[i - 1] = ed[j];
			ed[j] = t;
		}
		for (unsigned int i = 0; i < k; i++) {
			uint8_t *w = se_edit_reserve(&p, ed[i].off, ed[i].del, ed[i].len);
			cr_assert(ne(ptr, w, NULL));
			for (unsigned int b = 0; b < ed[i].len; b++)
				w[b] = (uint8_t)('a' + (i + b) % 26);
		}
		wn = reference(&p, msg, len, want);
		rc = apply_in(buf, &p, msg, len, head, tail, &res, &n);
		if ((int64_t)wn > (int64_t)len + head + tail) {
			cr_assert(eq(int, rc, -ENOSPC));
			refused++;
			continue;
		}
		cr_assert(eq(int, rc, 0), "round %u", round);
		cr_assert(eq(sz, (size_t)n, wn), "round %u", round);
		cr_assert(eq(int, memcmp(res, want, wn), 0), "round %u: content differs", round);
		/* nothing outside the buffer's room was written */
		for (unsigned int b = 0; b < (unsigned int)(ROOM - head); b++)
			cr_assert(eq(u8, buf[b], 0xee));
		for (unsigned int b = (unsigned int)(ROOM + len + tail); b < BUF; b++)
			cr_assert(eq(u8, buf[b], 0xee));
		applied++;
	}
	cr_assert(gt(u32, applied, 10000));
	cr_assert(gt(u32, refused, 10));
}
