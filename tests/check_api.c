/*
 * check_api - the public API's housekeeping: the version macros against
 * configure and rdms_version(), versioned options (one check for every
 * struct, older versions read with defaults, newer and 0 refused), the
 * _options_init functions, the stats struct written by version, rdms_free,
 * and rdms_result_body against the bytes a server sent.
 */
#include "response-test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- version ---- */

START_TEST(version_macros)
{
	char want[64];

	/* PACKAGE_VERSION is AC_INIT's (config.h); the header's macros come
	 * from the same place, and so does the library's answer. */
	snprintf(want, sizeof(want), "%d.%d.%d", RDMS_VERSION_MAJOR, RDMS_VERSION_MINOR,
	    RDMS_VERSION_PATCH);
	ck_assert_str_eq(want, PACKAGE_VERSION);
	ck_assert_str_eq(RDMS_VERSION_STRING, PACKAGE_VERSION);
	ck_assert_str_eq(rdms_version(), RDMS_VERSION_STRING);
	ck_assert_int_eq(RDMS_VERSION_NUM, (RDMS_VERSION_MAJOR << 16) |
	    (RDMS_VERSION_MINOR << 8) | RDMS_VERSION_PATCH);
#if !(RDMS_VERSION_NUM >= 0x000100)
#error RDMS_VERSION_NUM is not usable in #if
#endif
}
END_TEST

/* ---- the one version check, on a struct with two versions ---- */

/* Version 1 had a and b; version 2 added c, whose default is not zero, so
 * a default taken is told apart from a byte copied. */
typedef struct two {
	unsigned int version;
	int a;
	char b;
	long c;
} two;
typedef struct two_v1 {
	unsigned int version;
	int a;
	char b;
} two_v1;

static const two two_defaults = { 2, 7, 'd', 42 };
static const size_t two_sizes[] = {
	offsetof(two, b) + sizeof(char),
	offsetof(two, c) + sizeof(long),
};
static const rdms__options_kind two_kind = {
	"two_options", "TWO_OPTIONS_INIT", two_sizes, 2, sizeof(two), &two_defaults
};

START_TEST(options_read_versions)
{
	two_v1 v1 = { 1, 3, 'o' };
	unsigned char *old;
	two t, in = { 2, 1, 'x', 5 };

	/* A caller built with version 1 has a smaller struct: exactly that is
	 * read (a heap block of that size, so valgrind/ASan see any byte
	 * beyond), and c takes its default. */
	old = malloc(two_sizes[0]);
	ck_assert_ptr_nonnull(old);
	memcpy(old, &v1, two_sizes[0]);
	ck_assert_int_eq(rdms__options_read(&t, old, &two_kind), 0);
	ck_assert_uint_eq(t.version, 2);
	ck_assert_int_eq(t.a, 3);
	ck_assert_int_eq(t.b, 'o');
	ck_assert_int_eq(t.c, 42);
	free(old);

	/* The current version: every field as given. */
	ck_assert_int_eq(rdms__options_read(&t, &in, &two_kind), 0);
	ck_assert_int_eq(t.a, 1);
	ck_assert_int_eq(t.b, 'x');
	ck_assert_int_eq(t.c, 5);

	/* NULL: the defaults. */
	ck_assert_int_eq(rdms__options_read(&t, NULL, &two_kind), 0);
	ck_assert_int_eq(memcmp(&t, &two_defaults, sizeof(t)), 0);

	/* Newer than the library: refused, saying what to do. */
	in.version = 3;
	ck_assert_int_eq(rdms__options_read(&t, &in, &two_kind), RDMS_EUSAGE);
	ck_assert_ptr_nonnull(strstr(rdms_error_last()->message, "two_options version 3 is "
	    "newer than this librdms"));
	ck_assert_ptr_nonnull(strstr(rdms_error_last()->message, "(1 to 2)"));
	ck_assert_ptr_nonnull(strstr(rdms_error_last()->message, "rebuild"));

	/* Zero: a struct nobody initialised. */
	in.version = 0;
	ck_assert_int_eq(rdms__options_read(&t, &in, &two_kind), RDMS_EUSAGE);
	ck_assert_ptr_nonnull(strstr(rdms_error_last()->message, "TWO_OPTIONS_INIT"));
}
END_TEST

/* ---- every public entry that takes options goes through the check ---- */

static void
refused(int rc, const char *what, const char *name)
{
	ck_assert_msg(rc == RDMS_EUSAGE, "%s: %s", what, rdms_err_name(rc));
	ck_assert_msg(strstr(rdms_error_last()->message, name) != NULL, "%s: %s", what,
	    rdms_error_last()->message);
}

START_TEST(options_public_entries)
{
	static const unsigned int bad[] = { 0, 2, 1000 };
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_enum_options eo = RDMS_ENUM_OPTIONS_INIT;
	rdms_parse_options po = RDMS_PARSE_OPTIONS_INIT;
	rdms_options o = RDMS_OPTIONS_INIT;
	const char *vdc = "Win32_RDMSVirtualDesktopCollection";
	rdms_params *sel;
	rdms_request *req;
	rdms_session *s;
	rdms_result *r;
	size_t i;

	ck_assert_int_eq(RDMS_OPTIONS_VERSION, 1);
	ck_assert_int_eq(rdms_params_new(&sel), 0);
	ck_assert_int_eq(rdms_params_add(sel, "Alias", "Pool1"), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *want = bad[i] == 0 ? "_INIT" : "newer";

		ro.version = bad[i];
		refused(rdms_request_invoke(&req, vdc, "ProvisioningJobCancel", NULL, NULL, &ro),
		    "invoke", want);
		ck_assert_ptr_null(req);
		refused(rdms_request_get(&req, vdc, sel, &ro), "get", want);
		refused(rdms_request_enumerate(&req, vdc, 0, &ro), "enumerate", want);
		refused(rdms_request_enumerate_filter(&req, vdc, NULL, &ro), "filter", want);
		refused(rdms_request_pull(&req, vdc, "uuid:1", 0, &ro), "pull", want);
		refused(rdms_request_release(&req, vdc, "uuid:1", &ro), "release", want);
		refused(rdms_request_put(&req, vdc, sel, NULL, NULL, &ro), "put", want);
		ck_assert_ptr_nonnull(strstr(rdms_error_last()->message, "rdms_request_options"));
		ro.version = RDMS_REQUEST_OPTIONS_VERSION;

		eo.version = bad[i];
		refused(rdms_request_enumerate_filter(&req, vdc, &eo, &ro), "enum options", want);
		ck_assert_ptr_nonnull(strstr(rdms_error_last()->message, "rdms_enum_options"));
		eo.version = RDMS_ENUM_OPTIONS_VERSION;

		po.version = bad[i];
		refused(rdms_response_parse(&r, "<x/>", 4, &po), "parse", want);
		ck_assert_ptr_null(r);
		ck_assert_ptr_nonnull(strstr(rdms_error_last()->message, "rdms_parse_options"));
		po.version = RDMS_PARSE_OPTIONS_VERSION;

		o.version = bad[i];
		refused(rdms_session_new(&s, "https://localhost:5986/wsman", &o), "session", want);
		ck_assert_ptr_null(s);
		ck_assert_ptr_nonnull(strstr(rdms_error_last()->message, "rdms_options"));
		o.version = RDMS_OPTIONS_VERSION;
	}
	/* The current version and NULL both work. */
	ck_assert_int_eq(rdms_request_get(&req, vdc, sel, &ro), 0);
	rdms_request_free(req);
	ck_assert_int_eq(rdms_request_get(&req, vdc, sel, NULL), 0);
	rdms_request_free(req);
	ck_assert_int_eq(rdms_request_enumerate_filter(&req, vdc, &eo, &ro), 0);
	rdms_request_free(req);
	rdms_params_free(sel);
}
END_TEST

/* The same check for a struct the library fills in: an older caller's
 * struct gets exactly its version's fields, never a byte past its end. */
START_TEST(options_write_versions)
{
	two_v1 v1 = { 1, 0, 0 };
	const two full = { 2, 9, 'w', 77 };
	unsigned char *old;
	two t = { 2, 0, 0, 0 };

	/* A heap block of version 1's size: ASan/valgrind see any write past. */
	old = malloc(two_sizes[0]);
	ck_assert_ptr_nonnull(old);
	memcpy(old, &v1, two_sizes[0]);
	ck_assert_int_eq(rdms__options_write(old, &full, &two_kind), 0);
	memcpy(&v1, old, two_sizes[0]);
	ck_assert_uint_eq(v1.version, 1);
	ck_assert_int_eq(v1.a, 9);
	ck_assert_int_eq(v1.b, 'w');
	free(old);

	ck_assert_int_eq(rdms__options_write(&t, &full, &two_kind), 0);
	ck_assert_uint_eq(t.version, 2);
	ck_assert_int_eq(t.a, 9);
	ck_assert_int_eq(t.b, 'w');
	ck_assert_int_eq(t.c, 77);

	t.version = 3;
	ck_assert_int_eq(rdms__options_write(&t, &full, &two_kind), RDMS_EUSAGE);
	ck_assert_ptr_nonnull(strstr(rdms_error_last()->message, "newer than this librdms"));
	ck_assert_int_eq(t.a, 9);   /* untouched from the call before */
	t.version = 0;
	ck_assert_int_eq(rdms__options_write(&t, &full, &two_kind), RDMS_EUSAGE);
	ck_assert_ptr_nonnull(strstr(rdms_error_last()->message, "TWO_OPTIONS_INIT"));
	ck_assert_int_eq(rdms__options_write(NULL, &full, &two_kind), RDMS_EUSAGE);
}
END_TEST

/* rdms_session_get_stats goes through that check. */
START_TEST(stats_versions)
{
	rdms_session_stats st = RDMS_SESSION_STATS_INIT;
	rdms_options o = RDMS_OPTIONS_INIT;
	rdms_session *s;

	ck_assert_int_eq(RDMS_SESSION_STATS_VERSION, 1);
	o.auth = RDMS_AUTH_NONE;   /* no credentials needed to count nothing */
	ck_assert_int_eq(rdms_session_new(&s, "https://localhost:5986/wsman", &o), 0);
	memset(&st, 0xff, sizeof(st));
	st.version = RDMS_SESSION_STATS_VERSION;
	ck_assert_int_eq(rdms_session_get_stats(s, &st), 0);
	ck_assert_uint_eq(st.version, RDMS_SESSION_STATS_VERSION);
	ck_assert_uint_eq(st.requests, 0);
	ck_assert_uint_eq(st.connections, 0);
	ck_assert_uint_eq(st.auth_rounds, 0);
	ck_assert_uint_eq(st.bytes_out, 0);
	ck_assert_uint_eq(st.bytes_in, 0);
	/* A NULL session has no counters: all zero. */
	st.requests = 5;
	ck_assert_int_eq(rdms_session_get_stats(NULL, &st), 0);
	ck_assert_uint_eq(st.requests, 0);
	st.version = 0;
	refused(rdms_session_get_stats(s, &st), "stats 0", "RDMS_SESSION_STATS_INIT");
	st.version = RDMS_SESSION_STATS_VERSION + 1;
	refused(rdms_session_get_stats(s, &st), "stats newer", "rdms_session_stats version");
	refused(rdms_session_get_stats(s, NULL), "stats NULL", "rdms_session_stats");
	rdms_session_free(s);
}
END_TEST

/* ---- _options_init ---- */

/* init(o, version) writes the _INIT values up to the version's last field
 * and nothing past it. */
#define CHECK_INIT(type, fn, ver, init, last) do {                                  \
	static const type want = init;                                              \
	unsigned char buf[sizeof(type) + 16];                                       \
	size_t k, end = offsetof(type, last) + sizeof(want.last);                   \
	memset(buf, 0xa5, sizeof(buf));                                             \
	ck_assert_int_eq(fn((type *)(void *)buf, ver), 0);                          \
	ck_assert_int_eq(memcmp(buf, &want, end), 0);                               \
	ck_assert_uint_eq(((type *)(void *)buf)->version, ver);                     \
	for (k = end; k < sizeof(buf); k++)                                         \
		ck_assert_uint_eq(buf[k], 0xa5);                                    \
	ck_assert_int_eq(fn((type *)(void *)buf, 0), RDMS_EUSAGE);                  \
	ck_assert_int_eq(fn((type *)(void *)buf, ver + 1), RDMS_EUSAGE);            \
	ck_assert_ptr_nonnull(strstr(rdms_error_last()->message, #fn));             \
	ck_assert_int_eq(fn(NULL, ver), RDMS_EUSAGE);                               \
} while (0)

START_TEST(options_init)
{
	rdms_options o;
	rdms_request_options ro;
	rdms_enum_options eo;
	rdms_parse_options po;

	CHECK_INIT(rdms_options, rdms_options_init, RDMS_OPTIONS_VERSION, RDMS_OPTIONS_INIT,
	    locale);
	CHECK_INIT(rdms_request_options, rdms_request_options_init,
	    RDMS_REQUEST_OPTIONS_VERSION, RDMS_REQUEST_OPTIONS_INIT, message_id);
	CHECK_INIT(rdms_enum_options, rdms_enum_options_init, RDMS_ENUM_OPTIONS_VERSION,
	    RDMS_ENUM_OPTIONS_INIT, max_batches);
	CHECK_INIT(rdms_parse_options, rdms_parse_options_init, RDMS_PARSE_OPTIONS_VERSION,
	    RDMS_PARSE_OPTIONS_INIT, request);
	CHECK_INIT(rdms_session_stats, rdms_session_stats_init, RDMS_SESSION_STATS_VERSION,
	    RDMS_SESSION_STATS_INIT, bytes_in);

	/* Field by field: the defaults the header documents. */
	memset(&o, 0xff, sizeof(o));
	ck_assert_int_eq(rdms_options_init(&o, RDMS_OPTIONS_VERSION), 0);
	ck_assert_int_eq(o.auth, RDMS_AUTH_NEGOTIATE);
	ck_assert_int_eq(o.encrypt, RDMS_ENCRYPT_AUTO);
	ck_assert_ptr_null(o.username);
	ck_assert_ptr_null(o.password);
	ck_assert_ptr_null(o.trace);
	ck_assert_ptr_null(o.locale);
	ck_assert_int_eq(o.insecure, 0);
	ck_assert_uint_eq(o.max_response, 0);
	memset(&ro, 0xff, sizeof(ro));
	ck_assert_int_eq(rdms_request_options_init(&ro, RDMS_REQUEST_OPTIONS_VERSION), 0);
	ck_assert_ptr_null(ro.to);
	ck_assert_ptr_null(ro.message_id);
	ck_assert_int_eq(ro.raw, 0);
	ck_assert_uint_eq(ro.timeout_sec, 0);
	memset(&eo, 0xff, sizeof(eo));
	ck_assert_int_eq(rdms_enum_options_init(&eo, RDMS_ENUM_OPTIONS_VERSION), 0);
	ck_assert_ptr_null(eo.wql);
	ck_assert_ptr_null(eo.on_item);
	ck_assert_uint_eq(eo.max_batches, 0);
	memset(&po, 0xff, sizeof(po));
	ck_assert_int_eq(rdms_parse_options_init(&po, RDMS_PARSE_OPTIONS_VERSION), 0);
	ck_assert_uint_eq(po.max_size, 0);
	ck_assert_ptr_null(po.request);

	/* A struct from init works where the macro's does. */
	{
		rdms_request *req;

		ck_assert_int_eq(rdms_request_enumerate_filter(&req, "Win32_RDMSVirtualDesktop", &eo,
		    &ro), 0);
		rdms_request_free(req);
	}
}
END_TEST

/* ---- rdms_free ---- */

START_TEST(free_returned_memory)
{
	char *s = NULL;
	rdms_params *eq;

	ck_assert_int_eq(rdms_wql_quote(&s, "O'Brien"), 0);
	ck_assert_str_eq(s, "'O\\'Brien'");
	rdms_free(s);
	ck_assert_int_eq(rdms_params_new(&eq), 0);
	ck_assert_int_eq(rdms_params_add(eq, "Alias", "Pool1"), 0);
	ck_assert_int_eq(rdms_wql_select(&s, "Win32_RDMSVirtualDesktopCollection", eq, NULL), 0);
	ck_assert_ptr_nonnull(strstr(s, "Alias = 'Pool1'"));
	rdms_free(s);
	rdms_params_free(eq);
	ck_assert_int_eq(rdms_endpoint_url(&s, "broker.corp"), 0);
	ck_assert_str_eq(s, "https://broker.corp:5986/wsman");
	rdms_free(s);
	ck_assert_int_eq(rdms_value_normalize(&s, RDMS_TYPE_BOOLEAN, "TRUE"), 0);
	ck_assert_str_eq(s, "true");
	rdms_free(s);
	rdms_free(NULL);
}
END_TEST

/* ---- rdms_result_body ---- */

static void
body_is(const rdms_result *r, const char *want, size_t wlen)
{
	size_t len = 0;
	const char *b = rdms_result_body(r, &len);

	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(len, wlen);
	ck_assert_int_eq(memcmp(b, want, wlen), 0);
	ck_assert_int_eq(b[len], '\0');
}

START_TEST(body_of_parsed)
{
	static const char *const nums[] = { "001", "003", "020", "040", "050", "054" };
	size_t i, len;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		char *buf = fixture(nums[i], &len);
		rdms_result *r = NULL;
		int rc = rdms_response_parse(&r, buf, len, NULL);

		ck_assert_msg(rc == 0 || rc == RDMS_EFAULT, "%s: %s", nums[i],
		    rdms_error_last()->message);
		/* A copy: the caller's buffer may go. */
		ck_assert_ptr_ne(rdms_result_body(r, NULL), buf);
		body_is(r, buf, len);
		free(buf);
		rdms_result_free(r);
	}
	ck_assert_ptr_null(rdms_result_body(NULL, &len));
	ck_assert_uint_eq(len, 0);
}
END_TEST

/* A one-shot HTTP/1.1 server on 127.0.0.1 (port 0): reads one request and
 * answers with body, sent chunked in three pieces (so the client sees it
 * in several reads), then closes. */
typedef struct server {
	int fd;
	unsigned int port;
	const char *body;
	size_t len;
	const char *ctype;
	pthread_t tid;
} server;

static int
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write(fd, c, n);

		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static void *
serve_one(void *arg)
{
	server *sv = arg;
	char req[65536], head[256];
	size_t got = 0, need = 0, i, off;
	char *end = NULL;
	int c = accept(sv->fd, NULL, NULL);

	if (c < 0)
		return NULL;
	/* The request: headers, then Content-Length bytes. */
	while (got < sizeof(req) - 1) {
		ssize_t n = read(c, req + got, sizeof(req) - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
		req[got] = '\0';
		if (end == NULL && (end = strstr(req, "\r\n\r\n")) != NULL) {
			const char *cl = strcasestr(req, "\r\nContent-Length:");

			need = (size_t)(end + 4 - req) + (cl ? strtoul(cl + 17, NULL, 10) : 0);
		}
		if (end != NULL && got >= need)
			break;
	}
	snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Type: %s\r\n"
	    "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n", sv->ctype);
	write_all(c, head, strlen(head));
	for (i = 0, off = 0; i < 3; i++) {
		size_t n = i < 2 ? sv->len / 3 : sv->len - off;

		snprintf(head, sizeof(head), "%zx\r\n", n);
		write_all(c, head, strlen(head));
		write_all(c, sv->body + off, n);
		write_all(c, "\r\n", 2);
		off += n;
	}
	write_all(c, "0\r\n\r\n", 5);
	close(c);
	return NULL;
}

static void
server_start(server *sv, const char *body, size_t len, const char *ctype)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);

	sv->body = body;
	sv->len = len;
	sv->ctype = ctype;
	sv->fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(sv->fd, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(sv->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(sv->fd, 1), 0);
	ck_assert_int_eq(getsockname(sv->fd, (struct sockaddr *)&a, &al), 0);
	sv->port = ntohs(a.sin_port);
	ck_assert_int_eq(pthread_create(&sv->tid, NULL, serve_one, sv), 0);
}

static void
server_stop(server *sv)
{
	pthread_join(sv->tid, NULL);
	close(sv->fd);
}

/* One call through a session to the server above; the result's body must
 * be the server's bytes. message_id matches the fixture's RelatesTo. */
static void
session_body(const char *num, const char *ctype, const char *cls, const char *method,
             const char *message_id)
{
	rdms_options o = RDMS_OPTIONS_INIT;
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_session *s;
	rdms_request *req;
	rdms_result *r = NULL;
	rdms_params *sel;
	server sv;
	char url[64], *buf;
	size_t len;
	int rc;

	buf = fixture(num, &len);
	server_start(&sv, buf, len, ctype);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/wsman", sv.port);
	o.auth = RDMS_AUTH_NONE;
	ck_assert_int_eq(rdms_session_new(&s, url, &o), 0);
	ro.to = url;
	ro.message_id = message_id;
	ro.raw = 1;
	ck_assert_int_eq(rdms_params_new(&sel), 0);
	if (method != NULL) {
		rc = rdms_request_invoke(&req, cls, method, NULL, NULL, &ro);
	} else {
		ck_assert_int_eq(rdms_params_add(sel, "Alias", "Pool1"), 0);
		rc = rdms_request_get(&req, cls, sel, &ro);
	}
	ck_assert_int_eq(rc, 0);
	rc = rdms_session_send(s, req, &r);
	ck_assert_msg(rc == 0, "%s: %s", num, rdms_error_last()->message);
	server_stop(&sv);
	body_is(r, buf, len);
	rdms_result_free(r);
	rdms_request_free(req);
	rdms_params_free(sel);
	rdms_session_free(s);
	free(buf);
}

START_TEST(body_of_session)
{
	session_body("054", "application/soap+xml;charset=UTF-8",
	    "Win32_RDMSVirtualDesktopCollection", NULL,
	    "uuid:0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C54");
	/* UTF-16LE with a BOM: the bytes as sent, not converted. */
	session_body("003", "application/soap+xml;charset=UTF-16",
	    "Win32_RDMSCollectionProperties", "GetProvisioningProperties",
	    "uuid:0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C01");
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("api");
	TCase *tc = tcase_create("api");
	TCase *tn = tcase_create("session");
	int status;

	tcase_add_test(tc, version_macros);
	tcase_add_test(tc, options_read_versions);
	tcase_add_test(tc, options_public_entries);
	tcase_add_test(tc, options_write_versions);
	tcase_add_test(tc, stats_versions);
	tcase_add_test(tc, options_init);
	tcase_add_test(tc, free_returned_memory);
	tcase_add_test(tc, body_of_parsed);
	tcase_add_test(tn, body_of_session);
	tcase_set_timeout(tn, 60);
	suite_add_tcase(su, tc);
	suite_add_tcase(su, tn);
	rdms_init();
	status = run_suite(su);
	rdms_shutdown();
	return status;
}
