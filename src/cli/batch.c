/*
 * batch.c - rdmsctl batch FILE|-: one call per line on one authenticated
 * session, so only the first line pays for the handshake.
 *
 * A line is an rdmsctl command line without "rdmsctl" (quotes and
 * backslashes as in a shell; # starts a comment line). Connection options
 * belong on the batch command line, not on the lines.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define BATCH_LINE_MAX 65536
#define BATCH_ARGS_MAX 256

/* Split a line in place into argv; returns argc or -1 on bad quoting. */
static int
split(char *s, char **argv, int max)
{
	int argc = 0;
	char *w, q;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		if (*s == '\0')
			return argc;
		if (argc == max)
			return -1;
		argv[argc++] = w = s;
		q = 0;
		for (; *s; s++) {
			if (q == '\'') {
				if (*s == '\'')
					q = 0;
				else
					*w++ = *s;
			} else if (*s == '\\' && s[1] != '\0' && q != '\'') {
				*w++ = *++s;
			} else if (q == '"') {
				if (*s == '"')
					q = 0;
				else
					*w++ = *s;
			} else if (*s == '\'' || *s == '"') {
				q = *s;
			} else if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
				s++;
				break;
			} else {
				*w++ = *s;
			}
		}
		if (q)
			return -1;
		*w = '\0';
	}
}

static int
same_connection(const cli *a, const cli *b)
{
	return a->host == b->host && a->user == b->user && a->auth == b->auth &&
	    a->cacert == b->cacert && a->insecure == b->insecure && a->spn == b->spn &&
	    a->keytab == b->keytab && a->password_file == b->password_file &&
	    a->encrypt == b->encrypt && a->allow_unencrypted == b->allow_unencrypted &&
	    a->nhosts == b->nhosts && a->hosts_file == b->hosts_file;
}

static int
run_line(cli *c, char *text, unsigned long lineno)
{
	char *argv[BATCH_ARGS_MAX + 1];
	const command *cmd;
	cli line = *c;
	int argc, help = 0, status;

	argv[0] = "rdmsctl";
	if ((argc = split(text, argv + 1, BATCH_ARGS_MAX)) < 0) {
		return cli_fail(c, RDMS_EUSAGE, "batch line %lu: unbalanced quotes or more than %d "
		    "words", lineno, BATCH_ARGS_MAX);
	}
	argc++;
	line.params = line.selectors = NULL;
	if (rdms_params_new(&line.params) < 0 || rdms_params_new(&line.selectors) < 0) {
		status = out_error(c, RDMS_ENOMEM);
		goto done;
	}
	line.dry_run = line.raw = 0;
	line.resource_uri = NULL;
	line.where = line.user_long = line.session_user = line.session_host = NULL;
	line.state = line.broker = line.vm_host = NULL;
	line.wait = line.vdi = 0;
	/* A -H on a line would realloc (and so free) the batch's own list. */
	line.hosts = NULL;
	optind = 0;
	if ((status = cli_parse_options(&line, argc, argv, &help)) != 0) {
		status = 2;
		goto done;
	}
	if (optind >= argc || (cmd = cli_find_command(argv[optind])) == NULL ||
	    strcmp(cmd->name, "batch") == 0 || help) {
		status = cli_fail(c, RDMS_EUSAGE, "batch line %lu: expected a command such as "
		    "invoke, get, enumerate, job, collection, session, host", lineno);
		goto done;
	}
	line.args = argv + optind + 1;
	line.nargs = argc - optind - 1;
	if (line.nargs < cmd->min_args || (cmd->max_args >= 0 && line.nargs > cmd->max_args)) {
		status = cli_fail(c, RDMS_EUSAGE, "batch line %lu: usage: %s", lineno, cmd->usage);
		goto done;
	}
	if ((status = cli_finish_options(&line, cmd)) != 0)
		goto done;
	if (!same_connection(c, &line) || line.follow_active != c->follow_active) {
		status = cli_fail(c, RDMS_EUSAGE, "batch line %lu: connection options go on the "
		    "batch command line", lineno);
		goto done;
	}
	status = cmd->run(&line);
	/* The session made by the first line serves the rest. */
	c->session = line.session;
	c->session_url = line.session_url;
done:
	free(line.hosts);
	rdms_params_free(line.params);
	rdms_params_free(line.selectors);
	return status;
}

int
cmd_batch(cli *c)
{
	const char *path = c->args[0];
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0, calls = 0, failed = 0;
	int first = 0, status;

	if (f == NULL) {
		return cli_fail(c, RDMS_EIO, "cannot open batch file %s: %s", path,
		    strerror(errno));
	}
	while ((n = getline(&buf, &cap, f)) >= 0) {
		char *s = buf;

		lineno++;
		if (n > BATCH_LINE_MAX) {
			out_json_line(lineno);
			status = cli_fail(c, RDMS_EUSAGE, "batch line %lu: longer than %d bytes",
			    lineno, BATCH_LINE_MAX);
		} else {
			while (*s == ' ' || *s == '\t')
				s++;
			if (*s == '\0' || *s == '\n' || *s == '\r' || *s == '#')
				continue;
			if (c->output == OUT_TEXT)
				fprintf(c->out, "# %lu: %s%s", lineno, s,
				    s[strlen(s) - 1] == '\n' ? "" : "\n");
			/* -o json: one object per line, which says its line. */
			out_json_line(lineno);
			status = run_line(c, s, lineno);
		}
		out_json_line(0);
		fflush(c->out);
		calls++;
		if (status != 0) {
			failed++;
			if (first == 0)
				first = status;
		}
	}
	free(buf);
	if (f != stdin)
		fclose(f);
	fprintf(c->err, "%s: batch: %lu calls, %lu failed\n", c->label, calls, failed);
	return first;
}
