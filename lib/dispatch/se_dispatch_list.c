/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kamailio's dispatcher.list, so an operator brings the list they have:
 *
 *   SETID DESTINATION [FLAGS [PRIORITY [ATTRS]]]
 *
 * Kamailio skips a destination it cannot use and carries on; an edge that
 * silently drops a backend from its list is worse than one that refuses to
 * start, so here the first bad line refuses the whole file.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dispatch_priv.h"

/* A line longer than this is not a dispatcher.list line. */
#define LIST_MAX_LINE 4096

/* Kamailio's destination flags (dispatch.h: DS_*_DST). */
#define KAM_INACTIVE 1u
#define KAM_DISABLED 4u
#define KAM_FLAGS_ALL 31u

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Next whitespace-separated token of [*p, end), or NULL at the end. */
static const char *
next_token(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *t;

	while (s < end && is_space(*s))
		s++;
	if (s == end) {
		*p = s;
		*len = 0;
		return NULL;
	}
	t = s;
	while (s < end && !is_space(*s))
		s++;
	*len = (size_t)(s - t);
	*p = s;
	return t;
}

static bool
alpha_only(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	return true;
}

/*
 * DESTINATION: [sip:]ADDR[:PORT][;param...]. Returns NULL or a reason
 * written into @why (size @wlen).
 */
static const char *
parse_destination(const char *d, size_t len, struct se_dispatch_addr *addr, char *why,
		  size_t wlen)
{
	const char *end = d + len, *hp, *hend, *colon, *reason;

	colon = memchr(d, ':', len);
	if (len >= 4 && strncasecmp(d, "sip:", 4) == 0) {
		d += 4;
	} else if (len >= 5 && strncasecmp(d, "sips:", 5) == 0) {
		snprintf(why, wlen, "sips: destinations are not supported (UDP only)");
		return why;
	} else if (colon != NULL && alpha_only(d, (size_t)(colon - d)) && colon + 1 < end &&
		   (colon[1] < '0' || colon[1] > '9')) {
		snprintf(why, wlen, "URI scheme '%.*s:' is not supported (sip: only)",
			 (int)(colon - d), d);
		return why;
	}
	hp = d;
	hend = hp;
	while (hend < end && *hend != ';' && *hend != '?')
		hend++;
	if (memchr(hp, '@', (size_t)(hend - hp)) != NULL) {
		snprintf(why, wlen, "a user part in the destination is not supported "
			 "(sipedge routes by address only)");
		return why;
	}
	if (se_dispatch_addr_parse(hp, (size_t)(hend - hp), 5060, addr, &reason) != 0) {
		snprintf(why, wlen, "destination '%.*s': %s", (int)len, end - len, reason);
		return why;
	}
	/* URI parameters: only the transport matters, and it must be UDP. */
	for (const char *p = hend; p < end;) {
		const char *name, *pe;

		if (*p == '?') {
			snprintf(why, wlen, "URI headers ('?...') in the destination are not "
				 "supported");
			return why;
		}
		name = ++p;
		while (p < end && *p != ';' && *p != '?')
			p++;
		pe = p;
		if ((size_t)(pe - name) >= 10 && strncasecmp(name, "transport=", 10) == 0 &&
		    !((size_t)(pe - name) == 13 && strncasecmp(name + 10, "udp", 3) == 0)) {
			snprintf(why, wlen, "%.*s is not supported (UDP only)", (int)(pe - name),
				 name);
			return why;
		}
	}
	return NULL;
}

/* ATTRS: name=value;... Only weight is used. */
static const char *
parse_attrs(const char *a, size_t len, struct se_dispatch_backend *b, char *why, size_t wlen)
{
	const char *end = a + len;

	for (const char *p = a; p < end;) {
		const char *name = p, *eq, *pe;
		uint32_t w;

		while (p < end && *p != ';')
			p++;
		pe = p;
		if (p < end)
			p++;
		if (pe == name)
			continue;
		eq = memchr(name, '=', (size_t)(pe - name));
		if ((size_t)((eq != NULL ? eq : pe) - name) == 6 &&
		    strncasecmp(name, "weight", 6) == 0) {
			if (eq == NULL || !dispatch_parse_u32(eq + 1, (size_t)(pe - eq - 1),
						  SE_DISPATCH_MAX_WEIGHT, &w)) {
				snprintf(why, wlen, "attribute '%.*s': weight must be 0..65535",
					 (int)(pe - name), name);
				return why;
			}
			b->weight = (uint16_t)w;
		}
	}
	return NULL;
}

/* One non-comment line. Returns NULL, or the reason it is refused. */
static const char *
parse_line(const char *line, size_t len, struct se_dispatch_backend *b, char *why, size_t wlen)
{
	const char *p = line, *end = line + len, *t, *r;
	size_t tl;
	uint32_t u;

	memset(b, 0, sizeof(*b));
	b->weight = 1;

	t = next_token(&p, end, &tl);
	if (t == NULL || !dispatch_parse_u32(t, tl, SE_DISPATCH_MAX_SET_ID, &b->set_id)) {
		snprintf(why, wlen, "set id '%.*s' is not a number 0..2147483647", (int)tl,
			 t != NULL ? t : "");
		return why;
	}
	t = next_token(&p, end, &tl);
	if (t == NULL) {
		snprintf(why, wlen, "missing destination after the set id");
		return why;
	}
	r = parse_destination(t, tl, &b->addr, why, wlen);
	if (r != NULL)
		return r;

	t = next_token(&p, end, &tl);
	if (t == NULL)
		return NULL;
	if (!dispatch_parse_u32(t, tl, KAM_FLAGS_ALL, &u)) {
		snprintf(why, wlen, "flags '%.*s' must be a number 0..31 (Kamailio dispatcher "
			 "flags)", (int)tl, t);
		return why;
	}
	if (u & KAM_DISABLED)
		b->state = SE_DISPATCH_DISABLED;
	else if (u & KAM_INACTIVE)
		b->state = SE_DISPATCH_DOWN;

	t = next_token(&p, end, &tl);
	if (t == NULL)
		return NULL;
	if (!dispatch_parse_u32(t, tl, 2147483647u, &u)) {
		snprintf(why, wlen, "priority '%.*s' must be a number 0..2147483647", (int)tl, t);
		return why;
	}
	/* Kamailio tries a greater priority first; here a lower group is preferred. */
	b->priority = -(int32_t)u;

	t = next_token(&p, end, &tl);
	if (t == NULL)
		return NULL;
	r = parse_attrs(t, tl, b, why, wlen);
	if (r != NULL)
		return r;

	t = next_token(&p, end, &tl);
	if (t != NULL) {
		snprintf(why, wlen, "unexpected '%.*s' after the attributes", (int)tl, t);
		return why;
	}
	return NULL;
}

int
se_dispatch_config_load_file(struct se_dispatch_config *cfg, const char *path, char *err,
			     size_t errlen)
{
	unsigned saved = cfg->n, lineno = 0;
	char *line = NULL, why[256];
	size_t cap = 0;
	ssize_t got;
	FILE *f;
	int rc = 0;

	f = fopen(path, "r");
	if (f == NULL) {
		rc = -errno;
		dispatch_err(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	while ((got = getline(&line, &cap, f)) >= 0) {
		struct se_dispatch_backend b;
		const char *reason;
		size_t len = (size_t)got;
		char *hash;

		lineno++;
		if (len > LIST_MAX_LINE) {
			dispatch_err(err, errlen, "%s:%u: line longer than %u bytes", path, lineno,
				     LIST_MAX_LINE);
			rc = -EINVAL;
			break;
		}
		if (strlen(line) != len) {
			dispatch_err(err, errlen, "%s:%u: NUL byte in the line", path, lineno);
			rc = -EINVAL;
			break;
		}
		/* '#' starts a comment wherever it is, as in Kamailio's loader. */
		hash = memchr(line, '#', len);
		if (hash != NULL)
			len = (size_t)(hash - line);
		{
			const char *p = line;
			size_t tl;

			if (next_token(&p, line + len, &tl) == NULL)
				continue;
		}
		reason = parse_line(line, len, &b, why, sizeof(why));
		if (reason != NULL) {
			dispatch_err(err, errlen, "%s:%u: %s", path, lineno, reason);
			rc = -EINVAL;
			break;
		}
		rc = se_dispatch_config_add(cfg, &b);
		if (rc < 0) {
			char name[SE_DISPATCH_NAME_LEN];

			se_dispatch_addr_format(&b.addr, name, sizeof(name));
			if (rc == -EEXIST)
				dispatch_err(err, errlen, "%s:%u: %s is already in set %u", path,
					     lineno, name, b.set_id);
			else if (rc == -ENOSPC)
				dispatch_err(err, errlen, "%s:%u: more than %u backends or %u sets",
					     path, lineno, SE_DISPATCH_MAX_BACKENDS,
					     SE_DISPATCH_MAX_SETS);
			else
				dispatch_err(err, errlen, "%s:%u: %s", path, lineno,
					     strerror(-rc));
			break;
		}
		rc = 0;
	}
	if (rc == 0 && ferror(f)) {
		rc = -EIO;
		dispatch_err(err, errlen, "%s: read error", path);
	}
	free(line);
	fclose(f);
	if (rc < 0) {
		cfg->n = saved; /* the whole file or nothing */
		return rc;
	}
	return (int)(cfg->n - saved);
}
