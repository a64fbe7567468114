/* SPDX-License-Identifier: BSD-3-Clause */
#include "app.h"
#include "stage.h"

enum se_stage_verdict
se_stage_static_forward(struct se_worker *w, struct rte_mbuf *m, const struct se_pkt_in *in,
			struct se_pkt_out *out)
{
	const struct se_config *cfg = &w->app->cfg;

	RTE_SET_USED(m);
	out->port = SE_PORT_ROUTE;
	out->src_ip = 0;
	out->dst_ip = cfg->forward_addr.v4;
	out->src_port = in->dst_port;
	out->dst_port = cfg->forward_port;
	w->stats.c[SE_STAT_SIP_FORWARDED]++;
	return SE_STAGE_SEND;
}
