/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a set hashes: spans of the parsed message, no copies.
 */

#include <errno.h>
#include <string.h>

#include "dispatch_priv.h"

/* Case-insensitive part of a key folded on the stack up to this length. */
#define KEY_FOLD_MAX 256

/* The user of a SIP/SIPS URI, or everything after the scheme of another URI. */
static struct se_span
uri_user(const struct se_sip_uri *u)
{
	return u->scheme_id == SE_SIP_SCHEME_OTHER ? u->opaque : u->user;
}

int
se_dispatch_key_extract(enum se_dispatch_key_kind kind, const uint8_t *buf,
			const struct se_sip_msg *msg, const struct se_sip_uri *ruri,
			uint32_t src_ip_be, struct se_dispatch_key *key)
{
	struct se_span s = {0, 0}, host = {0, 0};

	memset(key, 0, sizeof(*key));
	key->kind = (uint8_t)kind;
	switch (kind) {
	case SE_DISPATCH_KEY_CALL_ID:
		s = msg->call_id;
		break;
	case SE_DISPATCH_KEY_FROM_USER:
		s = uri_user(&msg->from.uri);
		break;
	case SE_DISPATCH_KEY_TO_URI:
		s = uri_user(&msg->to.uri);
		if (msg->to.uri.scheme_id != SE_SIP_SCHEME_OTHER)
			host = msg->to.uri.host;
		break;
	case SE_DISPATCH_KEY_RURI_USER:
		if (ruri != NULL)
			s = uri_user(ruri);
		break;
	case SE_DISPATCH_KEY_SRC_ADDR:
		memcpy(key->addr, &src_ip_be, sizeof(key->addr));
		return 0;
	default:
		return -EINVAL;
	}
	if (s.len == 0 && host.len == 0) {
		key->fallback = kind != SE_DISPATCH_KEY_CALL_ID;
		key->kind = SE_DISPATCH_KEY_CALL_ID;
		s = msg->call_id;
		if (s.len == 0)
			return -EINVAL;
	}
	key->p = se_span_ptr(buf, s);
	key->len = s.len;
	if (host.len > 0) {
		key->fold = se_span_ptr(buf, host);
		key->fold_len = host.len;
	}
	return 0;
}

uint64_t
se_dispatch_key_hash(const struct se_dispatch_key *key)
{
	uint8_t folded[KEY_FOLD_MAX];
	size_t n;
	uint64_t seed;

	if (key->kind == SE_DISPATCH_KEY_SRC_ADDR)
		return se_dispatch_hash(key->addr, sizeof(key->addr));
	if (key->fold_len == 0)
		return se_dispatch_hash(key->p, key->len);
	/*
	 * Host names compare case-insensitively. OR-ing 0x20 lowercases
	 * letters and leaves every other host character (digits . - : [ ])
	 * mapped one-to-one, so equal hosts fold to equal bytes. A longer host
	 * (no DNS name is) keeps its tail as written.
	 */
	n = key->fold_len < KEY_FOLD_MAX ? key->fold_len : KEY_FOLD_MAX;
	for (size_t i = 0; i < n; i++)
		folded[i] = key->fold[i] | 0x20;
	seed = se_dispatch_hash(folded, n);
	if (n < key->fold_len)
		seed ^= se_dispatch_hash(key->fold + n, key->fold_len - n);
	return XXH3_64bits_withSeed(key->p, key->len, seed);
}
