/*
 * response-digest.h - helpers shared by check_response_hostile (on the
 * project's fixtures) and check_captures (on ../shared/captures): a text
 * digest of a decoded result, UTF-16 transcodings of a document, and
 * parsing against a request.
 */
#ifndef RDMS_RESPONSE_DIGEST_H
#define RDMS_RESPONSE_DIGEST_H

#include "response-test.h"

#include <iconv.h>

/* fixture() or capture(): the document numbered num. */
typedef char *(*loader_fn)(const char *num, size_t *len);

static inline struct rdms_request
request(const char *mid, const char *action, const char *method, int kind)
{
	struct rdms_request q;

	memset(&q, 0, sizeof(q));
	q.message_id = (char *)mid;
	q.action = (char *)action;
	q.method = (char *)method;
	q.kind = kind;
	return q;
}

static inline int
parse_with_from(loader_fn load, const char *num, const struct rdms_request *q,
    rdms_result **r)
{
	rdms_parse_options o = RDMS_PARSE_OPTIONS_INIT;
	size_t len;
	char *buf = load(num, &len);
	int rc;

	o.request = q;
	rc = rdms_response_parse(r, buf, len, &o);
	free(buf);
	return rc;
}



static inline void
digest_item(rdms_buf *b, const rdms_item *it, int depth)
{
	size_t i;

	rdms__buf_printf(b, "%*s{%s}%s nil=%d text=%s\n", depth, "", rdms_item_ns(it) ?
	    rdms_item_ns(it) : "-", rdms_item_name(it), rdms_item_is_nil(it),
	    rdms_item_text(it) ? rdms_item_text(it) : "(null)");
	for (i = 0; i < it->nattr; i++)
		rdms__buf_printf(b, "%*s@%s=%s\n", depth, "", it->attr[i].name, it->attr[i].value);
	for (i = 0; i < rdms_item_child_count(it); i++)
		digest_item(b, rdms_item_child(it, i), depth + 1);
}

#define S(x) ((x) ? (x) : "(null)")

static inline char *
digest(const rdms_result *r)
{
	rdms_buf b = RDMS_BUF_INIT;
	const rdms_fault *f = rdms_result_fault(r);
	uint32_t rv = 0;
	size_t i;

	rdms__buf_printf(&b, "kind=%d action=%s rel=%s method=%s ns=%s ctx=%s eos=%d\n",
	    rdms_result_kind_of(r), S(rdms_result_action(r)), S(rdms_result_relates_to(r)),
	    S(rdms_result_method(r)), S(rdms_result_ns(r)), S(rdms_result_enum_context(r)),
	    rdms_result_end_of_sequence(r));
	if (rdms_result_kind_of(r) == RDMS_RESULT_INVOKE)
		rdms__buf_printf(&b, "rv=%d/%u\n", rdms_result_return_value(r, &rv), rv);
	if (f != NULL)
		rdms__buf_printf(&b, "%s %s %s %s|%s|%s|%s|%s|%s|%s|%d %u %d %u\n", S(f->code_ns),
		    S(f->code), S(f->subcode_ns), S(f->subcode), S(f->reason), S(f->message),
		    S(f->machine), S(f->fault_detail), S(f->provider), S(f->not_understood),
		    f->has_wsman_code, f->wsman_code, f->has_wmi_code, f->wmi_code);
	for (i = 0; i < rdms_result_count(r); i++)
		digest_item(&b, rdms_result_at(r, i), 0);
	for (i = 0; i < rdms_result_instance_count(r); i++)
		digest_item(&b, rdms_result_instance(r, i), 0);
	ck_assert(!b.failed);
	return rdms__buf_detach(&b, NULL);
}

/* iconv(3) to UTF-16LE/BE, optionally with a BOM. */
static inline char *
transcode(const char *in, size_t len, const char *to, int bom, size_t *outlen)
{
	size_t cap = len * 2 + 2, left = len * 2, inleft = len;
	char *out = malloc(cap), *src = (char *)in, *dst;
	iconv_t cd = iconv_open(to, "UTF-8");

	ck_assert_ptr_nonnull(out);
	ck_assert(cd != (iconv_t)-1);
	dst = out;
	if (bom) {
		int be = strcmp(to, "UTF-16BE") == 0;
		*dst++ = be ? '\xfe' : '\xff';
		*dst++ = be ? '\xff' : '\xfe';
	}
	ck_assert(iconv(cd, &src, &inleft, &dst, &left) != (size_t)-1);
	ck_assert_uint_eq(inleft, 0);
	iconv_close(cd);
	*outlen = (size_t)(dst - out);
	return out;
}

struct variant {
	const char *to;
	int bom;
	const char *ct;
};

static const struct variant utf16_variants[] = {
	{ "UTF-16LE", 1, NULL },
	{ "UTF-16BE", 1, NULL },
	{ "UTF-16LE", 1, "application/soap+xml;charset=UTF-16" },
	{ "UTF-16BE", 1, "application/soap+xml;charset=utf-16" },
	{ "UTF-16LE", 0, "application/soap+xml;charset=UTF-16LE" },
	{ "UTF-16BE", 0, "application/soap+xml; charset=\"UTF-16BE\"" },
	{ "UTF-16LE", 0, NULL },   /* sniffed from "<\0" */
	{ "UTF-16BE", 0, NULL },   /* sniffed from "\0<" */
};

/* The document numbered num (UTF-8, no encoding declared) decodes the
 * same in every UTF-16 form a server may send. */
static inline void
same_in_utf16(loader_fn load, const char *num)
{
	size_t len, i;
	char *buf = load(num, &len), *want;
	rdms_result *r;
	int rc0 = rdms_response_parse(&r, buf, len, NULL);

	ck_assert_msg(strstr(buf, "encoding=") == NULL, "%s declares an encoding", num);
	ck_assert_ptr_nonnull(r);
	want = digest(r);
	rdms_result_free(r);
	for (i = 0; i < sizeof(utf16_variants) / sizeof(utf16_variants[0]); i++) {
		rdms_parse_options o = RDMS_PARSE_OPTIONS_INIT;
		size_t n;
		char *u16 = transcode(buf, len, utf16_variants[i].to, utf16_variants[i].bom, &n), *got;
		int rc;

		o.content_type = utf16_variants[i].ct;
		rc = rdms_response_parse(&r, u16, n, &o);
		ck_assert_msg(rc == rc0, "%s as %s bom=%d ct=%s: %s", num, utf16_variants[i].to,
		    utf16_variants[i].bom, S(utf16_variants[i].ct), rdms_error_last()->message);
		got = digest(r);
		ck_assert_msg(strcmp(got, want) == 0, "%s as %s bom=%d ct=%s decodes differently",
		    num, utf16_variants[i].to, utf16_variants[i].bom, S(utf16_variants[i].ct));
		free(got);
		rdms_result_free(r);
		free(u16);
	}
	free(want);
	free(buf);
}

#endif
