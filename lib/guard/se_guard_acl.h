/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_GUARD_ACL_H_
#define _SE_GUARD_ACL_H_

/**
 * @file
 * Source ACLs on DPDK's LPM tables: the thin DPDK part of lib/guard.
 *
 * Every --allow and --deny is a prefix with an action; the longest prefix
 * that contains a source decides (rte_lpm for IPv4, rte_lpm6 for IPv6;
 * rte_lpm takes depths 1..32, so a /0 rule is kept aside as the default of
 * a miss). The table is built once by the control core and then only read,
 * by every worker at once: an LPM lookup is read-only. The verdict goes to
 * se_guard_pre() and se_guard_parsed(), which decide with it.
 */

#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>

#include "se_guard.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An ACL: what the hot path reads. Build it with se_guard_acl_create(). */
struct se_guard_acl {
	struct rte_lpm *v4;   /**< IPv4 rules of depth 1..32; NULL when there are none */
	struct rte_lpm6 *v6;  /**< IPv6 rules of depth 1..128; NULL when there are none */
	uint8_t v4_default;   /**< the action of 0.0.0.0/0, or SE_GUARD_ACL_NONE */
	uint8_t v6_default;   /**< the action of ::/0, or SE_GUARD_ACL_NONE */
	uint32_t n_v4;        /**< IPv4 rules */
	uint32_t n_v6;        /**< IPv6 rules */
};

/**
 * Build an ACL from a rule list (se_guard_acl_check() must accept it; the
 * same rule given twice is one rule).
 *
 * @param rules   the rules
 * @param n       their count
 * @param socket  NUMA socket of the tables (SOCKET_ID_ANY)
 * @return the ACL, or NULL with rte_errno EINVAL (a rule conflict, a bad
 *         family or depth), ENOMEM or the error of rte_lpm_create()
 */
struct se_guard_acl *se_guard_acl_create(const struct se_guard_acl_rule *rules, unsigned int n,
					 int socket);

/** Free an ACL no reader can still use. NULL-safe. */
void se_guard_acl_free(struct se_guard_acl *acl);

/** The verdict for an IPv4 source (network byte order); SE_GUARD_ACL_NONE for a NULL @p acl. */
static inline enum se_guard_acl_action
se_guard_acl_lookup_v4(const struct se_guard_acl *acl, uint32_t ip_be)
{
	uint32_t nh;

	if (acl == NULL)
		return SE_GUARD_ACL_NONE;
	if (acl->v4 != NULL && rte_lpm_lookup(acl->v4, rte_be_to_cpu_32(ip_be), &nh) == 0)
		return (enum se_guard_acl_action)nh;
	return (enum se_guard_acl_action)acl->v4_default;
}

/** The verdict for an IPv6 source (16 bytes); SE_GUARD_ACL_NONE for a NULL @p acl. */
enum se_guard_acl_action se_guard_acl_lookup_v6(const struct se_guard_acl *acl,
						const uint8_t ip[16]);

#ifdef __cplusplus
}
#endif

#endif /* _SE_GUARD_ACL_H_ */
