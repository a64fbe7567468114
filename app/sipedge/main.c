/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sipedge: config -> EAL -> ports -> tables -> launch workers -> control
 * loop -> shutdown. Each step is one function; the work is in drivers/net,
 * lib/ and the thread files of this folder.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_malloc.h>

#include "app.h"
#include "backends.h"
#include "control.h"
#include "guard.h"

RTE_LOG_REGISTER(se_app_logtype, sipedge.app, INFO);

/* Exit statuses: 2 for a command line the system cannot run (nothing started). */
#define EXIT_USAGE 2
#define EXIT_FAIL 1

volatile sig_atomic_t se_app_quit;
static struct se_app app;

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	se_app_quit = 1;
}

static void
signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	se_backends_signals();
}

static int
ports(struct se_app *a)
{
	struct se_net_params p;
	unsigned int lc;

	RTE_LCORE_FOREACH_WORKER(lc)
		a->worker_lcores[a->nb_workers++] = lc;
	if (a->nb_workers == 0) {
		SE_APP_LOG(ERR, "no worker lcore: give EAL at least two (-l 0,1)");
		return EXIT_USAGE;
	}
	a->qs = rte_zmalloc("se_qsbr", rte_rcu_qsbr_get_memsize(a->nb_workers),
			    RTE_CACHE_LINE_SIZE);
	if (a->qs == NULL || rte_rcu_qsbr_init(a->qs, a->nb_workers) != 0)
		return EXIT_FAIL;
	memset(&p, 0, sizeof(p));
	p.nb_ports = a->cfg.nb_ports;
	for (uint16_t i = 0; i < a->cfg.nb_ports; i++) {
		const struct se_config_port *cp = &a->cfg.ports[i];

		p.ports[i] = (struct se_net_port_params){ .port_id = cp->port_id, .addr = cp->addr,
			.prefix_len = cp->prefix_len, .gw = cp->gw, .mtu = cp->mtu };
	}
	p.nb_workers = a->nb_workers;
	p.worker_lcores = a->worker_lcores;
	p.ctrl_lcore = rte_get_main_lcore();
	p.sip_port = a->cfg.sip_port;
	p.nb_mbufs = a->cfg.nb_mbufs;
	p.qs = a->qs;
	a->net = se_net_create(&p);
	if (a->net == NULL)
		return rte_errno == ENOMEM ? EXIT_FAIL : EXIT_USAGE;
	se_net_log_ports(a->net);
	return 0;
}

static int
tables(struct se_app *a)
{
	struct se_net_nexthop nh;

	a->ctrl = se_net_ctrl_create(a->net, &a->ctrl_stats);
	if (a->ctrl == NULL)
		return EXIT_FAIL;
	for (uint32_t i = 0; i < a->cfg.nb_neigh; i++) {
		const struct se_config_neigh *n = &a->cfg.neigh[i];

		if (se_net_ctrl_add_neigh(a->ctrl, n->addr.v4, &n->mac) != 0) {
			SE_APP_LOG(ERR, "--neigh #%u: address not on-link on any port", i + 1);
			return EXIT_USAGE;
		}
	}
	if (a->cfg.has_forward_to) {
		struct se_net_iface ifs[SE_NET_MAX_PORTS];

		for (uint16_t i = 0; i < a->cfg.nb_ports; i++)
			ifs[i] = *se_net_port_iface(a->net, i);
		if (se_net_route_lookup(ifs, a->cfg.nb_ports, SE_PORT_ROUTE, a->cfg.forward_addr.v4,
					&nh) != 0) {
			SE_APP_LOG(ERR, "--forward-to: no port reaches it (add gw= to a --port)");
			return EXIT_USAGE;
		}
	}
	/* publish the static neighbours before any worker looks */
	se_net_ctrl_poll(a->ctrl, NULL, NULL);
	return se_control_init(a);
}

static int
launch(struct se_app *a)
{
	int rc = se_app_guard_init(a);

	if (rc != 0)
		return rc;
	for (uint16_t i = 0; i < a->nb_workers; i++) {
		a->workers[i] = se_worker_create(a, i, a->worker_lcores[i]);
		if (a->workers[i] == NULL)
			return EXIT_FAIL;
	}
	if (se_net_start(a->net) != 0)
		return EXIT_FAIL;
	a->start_tsc = rte_rdtsc();
	for (uint16_t i = 0; i < a->nb_workers; i++)
		rte_eal_remote_launch(se_worker_main, a->workers[i], a->worker_lcores[i]);
	SE_APP_LOG(INFO, "%u worker(s) running, mode %s, SIP port %u", a->nb_workers,
		   a->cfg.mode == SE_MODE_PASSTHROUGH ? "passthrough" : "forward", a->cfg.sip_port);
	return 0;
}

static void
shutdown_all(struct se_app *a, bool launched)
{
	if (launched) {
		se_app_stop_workers(a);
		rte_eal_mp_wait_lcore();
	}
	se_net_stop(a->net);
	if (launched)
		se_control_print_final(a, stdout);
	se_control_fini(a);
	se_app_guard_fini(a);
	for (uint16_t i = 0; i < a->nb_workers; i++)
		se_worker_free(a->workers[i]);
	se_net_ctrl_free(a->ctrl);
	se_net_free(a->net);
	se_dispatch_pub_fini(&a->dispatch);
	rte_free(a->qs);
	se_config_free(&a->cfg);
}

int
main(int argc, char **argv)
{
	int rc = se_config_parse(&app.cfg, argc, argv);

	if (rc != 0) {
		se_config_free(&app.cfg);
		return rc > 0 ? 0 : EXIT_USAGE;
	}
	if (rte_eal_init(se_config_eal_argc(argc, argv), argv) < 0) {
		fprintf(stderr, "%s: EAL initialisation failed: %s\n", argv[0],
			rte_strerror(rte_errno));
		return EXIT_USAGE;
	}
	signals();
	rc = ports(&app);
	if (rc == 0)
		rc = tables(&app);
	if (rc == 0)
		rc = launch(&app);
	if (rc == 0)
		se_control_run(&app);
	shutdown_all(&app, rc == 0);
	rte_eal_cleanup();
	return rc;
}
