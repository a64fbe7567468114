/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "app.h"
#include "guard.h"
#include "worker.h"

struct se_worker *
se_worker_create(struct se_app *app, uint16_t index, unsigned int lcore)
{
	struct se_worker *w;

	w = rte_zmalloc_socket("se_worker", sizeof(*w), RTE_CACHE_LINE_SIZE,
			       (int)rte_lcore_to_socket_id(lcore));
	if (w == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	w->lcore = lcore;
	w->index = index;
	w->app = app;
	w->qs = app->qs;
	w->stage = app->cfg.has_forward_to ? se_stage_static_forward : se_stage_proxy;
	se_sip_msg_init(&w->scratch.msg, w->scratch.hdrs, SE_STAGE_MAX_HDRS, w->scratch.entries,
			SE_STAGE_MAX_ENTRIES);
	if (app->guard_on && se_app_guard_worker(app, w) != 0) {
		rte_free(w);
		return NULL;
	}
	w->net = se_net_worker_ctx_create(app->net, index, &w->stats);
	if (w->net == NULL) {
		rte_free(w->guard);
		rte_free(w);
		return NULL;
	}
	/*
	 * The guard's first checks need only the source: the UDP checksum waits
	 * until they passed (se_stage_guard() verifies it), so a banned flooder's
	 * datagram is dropped without a pass over its bytes.
	 */
	if (w->guard != NULL && w->stage == se_stage_proxy)
		se_net_ctx_defer_udp_cksum(w->net, true);
	return w;
}

void
se_worker_free(struct se_worker *w)
{
	if (w == NULL)
		return;
	se_net_ctx_free(w->net);
	rte_free(w->guard);
	rte_free(w);
}

static void
run_stage(struct se_worker *w, struct rte_mbuf **m, const struct se_pkt_in *in, uint16_t n)
{
	/* one clock reading per burst: the guard's buckets need no finer time */
	w->now = rte_rdtsc();
	/* the guard's per-source state: hash heads for the burst, each slot one datagram ahead */
	for (uint16_t i = 0; w->guard != NULL && i < n; i++)
		se_guard_prefetch(w->guard, se_guard_key_v4(in[i].src_ip), false);
	for (uint16_t i = 0; i < n; i++) {
		struct se_pkt_out out;

		if (w->guard != NULL && i + 1 < n)
			se_guard_prefetch(w->guard, se_guard_key_v4(in[i + 1].src_ip), true);

		switch (w->stage(w, m[i], &in[i], &out)) {
		case SE_STAGE_SEND:
			se_net_udp_send(w->net, m[i], &out);
			break;
		case SE_STAGE_DROP:
			rte_pktmbuf_free(m[i]);
			break;
		case SE_STAGE_CONSUMED:
			break;
		}
	}
}

static void
note_rx(struct se_worker *w)
{
	uint64_t now = rte_rdtsc();

	if (w->first_rx_tsc == 0)
		__atomic_store_n(&w->first_rx_tsc, now, __ATOMIC_RELAXED);
	__atomic_store_n(&w->last_rx_tsc, now, __ATOMIC_RELAXED);
}

int
se_worker_main(void *arg)
{
	struct se_worker *w = arg;
	const struct se_config *cfg = &w->app->cfg;
	uint16_t nb_ports = se_net_nb_ports(w->app->net);
	bool passthrough = cfg->mode == SE_MODE_PASSTHROUGH;
	struct rte_mbuf *m[SE_NET_BURST];
	struct se_pkt_in in[SE_NET_BURST];

	rte_rcu_qsbr_thread_register(w->qs, w->index);
	rte_rcu_qsbr_thread_online(w->qs, w->index);
	while (!se_app_stopping(w->app)) {
		uint32_t got = 0;

		for (uint16_t p = 0; p < nb_ports; p++) {
			uint16_t nb_rx = 0, n;

			if (passthrough) {
				got += se_net_passthrough_burst(w->net, p);
				continue;
			}
			n = se_net_rx_burst(w->net, p, m, in, SE_NET_BURST, &nb_rx);
			got += nb_rx;
			run_stage(w, m, in, n);
		}
		se_net_ctx_end_loop(w->net);
		rte_rcu_qsbr_quiescent(w->qs, w->index);
		if (got != 0)
			note_rx(w);
		else if (cfg->idle_sleep_us != 0)
			/* the one system call of the loop, by request: share a small machine */
			rte_delay_us_sleep(cfg->idle_sleep_us);
	}
	/* drain: what the control core handed over last, and every TX buffer */
	se_net_ctx_end_loop(w->net);
	rte_rcu_qsbr_thread_offline(w->qs, w->index);
	rte_rcu_qsbr_thread_unregister(w->qs, w->index);
	return 0;
}
