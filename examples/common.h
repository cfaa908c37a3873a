/*
 * common.h - what the examples share: the connection settings (command
 * line and environment) and the error report. Only the public API of
 * librdms is used.
 *
 * Connection options, read by each example's getopt loop:
 *   -u USER     "DOMAIN\user" or "user@REALM"; without it, Kerberos takes
 *               the ticket of the credential cache (kinit)
 *   -a AUTH     negotiate (default), kerberos, ntlm or basic
 *   -c CACERT   the CA certificate that issued the server's certificate
 *   -p FILE     read the password from the first line of FILE
 *   -k          do not verify the server's certificate (tests only)
 * The password is never an argument (other users can read the command
 * line in ps): it comes from -p FILE or the RDMSCTL_PASSWORD environment
 * variable, as with rdmsctl.
 */
#ifndef EXAMPLES_COMMON_H
#define EXAMPLES_COMMON_H

#include <rdms.h>

#define CONN_GETOPT "u:a:c:p:k"
#define CONN_USAGE "[-u USER] [-a AUTH] [-c CACERT] [-p PASSWORD_FILE] [-k]"

struct conn {
	rdms_options opts;  /* what rdms_session_new takes */
	char *password;     /* our copy, wiped and freed by conn_close */
};

/* Start with the library's defaults (Negotiate, certificate checked). */
void conn_init(struct conn *c);
/* Take option opt of CONN_GETOPT with its argument: 0, or -1 after
 * printing why it is wrong. */
int conn_option(struct conn *c, int opt, const char *arg);
/* Open a session to host ("broker.corp", "host:5986" or a URL). Nothing
 * is sent yet: the first call connects and authenticates. */
int conn_open(rdms_session **s, struct conn *c, const char *host);
void conn_close(struct conn *c);

/* Print one item of a reply, "Name: text" indented by depth: a value,
 * "(null)" for xsi:nil, or its child elements below it (a datetime, an
 * embedded instance, a reference). */
void print_item(const rdms_item *it, int depth);

/* Print the last error of this thread (rdms_error_last) after "what: "
 * and return the exit status rdmsctl would use for it. */
int report_error(const char *what, int rc);

#endif
