/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_EDIT_H_
#define _SE_EDIT_H_

/**
 * @file
 * Edit plans: the changes a proxy makes to a message, applied in one pass.
 *
 * Rules (lib/proxy, lib/nat) never touch the datagram. They add edits to a
 * plan: "at offset O, delete D bytes and insert these bytes". Inserted bytes
 * live in the plan's own scratch area, so a rule can format a header straight
 * into it (se_edit_reserve()). se_edit_apply() then rewrites the datagram in
 * place: it keeps the longest unchanged stretch where it is and slides the
 * others into headroom or tailroom, each byte moving at most once; the caller
 * only moves its buffer's start by the returned amount. It is Kamailio's
 * "lumps" without a single allocation.
 *
 * Edits must not overlap; several inserts at one offset are applied in the
 * order they were added, and before a deletion that starts there.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most edits one plan holds. */
#define SE_EDIT_MAX 24
/** Bytes of inserted text one plan holds. */
#define SE_EDIT_SCRATCH 1024

/** One edit: at @c off delete @c del bytes, insert @c ins_len bytes from the scratch area. */
struct se_edit {
	uint16_t off;     /**< offset in the original datagram */
	uint16_t del;     /**< bytes of the original to remove from @c off */
	uint16_t ins_off; /**< where the inserted bytes start in the scratch area */
	uint16_t ins_len; /**< how many bytes to insert */
	uint16_t seq;     /**< order of addition: ties at one offset keep it */
};

/** A plan: edits in any order plus the text they insert. */
struct se_edit_plan {
	uint16_t n;                        /**< edits in use */
	uint16_t scratch_len;              /**< scratch bytes in use */
	int32_t growth;                    /**< sum of inserted minus deleted bytes */
	struct se_edit e[SE_EDIT_MAX];     /**< the edits */
	uint8_t scratch[SE_EDIT_SCRATCH];  /**< inserted text */
};

/** Empty a plan. */
static inline void
se_edit_reset(struct se_edit_plan *p)
{
	p->n = 0;
	p->scratch_len = 0;
	p->growth = 0;
}

/**
 * Add an edit whose inserted text the caller writes afterwards.
 *
 * @param p    the plan
 * @param off  offset in the original datagram
 * @param del  bytes to delete there
 * @param len  bytes to insert there
 * @return where to write the @p len bytes, or NULL when the plan is full
 */
uint8_t *se_edit_reserve(struct se_edit_plan *p, uint16_t off, uint16_t del, uint16_t len);

/**
 * Shorten the text of the most recent edit, after se_edit_reserve() with a
 * larger length than was needed.
 *
 * @param p    the plan
 * @param len  the text's real length (at most what was reserved)
 */
void se_edit_trim_last(struct se_edit_plan *p, uint16_t len);

/**
 * Add an edit with its text.
 *
 * @return 0, or -ENOSPC when the plan is full
 */
int se_edit_add(struct se_edit_plan *p, uint16_t off, uint16_t del, const void *ins, uint16_t len);

/**
 * Apply a plan to a datagram in place.
 *
 * The datagram occupies [data, data + len); the buffer around it has
 * @p headroom bytes before and @p tailroom bytes after. On success the result
 * occupies [data + *shift, data + *shift + *new_len), with *shift negative
 * when the start moved into headroom.
 *
 * @param p         the plan (its edits get sorted)
 * @param data      the datagram
 * @param len       its length
 * @param headroom  bytes free before @p data
 * @param tailroom  bytes free after @p data + @p len
 * @param shift     set to the move of the datagram's start
 * @param new_len   set to the new length
 * @return 0; -EINVAL when edits overlap or fall outside the datagram;
 *         -ENOSPC when the result does not fit in the buffer
 */
int se_edit_apply(struct se_edit_plan *p, uint8_t *data, uint16_t len, uint16_t headroom,
		  uint16_t tailroom, int32_t *shift, uint16_t *new_len);

#ifdef __cplusplus
}
#endif

#endif /* _SE_EDIT_H_ */
