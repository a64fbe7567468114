/* SPDX-License-Identifier: BSD-3-Clause */
/* Kamailio dispatcher.list files. */

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "dispatch_test.h"

/* Write @len bytes to a fresh temporary file; its path goes to @path. */
static void
write_list(char path[64], const char *text, size_t len)
{
	int fd;

	strcpy(path, "/tmp/se_dispatch_list_XXXXXX");
	fd = mkstemp(path);
	cr_assert(ge(int, fd, 0));
	cr_assert(eq(sz, (size_t)write(fd, text, len), len));
	close(fd);
}

/* Load @text; returns the rc, leaves the error in @err. */
static int
load_text(struct se_dispatch_config *cfg, const char *text, char path[64], char *err,
	  size_t errlen)
{
	int rc;

	write_list(path, text, strlen(text));
	rc = se_dispatch_config_load_file(cfg, path, err, errlen);
	unlink(path);
	return rc;
}

static const struct se_dispatch_backend *
backend_named(const struct se_dispatch_config *cfg, uint32_t set, const char *name)
{
	for (unsigned i = 0; i < se_dispatch_config_count(cfg); i++) {
		const struct se_dispatch_backend *b = se_dispatch_config_backend(cfg, i);

		if (b->set_id == set && strcmp(b->name, name) == 0)
			return b;
	}
	return NULL;
}

Test(dispatcher_list, a_commented_list_with_flags_priorities_and_attrs_is_loaded)
{
	static const char text[] =
		"# dispatcher destination sets\n"
		"#\n"
		"\n"
		"# line format: setid destination flags priority attributes\n"
		"1 sip:10.0.0.1:5060\n"
		"1\tsip:10.0.0.2:5062 0 0 weight=5;duid=abc\r\n"
		"  1   sip:10.0.0.3  1\n"
		"1 sip:10.0.0.4:5060 4 0 duid=x;weight=0\n"
		"1 10.0.0.5:5070 26 # trying + probing + no-DNS flags: ignored; comment after\n"
		"2 sip:[2001:db8::1]:5080;transport=udp 0 10 weight=2\n"
		"2 SIP:[2001:db8::2];lr;transport=UDP 0 5\n"
		"2 sip:10.0.0.1:5060;maxttl=3 8 0 socket=udp:10.0.0.9:5060;weight=3;\n"
		"   \t  \n"
		"# the end";
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	const struct se_dispatch_backend *b;
	char path[64], err[256] = "";

	cr_assert(eq(int, load_text(cfg, text, path, err, sizeof(err)), 8), "%s", err);
	cr_expect(eq(uint, se_dispatch_config_count(cfg), 8));

	b = backend_named(cfg, 1, "10.0.0.1:5060");
	cr_assert(not(eq(ptr, (void *)b, NULL)));
	cr_expect(eq(u16, b->weight, 1), "no attrs: weight 1");
	cr_expect(eq(i32, b->priority, 0));
	cr_expect(eq(u8, b->state, SE_DISPATCH_UP));

	b = backend_named(cfg, 1, "10.0.0.2:5062");
	cr_assert(not(eq(ptr, (void *)b, NULL)), "tabs and CRLF");
	cr_expect(eq(u16, b->weight, 5));

	b = backend_named(cfg, 1, "10.0.0.3:5060");
	cr_assert(not(eq(ptr, (void *)b, NULL)), "default port");
	cr_expect(eq(u8, b->state, SE_DISPATCH_DOWN), "flag 1: inactive");

	b = backend_named(cfg, 1, "10.0.0.4:5060");
	cr_assert(not(eq(ptr, (void *)b, NULL)));
	cr_expect(eq(u8, b->state, SE_DISPATCH_DISABLED), "flag 4: disabled");
	cr_expect(eq(u16, b->weight, 0));

	b = backend_named(cfg, 1, "10.0.0.5:5070");
	cr_assert(not(eq(ptr, (void *)b, NULL)), "no sip: scheme");
	cr_expect(eq(u8, b->state, SE_DISPATCH_UP), "flags 2, 8, 16 leave it up");

	b = backend_named(cfg, 2, "[2001:db8::1]:5080");
	cr_assert(not(eq(ptr, (void *)b, NULL)));
	cr_expect(eq(i32, b->priority, -10), "Kamailio priority 10 is group -10");
	cr_expect(eq(u16, b->weight, 2));

	b = backend_named(cfg, 2, "[2001:db8::2]:5060");
	cr_assert(not(eq(ptr, (void *)b, NULL)));
	cr_expect(eq(i32, b->priority, -5));

	b = backend_named(cfg, 2, "10.0.0.1:5060");
	cr_assert(not(eq(ptr, (void *)b, NULL)), "same address in another set");
	cr_expect(eq(u16, b->weight, 3), "other attributes ignored, trailing ';' fine");
	se_dispatch_config_free(cfg);
}

Test(dispatcher_list, greater_kamailio_priority_is_the_preferred_group)
{
	static const char text[] = "1 sip:10.0.0.1 0 0\n"
				   "1 sip:10.0.0.2 0 10\n";
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_table *t;
	char path[64], err[256] = "";

	cr_assert(eq(int, load_text(cfg, text, path, err, sizeof(err)), 2), "%s", err);
	t = test_build(cfg);
	cr_assert(eq(u16, t->sets[0].n_active, 1));
	cr_expect(eq(str, (char *)t->backends[t->sets[0].first + t->sets[0].lookup[0]].name,
		     "10.0.0.2:5060"));
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
}

Test(dispatcher_list, an_empty_or_comment_only_file_adds_nothing)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char path[64], err[256] = "";

	cr_expect(eq(int, load_text(cfg, "", path, err, sizeof(err)), 0));
	cr_expect(eq(int, load_text(cfg, "# nothing\n\n  # here\n", path, err, sizeof(err)), 0));
	cr_expect(eq(uint, se_dispatch_config_count(cfg), 0));
	se_dispatch_config_free(cfg);
}

/* Parameters are copied into a fresh process: strings inline, no pointers. */
struct bad_line {
	char text[80];    /* the file */
	unsigned line;    /* line of the error */
	char reason[160]; /* after "FILE:LINE: " */
};

ParameterizedTestParameters(dispatcher_list, a_bad_line_refuses_the_file_with_file_line_reason)
{
	static struct bad_line cases[] = {
		{"x sip:10.0.0.1\n", 1, "set id 'x' is not a number 0..2147483647"},
		{"# c\n1a sip:10.0.0.1\n", 2, "set id '1a' is not a number 0..2147483647"},
		{"2147483648 sip:10.0.0.1\n", 1,
		 "set id '2147483648' is not a number 0..2147483647"},
		{"\n\n1\n", 3, "missing destination after the set id"},
		{"1 # sip:10.0.0.1\n", 1, "missing destination after the set id"},
		{"1 sip:10.0.0.1\n1 sip:gw.example.com:5060\n", 2,
		 "destination 'sip:gw.example.com:5060': host names are not resolved (no DNS on "
		 "the data path): give an IPv4 address or [IPv6]"},
		{"1 sips:10.0.0.1\n", 1, "sips: destinations are not supported (UDP only)"},
		{"1 tel:+15551234\n", 1, "URI scheme 'tel:' is not supported (sip: only)"},
		{"1 sip:gw@10.0.0.1\n", 1,
		 "a user part in the destination is not supported "
		 "(sipedge routes by address only)"},
		{"1 sip:10.0.0.1;transport=tcp\n", 1, "transport=tcp is not supported (UDP only)"},
		{"1 sip:10.0.0.1;lr;transport=tls\n", 1,
		 "transport=tls is not supported (UDP only)"},
		{"1 sip:10.0.0.1?x=y\n", 1,
		 "URI headers ('?...') in the destination are not supported"},
		{"1 sip:10.0.0.1:0\n", 1, "destination 'sip:10.0.0.1:0': port must be 1..65535"},
		{"1 sip:2001:db8::1\n", 1,
		 "destination 'sip:2001:db8::1': IPv6 addresses need brackets: [ADDR]:PORT"},
		{"1 sip:\n", 1, "destination 'sip:': empty address"},
		{"1 sip:10.0.0.1 99\n", 1,
		 "flags '99' must be a number 0..31 (Kamailio dispatcher flags)"},
		{"1 sip:10.0.0.1 x\n", 1,
		 "flags 'x' must be a number 0..31 (Kamailio dispatcher flags)"},
		{"1 sip:10.0.0.1 0 -1\n", 1, "priority '-1' must be a number 0..2147483647"},
		{"1 sip:10.0.0.1 0 0 weight=abc\n", 1,
		 "attribute 'weight=abc': weight must be 0..65535"},
		{"1 sip:10.0.0.1 0 0 duid=a;weight=70000\n", 1,
		 "attribute 'weight=70000': weight must be 0..65535"},
		{"1 sip:10.0.0.1 0 0 weight\n", 1, "attribute 'weight': weight must be 0..65535"},
		{"1 sip:10.0.0.1 0 0 weight=1 extra\n", 1,
		 "unexpected 'extra' after the attributes"},
		{"1 sip:10.0.0.1\n2 sip:10.0.0.1\n1 sip:10.0.0.1:5060\n", 3,
		 "10.0.0.1:5060 is already in set 1"},
	};

	return cr_make_param_array(struct bad_line, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_line *c, dispatcher_list,
		  a_bad_line_refuses_the_file_with_file_line_reason)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char path[64], err[512] = "", want[512];
	int rc;

	cr_assert(eq(int, se_dispatch_config_add_arg(cfg, "192.0.2.1:5060", NULL, 0), 0));
	rc = load_text(cfg, c->text, path, err, sizeof(err));
	snprintf(want, sizeof(want), "%s:%u: %s", path, c->line, c->reason);
	cr_expect(lt(int, rc, 0));
	cr_expect(eq(str, err, want));
	cr_expect(eq(uint, se_dispatch_config_count(cfg), 1), "the configuration is unchanged");
	se_dispatch_config_free(cfg);
}

Test(dispatcher_list, a_missing_file_is_reported_with_its_path)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char err[256] = "";

	cr_expect(eq(int, se_dispatch_config_load_file(cfg, "/nonexistent/dispatcher.list", err,
						       sizeof(err)), -ENOENT));
	cr_expect(eq(str, err, "/nonexistent/dispatcher.list: No such file or directory"));
	se_dispatch_config_free(cfg);
}

Test(dispatcher_list, a_nul_byte_or_an_overlong_line_is_refused)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	static const char nul[] = "1 sip:10.0.0.1\n1 sip:10.0.0.2\0junk\n";
	char path[64], err[256] = "", want[320];
	char *big;
	int rc;

	write_list(path, nul, sizeof(nul) - 1);
	rc = se_dispatch_config_load_file(cfg, path, err, sizeof(err));
	unlink(path);
	snprintf(want, sizeof(want), "%s:2: NUL byte in the line", path);
	cr_expect(eq(int, rc, -EINVAL));
	cr_expect(eq(str, err, want));

	big = malloc(5000);
	memset(big, ' ', 4999);
	memcpy(big, "1 sip:10.0.0.1", 14);
	big[4999] = '\0';
	rc = load_text(cfg, big, path, err, sizeof(err));
	free(big);
	snprintf(want, sizeof(want), "%s:1: line longer than 4096 bytes", path);
	cr_expect(eq(int, rc, -EINVAL));
	cr_expect(eq(str, err, want));
	cr_expect(eq(uint, se_dispatch_config_count(cfg), 0));
	se_dispatch_config_free(cfg);
}

Test(dispatcher_list, a_file_and_arguments_add_to_the_same_configuration)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char path[64], err[256] = "", want[320];

	cr_assert(eq(int, se_dispatch_config_add_arg(cfg, "10.0.0.1:5060", NULL, 0), 0));
	cr_expect(eq(int, load_text(cfg, "1 sip:10.0.0.2\n", path, err, sizeof(err)), 1));
	cr_expect(eq(int, load_text(cfg, "1 sip:10.0.0.1:5060\n", path, err, sizeof(err)),
		     -EEXIST));
	snprintf(want, sizeof(want), "%s:1: 10.0.0.1:5060 is already in set 1", path);
	cr_expect(eq(str, err, want));
	cr_expect(eq(uint, se_dispatch_config_count(cfg), 2));
	se_dispatch_config_free(cfg);
}

Test(dispatcher_list, the_shipped_example_loads)
{
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	struct se_dispatch_table *t;
	char err[256] = "";
	int rc = se_dispatch_config_load_file(cfg, SE_TEST_SOURCE_ROOT "/config/dispatcher.list",
					      err, sizeof(err));

	cr_assert(gt(int, rc, 0), "%s", err);
	t = test_build(cfg);
	cr_expect(gt(u16, t->n_sets, 0));
	se_dispatch_table_free(t);
	se_dispatch_config_free(cfg);
}
