/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_CONFIG_H_
#define _SE_CONFIG_H_

/**
 * @file
 * The daemon's command line: `sipedge [EAL options] -- [options]`.
 *
 * Options are one table in config.c (name, argument, help, setter), from
 * which getopt_long's table and --help are generated: adding an option is
 * one line there and one setter. Everything that can be checked without EAL
 * is checked here, so a bad command line starts nothing.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "se_dispatch.h"
#include "se_nat.h"
#include "se_health.h"
#include "se_guard.h"
#include "se_net_proto.h"

/** Ports the daemon drives: external, then internal. */
#define SE_CONFIG_MAX_PORTS 2
/** Static neighbours (--neigh). */
#define SE_CONFIG_MAX_NEIGH 256
/** Most --allow and --deny rules. */
#define SE_CONFIG_MAX_ACL 65536
/** Most --trusted-set. */
#define SE_CONFIG_MAX_TRUSTED 8

/** One --port. */
struct se_config_port {
	uint16_t port_id;        /**< ethdev port id */
	struct se_net_addr addr; /**< our address */
	uint8_t prefix_len;      /**< on-link prefix */
	struct se_net_addr gw;   /**< gateway, family SE_NET_AF_NONE if none */
	uint16_t mtu;            /**< 0 = 1500 */
};

/** One --neigh. */
struct se_config_neigh {
	struct se_net_addr addr;   /**< neighbour address */
	struct rte_ether_addr mac; /**< its MAC */
};

/** What the workers do with a frame. */
enum se_config_mode {
	SE_MODE_FORWARD = 0, /**< full L2/L3/UDP path and the SIP stage */
	SE_MODE_PASSTHROUGH, /**< send every frame back out untouched (I/O floor) */
};

/** The parsed command line. */
struct se_config {
	uint16_t nb_ports;                               /**< --port count */
	struct se_config_port ports[SE_CONFIG_MAX_PORTS]; /**< --port, in order */
	uint16_t sip_port;                               /**< --sip-port (5060) */
	uint32_t stats_interval_s;                       /**< --stats-interval (0: at exit only) */
	uint32_t idle_sleep_us;                          /**< --idle-sleep-us (50) */
	uint32_t nb_neigh;                               /**< --neigh count */
	struct se_config_neigh neigh[SE_CONFIG_MAX_NEIGH]; /**< --neigh entries */
	enum se_config_mode mode;                        /**< --mode */
	bool has_forward_to;                             /**< --forward-to given */
	struct se_net_addr forward_addr;                 /**< --forward-to address */
	uint16_t forward_port;                           /**< --forward-to port */
	uint32_t exit_idle_ms;                           /**< --exit-idle-ms (0: until a signal) */
	uint32_t nb_mbufs;                               /**< --mbufs (0: sized automatically) */
	struct se_dispatch_config *dispatch;             /**< --backend, --backends-file, --set */
	const char *backends_file;                       /**< --backends-file (reread on SIGHUP) */
	uint32_t call_set;                               /**< --call-set (SE_DISPATCH_DEFAULT_SET) */
	uint32_t register_set;                           /**< --register-set (call_set if not given) */
	bool has_register_set;                           /**< --register-set given */
	uint32_t nat_detect;                             /**< --nat-detect (SE_NAT_*; 0: off) */
	struct se_health_params probe;                   /**< --probe-interval/-timeout/-fail/-ok/-codes */
	bool probe_off;                                  /**< --probe-off: every backend up, no probes */
	bool has_probe_timeout;                          /**< --probe-timeout given */
	bool has_metrics;                                /**< --metrics given */
	struct se_net_addr metrics_addr;                 /**< --metrics address (kernel stack) */
	uint16_t metrics_port;                           /**< --metrics port */
	uint32_t churn_us;                               /**< --bench-churn-us (0: off) */
	/* the guard (lib/guard): options in config_guard.c */
	bool guard_off;                                  /**< --guard off */
	struct se_guard_params guard;                    /**< --rate-limit, --scanner-ua... */
	bool guard_ua_given;                             /**< --scanner-ua given */
	struct se_guard_acl_rule *acl;                   /**< --allow and --deny, in order */
	uint32_t nb_acl;                                 /**< their count */
	uint32_t trusted_sets[SE_CONFIG_MAX_TRUSTED];    /**< --trusted-set */
	uint32_t nb_trusted;                             /**< their count */
};

/**
 * Fill @p cfg from the options after "--" in @p argv (the part before is
 * EAL's). Prints a message naming the option and value on error, or the
 * usage for --help.
 * @return 0 to run, 1 if --help was printed, -EINVAL on a bad command line
 */
int se_config_parse(struct se_config *cfg, int argc, char **argv);

/** Free what se_config_parse() allocated (NULL-safe on a zeroed config). */
void se_config_free(struct se_config *cfg);

/**
 * Number of leading @p argv entries that belong to EAL (everything before
 * "--"; all of them if there is no "--").
 */
int se_config_eal_argc(int argc, char **argv);

/**
 * Parse @p s as a decimal integer in [@p min, @p max] into @p v.
 * @return NULL, or why the value is wrong (for the setters' messages)
 */
const char *se_config_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v);

/*
 * The guard's options (config_guard.c): each setter returns NULL, or why the
 * value is wrong, like the setters of config.c.
 */

/** Guard defaults (lib/guard's, and the scanner list). */
void se_config_guard_defaults(struct se_config *cfg);
/** What only the whole command line shows: trusted sets, ACL conflicts. NULL when fine. */
const char *se_config_guard_check(struct se_config *cfg);
/** Free the ACL rules. */
void se_config_guard_free(struct se_config *cfg);
/** --guard on|off */
const char *se_config_set_guard(struct se_config *cfg, const char *val);
/** --allow PREFIX */
const char *se_config_set_allow(struct se_config *cfg, const char *val);
/** --deny PREFIX */
const char *se_config_set_deny(struct se_config *cfg, const char *val);
/** --trusted-set S */
const char *se_config_set_trusted_set(struct se_config *cfg, const char *val);
/** --rate-limit RPS[,burst=N] */
const char *se_config_set_rate_limit(struct se_config *cfg, const char *val);
/** --ban-seconds N */
const char *se_config_set_ban_seconds(struct se_config *cfg, const char *val);
/** --flood-reply 503|drop */
const char *se_config_set_flood_reply(struct se_config *cfg, const char *val);
/** --guard-sources N */
const char *se_config_set_guard_sources(struct se_config *cfg, const char *val);
/** --scanner-ua TEXT|none */
const char *se_config_set_scanner_ua(struct se_config *cfg, const char *val);
/** --scanner-ban S */
const char *se_config_set_scanner_ban(struct se_config *cfg, const char *val);
/** --sanity-replies on|off */
const char *se_config_set_sanity_replies(struct se_config *cfg, const char *val);
/** --max-message-size N */
const char *se_config_set_max_message_size(struct se_config *cfg, const char *val);
/** --proxy-option TAG */
const char *se_config_set_proxy_option(struct se_config *cfg, const char *val);
/** --guard-reply-rate RPS[,burst=N] */
const char *se_config_set_guard_reply_rate(struct se_config *cfg, const char *val);

#endif /* _SE_CONFIG_H_ */
