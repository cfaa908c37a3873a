/*
 * commands.c - the subcommands of rdmsctl, each a thin call into librdms.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

#define DRY_RUN_URL "https://localhost:5986/wsman"
/* Bigger than any response the parser accepts, so it reports the size. */
#define PARSE_READ_MAX ((size_t)16 * 1024 * 1024 + 1)

static void
trace(void *ud, int kind, const char *data, size_t len)
{
	cli *c = ud;
	static const char *const prefix[] = { "* ", "> ", "< ", "", "" };

	if (kind == RDMS_TRACE_BODY_OUT || kind == RDMS_TRACE_BODY_IN) {
		fwrite(data, 1, len, c->err);
		if (len == 0 || data[len - 1] != '\n')
			fputc('\n', c->err);
		return;
	}
	/* Header blocks and notes: every line marked, as curl -v does. */
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) + 1 : len;

		if (!(n <= 2 && (data[0] == '\r' || data[0] == '\n'))) {
			fputs(kind >= 0 && kind <= RDMS_TRACE_HEADER_IN ? prefix[kind] : "", c->err);
			fwrite(data, 1, n, c->err);
			if (data[n - 1] != '\n')
				fputc('\n', c->err);
		}
		data += n;
		len -= n;
	}
}

void
cli_request_options(cli *c, rdms_request_options *ro, const char *url)
{
	ro->to = url ? url : DRY_RUN_URL;
	ro->timeout_sec = c->timeout;
	ro->max_envelope = c->max_envelope;
	ro->locale = c->locale;
	ro->raw = c->raw;
	ro->resource_uri = c->resource_uri;
}

/* Which auth modes cannot work without a password. */
int
cli_needs_password(const cli *c)
{
	return c->auth == RDMS_AUTH_NTLM || c->auth == RDMS_AUTH_BASIC;
}

/* The session of this run: made on first use and kept in c (a batch sends
 * every line on it); main() frees it. */
static int
open_plain(cli *c, rdms_session **s, char **url)
{
	rdms_options o = RDMS_OPTIONS_INIT;
	int rc;

	if (c->session) {
		*s = c->session;
		*url = c->session_url;
		return 0;
	}
	*s = NULL;
	if ((rc = rdms_endpoint_url(&c->session_url, c->host)) < 0)
		return out_error(c, rc);
	*url = c->session_url;
	if (c->insecure)
		cli_warn(c, "WARNING: --insecure: the server certificate is NOT verified; "
		    "anyone on the network path can impersonate %s", *url);
	if ((rc = cli_password(c, cli_needs_password(c))) != 0)
		return rc;
	o.auth = c->auth;
	o.username = c->user;
	o.password = c->password;
	o.keytab = c->keytab;
	o.spn = c->spn;
	o.cacert = c->cacert;
	o.insecure = c->insecure;
	o.timeout_sec = c->timeout;
	o.connect_timeout_sec = c->connect_timeout;
	o.encrypt = c->encrypt;
	o.allow_unencrypted = c->allow_unencrypted;
	o.max_envelope = c->max_envelope;
	o.locale = c->locale;
	if (c->verbose) {
		o.trace = trace;
		o.trace_ud = c;
	}
	/* --follow-active asks a second broker: keep the password for it. */
	rc = rdms_session_new(&c->session, *url, &o);
	/* No ticket (or an expired one) and a user named: ask for the
	 * password on a terminal, as kinit would, and get the ticket with it. */
	if (rc == RDMS_ENOCRED && c->password == NULL && c->keytab == NULL && c->user != NULL &&
	    (c->auth == RDMS_AUTH_NEGOTIATE || c->auth == RDMS_AUTH_KERBEROS)) {
		int st = cli_password(c, CLI_PASSWORD_IF_TTY);

		if (st != 0)
			return st;
		if (c->password != NULL) {
			o.password = c->password;
			rc = rdms_session_new(&c->session, *url, &o);
		} else {
			/* No terminal: the error stands as the library said it. */
			rc = RDMS_ENOCRED;
		}
	}
	/* The session keeps its own copy; ours is not needed any more. */
	if (!c->keep_password && !c->follow_active)
		cli_wipe(c);
	if (rc < 0)
		return out_error(c, rc);
	*s = c->session;
	return 0;
}

/* url with its host replaced by host (scheme, port and path kept). */
static char *
url_with_host(const char *url, const char *host)
{
	const char *h = strstr(url, "://"), *end;
	char *out;
	size_t n;

	if (h == NULL)
		return NULL;
	h += 3;
	end = h + strcspn(h, ":/");
	n = (size_t)(h - url) + strlen(host) + strlen(end) + 1;
	if ((out = malloc(n)) == NULL)
		return NULL;
	snprintf(out, n, "%.*s%s%s", (int)(h - url), url, host, end);
	return out;
}

/* Win32_RDMSEnvironment.GetActiveServer on -H, then a session to the
 * broker it names (the same one when it names -H). */
static int
follow_active(cli *c, rdms_session **s, char **url)
{
	rdms_result *r = NULL;
	const rdms_item *it;
	const char *name;
	char *next = NULL;
	const char *saved;
	uint32_t rv = 1;
	int rc, status = 0;

	rc = rdms_invoke(&r, *s, "Win32_RDMSEnvironment", "GetActiveServer", NULL, NULL);
	if (rc < 0 || rdms_result_return_value(r, &rv) < 0 || rv != 0) {
		cli_warn(c, "--follow-active: asking %s for the active broker failed", *url);
		status = rc < 0 ? out_result(c, r, rc) : rdms_exit_status(RDMS_ERETURN);
		goto done;
	}
	it = rdms_result_out(r, "ServerName", 0);
	name = it ? rdms_item_text(it) : NULL;
	if (name == NULL || *name == '\0' || strpbrk(name, "/:@ \t") != NULL) {
		cli_warn(c, "--follow-active: %s named no usable active broker (\"%s\")", *url,
		    name ? name : "");
		status = rdms_exit_status(RDMS_EPROTO);
		goto done;
	}
	if ((next = url_with_host(*url, name)) == NULL) {
		status = out_error(c, RDMS_ENOMEM);
		goto done;
	}
	if (strcmp(next, *url) == 0)
		goto done;
	if (c->verbose)
		cli_warn(c, "the active broker is %s", name);
	rdms_session_free(c->session);
	c->session = NULL;
	free(c->session_url);
	c->session_url = NULL;
	/* The active broker with the scheme and port of -H. */
	saved = c->host;
	c->host = next;
	status = open_plain(c, s, url);
	c->host = saved;
done:
	free(next);
	rdms_result_free(r);
	if (!c->keep_password)
		cli_wipe(c);
	return status;
}

int
cli_open_session(cli *c, rdms_session **s, char **url)
{
	int had = c->session != NULL, status;

	if ((status = open_plain(c, s, url)) != 0 || had || !c->follow_active)
		return status;
	return follow_active(c, s, url);
}

/* Send one built request on the session and print the result. */
static int
send_one(cli *c, rdms_request *(*build)(cli *, const char *url))
{
	rdms_session *s = NULL;
	rdms_request *req = NULL;
	rdms_result *r = NULL;
	char *url = NULL;
	int rc, status;

	if ((status = cli_open_session(c, &s, &url)) != 0)
		goto done;
	if ((req = build(c, url)) == NULL) {
		status = out_error(c, rdms_error_last()->code);
		goto done;
	}
	rc = rdms_session_send(s, req, &r);
	status = out_result(c, r, rc);
done:
	rdms_result_free(r);
	rdms_request_free(req);
	return status;
}

static int
add_positional_params(cli *c, int first)
{
	int i, rc;

	for (i = first; i < c->nargs; i++)
		if ((rc = rdms_params_add_arg(c->params, c->args[i])) < 0)
			return out_error(c, rc);
	return 0;
}

static rdms_request *
build_invoke(cli *c, const char *url)
{
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_request *req;

	cli_request_options(c, &ro, url);
	if (rdms_request_invoke(&req, c->args[0], c->args[1], c->selectors, c->params, &ro) < 0)
		return NULL;
	return req;
}

static rdms_request *
build_get(cli *c, const char *url)
{
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_request *req;

	cli_request_options(c, &ro, url);
	if (rdms_request_get(&req, c->args[0], c->selectors, &ro) < 0)
		return NULL;
	return req;
}

static rdms_request *
build_identify(cli *c, const char *url)
{
	rdms_request *req;

	(void)c;
	(void)url;
	if (rdms_request_identify(&req) < 0)
		return NULL;
	return req;
}

int
cli_dry_run(cli *c, rdms_request *(*build)(cli *, const char *url))
{
	rdms_request *req;
	char *url = NULL;
	const char *body;
	size_t len;
	int rc;

	if (c->host && (rc = rdms_endpoint_url(&url, c->host)) < 0)
		return out_error(c, rc);
	req = build(c, url);
	free(url);
	if (req == NULL)
		return out_error(c, rdms_error_last()->code);
	body = rdms_request_body(req, &len);
	fwrite(body, 1, len, stdout);
	fputc('\n', stdout);
	rdms_request_free(req);
	return 0;
}

/* NAME=VALUE after CLASS METHOD: the method's parameters. */
static int
prepare_invoke(cli *c)
{
	return add_positional_params(c, 2);
}

const cli_one cli_one_invoke = { prepare_invoke, build_invoke };
const cli_one cli_one_get = { NULL, build_get };
const cli_one cli_one_identify = { NULL, build_identify };

int
cmd_invoke(cli *c)
{
	int rc;

	if ((rc = prepare_invoke(c)) != 0)
		return rc;
	return c->dry_run ? cli_dry_run(c, build_invoke) : send_one(c, build_invoke);
}

int
cmd_get(cli *c)
{
	return c->dry_run ? cli_dry_run(c, build_get) : send_one(c, build_get);
}

int
cmd_identify(cli *c)
{
	return c->dry_run ? cli_dry_run(c, build_identify) : send_one(c, build_identify);
}

static int
read_all(cli *c, const char *path, char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 65536, n = 0, got;
	char *buf = NULL, *p;
	int rc;

	*out = NULL;
	if (f == NULL) {
		return cli_fail(c, RDMS_EIO, "cannot open %s: %s", path, strerror(errno));
	}
	for (;;) {
		if (n == cap || buf == NULL) {
			if (buf && cap >= PARSE_READ_MAX)
				break;
			if (buf)
				cap = cap * 2 > PARSE_READ_MAX ? PARSE_READ_MAX : cap * 2;
			if ((p = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				rc = cli_fail(c, RDMS_ENOMEM, "out of memory reading %s", path);
				goto fail;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = cli_fail(c, RDMS_EIO, "cannot read %s: %s", path, strerror(errno));
		free(buf);
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
fail:
	if (f != stdin)
		fclose(f);
	return rc;
}

int
cmd_parse(cli *c)
{
	rdms_parse_options po = RDMS_PARSE_OPTIONS_INIT;
	rdms_result *r = NULL;
	char *body = NULL;
	size_t len = 0;
	int rc, status;

	if ((status = read_all(c, c->args[0], &body, &len)) != 0)
		return status;
	if (c->output == OUT_XML) {
		fwrite(body, 1, len, stdout);
		free(body);
		return 0;
	}
	rc = rdms_response_parse(&r, body, len, &po);
	status = out_result(c, r, rc);
	rdms_result_free(r);
	free(body);
	return status;
}

int
cmd_describe(cli *c)
{
	const rdms_class *k = NULL, *kn;
	const rdms_method *m = NULL, *mn;

	if (c->nargs >= 1 && (k = rdms_catalog_class(c->args[0])) == NULL) {
		if ((kn = rdms_catalog_class_nearest(c->args[0])) != NULL)
			return cli_fail(c, RDMS_EUSAGE, "unknown RDMS class \"%s\"; did you mean %s?",
			    c->args[0], rdms_class_name(kn));
		return cli_fail(c, RDMS_EUSAGE, "unknown RDMS class \"%s\" (rdmsctl describe "
		    "lists them)", c->args[0]);
	}
	if (c->nargs == 2 && (m = rdms_class_method(k, c->args[1])) == NULL) {
		if ((mn = rdms_class_method_nearest(k, c->args[1])) != NULL)
			return cli_fail(c, RDMS_EUSAGE, "%s has no method \"%s\"; did you mean %s?",
			    c->args[0], c->args[1], rdms_method_name(mn));
		return cli_fail(c, RDMS_EUSAGE, "%s has no method \"%s\" (rdmsctl describe %s "
		    "lists them)", c->args[0], c->args[1], c->args[0]);
	}
	return out_describe(c, k, m);
}
