/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "app.h"
#include "backends.h"
#include "probe.h"
#include "stage.h"

/* The control core parses one reply at a time. */
static struct se_sip_hdr hdrs[SE_STAGE_MAX_HDRS];
static struct se_sip_entry entries[SE_STAGE_MAX_ENTRIES];
static struct se_sip_msg msg;

static void
probe_of(const struct se_app *a, uint32_t id, uint32_t seq, struct se_health_probe *pr)
{
	const struct se_target *t = &a->reg->targets[id];

	memset(pr, 0, sizeof(*pr));
	pr->branch_prefix = SE_PROXY_PROBE_BRANCH;
	pr->src_ip = a->proxy.int_ip;
	pr->src_port = a->proxy.sip_port;
	pr->dst_ip = t->ip;
	pr->dst_port = t->addr.port;
	pr->id = id;
	pr->seq = seq;
	pr->key = a->reg->key;
}

/* Backends sit behind the internal port: probes leave there, like requests to them. */
static uint16_t
probe_port(const struct se_app *a)
{
	return a->proxy.two_sided ? 1 : 0;
}

static bool
next_hop_known(struct se_app *a, uint32_t ip)
{
	struct se_net_iface ifs[SE_NET_MAX_PORTS];
	uint16_t n = se_net_nb_ports(a->net);
	struct se_net_nexthop nh;

	for (uint16_t i = 0; i < n; i++)
		ifs[i] = *se_net_port_iface(a->net, i);
	if (se_net_route_lookup(ifs, n, probe_port(a), ip, &nh) != 0)
		return false;
	switch (se_net_resolver_state(se_net_ctrl_resolver(a->ctrl), nh.port, nh.ip, NULL)) {
	case SE_NET_NEIGH_REACHABLE:
	case SE_NET_NEIGH_PROBE:
	case SE_NET_NEIGH_STATIC:
		return true;
	default:
		/* ask (again): the resolver keeps its own pace and hold-down */
		se_net_ctrl_resolve(a->ctrl, ip);
		return false;
	}
}

/* Put the probe out of target @id on the wire, if its next hop is known. */
static void
transmit(struct se_app *a, uint32_t id)
{
	struct se_target *t = &a->reg->targets[id];
	struct se_health_probe pr;
	struct se_pkt_out out;
	struct rte_mbuf *m;
	char *p;
	int n;

	if (!next_hop_known(a, t->ip))
		return;
	m = se_net_ctrl_alloc(a->ctrl);
	if (m == NULL) {
		a->ctrl_stats.c[SE_STAT_DROP_NO_MBUF]++;
		return;
	}
	probe_of(a, id, t->h.seq, &pr);
	p = rte_pktmbuf_mtod(m, char *);
	n = se_health_probe_build(&pr, p, rte_pktmbuf_tailroom(m));
	if (n < 0 || rte_pktmbuf_append(m, (uint16_t)n) == NULL) {
		rte_pktmbuf_free(m);
		return;
	}
	out.port = probe_port(a);
	out.src_ip = a->proxy.int_ip;
	out.dst_ip = t->ip;
	out.src_port = a->proxy.sip_port;
	out.dst_port = t->addr.port;
	/* the mbuf is the TX path's now, whatever it says */
	if (se_net_ctrl_udp_send(a->ctrl, m, &out) == 0) {
		t->unsent = false;
		a->ctrl_stats.c[SE_STAT_PROBES_SENT]++;
	}
}

/* What an event did: count a timeout, tell the registry when the state moved. */
static void
after(struct se_app *a, uint32_t id, uint64_t timeouts_before, bool changed, uint64_t now)
{
	struct se_target *t = &a->reg->targets[id];

	if (t->h.n_timeout != timeouts_before)
		a->ctrl_stats.c[SE_STAT_PROBE_TIMEOUTS] += t->h.n_timeout - timeouts_before;
	if (!t->h.in_flight)
		t->unsent = false;
	if (changed)
		se_backends_health_changed(a, id, now);
}

void
se_probe_tick(struct se_app *a, uint64_t now)
{
	struct se_registry *r = a->reg;

	if (r == NULL || !r->probing)
		return;
	for (uint32_t id = 0; id < r->n_targets; id++) {
		struct se_target *t = &r->targets[id];
		uint64_t before = t->h.n_timeout;
		bool changed;
		uint32_t seq;

		if (!t->used || !t->probed)
			continue;
		changed = se_health_tick(&t->h, &r->hp, now);
		after(a, id, before, changed, now);
		if (t->unsent) {
			transmit(a, id);
			continue;
		}
		if (!se_health_due(&t->h, &r->hp, now))
			continue;
		before = t->h.n_timeout;
		changed = se_health_sent(&t->h, &r->hp, now, &seq);
		after(a, id, before, changed, now);
		t->unsent = true;
		transmit(a, id);
		if (t->unsent)
			a->ctrl_stats.c[SE_STAT_PROBE_UNRESOLVED]++;
	}
}

void
se_probe_reply(struct se_app *a, struct rte_mbuf *m, uint32_t src_ip, uint64_t now)
{
	struct se_registry *r = a->reg;
	const uint8_t *buf = rte_pktmbuf_mtod(m, const uint8_t *);
	struct se_health_probe pr;
	struct se_target *t;
	uint64_t ok, refused, late;
	uint32_t id, seq;
	bool changed;

	RTE_SET_USED(src_ip);
	if (msg.hdrs == NULL)
		se_sip_msg_init(&msg, hdrs, SE_STAGE_MAX_HDRS, entries, SE_STAGE_MAX_ENTRIES);
	if (r == NULL || m->nb_segs != 1 ||
	    se_sip_parse(buf, m->data_len, &msg) != SE_SIP_OK || msg.is_request ||
	    !se_health_probe_decode(SE_PROXY_PROBE_BRANCH, buf + msg.via.branch.off,
				    msg.via.branch.len, &id, &seq) ||
	    id >= r->n_targets) {
		a->ctrl_stats.c[SE_STAT_DROP_PROBE_REPLY]++;
		rte_pktmbuf_free(m);
		return;
	}
	t = &r->targets[id];
	probe_of(a, id, seq, &pr);
	if (!se_health_probe_matches(&pr, buf + msg.via.branch.off, msg.via.branch.len)) {
		a->ctrl_stats.c[SE_STAT_DROP_PROBE_REPLY]++;
		rte_pktmbuf_free(m);
		return;
	}
	if (!t->used || !t->probed) {
		/* a probe of a backend removed since */
		a->ctrl_stats.c[SE_STAT_PROBE_LATE]++;
		rte_pktmbuf_free(m);
		return;
	}
	ok = t->h.n_ok;
	refused = t->h.n_refused;
	late = t->h.n_late;
	changed = se_health_reply(&t->h, &r->hp, seq, msg.status, now);
	a->ctrl_stats.c[SE_STAT_PROBE_OK] += t->h.n_ok - ok;
	a->ctrl_stats.c[SE_STAT_PROBE_REFUSED] += t->h.n_refused - refused;
	a->ctrl_stats.c[SE_STAT_PROBE_LATE] += t->h.n_late - late;
	after(a, id, t->h.n_timeout, changed, now);
	rte_pktmbuf_free(m);
}

/* Destination unreachable codes that say the backend cannot be reached (not "fragment"). */
static bool
is_unreachable(const struct se_net_icmp_err *e)
{
	if (e->type != 3)
		return false;
	switch (e->code) {
	case 0:  /* net */
	case 1:  /* host */
	case 2:  /* protocol */
	case 3:  /* port: nothing listens */
	case 9:  /* net administratively prohibited */
	case 10: /* host administratively prohibited */
	case 13: /* communication administratively prohibited */
		return true;
	default:
		return false;
	}
}

void
se_probe_icmp(struct se_app *a, const struct se_net_icmp_err *e, uint64_t now)
{
	struct se_registry *r = a->reg;
	struct se_target *t;
	bool changed;
	int id;

	if (r == NULL || !r->probing || !is_unreachable(e) || !e->has_ports ||
	    e->orig_proto != 17 || e->orig_sport != a->proxy.sip_port ||
	    (e->orig_src != a->proxy.int_ip && e->orig_src != a->proxy.ext_ip))
		return;
	id = se_backends_find_target(a, e->orig_dst, e->orig_dport);
	if (id < 0 || !r->targets[id].probed)
		return;
	t = &r->targets[id];
	a->ctrl_stats.c[SE_STAT_PROBE_UNREACHABLE]++;
	changed = se_health_unreachable(&t->h, &r->hp, now);
	after(a, (uint32_t)id, t->h.n_timeout, changed, now);
}
