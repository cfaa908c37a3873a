/*
 * fanout.c - the same call against many hosts at once (-H repeated or
 * --hosts FILE), --parallel N at a time, one result line per host.
 *
 * Each worker has its own session, so connections and authentication run
 * side by side; results are printed whole, as each host finishes.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define HOSTS_MAX 100000

typedef struct fan {
	cli *base;
	const command *cmd;
	pthread_mutex_t mu;
	size_t next, done, failed;
	int first_status;
	int progress;
} fan;

static int
copy_params(rdms_params **out, const rdms_params *from)
{
	size_t i;

	if (rdms_params_new(out) < 0)
		return -1;
	for (i = 0; i < rdms_params_count(from); i++) {
		const char *v = rdms_params_value(from, i);
		int rc = v ? rdms_params_add(*out, rdms_params_name(from, i), v) :
		    rdms_params_add_null(*out, rdms_params_name(from, i));

		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Print a worker's buffered output, each line marked with its host. */
static void
emit(const cli *base, const char *host, char *text, FILE *to, int json)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *o;

		if (json && (o = json_loads(line, 0, NULL)) != NULL && json_is_object(o)) {
			json_t *h = json_object();

			json_object_set_new(h, "host", json_string(host));
			json_object_update(h, o);
			json_decref(o);
			out_json(to, h);
		} else if (json) {
			fprintf(to, "%s\n", line);
		} else {
			fprintf(to, "%s: %s\n", host, line);
		}
	}
	(void)base;
}

static void *
worker(void *arg)
{
	fan *f = arg;

	for (;;) {
		cli w;
		char *obuf = NULL, *ebuf = NULL;
		size_t olen = 0, elen = 0, i;
		int status;

		pthread_mutex_lock(&f->mu);
		i = f->next++;
		pthread_mutex_unlock(&f->mu);
		if (i >= f->base->nhosts)
			break;
		w = *f->base;
		w.host = f->base->hosts[i];
		w.session = NULL;
		w.session_url = NULL;
		w.last_body = NULL;
		w.label = w.host;
		w.params = w.selectors = NULL;
		w.out = open_memstream(&obuf, &olen);
		w.err = open_memstream(&ebuf, &elen);
		if (w.out == NULL || w.err == NULL || copy_params(&w.params, f->base->params) < 0 ||
		    copy_params(&w.selectors, f->base->selectors) < 0) {
			status = 1;
			if (w.err)
				fprintf(w.err, "%s: out of memory\n", w.host);
		} else {
			status = f->cmd->run(&w);
		}
		if (w.out)
			fclose(w.out);
		if (w.err)
			fclose(w.err);
		rdms_session_free(w.session);
		free(w.session_url);
		free(w.last_body);
		rdms_params_free(w.params);
		rdms_params_free(w.selectors);

		pthread_mutex_lock(&f->mu);
		if (f->progress)
			fputs("\r\033[K", stderr);
		if (obuf)
			emit(f->base, w.host, obuf, f->base->out, f->base->output == OUT_JSON);
		if (ebuf)
			fputs(ebuf, f->base->err);
		fflush(f->base->out);
		f->done++;
		if (status != 0) {
			f->failed++;
			if (f->first_status == 0)
				f->first_status = status;
		}
		if (f->progress)
			fprintf(stderr, "%zu/%zu hosts done, %zu failed", f->done, f->base->nhosts,
			    f->failed);
		pthread_mutex_unlock(&f->mu);
		free(obuf);
		free(ebuf);
	}
	return NULL;
}

/* Read --hosts FILE: one host (or URL) per line, # comments. */
static int
read_hosts(cli *c)
{
	FILE *f = strcmp(c->hosts_file, "-") == 0 ? stdin : fopen(c->hosts_file, "r");
	char *buf = NULL, *s, *e;
	size_t cap = 0;
	const char **v;

	if (f == NULL) {
		out_warn("cannot open hosts file %s: %s", c->hosts_file, strerror(errno));
		return -1;
	}
	while (getline(&buf, &cap, f) >= 0) {
		for (s = buf; *s == ' ' || *s == '\t'; s++)
			;
		for (e = s + strlen(s); e > s && strchr(" \t\r\n", e[-1]); e--)
			;
		*e = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		if (c->nhosts >= HOSTS_MAX ||
		    (v = realloc(c->hosts, (c->nhosts + 1) * sizeof(*v))) == NULL) {
			out_warn("too many hosts in %s", c->hosts_file);
			goto fail;
		}
		c->hosts = v;
		if ((c->hosts[c->nhosts] = strdup(s)) == NULL)
			goto fail;
		c->nhosts++;
		c->hosts_owned = 1;
	}
	free(buf);
	if (f != stdin)
		fclose(f);
	return 0;
fail:
	free(buf);
	if (f != stdin)
		fclose(f);
	return -1;
}

int
cli_fanout(cli *c, const command *cmd)
{
	fan f;
	pthread_t *tids;
	size_t i, n;
	int rc;

	if (c->hosts_file && read_hosts(c) < 0)
		return 1;
	if (c->nhosts == 0) {
		out_warn("no hosts in %s", c->hosts_file);
		return 2;
	}
	/* One password for every host, read once before the workers start. */
	if ((rc = cli_password(c, cli_needs_password(c))) != 0)
		return rc;
	c->keep_password = 1;
	memset(&f, 0, sizeof(f));
	f.base = c;
	f.cmd = cmd;
	f.progress = isatty(STDERR_FILENO);
	pthread_mutex_init(&f.mu, NULL);
	n = c->parallel ? c->parallel : 16;
	if (n > c->nhosts)
		n = c->nhosts;
	if ((tids = calloc(n, sizeof(*tids))) == NULL) {
		out_warn("out of memory");
		return 1;
	}
	for (i = 0; i < n; i++)
		if (pthread_create(&tids[i], NULL, worker, &f) != 0)
			break;
	if (i == 0)
		worker(&f);
	n = i;
	for (i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	pthread_mutex_destroy(&f.mu);
	if (f.progress)
		fputs("\r\033[K", stderr);
	if (f.failed)
		fprintf(c->err, "%s: %zu of %zu hosts failed\n", c->label, f.failed, c->nhosts);
	cli_wipe(c);
	return f.first_status;
}
