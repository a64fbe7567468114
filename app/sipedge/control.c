/* SPDX-License-Identifier: BSD-3-Clause */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>

#include "backends.h"
#include "control.h"
#include "mailbox.h"
#include "metrics.h"
#include "probe.h"
#include "stage.h"
#include "telemetry.h"

/* The control core sleeps this long between ticks: ARP, stats and probes need no more. */
#define TICK_US 1000
/* ... unless it republishes a table every millisecond (--bench-churn-us) */
#define CHURN_TICK_US 100

void
se_control_totals(const struct se_app *app, struct se_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (uint16_t i = 0; i < app->nb_workers; i++)
		if (app->workers[i] != NULL)
			se_stats_add(sum, &app->workers[i]->stats);
	se_stats_add(sum, &app->ctrl_stats);
	if (app->net != NULL)
		se_net_port_counters(app->net, sum);
}

struct line_buf {
	char s[8192];
	size_t off;
};

static void
add_to_line(void *arg, const char *prefix, const char *name, const char *kind,
	    const char *help, uint64_t value)
{
	struct line_buf *l = arg;

	RTE_SET_USED(kind);
	RTE_SET_USED(help);
	if (l->off < sizeof(l->s))
		l->off += (size_t)snprintf(l->s + l->off, sizeof(l->s) - l->off, " %s%s=%" PRIu64,
					   prefix, name, value);
}

static void
print_line(const struct se_app *app)
{
	static struct line_buf l;
	struct se_stats sum;

	se_control_totals(app, &sum);
	l.off = 0;
	se_stats_walk(&sum, true, add_to_line, &l);
	if (l.off >= sizeof(l.s))
		l.off = sizeof(l.s) - 1;
	l.s[l.off] = '\0';
	printf("stats:%s\n", l.off ? l.s : " (all zero)");
	fflush(stdout);
}

static void
print_counter(void *arg, const char *prefix, const char *name, const char *kind,
	      const char *help, uint64_t value)
{
	RTE_SET_USED(kind);
	RTE_SET_USED(help);
	fprintf(arg, "%s%s=%" PRIu64 "\n", prefix, name, value);
}

void
se_control_print_final(const struct se_app *app, FILE *f)
{
	struct se_stats sum;
	uint64_t first = 0, last = 0, hz = rte_get_tsc_hz();

	se_control_totals(app, &sum);
	for (uint16_t i = 0; i < app->nb_workers; i++) {
		const struct se_worker *w = app->workers[i];

		if (w == NULL || w->first_rx_tsc == 0)
			continue;
		if (first == 0 || w->first_rx_tsc < first)
			first = w->first_rx_tsc;
		if (w->last_rx_tsc > last)
			last = w->last_rx_tsc;
	}
	fprintf(f, "rx_window_us=%" PRIu64 "\n", first ? (last - first) * 1000000 / hz : 0);
	fprintf(f, "counters:\n");
	se_stats_walk(&sum, false, print_counter, f);
	fprintf(f, "end\n");
	fflush(f);
}

/* Messages drivers/net does not consume itself: probe replies and ICMP errors. */
static void
on_msg(void *arg, const struct se_net_ctrl_msg *msg)
{
	struct se_app *app = arg;

	if (msg->kind == SE_STAGE_CTRL_PROBE_REPLY && msg->m != NULL) {
		se_probe_reply(app, msg->m, msg->ip, se_now_ns());
		return;
	}
	if (msg->kind == SE_NET_CTRL_ICMP_ERR && msg->m != NULL) {
		struct se_net_icmp_err e;

		if (se_net_icmp_err_from_mbuf(msg->m, &e) == 0 && e.has_ports) {
			SE_APP_LOG(DEBUG, "ICMP %u/%u about UDP port %u", e.type, e.code,
				   e.orig_dport);
			se_probe_icmp(app, &e, se_now_ns());
		}
	}
	rte_pktmbuf_free(msg->m);
}

static bool
idle_long_enough(const struct se_app *app, uint64_t now)
{
	uint64_t last = app->start_tsc;
	uint64_t limit = rte_get_tsc_hz() / 1000 * app->cfg.exit_idle_ms;

	for (uint16_t i = 0; i < app->nb_workers; i++) {
		uint64_t t = __atomic_load_n(&app->workers[i]->last_rx_tsc, __ATOMIC_RELAXED);

		if (t > last)
			last = t;
	}
	return now > last && now - last >= limit;
}

int
se_control_init(struct se_app *app)
{
	int rc = se_backends_init(app);

	if (rc != 0)
		return rc;
	se_mailbox_open(&se_mailbox);
	if (se_telemetry_init() != 0)
		return 1;
	if (app->cfg.has_metrics && se_metrics_start(&app->cfg) != 0)
		return 2;
	return 0;
}

void
se_control_fini(struct se_app *app)
{
	/* a scrape waiting for the control core gets its answer now, not after its timeout */
	se_mailbox_close(&se_mailbox);
	se_metrics_stop();
	se_backends_fini(app);
}

void
se_control_run(struct se_app *app)
{
	uint64_t hz = rte_get_tsc_hz();
	uint64_t every = hz * app->cfg.stats_interval_s;
	uint64_t next = rte_rdtsc() + every;
	unsigned int tick_us = app->cfg.churn_us != 0 ? CHURN_TICK_US : TICK_US;

	while (!se_app_quit) {
		uint64_t now;

		se_net_ctrl_poll(app->ctrl, on_msg, app);
		now = se_now_ns();
		se_probe_tick(app, now);
		se_backends_tick(app, now);
		/* probes leave now, not at the next tick */
		se_net_ctrl_flush(app->ctrl);
		now = rte_rdtsc();
		if (every != 0 && now >= next) {
			print_line(app);
			next = now + every;
		}
		if (app->cfg.exit_idle_ms != 0 && idle_long_enough(app, now)) {
			SE_APP_LOG(INFO, "no frame for %u ms: exiting", app->cfg.exit_idle_ms);
			break;
		}
		rte_delay_us_sleep(tick_us);
	}
	/* what the last packets asked for (ARP requests) leaves before the workers stop */
	se_net_ctrl_poll(app->ctrl, on_msg, app);
}
