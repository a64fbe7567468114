/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <sys/socket.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "se_guard_acl.h"

/* LPM tables are named and registered process-wide: each gets a new name. */
static uint32_t acl_seq;

void
se_guard_acl_free(struct se_guard_acl *acl)
{
	if (acl == NULL)
		return;
	rte_lpm_free(acl->v4);
	rte_lpm6_free(acl->v6);
	rte_free(acl);
}

static int
add_v4(struct se_guard_acl *acl, const struct se_guard_acl_rule *r)
{
	uint32_t ip;

	if (r->prefix.depth == 0) {
		acl->v4_default = r->action;
		return 0;
	}
	memcpy(&ip, r->prefix.addr, 4);
	return rte_lpm_add(acl->v4, rte_be_to_cpu_32(ip), r->prefix.depth, r->action);
}

static int
add_v6(struct se_guard_acl *acl, const struct se_guard_acl_rule *r)
{
	if (r->prefix.depth == 0) {
		acl->v6_default = r->action;
		return 0;
	}
	return rte_lpm6_add(acl->v6, r->prefix.addr, r->prefix.depth, r->action);
}

struct se_guard_acl *
se_guard_acl_create(const struct se_guard_acl_rule *rules, unsigned int n, int socket)
{
	struct se_guard_acl *acl;
	uint32_t deep4 = 0, deep6 = 0, seq;
	char name[RTE_LPM_NAMESIZE];

	if (se_guard_acl_check(rules, n, NULL) != 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	acl = rte_zmalloc_socket("se_guard_acl", sizeof(*acl), RTE_CACHE_LINE_SIZE, socket);
	if (acl == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	for (unsigned int i = 0; i < n; i++) {
		const struct se_guard_prefix *p = &rules[i].prefix;

		uint8_t a = rules[i].action;

		if ((a != SE_GUARD_ACL_ALLOW && a != SE_GUARD_ACL_DENY) ||
		    (p->family != AF_INET && p->family != AF_INET6) ||
		    p->depth > (p->family == AF_INET ? 32 : 128)) {
			se_guard_acl_free(acl);
			rte_errno = EINVAL;
			return NULL;
		}
		if (p->family == AF_INET) {
			acl->n_v4++;
			deep4 += p->depth > 24;
		} else {
			acl->n_v6++;
			deep6 += (p->depth + 7) / 8;
		}
	}
	seq = __atomic_fetch_add(&acl_seq, 1, __ATOMIC_RELAXED);
	if (acl->n_v4 != 0) {
		/* a prefix longer than /24 takes a tbl8 group of its own, at worst */
		struct rte_lpm_config c = { .max_rules = acl->n_v4, .number_tbl8s = deep4 + 1 };

		snprintf(name, sizeof(name), "se_acl4_%u", seq);
		acl->v4 = rte_lpm_create(name, socket, &c);
		if (acl->v4 == NULL)
			goto fail;
	}
	if (acl->n_v6 != 0) {
		struct rte_lpm6_config c = { .max_rules = acl->n_v6, .number_tbl8s = deep6 + 1 };

		snprintf(name, sizeof(name), "se_acl6_%u", seq);
		acl->v6 = rte_lpm6_create(name, socket, &c);
		if (acl->v6 == NULL)
			goto fail;
	}
	for (unsigned int i = 0; i < n; i++) {
		int rc = rules[i].prefix.family == AF_INET ? add_v4(acl, &rules[i]) :
							      add_v6(acl, &rules[i]);

		if (rc != 0) {
			se_guard_acl_free(acl);
			rte_errno = -rc;
			return NULL;
		}
	}
	return acl;
fail:
	{
		int err = rte_errno;

		se_guard_acl_free(acl);
		rte_errno = err != 0 ? err : ENOMEM;
	}
	return NULL;
}

enum se_guard_acl_action
se_guard_acl_lookup_v6(const struct se_guard_acl *acl, const uint8_t ip[16])
{
	uint32_t nh;

	if (acl == NULL)
		return SE_GUARD_ACL_NONE;
	if (acl->v6 != NULL && rte_lpm6_lookup(acl->v6, ip, &nh) == 0)
		return (enum se_guard_acl_action)nh;
	return (enum se_guard_acl_action)acl->v6_default;
}
