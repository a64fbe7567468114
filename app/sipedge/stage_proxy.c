/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "app.h"
#include "stage.h"

/* Reason phrases of the replies the proxy makes itself. */
static const char *
reason_phrase(uint16_t code)
{
	switch (code) {
	case 200:
		return "OK";
	case 483:
		return "Too Many Hops";
	default:
		return "Error";
	}
}

static const char options_allow[] =
	"Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, SUBSCRIBE, NOTIFY, REFER, INFO, "
	"MESSAGE, UPDATE, PRACK\r\n";

static void
fill_out(const struct se_app *app, const struct se_proxy_out *po, struct se_pkt_out *out)
{
	out->port = app->proxy.two_sided && po->to_internal ? 1 : 0;
	out->src_ip = po->src_ip;
	out->dst_ip = po->dst_ip;
	out->src_port = app->proxy.sip_port;
	out->dst_port = po->dst_port;
}

/* Apply the plan in place: the edits slide into headroom or tailroom, never a copy. */
static bool
apply_plan(struct se_stage_scratch *sc, struct rte_mbuf *m)
{
	uint8_t *buf = rte_pktmbuf_mtod(m, uint8_t *);
	uint16_t head = rte_pktmbuf_headroom(m);
	/* the datagram ends at Content-Length: what follows is ignored (RFC 3261 18.3) */
	uint32_t tail = rte_pktmbuf_tailroom(m) + (m->data_len - sc->msg.msg_len);
	int32_t shift;
	uint16_t len;

	/* keep room for the UDP/IPv4/Ethernet headers the TX path prepends */
	head = head > SE_NET_UDP_HDRS_LEN ? head - SE_NET_UDP_HDRS_LEN : 0;
	if (se_edit_apply(&sc->plan, buf, sc->msg.msg_len, head,
			  (uint16_t)RTE_MIN(tail, (uint32_t)UINT16_MAX), &shift, &len) != 0)
		return false;
	m->data_off = (uint16_t)(m->data_off + shift);
	m->data_len = len;
	m->pkt_len = len;
	return true;
}

bool
se_stage_reply(struct se_worker *w, struct rte_mbuf *m, const struct se_pkt_in *in,
	       const uint8_t *buf, uint16_t code, const char *phrase, const char *extra,
	       struct se_pkt_out *out)
{
	struct se_stage_scratch *sc = &w->scratch;
	struct se_proxy_in pin = { .src_ip = in->src_ip, .src_port = in->src_port,
				   .from_internal = in->port == 1 };
	struct se_proxy_out po;
	int n;

	memset(&po, 0, sizeof(po));
	n = se_proxy_reply(&w->app->proxy, buf, &sc->msg, &pin, code, phrase, extra, sc->reply,
			   sizeof(sc->reply), &po);
	if (n < 0)
		return false;
	rte_pktmbuf_reset_headroom(m);
	if ((uint32_t)n > (uint32_t)rte_pktmbuf_tailroom(m) + m->data_len)
		return false;
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), sc->reply, (size_t)n);
	m->data_len = (uint16_t)n;
	m->pkt_len = (uint32_t)n;
	fill_out(w->app, &po, out);
	return true;
}

enum se_stage_verdict
se_stage_proxy(struct se_worker *w, struct rte_mbuf *m, const struct se_pkt_in *in,
	       struct se_pkt_out *out)
{
	struct se_stage_scratch *sc = &w->scratch;
	const uint8_t *buf = rte_pktmbuf_mtod(m, const uint8_t *);
	struct se_proxy_in pin = { .src_ip = in->src_ip, .src_port = in->src_port,
				   .from_internal = in->port == 1 };
	const struct se_dispatch_table *t = se_dispatch_current(&w->app->dispatch);
	struct se_net_ctrl_msg cm;
	struct se_proxy_out po;
	enum se_stage_verdict gv;
	enum se_sip_status st;

	if (w->guard != NULL) {
		/* the guard parses, and settles what it refuses or answers */
		if (se_stage_guard(w, m, in, out, &gv))
			return gv;
	} else {
		st = se_sip_parse(buf, m->data_len, &sc->msg);
		if (st != SE_SIP_OK) {
			w->stats.c[SE_STAT_DROP_SIP_PARSE]++;
			w->stats.sip_err[st]++;
			return SE_STAGE_DROP;
		}
	}
	switch (se_proxy_process(&w->app->proxy, t, buf, &sc->msg, &pin, &sc->plan, &po)) {
	case SE_PROXY_FORWARD:
		if (!apply_plan(sc, m)) {
			w->stats.c[SE_STAT_DROP_PROXY_EDIT]++;
			return SE_STAGE_DROP;
		}
		fill_out(w->app, &po, out);
		break;
	case SE_PROXY_REPLY:
		if (!se_stage_reply(w, m, in, buf, po.reply_code, reason_phrase(po.reply_code),
				    po.reply_code == 200 ? options_allow : NULL, out)) {
			w->stats.c[SE_STAT_DROP_PROXY_EDIT]++;
			return SE_STAGE_DROP;
		}
		break;
	case SE_PROXY_CONTROL:
		w->stats.c[po.reason]++;
		memset(&cm, 0, sizeof(cm));
		cm.m = m;
		cm.ip = in->src_ip;
		cm.port = in->port;
		cm.kind = SE_STAGE_CTRL_PROBE_REPLY;
		se_net_to_ctrl(w->net, &cm);
		return SE_STAGE_CONSUMED;
	case SE_PROXY_DROP:
	default:
		w->stats.c[po.reason]++;
		return SE_STAGE_DROP;
	}
	w->stats.c[po.reason]++;
	if (po.event != SE_STAT_COUNT)
		w->stats.c[po.event]++;
	se_nat_count(&po.nat, &w->stats);
	if (po.reason == SE_STAT_PROXY_REQ_TO_BACKEND)
		se_worker_count_backend(w, t, &po);
	return SE_STAGE_SEND;
}
