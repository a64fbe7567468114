/* SPDX-License-Identifier: BSD-3-Clause */
#include "se_stats.h"

static const char *const names[SE_STAT_COUNT] = {
#define X_(id, kind, name, help) [SE_STAT_##id] = name,
	SE_STATS_FOREACH(X_)
#undef X_
};

static const char *const kinds[SE_STAT_COUNT] = {
#define X_(id, kind, name, help) [SE_STAT_##id] = #kind,
	SE_STATS_FOREACH(X_)
#undef X_
};

static const char *const helps[SE_STAT_COUNT] = {
#define X_(id, kind, name, help) [SE_STAT_##id] = help,
	SE_STATS_FOREACH(X_)
#undef X_
};

const char *
se_stats_name(enum se_stat_id id)
{
	return (unsigned)id < SE_STAT_COUNT ? names[id] : "unknown";
}

const char *
se_stats_kind(enum se_stat_id id)
{
	return (unsigned)id < SE_STAT_COUNT ? kinds[id] : "unknown";
}

const char *
se_stats_help(enum se_stat_id id)
{
	return (unsigned)id < SE_STAT_COUNT ? helps[id] : "";
}

void
se_stats_add(struct se_stats *dst, const struct se_stats *src)
{
	for (unsigned int i = 0; i < SE_STAT_COUNT; i++)
		dst->c[i] += src->c[i];
	for (unsigned int i = 0; i < SE_SIP_STATUS_COUNT; i++)
		dst->sip_err[i] += src->sip_err[i];
}

void
se_stats_walk(const struct se_stats *st, bool skip_zero, se_stats_walk_fn fn, void *arg)
{
	for (unsigned int i = 0; i < SE_STAT_COUNT; i++)
		if (!skip_zero || st->c[i] != 0)
			fn(arg, "", names[i], kinds[i], helps[i], st->c[i]);
	for (unsigned int i = 1; i < SE_SIP_STATUS_COUNT; i++)
		if (!skip_zero || st->sip_err[i] != 0)
			fn(arg, SE_STATS_SIP_ERR_PREFIX, se_sip_status_name(i), "drop",
			   se_sip_strerror(i), st->sip_err[i]);
}
