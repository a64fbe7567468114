/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "app.h"
#include "backends.h"

/* The proxy's settings and the first backend table, published before the workers run. */
int
se_backends_init(struct se_app *a)
{
	const struct se_config *c = &a->cfg;
	struct se_proxy_params *pp = &a->proxy;
	struct se_dispatch_table *t;
	char tests[128];

	se_dispatch_pub_init(&a->dispatch, a->qs);
	if (c->has_forward_to || c->mode == SE_MODE_PASSTHROUGH)
		return 0;
	pp->ext_ip = c->ports[0].addr.v4;
	pp->int_ip = c->ports[c->nb_ports - 1].addr.v4;
	pp->sip_port = c->sip_port;
	pp->two_sided = c->nb_ports == 2;
	pp->call_set = c->call_set;
	pp->register_set = c->register_set;
	/* Branches must differ between edges, not be secret: derive them from who we are. */
	pp->seed = se_dispatch_hash(pp, offsetof(struct se_proxy_params, seed));
	pp->nat_detect = c->nat_detect;
	se_proxy_init(pp);
	se_nat_detect_format(pp->nat_detect, tests, sizeof(tests));
	SE_APP_LOG(INFO, "NAT detection on client messages: %s", tests);
	t = se_dispatch_table_build(c->dispatch);
	if (t == NULL) {
		SE_APP_LOG(ERR, "backend table: %s", strerror(errno));
		return 2;
	}
	for (uint16_t i = 0; i < t->n_backends; i++) {
		const struct se_dispatch_backend *b = &t->backends[i];
		uint32_t ip;

		SE_APP_LOG(INFO, "backend %s set %u weight %u prio %d: %s", b->name, b->set_id,
			   b->weight, b->priority, se_dispatch_state_name(b->state));
		if (b->addr.family != AF_INET)
			continue;
		/* resolve now: the first call to a backend should not wait for ARP */
		memcpy(&ip, b->addr.bytes, 4);
		if (se_net_ctrl_resolve(a->ctrl, ip) == -ENETUNREACH)
			SE_APP_LOG(WARNING, "backend %s: no port reaches it (add gw= to a --port)",
				   b->name);
	}
	se_dispatch_publish(&a->dispatch, t);
	return 0;
}
