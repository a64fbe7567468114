/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_random.h>

#include "app.h"
#include "backends.h"
#include "control.h"

static volatile sig_atomic_t reload_asked;
static volatile sig_atomic_t dump_asked;

static const char *const admin_names[SE_ADMIN_COUNT] = {
	[SE_ADMIN_ENABLED] = "enabled",
	[SE_ADMIN_DRAINING] = "draining",
	[SE_ADMIN_DISABLED] = "disabled",
};

const char *
se_admin_name(enum se_admin a)
{
	return (unsigned int)a < SE_ADMIN_COUNT ? admin_names[a] : "?";
}

static void
on_hup(int sig)
{
	RTE_SET_USED(sig);
	reload_asked = 1;
}

static void
on_usr1(int sig)
{
	RTE_SET_USED(sig);
	dump_asked = 1;
}

void
se_backends_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
}

/* ---------------------------------------------------------------------------
 * Targets, slots, entries
 */

static int
target_find(const struct se_registry *r, const struct se_dispatch_addr *addr)
{
	for (uint32_t i = 0; i < r->n_targets; i++)
		if (r->targets[i].used && memcmp(&r->targets[i].addr, addr, sizeof(*addr)) == 0)
			return (int)i;
	return -1;
}

/* The target of @addr, made if new: down and never answered (or up with probing off). */
static int
target_get(struct se_registry *r, const struct se_dispatch_backend *b, uint64_t now)
{
	int i = target_find(r, &b->addr);
	struct se_target *t;

	if (i >= 0)
		return i;
	for (i = 0; i < (int)r->n_targets; i++)
		if (!r->targets[i].used)
			break;
	if (i == SE_DISPATCH_MAX_BACKENDS)
		return -1;
	if (i == (int)r->n_targets)
		r->n_targets++;
	t = &r->targets[i];
	memset(t, 0, sizeof(*t));
	t->addr = b->addr;
	memcpy(t->name, b->name, sizeof(t->name));
	t->used = true;
	if (b->addr.family == AF_INET)
		memcpy(&t->ip, b->addr.bytes, 4);
	t->probed = r->probing && b->addr.family == AF_INET;
	se_health_init(&t->h, now, !r->probing);
	return i;
}

/* Sums of a slot over the workers: requests and new dialogs. */
static void
slot_sums(const struct se_app *a, uint32_t slot, uint64_t *msgs, uint64_t *dialogs)
{
	*msgs = 0;
	*dialogs = 0;
	for (uint16_t i = 0; i < a->nb_workers; i++) {
		const struct se_worker *w = a->workers[i];

		if (w == NULL)
			continue;
		*msgs += __atomic_load_n(&w->be_msgs[slot], __ATOMIC_RELAXED);
		*dialogs += __atomic_load_n(&w->be_dialogs[slot], __ATOMIC_RELAXED);
	}
}

/* A free slot; what earlier owners counted there becomes its base. */
static int
slot_get(struct se_app *a)
{
	struct se_registry *r = a->reg;

	for (uint32_t s = 0; s < SE_DISPATCH_MAX_BACKENDS; s++) {
		if (r->slot_used[s])
			continue;
		r->slot_used[s] = true;
		slot_sums(a, s, &r->slot_base[s][0], &r->slot_base[s][1]);
		return (int)s;
	}
	return -1;
}

static enum se_admin
admin_of_conf(uint8_t conf)
{
	switch (conf) {
	case SE_DISPATCH_DRAINING:
		return SE_ADMIN_DRAINING;
	case SE_DISPATCH_DISABLED:
		return SE_ADMIN_DISABLED;
	default:
		return SE_ADMIN_ENABLED;
	}
}

static uint8_t
effective(const struct se_registry *r, const struct se_entry *e)
{
	if (e->admin == SE_ADMIN_DISABLED)
		return SE_DISPATCH_DISABLED;
	if (e->held || r->targets[e->target].h.state == SE_HEALTH_DOWN)
		return SE_DISPATCH_DOWN;
	if (e->admin == SE_ADMIN_DRAINING)
		return SE_DISPATCH_DRAINING;
	return SE_DISPATCH_UP;
}

/* A fresh entry for backend @b: its target, a slot, what it was configured with. */
static int
entry_init(struct se_app *a, struct se_entry *e, const struct se_dispatch_backend *b,
	   uint64_t now)
{
	struct se_registry *r = a->reg;
	int t = target_get(r, b, now), s;

	if (t < 0)
		return -ENOSPC;
	s = slot_get(a);
	if (s < 0)
		return -ENOSPC;
	memset(e, 0, sizeof(*e));
	e->target = (uint32_t)t;
	e->slot = (uint32_t)s;
	e->conf = b->state;
	e->admin = (uint8_t)admin_of_conf(b->state);
	e->held = !r->probing && b->state == SE_DISPATCH_DOWN;
	e->state = effective(r, e);
	if (e->held || e->admin != SE_ADMIN_ENABLED) {
		e->reason = SE_HEALTH_REASON_OPERATOR;
	} else {
		e->reason = r->targets[t].h.reason;
		e->code = r->targets[t].h.code;
	}
	e->changed_ns = now;
	return 0;
}

/* "timeout", "code 503", "reply 200, rtt 0.41 ms", "operator" ... */
static void
reason_text(const struct se_registry *r, const struct se_entry *e, char *buf, size_t len)
{
	const struct se_target *t = &r->targets[e->target];

	switch (e->reason) {
	case SE_HEALTH_REASON_CODE:
		snprintf(buf, len, "code %u, %u consecutive failure(s)", e->code, t->h.fails);
		break;
	case SE_HEALTH_REASON_REPLY:
		snprintf(buf, len, "reply %u, rtt %.2f ms", e->code, (double)t->h.rtt / 1e6);
		break;
	case SE_HEALTH_REASON_TIMEOUT:
	case SE_HEALTH_REASON_UNREACHABLE:
		snprintf(buf, len, "%s, %u consecutive failure(s)",
			 se_health_reason_name(e->reason), t->h.fails);
		break;
	default:
		snprintf(buf, len, "%s", se_health_reason_name(e->reason));
		break;
	}
}

/* Entry @i should be in @state now, for @why: log once, count, mark the table dirty. */
static void
entry_move(struct se_app *a, unsigned int i, uint8_t state, enum se_health_reason why,
	   uint16_t code, uint64_t now)
{
	struct se_registry *r = a->reg;
	struct se_entry *e = &r->entries[i];
	const struct se_dispatch_backend *b = se_dispatch_config_backend(r->cfg, i);
	uint8_t from = e->state;
	char text[96];

	if (from == state)
		return;
	e->state = state;
	e->reason = (uint8_t)why;
	e->code = code;
	e->changed_ns = now;
	se_dispatch_config_set_state(r->cfg, i, state);
	r->dirty = true;
	if (state == SE_DISPATCH_UP)
		a->ctrl_stats.c[SE_STAT_BACKEND_TO_UP]++;
	else if (from == SE_DISPATCH_UP)
		a->ctrl_stats.c[SE_STAT_BACKEND_FROM_UP]++;
	reason_text(r, e, text, sizeof(text));
	SE_APP_LOG(NOTICE, "backend %s set %u: %s -> %s (%s)", b->name, b->set_id,
		   se_dispatch_state_name(from), se_dispatch_state_name(state), text);
}

void
se_backends_health_changed(struct se_app *a, uint32_t target, uint64_t now)
{
	struct se_registry *r = a->reg;
	const struct se_health *h = &r->targets[target].h;

	for (unsigned int i = 0; i < se_dispatch_config_count(r->cfg); i++)
		if (r->entries[i].target == target)
			entry_move(a, i, effective(r, &r->entries[i]),
				   (enum se_health_reason)h->reason, h->code, now);
}

int
se_backends_find_target(const struct se_app *a, uint32_t ip, uint16_t port)
{
	const struct se_registry *r = a->reg;

	if (r == NULL)
		return -1;
	for (uint32_t i = 0; i < r->n_targets; i++) {
		const struct se_target *t = &r->targets[i];

		if (t->used && t->ip == ip && t->addr.port == port)
			return (int)i;
	}
	return -1;
}

/* ---------------------------------------------------------------------------
 * Publication
 */

static void
publish(struct se_app *a)
{
	struct se_registry *r = a->reg;
	struct se_dispatch_table *t = se_dispatch_table_build(r->cfg);

	if (t == NULL) {
		/* stays dirty: the next tick tries again, the running table stays */
		SE_APP_LOG(ERR, "backend table: %s; the running table stays", strerror(errno));
		return;
	}
	se_dispatch_publish(&a->dispatch, t);
	a->ctrl_stats.c[SE_STAT_TABLES_PUBLISHED]++;
	r->dirty = false;
}

/* ---------------------------------------------------------------------------
 * Startup
 */

/* The command line's part of the configuration: everything but --backends-file's lines. */
static struct se_dispatch_config *
base_config(const struct se_config *c)
{
	struct se_dispatch_config *base = se_dispatch_config_copy(c->dispatch), *file;
	char err[256];

	if (base == NULL || c->backends_file == NULL)
		return base;
	file = se_dispatch_config_create();
	if (file == NULL) {
		se_dispatch_config_free(base);
		return NULL;
	}
	if (se_dispatch_config_load_file(file, c->backends_file, err, sizeof(err)) < 0) {
		SE_APP_LOG(WARNING, "%s changed since startup (%s): SIGHUP will add to every "
			   "backend given at startup", c->backends_file, err);
	} else {
		for (unsigned int i = 0; i < se_dispatch_config_count(file); i++) {
			const struct se_dispatch_backend *b = se_dispatch_config_backend(file, i);
			int k = se_dispatch_config_find(base, b->set_id, &b->addr);

			if (k >= 0)
				se_dispatch_config_del(base, (unsigned int)k);
		}
	}
	se_dispatch_config_free(file);
	return base;
}

static void
log_probe_settings(const struct se_app *a)
{
	const struct se_health_params *p = &a->reg->hp;
	char codes[160];
	size_t off = 0;

	if (!a->reg->probing) {
		SE_APP_LOG(INFO, "health probes off (--probe-off): every backend is up unless "
			   "configured otherwise");
		return;
	}
	codes[0] = '\0';
	for (unsigned int i = 0; i < p->n_codes && off < sizeof(codes); i++) {
		if (p->codes[i].lo == p->codes[i].hi)
			off += (size_t)snprintf(codes + off, sizeof(codes) - off, "%s%u",
						i ? "," : "", p->codes[i].lo);
		else
			off += (size_t)snprintf(codes + off, sizeof(codes) - off, "%s%u-%u",
						i ? "," : "", p->codes[i].lo, p->codes[i].hi);
	}
	SE_APP_LOG(INFO, "health probes: OPTIONS every %" PRIu64 " ms, timeout %" PRIu64
		   " ms, down after %u failures, up after %u successes, alive codes %s; "
		   "a backend is down until it first answers",
		   p->interval / 1000000, p->timeout / 1000000, p->fail_n, p->ok_n, codes);
}

int
se_backends_init(struct se_app *a)
{
	const struct se_config *c = &a->cfg;
	struct se_proxy_params *pp = &a->proxy;
	struct se_registry *r;
	uint64_t now = se_now_ns();
	unsigned int n;
	char tests[128];

	se_dispatch_pub_init(&a->dispatch, a->qs);
	if (c->has_forward_to || c->mode == SE_MODE_PASSTHROUGH)
		return 0;
	pp->ext_ip = c->ports[0].addr.v4;
	pp->int_ip = c->ports[c->nb_ports - 1].addr.v4;
	pp->sip_port = c->sip_port;
	pp->two_sided = c->nb_ports == 2;
	pp->call_set = c->call_set;
	pp->register_set = c->register_set;
	/* Branches must differ between edges, not be secret: derive them from who we are. */
	pp->seed = se_dispatch_hash(pp, offsetof(struct se_proxy_params, seed));
	pp->nat_detect = c->nat_detect;
	se_proxy_init(pp);
	se_nat_detect_format(pp->nat_detect, tests, sizeof(tests));
	SE_APP_LOG(INFO, "NAT detection on client messages: %s", tests);

	r = calloc(1, sizeof(*r));
	if (r != NULL) {
		r->targets = calloc(SE_DISPATCH_MAX_BACKENDS, sizeof(*r->targets));
		r->entries = calloc(SE_DISPATCH_MAX_BACKENDS, sizeof(*r->entries));
		r->base = base_config(c);
	}
	a->reg = r;
	if (r == NULL || r->targets == NULL || r->entries == NULL || r->base == NULL) {
		SE_APP_LOG(ERR, "backend registry: out of memory");
		return 1;
	}
	r->cfg = c->dispatch;
	r->hp = c->probe;
	r->probing = !c->probe_off;
	/* a stale reply from an earlier run, or a guessed one, must not match */
	r->key = rte_rand() ^ pp->seed;
	r->start_ns = now;
	n = se_dispatch_config_count(r->cfg);
	for (unsigned int i = 0; i < n; i++) {
		const struct se_dispatch_backend *b = se_dispatch_config_backend(r->cfg, i);

		if (entry_init(a, &r->entries[i], b, now) != 0)
			return 2;
		se_dispatch_config_set_tag(r->cfg, i, r->entries[i].slot);
		se_dispatch_config_set_state(r->cfg, i, r->entries[i].state);
	}
	if (n > 0) {
		r->churn_weight = se_dispatch_config_backend(r->cfg, 0)->weight;
		r->churn_next_ns = now;
	}
	log_probe_settings(a);
	for (uint32_t i = 0; i < r->n_targets; i++) {
		const struct se_target *t = &r->targets[i];

		if (t->addr.family != AF_INET) {
			if (r->probing)
				SE_APP_LOG(WARNING, "backend %s: IPv6 is not probed (the data plane "
					   "is IPv4 only): it stays down", t->name);
			continue;
		}
		/* resolve now: the first call or probe to a backend should not wait for ARP */
		if (se_net_ctrl_resolve(a->ctrl, t->ip) == -ENETUNREACH)
			SE_APP_LOG(WARNING, "backend %s: no port reaches it (add gw= to a --port)",
				   t->name);
	}
	se_backends_log(a);
	{
		struct se_dispatch_table *t = se_dispatch_table_build(r->cfg);

		if (t == NULL) {
			SE_APP_LOG(ERR, "backend table: %s", strerror(errno));
			return 2;
		}
		se_dispatch_publish(&a->dispatch, t);
		a->ctrl_stats.c[SE_STAT_TABLES_PUBLISHED]++;
	}
	return 0;
}

void
se_backends_fini(struct se_app *a)
{
	struct se_registry *r = a->reg;

	if (r == NULL)
		return;
	se_dispatch_config_free(r->base);
	free(r->targets);
	free(r->entries);
	free(r);
	a->reg = NULL;
}

void
se_backends_log(const struct se_app *a)
{
	const struct se_registry *r = a->reg;
	uint64_t now = se_now_ns();

	if (r == NULL)
		return;
	for (unsigned int i = 0; i < se_dispatch_config_count(r->cfg); i++) {
		const struct se_dispatch_backend *b = se_dispatch_config_backend(r->cfg, i);
		const struct se_entry *e = &r->entries[i];
		const struct se_target *t = &r->targets[e->target];
		uint64_t msgs, dialogs;
		char text[96];

		slot_sums(a, e->slot, &msgs, &dialogs);
		reason_text(r, e, text, sizeof(text));
		SE_APP_LOG(INFO, "backend %s set %u weight %u prio %d: %s for %.1f s (%s%s%s); "
			   "probes %" PRIu64 " sent, %" PRIu64 " ok, %" PRIu64 " failed; "
			   "%" PRIu64 " requests, %" PRIu64 " new dialogs",
			   b->name, b->set_id, b->weight, b->priority,
			   se_dispatch_state_name(e->state),
			   (double)(now > e->changed_ns ? now - e->changed_ns : 0) / 1e9, text,
			   e->admin != SE_ADMIN_ENABLED ? ", " : "",
			   e->admin != SE_ADMIN_ENABLED ? se_admin_name(e->admin) : "",
			   t->h.n_sent, t->h.n_ok,
			   t->h.n_refused + t->h.n_timeout + t->h.n_unreachable,
			   msgs - r->slot_base[e->slot][0], dialogs - r->slot_base[e->slot][1]);
	}
}

/* ---------------------------------------------------------------------------
 * SIGHUP: reread --backends-file
 */

/* What only the whole file shows: the call and register sets still have backends. */
static const char *
check_sets(const struct se_config *c, const struct se_dispatch_config *nc)
{
	bool call = false, reg = false;

	for (unsigned int i = 0; i < se_dispatch_config_count(nc); i++) {
		uint32_t set = se_dispatch_config_backend(nc, i)->set_id;

		call |= set == c->call_set;
		reg |= set == c->register_set;
	}
	if (!call)
		return "the call set would have no backend";
	if (!reg)
		return "the register set would have no backend";
	return NULL;
}

static int
refuse(struct se_app *a, int rc, const char *why)
{
	a->ctrl_stats.c[SE_STAT_CONFIG_REFUSED]++;
	SE_APP_LOG(ERR, "SIGHUP: %s refused: %s; the running table stays",
		   a->cfg.backends_file, why);
	return rc;
}

/* The entries of @nc, carrying over what the registry knows of those that stay. */
static int
merge(struct se_app *a, struct se_dispatch_config *nc, struct se_entry *ne, bool *kept,
      uint64_t now)
{
	struct se_registry *r = a->reg;
	unsigned int n = se_dispatch_config_count(nc);

	for (unsigned int j = 0; j < n; j++) {
		const struct se_dispatch_backend *b = se_dispatch_config_backend(nc, j);
		int k = se_dispatch_config_find(r->cfg, b->set_id, &b->addr);
		struct se_entry *e = &ne[j];

		if (k < 0) {
			if (entry_init(a, e, b, now) != 0) {
				/* give back the slots taken for this list */
				for (unsigned int x = 0; x < j; x++)
					if (se_dispatch_config_find(r->cfg,
						se_dispatch_config_backend(nc, x)->set_id,
						&se_dispatch_config_backend(nc, x)->addr) < 0)
						r->slot_used[ne[x].slot] = false;
				return -ENOSPC;
			}
			SE_APP_LOG(NOTICE, "SIGHUP: backend %s set %u weight %u prio %d added: %s",
				   b->name, b->set_id, b->weight, b->priority,
				   se_dispatch_state_name(e->state));
		} else {
			const struct se_dispatch_backend *o = se_dispatch_config_backend(r->cfg,
										 (unsigned int)k);

			*e = r->entries[k];
			kept[k] = true;
			if (b->weight != o->weight || b->priority != o->priority)
				SE_APP_LOG(NOTICE, "SIGHUP: backend %s set %u: weight %u -> %u, "
					   "prio %d -> %d", b->name, b->set_id, o->weight,
					   b->weight, o->priority, b->priority);
			/* an edited flag is the operator speaking; otherwise what is known stays */
			if (b->state != e->conf) {
				e->conf = b->state;
				e->admin = (uint8_t)admin_of_conf(b->state);
				e->held = !r->probing && b->state == SE_DISPATCH_DOWN;
				SE_APP_LOG(NOTICE, "SIGHUP: backend %s set %u: configured %s",
					   b->name, b->set_id, se_dispatch_state_name(b->state));
			}
		}
		r->targets[e->target].used = true;
		se_dispatch_config_set_tag(nc, j, e->slot);
		se_dispatch_config_set_state(nc, j, e->state);
	}
	return 0;
}

int
se_backends_reload(struct se_app *a)
{
	struct se_registry *r = a->reg;
	struct se_dispatch_config *nc, *old;
	struct se_entry *ne, *oe;
	unsigned int n_old;
	uint64_t now = se_now_ns();
	bool *kept;
	const char *why;
	char err[256];
	int rc;

	if (r == NULL)
		return 0;
	if (a->cfg.backends_file == NULL) {
		SE_APP_LOG(WARNING, "SIGHUP: no --backends-file to reread");
		return 0;
	}
	nc = se_dispatch_config_copy(r->base);
	if (nc == NULL)
		return refuse(a, -ENOMEM, "out of memory");
	rc = se_dispatch_config_load_file(nc, a->cfg.backends_file, err, sizeof(err));
	if (rc < 0 || (rc = se_dispatch_config_check(nc, err, sizeof(err))) < 0) {
		se_dispatch_config_free(nc);
		return refuse(a, rc, err);
	}
	why = check_sets(&a->cfg, nc);
	if (why != NULL) {
		se_dispatch_config_free(nc);
		return refuse(a, -EINVAL, why);
	}
	n_old = se_dispatch_config_count(r->cfg);
	ne = calloc(SE_DISPATCH_MAX_BACKENDS, sizeof(*ne));
	kept = calloc(n_old + 1, sizeof(*kept));
	if (ne == NULL || kept == NULL) {
		free(ne);
		free(kept);
		se_dispatch_config_free(nc);
		return refuse(a, -ENOMEM, "out of memory");
	}
	/* every target is unused until an entry of the new list takes it */
	for (uint32_t i = 0; i < r->n_targets; i++)
		r->targets[i].used = false;
	for (unsigned int i = 0; i < n_old; i++)
		r->targets[r->entries[i].target].used = true;
	rc = merge(a, nc, ne, kept, now);
	if (rc != 0) {
		for (uint32_t i = 0; i < r->n_targets; i++)
			r->targets[i].used = false;
		for (unsigned int i = 0; i < n_old; i++)
			r->targets[r->entries[i].target].used = true;
		free(ne);
		free(kept);
		se_dispatch_config_free(nc);
		return refuse(a, rc, "more backends than the table holds");
	}
	for (unsigned int i = 0; i < n_old; i++)
		if (!kept[i]) {
			const struct se_dispatch_backend *b = se_dispatch_config_backend(r->cfg, i);

			SE_APP_LOG(NOTICE, "SIGHUP: backend %s set %u removed (was %s)", b->name,
				   b->set_id, se_dispatch_state_name(r->entries[i].state));
		}
	/* targets only removed entries had: no more probes */
	for (uint32_t i = 0; i < r->n_targets; i++)
		r->targets[i].used = false;
	for (unsigned int j = 0; j < se_dispatch_config_count(nc); j++)
		r->targets[ne[j].target].used = true;

	old = r->cfg;
	oe = r->entries;
	r->cfg = nc;
	a->cfg.dispatch = nc;
	r->entries = ne;
	/* a changed configured state moves the published one */
	for (unsigned int j = 0; j < se_dispatch_config_count(nc); j++)
		entry_move(a, j, effective(r, &ne[j]), SE_HEALTH_REASON_OPERATOR, 0, now);
	publish(a);
	/*
	 * After the grace period no worker counts in a removed backend's slot
	 * any more; if the table could not be published, the old one still
	 * names those slots and they stay taken.
	 */
	for (unsigned int i = 0; i < n_old && !r->dirty; i++)
		if (!kept[i])
			r->slot_used[oe[i].slot] = false;
	se_dispatch_config_free(old);
	free(oe);
	free(kept);
	a->ctrl_stats.c[SE_STAT_CONFIG_RELOADS]++;
	SE_APP_LOG(NOTICE, "SIGHUP: %s applied: %u backends", a->cfg.backends_file,
		   se_dispatch_config_count(nc));
	return 0;
}

/* ---------------------------------------------------------------------------
 * Operator commands and the view (through the mailbox)
 */

static int
command(struct se_app *a, int op, const char *arg, char *reply, size_t len)
{
	struct se_registry *r = a->reg;
	struct se_dispatch_addr addr;
	const char *why = NULL;
	uint64_t now = se_now_ns();
	size_t off = 0;
	unsigned int hits = 0;

	if (se_dispatch_addr_parse(arg, strlen(arg), 5060, &addr, &why) != 0) {
		snprintf(reply, len, "'%s': %s", arg, why);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < se_dispatch_config_count(r->cfg); i++) {
		const struct se_dispatch_backend *b = se_dispatch_config_backend(r->cfg, i);
		struct se_entry *e = &r->entries[i];

		if (memcmp(&b->addr, &addr, sizeof(addr)) != 0)
			continue;
		hits++;
		switch (op) {
		case SE_MB_DRAIN:
			e->admin = SE_ADMIN_DRAINING;
			break;
		case SE_MB_UNDRAIN:
			if (e->admin == SE_ADMIN_DRAINING)
				e->admin = SE_ADMIN_ENABLED;
			break;
		case SE_MB_DISABLE:
			e->admin = SE_ADMIN_DISABLED;
			break;
		case SE_MB_ENABLE:
			e->admin = SE_ADMIN_ENABLED;
			e->held = false;
			break;
		}
		entry_move(a, i, effective(r, e), SE_HEALTH_REASON_OPERATOR, 0, now);
		if (off < len)
			off += (size_t)snprintf(reply + off, len - off, "%sset %u: %s (%s)",
						hits > 1 ? "; " : "", b->set_id,
						se_dispatch_state_name(e->state),
						se_admin_name(e->admin));
	}
	if (hits == 0) {
		snprintf(reply, len, "no backend %s", arg);
		return -ENOENT;
	}
	if (r->dirty)
		publish(a);
	return 0;
}

static void
fill_view(struct se_app *a, struct se_mb_view *v)
{
	struct se_registry *r = a->reg;
	const struct se_dispatch_table *t = se_dispatch_current(&a->dispatch);
	uint32_t map[SE_DISPATCH_MAX_BACKENDS];
	uint64_t now = se_now_ns();

	se_control_totals(a, &v->totals);
	v->now_ns = now;
	v->uptime_ns = r != NULL ? now - r->start_ns : 0;
	v->table_version = t != NULL ? t->version : 0;
	v->publications = a->ctrl_stats.c[SE_STAT_TABLES_PUBLISHED];
	v->probing = r != NULL && r->probing;
	v->n_backends = 0;
	v->n_targets = 0;
	if (r == NULL)
		return;
	for (uint32_t i = 0; i < r->n_targets; i++) {
		const struct se_target *tg = &r->targets[i];

		if (!tg->used)
			continue;
		map[i] = v->n_targets;
		memcpy(v->targets[v->n_targets].name, tg->name, sizeof(tg->name));
		v->targets[v->n_targets].probed = tg->probed;
		v->targets[v->n_targets].h = tg->h;
		v->n_targets++;
	}
	for (unsigned int i = 0; i < se_dispatch_config_count(r->cfg); i++) {
		const struct se_dispatch_backend *b = se_dispatch_config_backend(r->cfg, i);
		const struct se_entry *e = &r->entries[i];
		struct se_mb_backend *vb = &v->backends[v->n_backends++];
		uint64_t msgs, dialogs;

		memcpy(vb->name, b->name, sizeof(vb->name));
		vb->set_id = b->set_id;
		vb->priority = b->priority;
		vb->weight = b->weight;
		vb->state = e->state;
		vb->admin = e->admin;
		vb->reason = e->reason;
		vb->code = e->code;
		vb->target = map[e->target];
		vb->changed_ns = e->changed_ns;
		slot_sums(a, e->slot, &msgs, &dialogs);
		vb->msgs = msgs - r->slot_base[e->slot][0];
		vb->dialogs = dialogs - r->slot_base[e->slot][1];
	}
}

void
se_backends_on_request(void *arg, struct se_mailbox *mb)
{
	struct se_app *a = arg;

	mb->rc = 0;
	if (mb->op == SE_MB_VIEW) {
		fill_view(a, &mb->view);
		return;
	}
	if (a->reg == NULL) {
		snprintf(mb->reply, sizeof(mb->reply), "no backends in this mode");
		mb->rc = -ENOTSUP;
		return;
	}
	if (mb->op <= SE_MB_VIEW || mb->op >= SE_MB_OP_COUNT) {
		snprintf(mb->reply, sizeof(mb->reply), "unknown request");
		mb->rc = -EINVAL;
		return;
	}
	mb->rc = command(a, mb->op, mb->arg, mb->reply, sizeof(mb->reply));
}

/* ---------------------------------------------------------------------------
 * The tick
 */

/* --bench-churn-us: flip the first backend's weight, so every table differs from the last. */
static void
churn(struct se_app *a, uint64_t now)
{
	struct se_registry *r = a->reg;

	if (a->cfg.churn_us == 0 || se_dispatch_config_count(r->cfg) == 0 ||
	    now < r->churn_next_ns)
		return;
	r->churn_flip = !r->churn_flip;
	se_dispatch_config_set_weight(r->cfg, 0, r->churn_weight + (r->churn_flip ? 1u : 0u));
	r->churn_next_ns = now + (uint64_t)a->cfg.churn_us * 1000;
	r->dirty = true;
}

void
se_backends_tick(struct se_app *a, uint64_t now)
{
	se_mailbox_poll(&se_mailbox, se_backends_on_request, a);
	if (a->reg == NULL)
		return;
	if (reload_asked) {
		reload_asked = 0;
		se_backends_reload(a);
	}
	if (dump_asked) {
		dump_asked = 0;
		se_backends_log(a);
	}
	churn(a, now);
	if (a->reg->dirty)
		publish(a);
}
