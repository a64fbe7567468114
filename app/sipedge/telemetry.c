/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_telemetry.h>

#include "backends.h"
#include "mailbox.h"
#include "telemetry.h"

/* How long a telemetry client waits for the control core to take its request. */
#define WAIT_MS 2000

static void
add_stat(void *arg, const char *prefix, const char *name, const char *kind, const char *help,
	 uint64_t value)
{
	char key[RTE_TEL_MAX_STRING_LEN];

	RTE_SET_USED(kind);
	RTE_SET_USED(help);
	snprintf(key, sizeof(key), "%s%s", prefix, name);
	rte_tel_data_add_dict_u64(arg, key, value);
}

static int
error_dict(struct rte_tel_data *d, const char *why)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "error", why);
	return 0;
}

static int
call_failed(struct rte_tel_data *d, int rc)
{
	return error_dict(d, rc == -ESHUTDOWN ? "sipedge is stopping" :
			  "the control core did not answer in time");
}

static int
cb_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	int rc;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rc = se_mailbox_call(&se_mailbox, SE_MB_VIEW, NULL, WAIT_MS);
	if (rc != 0)
		return call_failed(d, rc);
	rte_tel_data_start_dict(d);
	se_stats_walk(&se_mailbox.view.totals, false, add_stat, d);
	se_mailbox_end(&se_mailbox);
	return 0;
}

/* One backend as a dict container (freed by the telemetry library). */
static struct rte_tel_data *
backend_dict(const struct se_mb_view *v, const struct se_mb_backend *b)
{
	struct rte_tel_data *c = rte_tel_data_alloc();
	const struct se_mb_target *t = &v->targets[b->target];
	char reason[64];

	if (c == NULL)
		return NULL;
	rte_tel_data_start_dict(c);
	rte_tel_data_add_dict_string(c, "address", b->name);
	rte_tel_data_add_dict_u64(c, "set", b->set_id);
	rte_tel_data_add_dict_u64(c, "weight", b->weight);
	rte_tel_data_add_dict_int(c, "priority", b->priority);
	rte_tel_data_add_dict_string(c, "state", se_dispatch_state_name(b->state));
	rte_tel_data_add_dict_string(c, "admin", se_admin_name(b->admin));
	if (b->code != 0)
		snprintf(reason, sizeof(reason), "%s %u",
			 se_health_reason_name((enum se_health_reason)b->reason), b->code);
	else
		snprintf(reason, sizeof(reason), "%s",
			 se_health_reason_name((enum se_health_reason)b->reason));
	rte_tel_data_add_dict_string(c, "last_transition", reason);
	rte_tel_data_add_dict_u64(c, "since_ms", (v->now_ns - b->changed_ns) / 1000000);
	rte_tel_data_add_dict_string(c, "health", se_health_state_name(t->h.state));
	rte_tel_data_add_dict_string(c, "last_failure", t->h.n_sent == t->h.n_ok ? "none" :
				     se_health_reason_name((enum se_health_reason)t->h.last_fail));
	rte_tel_data_add_dict_u64(c, "probed", t->probed);
	rte_tel_data_add_dict_u64(c, "probe_rtt_us", t->h.rtt / 1000);
	rte_tel_data_add_dict_u64(c, "probes_sent", t->h.n_sent);
	rte_tel_data_add_dict_u64(c, "probes_ok", t->h.n_ok);
	rte_tel_data_add_dict_u64(c, "probes_failed",
				  t->h.n_refused + t->h.n_timeout + t->h.n_unreachable);
	rte_tel_data_add_dict_u64(c, "requests", b->msgs);
	rte_tel_data_add_dict_u64(c, "new_dialogs", b->dialogs);
	return c;
}

static int
cb_backends(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct se_mb_view *v = &se_mailbox.view;
	struct se_dispatch_addr only;
	bool filter = false;
	unsigned long first = 0;
	unsigned int listed = 0;
	char *end;
	int rc;

	RTE_SET_USED(cmd);
	if (params != NULL && *params != '\0') {
		first = strtoul(params, &end, 10);
		if (*end != '\0' || strchr(params, '.') != NULL || strchr(params, ':') != NULL) {
			const char *why;

			first = 0;
			if (se_dispatch_addr_parse(params, strlen(params), 5060, &only, &why) != 0)
				return error_dict(d, why);
			filter = true;
		}
	}
	rc = se_mailbox_call(&se_mailbox, SE_MB_VIEW, NULL, WAIT_MS);
	if (rc != 0)
		return call_failed(d, rc);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "table_version", v->table_version);
	rte_tel_data_add_dict_u64(d, "publications", v->publications);
	rte_tel_data_add_dict_string(d, "probing", v->probing ? "on" : "off");
	rte_tel_data_add_dict_u64(d, "count", v->n_backends);
	for (unsigned long i = first; i < v->n_backends && listed < SE_TELEMETRY_PAGE; i++) {
		const struct se_mb_backend *b = &v->backends[i];
		struct se_dispatch_addr a;
		struct rte_tel_data *c;
		char key[RTE_TEL_MAX_STRING_LEN];

		if (filter) {
			se_dispatch_addr_parse(b->name, strlen(b->name), 5060, &a, NULL);
			if (memcmp(&a, &only, sizeof(a)) != 0)
				continue;
		}
		c = backend_dict(v, b);
		if (c == NULL)
			break;
		/* keys are [A-Za-z0-9_/] only: the address is a field inside */
		snprintf(key, sizeof(key), "backend%lu", i);
		rte_tel_data_add_dict_container(d, key, c, 0);
		listed++;
	}
	if (!filter && first + listed < v->n_backends)
		rte_tel_data_add_dict_u64(d, "next", first + listed);
	se_mailbox_end(&se_mailbox);
	return 0;
}

static int
command(int op, const char *params, struct rte_tel_data *d)
{
	int rc;

	if (params == NULL || *params == '\0')
		return error_dict(d, "give a backend: /sipedge/<command>,ADDR:PORT");
	rc = se_mailbox_call(&se_mailbox, op, params, WAIT_MS);
	if (rc != 0)
		return call_failed(d, rc);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "backend", params);
	rte_tel_data_add_dict_string(d, se_mailbox.rc == 0 ? "result" : "error",
				     se_mailbox.reply);
	se_mailbox_end(&se_mailbox);
	return 0;
}

static int
cb_drain(const char *cmd, const char *params, struct rte_tel_data *d)
{
	RTE_SET_USED(cmd);
	return command(SE_MB_DRAIN, params, d);
}

static int
cb_undrain(const char *cmd, const char *params, struct rte_tel_data *d)
{
	RTE_SET_USED(cmd);
	return command(SE_MB_UNDRAIN, params, d);
}

static int
cb_disable(const char *cmd, const char *params, struct rte_tel_data *d)
{
	RTE_SET_USED(cmd);
	return command(SE_MB_DISABLE, params, d);
}

static int
cb_enable(const char *cmd, const char *params, struct rte_tel_data *d)
{
	RTE_SET_USED(cmd);
	return command(SE_MB_ENABLE, params, d);
}

int
se_telemetry_init(void)
{
	static const struct {
		const char *cmd;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{ "/sipedge/stats", cb_stats, "Every counter, summed over workers. No parameters" },
		{ "/sipedge/backends", cb_backends,
		  "Backends: state, last transition, probes, traffic. Parameter: first index or "
		  "ADDR:PORT" },
		{ "/sipedge/drain", cb_drain,
		  "No new dialogs to a backend; in-dialog requests still reach it. Parameter: "
		  "ADDR:PORT" },
		{ "/sipedge/undrain", cb_undrain, "Back from draining. Parameter: ADDR:PORT" },
		{ "/sipedge/disable", cb_disable,
		  "Nothing new reaches a backend. Parameter: ADDR:PORT" },
		{ "/sipedge/enable", cb_enable,
		  "Back from disabled or draining. Parameter: ADDR:PORT" },
	};

	for (size_t i = 0; i < RTE_DIM(cmds); i++) {
		int rc = rte_telemetry_register_cmd(cmds[i].cmd, cmds[i].fn, cmds[i].help);

		if (rc != 0)
			return rc;
	}
	return 0;
}
