/* SPDX-License-Identifier: BSD-3-Clause */
/* --backend and --set arguments, the configuration object, address text forms. */

#include <arpa/inet.h>
#include <errno.h>

#include "dispatch_test.h"

/* ---------------------------------------------------------------------------
 * --backend: accepted forms
 */

/* Parameters are copied into a fresh process: strings inline, no pointers. */
struct good_backend {
	char arg[64];
	char name[SE_DISPATCH_NAME_LEN];
	uint16_t weight;
	int32_t prio;
	uint32_t set;
	uint8_t state;
	uint8_t family;
};

ParameterizedTestParameters(backend_arg, accepted_forms)
{
	static struct good_backend cases[] = {
		{"10.0.0.1:5060", "10.0.0.1:5060", 1, 0, SE_DISPATCH_DEFAULT_SET, SE_DISPATCH_UP,
		 AF_INET},
		{"10.0.0.1", "10.0.0.1:5060", 1, 0, 1, SE_DISPATCH_UP, AF_INET},
		{"192.0.2.7:5080,weight=3", "192.0.2.7:5080", 3, 0, 1, SE_DISPATCH_UP, AF_INET},
		{"192.0.2.7:5080,weight=0,prio=2,set=0", "192.0.2.7:5080", 0, 2, 0, SE_DISPATCH_UP,
		 AF_INET},
		{"192.0.2.7:1,prio=-5,set=2147483647,weight=65535", "192.0.2.7:1", 65535, -5,
		 2147483647u, SE_DISPATCH_UP, AF_INET},
		{"10.0.0.1:5060,state=draining", "10.0.0.1:5060", 1, 0, 1, SE_DISPATCH_DRAINING,
		 AF_INET},
		{"10.0.0.1:5060,state=DOWN", "10.0.0.1:5060", 1, 0, 1, SE_DISPATCH_DOWN, AF_INET},
		{"10.0.0.1:5060,state=disabled,priority=7", "10.0.0.1:5060", 1, 7, 1,
		 SE_DISPATCH_DISABLED, AF_INET},
		{"[2001:db8::1]:5070,weight=3,prio=2,set=7,state=up", "[2001:db8::1]:5070", 3, 2, 7,
		 SE_DISPATCH_UP, AF_INET6},
		{"[2001:DB8:0:0::1]", "[2001:db8::1]:5060", 1, 0, 1, SE_DISPATCH_UP, AF_INET6},
		{"[::1]:5060", "[::1]:5060", 1, 0, 1, SE_DISPATCH_UP, AF_INET6},
		{"[::ffff:192.0.2.1]:65535", "[::ffff:192.0.2.1]:65535", 1, 0, 1, SE_DISPATCH_UP,
		 AF_INET6},
		{"[fe80::1:2:3:4]:5060", "[fe80::1:2:3:4]:5060", 1, 0, 1, SE_DISPATCH_UP, AF_INET6},
	};

	return cr_make_param_array(struct good_backend, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct good_backend *c, backend_arg, accepted_forms)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	const struct se_dispatch_backend *b;
	char err[256] = "";
	int rc = se_dispatch_config_add_arg(cfg, c->arg, err, sizeof(err));

	cr_assert(eq(int, rc, 0), "%s: %s", c->arg, err);
	b = se_dispatch_config_backend(cfg, 0);
	cr_assert(not(eq(ptr, (void *)b, NULL)));
	cr_expect(eq(str, (char *)b->name, c->name));
	cr_expect(eq(u16, b->weight, c->weight));
	cr_expect(eq(i32, b->priority, c->prio));
	cr_expect(eq(u32, b->set_id, c->set));
	cr_expect(eq(u8, b->state, c->state));
	cr_expect(eq(u8, b->addr.family, c->family));
	se_dispatch_config_free(cfg);
}

Test(backend_arg, ipv4_address_bytes_and_port_are_decoded)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	const struct se_dispatch_backend *b;
	const uint8_t want[16] = {192, 0, 2, 10};

	cr_assert(eq(int, se_dispatch_config_add_arg(cfg, "192.0.2.10:5099", NULL, 0), 0));
	b = se_dispatch_config_backend(cfg, 0);
	cr_expect(eq(u16, b->addr.port, 5099));
	cr_expect(eq(int, memcmp(b->addr.bytes, want, 16), 0), "IPv4 uses 4 bytes, rest zero");
	cr_expect(eq(u8, b->addr.zero, 0));
	se_dispatch_config_free(cfg);
}

Test(backend_arg, ipv6_address_bytes_are_decoded)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	const struct se_dispatch_backend *b;
	uint8_t want[16];

	inet_pton(AF_INET6, "2001:db8::5", want);
	cr_assert(eq(int, se_dispatch_config_add_arg(cfg, "[2001:db8::5]:7000", NULL, 0), 0));
	b = se_dispatch_config_backend(cfg, 0);
	cr_expect(eq(int, memcmp(b->addr.bytes, want, 16), 0));
	cr_expect(eq(u16, b->addr.port, 7000));
	se_dispatch_config_free(cfg);
}

/* ---------------------------------------------------------------------------
 * --backend: refused forms, each with its message
 */

struct bad_arg {
	char arg[64];
	int rc;
	char err[160];
};

ParameterizedTestParameters(backend_arg, refused_with_reason)
{
	static struct bad_arg cases[] = {
		{"", -EINVAL, "--backend : empty address"},
		{":5060", -EINVAL, "--backend :5060: empty address"},
		{"[]:5060", -EINVAL, "--backend []:5060: empty address"},
		{"2001:db8::1:5060", -EINVAL,
		 "--backend 2001:db8::1:5060: IPv6 addresses need brackets: [ADDR]:PORT"},
		{"[2001:db8::1", -EINVAL, "--backend [2001:db8::1: '[' without ']'"},
		{"[2001:db8::1]5060", -EINVAL,
		 "--backend [2001:db8::1]5060: expected ':PORT' after ']'"},
		{"[10.0.0.1]:5060", -EINVAL, "--backend [10.0.0.1]:5060: not an IPv6 address"},
		{"[2001:db8::1%eth0]:5060", -EINVAL,
		 "--backend [2001:db8::1%eth0]:5060: not an IPv6 address"},
		{"10.0.0.256:5060", -EINVAL, "--backend 10.0.0.256:5060: not an IPv4 address"},
		{"10.0.0:5060", -EINVAL, "--backend 10.0.0:5060: not an IPv4 address"},
		{"sip.example.com:5060", -EINVAL,
		 "--backend sip.example.com:5060: host names are not resolved (no DNS on the data "
		 "path): give an IPv4 address or [IPv6]"},
		{"localhost", -EINVAL,
		 "--backend localhost: host names are not resolved (no DNS on the data path): "
		 "give an IPv4 address or [IPv6]"},
		{"10.0.0.1:0", -EINVAL, "--backend 10.0.0.1:0: port must be 1..65535"},
		{"10.0.0.1:65536", -EINVAL, "--backend 10.0.0.1:65536: port must be 1..65535"},
		{"10.0.0.1:50a", -EINVAL, "--backend 10.0.0.1:50a: port must be 1..65535"},
		{"10.0.0.1:", -EINVAL, "--backend 10.0.0.1:: port must be 1..65535"},
		{"10.0.0.1:+5060", -EINVAL, "--backend 10.0.0.1:+5060: port must be 1..65535"},
		{"0.0.0.0:5060", -EINVAL, "--backend 0.0.0.0:5060: not a unicast address"},
		{"224.0.0.1:5060", -EINVAL, "--backend 224.0.0.1:5060: not a unicast address"},
		{"255.255.255.255:5060", -EINVAL,
		 "--backend 255.255.255.255:5060: not a unicast address"},
		{"[::]:5060", -EINVAL, "--backend [::]:5060: not a unicast address"},
		{"[ff02::1]:5060", -EINVAL, "--backend [ff02::1]:5060: not a unicast address"},
		{"10.0.0.1:5060,weight=65536", -EINVAL,
		 "--backend 10.0.0.1:5060,weight=65536: weight must be 0..65535"},
		{"10.0.0.1:5060,weight=-1", -EINVAL,
		 "--backend 10.0.0.1:5060,weight=-1: weight must be 0..65535"},
		{"10.0.0.1:5060,weight=", -EINVAL,
		 "--backend 10.0.0.1:5060,weight=: weight must be 0..65535"},
		{"10.0.0.1:5060,weight=1,weight=2", -EINVAL,
		 "--backend 10.0.0.1:5060,weight=1,weight=2: weight given twice"},
		{"10.0.0.1:5060,prio=x", -EINVAL,
		 "--backend 10.0.0.1:5060,prio=x: prio must be an integer -2147483648..2147483647"},
		{"10.0.0.1:5060,prio=2147483648", -EINVAL,
		 "--backend 10.0.0.1:5060,prio=2147483648: prio must be an integer "
		 "-2147483648..2147483647"},
		{"10.0.0.1:5060,prio=1,prio=1", -EINVAL,
		 "--backend 10.0.0.1:5060,prio=1,prio=1: prio given twice"},
		{"10.0.0.1:5060,set=-1", -EINVAL,
		 "--backend 10.0.0.1:5060,set=-1: set must be 0..2147483647"},
		{"10.0.0.1:5060,set=2147483648", -EINVAL,
		 "--backend 10.0.0.1:5060,set=2147483648: set must be 0..2147483647"},
		{"10.0.0.1:5060,set=1,set=2", -EINVAL,
		 "--backend 10.0.0.1:5060,set=1,set=2: set given twice"},
		{"10.0.0.1:5060,state=sleepy", -EINVAL,
		 "--backend 10.0.0.1:5060,state=sleepy: state must be up, down, draining or "
		 "disabled"},
		{"10.0.0.1:5060,state=up,state=up", -EINVAL,
		 "--backend 10.0.0.1:5060,state=up,state=up: state given twice"},
		{"10.0.0.1:5060,foo=1", -EINVAL,
		 "--backend 10.0.0.1:5060,foo=1: unknown option 'foo' (weight=, prio=, set=, "
		 "state=)"},
		{"10.0.0.1:5060,weight", -EINVAL,
		 "--backend 10.0.0.1:5060,weight: 'weight' is not NAME=VALUE (weight=, prio=, "
		 "set=, state=)"},
		{"10.0.0.1:5060,", -EINVAL,
		 "--backend 10.0.0.1:5060,: '' is not NAME=VALUE (weight=, prio=, set=, state=)"},
		{"10.0.0.1:5060 ,weight=1", -EINVAL,
		 "--backend 10.0.0.1:5060 ,weight=1: port must be 1..65535"},
	};

	return cr_make_param_array(struct bad_arg, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_arg *c, backend_arg, refused_with_reason)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char err[256] = "";
	int rc = se_dispatch_config_add_arg(cfg, c->arg, err, sizeof(err));

	cr_expect(eq(int, rc, c->rc), "%s", c->arg);
	cr_expect(eq(str, err, c->err));
	cr_expect(eq(uint, se_dispatch_config_count(cfg), 0), "nothing added");
	se_dispatch_config_free(cfg);
}

Test(backend_arg, same_address_twice_in_a_set_is_refused)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char err[256] = "";

	cr_assert(eq(int, se_dispatch_config_add_arg(cfg, "10.0.0.1:5060", err, sizeof(err)), 0));
	cr_expect(eq(int, se_dispatch_config_add_arg(cfg, "10.0.0.1:5060,weight=4", err,
						     sizeof(err)), -EEXIST));
	cr_expect(eq(str, err, "--backend 10.0.0.1:5060,weight=4: 10.0.0.1:5060 is already in "
		     "set 1"));
	cr_expect(eq(int, se_dispatch_config_add_arg(cfg, "[2001:db8::1]:5060,set=3", err,
						     sizeof(err)), 1));
	cr_expect(eq(int, se_dispatch_config_add_arg(cfg, "[2001:db8:0::1]:5060,set=3", err,
						     sizeof(err)), -EEXIST));
	cr_expect(eq(str, err, "--backend [2001:db8:0::1]:5060,set=3: [2001:db8::1]:5060 is "
		     "already in set 3"));
	cr_expect(eq(uint, se_dispatch_config_count(cfg), 2));
	se_dispatch_config_free(cfg);
}

Test(backend_arg, same_address_in_two_sets_is_two_backends)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();

	cr_expect(eq(int, se_dispatch_config_add_arg(cfg, "10.0.0.1:5060,set=1", NULL, 0), 0));
	cr_expect(eq(int, se_dispatch_config_add_arg(cfg, "10.0.0.1:5060,set=2", NULL, 0), 1));
	cr_expect(eq(int, se_dispatch_config_add_arg(cfg, "10.0.0.1:5061,set=1", NULL, 0), 2));
	cr_expect(eq(uint, se_dispatch_config_count(cfg), 3));
	se_dispatch_config_free(cfg);
}

Test(backend_arg, more_than_the_maximum_backends_is_refused)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char err[256] = "";

	for (unsigned i = 0; i < SE_DISPATCH_MAX_BACKENDS; i++)
		test_add_numbered(cfg, i, 1, 0, 1);
	cr_expect(eq(int, se_dispatch_config_add_arg(cfg, "192.0.2.1:5060", err, sizeof(err)),
		     -ENOSPC));
	cr_expect(eq(str, err, "--backend 192.0.2.1:5060: more than 4096 backends or 64 sets"));
	cr_expect(eq(uint, se_dispatch_config_count(cfg), SE_DISPATCH_MAX_BACKENDS));
	se_dispatch_config_free(cfg);
}

Test(backend_arg, more_than_the_maximum_sets_is_refused)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char err[256] = "";

	for (unsigned i = 0; i < SE_DISPATCH_MAX_SETS; i++)
		test_add_numbered(cfg, i, 1, 0, 100 + i);
	/* A new backend in an existing set is fine; a 65th set is not. */
	test_add_numbered(cfg, 1000, 1, 0, 100);
	cr_expect(eq(int, se_dispatch_config_add_arg(cfg, "192.0.2.1:5060,set=5", err,
						     sizeof(err)), -ENOSPC));
	cr_expect(eq(str, err, "--backend 192.0.2.1:5060,set=5: more than 4096 backends or 64 "
		     "sets"));
	cr_expect(eq(int, se_dispatch_config_set_arg(cfg, "6,key=to-uri", err, sizeof(err)),
		     -ENOSPC));
	cr_expect(eq(str, err, "--set 6,key=to-uri: more than 64 sets"));
	se_dispatch_config_free(cfg);
}

Test(backend_arg, a_null_error_buffer_is_fine)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();

	cr_expect(eq(int, se_dispatch_config_add_arg(cfg, "nonsense", NULL, 0), -EINVAL));
	cr_expect(eq(int, se_dispatch_config_set_arg(cfg, "x", NULL, 0), -EINVAL));
	se_dispatch_config_free(cfg);
}

Test(backend_arg, a_short_error_buffer_is_truncated_not_overrun)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char err[12];

	memset(err, 'x', sizeof(err));
	cr_expect(eq(int, se_dispatch_config_add_arg(cfg, "10.0.0.1:0", err, 8), -EINVAL));
	cr_expect(eq(str, err, "--backe"));
	cr_expect(eq(chr, err[8], 'x'));
	se_dispatch_config_free(cfg);
}

/* ---------------------------------------------------------------------------
 * --set
 */

Test(set_arg, key_and_size_are_taken)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_table *t;
	char err[256] = "";
	int s;

	cr_assert(eq(int, se_dispatch_config_set_arg(cfg, "2,key=to-uri,size=1009", err,
						     sizeof(err)), 0), "%s", err);
	cr_assert(eq(int, se_dispatch_config_set_arg(cfg, "3,key=SRC-ADDR", err, sizeof(err)), 0),
		  "%s", err);
	cr_assert(eq(int, se_dispatch_config_set_arg(cfg, "4", err, sizeof(err)), 0), "%s", err);
	cr_assert(eq(int, se_dispatch_config_add_arg(cfg, "10.0.0.1:5060,set=2", err,
						     sizeof(err)), 0), "%s", err);
	cr_assert(eq(int, se_dispatch_config_add_arg(cfg, "10.0.0.1:5060,set=3", err,
						     sizeof(err)), 1), "%s", err);
	cr_assert(eq(int, se_dispatch_config_add_arg(cfg, "10.0.0.1:5060,set=5", err,
						     sizeof(err)), 2), "%s", err);
	t = test_build(cfg);
	cr_assert(eq(u16, t->n_sets, 4));
	s = se_dispatch_set_index(t, 2);
	cr_assert(ge(int, s, 0));
	cr_expect(eq(u8, t->sets[s].key, SE_DISPATCH_KEY_TO_URI));
	cr_expect(eq(u32, t->sets[s].size, 1009));
	s = se_dispatch_set_index(t, 3);
	cr_expect(eq(u8, t->sets[s].key, SE_DISPATCH_KEY_SRC_ADDR));
	cr_expect(eq(u32, t->sets[s].size, SE_DISPATCH_DEFAULT_SIZE));
	s = se_dispatch_set_index(t, 4);
	cr_expect(eq(u8, t->sets[s].key, SE_DISPATCH_KEY_CALL_ID), "options only: an empty set");
	cr_expect(eq(u16, t->sets[s].n_active, 0));
	s = se_dispatch_set_index(t, 5);
	cr_expect(eq(u8, t->sets[s].key, SE_DISPATCH_KEY_CALL_ID), "no options: Call-ID");
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
}

Test(set_arg, a_later_set_option_changes_only_what_it_names)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_table *t;

	cr_assert(eq(int, se_dispatch_config_set_arg(cfg, "2,key=from-user,size=1009", NULL, 0),
		     0));
	cr_assert(eq(int, se_dispatch_config_set_arg(cfg, "2,size=2003", NULL, 0), 0));
	cr_assert(eq(int, se_dispatch_config_add_arg(cfg, "10.0.0.1,set=2", NULL, 0), 0));
	t = test_build(cfg);
	cr_expect(eq(u8, t->sets[0].key, SE_DISPATCH_KEY_FROM_USER));
	cr_expect(eq(u32, t->sets[0].size, 2003));
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
}

ParameterizedTestParameters(set_arg, refused_with_reason)
{
	static struct bad_arg cases[] = {
		{"", -EINVAL, "--set : set id must be 0..2147483647"},
		{"x", -EINVAL, "--set x: set id must be 0..2147483647"},
		{"-1,key=to-uri", -EINVAL, "--set -1,key=to-uri: set id must be 0..2147483647"},
		{"2,key=md5", -EINVAL,
		 "--set 2,key=md5: key must be call-id, from-user, to-uri, ruri-user or src-addr"},
		{"2,key=", -EINVAL,
		 "--set 2,key=: key must be call-id, from-user, to-uri, ruri-user or src-addr"},
		{"2,key=to-uri,key=to-uri", -EINVAL,
		 "--set 2,key=to-uri,key=to-uri: key given twice"},
		{"2,size=65536", -EINVAL,
		 "--set 2,size=65536: size must be a prime number 2..1048573 (e.g. 65537)"},
		{"2,size=0", -EINVAL,
		 "--set 2,size=0: size must be a prime number 2..1048573 (e.g. 65537)"},
		{"2,size=1048583", -EINVAL,
		 "--set 2,size=1048583: size must be a prime number 2..1048573 (e.g. 65537)"},
		{"2,size=1009,size=1009", -EINVAL, "--set 2,size=1009,size=1009: size given twice"},
		{"2,hash=xx", -EINVAL, "--set 2,hash=xx: unknown option 'hash' (key=, size=)"},
		{"2,to-uri", -EINVAL, "--set 2,to-uri: 'to-uri' is not NAME=VALUE (key=, size=)"},
	};

	return cr_make_param_array(struct bad_arg, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_arg *c, set_arg, refused_with_reason)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char err[256] = "";

	cr_expect(eq(int, se_dispatch_config_set_arg(cfg, c->arg, err, sizeof(err)), c->rc));
	cr_expect(eq(str, err, c->err));
	se_dispatch_config_free(cfg);
}

Test(set_arg, an_explicit_size_below_100_slots_per_backend_fails_the_check_and_the_build)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char err[256] = "";

	cr_assert(eq(int, se_dispatch_config_set_arg(cfg, "2,size=1009", NULL, 0), 0));
	for (unsigned i = 0; i < 10; i++)
		test_add_numbered(cfg, i, 1, 0, 2);
	cr_expect(eq(int, se_dispatch_config_check(cfg, err, sizeof(err)), 0), "%s", err);
	test_add_numbered(cfg, 10, 1, 0, 2);
	cr_expect(eq(int, se_dispatch_config_check(cfg, err, sizeof(err)), -EINVAL));
	cr_expect(eq(str, err, "set 2: table size 1009 is below 100 slots x 11 backends; give a "
		     "prime >= 1100 or leave the size automatic"));
	errno = 0;
	cr_expect(eq(ptr, se_dispatch_table_build(cfg), NULL));
	cr_expect(eq(int, errno, EINVAL));
	se_dispatch_config_free(cfg);
}

/* ---------------------------------------------------------------------------
 * The configuration object
 */

Test(dispatch_config, add_checks_every_field)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_backend b, x;

	memset(&b, 0, sizeof(b));
	b.addr.family = AF_INET;
	b.addr.bytes[0] = 10;
	b.addr.bytes[3] = 1;
	b.addr.port = 5060;
	b.weight = 1;
	b.set_id = 1;
	x = b;
	x.addr.family = 99;
	cr_expect(eq(int, se_dispatch_config_add(cfg, &x), -EINVAL), "family");
	x = b;
	x.addr.port = 0;
	cr_expect(eq(int, se_dispatch_config_add(cfg, &x), -EINVAL), "port");
	x = b;
	x.addr.bytes[9] = 1;
	cr_expect(eq(int, se_dispatch_config_add(cfg, &x), -EINVAL), "IPv4 tail bytes");
	x = b;
	x.addr.zero = 1;
	cr_expect(eq(int, se_dispatch_config_add(cfg, &x), -EINVAL), "zero byte");
	x = b;
	x.state = SE_DISPATCH_STATE_COUNT;
	cr_expect(eq(int, se_dispatch_config_add(cfg, &x), -EINVAL), "state");
	x = b;
	x.set_id = SE_DISPATCH_MAX_SET_ID + 1;
	cr_expect(eq(int, se_dispatch_config_add(cfg, &x), -EINVAL), "set id");
	x = b;
	x.addr.bytes[0] = 0;
	x.addr.bytes[3] = 0;
	cr_expect(eq(int, se_dispatch_config_add(cfg, &x), -EINVAL), "0.0.0.0");
	cr_expect(eq(uint, se_dispatch_config_count(cfg), 0));
	x = b;
	strcpy(x.name, "whatever");
	cr_expect(eq(int, se_dispatch_config_add(cfg, &x), 0));
	cr_expect(eq(str, (char *)se_dispatch_config_backend(cfg, 0)->name, "10.0.0.1:5060"),
		  "the name is derived from the address");
	se_dispatch_config_free(cfg);
}

Test(dispatch_config, find_state_weight_and_del)
{
	static const char *const args[] = {"10.0.0.1", "10.0.0.2", "10.0.0.3,set=2"};
	struct se_dispatch_config *cfg = test_config(args, 3);
	struct se_dispatch_addr a;

	cr_assert(eq(int, se_dispatch_addr_parse("10.0.0.2", 8, 5060, &a, NULL), 0));
	cr_expect(eq(int, se_dispatch_config_find(cfg, 1, &a), 1));
	cr_expect(eq(int, se_dispatch_config_find(cfg, 2, &a), -ENOENT));
	cr_expect(eq(int, se_dispatch_config_set_state(cfg, 1, SE_DISPATCH_DRAINING), 0));
	cr_expect(eq(u8, se_dispatch_config_backend(cfg, 1)->state, SE_DISPATCH_DRAINING));
	cr_expect(eq(int, se_dispatch_config_set_state(cfg, 3, SE_DISPATCH_UP), -ENOENT));
	cr_expect(eq(int, se_dispatch_config_set_state(cfg, 0, SE_DISPATCH_STATE_COUNT), -EINVAL));
	cr_expect(eq(int, se_dispatch_config_set_weight(cfg, 1, 7), 0));
	cr_expect(eq(u16, se_dispatch_config_backend(cfg, 1)->weight, 7));
	cr_expect(eq(int, se_dispatch_config_set_weight(cfg, 1, 65536), -EINVAL));
	cr_expect(eq(int, se_dispatch_config_set_weight(cfg, 9, 1), -ENOENT));
	cr_expect(eq(int, se_dispatch_config_del(cfg, 0), 0));
	cr_expect(eq(int, se_dispatch_config_find(cfg, 1, &a), 0), "later backends move down");
	cr_expect(eq(int, se_dispatch_config_del(cfg, 2), -ENOENT));
	cr_expect(eq(uint, se_dispatch_config_count(cfg), 2));
	cr_expect(eq(ptr, (void *)se_dispatch_config_backend(cfg, 2), NULL));
	se_dispatch_config_free(cfg);
}

Test(dispatch_config, tags_are_kept_in_tables_and_not_part_of_the_lookup)
{
	static const char *const args[] = {"10.0.0.1", "10.0.0.2", "10.0.0.3"};
	struct se_dispatch_config *cfg = test_config(args, 3);
	struct se_dispatch_table *plain, *tagged;
	struct se_dispatch_addr a;
	int idx;

	plain = se_dispatch_table_build(cfg);
	cr_assert(ne(ptr, plain, NULL));
	cr_expect(eq(u32, se_dispatch_config_backend(cfg, 2)->tag, 0), "untagged is 0");
	cr_expect(eq(int, se_dispatch_config_set_tag(cfg, 2, 4242), 0));
	cr_expect(eq(int, se_dispatch_config_set_tag(cfg, 3, 1), -ENOENT));
	tagged = se_dispatch_table_build(cfg);
	cr_assert(ne(ptr, tagged, NULL));
	cr_assert(eq(int, se_dispatch_addr_parse("10.0.0.3", 8, 5060, &a, NULL), 0));
	idx = se_dispatch_find(tagged, AF_INET, a.bytes, 5060);
	cr_assert(ge(int, idx, 0));
	cr_expect(eq(u32, tagged->backends[idx].tag, 4242));
	cr_expect(eq(int, memcmp(plain->sets[0].lookup, tagged->sets[0].lookup,
				 plain->sets[0].size * sizeof(uint16_t)), 0),
		  "a tag moves no key");
	se_dispatch_table_free(plain);
	se_dispatch_table_free(tagged);
	se_dispatch_config_free(cfg);
}

Test(dispatch_config, a_copy_is_equal_and_independent)
{
	static const char *const args[] = {"10.0.0.1,weight=3", "10.0.0.2,state=draining",
					   "10.0.0.3,set=2"};
	struct se_dispatch_config *cfg = test_config(args, 3), *copy;
	struct se_dispatch_table *a, *b;
	char err[128];

	cr_assert(eq(int, se_dispatch_config_set_arg(cfg, "2,key=to-uri,size=65537", err,
						     sizeof(err)), 0), "%s", err);
	se_dispatch_config_set_tag(cfg, 1, 9);
	copy = se_dispatch_config_copy(cfg);
	cr_assert(ne(ptr, copy, NULL));
	cr_expect(eq(uint, se_dispatch_config_count(copy), 3));
	for (unsigned i = 0; i < 3; i++)
		cr_expect(eq(int, memcmp(se_dispatch_config_backend(copy, i),
					 se_dispatch_config_backend(cfg, i),
					 sizeof(struct se_dispatch_backend)), 0), "backend %u", i);
	a = se_dispatch_table_build(cfg);
	b = se_dispatch_table_build(copy);
	cr_assert(ne(ptr, a, NULL));
	cr_assert(ne(ptr, b, NULL));
	cr_expect(eq(u8, b->sets[1].key, SE_DISPATCH_KEY_TO_URI), "set options are copied");
	cr_expect(eq(u32, b->sets[1].size, 65537));
	cr_expect(eq(int, memcmp(a->sets[0].lookup, b->sets[0].lookup,
				 a->sets[0].size * sizeof(uint16_t)), 0));
	/* changing the copy leaves the original alone, and the copy can grow */
	cr_expect(eq(int, se_dispatch_config_del(copy, 0), 0));
	cr_expect(ge(int, se_dispatch_config_add_arg(copy, "10.0.0.9", err, sizeof(err)), 0));
	cr_expect(eq(uint, se_dispatch_config_count(cfg), 3));
	cr_expect(eq(u16, se_dispatch_config_backend(cfg, 0)->weight, 3));
	se_dispatch_table_free(a);
	se_dispatch_table_free(b);
	se_dispatch_config_free(copy);
	se_dispatch_config_free(cfg);
}

Test(dispatch_config, an_empty_configuration_copies)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create(), *copy;
	char err[128];

	copy = se_dispatch_config_copy(cfg);
	cr_assert(ne(ptr, copy, NULL));
	cr_expect(eq(uint, se_dispatch_config_count(copy), 0));
	cr_expect(ge(int, se_dispatch_config_add_arg(copy, "10.0.0.9", err, sizeof(err)), 0));
	se_dispatch_config_free(copy);
	se_dispatch_config_free(cfg);
}

Test(dispatch_config, set_params_checks_its_fields)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_set_params p = {.set_id = 1, .size = 0, .key = SE_DISPATCH_KEY_COUNT};

	cr_expect(eq(int, se_dispatch_config_set_params(cfg, &p), -EINVAL), "key");
	p.key = SE_DISPATCH_KEY_TO_URI;
	p.size = 65536;
	cr_expect(eq(int, se_dispatch_config_set_params(cfg, &p), -EINVAL), "not prime");
	p.size = SE_DISPATCH_MAX_SIZE;
	cr_expect(eq(int, se_dispatch_config_set_params(cfg, &p), 0));
	p.set_id = SE_DISPATCH_MAX_SET_ID + 1;
	cr_expect(eq(int, se_dispatch_config_set_params(cfg, &p), -EINVAL), "set id");
	se_dispatch_config_free(cfg);
}

Test(dispatch_config, free_is_null_safe)
{
	se_dispatch_config_free(NULL);
	se_dispatch_table_free(NULL);
}

/* ---------------------------------------------------------------------------
 * Text forms
 */

Test(dispatch_addr, format_round_trips_and_refuses_short_buffers)
{
	struct se_dispatch_addr a;
	char buf[SE_DISPATCH_NAME_LEN];
	const char *longest = "[2001:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535";

	cr_assert(eq(int, se_dispatch_addr_parse(longest, strlen(longest), 1, &a, NULL), 0));
	cr_expect(eq(int, se_dispatch_addr_format(&a, buf, sizeof(buf)),
		     (int)strlen("[2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535")));
	cr_expect(eq(str, buf, "[2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535"),
		  "the longest form fits the name field");
	cr_expect(eq(int, se_dispatch_addr_format(&a, buf, 10), -ENOSPC));
	cr_assert(eq(int, se_dispatch_addr_parse("[::ffff:1.2.3.4]:9", 18, 1, &a, NULL), 0));
	cr_expect(eq(int, se_dispatch_addr_format(&a, buf, sizeof(buf)), 18));
	cr_expect(eq(str, buf, "[::ffff:1.2.3.4]:9"));
	a.family = 0;
	cr_expect(eq(int, se_dispatch_addr_format(&a, buf, sizeof(buf)), -EINVAL));
}

Test(dispatch_addr, parse_takes_a_length_not_a_nul)
{
	struct se_dispatch_addr a;
	const char *why = NULL;

	cr_expect(eq(int, se_dispatch_addr_parse("10.0.0.1:5060,weight=2", 13, 5060, &a, &why), 0));
	cr_expect(eq(u16, a.port, 5060));
	cr_expect(eq(int, se_dispatch_addr_parse("10.0.0.1:5060", 0, 5060, &a, &why), -EINVAL));
	cr_expect(eq(str, (char *)why, "empty address"));
	cr_expect(eq(u8, a.family, 0), "a failed parse leaves a zeroed address");
}

Test(dispatch_names, states_and_keys_have_stable_names)
{
	cr_expect(eq(str, (char *)se_dispatch_state_name(SE_DISPATCH_UP), "up"));
	cr_expect(eq(str, (char *)se_dispatch_state_name(SE_DISPATCH_DOWN), "down"));
	cr_expect(eq(str, (char *)se_dispatch_state_name(SE_DISPATCH_DRAINING), "draining"));
	cr_expect(eq(str, (char *)se_dispatch_state_name(SE_DISPATCH_DISABLED), "disabled"));
	cr_expect(eq(str, (char *)se_dispatch_state_name(SE_DISPATCH_STATE_COUNT), "?"));
	cr_expect(eq(str, (char *)se_dispatch_key_name(SE_DISPATCH_KEY_CALL_ID), "call-id"));
	cr_expect(eq(str, (char *)se_dispatch_key_name(SE_DISPATCH_KEY_FROM_USER), "from-user"));
	cr_expect(eq(str, (char *)se_dispatch_key_name(SE_DISPATCH_KEY_TO_URI), "to-uri"));
	cr_expect(eq(str, (char *)se_dispatch_key_name(SE_DISPATCH_KEY_RURI_USER), "ruri-user"));
	cr_expect(eq(str, (char *)se_dispatch_key_name(SE_DISPATCH_KEY_SRC_ADDR), "src-addr"));
	cr_expect(eq(str, (char *)se_dispatch_key_name(SE_DISPATCH_KEY_COUNT), "?"));
}
