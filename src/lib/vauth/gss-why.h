/*
 * gss-why.h - turn a failed GSSAPI call into an error that names the
 * cause and the fix (gss-why.c). Shared by gssapi.c only.
 */
#ifndef RDMS_GSS_WHY_H
#define RDMS_GSS_WHY_H

#include "internal.h"

#include <gssapi/gssapi.h>

/* What the caller knows about the attempt, for the advice. */
typedef struct rdms_gss_why {
	const char *client;   /* principal or DOMAIN\user in use, or NULL */
	const char *typed;    /* the user name as given (-u), or NULL */
	const char *spn;      /* "HTTP/host" */
	const char *host;     /* the server's host name, or NULL */
	int password;         /* a password was given */
	int keytab;           /* a keytab was given */
	int ntlm;             /* the mechanism is NTLM */
	int spn_default;      /* the SPN was derived from the host (no --spn) */
	int server_reply;     /* the failing call processed the server's token */
	int server_reject;    /* ... and that token was a SPNEGO reject */
} rdms_gss_why;

int rdms__gss_why(const rdms_gss_why *w, const char *what, OM_uint32 maj, OM_uint32 min,
                  gss_OID mech);

#endif
