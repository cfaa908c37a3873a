/*
 * cli.h - what the parts of rdmsctl share.
 */
#ifndef RDMSCTL_CLI_H
#define RDMSCTL_CLI_H

#include <stdio.h>

#include <jansson.h>

#include "rdms.h"

enum { OUT_TEXT = 0, OUT_JSON, OUT_XML };

/* One [profile NAME] of the config file: values by key (config.c). */
#define PROFILE_NKEYS 8
typedef struct cli_profile {
	char *v[PROFILE_NKEYS];
	int found;
} cli_profile;

typedef struct cli {
	/* connection */
	const char *host;
	const char *user;
	rdms_auth auth;
	int auth_set;
	const char *cacert;
	int insecure;
	const char *spn;
	const char *keytab;
	const char *password_file;
	unsigned int timeout;
	unsigned int connect_timeout;
	rdms_encrypt encrypt;
	int allow_unencrypted;
	int verbose;
	/* request */
	int dry_run;
	int raw;
	const char *resource_uri;
	unsigned int max_envelope;
	const char *locale;
	unsigned int max_elements;
	rdms_params *selectors;
	rdms_params *params;
	/* output */
	int output;
	/* positional arguments after the subcommand */
	char **args;
	int nargs;
	/* -P and the config file */
	const char *profile_name;
	cli_profile profile;
	char *profile_password_file;
	/* shortcuts: job list --collection/--type, and the farm commands */
	const char *collection;
	const char *job_type;
	const char *where;            /* enumerate --where: a WQL condition */
	const char *user_long;        /* --user: the account, or session list's filter */
	const char *session_user;     /* session list --user [DOMAIN\]NAME */
	const char *session_host;     /* session list --session-host */
	const char *state;            /* session list --state active|disconnected */
	const char *broker;           /* session logoff ... --wait --broker HOST */
	const char *vm_host;          /* session ... --vdi --vm-host HOST */
	int wait;
	int vdi;
	int follow_active;            /* ask -H for the active broker first */
	/* fan-out: every -H, or --hosts FILE */
	const char **hosts;
	size_t nhosts;
	const char *hosts_file;
	int hosts_owned;          /* hosts[] strings came from --hosts and are ours */
	unsigned int parallel;
	/* batch: one session for every line */
	rdms_session *session;
	char *session_url;
	int keep_password;
	/* the password, once read; wiped at exit */
	char *password;
	/* where results and problems go (stdout/stderr, or a per-host buffer) */
	FILE *out, *err;
	/* prefix for problem messages: "rdmsctl" or the host in fan-out */
	const char *label;
} cli;

/* A command that is exactly one request (commands.c): fan-out sends it for
 * every host on one thread through rdms_multi (fanout.c) instead of running
 * the command on a thread per host. prepare (may be NULL) does the
 * command's own work on c before build, as run would; it prints its
 * problems and returns an exit status. build makes the request for url,
 * NULL with rdms_error_last() set. */
typedef struct cli_one {
	int (*prepare)(cli *c);
	rdms_request *(*build)(cli *c, const char *url);
} cli_one;

typedef struct command {
	const char *name;
	const char *usage;
	const char *summary;
	int min_args, max_args;   /* positional arguments; -1 = any */
	int (*run)(cli *c);
	int network;              /* talks to a server (can fan out) */
	const cli_one *one;       /* one request: fans out on one thread; or NULL */
} command;

extern const command cli_commands[];

/* main.c */
const command *cli_find_command(const char *name);
int cli_parse_options(cli *c, int argc, char **argv, int *help);
int cli_output_prescan(int argc, char **argv);
/* help.c: the examples of a command's --help (nothing when it has none). */
void cli_command_examples(FILE *f, const char *name);
/* After parsing: --user is session list's filter in "session", else the
 * account (-u wins); refuses options that do not go with cmd. */
int cli_finish_options(cli *c, const command *cmd);
void cli_shortcuts_usage(FILE *f);
int cli_needs_password(const cli *c);

/* commands.c */
int cmd_invoke(cli *c);
int cmd_get(cli *c);
int cmd_put(cli *c);
int cmd_enumerate(cli *c);
extern const cli_one cli_one_invoke, cli_one_get, cli_one_identify;
/* The session of this run (made on first use, kept in c; with
 * --follow-active, on the active broker); prints problems itself and
 * returns an exit status. */
int cli_open_session(cli *c, rdms_session **s, char **url);
/* --dry-run: print the envelope build makes, send nothing. */
int cli_dry_run(cli *c, rdms_request *(*build)(cli *, const char *url));
/* Request options from the command line for a call to url. */
void cli_request_options(cli *c, rdms_request_options *ro, const char *url);
/* Enumerate cls with a WQL filter (wql may be NULL: all instances) on the
 * session, the whole Pull loop in the library; each instance to fn. For
 * -o xml every batch is printed as received. Returns an exit status. */
typedef int (*cli_item_fn)(cli *c, const rdms_item *it, void *ud);
int cli_enumerate(cli *c, const char *cls, const char *wql, cli_item_fn fn, void *ud);

int cmd_identify(cli *c);
int cmd_describe(cli *c);
int cmd_parse(cli *c);

/* output.c: print a result (kind-dependent) or an error; return the exit
 * status for it. */
int out_result(cli *c, const rdms_result *r, int rc);
int out_error(cli *c, int rc);
/* A problem found by rdmsctl itself (usage, files, prompts): one JSON error
 * object on c->out with -o json, else "label: message" on c->err. Returns
 * the exit status of code. */
int cli_fail(cli *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* An instance (or any item) as JSON / as "Name: value" lines. */
json_t *out_item_json(const rdms_item *it);
void out_item_text(FILE *f, const rdms_item *it, size_t index);
/* The value of a <cim:Datetime> (or Interval) property, or NULL. */
const char *out_datetime(const rdms_item *it);
/* Print a JSON value on one line and release it. */
void out_json(FILE *f, json_t *v);
/* report.c: an XML document held in a string (a job's JobReportXml) as
 * "NAME.Element: value" lines / as a JSON object; -1 / NULL when it is
 * not a plain XML document (then it is shown as it came). */
int out_report_text(FILE *f, const char *name, const char *xml);
json_t *out_report_json(const char *xml);
/* From now on, add "line": N to every JSON object printed (batch). */
void out_json_line(unsigned long line);
int out_describe(cli *c, const rdms_class *k, const rdms_method *m);
/* "rdmsctl: " + message on stderr. */
void out_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The text of this thread's last out_warn ("" before the first). */
const char *out_last_warning(void);
/* label + ": " + message on c->err. */
void cli_warn(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* config.c */
int cli_config_parse(const char *text, size_t len, const char *name, cli_profile *p,
                     char *err, size_t errlen);
int cli_config_load(cli *c, const char *profile);
const char *cli_profile_get(const cli_profile *p, const char *key);
void cli_profile_free(cli_profile *p);

/* table.c: text tables in the manner of Format-Table */
typedef struct cli_table cli_table;
cli_table *table_new(size_t ncols, const char *const *headers);
int table_add_row(cli_table *t, const char *const *cells);
size_t table_rows(const cli_table *t);
void table_print(FILE *f, const cli_table *t);
void table_free(cli_table *t);
/* An instance's properties as a table row / all of them as a table. */
const char *out_prop(const rdms_item *it, const char *name);

/* farm.c: the session-host farm's daily tasks */
/* The host name in -H (a host, host:port or URL), into buf. */
const char *cli_host_name(const char *host, char *buf, size_t len);
/* Invoke cls.method on the session (classes the catalogue lacks are sent
 * raw to their namespace). Returns 0 with *r set, an exit status (a fault
 * or error printed), or -1 after printing the envelope for --dry-run. */
int cli_invoke(cli *c, const char *cls, const char *method, const rdms_params *sel,
               const rdms_params *par, rdms_result **r);
/* The same, and print the result as invoke does. */
int cli_call(cli *c, const char *cls, const char *method, const rdms_params *sel,
             const rdms_params *par);
int cmd_collection_list(cli *c);
/* The session host's own name (its Win32_TerminalServiceSetting
 * ServerName, one instance per host), for when -H is an address or an
 * alias; *name is malloc'd. Returns an exit status. */
int cli_host_own_name(cli *c, char **name);
int cmd_session(cli *c);
int cmd_host(cli *c);
int cmd_server(cli *c);
int cmd_app(cli *c);
int cmd_broker(cli *c);

/* shortcuts.c, batch.c, fanout.c */
int cmd_job(cli *c);
int cmd_collection(cli *c);
int cmd_batch(cli *c);
int cli_fanout(cli *c, const command *cmd);

/* password.c */
/* Non-dumpable process (before any secret is read; first thing in main). */
void cli_harden(void);
/* required is 0 (only RDMSCTL_PASSWORD or --password-file),
 * 1 (also ask on the terminal; fail without one) or CLI_PASSWORD_IF_TTY
 * (ask when there is a terminal, else go on without). 0 or an exit status. */
#define CLI_PASSWORD_IF_TTY 2
int cli_password(cli *c, int required);
void cli_wipe(cli *c);

#endif
