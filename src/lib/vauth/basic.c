/*
 * basic.c - --auth basic (RFC 7617): the user name and password in every
 * request, base64-encoded; no context, nothing to seal, never over
 * http:// unless allowed (CLEARTEXT).
 */
#include "vauth.h"

#include <stdlib.h>
#include <string.h>

#define PREFIX "Authorization: Basic "

typedef struct basic_state {
	rdms_buf header;         /* "Authorization: Basic ..." (secret) */
	char *user;
} basic_state;

static int
basic_init(rdms_vauth *v, const rdms_vauth_config *c)
{
	basic_state *st = calloc(1, sizeof(*st));

	if (st == NULL)
		return rdms__error_oom();
	v->state = st;
	if (c->username != NULL && (st->user = rdms__strdup(c->username)) == NULL)
		return rdms__error_oom();
	return rdms__auth_basic_header(&st->header, c->username, c->password);
}

static void
basic_cleanup(rdms_vauth *v)
{
	basic_state *st = v->state;

	if (st == NULL)
		return;
	rdms__buf_free(&st->header);
	free(st->user);
	free(st);
	v->state = NULL;
}

static int
basic_start(rdms_vauth *v)
{
	(void)v;
	return 0;
}

static int
basic_step(rdms_vauth *v, const unsigned char *in, size_t inlen, const unsigned char *cb,
           size_t cblen, rdms_buf *tok)
{
	basic_state *st = v->state;

	(void)in; (void)inlen; (void)cb; (void)cblen;
	tok->secret = 1;
	return rdms__buf_put(tok, st->header.ptr + sizeof(PREFIX) - 1,
	                     st->header.len - (sizeof(PREFIX) - 1)) < 0 ? rdms__error_oom() : 0;
}

static int
basic_done(const rdms_vauth *v)
{
	(void)v;
	return 1;
}

static const char *
basic_display(const rdms_vauth *v)
{
	(void)v;
	return "Basic";
}

static const char *
basic_client(const rdms_vauth *v)
{
	const basic_state *st = v->state;

	return st->user ? st->user : "(none)";
}

static int
basic_refused(const rdms_vauth *v, const char *offered, int has_scheme, int legs)
{
	(void)has_scheme; (void)legs;
	return rdms__error(RDMS_EAUTH, "the server rejected Basic authentication for %s (it "
	                   "offers: %s); check the user name and password, and that Basic "
	                   "is enabled on the server", basic_client(v), offered);
}

const rdms_vauth_mech rdms__vauth_basic = {
	"basic", RDMS_AUTH_BASIC, "Basic", NULL, RDMS_VAUTH_CLEARTEXT,
	basic_init, basic_start, basic_step, basic_done,
	NULL, NULL, NULL, basic_cleanup,
	basic_display, basic_client, NULL, NULL, basic_refused
};
