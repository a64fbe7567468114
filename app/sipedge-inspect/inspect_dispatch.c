/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dispatch decision in sipedge-inspect: which backend a new call would
 * go to, with the daemon's options and library, so an operator can check a
 * backend list against captured traffic before deploying it.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "inspect_dispatch.h"
#include "se_dispatch.h"

static struct se_dispatch_config *cfg;
static struct se_dispatch_table *table;
static unsigned set_idx;
static bool set_given;
static uint32_t set_id = SE_DISPATCH_DEFAULT_SET;

bool
inspect_dispatch_takes(const char *opt)
{
	return strcmp(opt, "--backend") == 0 || strcmp(opt, "--backends-file") == 0 ||
	       strcmp(opt, "--set") == 0 || strcmp(opt, "--dispatch-set") == 0;
}

bool
inspect_dispatch_enabled(void)
{
	return cfg != NULL;
}

int
inspect_dispatch_add(const char *opt, const char *val)
{
	char err[512];
	int rc;

	if (cfg == NULL) {
		cfg = se_dispatch_config_create();
		if (cfg == NULL) {
			fprintf(stderr, "sipedge-inspect: out of memory\n");
			return 2;
		}
	}
	if (strcmp(opt, "--dispatch-set") == 0) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(val, &end, 10);
		if (errno != 0 || end == val || *end != '\0' || val[0] == '-' ||
		    v > SE_DISPATCH_MAX_SET_ID) {
			fprintf(stderr, "sipedge-inspect: --dispatch-set %s: set id must be "
				"0..2147483647\n", val);
			return 2;
		}
		set_id = (uint32_t)v;
		set_given = true;
		return 0;
	}
	if (strcmp(opt, "--backend") == 0)
		rc = se_dispatch_config_add_arg(cfg, val, err, sizeof(err));
	else if (strcmp(opt, "--set") == 0)
		rc = se_dispatch_config_set_arg(cfg, val, err, sizeof(err));
	else
		rc = se_dispatch_config_load_file(cfg, val, err, sizeof(err));
	if (rc < 0) {
		/* Option errors name their option; file errors start with the path. */
		if (strcmp(opt, "--backends-file") == 0)
			fprintf(stderr, "sipedge-inspect: --backends-file %s\n", err);
		else
			fprintf(stderr, "sipedge-inspect: %s\n", err);
		return 2;
	}
	return 0;
}

int
inspect_dispatch_ready(void)
{
	char err[512];
	int s;

	if (cfg == NULL)
		return 0;
	if (se_dispatch_config_check(cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "sipedge-inspect: %s\n", err);
		return 2;
	}
	table = se_dispatch_table_build(cfg);
	if (table == NULL) {
		fprintf(stderr, "sipedge-inspect: cannot build the backend table: %s\n",
			strerror(errno));
		return 2;
	}
	if (table->n_sets == 0) {
		fprintf(stderr, "sipedge-inspect: no backend and no set given\n");
		return 2;
	}
	s = se_dispatch_set_index(table, set_id);
	if (s < 0 && set_given) {
		fprintf(stderr, "sipedge-inspect: --dispatch-set %u: no such set\n", set_id);
		return 2;
	}
	/* Without --dispatch-set: set 1 as the daemon's default, else the lowest id. */
	set_idx = s >= 0 ? (unsigned)s : 0;
	set_id = table->sets[set_idx].set_id;
	return 0;
}

static void
emit_null(FILE *out, const char *reason)
{
	fprintf(out, ",\"backend\":null,\"backend_reason\":\"%s\"", reason);
}

void
inspect_dispatch_emit(FILE *out, const uint8_t *buf, size_t len, const struct se_sip_msg *msg,
		      enum se_sip_status st, void *arg)
{
	const struct se_dispatch_set *set = &table->sets[set_idx];
	uint32_t src_ip = *(const uint32_t *)arg;
	struct se_dispatch_key key;
	const struct se_dispatch_backend *b;

	(void)len;
	fprintf(out, ",\"dispatch_set\":%u,\"dispatch_key\":", set_id);
	if (st != SE_SIP_OK) {
		fputs("null", out);
		emit_null(out, "invalid_message");
		return;
	}
	if (!msg->is_request) {
		/* Responses follow their Via back; no backend is chosen for them. */
		fputs("null", out);
		emit_null(out, "response");
		return;
	}
	if (se_dispatch_key(table, set_idx, buf, msg, &msg->ruri_uri, src_ip, &key) != 0) {
		fputs("null", out);
		emit_null(out, "no_key");
		return;
	}
	fprintf(out, "\"%s\"", se_dispatch_key_name((enum se_dispatch_key_kind)key.kind));
	if (key.kind == SE_DISPATCH_KEY_SRC_ADDR && src_ip == 0) {
		emit_null(out, "no_source_address");
		return;
	}
	b = se_dispatch_backend(table, se_dispatch_lookup(table, set_idx,
							  se_dispatch_key_hash(&key)));
	if (b == NULL) {
		emit_null(out, set->count == 0 ? "empty_set" : "no_up_backend");
		return;
	}
	fprintf(out, ",\"backend\":\"%s\",\"backend_reason\":null", b->name);
}

void
inspect_dispatch_fini(void)
{
	se_dispatch_table_free(table);
	se_dispatch_config_free(cfg);
	table = NULL;
	cfg = NULL;
}
