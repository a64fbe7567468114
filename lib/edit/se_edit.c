/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "se_edit.h"

uint8_t *
se_edit_reserve(struct se_edit_plan *p, uint16_t off, uint16_t del, uint16_t len)
{
	struct se_edit *e;

	if (p->n >= SE_EDIT_MAX || (uint32_t)p->scratch_len + len > SE_EDIT_SCRATCH)
		return NULL;
	e = &p->e[p->n];
	e->off = off;
	e->del = del;
	e->ins_off = p->scratch_len;
	e->ins_len = len;
	e->seq = p->n;
	p->n++;
	p->scratch_len += len;
	p->growth += (int32_t)len - del;
	return &p->scratch[e->ins_off];
}

void
se_edit_trim_last(struct se_edit_plan *p, uint16_t len)
{
	struct se_edit *e;

	if (p->n == 0)
		return;
	e = &p->e[p->n - 1];
	if (len >= e->ins_len)
		return;
	p->growth -= (int32_t)e->ins_len - len;
	p->scratch_len -= e->ins_len - len;
	e->ins_len = len;
}

int
se_edit_add(struct se_edit_plan *p, uint16_t off, uint16_t del, const void *ins, uint16_t len)
{
	uint8_t *dst = se_edit_reserve(p, off, del, len);

	if (dst == NULL)
		return -ENOSPC;
	if (len > 0)
		memcpy(dst, ins, len);
	return 0;
}

/* By offset; at one offset pure inserts first (in the order added), then the deletion. */
static bool
edit_before(const struct se_edit *a, const struct se_edit *b)
{
	if (a->off != b->off)
		return a->off < b->off;
	if ((a->del == 0) != (b->del == 0))
		return a->del == 0;
	return a->seq < b->seq;
}

/* Insertion sort: plans hold a handful of edits, mostly added in order. */
static void
sort_edits(struct se_edit_plan *p)
{
	for (unsigned int i = 1; i < p->n; i++) {
		struct se_edit x = p->e[i];
		unsigned int j = i;

		while (j > 0 && edit_before(&x, &p->e[j - 1])) {
			p->e[j] = p->e[j - 1];
			j--;
		}
		p->e[j] = x;
	}
}

/*
 * The datagram is cut into n + 1 unchanged segments around the n edits.
 * Segment k starts after edit k-1 and ends at edit k; in the result it is
 * displaced by base + cum[k], cum[k] being the growth of the edits before it.
 */
struct segment {
	uint32_t src;  /* start in the original */
	uint32_t len;
	int32_t cum;   /* growth of the edits before this segment */
};

int
se_edit_apply(struct se_edit_plan *p, uint8_t *data, uint16_t len, uint16_t headroom,
	      uint16_t tailroom, int32_t *shift, uint16_t *new_len)
{
	struct segment seg[SE_EDIT_MAX + 1];
	unsigned int nseg = p->n + 1;
	int32_t lo, hi, base, cum = 0;
	uint32_t pos = 0, best_moved = UINT32_MAX;
	int64_t out_len = (int64_t)len + p->growth;

	sort_edits(p);
	for (unsigned int i = 0; i < p->n; i++) {
		const struct se_edit *e = &p->e[i];

		if (e->off < pos || (uint32_t)e->off + e->del > len)
			return -EINVAL;
		seg[i].src = pos;
		seg[i].len = e->off - pos;
		seg[i].cum = cum;
		cum += (int32_t)e->ins_len - e->del;
		pos = (uint32_t)e->off + e->del;
	}
	seg[p->n].src = pos;
	seg[p->n].len = len - pos;
	seg[p->n].cum = cum;

	/* The result must stay inside [data - headroom, data + len + tailroom). */
	lo = -(int32_t)headroom;
	hi = (int32_t)len + tailroom - (int32_t)out_len;
	if (out_len > UINT16_MAX || lo > hi)
		return -ENOSPC;

	/* Pick the start that leaves the most bytes where they are. */
	base = lo;
	for (unsigned int k = 0; k < nseg; k++) {
		int32_t b = -seg[k].cum;
		uint32_t moved = 0;

		if (b < lo)
			b = lo;
		if (b > hi)
			b = hi;
		for (unsigned int j = 0; j < nseg; j++)
			if (b + seg[j].cum != 0)
				moved += seg[j].len;
		if (moved < best_moved) {
			best_moved = moved;
			base = b;
		}
	}

	/*
	 * Segments moving left go front to back, those moving right back to
	 * front: a destination then never covers a source not yet moved.
	 */
	for (unsigned int k = 0; k < nseg; k++) {
		int32_t d = base + seg[k].cum;

		if (d < 0 && seg[k].len > 0)
			memmove(data + (int32_t)seg[k].src + d, data + seg[k].src, seg[k].len);
	}
	for (unsigned int k = nseg; k-- > 0;) {
		int32_t d = base + seg[k].cum;

		if (d > 0 && seg[k].len > 0)
			memmove(data + (int32_t)seg[k].src + d, data + seg[k].src, seg[k].len);
	}
	for (unsigned int i = 0; i < p->n; i++) {
		const struct se_edit *e = &p->e[i];

		if (e->ins_len > 0)
			memcpy(data + base + (int32_t)e->off + seg[i].cum, &p->scratch[e->ins_off],
			       e->ins_len);
	}
	*shift = base;
	*new_len = (uint16_t)out_len;
	return 0;
}
