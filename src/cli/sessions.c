/*
 * sessions.c - rdmsctl session list|logoff|disconnect|message: who is
 * logged on where, on the broker's Win32_SessionDirectorySessionEx, and
 * acting on one session.
 *
 * RDSH sessions have no WMI method of their own (the cmdlets use the WTS
 * API over RPC), so logoff, disconnect and message start logoff.exe,
 * tsdiscon.exe or msg.exe on the session host with Win32_Process.Create;
 * only the start of the process is confirmed. VDI sessions have
 * Win32_VirtualDesktopSession.Logoff/Disconnect/SendMessage on the broker.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

#define SESSIONS "Win32_SessionDirectorySessionEx"
#define WAIT_POLLS 60

/* ---- session list ---- */

/* IdleTime is in milliseconds (catalogue hint): d.hh:mm:ss as
 * PowerShell prints a TimeSpan. */
static void
idle_text(const char *ms, char *buf, size_t len)
{
	unsigned long long v, s;
	char *end;

	buf[0] = '\0';
	if (ms == NULL || *ms == '\0')
		return;
	v = strtoull(ms, &end, 10);
	if (*end != '\0' || *ms == '-') {
		snprintf(buf, len, "%s", ms);
		return;
	}
	s = v / 1000;
	if (s >= 86400)
		snprintf(buf, len, "%llu.%02llu:%02llu:%02llu", s / 86400, s / 3600 % 24,
		    s / 60 % 60, s % 60);
	else
		snprintf(buf, len, "%02llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
}

static const char *
cli_session_state(const char *v)
{
	if (v == NULL)
		return NULL;
	/* The catalogue's value map of SessionState (observed class). */
	if (strcmp(v, "0") == 0)
		return "Active";
	if (strcmp(v, "1") == 0)
		return "Disconnected";
	return v;
}

struct list_run {
	cli_table *t;
	json_t *all;
};

static int
list_item(cli *c, const rdms_item *it, void *ud)
{
	struct list_run *l = ud;
	char idle[48];
	const char *id = out_prop(it, "SessionID");
	const char *row[7];

	if (c->output == OUT_JSON)
		return json_array_append_new(l->all, out_item_json(it)) < 0 ?
		    out_error(c, RDMS_ENOMEM) : 0;
	idle_text(out_prop(it, "IdleTime"), idle, sizeof(idle));
	row[0] = out_prop(it, "UserName");
	row[1] = out_prop(it, "DomainName");
	row[2] = out_prop(it, "HostServer");
	row[3] = id ? id : out_prop(it, "UnifiedSessionId");
	row[4] = cli_session_state(out_prop(it, "SessionState"));
	row[5] = idle;
	row[6] = out_prop(it, "CollectionAlias");
	return table_add_row(l->t, row) < 0 ? out_error(c, RDMS_ENOMEM) : 0;
}

/* Every filter in the WHERE clause, so the broker sends only matches. */
static int
session_query(cli *c, char **wql, const char *host, const char *id)
{
	rdms_params *eq = NULL;
	const char *user = c->session_user, *bs;
	char *domain = NULL;
	int rc = RDMS_ENOMEM;

	if (rdms_params_new(&eq) < 0)
		goto done;
	if (c->collection && rdms_params_add(eq, "CollectionAlias", c->collection) < 0)
		goto done;
	if (user && (bs = strchr(user, '\\')) != NULL) {
		if ((domain = strndup(user, (size_t)(bs - user))) == NULL ||
		    rdms_params_add(eq, "DomainName", domain) < 0)
			goto done;
		user = bs + 1;
	}
	if (user && rdms_params_add(eq, "UserName", user) < 0)
		goto done;
	if (host && rdms_params_add(eq, "HostServer", host) < 0)
		goto done;
	if (id && rdms_params_add(eq, "SessionID", id) < 0)
		goto done;
	if (c->state) {
		const char *v = strcmp(c->state, "active") == 0 ? "0" : "1";

		if (rdms_params_add(eq, "SessionState", v) < 0)
			goto done;
	}
	rc = rdms_wql_select(wql, SESSIONS, eq, NULL);
done:
	free(domain);
	rdms_params_free(eq);
	return rc;
}

static int
session_list(cli *c)
{
	static const char *const head[] = { "UserName", "DomainName", "HostServer",
	    "SessionId", "State", "IdleTime", "CollectionAlias" };
	struct list_run l = { NULL, NULL };
	char *wql = NULL;
	int rc, status;

	if (c->state && strcmp(c->state, "active") != 0 && strcmp(c->state, "disconnected") != 0) {
		cli_warn(c, "--state: \"%s\" is not active or disconnected", c->state);
		return 2;
	}
	if ((rc = session_query(c, &wql, c->session_host, NULL)) < 0)
		return out_error(c, rc);
	if ((c->output == OUT_JSON && (l.all = json_array()) == NULL) ||
	    (l.t = table_new(7, head)) == NULL) {
		status = out_error(c, RDMS_ENOMEM);
		goto done;
	}
	status = cli_enumerate(c, SESSIONS, wql, list_item, &l);
	if (status == 0 && !c->dry_run) {
		if (c->output == OUT_JSON)
			out_json(c->out, json_pack("{s:O}", "instances", l.all));
		else if (c->output == OUT_TEXT && table_rows(l.t) == 0)
			cli_warn(c, "no sessions match");
		else if (c->output == OUT_TEXT)
			table_print(c->out, l.t);
	}
done:
	table_free(l.t);
	json_decref(l.all);
	free(wql);
	return status;
}

/* ---- logoff, disconnect, message ---- */

/* A message as one argument of a Windows command line, for
 * CommandLineToArgvW and the C runtime: in double quotes, a quote as \",
 * and the backslashes before a quote (or the end) doubled. Control
 * characters are refused. */
static int
quote_arg(const char *s, char **out)
{
	size_t n = strlen(s), i, j = 0, bs;
	char *q;

	*out = NULL;
	if (n > 4096)
		return -1;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return -1;
	if ((q = malloc(2 * n + 3)) == NULL)
		return -2;
	q[j++] = '"';
	for (i = 0; i < n; i++) {
		for (bs = 0; s[i] == '\\'; i++)
			bs++;
		if (i == n) {
			while (bs--)
				q[j++] = '\\', q[j++] = '\\';
			break;
		}
		if (s[i] == '"') {
			while (bs--)
				q[j++] = '\\', q[j++] = '\\';
			q[j++] = '\\';
		} else {
			while (bs--)
				q[j++] = '\\';
		}
		q[j++] = s[i];
	}
	q[j++] = '"';
	q[j] = '\0';
	*out = q;
	return 0;
}

static int
valid_id(const char *s)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9' || strlen(s) > 10)
		return 0;
	v = strtoul(s, &end, 10);
	return *end == '\0' && v <= 0xFFFFFFFFul;
}

/* Poll the broker's session list until the session is gone (logoff) or
 * disconnected, WAIT_POLLS times at most, a second apart. */
struct wait_run {
	const char *host, *id;
	int found;
	int disconnected;
};

static int
wait_item(cli *c, const rdms_item *it, void *ud)
{
	struct wait_run *w = ud;
	const char *st = out_prop(it, "SessionState");
	const char *h = out_prop(it, "HostServer"), *id = out_prop(it, "SessionID");

	(void)c;
	/* Only the row asked for counts, whatever else a server sends. */
	if (h == NULL || id == NULL || strcasecmp(h, w->host) != 0 || strcmp(id, w->id) != 0)
		return 0;
	w->found = 1;
	w->disconnected = st && strcmp(st, "1") == 0;
	return 0;
}

static int
wait_session(cli *c, const char *host, const char *id, int logoff)
{
	cli b = *c;
	char *wql = NULL;
	int i, rc, status = 0;

	/* A second session, to the broker; the session host's stays open. */
	b.host = c->broker;
	b.session = NULL;
	b.session_url = NULL;
	b.output = c->output == OUT_XML ? OUT_TEXT : c->output;
	b.dry_run = 0;
	b.state = NULL;
	b.session_user = NULL;
	b.collection = NULL;
	b.keep_password = 1;      /* the password (if any) stays c's, wiped at exit */
	if ((rc = session_query(&b, &wql, host, id)) < 0)
		return out_error(c, rc);
	for (i = 0; i < WAIT_POLLS; i++) {
		struct wait_run w = { host, id, 0, 0 };

		if ((status = cli_enumerate(&b, SESSIONS, wql, wait_item, &w)) != 0)
			break;
		if (logoff ? !w.found : (!w.found || w.disconnected)) {
			if (c->output == OUT_TEXT)
				fprintf(c->out, "session %s on %s: %s\n", id, host,
				    w.found ? "disconnected" : "gone");
			break;
		}
		if (i + 1 == WAIT_POLLS) {
			cli_warn(c, "--wait: session %s on %s still %s after %d polls of %s",
			    id, host, w.disconnected ? "disconnected" : "there", WAIT_POLLS,
			    c->broker);
			status = rdms_exit_status(RDMS_ETIMEOUT);
			break;
		}
		sleep(1);
	}
	rdms_session_free(b.session);
	free(b.session_url);
	free(wql);
	return status;
}

/* Win32_VirtualDesktopSession on the broker, by VMHostName and SessionId. */
static int
vdi_action(cli *c, const char *verb, const char *id, const char *text)
{
	rdms_params *sel = NULL, *par = NULL;
	const char *method = strcmp(verb, "logoff") == 0 ? "Logoff" :
	    strcmp(verb, "disconnect") == 0 ? "Disconnect" : "SendMessage";
	int status;

	if (c->vm_host == NULL) {
		cli_warn(c, "--vdi needs --vm-host HOST (the Hyper-V host of the desktop) and "
		    "-H BROKER");
		return 2;
	}
	if (rdms_params_new(&sel) < 0 || rdms_params_new(&par) < 0 ||
	    rdms_params_add(sel, "VMHostName", c->vm_host) < 0 ||
	    rdms_params_add(sel, "SessionId", id) < 0 ||
	    (text && (rdms_params_add(par, "Title", "Message from your administrator") < 0 ||
	    rdms_params_add(par, "Message", text) < 0))) {
		status = out_error(c, RDMS_ENOMEM);
		goto done;
	}
	status = cli_call(c, "Win32_VirtualDesktopSession", method, sel, par);
done:
	rdms_params_free(sel);
	rdms_params_free(par);
	return status;
}

static int
session_act(cli *c, const char *verb)
{
	static const struct { const char *verb, *program; } prog[] = {
		{ "logoff", "logoff.exe" }, { "disconnect", "tsdiscon.exe" }, { "message", "msg.exe" },
	};
	const char *id = c->args[1], *text = c->nargs > 2 ? c->args[2] : NULL;
	rdms_params *par = NULL;
	char *line = NULL, *quoted = NULL, host[256];
	size_t i, n;
	int status, msg = strcmp(verb, "message") == 0;

	if (c->nargs != (msg ? 3 : 2)) {
		cli_warn(c, "usage: rdmsctl session %s ID%s -H %s", verb, msg ? " TEXT" : "",
		    c->vdi ? "BROKER --vdi --vm-host HOST" : "SESSION_HOST");
		return 2;
	}
	if (!valid_id(id)) {
		cli_warn(c, "session ID \"%s\" is not a number (see rdmsctl session list)", id);
		return 2;
	}
	if (c->wait && (msg || c->broker == NULL || c->vdi)) {
		cli_warn(c, "--wait goes with logoff or disconnect of an RDSH session, and needs "
		    "--broker HOST to watch the session list on");
		return 2;
	}
	if (c->vdi)
		return vdi_action(c, verb, id, text);
	for (i = 0; strcmp(prog[i].verb, verb) != 0; i++)
		;
	if (text) {
		int q = quote_arg(text, &quoted);

		if (q == -1) {
			cli_warn(c, "message: control characters (line breaks, tabs) cannot go on a "
			    "command line, and 4096 bytes at most");
			return 2;
		}
		if (q < 0)
			return out_error(c, RDMS_ENOMEM);
	}
	n = strlen(prog[i].program) + strlen(id) + (quoted ? strlen(quoted) : 0) + 3;
	if ((line = malloc(n)) == NULL || rdms_params_new(&par) < 0) {
		status = out_error(c, RDMS_ENOMEM);
		goto done;
	}
	snprintf(line, n, "%s %s%s%s", prog[i].program, id, quoted ? " " : "",
	    quoted ? quoted : "");
	if (rdms_params_add(par, "CommandLine", line) < 0) {
		status = out_error(c, RDMS_ENOMEM);
		goto done;
	}
	if (c->wait)
		c->keep_password = 1;
	status = cli_call(c, "Win32_Process", "Create", NULL, par);
	if (status == 0 && c->output == OUT_TEXT && !c->dry_run)
		fprintf(c->out, "started %s on %s; only the start of the process is confirmed\n",
		    line, cli_host_name(c->host, host, sizeof(host)));
	if (status == 0 && c->wait && !c->dry_run) {
		char *own = NULL;

		/* The broker lists sessions by the host's own name, which -H
		 * (an address, an alias) need not be. */
		if ((status = cli_host_own_name(c, &own)) == 0)
			status = wait_session(c, own, id, strcmp(verb, "logoff") == 0);
		free(own);
	}
done:
	rdms_params_free(par);
	free(line);
	free(quoted);
	return status;
}

int
cmd_session(cli *c)
{
	const char *verb = c->args[0];

	if (strcmp(verb, "list") == 0) {
		if (c->nargs != 1) {
			cli_warn(c, "usage: rdmsctl session list [--collection ALIAS] [--user "
			    "[DOMAIN\\]NAME] [--session-host HOST] [--state active|disconnected] "
			    "-H BROKER");
			return 2;
		}
		return session_list(c);
	}
	if (strcmp(verb, "logoff") == 0 || strcmp(verb, "disconnect") == 0 ||
	    strcmp(verb, "message") == 0)
		return session_act(c, verb);
	cli_warn(c, "usage: rdmsctl session list|logoff|disconnect|message ...");
	return 2;
}
