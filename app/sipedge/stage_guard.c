/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The guard in the proxy stage: lib/guard decides, this file counts and
 * answers. Order: ACL (rte_lpm), ban and bucket before the parser reads a
 * byte; scanners, trusted sets, 513 and 420 after a parse; 400/505/513
 * after a failed one. Replies are lib/proxy's stateless ones, written over
 * the request's mbuf and sent back out of the port the request came in by.
 */
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "stage.h"

/* Backends are always allowed: the internal port, or a backend's address and port. */
static inline bool
from_backend(struct se_worker *w, const struct se_pkt_in *in)
{
	const struct se_dispatch_table *t;

	if (w->app->proxy.two_sided)
		return in->port == 1;
	t = se_dispatch_current(&w->app->dispatch);
	return t != NULL && se_dispatch_find(t, AF_INET, &in->src_ip, in->src_port) >= 0;
}

static inline void
count(struct se_worker *w, uint8_t id)
{
	if (id < SE_STAT_COUNT)
		w->stats.c[id]++;
}

/* A REPLY verdict: answered (counted as its reply), or dropped when it cannot be made. */
static enum se_stage_verdict
reply_or_drop(struct se_worker *w, struct rte_mbuf *m, const struct se_pkt_in *in,
	      const struct se_guard_out *go, struct se_pkt_out *out)
{
	if (!se_stage_reply(w, m, in, go->buf, go->code, go->phrase,
			    go->extra[0] != '\0' ? go->extra : NULL, out)) {
		w->stats.c[SE_STAT_DROP_PROXY_EDIT]++;
		return SE_STAGE_DROP;
	}
	count(w, go->reason);
	return SE_STAGE_SEND;
}

bool
se_stage_guard(struct se_worker *w, struct rte_mbuf *m, const struct se_pkt_in *in,
	       struct se_pkt_out *out, enum se_stage_verdict *v)
{
	struct se_stage_scratch *sc = &w->scratch;
	const uint8_t *buf = rte_pktmbuf_mtod(m, const uint8_t *);
	size_t len = m->data_len;
	enum se_guard_acl_action acl = SE_GUARD_ACL_NONE;
	enum se_guard_verdict gv = SE_GUARD_PASS;
	struct se_guard_key key = se_guard_key_v4(in->src_ip);
	bool exempt = from_backend(w, in);
	struct se_guard_out go;
	enum se_sip_status st;

	if (!exempt) {
		acl = se_guard_acl_lookup_v4(w->app->acl, in->src_ip);
		gv = se_guard_pre(w->guard, key, acl, w->now, &go);
		count(w, go.event);
		if (gv == SE_GUARD_DROP) {
			count(w, go.reason);
			*v = SE_STAGE_DROP;
			return true;
		}
	}
	/* the receive path left the checksum to us (worker.c): a banned source's never summed */
	if (unlikely(!se_net_udp_cksum_ok(m, in))) {
		w->stats.c[SE_STAT_DROP_UDP_CHECKSUM]++;
		*v = SE_STAGE_DROP;
		return true;
	}
	st = se_sip_parse(buf, len, &sc->msg);
	if (gv == SE_GUARD_REPLY) {
		/* a flood answered 503 (--flood-reply 503): only a request other than ACK */
		if (st == SE_SIP_OK && se_guard_can_answer(&sc->msg)) {
			go.buf = buf;
			*v = reply_or_drop(w, m, in, &go, out);
		} else {
			count(w, go.fallback);
			*v = SE_STAGE_DROP;
		}
		return true;
	}
	if (st != SE_SIP_OK) {
		w->stats.sip_err[st]++;
		if (exempt) {
			w->stats.c[SE_STAT_DROP_SIP_PARSE]++;
			*v = SE_STAGE_DROP;
			return true;
		}
		gv = se_guard_unparsed(w->guard, buf, len, st, &sc->msg, sc->fix, sizeof(sc->fix),
				       w->now, &go);
	} else if (!exempt) {
		gv = se_guard_parsed(w->guard, buf, len, &sc->msg, key, acl, w->now, &go);
	} else {
		return false;
	}
	count(w, go.event);
	switch (gv) {
	case SE_GUARD_PASS:
		return false;
	case SE_GUARD_REPLY:
		*v = reply_or_drop(w, m, in, &go, out);
		return true;
	case SE_GUARD_DROP:
	default:
		count(w, go.reason);
		*v = SE_STAGE_DROP;
		return true;
	}
}
