/*
 * vauth.c - the table of authentication mechanisms and the calls the
 * exchange makes through it (vauth.h). A new mechanism is a new row.
 */
#include "vauth.h"

#include <stdlib.h>
#include <string.h>

extern const rdms_vauth_mech rdms__vauth_negotiate;
extern const rdms_vauth_mech rdms__vauth_kerberos;
extern const rdms_vauth_mech rdms__vauth_ntlm;
extern const rdms_vauth_mech rdms__vauth_basic;

static const rdms_vauth_mech *const mechs[] = {
	&rdms__vauth_negotiate,
	&rdms__vauth_kerberos,
	&rdms__vauth_ntlm,
	&rdms__vauth_basic,
};

const rdms_vauth_mech *
rdms__vauth_find(rdms_auth auth)
{
	size_t i;

	for (i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++)
		if (mechs[i]->auth == auth)
			return mechs[i];
	return NULL;
}

int
rdms__vauth_new(rdms_vauth **out, const rdms_vauth_config *c)
{
	const rdms_vauth_mech *m = rdms__vauth_find(c->auth);
	rdms_vauth *v;
	int rc;

	*out = NULL;
	if (m == NULL) {
		if (c->auth == RDMS_AUTH_NONE)
			return 0;
		return rdms__error(RDMS_EUSAGE, "unknown authentication method %d", (int)c->auth);
	}
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return rdms__error_oom();
	v->mech = m;
	v->flags = m->flags;
	if ((rc = m->init(v, c)) < 0) {
		rdms__vauth_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

void
rdms__vauth_free(rdms_vauth *v)
{
	if (v == NULL)
		return;
	v->mech->cleanup(v);
	free(v);
}

int
rdms__vauth_start(rdms_vauth *v)
{
	return v->mech->start(v);
}

int
rdms__vauth_step(rdms_vauth *v, const unsigned char *in, size_t inlen,
                 const unsigned char *cb, size_t cblen, rdms_buf *tok)
{
	return v->mech->step(v, in, inlen, cb, cblen, tok);
}

int
rdms__vauth_done(const rdms_vauth *v)
{
	return v->mech->done(v);
}

int
rdms__vauth_seal(const rdms_vauth *v, rdms_seal *key)
{
	memset(key, 0, sizeof(*key));
	if (v == NULL || !(v->flags & RDMS_VAUTH_CAN_SEAL) || !v->mech->done(v))
		return rdms__error(RDMS_ECRYPT, "cannot seal messages: the security context is "
		                   "not established or its mechanism is neither Kerberos nor NTLM");
	key->wrap = v->mech->wrap;
	key->unwrap = v->mech->unwrap;
	key->ctx = v->mech->seal_ctx(v);
	return 0;
}

const char *
rdms__vauth_display(const rdms_vauth *v)
{
	return v->mech->display(v);
}

const char *
rdms__vauth_client(const rdms_vauth *v)
{
	return v->mech->client(v);
}

const char *
rdms__vauth_peer(const rdms_vauth *v)
{
	return v->mech->peer ? v->mech->peer(v) : NULL;
}

char *
rdms__vauth_target(const rdms_vauth *v)
{
	return v->mech->target ? v->mech->target(v) : NULL;
}

static int
is_ours(const rdms_vauth *v, const rdms_challenge *c)
{
	const char *s[2] = { v->mech->scheme, v->mech->alt_scheme };
	size_t i;

	for (i = 0; i < 2; i++)
		if (s[i] != NULL && strlen(s[i]) == c->scheme_len &&
		    strncasecmp(c->scheme, s[i], c->scheme_len) == 0)
			return 1;
	return 0;
}

const rdms_challenge *
rdms__vauth_challenge(const rdms_vauth *v, const rdms_challenge *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].token != NULL && is_ours(v, &c[i]))
			return &c[i];
	return NULL;
}

int
rdms__vauth_refused(const rdms_vauth *v, const rdms_challenge *c, size_t n, int legs)
{
	rdms_buf offered = RDMS_BUF_INIT;
	int has = 0, rc;
	size_t i;

	for (i = 0; i < n; i++)
		has |= is_ours(v, &c[i]);
	rdms__auth_list_schemes(&offered, c, n);
	rc = v->mech->refused(v, offered.ptr ? offered.ptr : "none", has, legs);
	rdms__buf_free(&offered);
	return rc;
}
