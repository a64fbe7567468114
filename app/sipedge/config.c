/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "config.h"

/* A setter returns NULL, or why the value is wrong (shown after the option and value). */
typedef const char *(*opt_set_fn)(struct se_config *cfg, const char *val);

struct opt {
	const char *name;
	const char *arg;   /* NULL: no argument */
	const char *help;
	opt_set_fn set;
};

const char *
se_config_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	unsigned long long x;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return "not a decimal number";
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return "not a decimal number";
	if (x < min || x > max)
		return "out of range";
	*v = (uint32_t)x;
	return NULL;
}

static const char *
addr_error(int rc)
{
	return rc == -EAFNOSUPPORT ? "IPv6 is not supported yet" : "not an IPv4 address";
}

/* --port ID,ip=ADDR/PREFIX[,gw=ADDR][,mtu=N] */
static const char *
set_port(struct se_config *cfg, const char *val)
{
	static char buf[256];
	struct se_config_port *p;
	char *save = NULL, *tok;
	const char *why;
	bool has_ip = false;
	uint32_t v;
	int rc;

	if (cfg->nb_ports >= SE_CONFIG_MAX_PORTS)
		return "at most 2 ports (external, internal)";
	if (strlen(val) >= sizeof(buf))
		return "too long";
	strcpy(buf, val);
	p = &cfg->ports[cfg->nb_ports];
	memset(p, 0, sizeof(*p));
	tok = strtok_r(buf, ",", &save);
	if (tok == NULL || (why = se_config_parse_u32(tok, 0, UINT16_MAX - 1, &v)) != NULL)
		return "expected ID,ip=ADDR/PREFIX[,gw=ADDR][,mtu=N] with a numeric port ID";
	p->port_id = (uint16_t)v;
	while ((tok = strtok_r(NULL, ",", &save)) != NULL) {
		if (strncmp(tok, "ip=", 3) == 0) {
			rc = se_net_parse_prefix(tok + 3, &p->addr, &p->prefix_len);
			if (rc != 0)
				return rc == -EAFNOSUPPORT ? "IPv6 is not supported yet" :
				       "ip= needs ADDR/PREFIX";
			if (!se_net_ipv4_is_unicast(p->addr.v4))
				return "ip= is not a unicast address";
			has_ip = true;
		} else if (strncmp(tok, "gw=", 3) == 0) {
			rc = se_net_parse_addr(tok + 3, &p->gw);
			if (rc != 0)
				return addr_error(rc);
		} else if (strncmp(tok, "mtu=", 4) == 0) {
			if (se_config_parse_u32(tok + 4, 576, 9600, &v) != NULL)
				return "mtu= must be 576..9600";
			p->mtu = (uint16_t)v;
		} else {
			return "unknown key (ip=, gw=, mtu=)";
		}
	}
	if (!has_ip)
		return "ip=ADDR/PREFIX is required";
	if (p->gw.family == SE_NET_AF_INET) {
		uint32_t m = se_net_ipv4_mask(p->prefix_len);

		if ((p->gw.v4 & m) != (p->addr.v4 & m) || p->gw.v4 == p->addr.v4)
			return "gw= is not on-link (inside ip=/PREFIX)";
	}
	for (uint16_t i = 0; i < cfg->nb_ports; i++)
		if (cfg->ports[i].port_id == p->port_id)
			return "port ID given twice";
	cfg->nb_ports++;
	return NULL;
}

static const char *
set_sip_port(struct se_config *cfg, const char *val)
{
	uint32_t v;
	const char *why = se_config_parse_u32(val, 1, 65535, &v);

	if (why == NULL)
		cfg->sip_port = (uint16_t)v;
	return why;
}

static const char *
set_stats_interval(struct se_config *cfg, const char *val)
{
	return se_config_parse_u32(val, 0, 86400, &cfg->stats_interval_s);
}

static const char *
set_idle_sleep(struct se_config *cfg, const char *val)
{
	return se_config_parse_u32(val, 0, 1000000, &cfg->idle_sleep_us);
}

/* --neigh IP,MAC */
static const char *
set_neigh(struct se_config *cfg, const char *val)
{
	struct se_config_neigh *n;
	char ip[64];
	const char *comma = strchr(val, ',');
	int rc;

	if (cfg->nb_neigh >= SE_CONFIG_MAX_NEIGH)
		return "too many static neighbours";
	if (comma == NULL || (size_t)(comma - val) >= sizeof(ip))
		return "expected IP,MAC";
	memcpy(ip, val, (size_t)(comma - val));
	ip[comma - val] = '\0';
	n = &cfg->neigh[cfg->nb_neigh];
	rc = se_net_parse_addr(ip, &n->addr);
	if (rc != 0)
		return addr_error(rc);
	if (!se_net_ipv4_is_unicast(n->addr.v4))
		return "not a unicast address";
	if (se_net_parse_mac(comma + 1, &n->mac) != 0)
		return "MAC must be six hex pairs (02:00:00:00:00:01)";
	if (!rte_is_unicast_ether_addr(&n->mac) || rte_is_zero_ether_addr(&n->mac))
		return "MAC must be a unicast address";
	cfg->nb_neigh++;
	return NULL;
}

static const char *
set_mode(struct se_config *cfg, const char *val)
{
	if (strcmp(val, "forward") == 0)
		cfg->mode = SE_MODE_FORWARD;
	else if (strcmp(val, "passthrough") == 0)
		cfg->mode = SE_MODE_PASSTHROUGH;
	else
		return "expected forward or passthrough";
	return NULL;
}

static const char *
set_forward_to(struct se_config *cfg, const char *val)
{
	int rc = se_net_parse_addr_port(val, &cfg->forward_addr, &cfg->forward_port);

	if (rc != 0)
		return rc == -EAFNOSUPPORT ? "IPv6 is not supported yet" : "expected ADDR:PORT";
	if (!se_net_ipv4_is_unicast(cfg->forward_addr.v4))
		return "not a unicast address";
	cfg->has_forward_to = true;
	return NULL;
}

static const char *
set_exit_idle(struct se_config *cfg, const char *val)
{
	return se_config_parse_u32(val, 1, 3600000, &cfg->exit_idle_ms);
}

static const char *
set_mbufs(struct se_config *cfg, const char *val)
{
	return se_config_parse_u32(val, 1024, 16777215, &cfg->nb_mbufs);
}

/* Reasons from lib/dispatch, shown after the option and its value. */
static char dispatch_err[256];

static const char *
set_backend(struct se_config *cfg, const char *val)
{
	return se_dispatch_config_add_arg(cfg->dispatch, val, dispatch_err,
					  sizeof(dispatch_err)) < 0 ? dispatch_err : NULL;
}

static const char *
set_backends_file(struct se_config *cfg, const char *val)
{
	if (cfg->backends_file != NULL)
		return "given twice";
	if (se_dispatch_config_load_file(cfg->dispatch, val, dispatch_err,
					 sizeof(dispatch_err)) < 0)
		return dispatch_err;
	cfg->backends_file = val;
	return NULL;
}

static const char *
set_set(struct se_config *cfg, const char *val)
{
	return se_dispatch_config_set_arg(cfg->dispatch, val, dispatch_err,
					  sizeof(dispatch_err)) < 0 ? dispatch_err : NULL;
}

static const char *
set_call_set(struct se_config *cfg, const char *val)
{
	return se_config_parse_u32(val, 0, SE_DISPATCH_MAX_SET_ID, &cfg->call_set);
}

static const char *
set_register_set(struct se_config *cfg, const char *val)
{
	cfg->has_register_set = true;
	return se_config_parse_u32(val, 0, SE_DISPATCH_MAX_SET_ID, &cfg->register_set);
}

static const char *
set_nat_detect(struct se_config *cfg, const char *val)
{
	return se_nat_detect_parse(val, &cfg->nat_detect) != 0 ?
	       "expected none, default, or tests among contact-private, via-private, via-received, "
	       "via-rport-differs, contact-differs" : NULL;
}

#define NS_PER_MS 1000000ull

static const char *
set_probe_interval(struct se_config *cfg, const char *val)
{
	uint32_t v;
	const char *why = se_config_parse_u32(val, 10, 3600000, &v);

	if (why == NULL)
		cfg->probe.interval = v * NS_PER_MS;
	return why;
}

static const char *
set_probe_timeout(struct se_config *cfg, const char *val)
{
	uint32_t v;
	const char *why = se_config_parse_u32(val, 1, 3600000, &v);

	if (why == NULL) {
		cfg->probe.timeout = v * NS_PER_MS;
		cfg->has_probe_timeout = true;
	}
	return why;
}

static const char *
set_probe_fail(struct se_config *cfg, const char *val)
{
	return se_config_parse_u32(val, 1, 1000, &cfg->probe.fail_n);
}

static const char *
set_probe_ok(struct se_config *cfg, const char *val)
{
	return se_config_parse_u32(val, 1, 1000, &cfg->probe.ok_n);
}

static const char *
set_probe_codes(struct se_config *cfg, const char *val)
{
	int rc = se_health_codes_parse(&cfg->probe, val);

	if (rc == -ENOSPC)
		return "at most 16 codes or ranges";
	return rc != 0 ? "expected codes 200..699 or ranges, e.g. 200,202-299" : NULL;
}

static const char *
set_probe_off(struct se_config *cfg, const char *val)
{
	RTE_SET_USED(val);
	cfg->probe_off = true;
	return NULL;
}

static const char *
set_metrics(struct se_config *cfg, const char *val)
{
	int rc = se_net_parse_addr_port(val, &cfg->metrics_addr, &cfg->metrics_port);

	if (rc != 0)
		return rc == -EAFNOSUPPORT ? "IPv6 is not supported yet" : "expected ADDR:PORT";
	cfg->has_metrics = true;
	return NULL;
}

static const char *
set_churn(struct se_config *cfg, const char *val)
{
	return se_config_parse_u32(val, 100, 1000000, &cfg->churn_us);
}

/* The one option table: getopt_long's table and --help are made from it. */
static const struct opt opts[] = {
	{ "port", "ID,ip=ADDR/PREFIX[,gw=ADDR][,mtu=N]",
	  "port to drive (repeatable): first external, second internal", set_port },
	{ "sip-port", "N", "UDP port of SIP (5060)", set_sip_port },
	{ "stats-interval", "S", "print counters every S seconds (0: only at exit)",
	  set_stats_interval },
	{ "idle-sleep-us", "N", "workers sleep N us after an empty poll (50; 0: busy poll)",
	  set_idle_sleep },
	{ "neigh", "IP,MAC", "static neighbour entry (repeatable)", set_neigh },
	{ "mode", "forward|passthrough", "passthrough: send every frame back untouched", set_mode },
	{ "backend", "ADDR:PORT[,weight=W][,prio=P][,set=S][,state=...]",
	  "a backend (repeatable; IPv6 as [ADDR]:PORT)", set_backend },
	{ "backends-file", "FILE", "backends in Kamailio dispatcher.list format", set_backends_file },
	{ "set", "S[,key=call-id|from-user|to-uri|ruri-user|src-addr][,size=N]",
	  "options of set S (repeatable)", set_set },
	{ "call-set", "S", "set for calls and other requests (1)", set_call_set },
	{ "register-set", "S", "set for REGISTER (default: the call set)", set_register_set },
	{ "nat-detect", "LIST", "NAT tests on client messages, or none "
	  "(contact-private,via-received,via-rport-differs)", set_nat_detect },
	{ "forward-to", "ADDR:PORT", "test stage: forward every SIP datagram there, unchanged",
	  set_forward_to },
	{ "exit-idle-ms", "N", "exit N ms after the last received frame (tests)", set_exit_idle },
	{ "mbufs", "N", "mbufs per NUMA socket pool (default: sized from queues)", set_mbufs },
	{ "probe-interval", "MS", "health probe (OPTIONS) of each backend every MS ms (1000)",
	  set_probe_interval },
	{ "probe-timeout", "MS", "a probe without a final reply after MS ms failed (500, < interval)",
	  set_probe_timeout },
	{ "probe-fail", "N", "N consecutive failed probes take a backend down (3)", set_probe_fail },
	{ "probe-ok", "N", "N consecutive good probes bring it back up (2)", set_probe_ok },
	{ "probe-codes", "LIST", "reply codes that mean alive, e.g. 200,202-299 (200)",
	  set_probe_codes },
	{ "probe-off", NULL, "no probes: every backend is up unless configured otherwise",
	  set_probe_off },
	{ "metrics", "ADDR:PORT", "Prometheus /metrics on this kernel-stack address", set_metrics },
	{ "bench-churn-us", "N", "benchmarks: republish the backend table every N us",
	  set_churn },
	/* the guard (lib/guard, config_guard.c) */
	{ "guard", "on|off", "the guard: ACL, floods, scanners, sanity replies (on)",
	  se_config_set_guard },
	{ "allow", "PREFIX", "listed peer: no rate limit, may use trusted sets (repeatable)",
	  se_config_set_allow },
	{ "deny", "PREFIX", "drop sources in PREFIX; the longest prefix wins (repeatable)",
	  se_config_set_deny },
	{ "trusted-set", "S", "set S takes new requests from --allow peers only (repeatable)",
	  se_config_set_trusted_set },
	{ "rate-limit", "RPS[,burst=N]", "token bucket per source address (off)",
	  se_config_set_rate_limit },
	{ "ban-seconds", "N", "ban a source over its bucket for N s (60; 0: drop the excess)",
	  se_config_set_ban_seconds },
	{ "flood-reply", "503|drop", "answer banned sources 503 (rate-limited) or not (drop)",
	  se_config_set_flood_reply },
	{ "guard-sources", "N", "sources tracked per worker, LRU beyond (65536)",
	  se_config_set_guard_sources },
	{ "scanner-ua", "TEXT|none", "scanner User-Agent (repeatable; replaces friendly-scanner, "
	  "sipvicious, sipcli, ...)", se_config_set_scanner_ua },
	{ "scanner-ban", "S", "ban a scanner's source for S seconds (0: none)",
	  se_config_set_scanner_ban },
	{ "sanity-replies", "on|off", "answer 400/505/513/420 to refused requests (on)",
	  se_config_set_sanity_replies },
	{ "max-message-size", "N", "answer 513 above N bytes (0: no limit)",
	  se_config_set_max_message_size },
	{ "proxy-option", "TAG", "option tag accepted in Proxy-Require (repeatable)",
	  se_config_set_proxy_option },
	{ "guard-reply-rate", "RPS[,burst=N]", "guard replies per worker (100,burst=20)",
	  se_config_set_guard_reply_rate },
	{ "help", NULL, "this text", NULL },
};

#define NB_OPTS (sizeof(opts) / sizeof(opts[0]))

static void
usage(FILE *f, const char *prog)
{
	fprintf(f, "usage: %s [EAL options] -- [options]\n\noptions:\n", prog);
	for (size_t i = 0; i < NB_OPTS; i++) {
		char left[80];

		snprintf(left, sizeof(left), "--%s%s%s", opts[i].name, opts[i].arg ? " " : "",
			 opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-46s %s\n", left, opts[i].help);
	}
	fprintf(f, "\nEAL options come first: -l (main lcore = control core, the others are\n"
		"workers), -a PCI address or --vdev for each port. Example:\n"
		"  %s -l 0-2 -a 0000:3b:00.0 -a 0000:3b:00.1 -- \\\n"
		"    --port 0,ip=203.0.113.1/24,gw=203.0.113.254 --port 1,ip=198.51.100.1/24 \\\n"
		"    --backend 198.51.100.11:5060 --backend 198.51.100.12:5060\n", prog);
}

int
se_config_eal_argc(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return argc;
}

static void
defaults(struct se_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->sip_port = 5060;
	cfg->idle_sleep_us = 50;
	cfg->mode = SE_MODE_FORWARD;
	cfg->call_set = SE_DISPATCH_DEFAULT_SET;
	cfg->nat_detect = SE_NAT_DETECT_DEFAULT;
	cfg->probe.interval = 1000 * NS_PER_MS;
	cfg->probe.timeout = 500 * NS_PER_MS;
	cfg->probe.fail_n = 3;
	cfg->probe.ok_n = 2;
	se_health_codes_parse(&cfg->probe, "200");
	se_config_guard_defaults(cfg);
}

void
se_config_free(struct se_config *cfg)
{
	se_dispatch_config_free(cfg->dispatch);
	cfg->dispatch = NULL;
	se_config_guard_free(cfg);
}

/* What only the whole command line shows. */
static const char *
check_all(struct se_config *cfg)
{
	bool call = false, reg = false;
	const char *why;

	if (cfg->nb_ports == 0)
		return "at least one --port is needed";
	if (!cfg->has_register_set)
		cfg->register_set = cfg->call_set;
	/* the default timeout fits a short interval: half of it, at most 500 ms */
	if (!cfg->has_probe_timeout)
		cfg->probe.timeout = RTE_MIN(500 * NS_PER_MS, cfg->probe.interval / 2);
	if (cfg->probe.timeout > cfg->probe.interval)
		return "--probe-timeout is longer than --probe-interval";
	/* an ICMP error about call traffic may ask for an early probe, at most this often */
	cfg->probe.min_gap = RTE_MIN(cfg->probe.interval, 10 * NS_PER_MS);
	if (se_health_params_check(&cfg->probe) != 0)
		return "probe settings are inconsistent";
	why = se_config_guard_check(cfg);
	if (why != NULL)
		return why;
	if (cfg->has_forward_to || cfg->mode == SE_MODE_PASSTHROUGH)
		return NULL;
	if (se_dispatch_config_count(cfg->dispatch) == 0)
		return "no --backend or --backends-file: nothing to balance to";
	for (unsigned int i = 0; i < se_dispatch_config_count(cfg->dispatch); i++) {
		uint32_t set = se_dispatch_config_backend(cfg->dispatch, i)->set_id;

		call |= set == cfg->call_set;
		reg |= set == cfg->register_set;
	}
	if (!call)
		return "the call set (--call-set, default 1) has no backend";
	if (!reg)
		return "the --register-set has no backend";
	if (se_dispatch_config_check(cfg->dispatch, dispatch_err, sizeof(dispatch_err)) != 0)
		return dispatch_err;
	return NULL;
}

int
se_config_parse(struct se_config *cfg, int argc, char **argv)
{
	struct option lopts[NB_OPTS + 1];
	int eal = se_config_eal_argc(argc, argv);
	const char *prog = argc > 0 ? argv[0] : "sipedge";
	const char *why_all;
	int n, c, idx;
	char **av;

	defaults(cfg);
	cfg->dispatch = se_dispatch_config_create();
	if (cfg->dispatch == NULL)
		return -ENOMEM;
	if (eal == argc) {
		/* no "--": a bare --help is ours, anything else is left to EAL */
		for (int i = 1; i < argc; i++)
			if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
				usage(stdout, prog);
				return 1;
			}
		fprintf(stderr, "%s: no options after \"--\": at least one --port is needed\n",
			prog);
		usage(stderr, prog);
		return -EINVAL;
	}
	memset(lopts, 0, sizeof(lopts));
	for (size_t i = 0; i < NB_OPTS; i++) {
		lopts[i].name = opts[i].name;
		lopts[i].has_arg = opts[i].arg ? required_argument : no_argument;
		lopts[i].val = 0;
	}
	/* getopt_long over a private copy: argv[0] then our part */
	n = argc - eal;
	av = calloc((size_t)n + 1, sizeof(*av));
	if (av == NULL)
		return -ENOMEM;
	av[0] = argv[0];
	for (int i = 1; i < n; i++)
		av[i] = argv[eal + i];
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(n, av, ":", lopts, &idx)) != -1) {
		const char *why;

		if (c == '?' || c == ':') {
			const char *bad = av[optind - 1];

			fprintf(stderr, "%s: %s option '%s'\n", prog,
				c == ':' ? "missing value for" : "unknown", bad);
			free(av);
			return -EINVAL;
		}
		if (opts[idx].set == NULL) {
			usage(stdout, prog);
			free(av);
			return 1;
		}
		why = opts[idx].set(cfg, optarg);
		if (why != NULL) {
			fprintf(stderr, "%s: invalid --%s '%s': %s\n", prog, opts[idx].name, optarg,
				why);
			free(av);
			return -EINVAL;
		}
	}
	if (optind < n) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog, av[optind]);
		free(av);
		return -EINVAL;
	}
	free(av);
	/* EAL parses its part with getopt too: start it from a clean state */
	optind = 0;
	why_all = check_all(cfg);
	if (why_all != NULL) {
		fprintf(stderr, "%s: %s\n", prog, why_all);
		return -EINVAL;
	}
	return 0;
}
