/* SPDX-License-Identifier: BSD-3-Clause */
/* The guard's options (lib/guard): the setters config.c's option table names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static const char *
on_off(const char *val, bool *v)
{
	if (strcmp(val, "on") == 0)
		*v = true;
	else if (strcmp(val, "off") == 0)
		*v = false;
	else
		return "expected on or off";
	return NULL;
}

void
se_config_guard_defaults(struct se_config *cfg)
{
	se_guard_params_defaults(&cfg->guard);
}

void
se_config_guard_free(struct se_config *cfg)
{
	free(cfg->acl);
	cfg->acl = NULL;
	cfg->nb_acl = 0;
}

const char *
se_config_set_guard(struct se_config *cfg, const char *val)
{
	bool on = true;
	const char *why = on_off(val, &on);

	cfg->guard_off = !on;
	return why;
}

static const char *
add_rule(struct se_config *cfg, const char *val, enum se_guard_acl_action action)
{
	struct se_guard_acl_rule r;
	struct se_guard_acl_rule *more;

	switch (se_guard_prefix_parse(val, &r.prefix)) {
	case 0:
		break;
	case -ERANGE:
		return "prefix length beyond 32 (IPv4) or 128 (IPv6)";
	case -EDOM:
		return "address bits set beyond the prefix length";
	default:
		return "expected ADDR/LEN or ADDR, IPv4 or IPv6";
	}
	if (cfg->nb_acl >= SE_CONFIG_MAX_ACL)
		return "too many --allow and --deny";
	more = realloc(cfg->acl, (cfg->nb_acl + 1) * sizeof(*more));
	if (more == NULL)
		return "out of memory";
	r.action = (uint8_t)action;
	cfg->acl = more;
	cfg->acl[cfg->nb_acl++] = r;
	return NULL;
}

const char *
se_config_set_allow(struct se_config *cfg, const char *val)
{
	return add_rule(cfg, val, SE_GUARD_ACL_ALLOW);
}

const char *
se_config_set_deny(struct se_config *cfg, const char *val)
{
	return add_rule(cfg, val, SE_GUARD_ACL_DENY);
}

const char *
se_config_set_trusted_set(struct se_config *cfg, const char *val)
{
	uint32_t s;
	const char *why = se_config_parse_u32(val, 0, SE_DISPATCH_MAX_SET_ID, &s);

	if (why != NULL)
		return why;
	if (cfg->nb_trusted >= SE_CONFIG_MAX_TRUSTED)
		return "too many trusted sets";
	cfg->trusted_sets[cfg->nb_trusted++] = s;
	return NULL;
}

const char *
se_config_set_rate_limit(struct se_config *cfg, const char *val)
{
	if (se_guard_rate_parse(val, &cfg->guard.rate, &cfg->guard.burst) != 0)
		return "expected RPS[,burst=N] (RPS 1..10000000, N 1..100000000)";
	return NULL;
}

const char *
se_config_set_ban_seconds(struct se_config *cfg, const char *val)
{
	return se_config_parse_u32(val, 0, 7 * 86400, &cfg->guard.ban_s);
}

const char *
se_config_set_flood_reply(struct se_config *cfg, const char *val)
{
	if (strcmp(val, "503") == 0)
		cfg->guard.flood_reply = SE_GUARD_FLOOD_503;
	else if (strcmp(val, "drop") == 0)
		cfg->guard.flood_reply = SE_GUARD_FLOOD_DROP;
	else
		return "expected 503 or drop";
	return NULL;
}

const char *
se_config_set_guard_sources(struct se_config *cfg, const char *val)
{
	return se_config_parse_u32(val, 1, SE_GUARD_MAX_SOURCES, &cfg->guard.sources);
}

const char *
se_config_set_scanner_ua(struct se_config *cfg, const char *val)
{
	if (!cfg->guard_ua_given) {
		/* the first --scanner-ua replaces the default list */
		se_guard_ua_clear(&cfg->guard.ua);
		cfg->guard_ua_given = true;
	}
	if (strcmp(val, "none") == 0)
		return NULL;
	switch (se_guard_ua_add(&cfg->guard.ua, val)) {
	case 0:
		return NULL;
	case -ENOSPC:
		return "too many scanner patterns";
	default:
		return "empty, or longer than 63 bytes";
	}
}

const char *
se_config_set_scanner_ban(struct se_config *cfg, const char *val)
{
	return se_config_parse_u32(val, 0, 7 * 86400, &cfg->guard.scanner_ban_s);
}

const char *
se_config_set_sanity_replies(struct se_config *cfg, const char *val)
{
	return on_off(val, &cfg->guard.sanity);
}

const char *
se_config_set_max_message_size(struct se_config *cfg, const char *val)
{
	const char *why = se_config_parse_u32(val, 0, SE_SIP_MAX_LEN, &cfg->guard.max_size);

	if (why == NULL && cfg->guard.max_size != 0 && cfg->guard.max_size < 256)
		return "0 (no limit) or 256..65535";
	return why;
}

const char *
se_config_set_proxy_option(struct se_config *cfg, const char *val)
{
	switch (se_guard_params_add_option(&cfg->guard, val)) {
	case 0:
		return NULL;
	case -ENOSPC:
		return "too many option tags";
	default:
		return "not an option tag (a token of at most 31 bytes)";
	}
}

const char *
se_config_set_guard_reply_rate(struct se_config *cfg, const char *val)
{
	if (se_guard_rate_parse(val, &cfg->guard.reply_rate, &cfg->guard.reply_burst) != 0)
		return "expected RPS[,burst=N] (RPS 1..10000000, N 1..100000000)";
	return NULL;
}

const char *
se_config_guard_check(struct se_config *cfg)
{
	static char why[128];
	bool allow = false;
	unsigned int bad;

	if (se_guard_acl_check(cfg->acl, cfg->nb_acl, &bad) != 0) {
		snprintf(why, sizeof(why), "--allow/--deny #%u: that prefix is allowed and denied",
			 bad + 1);
		return why;
	}
	for (uint32_t i = 0; i < cfg->nb_acl; i++)
		allow |= cfg->acl[i].action == SE_GUARD_ACL_ALLOW;
	for (uint32_t i = 0; i < cfg->nb_trusted; i++) {
		uint32_t s = cfg->trusted_sets[i];

		if (s != cfg->call_set && s != cfg->register_set) {
			snprintf(why, sizeof(why),
				 "--trusted-set %u: new requests go to the call set (%u) and the "
				 "register set (%u) only", s, cfg->call_set, cfg->register_set);
			return why;
		}
		if (!allow)
			return "--trusted-set needs --allow: the peers it admits";
	}
	return NULL;
}
