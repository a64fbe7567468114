/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "app.h"
#include "backends.h"
#include "mailbox.h"
#include "metrics.h"

/* How long a scrape waits for the control core to take its request. */
#define WAIT_MS 2000

static struct MHD_Daemon *server;

/* A growing text buffer; on allocation failure it stops growing and says so. */
struct text {
	char *p;
	size_t len;
	size_t cap;
	bool oom;
};

static void __attribute__((format(printf, 2, 3)))
put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->oom = true;
			return;
		}
		if ((size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = t->cap * 2 + (size_t)n;
		char *np = realloc(t->p, cap);

		if (np == NULL) {
			t->oom = true;
			return;
		}
		t->p = np;
		t->cap = cap;
	}
}

static void
family(struct text *t, const char *name, const char *type, const char *help)
{
	put(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
put_counter(void *arg, const char *prefix, const char *name, const char *kind,
	    const char *help, uint64_t value)
{
	struct text *t = arg;
	char m[128];

	snprintf(m, sizeof(m), "sipedge_%s%s_total", prefix, name);
	put(t, "# HELP %s %s (%s)\n# TYPE %s counter\n%s %" PRIu64 "\n", m, help, kind, m, m,
	    value);
}

static void
backends(struct text *t, const struct se_mb_view *v)
{
	static const char *const states[] = { "up", "down", "draining", "disabled" };

	family(t, "sipedge_backend_up", "gauge", "1 when the backend takes new calls");
	for (uint32_t i = 0; i < v->n_backends; i++)
		put(t, "sipedge_backend_up{backend=\"%s\",set=\"%u\"} %d\n", v->backends[i].name,
		    v->backends[i].set_id, v->backends[i].state == SE_DISPATCH_UP);
	family(t, "sipedge_backend_state", "gauge",
	       "the backend's published state: 1 for the one it is in");
	for (uint32_t i = 0; i < v->n_backends; i++)
		for (unsigned int s = 0; s < RTE_DIM(states); s++)
			put(t, "sipedge_backend_state{backend=\"%s\",set=\"%u\",state=\"%s\"} %d\n",
			    v->backends[i].name, v->backends[i].set_id, states[s],
			    v->backends[i].state == s);
	family(t, "sipedge_backend_state_seconds", "gauge", "seconds since the last transition");
	for (uint32_t i = 0; i < v->n_backends; i++)
		put(t, "sipedge_backend_state_seconds{backend=\"%s\",set=\"%u\"} %.3f\n",
		    v->backends[i].name, v->backends[i].set_id,
		    (double)(v->now_ns - v->backends[i].changed_ns) / 1e9);
	family(t, "sipedge_backend_weight", "gauge", "share of new calls in its priority group");
	for (uint32_t i = 0; i < v->n_backends; i++)
		put(t, "sipedge_backend_weight{backend=\"%s\",set=\"%u\"} %u\n",
		    v->backends[i].name, v->backends[i].set_id, v->backends[i].weight);
	family(t, "sipedge_backend_priority", "gauge", "priority group (lower is preferred)");
	for (uint32_t i = 0; i < v->n_backends; i++)
		put(t, "sipedge_backend_priority{backend=\"%s\",set=\"%u\"} %d\n",
		    v->backends[i].name, v->backends[i].set_id, v->backends[i].priority);
	family(t, "sipedge_backend_requests_total", "counter", "requests sent to the backend");
	for (uint32_t i = 0; i < v->n_backends; i++)
		put(t, "sipedge_backend_requests_total{backend=\"%s\",set=\"%u\"} %" PRIu64 "\n",
		    v->backends[i].name, v->backends[i].set_id, v->backends[i].msgs);
	family(t, "sipedge_backend_new_dialogs_total", "counter",
	       "dialog-creating requests sent to the backend");
	for (uint32_t i = 0; i < v->n_backends; i++)
		put(t, "sipedge_backend_new_dialogs_total{backend=\"%s\",set=\"%u\"} %" PRIu64 "\n",
		    v->backends[i].name, v->backends[i].set_id, v->backends[i].dialogs);
}

static void
targets(struct text *t, const struct se_mb_view *v)
{
	static const char *const results[] = { "ok", "refused", "timeout", "unreachable",
					       "late" };

	family(t, "sipedge_backend_healthy", "gauge", "1 when the probes say the address is up");
	for (uint32_t i = 0; i < v->n_targets; i++)
		put(t, "sipedge_backend_healthy{backend=\"%s\"} %d\n", v->targets[i].name,
		    v->targets[i].h.state == SE_HEALTH_UP);
	family(t, "sipedge_backend_probes_sent_total", "counter", "OPTIONS probes sent");
	for (uint32_t i = 0; i < v->n_targets; i++)
		put(t, "sipedge_backend_probes_sent_total{backend=\"%s\"} %" PRIu64 "\n",
		    v->targets[i].name, v->targets[i].h.n_sent);
	family(t, "sipedge_backend_probe_results_total", "counter", "probe outcomes by result");
	for (uint32_t i = 0; i < v->n_targets; i++) {
		const struct se_health *h = &v->targets[i].h;
		const uint64_t n[] = { h->n_ok, h->n_refused, h->n_timeout, h->n_unreachable,
				       h->n_late };

		for (unsigned int r = 0; r < RTE_DIM(results); r++)
			put(t, "sipedge_backend_probe_results_total{backend=\"%s\",result=\"%s\"} %"
			    PRIu64 "\n", v->targets[i].name, results[r], n[r]);
	}
	family(t, "sipedge_backend_probe_rtt_seconds", "histogram",
	       "round trip of probes that got a final reply");
	for (uint32_t i = 0; i < v->n_targets; i++) {
		const struct se_health *h = &v->targets[i].h;
		uint64_t cum = 0;

		for (unsigned int b = 0; b < SE_HEALTH_RTT_BUCKETS; b++) {
			uint64_t bound = se_health_rtt_bound(b);

			cum += h->rtt_hist[b];
			if (bound == UINT64_MAX)
				put(t, "sipedge_backend_probe_rtt_seconds_bucket{backend=\"%s\","
				    "le=\"+Inf\"} %" PRIu64 "\n", v->targets[i].name, cum);
			else
				put(t, "sipedge_backend_probe_rtt_seconds_bucket{backend=\"%s\","
				    "le=\"%g\"} %" PRIu64 "\n", v->targets[i].name,
				    (double)bound / 1e9, cum);
		}
		put(t, "sipedge_backend_probe_rtt_seconds_sum{backend=\"%s\"} %.9f\n",
		    v->targets[i].name, (double)h->rtt_sum / 1e9);
		put(t, "sipedge_backend_probe_rtt_seconds_count{backend=\"%s\"} %" PRIu64 "\n",
		    v->targets[i].name, cum);
	}
}

static void
format(struct text *t, const struct se_mb_view *v)
{
	se_stats_walk(&v->totals, false, put_counter, t);
	family(t, "sipedge_table_version", "gauge", "version of the backend table the workers use");
	put(t, "sipedge_table_version %" PRIu64 "\n", v->table_version);
	family(t, "sipedge_table_publications_total", "counter", "backend tables published");
	put(t, "sipedge_table_publications_total %" PRIu64 "\n", v->publications);
	family(t, "sipedge_probing", "gauge", "1 when health probes are on");
	put(t, "sipedge_probing %d\n", v->probing);
	family(t, "sipedge_uptime_seconds", "gauge", "seconds since the control core started");
	put(t, "sipedge_uptime_seconds %.3f\n", (double)v->uptime_ns / 1e9);
	backends(t, v);
	targets(t, v);
}

static enum MHD_Result
reply(struct MHD_Connection *conn, unsigned int status, char *body, size_t len,
      const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body,
								 MHD_RESPMEM_MUST_FREE);
	enum MHD_Result rc;

	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
plain(struct MHD_Connection *conn, unsigned int status, const char *msg)
{
	char *body = strdup(msg);

	if (body == NULL)
		return MHD_NO;
	return reply(conn, status, body, strlen(body), "text/plain; charset=utf-8");
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	   const char *version, const char *upload, size_t *upload_len, void **state)
{
	struct text t = { 0 };
	int rc;

	RTE_SET_USED(cls);
	RTE_SET_USED(version);
	RTE_SET_USED(upload);
	RTE_SET_USED(upload_len);
	RTE_SET_USED(state);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return plain(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "GET /metrics\n");
	if (strcmp(url, "/metrics") != 0)
		return plain(conn, MHD_HTTP_NOT_FOUND, "not found: GET /metrics\n");
	rc = se_mailbox_call(&se_mailbox, SE_MB_VIEW, NULL, WAIT_MS);
	if (rc != 0)
		return plain(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
			     rc == -ESHUTDOWN ? "sipedge is stopping\n" :
			     "the control core did not answer in time\n");
	t.cap = 65536;
	t.p = malloc(t.cap);
	t.oom = t.p == NULL;
	format(&t, &se_mailbox.view);
	se_mailbox_end(&se_mailbox);
	if (t.oom) {
		free(t.p);
		return plain(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	}
	return reply(conn, MHD_HTTP_OK, t.p, t.len, "text/plain; version=0.0.4; charset=utf-8");
}

int
se_metrics_start(const struct se_config *cfg)
{
	struct sockaddr_in sa;
	char addr[INET_ADDRSTRLEN];

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(cfg->metrics_port);
	sa.sin_addr.s_addr = cfg->metrics_addr.v4;
	inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof(addr));
	server = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, cfg->metrics_port, NULL, NULL,
				  on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				  MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_CONNECTION_LIMIT,
				  16u, MHD_OPTION_END);
	if (server == NULL) {
		SE_APP_LOG(ERR, "--metrics %s:%u: cannot serve there (%s)", addr, cfg->metrics_port,
			   strerror(errno));
		return -1;
	}
	SE_APP_LOG(INFO, "metrics: http://%s:%u/metrics", addr, cfg->metrics_port);
	return 0;
}

void
se_metrics_stop(void)
{
	if (server != NULL)
		MHD_stop_daemon(server);
	server = NULL;
}
