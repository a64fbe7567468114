/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /sipedge/guard: the guard's settings, its counters summed over the
 * workers, and the sources with the most drops, with their ban state. The
 * offenders are parallel arrays (top_addr[i], top_drops[i], ...): DPDK
 * 22.11's telemetry nests arrays in a dictionary, not dictionaries.
 *
 * The telemetry thread reads the workers' source tables while they change
 * (lib/guard reads every field atomically: a snapshot). A lock keeps the
 * daemon from freeing the workers while a command runs; workers never take it.
 */
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_spinlock.h>
#include <rte_telemetry.h>

#include "guard.h"

/** Most offenders one command lists. */
#define TOP_MAX 64
/** Offenders listed when the command has no parameter. */
#define TOP_DEFAULT 16

static rte_spinlock_t tel_lock = RTE_SPINLOCK_INITIALIZER;
static const struct se_app *tel_app;
static bool registered;

/* The counters of the guard's decisions, as lib/stats names them. */
static const enum se_stat_id guard_stats[] = {
	SE_STAT_DROP_GUARD_ACL, SE_STAT_GUARD_ACL_ALLOWED, SE_STAT_DROP_GUARD_BANNED,
	SE_STAT_DROP_GUARD_RATE, SE_STAT_GUARD_BANS, SE_STAT_GUARD_EVICTIONS,
	SE_STAT_DROP_GUARD_SCANNER, SE_STAT_DROP_GUARD_UNTRUSTED, SE_STAT_DROP_GUARD_TOO_LARGE,
	SE_STAT_DROP_GUARD_REPLY_LIMIT, SE_STAT_REPLY_400, SE_STAT_REPLY_420, SE_STAT_REPLY_503,
	SE_STAT_REPLY_505, SE_STAT_REPLY_513, SE_STAT_DROP_SIP_PARSE,
};

struct offender {
	struct se_guard_src_info s;
	uint16_t worker;
};

/* Merge one worker's best into the overall best (both sorted by drops, most first). */
static unsigned int
merge(struct offender *best, unsigned int nb, unsigned int cap,
      const struct se_guard_src_info *w, unsigned int nw, uint16_t worker)
{
	for (unsigned int i = 0; i < nw; i++) {
		unsigned int j;

		if (nb == cap && w[i].drops <= best[nb - 1].s.drops)
			break;
		j = nb < cap ? nb++ : cap - 1;
		while (j > 0 && w[i].drops > best[j - 1].s.drops) {
			best[j] = best[j - 1];
			j--;
		}
		best[j].s = w[i];
		best[j].worker = worker;
	}
	return nb;
}

static int
add_u64_array(struct rte_tel_data *d, const char *name, const struct offender *o,
	      unsigned int n, uint64_t (*get)(const struct offender *, uint64_t), uint64_t hz)
{
	struct rte_tel_data *a = rte_tel_data_alloc();

	if (a == NULL)
		return -1;
	rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
	for (unsigned int i = 0; i < n; i++)
		rte_tel_data_add_array_u64(a, get(&o[i], hz));
	return rte_tel_data_add_dict_container(d, name, a, 0);
}

static uint64_t
get_drops(const struct offender *o, uint64_t hz)
{
	RTE_SET_USED(hz);
	return o->s.drops;
}

static uint64_t
get_banned(const struct offender *o, uint64_t hz)
{
	RTE_SET_USED(hz);
	return o->s.ban_left != 0;
}

static uint64_t
get_ban_left_s(const struct offender *o, uint64_t hz)
{
	return (o->s.ban_left + hz - 1) / hz;
}

static uint64_t
get_bans(const struct offender *o, uint64_t hz)
{
	RTE_SET_USED(hz);
	return o->s.bans;
}

static uint64_t
get_worker(const struct offender *o, uint64_t hz)
{
	RTE_SET_USED(hz);
	return o->worker;
}

static void
describe(const struct se_app *a, struct rte_tel_data *d, unsigned int want)
{
	static struct offender best[TOP_MAX];
	struct se_guard_src_info top[TOP_MAX];
	const struct se_guard_params *g = &a->guard;
	uint64_t now = rte_rdtsc(), hz = rte_get_tsc_hz(), used = 0;
	struct rte_tel_data *addrs;
	unsigned int nb = 0;

	rte_tel_data_add_dict_int(d, "enabled", 1);
	rte_tel_data_add_dict_u64(d, "acl_rules", a->cfg.nb_acl);
	rte_tel_data_add_dict_u64(d, "rate_limit", g->rate);
	rte_tel_data_add_dict_u64(d, "burst", g->burst != 0 ? g->burst : g->rate);
	rte_tel_data_add_dict_u64(d, "ban_seconds", g->ban_s);
	rte_tel_data_add_dict_string(d, "flood_reply",
				     g->flood_reply == SE_GUARD_FLOOD_503 ? "503" : "drop");
	rte_tel_data_add_dict_u64(d, "scanner_patterns", g->ua.n);
	rte_tel_data_add_dict_u64(d, "scanner_ban_seconds", g->scanner_ban_s);
	rte_tel_data_add_dict_int(d, "sanity_replies", g->sanity);
	rte_tel_data_add_dict_u64(d, "max_message_size", g->max_size);
	rte_tel_data_add_dict_u64(d, "reply_rate_per_worker", g->reply_rate);
	rte_tel_data_add_dict_u64(d, "sources_per_worker", g->sources);
	for (unsigned int i = 0; i < RTE_DIM(guard_stats); i++) {
		uint64_t sum = 0;

		for (uint16_t w = 0; w < a->nb_workers; w++)
			if (a->workers[w] != NULL)
				sum += a->workers[w]->stats.c[guard_stats[i]];
		rte_tel_data_add_dict_u64(d, se_stats_name(guard_stats[i]), sum);
	}
	for (uint16_t w = 0; w < a->nb_workers; w++) {
		const struct se_guard_src *t;
		unsigned int n;

		if (a->workers[w] == NULL || a->workers[w]->guard == NULL)
			continue;
		t = se_guard_sources(a->workers[w]->guard);
		used += se_guard_src_used(t);
		n = se_guard_src_top(t, now, top, want);
		nb = merge(best, nb, want, top, n, w);
	}
	rte_tel_data_add_dict_u64(d, "sources_tracked", used);
	addrs = rte_tel_data_alloc();
	if (addrs == NULL)
		return;
	rte_tel_data_start_array(addrs, RTE_TEL_STRING_VAL);
	for (unsigned int i = 0; i < nb; i++) {
		char s[64];

		if (se_guard_key_format(&best[i].s.key, s, sizeof(s)) < 0)
			strcpy(s, "?");
		rte_tel_data_add_array_string(addrs, s);
	}
	rte_tel_data_add_dict_container(d, "top_addr", addrs, 0);
	add_u64_array(d, "top_drops", best, nb, get_drops, hz);
	add_u64_array(d, "top_banned", best, nb, get_banned, hz);
	add_u64_array(d, "top_ban_left_s", best, nb, get_ban_left_s, hz);
	add_u64_array(d, "top_bans", best, nb, get_bans, hz);
	add_u64_array(d, "top_worker", best, nb, get_worker, hz);
}

static int
guard_cmd(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned int want = TOP_DEFAULT;

	RTE_SET_USED(cmd);
	if (params != NULL && *params != '\0') {
		char *end;
		unsigned long n = strtoul(params, &end, 10);

		if (*end != '\0' || n == 0 || n > TOP_MAX)
			return -1;
		want = (unsigned int)n;
	}
	rte_tel_data_start_dict(d);
	rte_spinlock_lock(&tel_lock);
	if (tel_app == NULL)
		rte_tel_data_add_dict_int(d, "enabled", 0);
	else
		describe(tel_app, d, want);
	rte_spinlock_unlock(&tel_lock);
	return 0;
}

void
se_telemetry_guard_register(const struct se_app *a)
{
	rte_spinlock_lock(&tel_lock);
	tel_app = a;
	rte_spinlock_unlock(&tel_lock);
	if (!registered)
		registered = rte_telemetry_register_cmd("/sipedge/guard", guard_cmd,
			"Guard settings, counters and top offending sources. Parameters: int "
			"(sources listed, 1..64, default 16)") == 0;
}

void
se_telemetry_guard_unregister(void)
{
	rte_spinlock_lock(&tel_lock);
	tel_app = NULL;
	rte_spinlock_unlock(&tel_lock);
}
