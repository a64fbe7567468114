/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control plane's backend list: add/remove/change backends, set options,
 * `--backend` and `--set` arguments, address text forms.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dispatch_priv.h"

static const char *const state_names[SE_DISPATCH_STATE_COUNT] = {
	[SE_DISPATCH_UP] = "up",
	[SE_DISPATCH_DOWN] = "down",
	[SE_DISPATCH_DRAINING] = "draining",
	[SE_DISPATCH_DISABLED] = "disabled",
};

static const char *const key_names[SE_DISPATCH_KEY_COUNT] = {
	[SE_DISPATCH_KEY_CALL_ID] = "call-id",
	[SE_DISPATCH_KEY_FROM_USER] = "from-user",
	[SE_DISPATCH_KEY_TO_URI] = "to-uri",
	[SE_DISPATCH_KEY_RURI_USER] = "ruri-user",
	[SE_DISPATCH_KEY_SRC_ADDR] = "src-addr",
};

const char *
se_dispatch_state_name(enum se_dispatch_state s)
{
	return (unsigned)s < SE_DISPATCH_STATE_COUNT ? state_names[s] : "?";
}

const char *
se_dispatch_key_name(enum se_dispatch_key_kind k)
{
	return (unsigned)k < SE_DISPATCH_KEY_COUNT ? key_names[k] : "?";
}

void
dispatch_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------------------
 * Numbers and addresses
 */

bool
dispatch_parse_u32(const char *s, size_t len, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 10)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Optional '-' then digits, within int32. */
static bool
parse_i32(const char *s, size_t len, int32_t *out)
{
	uint32_t v;

	if (len > 0 && s[0] == '-') {
		if (!dispatch_parse_u32(s + 1, len - 1, 2147483648u, &v))
			return false;
		*out = (int32_t)(-(int64_t)v);
		return true;
	}
	if (!dispatch_parse_u32(s, len, 2147483647u, &v))
		return false;
	*out = (int32_t)v;
	return true;
}

static bool
has_alpha(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))
			return true;
	return false;
}

/* A backend must be a unicast address a datagram can be sent to. */
static bool
addr_is_unicast(const struct se_dispatch_addr *a)
{
	static const uint8_t zero[16];

	if (a->family == AF_INET) {
		const uint8_t *b = a->bytes;

		if (memcmp(b, zero, 4) == 0 || (b[0] & 0xf0) == 0xe0 ||
		    (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255))
			return false;
		return true;
	}
	return memcmp(a->bytes, zero, 16) != 0 && a->bytes[0] != 0xff;
}

int
se_dispatch_addr_parse(const char *text, size_t len, uint16_t default_port,
		       struct se_dispatch_addr *addr, const char **why)
{
	const char *host = text, *port = NULL;
	size_t hlen = len, plen = 0;
	const char *reason;
	char buf[64];
	uint32_t p;
	int family;

	memset(addr, 0, sizeof(*addr));
	if (len == 0) {
		reason = "empty address";
		goto bad;
	}
	if (text[0] == '[') {
		const char *close = memchr(text, ']', len);

		if (close == NULL) {
			reason = "'[' without ']'";
			goto bad;
		}
		host = text + 1;
		hlen = (size_t)(close - host);
		if (close + 1 < text + len) {
			if (close[1] != ':') {
				reason = "expected ':PORT' after ']'";
				goto bad;
			}
			port = close + 2;
			plen = (size_t)(text + len - port);
		}
		family = AF_INET6;
	} else {
		const char *colon = memchr(text, ':', len);

		if (colon != NULL && memchr(colon + 1, ':', (size_t)(text + len - colon - 1))) {
			reason = "IPv6 addresses need brackets: [ADDR]:PORT";
			goto bad;
		}
		if (colon != NULL) {
			hlen = (size_t)(colon - text);
			port = colon + 1;
			plen = (size_t)(text + len - port);
		}
		family = AF_INET;
	}
	if (hlen == 0) {
		reason = "empty address";
		goto bad;
	}
	if (hlen >= sizeof(buf)) {
		reason = "address too long";
		goto bad;
	}
	memcpy(buf, host, hlen);
	buf[hlen] = '\0';
	if (inet_pton(family, buf, addr->bytes) != 1) {
		if (family == AF_INET6)
			reason = "not an IPv6 address";
		else if (has_alpha(host, hlen))
			reason = "host names are not resolved (no DNS on the data path): "
				 "give an IPv4 address or [IPv6]";
		else
			reason = "not an IPv4 address";
		goto bad;
	}
	addr->family = (uint8_t)family;
	if (!addr_is_unicast(addr)) {
		reason = "not a unicast address";
		goto bad;
	}
	if (port == NULL) {
		addr->port = default_port;
	} else if (!dispatch_parse_u32(port, plen, 65535, &p) || p == 0) {
		reason = "port must be 1..65535";
		goto bad;
	} else {
		addr->port = (uint16_t)p;
	}
	return 0;
bad:
	memset(addr, 0, sizeof(*addr));
	if (why != NULL)
		*why = reason;
	return -EINVAL;
}

int
se_dispatch_addr_format(const struct se_dispatch_addr *addr, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	int n;

	if (addr->family != AF_INET && addr->family != AF_INET6)
		return -EINVAL;
	if (inet_ntop(addr->family, addr->bytes, a, sizeof(a)) == NULL)
		return -EINVAL;
	if (addr->family == AF_INET)
		n = snprintf(buf, len, "%s:%u", a, addr->port);
	else
		n = snprintf(buf, len, "[%s]:%u", a, addr->port);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return n;
}

/* ---------------------------------------------------------------------------
 * The configuration object
 */

struct se_dispatch_config *
se_dispatch_config_create(void)
{
	struct se_dispatch_config *cfg = calloc(1, sizeof(*cfg));

	if (cfg == NULL)
		errno = ENOMEM;
	return cfg;
}

void
se_dispatch_config_free(struct se_dispatch_config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->b);
	free(cfg);
}

unsigned
se_dispatch_config_count(const struct se_dispatch_config *cfg)
{
	return cfg->n;
}

const struct se_dispatch_backend *
se_dispatch_config_backend(const struct se_dispatch_config *cfg, unsigned idx)
{
	return idx < cfg->n ? &cfg->b[idx] : NULL;
}

const struct dispatch_set_opts *
dispatch_config_set_opts(const struct se_dispatch_config *cfg, uint32_t set_id)
{
	for (unsigned i = 0; i < cfg->n_sets; i++)
		if (cfg->sets[i].set_id == set_id)
			return &cfg->sets[i];
	return NULL;
}

unsigned
dispatch_config_set_count(const struct se_dispatch_config *cfg, uint32_t set_id)
{
	unsigned c = 0;

	for (unsigned i = 0; i < cfg->n; i++)
		c += cfg->b[i].set_id == set_id;
	return c;
}

/* Would @set_id be one set too many? */
static bool
set_id_overflows(const struct se_dispatch_config *cfg, uint32_t set_id)
{
	uint32_t seen[SE_DISPATCH_MAX_SETS];
	unsigned n = 0;

	if (dispatch_config_set_opts(cfg, set_id) != NULL)
		return false;
	for (unsigned i = 0; i < cfg->n; i++)
		if (cfg->b[i].set_id == set_id)
			return false;
	/* A new id: count the distinct ids already in use. */
	for (unsigned i = 0; i < cfg->n_sets; i++)
		seen[n++] = cfg->sets[i].set_id;
	for (unsigned i = 0; i < cfg->n; i++) {
		unsigned j;

		for (j = 0; j < n; j++)
			if (seen[j] == cfg->b[i].set_id)
				break;
		if (j == n) {
			if (n == SE_DISPATCH_MAX_SETS)
				return true;
			seen[n++] = cfg->b[i].set_id;
		}
	}
	return n >= SE_DISPATCH_MAX_SETS;
}

int
se_dispatch_config_find(const struct se_dispatch_config *cfg, uint32_t set_id,
			const struct se_dispatch_addr *addr)
{
	for (unsigned i = 0; i < cfg->n; i++)
		if (cfg->b[i].set_id == set_id &&
		    memcmp(&cfg->b[i].addr, addr, sizeof(*addr)) == 0)
			return (int)i;
	return -ENOENT;
}

int
se_dispatch_config_add(struct se_dispatch_config *cfg, const struct se_dispatch_backend *b)
{
	struct se_dispatch_backend nb;
	const uint8_t *tail;
	size_t tail_len;

	if (b->addr.family != AF_INET && b->addr.family != AF_INET6)
		return -EINVAL;
	/* The identity is hashed as bytes: everything beyond the address must be 0. */
	tail = b->addr.bytes + (b->addr.family == AF_INET ? 4 : 16);
	tail_len = b->addr.family == AF_INET ? 12 : 0;
	for (size_t i = 0; i < tail_len; i++)
		if (tail[i] != 0)
			return -EINVAL;
	if (b->addr.zero != 0 || b->addr.port == 0 || !addr_is_unicast(&b->addr))
		return -EINVAL;
	/* weight: every uint16_t value is a valid weight (SE_DISPATCH_MAX_WEIGHT). */
	if (b->state >= SE_DISPATCH_STATE_COUNT || b->set_id > SE_DISPATCH_MAX_SET_ID)
		return -EINVAL;
	if (se_dispatch_config_find(cfg, b->set_id, &b->addr) >= 0)
		return -EEXIST;
	if (cfg->n >= SE_DISPATCH_MAX_BACKENDS || set_id_overflows(cfg, b->set_id))
		return -ENOSPC;
	if (cfg->n == cfg->cap) {
		unsigned cap = cfg->cap ? cfg->cap * 2 : 16;
		struct se_dispatch_backend *nbk = realloc(cfg->b, cap * sizeof(*nbk));

		if (nbk == NULL)
			return -ENOMEM;
		cfg->b = nbk;
		cfg->cap = cap;
	}
	nb = *b;
	nb.reserved = 0;
	memset(nb.name, 0, sizeof(nb.name));
	se_dispatch_addr_format(&nb.addr, nb.name, sizeof(nb.name));
	cfg->b[cfg->n] = nb;
	return (int)cfg->n++;
}

int
se_dispatch_config_del(struct se_dispatch_config *cfg, unsigned idx)
{
	if (idx >= cfg->n)
		return -ENOENT;
	memmove(&cfg->b[idx], &cfg->b[idx + 1], (cfg->n - idx - 1) * sizeof(cfg->b[0]));
	cfg->n--;
	return 0;
}

int
se_dispatch_config_set_state(struct se_dispatch_config *cfg, unsigned idx,
			     enum se_dispatch_state state)
{
	if (idx >= cfg->n)
		return -ENOENT;
	if ((unsigned)state >= SE_DISPATCH_STATE_COUNT)
		return -EINVAL;
	cfg->b[idx].state = (uint8_t)state;
	return 0;
}

int
se_dispatch_config_set_tag(struct se_dispatch_config *cfg, unsigned idx, uint32_t tag)
{
	if (idx >= cfg->n)
		return -ENOENT;
	cfg->b[idx].tag = tag;
	return 0;
}

struct se_dispatch_config *
se_dispatch_config_copy(const struct se_dispatch_config *cfg)
{
	struct se_dispatch_config *c = malloc(sizeof(*c));

	if (c == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	*c = *cfg;
	c->b = NULL;
	if (cfg->cap > 0) {
		c->b = malloc(cfg->cap * sizeof(c->b[0]));
		if (c->b == NULL) {
			free(c);
			errno = ENOMEM;
			return NULL;
		}
		memcpy(c->b, cfg->b, cfg->n * sizeof(c->b[0]));
	}
	return c;
}

int
se_dispatch_config_set_weight(struct se_dispatch_config *cfg, unsigned idx, unsigned weight)
{
	if (idx >= cfg->n)
		return -ENOENT;
	if (weight > SE_DISPATCH_MAX_WEIGHT)
		return -EINVAL;
	cfg->b[idx].weight = (uint16_t)weight;
	return 0;
}

int
se_dispatch_config_set_params(struct se_dispatch_config *cfg,
			      const struct se_dispatch_set_params *p)
{
	struct dispatch_set_opts *o;

	if (p->set_id > SE_DISPATCH_MAX_SET_ID || p->key >= SE_DISPATCH_KEY_COUNT)
		return -EINVAL;
	if (p->size != 0 && (p->size > SE_DISPATCH_MAX_SIZE || !dispatch_is_prime(p->size)))
		return -EINVAL;
	o = (struct dispatch_set_opts *)dispatch_config_set_opts(cfg, p->set_id);
	if (o == NULL) {
		if (set_id_overflows(cfg, p->set_id))
			return -ENOSPC;
		o = &cfg->sets[cfg->n_sets++];
		o->set_id = p->set_id;
	}
	o->size = p->size;
	o->key = p->key;
	return 0;
}

int
se_dispatch_config_check(const struct se_dispatch_config *cfg, char *err, size_t errlen)
{
	for (unsigned i = 0; i < cfg->n_sets; i++) {
		const struct dispatch_set_opts *o = &cfg->sets[i];
		unsigned count = dispatch_config_set_count(cfg, o->set_id);
		uint64_t need = (uint64_t)count * SE_DISPATCH_SLOTS_PER_BACKEND;

		if (o->size != 0 && o->size < need) {
			dispatch_err(err, errlen,
				     "set %u: table size %u is below %u slots x %u backends; "
				     "give a prime >= %llu or leave the size automatic",
				     o->set_id, o->size, SE_DISPATCH_SLOTS_PER_BACKEND, count,
				     (unsigned long long)need);
			return -EINVAL;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------------
 * Command-line arguments
 */

/* Fields of a ','-separated list; *s becomes NULL once the last one is taken. */
static const char *
next_field(const char **s, const char *end, size_t *len)
{
	const char *f = *s;
	const char *comma = memchr(f, ',', (size_t)(end - f));

	if (comma != NULL) {
		*len = (size_t)(comma - f);
		*s = comma + 1;
	} else {
		*len = (size_t)(end - f);
		*s = NULL;
	}
	return f;
}

static int
state_lookup(const char *s, size_t len)
{
	for (int i = 0; i < SE_DISPATCH_STATE_COUNT; i++)
		if (strlen(state_names[i]) == len && strncasecmp(s, state_names[i], len) == 0)
			return i;
	return -1;
}

static int
key_lookup(const char *s, size_t len)
{
	for (int i = 0; i < SE_DISPATCH_KEY_COUNT; i++)
		if (strlen(key_names[i]) == len && strncasecmp(s, key_names[i], len) == 0)
			return i;
	return -1;
}

/* Split "name=value": true when there is a '='. */
static bool
split_option(const char *f, size_t len, size_t *nlen, const char **v, size_t *vlen)
{
	const char *eq = memchr(f, '=', len);

	if (eq == NULL)
		return false;
	*nlen = (size_t)(eq - f);
	*v = eq + 1;
	*vlen = len - *nlen - 1;
	return true;
}

static bool
name_is(const char *n, size_t nlen, const char *lit)
{
	return strlen(lit) == nlen && strncasecmp(n, lit, nlen) == 0;
}

int
se_dispatch_config_add_arg(struct se_dispatch_config *cfg, const char *arg, char *err,
			   size_t errlen)
{
	struct se_dispatch_backend b;
	const char *s = arg, *end = arg + strlen(arg);
	const char *f, *v, *why;
	size_t len, nlen, vlen;
	bool seen_w = false, seen_p = false, seen_s = false, seen_st = false;
	uint32_t u;
	int rc;

	memset(&b, 0, sizeof(b));
	b.weight = 1;
	b.set_id = SE_DISPATCH_DEFAULT_SET;
	f = next_field(&s, end, &len);
	if (se_dispatch_addr_parse(f, len, 5060, &b.addr, &why) != 0) {
		dispatch_err(err, errlen, "--backend %s: %s", arg, why);
		return -EINVAL;
	}
	while (s != NULL) {
		f = next_field(&s, end, &len);
		if (!split_option(f, len, &nlen, &v, &vlen)) {
			dispatch_err(err, errlen, "--backend %s: '%.*s' is not NAME=VALUE "
				     "(weight=, prio=, set=, state=)", arg, (int)len, f);
			return -EINVAL;
		}
		if (name_is(f, nlen, "weight")) {
			if (seen_w || !dispatch_parse_u32(v, vlen, SE_DISPATCH_MAX_WEIGHT, &u)) {
				dispatch_err(err, errlen, "--backend %s: %s", arg, seen_w ?
					     "weight given twice" : "weight must be 0..65535");
				return -EINVAL;
			}
			b.weight = (uint16_t)u;
			seen_w = true;
		} else if (name_is(f, nlen, "prio") || name_is(f, nlen, "priority")) {
			if (seen_p || !parse_i32(v, vlen, &b.priority)) {
				dispatch_err(err, errlen, "--backend %s: %s", arg, seen_p ?
					     "prio given twice" :
					     "prio must be an integer -2147483648..2147483647");
				return -EINVAL;
			}
			seen_p = true;
		} else if (name_is(f, nlen, "set")) {
			if (seen_s || !dispatch_parse_u32(v, vlen, SE_DISPATCH_MAX_SET_ID, &b.set_id)) {
				dispatch_err(err, errlen, "--backend %s: %s", arg, seen_s ?
					     "set given twice" : "set must be 0..2147483647");
				return -EINVAL;
			}
			seen_s = true;
		} else if (name_is(f, nlen, "state")) {
			int st = state_lookup(v, vlen);

			if (seen_st || st < 0) {
				dispatch_err(err, errlen, "--backend %s: %s", arg, seen_st ?
					     "state given twice" :
					     "state must be up, down, draining or disabled");
				return -EINVAL;
			}
			b.state = (uint8_t)st;
			seen_st = true;
		} else {
			dispatch_err(err, errlen, "--backend %s: unknown option '%.*s' "
				     "(weight=, prio=, set=, state=)", arg, (int)nlen, f);
			return -EINVAL;
		}
	}
	rc = se_dispatch_config_add(cfg, &b);
	if (rc == -EEXIST) {
		char name[SE_DISPATCH_NAME_LEN];

		se_dispatch_addr_format(&b.addr, name, sizeof(name));
		dispatch_err(err, errlen, "--backend %s: %s is already in set %u", arg, name,
			     b.set_id);
	} else if (rc == -ENOSPC) {
		dispatch_err(err, errlen, "--backend %s: more than %u backends or %u sets", arg,
			     SE_DISPATCH_MAX_BACKENDS, SE_DISPATCH_MAX_SETS);
	} else if (rc < 0) {
		dispatch_err(err, errlen, "--backend %s: %s", arg, strerror(-rc));
	}
	return rc;
}

int
se_dispatch_config_set_arg(struct se_dispatch_config *cfg, const char *arg, char *err,
			   size_t errlen)
{
	struct se_dispatch_set_params p;
	const struct dispatch_set_opts *old;
	const char *s = arg, *end = arg + strlen(arg);
	const char *f, *v;
	size_t len, nlen, vlen;
	bool seen_k = false, seen_z = false;
	int rc;

	memset(&p, 0, sizeof(p));
	f = next_field(&s, end, &len);
	if (!dispatch_parse_u32(f, len, SE_DISPATCH_MAX_SET_ID, &p.set_id)) {
		dispatch_err(err, errlen, "--set %s: set id must be 0..2147483647", arg);
		return -EINVAL;
	}
	old = dispatch_config_set_opts(cfg, p.set_id);
	if (old != NULL) {
		p.key = old->key;
		p.size = old->size;
	}
	while (s != NULL) {
		f = next_field(&s, end, &len);
		if (!split_option(f, len, &nlen, &v, &vlen)) {
			dispatch_err(err, errlen,
				     "--set %s: '%.*s' is not NAME=VALUE (key=, size=)", arg,
				     (int)len, f);
			return -EINVAL;
		}
		if (name_is(f, nlen, "key")) {
			int k = key_lookup(v, vlen);

			if (seen_k || k < 0) {
				dispatch_err(err, errlen, "--set %s: %s", arg, seen_k ?
					     "key given twice" : "key must be call-id, from-user, "
					     "to-uri, ruri-user or src-addr");
				return -EINVAL;
			}
			p.key = (uint8_t)k;
			seen_k = true;
		} else if (name_is(f, nlen, "size")) {
			uint32_t z;

			if (seen_z || !dispatch_parse_u32(v, vlen, SE_DISPATCH_MAX_SIZE, &z) ||
			    !dispatch_is_prime(z)) {
				dispatch_err(err, errlen, "--set %s: %s", arg, seen_z ?
					     "size given twice" :
					     "size must be a prime number 2..1048573 (e.g. 65537)");
				return -EINVAL;
			}
			p.size = z;
			seen_z = true;
		} else {
			dispatch_err(err, errlen, "--set %s: unknown option '%.*s' (key=, size=)",
				     arg, (int)nlen, f);
			return -EINVAL;
		}
	}
	rc = se_dispatch_config_set_params(cfg, &p);
	if (rc == -ENOSPC)
		dispatch_err(err, errlen, "--set %s: more than %u sets", arg, SE_DISPATCH_MAX_SETS);
	else if (rc < 0)
		dispatch_err(err, errlen, "--set %s: %s", arg, strerror(-rc));
	return rc;
}
