/*
 * common.c - connection settings and error reports for the examples.
 */
#define _DEFAULT_SOURCE  /* explicit_bzero, getline */

#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
conn_init(struct conn *c)
{
	/* The _INIT macro fills the version field: a program built against
	 * this header keeps working with a newer library. */
	rdms_options o = RDMS_OPTIONS_INIT;

	c->opts = o;
	c->password = NULL;
}

static void
wipe_free(char *p)
{
	if (p != NULL) {
		explicit_bzero(p, strlen(p));
		free(p);
	}
}

/* The first line of path, without its line end. */
static char *
read_password_file(const char *path)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		return NULL;
	}
	n = getline(&line, &cap, f);
	fclose(f);
	if (n < 0) {
		fprintf(stderr, "%s: empty, expected the password on its first line\n", path);
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

int
conn_option(struct conn *c, int opt, const char *arg)
{
	switch (opt) {
	case 'u':
		c->opts.username = arg;
		return 0;
	case 'a':
		if (strcmp(arg, "negotiate") == 0)
			c->opts.auth = RDMS_AUTH_NEGOTIATE;
		else if (strcmp(arg, "kerberos") == 0)
			c->opts.auth = RDMS_AUTH_KERBEROS;
		else if (strcmp(arg, "ntlm") == 0)
			c->opts.auth = RDMS_AUTH_NTLM;
		else if (strcmp(arg, "basic") == 0)
			c->opts.auth = RDMS_AUTH_BASIC;
		else {
			fprintf(stderr, "-a %s: use negotiate, kerberos, ntlm or basic\n", arg);
			return -1;
		}
		return 0;
	case 'c':
		c->opts.cacert = arg;
		return 0;
	case 'p':
		wipe_free(c->password);
		if ((c->password = read_password_file(arg)) == NULL)
			return -1;
		return 0;
	case 'k':
		c->opts.insecure = 1;
		return 0;
	}
	return -1;
}

int
conn_open(rdms_session **s, struct conn *c, const char *host)
{
	const char *env = getenv("RDMSCTL_PASSWORD");
	int rc;

	if (c->password == NULL && env != NULL) {
		if ((c->password = strdup(env)) == NULL) {
			perror("RDMSCTL_PASSWORD");
			return RDMS_ENOMEM;
		}
		/* Children (and /proc/PID/environ) need not see it. */
		unsetenv("RDMSCTL_PASSWORD");
	}
	c->opts.password = c->password;
	/* The session copies the password (and wipes its copy when freed),
	 * so ours can go as soon as the session exists. */
	rc = rdms_session_new(s, host, &c->opts);
	wipe_free(c->password);
	c->password = NULL;
	c->opts.password = NULL;
	return rc;
}

void
conn_close(struct conn *c)
{
	wipe_free(c->password);
	c->password = NULL;
}

void
print_item(const rdms_item *it, int depth)
{
	const char *text = rdms_item_text(it);
	size_t i;

	printf("%*s%s: ", depth * 2, "", rdms_item_name(it));
	if (rdms_item_is_nil(it))
		printf("(null)\n");
	else if (text != NULL)
		printf("%s\n", text);
	else {
		printf("\n");
		for (i = 0; i < rdms_item_child_count(it); i++)
			print_item(rdms_item_child(it, i), depth + 1);
	}
}

int
report_error(const char *what, int rc)
{
	/* The message says what went wrong and how to fix it; the codes
	 * are there when the server sent them. */
	const rdms_error *e = rdms_error_last();

	fprintf(stderr, "%s: %s: %s\n", what, rdms_err_name(rc), e->message);
	if (e->http_status != 0)
		fprintf(stderr, "  HTTP status %ld\n", e->http_status);
	if (e->has_wsman_code)
		fprintf(stderr, "  WS-Management fault code %lu\n", (unsigned long)e->wsman_code);
	if (e->has_wmi_code)
		fprintf(stderr, "  WMI error code 0x%08lx\n", (unsigned long)e->wmi_code);
	return rdms_exit_status(rc);
}
