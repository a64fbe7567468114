/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sipedge-inspect: what the edge sees in a SIP datagram, as one JSON object
 * per message per line.
 *
 *   sipedge-inspect [--pcap FILE]... FILE...
 *   sipedge-inspect --backend ADDR:PORT[,...]... [--set S,key=K]... [FILE]...
 *
 * Each FILE is one datagram. With --pcap, every UDP payload of a capture
 * (Ethernet with optional 802.1Q tags, or Linux cooked v1/v2; IPv4) is one
 * message; non-UDP frames are skipped, and so are IP fragments: reassembly is
 * out of scope for this tool. With --backend, --backends-file or --set (the
 * daemon's options), each object also tells which backend a new call would go
 * to (inspect_dispatch.c). Exit status: 0 when every input was read (even if
 * messages are invalid), 1 when an input cannot be read, 2 on bad usage.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "inspect_dispatch.h"
#include "se_sip.h"

#define MAX_HDRS 256
#define MAX_ENTRIES 512
#define MAX_FILE (16u << 20)

/* Where a message came from. */
struct source {
	const char *file;
	long index; /* frame number in a capture (1-based), or -1 for a plain file */
	uint32_t src_ip; /* IPv4 source of a captured datagram, network order; 0: unknown */
};

/*
 * Called before the closing brace of each object, to add fields (the
 * dispatch issue adds "backend" here). NULL for none.
 */
typedef void (*inspect_extra_fn)(FILE *out, const uint8_t *buf, size_t len,
				 const struct se_sip_msg *msg, enum se_sip_status st, void *arg);

/* Is [p, p + n) a complete, shortest-form UTF-8 sequence starting at p? Returns its length or 0. */
static size_t
utf8_len(const uint8_t *p, size_t n)
{
	uint32_t cp;
	size_t k, i;

	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	k = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (n < k)
		return 0;
	cp = p[0] & (0x3f >> (k - 1));
	for (i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return k;
}

/*
 * A JSON string of exact bytes: valid UTF-8 passes through; control bytes,
 * DEL and bytes that are not valid UTF-8 become \u00XX (the byte's value).
 */
static void
json_bytes(FILE *out, const uint8_t *p, size_t n)
{
	size_t i = 0;

	fputc('"', out);
	while (i < n) {
		uint8_t c = p[i];
		size_t k;

		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			fputc(c, out);
			i++;
		} else if ((k = utf8_len(p + i, n - i)) != 0) {
			fwrite(p + i, 1, k, out);
			i += k;
		} else {
			fprintf(out, "\\u%04x", c);
			i++;
		}
	}
	fputc('"', out);
}

static void
json_span(FILE *out, const uint8_t *buf, struct se_span s)
{
	json_bytes(out, buf + s.off, s.len);
}

/* A span as a string, or null when it is empty and absent is meant. */
static void
json_span_or_null(FILE *out, const uint8_t *buf, struct se_span s, bool present)
{
	if (present)
		json_span(out, buf, s);
	else
		fputs("null", out);
}

static void
emit_vias(FILE *out, const uint8_t *buf, const struct se_sip_msg *msg)
{
	bool first = true;
	uint16_t i;

	fputs("[", out);
	for (i = 0; i < msg->entry_count; i++) {
		const struct se_sip_entry *e = &msg->entries[i];
		struct se_sip_via v;

		if (msg->hdrs[e->hdr].type != SE_SIP_HDR_VIA)
			continue;
		fputs(first ? "{" : ",{", out);
		first = false;
		if (se_sip_via_parse(buf, e->span, &v) != 0) {
			fputs("\"valid\":false,\"raw\":", out);
			json_span(out, buf, e->span);
			fputs("}", out);
			continue;
		}
		fputs("\"transport\":", out);
		json_span(out, buf, v.transport);
		fputs(",\"host\":", out);
		json_span(out, buf, v.host);
		fputs(",\"port\":", out);
		if (v.port != 0)
			fprintf(out, "%u", v.port);
		else
			fputs("null", out);
		fputs(",\"branch\":", out);
		json_span_or_null(out, buf, v.branch, v.flags & SE_SIP_VIA_BRANCH);
		fputs(",\"received\":", out);
		json_span_or_null(out, buf, v.received, v.flags & SE_SIP_VIA_RECEIVED);
		fputs(",\"rport\":", out);
		json_span_or_null(out, buf, v.rport, v.flags & SE_SIP_VIA_RPORT);
		fputs("}", out);
	}
	fputs("]", out);
}

/* The value of the first header of type t, or null. */
static void
json_hdr_value(FILE *out, const uint8_t *buf, const struct se_sip_msg *msg,
	       enum se_sip_hdr_type t)
{
	if (msg->first[t] != SE_SIP_NONE && msg->first[t] < msg->hdr_count)
		json_span(out, buf, msg->hdrs[msg->first[t]].value);
	else
		fputs("null", out);
}

/* One message as one JSON object on one line. */
static void
emit_message(FILE *out, const struct source *src, const uint8_t *buf, size_t len,
	     const struct se_sip_msg *msg, enum se_sip_status st, inspect_extra_fn extra,
	     void *arg)
{
	bool started = st != SE_SIP_ERR_EMPTY && st != SE_SIP_ERR_TOO_LARGE &&
		       (msg->method.len != 0 || msg->status != 0);
	bool cseq_ok = msg->cseq_method.len != 0;

	fputs("{\"file\":", out);
	json_bytes(out, (const uint8_t *)src->file, strlen(src->file));
	if (src->index >= 0)
		fprintf(out, ",\"index\":%ld", src->index);
	fprintf(out, ",\"valid\":%s,\"error\":", st == SE_SIP_OK ? "true" : "false");
	if (st == SE_SIP_OK)
		fputs("null", out);
	else
		fprintf(out, "\"%s\"", se_sip_status_name(st));
	fputs(",\"kind\":", out);
	fputs(!started ? "null" : msg->is_request ? "\"request\"" : "\"response\"", out);
	fputs(",\"method\":", out);
	json_span_or_null(out, buf, msg->method, started && msg->is_request);
	fputs(",\"status\":", out);
	if (started && !msg->is_request)
		fprintf(out, "%u", msg->status);
	else
		fputs("null", out);
	fputs(",\"ruri\":", out);
	json_span_or_null(out, buf, msg->ruri, started && msg->is_request);
	fputs(",\"call_id\":", out);
	json_hdr_value(out, buf, msg, SE_SIP_HDR_CALL_ID);
	fputs(",\"cseq\":", out);
	if (cseq_ok)
		fprintf(out, "%u", msg->cseq);
	else
		fputs("null", out);
	fputs(",\"cseq_method\":", out);
	json_span_or_null(out, buf, msg->cseq_method, cseq_ok);
	fputs(",\"branch\":", out);
	json_span_or_null(out, buf, msg->via.branch, msg->via.flags & SE_SIP_VIA_BRANCH);
	fputs(",\"vias\":", out);
	emit_vias(out, buf, msg);
	fputs(",\"from_tag\":", out);
	json_span_or_null(out, buf, msg->from.tag, msg->from.flags & SE_SIP_ADDR_TAG);
	fputs(",\"to_tag\":", out);
	json_span_or_null(out, buf, msg->to.tag, msg->to.flags & SE_SIP_ADDR_TAG);
	fputs(",\"max_forwards\":", out);
	if (msg->max_forwards >= 0)
		fprintf(out, "%d", msg->max_forwards);
	else
		fputs("null", out);
	fputs(",\"content_length\":", out);
	if (msg->content_length >= 0)
		fprintf(out, "%ld", (long)msg->content_length);
	else
		fputs("null", out);
	fputs(",\"body_len\":", out);
	if (st == SE_SIP_OK)
		fprintf(out, "%u", msg->body_len);
	else
		fputs("null", out);
	if (extra != NULL)
		extra(out, buf, len, msg, st, arg);
	fputs("}\n", out);
}

static void
inspect_one(const struct source *src, const uint8_t *buf, size_t len)
{
	static struct se_sip_hdr hdrs[MAX_HDRS];
	static struct se_sip_entry entries[MAX_ENTRIES];
	struct se_sip_msg msg;
	enum se_sip_status st;
	uint32_t src_ip = src->src_ip;

	se_sip_msg_init(&msg, hdrs, MAX_HDRS, entries, MAX_ENTRIES);
	st = se_sip_parse(buf, len, &msg);
	emit_message(stdout, src, buf, len, &msg, st,
		     inspect_dispatch_enabled() ? inspect_dispatch_emit : NULL, &src_ip);
}

static int
inspect_file(const char *path)
{
	struct source src = { path, -1, 0 };
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "sipedge-inspect: %s: %s\n", path, strerror(errno));
		return 1;
	}
	buf = malloc(MAX_FILE);
	if (buf == NULL) {
		fclose(f);
		fprintf(stderr, "sipedge-inspect: out of memory\n");
		return 1;
	}
	n = fread(buf, 1, MAX_FILE, f);
	if (ferror(f)) {
		fprintf(stderr, "sipedge-inspect: %s: read error\n", path);
		fclose(f);
		free(buf);
		return 1;
	}
	fclose(f);
	inspect_one(&src, buf, n);
	free(buf);
	return 0;
}

/* The UDP payload of an IPv4 packet at p, or NULL (not UDP, fragment, truncated). */
static const uint8_t *
udp_payload(const uint8_t *p, size_t n, size_t *plen)
{
	size_t ihl, tot, ulen;

	if (n < 20 || (p[0] >> 4) != 4)
		return NULL;
	ihl = (size_t)(p[0] & 0x0f) * 4;
	tot = ((size_t)p[2] << 8) | p[3];
	if (ihl < 20 || tot < ihl || n < ihl + 8 || p[9] != 17)
		return NULL;
	if ((((p[6] << 8) | p[7]) & 0x3fff) != 0)
		return NULL; /* MF set or an offset: fragments are out of scope */
	if (tot < n)
		n = tot;
	ulen = ((size_t)p[ihl + 4] << 8) | p[ihl + 5];
	if (ulen < 8 || ihl + ulen > n)
		return NULL;
	*plen = ulen - 8;
	return p + ihl + 8;
}

static int
inspect_pcap(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *ph;
	const uint8_t *pkt;
	pcap_t *pc;
	long index = 0;
	int dlt, rc;

	pc = pcap_open_offline(path, err);
	if (pc == NULL) {
		fprintf(stderr, "sipedge-inspect: %s: %s\n", path, err);
		return 1;
	}
	dlt = pcap_datalink(pc);
	while ((rc = pcap_next_ex(pc, &ph, &pkt)) == 1) {
		struct source src = { path, ++index, 0 };
		size_t n = ph->caplen, off, plen;
		uint16_t et;
		const uint8_t *pl;

		if (dlt == DLT_EN10MB) {
			if (n < 14)
				continue;
			et = (uint16_t)((pkt[12] << 8) | pkt[13]);
			off = 14;
			while ((et == 0x8100 || et == 0x88a8) && n >= off + 4) {
				et = (uint16_t)((pkt[off + 2] << 8) | pkt[off + 3]);
				off += 4;
			}
		} else if (dlt == DLT_LINUX_SLL) {
			if (n < 16)
				continue;
			et = (uint16_t)((pkt[14] << 8) | pkt[15]);
			off = 16;
		} else if (dlt == DLT_LINUX_SLL2) {
			if (n < 20)
				continue;
			et = (uint16_t)((pkt[0] << 8) | pkt[1]);
			off = 20;
		} else {
			fprintf(stderr, "sipedge-inspect: %s: link type %d not supported\n", path,
				dlt);
			pcap_close(pc);
			return 1;
		}
		if (et != 0x0800 || n < off)
			continue;
		pl = udp_payload(pkt + off, n - off, &plen);
		if (pl == NULL)
			continue;
		/* udp_payload() checked a whole IPv4 header: its source is at 12. */
		memcpy(&src.src_ip, pkt + off + 12, sizeof(src.src_ip));
		inspect_one(&src, pl, plen);
	}
	if (rc == -1) {
		fprintf(stderr, "sipedge-inspect: %s: %s\n", path, pcap_geterr(pc));
		pcap_close(pc);
		return 1;
	}
	pcap_close(pc);
	return 0;
}

static void
usage(FILE *out)
{
	fputs("usage: sipedge-inspect [--pcap FILE]... [FILE]...\n"
	      "  Parse SIP datagrams and print one JSON object per message per line.\n"
	      "  FILE         one datagram per file\n"
	      "  --pcap FILE  every UDP payload of a capture (Ethernet or Linux cooked,\n"
	      "               IPv4; IP fragments are skipped)\n"
	      "  --backend ADDR[:PORT][,weight=W][,prio=P][,set=S][,state=STATE]\n"
	      "  --backends-file FILE  (Kamailio dispatcher.list)\n"
	      "  --set S[,key=call-id|from-user|to-uri|ruri-user|src-addr][,size=N]\n"
	      "  --dispatch-set S      set new calls go to (default 1, else the lowest)\n"
	      "               with any of these, each object gets the backend a new call\n"
	      "               would go to: \"backend\" (or null and \"backend_reason\")\n"
	      "  --help       this text\n"
	      "Exit status: 0 all inputs read, 1 an input could not be read, 2 bad usage.\n",
	      out);
}

int
main(int argc, char **argv)
{
	int i, rc = 0, inputs = 0;
	bool opts = true;

	for (i = 1; i < argc; i++) {
		if (opts && strcmp(argv[i], "--") == 0) {
			opts = false;
			continue;
		}
		if (!opts) {
			inputs++;
			continue;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if ((strcmp(argv[i], "--pcap") == 0 || inspect_dispatch_takes(argv[i])) &&
		    i + 1 >= argc) {
			usage(stderr);
			return 2;
		}
		if (inspect_dispatch_takes(argv[i])) {
			if (inspect_dispatch_add(argv[i], argv[i + 1]) != 0)
				return 2;
			i++;
			continue;
		}
		if (strcmp(argv[i], "--pcap") == 0) {
			i++;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0' && strcmp(argv[i], "--") != 0) {
			fprintf(stderr, "sipedge-inspect: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
		inputs++;
	}
	if (inputs == 0) {
		usage(stderr);
		return 2;
	}
	if (inspect_dispatch_ready() != 0)
		return 2;
	opts = true;
	for (i = 1; i < argc; i++) {
		if (opts && strcmp(argv[i], "--") == 0) {
			opts = false;
			continue;
		}
		if (opts && inspect_dispatch_takes(argv[i])) {
			i++;
		} else if (opts && strcmp(argv[i], "--pcap") == 0) {
			if (inspect_pcap(argv[++i]) != 0)
				rc = 1;
		} else if (inspect_file(argv[i]) != 0) {
			rc = 1;
		}
		fflush(stdout);
	}
	inspect_dispatch_fini();
	return rc;
}
