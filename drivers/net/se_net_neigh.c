/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "se_net_neigh.h"

static uint32_t
pow2_at_least(uint32_t n)
{
	uint32_t p = 16;

	while (p < n)
		p <<= 1;
	return p;
}

struct se_net_neigh_table *
se_net_neigh_table_build(const struct se_net_neigh *e, uint32_t n, uint64_t version)
{
	/* at most half full: every probe sequence meets an empty slot */
	uint32_t slots = pow2_at_least(n * 2 + 1);
	struct se_net_neigh_table *t;

	if (n > UINT32_MAX / 4) {
		errno = ENOMEM;
		return NULL;
	}
	t = calloc(1, sizeof(*t) + (size_t)slots * sizeof(t->slots[0]));
	if (t == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	t->version = version;
	t->mask = slots - 1;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t i;

		if (e[k].ip == 0)
			continue;
		for (i = se_net_neigh_hash(e[k].port, e[k].ip) & t->mask;; i = (i + 1) & t->mask) {
			struct se_net_neigh *s = &t->slots[i];

			if (s->ip == 0) {
				*s = e[k];
				t->count++;
				break;
			}
			if (s->ip == e[k].ip && s->port == e[k].port) {
				s->mac = e[k].mac;
				break;
			}
		}
	}
	return t;
}

void
se_net_neigh_table_free(struct se_net_neigh_table *t)
{
	free(t);
}

/* ---- resolver ---- */

struct entry {
	uint32_t ip;      /* 0: empty slot */
	uint16_t port;
	uint8_t state;    /* enum se_net_neigh_state */
	uint8_t tries;
	struct rte_ether_addr mac;
	uint64_t due;     /* next action; UINT64_MAX: none */
};

struct se_net_resolver {
	struct se_net_resolver_params p;
	uint64_t retry, reachable, hold; /* in units of `now` */
	uint32_t mask;
	uint32_t count;
	bool changed;
	uint64_t version;
	uint64_t next_due;   /* earliest due over all entries */
	double tokens;
	uint64_t tokens_at;
	struct entry *slots;
};

static uint64_t
ms_to_units(const struct se_net_resolver *r, uint32_t ms)
{
	return r->p.hz / 1000 * ms + r->p.hz % 1000 * ms / 1000;
}

struct se_net_resolver *
se_net_resolver_create(const struct se_net_resolver_params *p)
{
	struct se_net_resolver *r;

	if (p == NULL || p->hz == 0) {
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	r->p = *p;
	if (r->p.max_entries == 0)
		r->p.max_entries = 4096;
	if (r->p.retry_ms == 0)
		r->p.retry_ms = 1000;
	if (r->p.max_tries == 0)
		r->p.max_tries = 3;
	if (r->p.reachable_ms == 0)
		r->p.reachable_ms = 60000;
	if (r->p.failed_hold_ms == 0)
		r->p.failed_hold_ms = 5000;
	if (r->p.rate_per_s == 0)
		r->p.rate_per_s = 200;
	if (r->p.max_entries > (1u << 24)) {
		free(r);
		errno = EINVAL;
		return NULL;
	}
	r->retry = ms_to_units(r, r->p.retry_ms);
	r->reachable = ms_to_units(r, r->p.reachable_ms);
	r->hold = ms_to_units(r, r->p.failed_hold_ms);
	r->mask = pow2_at_least(r->p.max_entries * 2) - 1;
	r->slots = calloc((size_t)r->mask + 1, sizeof(r->slots[0]));
	if (r->slots == NULL) {
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	r->next_due = UINT64_MAX;
	r->tokens = r->p.rate_per_s < 16 ? r->p.rate_per_s : 16;
	return r;
}

void
se_net_resolver_free(struct se_net_resolver *r)
{
	if (r == NULL)
		return;
	free(r->slots);
	free(r);
}

static struct entry *
find(const struct se_net_resolver *r, uint16_t port, uint32_t ip)
{
	for (uint32_t i = se_net_neigh_hash(port, ip) & r->mask;; i = (i + 1) & r->mask) {
		struct entry *e = &r->slots[i];

		if (e->ip == ip && e->port == port)
			return e;
		if (e->ip == 0)
			return NULL;
	}
}

static struct entry *
insert(struct se_net_resolver *r, uint16_t port, uint32_t ip)
{
	uint32_t i;

	if (r->count >= r->p.max_entries)
		return NULL;
	for (i = se_net_neigh_hash(port, ip) & r->mask; r->slots[i].ip != 0; i = (i + 1) & r->mask)
		;
	memset(&r->slots[i], 0, sizeof(r->slots[i]));
	r->slots[i].ip = ip;
	r->slots[i].port = port;
	r->count++;
	return &r->slots[i];
}

/* Backward-shift deletion keeps linear probing tombstone-free. */
static void
erase(struct se_net_resolver *r, struct entry *e)
{
	uint32_t i = (uint32_t)(e - r->slots);
	uint32_t j = i;

	r->slots[i].ip = 0;
	r->count--;
	for (;;) {
		uint32_t home;

		j = (j + 1) & r->mask;
		if (r->slots[j].ip == 0)
			return;
		home = se_net_neigh_hash(r->slots[j].port, r->slots[j].ip) & r->mask;
		/* move j back to i unless its home lies cyclically in (i, j] */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			r->slots[i] = r->slots[j];
			r->slots[j].ip = 0;
			i = j;
		}
	}
}

static bool
has_mac(const struct entry *e)
{
	return e->state == SE_NET_NEIGH_REACHABLE || e->state == SE_NET_NEIGH_PROBE ||
	       e->state == SE_NET_NEIGH_STATIC;
}

static void
set_due(struct se_net_resolver *r, struct entry *e, uint64_t due)
{
	e->due = due;
	if (due < r->next_due)
		r->next_due = due;
}

int
se_net_resolver_add_static(struct se_net_resolver *r, uint16_t port, uint32_t ip,
			   const struct rte_ether_addr *mac)
{
	struct entry *e;

	if (ip == 0)
		return -EINVAL;
	e = find(r, port, ip);
	if (e == NULL && (e = insert(r, port, ip)) == NULL)
		return -ENOSPC;
	e->state = SE_NET_NEIGH_STATIC;
	e->mac = *mac;
	e->due = UINT64_MAX;
	r->changed = true;
	return 0;
}

bool
se_net_resolver_learn(struct se_net_resolver *r, uint16_t port, uint32_t ip,
		      const struct rte_ether_addr *mac, bool solicited, uint64_t now)
{
	struct entry *e;
	bool change;

	if (ip == 0)
		return false;
	e = find(r, port, ip);
	if (e == NULL) {
		if (!solicited || (e = insert(r, port, ip)) == NULL)
			return false;
	}
	if (e->state == SE_NET_NEIGH_STATIC)
		return false;
	change = !has_mac(e) || !rte_is_same_ether_addr(&e->mac, mac);
	e->mac = *mac;
	e->state = SE_NET_NEIGH_REACHABLE;
	e->tries = 0;
	set_due(r, e, now + r->reachable);
	if (change)
		r->changed = true;
	return change;
}

int
se_net_resolver_want(struct se_net_resolver *r, uint16_t port, uint32_t ip, uint64_t now)
{
	struct entry *e;

	if (ip == 0)
		return -EINVAL;
	if (find(r, port, ip) != NULL)
		return 0;
	e = insert(r, port, ip);
	if (e == NULL)
		return -ENOSPC;
	e->state = SE_NET_NEIGH_INCOMPLETE;
	set_due(r, e, now);
	return 0;
}

static bool
take_token(struct se_net_resolver *r, uint64_t now)
{
	double burst = r->p.rate_per_s < 16 ? r->p.rate_per_s : 16;

	if (now > r->tokens_at) {
		r->tokens += (double)(now - r->tokens_at) * r->p.rate_per_s / (double)r->p.hz;
		if (r->tokens > burst)
			r->tokens = burst;
	}
	r->tokens_at = now;
	if (r->tokens < 1.0)
		return false;
	r->tokens -= 1.0;
	return true;
}

unsigned int
se_net_resolver_tick(struct se_net_resolver *r, uint64_t now, struct se_net_arp_req *out,
		     unsigned int cap)
{
	unsigned int n = 0;
	uint64_t next = UINT64_MAX;

	if (now < r->next_due)
		return 0;
	for (uint32_t i = 0; i <= r->mask; i++) {
		struct entry *e = &r->slots[i];

		if (e->ip == 0)
			continue;
		if (e->due > now)
			goto keep;
		switch (e->state) {
		case SE_NET_NEIGH_REACHABLE:
			e->state = SE_NET_NEIGH_PROBE;
			e->tries = 0;
			/* probe at once */
			__attribute__((fallthrough));
		case SE_NET_NEIGH_INCOMPLETE:
		case SE_NET_NEIGH_PROBE:
			if (e->tries >= r->p.max_tries) {
				if (e->state == SE_NET_NEIGH_PROBE)
					r->changed = true;
				e->state = SE_NET_NEIGH_FAILED;
				e->due = now + r->hold;
				break;
			}
			if (n >= cap || !take_token(r, now)) {
				/* out of budget: stay due, try again next tick */
				e->due = now + 1;
				break;
			}
			out[n].port = e->port;
			out[n].ip = e->ip;
			n++;
			e->tries++;
			e->due = now + r->retry;
			break;
		case SE_NET_NEIGH_FAILED:
			erase(r, e);
			/* erase may have shifted a later entry into slot i */
			i--;
			continue;
		default:
			e->due = UINT64_MAX;
			break;
		}
keep:
		if (e->due < next)
			next = e->due;
	}
	r->next_due = next;
	return n;
}

bool
se_net_resolver_changed(const struct se_net_resolver *r)
{
	return r->changed;
}

struct se_net_neigh_table *
se_net_resolver_build(struct se_net_resolver *r)
{
	struct se_net_neigh *list;
	struct se_net_neigh_table *t;
	uint32_t n = 0;

	list = malloc(((size_t)r->count + 1) * sizeof(*list));
	if (list == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	for (uint32_t i = 0; i <= r->mask; i++) {
		const struct entry *e = &r->slots[i];

		if (e->ip != 0 && has_mac(e)) {
			list[n].ip = e->ip;
			list[n].port = e->port;
			list[n].mac = e->mac;
			n++;
		}
	}
	t = se_net_neigh_table_build(list, n, ++r->version);
	free(list);
	if (t != NULL)
		r->changed = false;
	return t;
}

enum se_net_neigh_state
se_net_resolver_state(const struct se_net_resolver *r, uint16_t port, uint32_t ip,
		      struct rte_ether_addr *mac)
{
	const struct entry *e = ip != 0 ? find(r, port, ip) : NULL;

	if (e == NULL)
		return SE_NET_NEIGH_NONE;
	if (mac != NULL && has_mac(e))
		*mac = e->mac;
	return (enum se_net_neigh_state)e->state;
}

uint32_t
se_net_resolver_count(const struct se_net_resolver *r)
{
	return r->count;
}
