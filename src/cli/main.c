/*
 * main.c - rdmsctl: option parsing and the subcommand table.
 */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

const command cli_commands[] = {
	{ "invoke", "invoke CLASS METHOD [NAME=VALUE]... [-s KEY=VALUE]...",
	  "call a method of an RDMS class", 2, -1, cmd_invoke, 1, &cli_one_invoke },
	{ "get", "get CLASS [-s KEY=VALUE]...",
	  "read one instance (WS-Transfer Get)", 1, 1, cmd_get, 1, &cli_one_get },
	{ "put", "put CLASS -s KEY=VALUE... PROP=VALUE...",
	  "change properties of one instance (Get, change, WS-Transfer Put)", 2, -1,
	  cmd_put, 1, NULL },
	{ "enumerate", "enumerate CLASS [--where 'WQL CONDITION']",
	  "list the instances of a class (WS-Enumeration, WQL filter)", 1, 1, cmd_enumerate, 1,
	  NULL },
	{ "identify", "identify",
	  "ask the server who it is (WS-Management Identify)", 0, 0, cmd_identify, 1,
	  &cli_one_identify },
	{ "describe", "describe [CLASS [METHOD]]",
	  "show the catalogue: classes, keys, properties, methods, value maps", 0, 2,
	  cmd_describe, 0, NULL },
	{ "parse", "parse FILE|-",
	  "decode a saved WS-Management response as invoke would print it", 1, 1,
	  cmd_parse, 0, NULL },
	{ "job", "job list|report|cancel [JOBGUID]",
	  "provisioning jobs (see below)", 1, 2, cmd_job, 1, NULL },
	{ "collection", "collection list|show [ALIAS]",
	  "RDSH and VDI collections (see below)", 1, 2, cmd_collection, 1, NULL },
	{ "session", "session list|logoff|disconnect|message ...",
	  "user sessions of the farm (see below)", 1, 3, cmd_session, 1, NULL },
	{ "host", "host list|drain ...",
	  "session hosts and their drain state (see below)", 1, 2, cmd_host, 1, NULL },
	{ "server", "server list", "the farm's servers and their roles", 1, 1, cmd_server, 1, NULL },
	{ "app", "app list [--collection ALIAS]", "published RemoteApp programs", 1, 1,
	  cmd_app, 1, NULL },
	{ "broker", "broker active", "the active connection broker", 1, 1, cmd_broker, 1, NULL },
	{ "batch", "batch FILE|-",
	  "run one call per line on one session", 1, 1, cmd_batch, 0, NULL },
	{ NULL, NULL, NULL, 0, 0, NULL, 0, NULL }
};

static const char farm_help[] =
"  session list [--collection ALIAS] [--user [DOMAIN\\]NAME] [--session-host HOST]\n"
"               [--state active|disconnected] -H BROKER\n"
"                                   who is logged on where (a WQL query of the broker)\n"
"  session logoff|disconnect ID -H SESSION_HOST [--wait --broker BROKER]\n"
"  session message ID TEXT -H SESSION_HOST\n"
"                                   start logoff.exe, tsdiscon.exe or msg.exe there\n"
"                                   (Win32_Process.Create: only the start is confirmed)\n"
"  session logoff|disconnect|message ... --vdi --vm-host HOST -H BROKER\n"
"                                   a VDI session (Win32_VirtualDesktopSession)\n"
"  host list [--collection ALIAS] -H BROKER\n"
"                                   session hosts and whether they take new connections\n"
"  host drain on|off|until-reboot -H SESSION_HOST\n"
"                                   drain a host (SessionBrokerDrainMode 2, 0, 1)\n";

static const char options_help[] =
"Connection:\n"
"  -H, --host HOST|URL        server: host, host:port or URL (default https, port 5986);\n"
"                             env RDMSCTL_HOST; repeat -H to run on many hosts\n"
"      --hosts FILE           run on every host listed in FILE (one per line)\n"
"      --parallel N           hosts at a time with several hosts (default 16)\n"
"  -P, --profile NAME         use [profile NAME] of ~/.config/rdmsctl/config\n"
"                             (or RDMSCTL_CONFIG); flags override it\n"
"  -u, --user USER            DOMAIN\\user, user@REALM or user (in session list,\n"
"                             --user filters sessions: give the account with -u)\n"
"      --auth MODE            negotiate (default), kerberos, ntlm, basic, none\n"
"      --password-file FILE   read the password from FILE (- for standard input;\n"
"                             or env RDMSCTL_PASSWORD; otherwise prompted on a\n"
"                             terminal when needed)\n"
"      --keytab FILE          Kerberos client keytab\n"
"      --spn SPN              service principal (default HTTP/<host>)\n"
"      --cacert FILE          trust the CA certificates in FILE\n"
"  -k, --insecure             do not verify the server certificate (unsafe)\n"
"      --encrypt MODE         auto (default: seal on http://), always, never\n"
"      --allow-unencrypted    permit Negotiate on http:// without sealing\n"
"      --timeout SEC          WS-Management OperationTimeout (default 60)\n"
"      --connect-timeout SEC  TCP/TLS connect timeout (default 30)\n"
"Request:\n"
"  -s, --selector KEY=VALUE   select the instance (instance methods, get)\n"
"      --null NAME            pass parameter NAME as null (xsi:nil)\n"
"      --raw                  skip catalogue checks (any class or method)\n"
"      --resource-uri URI     send to this ResourceURI (with --raw)\n"
"      --max-envelope BYTES   MaxEnvelopeSize (default 512000)\n"
"      --max-elements N       items per enumeration batch (default 100)\n"
"      --locale TAG           Locale/DataLocale (default en-US)\n"
"      --collection ALIAS     job list, session list, host list, app list: only\n"
"                             this collection\n"
"      --type N               job list: 0 running (default), 1 completed\n"
"      --where CONDITION      enumerate: a WQL condition (WHERE clause)\n"
"      --user [DOMAIN\\]NAME   session list: only this user's sessions (the\n"
"                             connecting account is then given with -u)\n"
"      --session-host HOST    session list: only sessions on this host\n"
"      --state STATE          session list: active or disconnected\n"
"      --wait                 session logoff/disconnect: wait (60 s at most) until\n"
"                             the broker shows the session gone or disconnected\n"
"      --broker HOST          the broker --wait asks\n"
"      --vdi                  session ...: a VDI session, through the broker\n"
"      --vm-host HOST         --vdi: the Hyper-V host of the virtual desktop\n"
"      --follow-active        ask -H for the active broker, then call that one\n"
"  -n, --dry-run              print the request envelope and send nothing\n"
"Output:\n"
"  -o, --output FORMAT        text (default), json, xml (the raw response)\n"
"  -v, --verbose              show HTTP headers and bodies on stderr\n"
"                             (Authorization values redacted)\n"
"  -h, --help                 this help\n"
"  -V, --version              version\n";

static const char exit_help[] =
"Exit status: 0 success (ReturnValue 0); 1 local failure; 2 usage; 3 ReturnValue\n"
"not 0; 4 WS-Management or WMI fault; 5 authentication; 6 connection, TLS or\n"
"timeout; 7 malformed or unexpected response.\n";

static void
usage(FILE *f, const command *cmd)
{
	const command *k;

	if (cmd) {
		fprintf(f, "Usage: rdmsctl %s [OPTION]...\n%s.\n\n", cmd->usage, cmd->summary);
		cli_command_examples(f, cmd->name);
		if (strcmp(cmd->name, "session") == 0 || strcmp(cmd->name, "host") == 0)
			fprintf(f, "%s\n", farm_help);
		fprintf(f, "%s\n%s", options_help, exit_help);
		return;
	}
	fprintf(f, "Usage: rdmsctl COMMAND [ARG]... [OPTION]...\n"
	    "Manage Windows Remote Desktop Services (RDMS) over WS-Management.\n\nCommands:\n");
	for (k = cli_commands; k->name; k++)
		fprintf(f, "  %-50s %s\n", k->usage, k->summary);
	fprintf(f, "\nShortcuts:\n");
	cli_shortcuts_usage(f);
	fputs(farm_help, f);
	fprintf(f, "\nrdmsctl help COMMAND (or COMMAND --help) shows its examples.\n");
	fprintf(f, "\n%s\n%s", options_help, exit_help);
}

void
cli_warn(cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(c->err, "%s: ", c->label);
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fputc('\n', c->err);
}

/* The last out_warn text of this thread, for a JSON error record. */
static _Thread_local char last_warning[1024];

void
out_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_warning, sizeof(last_warning), fmt, ap);
	va_end(ap);
	fprintf(stderr, "rdmsctl: %s\n", last_warning);
}

const char *
out_last_warning(void)
{
	return last_warning;
}

static int
parse_uint(cli *c, const char *s, const char *opt, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	v = strtoul(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || v > max) {
		cli_fail(c, RDMS_EUSAGE, "%s: \"%s\" is not a number from 0 to %u", opt, s, max);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static int
parse_auth(cli *c, const char *s, rdms_auth *out)
{
	static const struct { const char *n; rdms_auth a; } t[] = {
		{ "negotiate", RDMS_AUTH_NEGOTIATE }, { "kerberos", RDMS_AUTH_KERBEROS },
		{ "ntlm", RDMS_AUTH_NTLM }, { "basic", RDMS_AUTH_BASIC }, { "none", RDMS_AUTH_NONE },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcasecmp(s, t[i].n) == 0) {
			*out = t[i].a;
			return 0;
		}
	cli_fail(c, RDMS_EUSAGE, "--auth: \"%s\" is not negotiate, kerberos, ntlm, basic or "
	    "none", s);
	return -1;
}

enum {
	OPT_AUTH = 256, OPT_CACERT, OPT_SPN, OPT_KEYTAB, OPT_PASSWORD_FILE, OPT_TIMEOUT,
	OPT_CONNECT_TIMEOUT, OPT_ENCRYPT, OPT_ALLOW_UNENCRYPTED, OPT_RAW, OPT_RESOURCE_URI,
	OPT_MAX_ENVELOPE, OPT_LOCALE, OPT_MAX_ELEMENTS, OPT_NULL, OPT_PASSWORD, OPT_HOSTS,
	OPT_PARALLEL, OPT_COLLECTION, OPT_TYPE, OPT_WHERE, OPT_USER_LONG, OPT_SESSION_HOST,
	OPT_STATE, OPT_WAIT, OPT_BROKER, OPT_VDI, OPT_VM_HOST, OPT_FOLLOW_ACTIVE
};

static const struct option long_options[] = {
	{ "host", required_argument, NULL, 'H' },
	{ "hosts", required_argument, NULL, OPT_HOSTS },
	{ "parallel", required_argument, NULL, OPT_PARALLEL },
	{ "profile", required_argument, NULL, 'P' },
	{ "collection", required_argument, NULL, OPT_COLLECTION },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "user", required_argument, NULL, OPT_USER_LONG },
	{ "where", required_argument, NULL, OPT_WHERE },
	{ "session-host", required_argument, NULL, OPT_SESSION_HOST },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "wait", no_argument, NULL, OPT_WAIT },
	{ "broker", required_argument, NULL, OPT_BROKER },
	{ "vdi", no_argument, NULL, OPT_VDI },
	{ "vm-host", required_argument, NULL, OPT_VM_HOST },
	{ "follow-active", no_argument, NULL, OPT_FOLLOW_ACTIVE },
	{ "auth", required_argument, NULL, OPT_AUTH },
	{ "cacert", required_argument, NULL, OPT_CACERT },
	{ "insecure", no_argument, NULL, 'k' },
	{ "spn", required_argument, NULL, OPT_SPN },
	{ "keytab", required_argument, NULL, OPT_KEYTAB },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "password", required_argument, NULL, OPT_PASSWORD },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "encrypt", required_argument, NULL, OPT_ENCRYPT },
	{ "allow-unencrypted", no_argument, NULL, OPT_ALLOW_UNENCRYPTED },
	{ "selector", required_argument, NULL, 's' },
	{ "null", required_argument, NULL, OPT_NULL },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "resource-uri", required_argument, NULL, OPT_RESOURCE_URI },
	{ "max-envelope", required_argument, NULL, OPT_MAX_ENVELOPE },
	{ "max-elements", required_argument, NULL, OPT_MAX_ELEMENTS },
	{ "locale", required_argument, NULL, OPT_LOCALE },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static int
add_host(cli *c, const char *h)
{
	const char **v;

	if (c->hosts_owned) {
		cli_fail(c, RDMS_EUSAGE, "-H and --hosts cannot be mixed");
		return -1;
	}
	if ((v = realloc(c->hosts, (c->nhosts + 1) * sizeof(*v))) == NULL) {
		cli_fail(c, RDMS_ENOMEM, "out of memory");
		return -1;
	}
	c->hosts = v;
	c->hosts[c->nhosts++] = h;
	c->host = h;
	return 0;
}

const command *
cli_find_command(const char *name)
{
	const command *k;

	for (k = cli_commands; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

/* Returns -1 to exit with status 2, 1 for --help/--version (exit 0). */
int
cli_parse_options(cli *c, int argc, char **argv, int *help)
{
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":H:u:ks:no:vhVP:", long_options, NULL)) != -1) {
		switch (ch) {
		case 'H':
			if (add_host(c, optarg) < 0)
				return -1;
			break;
		case OPT_HOSTS:
			if (c->nhosts) {
				cli_fail(c, RDMS_EUSAGE, "-H and --hosts cannot be mixed");
				return -1;
			}
			c->hosts_file = optarg;
			break;
		case OPT_PARALLEL:
			if (parse_uint(c, optarg, "--parallel", 1024, &c->parallel) < 0)
				return -1;
			if (c->parallel == 0) {
				cli_fail(c, RDMS_EUSAGE, "--parallel must be at least 1");
				return -1;
			}
			break;
		case 'P': c->profile_name = optarg; break;
		case OPT_COLLECTION: c->collection = optarg; break;
		case OPT_TYPE: {
			unsigned int t;

			if (parse_uint(c, optarg, "--type", 1, &t) < 0)
				return -1;
			c->job_type = optarg;
			break;
		}
		case 'u': c->user = optarg; break;
		case OPT_USER_LONG: c->user_long = optarg; break;
		case OPT_WHERE: c->where = optarg; break;
		case OPT_SESSION_HOST: c->session_host = optarg; break;
		case OPT_STATE:
			if (strcmp(optarg, "active") != 0 && strcmp(optarg, "disconnected") != 0) {
				cli_fail(c, RDMS_EUSAGE, "--state: \"%s\" is not active or "
				    "disconnected", optarg);
				return -1;
			}
			c->state = optarg;
			break;
		case OPT_WAIT: c->wait = 1; break;
		case OPT_BROKER: c->broker = optarg; break;
		case OPT_VDI: c->vdi = 1; break;
		case OPT_VM_HOST: c->vm_host = optarg; break;
		case OPT_FOLLOW_ACTIVE: c->follow_active = 1; break;
		case OPT_AUTH:
			if (parse_auth(c, optarg, &c->auth) < 0)
				return -1;
			c->auth_set = 1;
			break;
		case OPT_CACERT: c->cacert = optarg; break;
		case 'k': c->insecure = 1; break;
		case OPT_SPN: c->spn = optarg; break;
		case OPT_KEYTAB: c->keytab = optarg; break;
		case OPT_PASSWORD_FILE: c->password_file = optarg; break;
		case OPT_PASSWORD:
			/* Refused on purpose: argv is visible to every user via ps. */
			cli_fail(c, RDMS_EUSAGE, "--password is not accepted: a password on the "
			    "command line is visible to other users; use --password-file FILE (- for "
			    "standard input) or RDMSCTL_PASSWORD");
			return -1;
		case OPT_TIMEOUT:
			if (parse_uint(c, optarg, "--timeout", 86400, &c->timeout) < 0)
				return -1;
			break;
		case OPT_CONNECT_TIMEOUT:
			if (parse_uint(c, optarg, "--connect-timeout", 3600, &c->connect_timeout) < 0)
				return -1;
			break;
		case OPT_ENCRYPT:
			if (strcmp(optarg, "auto") == 0)
				c->encrypt = RDMS_ENCRYPT_AUTO;
			else if (strcmp(optarg, "always") == 0)
				c->encrypt = RDMS_ENCRYPT_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				c->encrypt = RDMS_ENCRYPT_NEVER;
			else {
				cli_fail(c, RDMS_EUSAGE, "--encrypt: \"%s\" is not auto, always or never",
				    optarg);
				return -1;
			}
			break;
		case OPT_ALLOW_UNENCRYPTED: c->allow_unencrypted = 1; break;
		case 's':
			if (rdms_params_add_arg(c->selectors, optarg) < 0) {
				cli_fail(c, RDMS_EUSAGE, "-s: %s", rdms_error_last()->message);
				return -1;
			}
			break;
		case OPT_NULL:
			if (rdms_params_add_null(c->params, optarg) < 0) {
				cli_fail(c, RDMS_EUSAGE, "--null: %s", rdms_error_last()->message);
				return -1;
			}
			break;
		case OPT_RAW: c->raw = 1; break;
		case OPT_RESOURCE_URI: c->resource_uri = optarg; break;
		case OPT_MAX_ENVELOPE:
			if (parse_uint(c, optarg, "--max-envelope", UINT_MAX, &c->max_envelope) < 0)
				return -1;
			break;
		case OPT_MAX_ELEMENTS:
			if (parse_uint(c, optarg, "--max-elements", 1000000, &c->max_elements) < 0)
				return -1;
			break;
		case OPT_LOCALE: c->locale = optarg; break;
		case 'n': c->dry_run = 1; break;
		case 'o':
			if (strcmp(optarg, "text") == 0)
				c->output = OUT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				c->output = OUT_JSON;
			else if (strcmp(optarg, "xml") == 0)
				c->output = OUT_XML;
			else {
				cli_fail(c, RDMS_EUSAGE, "-o: \"%s\" is not text, json or xml", optarg);
				return -1;
			}
			break;
		case 'v': c->verbose = 1; break;
		case 'h': *help = 1; break;
		case 'V':
			printf("rdmsctl %s\n", rdms_version());
			return 1;
		case ':':
			cli_fail(c, RDMS_EUSAGE, "option %s needs a value", argv[optind - 1]);
			return -1;
		default:
			cli_fail(c, RDMS_EUSAGE, "unknown option %s (see rdmsctl --help)",
			    argv[optind - 1]);
			return -1;
		}
	}
	return 0;
}

/* The output format asked for anywhere on the command line, looked at
 * before the options are parsed, so that a usage error found on the way
 * is printed in that format too. */
int
cli_output_prescan(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;

		if (strcmp(a, "--") == 0)
			break;
		if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(a, "--output=", 9) == 0)
			v = a + 9;
		else if (strncmp(a, "-o", 2) == 0 && a[2] != '\0')
			v = a + 2;
		if (v != NULL && strcmp(v, "json") == 0)
			return OUT_JSON;
	}
	return OUT_TEXT;
}

int
cli_finish_options(cli *c, const command *cmd)
{
	int session = strcmp(cmd->name, "session") == 0;
	int list = session && c->nargs > 0 && strcmp(c->args[0], "list") == 0;
	int act = session && !list;

	/* In "session list", --user names whose sessions to list; the
	 * account that connects is -u (or the profile's user). */
	if (list)
		c->session_user = c->user_long;
	else if (c->user_long && c->user == NULL)
		c->user = c->user_long;
	if (c->user_long && session && !list)
		return cli_fail(c, RDMS_EUSAGE, "--user filters session list; give the account "
		    "with -u");
	if (c->where && strcmp(cmd->name, "enumerate") != 0)
		return cli_fail(c, RDMS_EUSAGE, "--where goes with enumerate");
	if ((c->session_host || c->state) && !list)
		return cli_fail(c, RDMS_EUSAGE, "--session-host and --state go with session list");
	if ((c->wait || c->broker || c->vdi || c->vm_host) && !act)
		return cli_fail(c, RDMS_EUSAGE, "--wait, --broker, --vdi and --vm-host go with session "
		    "logoff, disconnect and message");
	if (c->follow_active && !cmd->network)
		return cli_fail(c, RDMS_EUSAGE, "--follow-active goes with commands sent to a broker");
	return 0;
}

/* Profile values fill in what no flag set. */
static int
apply_profile(cli *c)
{
	const char *v;
	int rc;

	/* config.c says why on stderr; with -o json a script gets it too,
	 * as the one object on stdout. */
	if ((rc = cli_config_load(c, c->profile_name)) != 0)
		return c->output == OUT_JSON ? cli_fail(c, RDMS_EUSAGE, "%s", out_last_warning()) :
		    rc;
	if (c->host == NULL && c->nhosts == 0 && !c->hosts_file &&
	    (v = cli_profile_get(&c->profile, "host")) != NULL)
		c->host = v;
	if (c->user == NULL)
		c->user = cli_profile_get(&c->profile, "user");
	if (c->cacert == NULL)
		c->cacert = cli_profile_get(&c->profile, "cacert");
	if (c->spn == NULL)
		c->spn = cli_profile_get(&c->profile, "spn");
	if (c->keytab == NULL)
		c->keytab = cli_profile_get(&c->profile, "keytab");
	if (c->password_file == NULL)
		c->password_file = c->profile_password_file;
	if (!c->auth_set && (v = cli_profile_get(&c->profile, "auth")) != NULL &&
	    parse_auth(c, v, &c->auth) < 0)
		return 2;
	if (c->timeout == 0 && (v = cli_profile_get(&c->profile, "timeout")) != NULL &&
	    parse_uint(c, v, "timeout in the config file", 86400, &c->timeout) < 0)
		return 2;
	return 0;
}

int
main(int argc, char **argv)
{
	cli c;
	const command *cmd = NULL;
	int rc, help = 0, status;

	cli_harden();
	memset(&c, 0, sizeof(c));
	c.out = stdout;
	c.err = stderr;
	c.label = "rdmsctl";
	if (rdms_init() < 0) {
		out_warn("%s", rdms_error_last()->message);
		return 1;
	}
	if (rdms_params_new(&c.selectors) < 0 || rdms_params_new(&c.params) < 0) {
		out_warn("out of memory");
		status = 1;
		goto done;
	}
	/* -o json anywhere on the line: even a usage error is a JSON object. */
	c.output = cli_output_prescan(argc, argv);
	rc = cli_parse_options(&c, argc, argv, &help);
	if (rc != 0) {
		status = rc > 0 ? 0 : 2;
		goto done;
	}
	if (optind < argc) {
		if ((cmd = cli_find_command(argv[optind])) == NULL) {
			/* "rdmsctl help [CMD]" is "rdmsctl [CMD] --help". */
			if (strcmp(argv[optind], "help") == 0) {
				const command *k = optind + 1 < argc
				    ? cli_find_command(argv[optind + 1]) : NULL;

				if (optind + 1 < argc && k == NULL) {
					status = cli_fail(&c, RDMS_EUSAGE, "unknown command \"%s\" (see "
					    "rdmsctl help)", argv[optind + 1]);
					goto done;
				}
				usage(stdout, k);
				status = 0;
				goto done;
			}
			status = cli_fail(&c, RDMS_EUSAGE, "unknown command \"%s\" (see rdmsctl "
			    "--help)", argv[optind]);
			goto done;
		}
	}
	if (help || cmd == NULL) {
		if (!help && c.output == OUT_JSON) {
			status = cli_fail(&c, RDMS_EUSAGE, "no command given (see rdmsctl --help)");
			goto done;
		}
		usage(help ? stdout : stderr, cmd);
		status = help ? 0 : 2;
		goto done;
	}
	c.args = argv + optind + 1;
	c.nargs = argc - optind - 1;
	if (c.nargs < cmd->min_args || (cmd->max_args >= 0 && c.nargs > cmd->max_args)) {
		status = cli_fail(&c, RDMS_EUSAGE, "usage: rdmsctl %s", cmd->usage);
		goto done;
	}
	if ((status = cli_finish_options(&c, cmd)) != 0)
		goto done;
	if ((status = apply_profile(&c)) != 0)
		goto done;
	if (c.host == NULL)
		c.host = getenv("RDMSCTL_HOST");
	if (c.nhosts > 1 || c.hosts_file) {
		if (c.dry_run || !cmd->network) {
			status = cli_fail(&c, RDMS_EUSAGE, "%s does not run on several hosts",
			    cmd->name);
			goto done;
		}
		status = cli_fanout(&c, cmd);
	} else {
		status = cmd->run(&c);
	}
done:
	cli_wipe(&c);
	rdms_session_free(c.session);
	free(c.session_url);
	if (c.hosts_owned)
		for (size_t i = 0; i < c.nhosts; i++)
			free((char *)c.hosts[i]);
	free(c.hosts);
	cli_profile_free(&c.profile);
	free(c.profile_password_file);
	rdms_params_free(c.selectors);
	rdms_params_free(c.params);
	rdms_shutdown();
	return status;
}
