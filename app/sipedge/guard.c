/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "guard.h"

static bool
trusted(const struct se_config *c, uint32_t set)
{
	for (uint32_t i = 0; i < c->nb_trusted; i++)
		if (c->trusted_sets[i] == set)
			return true;
	return false;
}

int
se_app_guard_init(struct se_app *a)
{
	const struct se_config *c = &a->cfg;
	struct se_guard_params *g = &a->guard;

	if (c->guard_off || c->has_forward_to || c->mode == SE_MODE_PASSTHROUGH) {
		if (c->nb_acl != 0 || c->nb_trusted != 0 || c->guard.rate != 0)
			SE_APP_LOG(WARNING, "guard: off, its --allow/--deny/--trusted-set/"
				   "--rate-limit are not applied");
		return 0;
	}
	*g = c->guard;
	g->hz = rte_get_tsc_hz();
	/* a secret seed: spoofed sources must not choose which hash chains they share */
	g->seed = rte_rand();
	g->trusted_calls = trusted(c, c->call_set);
	g->trusted_registers = trusted(c, c->register_set);
	if (se_guard_memsize(g) == 0) {
		SE_APP_LOG(ERR, "guard: bad settings");
		return 1;
	}
	if (c->nb_acl != 0) {
		a->acl = se_guard_acl_create(c->acl, c->nb_acl, (int)rte_socket_id());
		if (a->acl == NULL) {
			SE_APP_LOG(ERR, "guard: ACL of %u rules: %s", c->nb_acl,
				   rte_strerror(rte_errno));
			return 1;
		}
	}
	a->guard_on = true;
	SE_APP_LOG(INFO, "guard: %u ACL rules, rate limit %s%u/s burst %u, ban %u s, "
		   "flood reply %s, %u scanner patterns (ban %u s), sanity replies %s "
		   "(%u/s per worker), %u sources per worker",
		   c->nb_acl, g->rate ? "" : "off ", g->rate, g->burst ? g->burst : g->rate,
		   g->ban_s, g->flood_reply == SE_GUARD_FLOOD_503 ? "503" : "drop", g->ua.n,
		   g->scanner_ban_s, g->sanity ? "on" : "off", g->reply_rate, g->sources);
	se_telemetry_guard_register(a);
	return 0;
}

void
se_app_guard_fini(struct se_app *a)
{
	se_telemetry_guard_unregister();
	se_guard_acl_free(a->acl);
	a->acl = NULL;
}

int
se_app_guard_worker(struct se_app *a, struct se_worker *w)
{
	size_t sz = se_guard_memsize(&a->guard);
	void *mem = rte_zmalloc_socket("se_guard", sz, RTE_CACHE_LINE_SIZE,
				       (int)rte_lcore_to_socket_id(w->lcore));

	if (mem == NULL) {
		rte_errno = ENOMEM;
		return -ENOMEM;
	}
	w->guard = se_guard_init(mem, &a->guard, rte_rdtsc());
	if (w->guard == NULL) {
		rte_free(mem);
		rte_errno = EINVAL;
		return -EINVAL;
	}
	return 0;
}
