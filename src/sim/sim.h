/*
 * sim.h - rdms-sim: a WinRM look-alike in front of a fake RDMS WMI provider.
 *
 * The simulator has its own request parser and its own response writer on
 * purpose: it shares nothing with the client's envelope/response/xml code,
 * so a mistake there cannot be mirrored here. It uses only the catalogue
 * (rdms.h) and the growable buffer (internal.h).
 *
 * Threads: libmicrohttpd runs one thread per connection. Everything global
 * (state, counters, injection, log) is guarded by sim_lock()/sim_unlock().
 */
#ifndef RDMS_SIM_H
#define RDMS_SIM_H

#include "internal.h"

#include <stddef.h>
#include <stdint.h>
#include <gssapi/gssapi.h>
#include <jansson.h>

struct _xmlDoc;

/* The hard cap on a request body (HTTP 413 beyond it). */
#define SIM_HARD_CAP ((size_t)1024 * 1024)
/* WinRM's default MaxEnvelopeSizekb is 500 (512000 bytes). */
#define SIM_DEFAULT_MAX_ENVELOPE 512000u
#define SIM_MAX_SELECTORS 16
#define SIM_MAX_PARAMS 256
#define SIM_MAX_PROPS 96
#define SIM_WMI_URI_BASE "http://schemas.microsoft.com/wbem/wsman/1/wmi/"

enum sim_cbt { SIM_CBT_NONE, SIM_CBT_RELAXED, SIM_CBT_STRICT };

struct sim_config {
	const char *bind_addr;
	int https_port, http_port;      /* -1 off, 0 any free port */
	const char *port_file;
	const char *cert_file, *key_file;
	const char *seed_file;
	const char *log_file;
	const char *basic_users;
	enum sim_cbt cbt;
	int allow_unencrypted;
	unsigned int jobs;              /* extra running jobs to create */
	size_t max_envelope;            /* service limit on a request */
	const char *machine;            /* Machine= in faults */
	const char *stack;              /* Identify ProductVersion stack */
	int verbose;
	int farm;                       /* listen on every machine address of the seed */
	unsigned int sessions;          /* extra generated user sessions */
	unsigned int reply_delay_ms;    /* before every WS-Man reply, per call */
};

extern struct sim_config sim_cfg;

void sim_lock(void);
void sim_unlock(void);

/* ---- fault injection (http.c) ---- */

enum sim_inject_kind {
	SIM_INJ_NONE = 0,
	SIM_INJ_DELAY,          /* arg ms before replying */
	SIM_INJ_DROP,           /* close the connection in the middle of the reply body */
	SIM_INJ_EMPTY500,       /* HTTP 500, empty body */
	SIM_INJ_HTML,           /* HTTP 200 text/html page */
	SIM_INJ_LOOP401,        /* always 401, whatever the credentials */
	SIM_INJ_RELATESTO,      /* a RelatesTo that is not the request's MessageID */
	SIM_INJ_UTF16,          /* the reply in UTF-16LE with BOM, charset=UTF-16 */
	SIM_INJ_GARBAGE_TOKEN,  /* 401 with WWW-Authenticate: Negotiate <junk> */
	SIM_INJ_NO_RETURNVALUE, /* <Method_OUTPUT> without ReturnValue */
	SIM_INJ_TWO_RETURNVALUES,
	SIM_INJ_SLOW,           /* trickle the reply, arg ms between 64-byte pieces */
	SIM_INJ_BADXML,         /* HTTP 200 soap+xml that is not well-formed */
	SIM_INJ_NOMUTUAL,       /* omit the mutual-auth token on the final 200 */
	SIM_INJ_TAMPER,         /* spoil a sealed reply: arg 0 ciphertext, 1 Length,
	                         * 2 closing boundary, 3 truncated (seal.c) */
	SIM_INJ_COUNT_
};

struct sim_inject {
	enum sim_inject_kind kind;
	unsigned int arg;
	long remaining;         /* requests left; < 0 until changed */
};

/* "delay=500", "html", "slow=20": 0 or -1 for an unknown kind. */
int sim_inject_parse(const char *spec, struct sim_inject *out);
const char *sim_inject_name(enum sim_inject_kind k);
void sim_inject_set(const struct sim_inject *in);
/* Take the injection for one /wsman request (decrements its count). */
void sim_inject_take(struct sim_inject *out);

/* ---- http.c ---- */

struct MHD_Daemon;
struct MHD_Daemon *sim_http_start(int tls, const char *addr, int port, size_t machine,
                                  const char *cert_pem, const char *key_pem);
int sim_http_port(struct MHD_Daemon *d);
void sim_http_stats_reset(void);

/* ---- auth.c: GSSAPI acceptor, Basic, channel bindings ---- */

struct sim_auth {
	gss_ctx_id_t ctx;
	int authed;             /* the connection is authenticated (WinRM style) */
	char user[256];
	const char *mech;       /* "kerberos", "ntlm", "basic", "unknown" */
	const char *wrapper;    /* "spnego", "raw", "" */
	const char *scheme;     /* "Negotiate", "Kerberos", "Basic" */
	int cb_bound;           /* GSS_C_CHANNEL_BOUND_FLAG seen */
};

enum sim_auth_result {
	SIM_AUTH_OK,            /* *out_token may hold a mutual-auth token */
	SIM_AUTH_CONTINUE,      /* 401 with *out_token */
	SIM_AUTH_REFUSED,       /* 401 offering the schemes again */
};

/* Load the cert hash for RFC 5929 and the Basic user file. */
int sim_auth_init(const char *cert_pem);
void sim_auth_cleanup(void);
/* One leg. header is the Authorization value; tls says which listener.
 * On return *out_token is a malloc'd base64 token or NULL; *why names
 * the reason for a refusal (static text). */
enum sim_auth_result sim_auth_step(struct sim_auth *a, const char *header, int tls,
                                   char **out_token, const char **why);
void sim_auth_reset(struct sim_auth *a);
int sim_auth_basic_enabled(void);

/* ---- seal.c: message encryption on the HTTP listener (MS-WSMV 2.2.9.1.1) ---- */

#define SIM_CT_SEALED "multipart/encrypted;protocol=\"application/HTTP-SPNEGO-session-encrypted\";" \
                      "boundary=\"Encrypted Boundary\""
/* Unseal a multipart/encrypted request with the connection's context into
 * plain (NUL-terminated); -1 with *why set when it is malformed, does not
 * verify, is only signed or its length differs from OriginalContent. */
int sim_seal_unwrap(const struct sim_auth *a, const char *body, size_t len, rdms_buf *plain,
                    size_t *plain_len, const char **why);
/* Seal a reply body into out; -1 on failure. */
int sim_seal_wrap(const struct sim_auth *a, const char *plain, size_t len, rdms_buf *out);
void sim_seal_tamper(rdms_buf *b, unsigned int how);

/* base64 (RFC 4648) without line breaks; malloc'd, NULL on failure. */
char *sim_b64_encode(const unsigned char *p, size_t n);
unsigned char *sim_b64_decode(const char *s, size_t *n);

/* ---- wsman.c: request parsing and validation ---- */

enum sim_op {
	SIM_OP_INVOKE, SIM_OP_GET, SIM_OP_ENUMERATE, SIM_OP_PULL, SIM_OP_RELEASE,
	SIM_OP_IDENTIFY, SIM_OP_PUT
};

/* ---- farm.c: the classes the simulator serves, machines, instance tables ---- */

struct sim_prop {
	const char *name, *type;        /* CIM type, "[]" for arrays */
	int writable;                   /* access read/write */
};

struct sim_fmethod;

/* One class as the simulator sees it: from the catalogue (root/cimv2/rdms)
 * or from the farm's own table (farm.c), which comes first. */
struct sim_view {
	const char *name;               /* canonical spelling */
	const char *ns;                 /* root/cimv2/rdms, root/cimv2, ... */
	char uri[256];
	const rdms_class *cat;          /* catalogue class, or NULL */
	int farm;                       /* from the farm table */
	int per_machine;                /* each machine has its own instances */
	size_t nprops;
	struct sim_prop props[SIM_MAX_PROPS];
	size_t nkeys;
	const char *keys[4];
};

/* The namespace spelled as the simulator serves it, or NULL. */
const char *sim_namespace(const char *ns, size_t len);
int sim_view_find(const char *ns, const char *cls, struct sim_view *v);
const struct sim_prop *sim_view_prop(const struct sim_view *v, const char *name);
/* The instance array of v on machine (a borrowed reference; created when
 * create is set, else NULL when there is none). */
json_t *sim_view_instances(const struct sim_view *v, size_t machine, int create);

struct sim_machine {
	char name[128];                 /* FQDN, as HostServer and ServerName say */
	char addr[64];                  /* 127.x listener address in --farm mode */
	json_t *instances;              /* owned: per-machine classes */
};

int sim_farm_load(json_t *seed, unsigned int extra_sessions);
void sim_farm_free(void);
size_t sim_farm_count(void);
const struct sim_machine *sim_farm_machine(size_t i);
/* The machine called name (case-insensitive), or -1. */
int sim_farm_find(const char *name);
const char *sim_farm_active_broker(void);

struct sim_pair {
	char *name;
	char *value;            /* NULL for xsi:nil */
	int datetime;           /* the value came in a cim:Datetime child */
	int complex;            /* other element content (EPR, embedded object) */
};

struct sim_msg {
	struct _xmlDoc *doc;
	enum sim_op op;
	char *to, *resource_uri, *action, *message_id, *reply_to, *locale;
	unsigned long max_envelope;     /* 0 = not given */
	const rdms_class *cls;          /* catalogue class, or NULL */
	const rdms_method *method;      /* catalogue method, or NULL */
	const struct sim_fmethod *fmethod;      /* farm method, or NULL */
	const char *method_name;
	const char *class_name;         /* tail of the ResourceURI ("*" for a namespace) */
	struct sim_view view;           /* the ResourceURI's class (not for "*") */
	int has_view;
	const char *ns;
	size_t machine;                 /* which farm machine the request went to */
	char *effect;                   /* what the request changed, for the log */
	size_t effect_size;
	struct sim_pair sel[SIM_MAX_SELECTORS];
	size_t nsel;
	int has_selector_set;
	struct sim_pair *params;
	size_t nparams;
	char *enum_context;
	unsigned int max_elements;
	int optimize;
	int filter;                     /* SIM_FILTER_* */
	char *filter_text;              /* the WQL query */
	struct sim_pair fsel[SIM_MAX_SELECTORS];        /* a selector filter */
	size_t nfsel;
};

enum { SIM_FILTER_NONE, SIM_FILTER_WQL, SIM_FILTER_SELECTOR };
#define SIM_DIALECT_WQL "http://schemas.microsoft.com/wbem/wsman/1/WQL"
#define SIM_DIALECT_SELECTOR "http://schemas.dmtf.org/wbem/wsman/1/wsman/SelectorFilter"

/* A fault to send: SOAP 1.2 Code/Subcode/Reason plus WS-Man detail. */
struct sim_fault {
	int set;
	unsigned int http_status;       /* 500 */
	const char *code;               /* "s:Sender" */
	const char *subcode;            /* "w:InvalidSelectors", or NULL */
	const char *action;             /* fault Action URI */
	const char *detail;             /* w:FaultDetail URI, or NULL */
	uint32_t wsman_code;            /* f:WSManFault Code, 0 = none */
	uint32_t wmi_code;              /* p:MSFT_WmiError error_Code, 0 = none */
	unsigned int cim_status;
	char reason[512];
	char message[768];
	char not_understood[256];       /* qname of a mustUnderstand header */
	char not_understood_ns[256];
	/* CannotProcessFilter as WinRM sends it for WQL: the WMI
	 * plugin's ProviderFault with the inner message and ExtendedError. */
	int wql;
	char inner_machine[128];
	char query[512];
};

#define SIM_ACTION_WSMAN_FAULT "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"
#define SIM_ACTION_ADDR_FAULT "http://schemas.xmlsoap.org/ws/2004/08/addressing/fault"
#define SIM_ACTION_ENUM_FAULT "http://schemas.xmlsoap.org/ws/2004/09/enumeration/fault"
#define SIM_ACTION_GET "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get"
#define SIM_ACTION_ENUMERATE "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate"
#define SIM_ACTION_PULL "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull"
#define SIM_ACTION_RELEASE "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Release"
#define SIM_ACTION_PUT "http://schemas.xmlsoap.org/ws/2004/09/transfer/Put"
#define SIM_NS_TRANSFER "http://schemas.xmlsoap.org/ws/2004/09/transfer"
#define SIM_NS_CIM "http://schemas.dmtf.org/wbem/wscim/1/common"

/* WS-Man fault codes (Windows winerror.h) and WMI codes (WBEM_E_*). */
#define SIM_WSMAN_RESOURCE_NOT_FOUND       2150858752u
#define SIM_WSMAN_INVALID_MIH              2150858767u
#define SIM_WSMAN_MIH_REQUIRED             2150858769u
#define SIM_WSMAN_DESTINATION_UNREACHABLE  2150858770u
#define SIM_WSMAN_ACTION_NOT_SUPPORTED     2150858771u
#define SIM_WSMAN_ENUM_INVALID_CONTEXT     2150858779u
#define SIM_WSMAN_ENVELOPE_TOO_LARGE       2150858790u
#define SIM_WSMAN_INVALID_SOAP_BODY        2150858791u
#define SIM_WSMAN_INVALID_SELECTORS        2150858813u
#define SIM_WSMAN_SCHEMA_VALIDATION        2150858817u
#define SIM_WSMAN_INVALID_XML              2150858819u
#define SIM_WSMAN_MAX_ENVELOPE_EXCEEDED    2150858824u
#define SIM_WSMAN_UNEXPECTED_SELECTORS     2150858843u
#define SIM_WMI_NOT_FOUND                  0x80041002u
#define SIM_WMI_INVALID_PARAMETER          0x80041008u
#define SIM_WMI_INVALID_CLASS              0x80041010u
#define SIM_WMI_INVALID_QUERY              0x80041017u
#define SIM_WMI_READ_ONLY                  0x80041023u
#define SIM_WSMAN_CANNOT_PROCESS_FILTER    2150858778u

/* wsman.c: XML helpers shared with body.c */
struct _xmlNode;
char *sim_xml_text(struct _xmlNode *n);
int sim_is_el(const struct _xmlNode *n, const char *ns, const char *local);
struct _xmlNode *sim_first_el(struct _xmlNode *n);
struct _xmlNode *sim_next_el(struct _xmlNode *n);
int sim_is_nil(struct _xmlNode *n);
void sim_fault_oom(struct sim_fault *f);
int sim_parse_selectors(struct _xmlNode *set, struct sim_pair *out, size_t *n,
                        struct sim_fault *f);
/* body.c */
int sim_check_action(struct sim_msg *m, struct sim_fault *f);
int sim_parse_body(struct sim_msg *m, struct _xmlNode *body, struct sim_fault *f);

/* Parse and check the envelope: 0, or -1 with *f filled. */
int sim_msg_parse(struct sim_msg *m, const char *body, size_t len, struct sim_fault *f);
/* Catalogue checks for Invoke: method, selectors, parameter names and types. */
int sim_msg_check_invoke(struct sim_msg *m, struct sim_fault *f);
void sim_msg_free(struct sim_msg *m);
/* The first value of the param named name (NULL if absent or nil); the
 * number of elements with that name in *count when count is not NULL. */
const char *sim_msg_param(const struct sim_msg *m, const char *name, size_t *count);

void sim_fault_set(struct sim_fault *f, const char *code, const char *subcode,
                   const char *detail, uint32_t wsman_code, const char *fmt, ...)
	RDMS_PRINTF(6, 7);
void sim_fault_wmi(struct sim_fault *f, uint32_t wmi_code, unsigned int cim_status,
                   const char *fmt, ...) RDMS_PRINTF(4, 5);

/* ---- reply.c: responses and faults, Windows style (one line, no declaration) ---- */

void sim_xml_escape(rdms_buf *b, const char *s);
/* Whole envelope around body_xml; relates_to may be NULL. */
void sim_reply_envelope(rdms_buf *out, const char *action, const char *relates_to,
                        const char *body_xml, size_t body_len);
void sim_reply_fault(rdms_buf *out, const struct sim_fault *f, const char *relates_to);
void sim_reply_identify(rdms_buf *out);
/* UTF-8 to UTF-16LE with a BOM; malloc'd, NULL on failure. */
char *sim_utf16le(const char *s, size_t len, size_t *out_len);

/* Out parameters of one Invoke, written in order into <p:M_OUTPUT>. */
struct sim_out {
	rdms_buf xml;
	long return_value;
	int has_return;
};
void sim_out_value(struct sim_out *o, const char *name, const char *value);
void sim_out_nil(struct sim_out *o, const char *name);
void sim_out_datetime(struct sim_out *o, const char *name, const char *value);
void sim_out_finish(rdms_buf *body, const struct sim_msg *m, struct sim_out *o,
                    enum sim_inject_kind inj);

/* ---- rdms.c: the fake provider ---- */

int sim_rdms_load(const char *seed_file, unsigned int extra_jobs);
/* rdms.c: a new {GUID} in braces, as RDMS writes job GUIDs */
void sim_new_guid(char out[40]);
/* instances.c */
int sim_value_text(json_t *v, char *buf, size_t n, const char **out);
json_t *sim_find_instance(const struct sim_view *v, const struct sim_msg *m);
void sim_put_instance(rdms_buf *b, const struct sim_view *v, json_t *inst);
void sim_fault_not_found(struct sim_fault *f, const struct sim_msg *m);
int sim_do_get(const struct sim_msg *m, rdms_buf *body, struct sim_fault *f);
int sim_do_put(const struct sim_msg *m, rdms_buf *body, struct sim_fault *f);
/* enum.c */
int sim_do_enumerate(const struct sim_msg *m, rdms_buf *body, int pull, struct sim_fault *f);
void sim_do_release(const struct sim_msg *m);
void sim_enum_reset(void);
unsigned long sim_enum_released(void);
/* session.c: the farm's methods (session hosts, sessions, processes) */
int sim_farm_check_invoke(struct sim_msg *m, struct sim_fault *f);
int sim_farm_invoke(const struct sim_msg *m, struct sim_out *o, struct sim_fault *f);
const struct sim_fmethod *sim_farm_method(const char *cls, const char *name);
const char *sim_farm_method_name(const struct sim_fmethod *fm);
void sim_rdms_free(void);
/* Run one request already checked; writes the body content (the child of
 * s:Body) into body, or sets *f. Caller holds sim_lock. */
int sim_rdms_dispatch(const struct sim_msg *m, rdms_buf *body, const char **resp_action,
                      enum sim_inject_kind inj, struct sim_fault *f);

/* ---- log.c ---- */

struct sim_log_entry {
	unsigned long conn, nreq;
	const char *method, *path, *peer;
	struct MHD_Connection *connection;
	size_t body_len;
	const char *auth_state, *auth_mech, *auth_user;
	unsigned int status;
	const char *wsman_action;
	const char *inject;
	const char *note;
	int tls;
	const char *crypt;              /* "sealed", or why unsealing failed */
	size_t plain_len;               /* decrypted request envelope */
	const char *reply_ctype;
	size_t reply_len, reply_plain_len;
	const char *machine;            /* the farm machine the request went to */
	const char *effect;             /* what it changed (logoff, drain, release...) */
	const char *start, *delay_from, *delay_to;
};

int sim_log_open(const char *path);
void sim_log_close(void);
void sim_log_write(const struct sim_log_entry *e);
/* stderr diagnostics when -v */
void sim_debug(const char *fmt, ...) RDMS_PRINTF(1, 2);

#endif
