/*
 * rdms.h - the public API of librdms, a client for the Windows Remote Desktop
 * Management Service (WMI namespace root/cimv2/rdms) over WS-Management.
 *
 * Conventions
 *  - Every function that can fail returns 0 or a negative RDMS_E* code and
 *    records details for rdms_error_last() in the calling thread.
 *  - Types are opaque; each _new has a _free, and _free(NULL) is a no-op.
 *  - Strings returned as "const char *" are borrowed: they live as long as
 *    the object they came from. Memory returned through "char **out" is
 *    the caller's: free it with rdms_free().
 *  - The library never prints.
 *
 * Versioned options
 *  Every options struct (rdms_options, rdms_request_options,
 *  rdms_enum_options, rdms_parse_options) begins with "unsigned int
 *  version". Set it up with the struct's _INIT macro or, from a language
 *  that cannot use the macro, its _options_init() function; a NULL options
 *  pointer means all defaults. Version N is the struct as it was when its
 *  RDMS_..._VERSION was N: fields are only ever added at the end, and each
 *  addition raises the version. The library reads exactly the fields of the
 *  caller's version and takes the defaults (the _INIT values) for the rest,
 *  so a program built against an older rdms.h keeps working with a newer
 *  librdms. Version 0 (a struct never initialised) and versions newer than
 *  this librdms knows fail with RDMS_EUSAGE, whose message names the fix.
 *  rdms_session_stats, the one struct the library fills in, is versioned
 *  the same way: the library writes only the fields of the caller's version.
 *
 * Threads
 *  - rdms_init() and rdms_shutdown() are not thread-safe: call them from
 *    one thread (main) before other threads use the library and after they
 *    are done.
 *  - A session is used by one thread at a time. Different sessions may be
 *    used at the same time from different threads; a session may move to
 *    another thread between calls. rdms_multi (below) runs many sessions
 *    on one thread instead; a session queued on a multi belongs to the
 *    thread running it until its callback. Enumerate callbacks run on the calling thread.
 *  - Requests, results, items, faults and parameter lists are not changed
 *    by any function that takes them as const: once built, they may be read
 *    from several threads at once. Changing a parameter list
 *    (rdms_params_add...) or freeing an object while another thread reads
 *    it is a data race. rdms_result_check_budget() measures the CPU time of
 *    the thread that calls it, so call it on the thread that parsed.
 *  - The catalogue is static data and may be read from any thread.
 *  - rdms_error_last() is per thread: each thread sees its own last error.
 *  - What the library shares between sessions itself (per-process state
 *    such as credentials and the CA store) it locks itself. That state is
 *    built by the first session that needs it and kept until the last
 *    rdms_shutdown(): the Kerberos ticket cache is read once, the CA file
 *    loaded once. A long-running program that renews tickets (kinit) or
 *    replaces the CA file calls rdms_shutdown() and rdms_init() again,
 *    with no session alive, to have them read afresh.
 */
#ifndef RDMS_H
#define RDMS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && defined(RDMS_BUILDING)
#define RDMS_EXTERN __attribute__((visibility("default")))
#else
#define RDMS_EXTERN
#endif

/* RDMS_VERSION_MAJOR, _MINOR, _PATCH, _STRING and _NUM (0xMMmmpp), made by
 * configure from the package version. */
#include "rdms-version.h"

/* ---- errors -------------------------------------------------------------- */

/* The error codes, one table (src/lib/error.def) for enum, names, messages and
 * the CLI exit codes. */
typedef enum {
	RDMS_OK = 0,
#define RDMS_ERR(name, num, exitcode, msg) RDMS_##name = -(num),
#include "rdms-errors.h"
#undef RDMS_ERR
	RDMS_E_LAST_
} rdms_error_code;

typedef struct rdms_error {
	int code;             /* RDMS_E*, or RDMS_OK when nothing failed */
	const char *message;  /* what went wrong and what to do, never NULL */
	long http_status;     /* 0 when no HTTP response was read */
	int has_wsman_code;
	uint32_t wsman_code;  /* WSManFault@Code, e.g. 2150858843 */
	int has_wmi_code;
	uint32_t wmi_code;    /* WMI/provider error, e.g. 0x80041002 */
} rdms_error;

/* The last error of this thread; valid until the next failing call. */
RDMS_EXTERN const rdms_error *rdms_error_last(void);
RDMS_EXTERN void rdms_error_clear(void);
/* Static text for a code, e.g. "authentication failed". */
RDMS_EXTERN const char *rdms_strerror(int code);
/* Symbolic name, e.g. "EAUTH". */
RDMS_EXTERN const char *rdms_err_name(int code);
/* The rdmsctl exit status for a code (0 for RDMS_OK). */
RDMS_EXTERN int rdms_exit_status(int code);

/* ---- library ------------------------------------------------------------- */

/* Refcounted global init (libcurl, libxml2). Call before anything else on a
 * thread that no other thread races with; pair each call with shutdown. */
RDMS_EXTERN int rdms_init(void);
RDMS_EXTERN void rdms_shutdown(void);
/* The version of the librdms in use ("0.1.0"), which may be newer than the
 * RDMS_VERSION_STRING a program was built with. */
RDMS_EXTERN const char *rdms_version(void);
/* Free memory the library handed to the caller (each "free with rdms_free"
 * below); NULL is a no-op. Use it rather than free(): the caller's C
 * runtime may not be the library's (bindings, other allocators). */
RDMS_EXTERN void rdms_free(void *p);

/* ---- typed values and parameters ------------------------------------------ */

typedef enum {
	RDMS_TYPE_UNKNOWN = 0,  /* not in the catalogue: sent as text */
	RDMS_TYPE_STRING,
	RDMS_TYPE_BOOLEAN,
	RDMS_TYPE_UINT8, RDMS_TYPE_UINT16, RDMS_TYPE_UINT32, RDMS_TYPE_UINT64,
	RDMS_TYPE_SINT8, RDMS_TYPE_SINT16, RDMS_TYPE_SINT32, RDMS_TYPE_SINT64,
	RDMS_TYPE_REAL32, RDMS_TYPE_REAL64,
	RDMS_TYPE_DATETIME,
	RDMS_TYPE_GUID,         /* a string that must be a GUID */
	RDMS_TYPE_CHAR16
} rdms_type;

/* "uint32" -> RDMS_TYPE_UINT32; RDMS_TYPE_UNKNOWN for an unknown name. */
RDMS_EXTERN rdms_type rdms_type_from_name(const char *name);
RDMS_EXTERN const char *rdms_type_name(rdms_type t);

/* Check and normalise one text value as type t (e.g. "TRUE" -> "true",
 * "0x10" -> "16", a GUID to its canonical form). On success *out is the
 * caller's; free it with rdms_free. */
RDMS_EXTERN int rdms_value_normalize(char **out, rdms_type t, const char *text);

/* A list of named values for a method call or a selector set. Adding the
 * same name again makes an array (repeated elements on the wire). */
typedef struct rdms_params rdms_params;

RDMS_EXTERN int rdms_params_new(rdms_params **out);
RDMS_EXTERN void rdms_params_free(rdms_params *p);
RDMS_EXTERN int rdms_params_add(rdms_params *p, const char *name, const char *value);
RDMS_EXTERN int rdms_params_add_null(rdms_params *p, const char *name);
/* "Name=Value" as typed on a command line. */
RDMS_EXTERN int rdms_params_add_arg(rdms_params *p, const char *name_eq_value);
RDMS_EXTERN size_t rdms_params_count(const rdms_params *p);
/* Entry i: name, and value (NULL for a null). */
RDMS_EXTERN const char *rdms_params_name(const rdms_params *p, size_t i);
RDMS_EXTERN const char *rdms_params_value(const rdms_params *p, size_t i);

/* ---- the RDS class catalogue ---------------------------------------------- */

/* The WMI classes for Remote Desktop Services in root/cimv2/rdms,
 * root/cimv2/TerminalServices and root/cimv2 (plus Win32_Process), built
 * into the library as static data: nothing to load, nothing to free.
 * Classes are listed in name order. */
typedef struct rdms_class rdms_class;
typedef struct rdms_method rdms_method;

/* Every class's ResourceURI is this, its namespace, "/", its name. */
#define RDMS_WMI_URI_BASE "http://schemas.microsoft.com/wbem/wsman/1/wmi/"

typedef enum { RDMS_DIR_IN = 1, RDMS_DIR_OUT = 2, RDMS_DIR_INOUT = 3 } rdms_direction;

/* Where a fact comes from: the class's documentation, calls seen in
 * Microsoft's own code, or the catalogue's inference. */
typedef enum {
	RDMS_BASIS_INFERRED = 0,
	RDMS_BASIS_OBSERVED = 1,
	RDMS_BASIS_DOCUMENTED = 2
} rdms_basis;

RDMS_EXTERN size_t rdms_catalog_class_count(void);
RDMS_EXTERN const rdms_class *rdms_catalog_class_at(size_t i);
/* Exact, case-sensitive lookup; NULL when unknown. */
RDMS_EXTERN const rdms_class *rdms_catalog_class(const char *name);
/* The class nearest to a misspelt name (other case, typo, a part of it),
 * or NULL; for "did you mean" messages. */
RDMS_EXTERN const rdms_class *rdms_catalog_class_nearest(const char *name);
/* The class a ResourceURI names (any of the three namespaces), or NULL. */
RDMS_EXTERN const rdms_class *rdms_catalog_class_by_uri(const char *resource_uri);
RDMS_EXTERN const char *rdms_class_name(const rdms_class *c);
/* "root/cimv2/rdms", "root/cimv2/TerminalServices" or "root/cimv2". */
RDMS_EXTERN const char *rdms_class_namespace(const rdms_class *c);
/* Where Microsoft code was seen using the class, when that is not the
 * documented namespace (try both live), or NULL. */
RDMS_EXTERN const char *rdms_class_namespace_observed(const rdms_class *c);
/* http://schemas.microsoft.com/wbem/wsman/1/wmi/<namespace>/<class> */
RDMS_EXTERN const char *rdms_class_resource_uri(const rdms_class *c);
/* "rdms", "session-host", "session-directory", "licensing", "gateway" or "other". */
RDMS_EXTERN const char *rdms_class_area(const rdms_class *c);
/* The superclass, or NULL. */
RDMS_EXTERN const char *rdms_class_superclass(const rdms_class *c);
/* Oldest Windows Server the docs name for it, or NULL. */
RDMS_EXTERN const char *rdms_class_min_server(const rdms_class *c);
/* 1 when documented, 0 when only seen used in Microsoft code. */
RDMS_EXTERN int rdms_class_documented(const rdms_class *c);
/* 1 for an abstract class: it cannot be invoked or enumerated. */
RDMS_EXTERN int rdms_class_abstract(const rdms_class *c);
/* 1 for a singleton (one instance, no selectors). */
RDMS_EXTERN int rdms_class_singleton(const rdms_class *c);
/* Keys: the documented ones first, then those only observed or inferred
 * (e.g. TerminalName on the Win32_TerminalSetting subclasses). */
RDMS_EXTERN size_t rdms_class_key_count(const rdms_class *c);
RDMS_EXTERN const char *rdms_class_key(const rdms_class *c, size_t i);
RDMS_EXTERN int rdms_class_key_documented(const rdms_class *c, size_t i);

RDMS_EXTERN size_t rdms_class_property_count(const rdms_class *c);
/* Index of the property named exactly name, or -1. */
RDMS_EXTERN int rdms_class_property_index(const rdms_class *c, const char *name);
RDMS_EXTERN const char *rdms_class_property_name(const rdms_class *c, size_t i);
RDMS_EXTERN const char *rdms_class_property_type(const rdms_class *c, size_t i);
/* 1 when the property is read/write (Put may change it), 0 read-only. */
RDMS_EXTERN int rdms_class_property_writable(const rdms_class *c, size_t i);
RDMS_EXTERN int rdms_class_property_key(const rdms_class *c, size_t i);
/* 0 when the property is not on the class's documentation page (only seen
 * read by Microsoft code) or its type is a guess. */
RDMS_EXTERN int rdms_class_property_documented(const rdms_class *c, size_t i);
/* The property's value map: entry j's value, *label (may be "") and
 * *alias (a short input name, or NULL). NULL past the end. */
RDMS_EXTERN size_t rdms_class_property_value_count(const rdms_class *c, size_t i);
RDMS_EXTERN const char *rdms_class_property_value_at(const rdms_class *c, size_t i, size_t j,
                                                     const char **label, const char **alias);
/* Label of a value of a property ("1" -> "disconnected"), or NULL. */
RDMS_EXTERN const char *rdms_class_value_meaning(const rdms_class *c, const char *prop,
                                                 const char *value);
/* Input text for a property: a label or alias of its value map
 * (case-insensitive) becomes its value; a number, or any text where the map
 * does not restrict it, is kept. *out is static or text itself. Fails with
 * RDMS_EUSAGE listing the choices. */
RDMS_EXTERN int rdms_class_value_encode(const char **out, const rdms_class *c,
                                        const char *prop, const char *text);

RDMS_EXTERN size_t rdms_class_method_count(const rdms_class *c);
RDMS_EXTERN const rdms_method *rdms_class_method_at(const rdms_class *c, size_t i);
RDMS_EXTERN const rdms_method *rdms_class_method(const rdms_class *c, const char *name);
/* The method nearest to a misspelt name, or NULL. */
RDMS_EXTERN const rdms_method *rdms_class_method_nearest(const rdms_class *c, const char *name);

RDMS_EXTERN const char *rdms_method_name(const rdms_method *m);
/* 1 static, 0 instance. *observed (may be NULL) says whether the docs or
 * real callers say so (1) or the catalogue infers it (0). */
RDMS_EXTERN int rdms_method_is_static(const rdms_method *m, int *observed);
RDMS_EXTERN rdms_basis rdms_method_static_basis(const rdms_method *m);
RDMS_EXTERN const char *rdms_method_min_server(const rdms_method *m);
RDMS_EXTERN size_t rdms_method_param_count(const rdms_method *m);
RDMS_EXTERN const char *rdms_method_param_name(const rdms_method *m, size_t i);
/* CIM type name as in the catalogue, "[]" suffix for arrays; "object" is
 * an embedded instance of rdms_method_param_class(), "ref" a reference. */
RDMS_EXTERN const char *rdms_method_param_type(const rdms_method *m, size_t i);
RDMS_EXTERN const char *rdms_method_param_class(const rdms_method *m, size_t i);
RDMS_EXTERN rdms_direction rdms_method_param_direction(const rdms_method *m, size_t i);
/* The parameter's value map, as for properties. */
RDMS_EXTERN size_t rdms_method_param_value_count(const rdms_method *m, size_t i);
RDMS_EXTERN const char *rdms_method_param_value_at(const rdms_method *m, size_t i, size_t j,
                                                   const char **label, const char **alias);
/* The documented return values (entry j, *label), not counting the
 * provider's common WMI error codes. */
RDMS_EXTERN size_t rdms_method_return_value_count(const rdms_method *m);
RDMS_EXTERN const char *rdms_method_return_value_at(const rdms_method *m, size_t j,
                                                    const char **label);
/* Key arguments seen passed to a Get*Property method (e.g. DrainMode). */
RDMS_EXTERN size_t rdms_method_observed_key_count(const rdms_method *m);
RDMS_EXTERN const char *rdms_method_observed_key(const rdms_method *m, size_t j);
/* What Microsoft code makes of the Value returned for such a Key: the
 * meaning of a value (DrainMode "1" -> "not until reboot (NotUntilReboot)")
 * and the unit ("ms" for the session limits), or NULL. Not documented. */
RDMS_EXTERN const char *rdms_method_key_value_meaning(const rdms_method *m, const char *key,
                                                      const char *value);
RDMS_EXTERN const char *rdms_method_key_unit(const rdms_method *m, const char *key);
/* Those meanings in turn: value j and its *label, NULL past the end. */
RDMS_EXTERN const char *rdms_method_key_value_at(const rdms_method *m, const char *key, size_t j,
                                                 const char **label);
/* Documented meaning of a value of a parameter (or of ReturnValue when
 * param is "ReturnValue": the method's own codes, then WMI's), or NULL. */
RDMS_EXTERN const char *rdms_method_value_meaning(const rdms_method *m, const char *param,
                                                  const char *value);
/* Input text for an in parameter, as rdms_class_value_encode(). */
RDMS_EXTERN int rdms_method_value_encode(const char **out, const rdms_method *m,
                                         const char *param, const char *text);

/* ---- requests -------------------------------------------------------------- */

#define RDMS_RESOURCE_URI_BASE "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/rdms/"

typedef struct rdms_request_options {
	unsigned int version;        /* RDMS_REQUEST_OPTIONS_VERSION */
	const char *to;              /* endpoint URL for wsa:To; default http://localhost:5985/wsman */
	const char *resource_uri;    /* override (raw calls); default RDMS base + class */
	unsigned int timeout_sec;    /* OperationTimeout; 0 = 60 */
	unsigned int max_envelope;   /* MaxEnvelopeSize; 0 = 512000 */
	const char *locale;          /* xml:lang of Locale/DataLocale; NULL = en-US */
	int raw;                     /* skip catalogue checks */
	const char *message_id;      /* fixed "uuid:..." (tests); NULL = new from libuuid */
} rdms_request_options;

#define RDMS_REQUEST_OPTIONS_VERSION 1
#define RDMS_REQUEST_OPTIONS_INIT { RDMS_REQUEST_OPTIONS_VERSION, NULL, NULL, 0, 0, NULL, 0, NULL }
/* *o = RDMS_REQUEST_OPTIONS_INIT, for bindings. Pass the
 * RDMS_REQUEST_OPTIONS_VERSION of the rdms.h the struct's layout comes
 * from: only that version's fields are written. RDMS_EUSAGE for 0 or a
 * version newer than this librdms knows. */
RDMS_EXTERN int rdms_request_options_init(rdms_request_options *o, unsigned int version);

/* A built envelope plus what is needed to check the reply. */
typedef struct rdms_request rdms_request;
/* Decoded response data and a whole decoded response (see below). */
typedef struct rdms_item rdms_item;
typedef struct rdms_result rdms_result;

/* Build the Invoke envelope for cls.method. selectors may be NULL (static
 * method); params may be NULL. Unless opts->raw, checks class, method,
 * static/instance, parameter names, directions and types against the
 * catalogue and fails with RDMS_EUSAGE naming the closest valid spelling. */
RDMS_EXTERN int rdms_request_invoke(rdms_request **out, const char *cls, const char *method,
                                    const rdms_params *selectors, const rdms_params *params,
                                    const rdms_request_options *opts);
/* WS-Transfer Get of one instance (selectors required for keyed classes). */
RDMS_EXTERN int rdms_request_get(rdms_request **out, const char *cls,
                                 const rdms_params *selectors,
                                 const rdms_request_options *opts);
/* WS-Enumeration Enumerate (optimised, first batch in the response). */
RDMS_EXTERN int rdms_request_enumerate(rdms_request **out, const char *cls,
                                       unsigned int max_elements,
                                       const rdms_request_options *opts);
/* Pull with the context returned by a previous enumerate/pull. */
RDMS_EXTERN int rdms_request_pull(rdms_request **out, const char *cls, const char *context,
                                  unsigned int max_elements,
                                  const rdms_request_options *opts);
/* An Enumerate with a filter, and the whole Pull loop (rdms_enumerate).
 * Callbacks get borrowed data, valid during the call only. A nonzero
 * return stops the enumeration: the server's context is released
 * (WS-Enumeration Release) and rdms_enumerate returns that value. */
typedef int (*rdms_item_fn)(void *ud, const rdms_item *instance);
typedef int (*rdms_batch_fn)(void *ud, const rdms_result *batch);

typedef struct rdms_enum_options {
	unsigned int version;                /* RDMS_ENUM_OPTIONS_VERSION */
	const char *wql;                     /* WQL filter ("SELECT * FROM C WHERE ..."),
	                                        sent to the class's namespace (a
	                                        ResourceURI ending in an asterisk); or NULL */
	const rdms_params *selector_filter;  /* SelectorFilter (DSP0226 8.3), or NULL */
	unsigned int max_elements;           /* MaxElements per batch; 0 = 100 */
	rdms_item_fn on_item;                /* each instance, in order; may be NULL */
	rdms_batch_fn on_batch;              /* each Enumerate/Pull response; may be NULL */
	void *ud;                            /* for the callbacks */
	unsigned long max_batches;           /* give up after this many; 0 = 100000 */
} rdms_enum_options;

#define RDMS_ENUM_OPTIONS_VERSION 1
#define RDMS_ENUM_OPTIONS_INIT { RDMS_ENUM_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, NULL, 0 }
/* *o = RDMS_ENUM_OPTIONS_INIT, as rdms_request_options_init(). */
RDMS_EXTERN int rdms_enum_options_init(rdms_enum_options *o, unsigned int version);

/* Enumerate (optimised) with eo's filter and MaxElements; eo may be NULL. */
RDMS_EXTERN int rdms_request_enumerate_filter(rdms_request **out, const char *cls,
                                              const rdms_enum_options *eo,
                                              const rdms_request_options *opts);
/* Release of an enumeration context (when stopping before its end). */
RDMS_EXTERN int rdms_request_release(rdms_request **out, const char *cls, const char *context,
                                     const rdms_request_options *opts);
/* WS-Transfer Put: instance (from a Get) with changes applied, in its
 * order; each change must be a writable, non-key property of cls (the
 * catalogue's access), else RDMS_EREADONLY / RDMS_EUSAGE before anything
 * is built. A NULL value in changes sends xsi:nil. */
RDMS_EXTERN int rdms_request_put(rdms_request **out, const char *cls,
                                 const rdms_params *selectors, const rdms_item *instance,
                                 const rdms_params *changes, const rdms_request_options *opts);
/* WS-Management Identify (no headers). */
RDMS_EXTERN int rdms_request_identify(rdms_request **out);
RDMS_EXTERN void rdms_request_free(rdms_request *r);
/* The envelope bytes (UTF-8, no NUL inside), borrowed. */
RDMS_EXTERN const char *rdms_request_body(const rdms_request *r, size_t *len);
RDMS_EXTERN const char *rdms_request_message_id(const rdms_request *r);
RDMS_EXTERN const char *rdms_request_action(const rdms_request *r);
RDMS_EXTERN const char *rdms_request_resource_uri(const rdms_request *r);

/* ---- WQL ------------------------------------------------------------------- */

/* value as a WQL string literal: in single quotes, with backslash and
 * quote escaped by a backslash ('O\'Brien'). Control characters and
 * invalid UTF-8 are refused (RDMS_EUSAGE). Free *out with rdms_free. */
RDMS_EXTERN int rdms_wql_quote(char **out, const char *value);
/* "SELECT * FROM cls WHERE Name = literal AND ... AND (where)": one
 * equality per entry of eq (a null entry is "Name IS NULL"), each literal
 * typed by the catalogue (numbers and booleans checked and bare, the rest
 * quoted by rdms_wql_quote), names checked as identifiers and, when the
 * class is known, as its properties. where is a condition the caller
 * vouches for (typed by an admin), put in parentheses; eq and where may be
 * NULL. Free *out with rdms_free. */
RDMS_EXTERN int rdms_wql_select(char **out, const char *cls, const rdms_params *eq,
                                const char *where);

/* ---- responses ------------------------------------------------------------- */

/* A node of decoded response data: an out parameter, a property of an
 * instance, or a child of an element-valued one (e.g. an EPR). */
RDMS_EXTERN const char *rdms_item_name(const rdms_item *it);     /* local name */
RDMS_EXTERN const char *rdms_item_ns(const rdms_item *it);       /* namespace URI or NULL */
RDMS_EXTERN int rdms_item_is_nil(const rdms_item *it);           /* xsi:nil="true" */
/* Text, trimmed of XML white space at both ends; "" for an empty element;
 * NULL for nil or for an element with child elements. */
RDMS_EXTERN const char *rdms_item_text(const rdms_item *it);
RDMS_EXTERN size_t rdms_item_child_count(const rdms_item *it);
RDMS_EXTERN const rdms_item *rdms_item_child(const rdms_item *it, size_t i);
/* First child with that local name, or NULL. */
RDMS_EXTERN const rdms_item *rdms_item_find(const rdms_item *it, const char *name);
/* Attribute value by local name (an unqualified attribute first), as
 * written; NULL when absent. E.g. "Name" of a wsman:Selector in an EPR. */
RDMS_EXTERN const char *rdms_item_attr(const rdms_item *it, const char *name);

typedef enum {
	RDMS_RESULT_NONE = 0,
	RDMS_RESULT_INVOKE,     /* Body is <Method_OUTPUT> */
	RDMS_RESULT_GET,        /* Body is one instance */
	RDMS_RESULT_ENUMERATE,  /* EnumerateResponse or PullResponse */
	RDMS_RESULT_IDENTIFY,   /* IdentifyResponse */
	RDMS_RESULT_FAULT       /* Body is a SOAP Fault */
} rdms_result_kind;

/* A SOAP fault, as far as the server gave it. Strings are trimmed; absent
 * ones are NULL. */
typedef struct rdms_fault {
	long http_status;
	const char *code_ns, *code;         /* SOAP Code, e.g. SOAP12 ns + "Sender" */
	const char *subcode_ns, *subcode;   /* e.g. WSMAN ns + "InvalidSelectors" */
	const char *reason;                 /* s:Reason/s:Text */
	const char *message;                /* the most specific text there is */
	const char *machine;                /* WSManFault@Machine */
	const char *fault_detail;           /* w:FaultDetail URI */
	const char *provider;               /* ProviderFault@provider (or providerId) */
	const char *not_understood;         /* s:NotUnderstood@qname */
	int has_wsman_code;
	uint32_t wsman_code;                /* outermost WSManFault@Code */
	int has_wmi_code;
	uint32_t wmi_code;                  /* MSFT_WmiError error_Code, or inner provider code */
} rdms_fault;

typedef struct rdms_parse_options {
	unsigned int version;          /* RDMS_PARSE_OPTIONS_VERSION */
	size_t max_size;               /* refuse larger bodies; 0 = 16 MiB */
	const char *content_type;      /* HTTP Content-Type (for charset); may be NULL */
	long http_status;              /* recorded in a fault; 0 = unknown */
	const rdms_request *request;   /* when set: RelatesTo and Action are checked */
} rdms_parse_options;

#define RDMS_PARSE_OPTIONS_VERSION 1
#define RDMS_PARSE_OPTIONS_INIT { RDMS_PARSE_OPTIONS_VERSION, 0, NULL, 0, NULL }
/* *o = RDMS_PARSE_OPTIONS_INIT, as rdms_request_options_init(). */
RDMS_EXTERN int rdms_parse_options_init(rdms_parse_options *o, unsigned int version);

/* Decode a WS-Management response body. Returns 0 with *out set for a
 * normal response; RDMS_EFAULT with *out set (kind FAULT) for a SOAP fault;
 * another negative code with *out NULL when the body is not a usable
 * response (RDMS_EPARSE, RDMS_ETOOBIG, RDMS_EPROTO, ...). */
RDMS_EXTERN int rdms_response_parse(rdms_result **out, const char *body, size_t len,
                                    const rdms_parse_options *opts);
RDMS_EXTERN void rdms_result_free(rdms_result *r);

RDMS_EXTERN rdms_result_kind rdms_result_kind_of(const rdms_result *r);
/* NULL unless kind is FAULT. */
RDMS_EXTERN const rdms_fault *rdms_result_fault(const rdms_result *r);
/* The response body the result was decoded from, as received (in its own
 * encoding; for a sealed reply, the unsealed envelope); borrowed. *len (may
 * be NULL) gets its size; a NUL follows the last byte. For a result of
 * rdms_response_parse, a copy of the body given. */
RDMS_EXTERN const char *rdms_result_body(const rdms_result *r, size_t *len);
/* wsa:Action and wsa:RelatesTo of the response (trimmed), or NULL. */
RDMS_EXTERN const char *rdms_result_action(const rdms_result *r);
RDMS_EXTERN const char *rdms_result_relates_to(const rdms_result *r);
/* Invoke: the method name ("ProvisioningJobCancel"), its namespace URI. */
RDMS_EXTERN const char *rdms_result_method(const rdms_result *r);
RDMS_EXTERN const char *rdms_result_ns(const rdms_result *r);
/* Invoke: 0 and *rv set when a ReturnValue is present; RDMS_ENORETURN
 * (with a message naming the method) when absent or when r is not an
 * invoke result. A ReturnValue that is repeated, nil or not an unsigned
 * 32-bit decimal already fails rdms_response_parse with RDMS_EPROTO. */
RDMS_EXTERN int rdms_result_return_value(const rdms_result *r, uint32_t *rv);

/* Invoke: the children of <Method_OUTPUT> (ReturnValue included), one item
 * per element, in document order; an array is several items of one name.
 * Get: the properties of the instance. Identify: the response's children.
 * Enumerate: the instances. Fault: the children of s:Detail. */
RDMS_EXTERN size_t rdms_result_count(const rdms_result *r);
RDMS_EXTERN const rdms_item *rdms_result_at(const rdms_result *r, size_t i);
/* Number of items named name, and the j-th of them (NULL when none). */
RDMS_EXTERN size_t rdms_result_out_count(const rdms_result *r, const char *name);
RDMS_EXTERN const rdms_item *rdms_result_out(const rdms_result *r, const char *name, size_t j);
/* Each reply has one CPU-time budget (thread CPU time, 5 s) for parsing,
 * decoding and whatever the caller does to print it: 0 while some is
 * left, else RDMS_ECPU. A caller walking a large result calls it now and
 * then. rdms_result_out is O(n) per call: iterate with rdms_result_at to
 * visit every item. */
RDMS_EXTERN int rdms_result_check_budget(const rdms_result *r);

/* Get / Enumerate: the instances (for Get exactly one), as items whose
 * children are the properties. */
RDMS_EXTERN size_t rdms_result_instance_count(const rdms_result *r);
RDMS_EXTERN const rdms_item *rdms_result_instance(const rdms_result *r, size_t i);
/* Enumerate: the context for the next Pull (NULL or "" when done). */
RDMS_EXTERN const char *rdms_result_enum_context(const rdms_result *r);
RDMS_EXTERN int rdms_result_end_of_sequence(const rdms_result *r);

/* ---- sessions (authenticated HTTP) ----------------------------------------- */

typedef enum {
	RDMS_AUTH_NEGOTIATE = 0,  /* SPNEGO: Kerberos when possible, else NTLM */
	RDMS_AUTH_KERBEROS,
	RDMS_AUTH_NTLM,
	RDMS_AUTH_BASIC,
	RDMS_AUTH_NONE
} rdms_auth;

typedef enum {
	RDMS_ENCRYPT_AUTO = 0,    /* seal on http://, not on https:// */
	RDMS_ENCRYPT_ALWAYS,
	RDMS_ENCRYPT_NEVER
} rdms_encrypt;

/* Trace hook for -v: kind is one of RDMS_TRACE_*; data is not NUL
 * terminated. Authorization values are redacted before the hook sees them. */
enum { RDMS_TRACE_INFO = 0, RDMS_TRACE_HEADER_OUT, RDMS_TRACE_HEADER_IN,
       RDMS_TRACE_BODY_OUT, RDMS_TRACE_BODY_IN };
typedef void (*rdms_trace_fn)(void *ud, int kind, const char *data, size_t len);

typedef struct rdms_options {
	unsigned int version;         /* RDMS_OPTIONS_VERSION */
	rdms_auth auth;
	const char *username;         /* "DOMAIN\\user", "user@REALM" or "user" */
	const char *password;         /* copied; the copy is wiped on free */
	const char *keytab;           /* client keytab for Kerberos */
	const char *spn;              /* default HTTP/<host> */
	const char *cacert;           /* CA bundle file */
	int insecure;                 /* do not verify the server certificate */
	unsigned int timeout_sec;     /* OperationTimeout; the HTTP read timeout is longer */
	unsigned int connect_timeout_sec;
	rdms_encrypt encrypt;
	int allow_unencrypted;        /* permit Negotiate on http:// without sealing */
	int allow_basic_http;         /* permit Basic on http:// */
	rdms_trace_fn trace;
	void *trace_ud;
	size_t max_response;          /* 0 = 16 MiB */
	unsigned int max_envelope;    /* MaxEnvelopeSize; 0 = 512000 */
	const char *locale;
} rdms_options;

#define RDMS_OPTIONS_VERSION 1
#define RDMS_OPTIONS_INIT { RDMS_OPTIONS_VERSION, RDMS_AUTH_NEGOTIATE, NULL, NULL, NULL, NULL, \
                            NULL, 0, 0, 0, RDMS_ENCRYPT_AUTO, 0, 0, NULL, NULL, 0, 0, NULL }
/* *o = RDMS_OPTIONS_INIT, as rdms_request_options_init(). */
RDMS_EXTERN int rdms_options_init(rdms_options *o, unsigned int version);

typedef struct rdms_session rdms_session;

/* The endpoint for what a user typed: "host" or "host:port" means
 * https://host:5986/wsman (http for port 5985), a URL without a path gets
 * /wsman, and a URL without a port gets 5985 (http) or 5986 (https).
 * Free *out with rdms_free. RDMS_EUSAGE for anything else. */
RDMS_EXTERN int rdms_endpoint_url(char **out, const char *host_or_url);
/* in (a -H value, a URL) as it may appear in a message or in JSON: the
 * userinfo of a URL ("user:password@", RFC 3986 §3.2.1) becomes "***@",
 * and every byte outside printable ASCII becomes '?'. Writes at most
 * cap - 1 bytes and a NUL; returns dst. */
RDMS_EXTERN char *rdms_url_redact(char *dst, size_t cap, const char *in);

/* url: as accepted by rdms_endpoint_url. Nothing is sent until the first
 * call. */
RDMS_EXTERN int rdms_session_new(rdms_session **out, const char *url, const rdms_options *o);
RDMS_EXTERN void rdms_session_free(rdms_session *s);

/* Send a built request and parse the answer (see rdms_response_parse for
 * the meaning of *out and the return code). */
RDMS_EXTERN int rdms_session_send(rdms_session *s, const rdms_request *req, rdms_result **out);

/* ---- many sessions on one thread ----
 *
 * A multi sends requests on many sessions at once from the one thread
 * that calls rdms_multi_run(), as libcurl's multi interface does: no
 * thread per host, no stack per host. The multi keeps its sessions'
 * kept-alive connections in one cache, one per session: a session's
 * first rdms_multi_add() ties it to that multi until either is freed
 * (another multi is RDMS_EUSAGE), and its next request there reuses its
 * connection and authentication. rdms_session_send() on the same session
 * uses a connection of its own (one more handshake). One session per
 * endpoint (scheme, host, port) in a multi: a second is RDMS_EUSAGE until
 * the first is freed, so no connection of the cache ever serves two
 * sessions (two credentials, two CA stores). Everything of a
 * request runs on that thread, TLS handshakes and Kerberos ticket
 * requests included (a ticket request for a new service blocks the loop
 * while the KDC answers).
 *
 * rdms_multi_add() queues one request on a session that has none in
 * flight; req must stay valid until its callback. rdms_multi_run() runs
 * until every queued request is done and calls done once for each, on
 * its own thread, with what rdms_session_send() would have returned: rc,
 * the result (the callback owns it: rdms_result_free), and, when rc < 0,
 * rdms_error_last() set to that request's error. The callback may add
 * requests (to keep N in flight) and may free its own session; it must
 * not free a session that still has a request queued, nor run or free
 * the multi (rdms_multi_run() is then RDMS_EUSAGE). rdms_multi_run()
 * returns 0, or a negative code when the loop itself failed (poll(2));
 * the requests still queued are then done with that error. A multi is
 * used by one thread at a time; rdms_multi_free() drops what is still
 * queued without calling back. */
typedef struct rdms_multi rdms_multi;
typedef void (*rdms_multi_done)(rdms_session *s, int rc, rdms_result *result, void *ud);
RDMS_EXTERN int rdms_multi_new(rdms_multi **out);
RDMS_EXTERN int rdms_multi_add(rdms_multi *m, rdms_session *s, const rdms_request *req,
                               rdms_multi_done done, void *ud);
RDMS_EXTERN int rdms_multi_run(rdms_multi *m);
RDMS_EXTERN void rdms_multi_free(rdms_multi *m);

/* Build, send, parse in one call. */
RDMS_EXTERN int rdms_invoke(rdms_result **out, rdms_session *s, const char *cls,
                            const char *method, const rdms_params *selectors,
                            const rdms_params *params);

/* WS-Transfer Get of one instance; *out is a GET result (one instance). */
RDMS_EXTERN int rdms_get(rdms_result **out, rdms_session *s, const char *cls,
                         const rdms_params *selectors);
/* WS-Transfer Put: see rdms_request_put. A refused change sends nothing.
 * *out holds the instance the server returns. */
RDMS_EXTERN int rdms_put(rdms_result **out, rdms_session *s, const char *cls,
                         const rdms_params *selectors, const rdms_item *instance,
                         const rdms_params *changes);
/* Enumerate cls with eo (filter, MaxElements, callbacks), then Pull until
 * EndOfSequence; Release when a callback stops early. Returns 0 at the
 * end, a callback's nonzero value when it stopped, or a negative code;
 * on RDMS_EFAULT, *fault (when not NULL) gets the fault result. */
RDMS_EXTERN int rdms_enumerate(rdms_result **fault, rdms_session *s, const char *cls,
                               const rdms_enum_options *eo);
/* The same loop from an Enumerate request built by the caller (raw
 * classes, fixed options); Pull and Release go to its ResourceURI. eo's
 * filter fields are ignored (they are in the request). */
RDMS_EXTERN int rdms_session_enumerate(rdms_result **fault, rdms_session *s,
                                       const rdms_request *enumerate,
                                       const rdms_enum_options *eo);
/* WS-Management Identify. */
RDMS_EXTERN int rdms_identify(rdms_result **out, rdms_session *s);

/* Per-session counters, for tests and benchmarks. The one struct the
 * library writes into, versioned as the options structs are (see the top
 * of this file): set its version with RDMS_SESSION_STATS_INIT or
 * rdms_session_stats_init(), and the library writes exactly the fields of
 * that version, so a counter added later never lands past the end of an
 * older program's struct. */
typedef struct rdms_session_stats {
	unsigned int version;         /* RDMS_SESSION_STATS_VERSION */
	unsigned long requests;       /* HTTP requests sent */
	unsigned long connections;    /* TCP connections opened */
	unsigned long auth_rounds;    /* 401 challenges answered */
	unsigned long bytes_out, bytes_in;
} rdms_session_stats;
#define RDMS_SESSION_STATS_VERSION 1
#define RDMS_SESSION_STATS_INIT { RDMS_SESSION_STATS_VERSION, 0, 0, 0, 0, 0 }
/* Zero st as version version of the struct, the version set. */
RDMS_EXTERN int rdms_session_stats_init(rdms_session_stats *st, unsigned int version);
/* s's counters into st (all zero for a NULL session). RDMS_EUSAGE for a
 * NULL st, or a version of 0 or newer than this librdms knows. */
RDMS_EXTERN int rdms_session_get_stats(const rdms_session *s, rdms_session_stats *st);

#ifdef __cplusplus
}
#endif
#endif /* RDMS_H */
