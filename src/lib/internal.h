/*
 * internal.h - what the modules of librdms share and nobody else sees.
 */
#ifndef RDMS_INTERNAL_H
#define RDMS_INTERNAL_H

#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "rdms.h"

#define RDMS_NS_SOAP   "http://www.w3.org/2003/05/soap-envelope"
#define RDMS_NS_WSA    "http://schemas.xmlsoap.org/ws/2004/08/addressing"
#define RDMS_NS_WSMAN  "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
#define RDMS_NS_WSMV   "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"
#define RDMS_NS_WSEN   "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
#define RDMS_NS_WSMID  "http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd"
#define RDMS_NS_FAULT  "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"
#define RDMS_NS_XSI    "http://www.w3.org/2001/XMLSchema-instance"
#define RDMS_ANONYMOUS "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"

#define RDMS_DEFAULT_MAX_RESPONSE ((size_t)16 * 1024 * 1024)
#define RDMS_DEFAULT_MAX_ENVELOPE 512000u
#define RDMS_DEFAULT_TIMEOUT      60u

/* The HTTP read timeout for an OperationTimeout of op seconds: the server
 * answers (a TimedOut fault at worst) within op, so wait a margin longer,
 * half of op but 5 to 30 s, before calling the server unresponsive. */
static inline unsigned int
rdms__read_timeout(unsigned int op)
{
	unsigned int margin = op / 2;

	return op + (margin < 5 ? 5 : margin > 30 ? 30 : margin);
}

#if defined(__GNUC__)
#define RDMS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define RDMS_PRINTF(a, b)
#endif

/* ---- codes.c: "ERROR_ACCESS_DENIED: access is denied" for "5", WBEM_E_*
 * for 0x8004xxxx (decimal text), or NULL ---- */
const char *rdms__code_meaning(const char *value);

/* ---- error.c: the thread's last error ---- */

/* Record code with a formatted message; returns code so callers can
 * "return rdms__error(RDMS_EUSAGE, ...)". */
int rdms__error(int code, const char *fmt, ...) RDMS_PRINTF(2, 3);
int rdms__error_oom(void);
/* Attach protocol detail to the error just recorded. */
void rdms__error_http(long status);
void rdms__error_wsman(uint32_t code);
void rdms__error_wmi(uint32_t code);
/* Record a fault (from the parser) as the last error: message, codes. */
void rdms__error_fault(const rdms_fault *f);

/* ---- options.c: the versioned options structs ---- */

/* What the one version check needs to know of an options struct. */
typedef struct rdms__options_kind {
	const char *name;         /* "rdms_options", for messages */
	const char *init;         /* how to initialise one, for messages */
	const size_t *sizes;      /* sizes[v - 1]: the bytes of version v */
	size_t nversions;         /* the current version */
	size_t size;              /* sizeof the current struct */
	const void *defaults;     /* the _INIT values */
} rdms__options_kind;

extern const rdms__options_kind rdms__session_options_kind;
extern const rdms__options_kind rdms__request_options_kind;
extern const rdms__options_kind rdms__enum_options_kind;
extern const rdms__options_kind rdms__parse_options_kind;
extern const rdms__options_kind rdms__session_stats_kind;

/* The one check of a caller's options struct, for every public entry that
 * takes one: dst (a current struct of kind k) gets the defaults, then the
 * fields of src's version (src may be NULL: all defaults), and the current
 * version. A version of 0 or newer than k's fails with RDMS_EUSAGE. */
int rdms__options_read(void *dst, const void *src, const rdms__options_kind *k);
/* The same check for a struct the library fills in: dst's version says
 * which fields it has; exactly those are copied from src (a current struct
 * of kind k), and dst keeps its version. */
int rdms__options_write(void *dst, const void *src, const rdms__options_kind *k);

/* ---- buf.c: growable byte buffer ---- */

typedef struct rdms_buf {
	char *ptr;
	size_t len, cap;
	int failed;       /* an allocation failed; later appends are no-ops */
	int secret;       /* wipe on growth and free */
} rdms_buf;

#define RDMS_BUF_INIT { NULL, 0, 0, 0, 0 }

int rdms__buf_grow(rdms_buf *b, size_t extra);
int rdms__buf_put(rdms_buf *b, const void *data, size_t len);
int rdms__buf_puts(rdms_buf *b, const char *s);
int rdms__buf_printf(rdms_buf *b, const char *fmt, ...) RDMS_PRINTF(2, 3);
/* Append s escaped for XML text and attribute values (&, <, >, ", '). */
int rdms__buf_put_xml(rdms_buf *b, const char *s);
/* Take ownership of the NUL-terminated contents; the buffer is reset. */
char *rdms__buf_detach(rdms_buf *b, size_t *len);
void rdms__buf_free(rdms_buf *b);

/* ---- util ---- */

char *rdms__strdup(const char *s);
char *rdms__strndup(const char *s, size_t n);
void rdms__wipe(void *p, size_t n);
/* Free a string after wiping it. */
void rdms__free_secret(char *s);
/* Levenshtein distance, capped; for "did you mean". */
size_t rdms__edit_distance(const char *a, const char *b);

/* ---- xml.c: hardened libxml2 ---- */

struct _xmlDoc;
struct _xmlNode;
/* Parse a response body from memory: size cap, no network, no DTD, no
 * entities; the encoding from content_type's charset, then BOM, then the
 * XML declaration, else UTF-8. RDMS_EPARSE/EHOSTILE/ETOOBIG/EEMPTY. */
int rdms__xml_parse(struct _xmlDoc **out, const char *buf, size_t len, size_t max,
                    const char *content_type);

/* ---- templates.gen.c (from xml-templates/) ---- */

extern const char rdms__tpl_invoke[];
extern const char rdms__tpl_get[];
extern const char rdms__tpl_enumerate[];
extern const char rdms__tpl_pull[];
extern const char rdms__tpl_identify[];
extern const char rdms__tpl_put[];
extern const char rdms__tpl_release[];

/* ---- request internals (envelope.c) ---- */

struct rdms_request {
	char *body;
	size_t len;
	char *message_id;
	char *action;
	char *resource_uri;
	char *method;         /* invoke only */
	int kind;             /* rdms_result_kind expected */
	int empty_ok;         /* an empty Body answers it (ReleaseResponse) */
};

#define RDMS_ACTION_GET       "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get"
#define RDMS_ACTION_PUT       "http://schemas.xmlsoap.org/ws/2004/09/transfer/Put"
#define RDMS_ACTION_ENUMERATE "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate"
#define RDMS_ACTION_PULL      "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull"
#define RDMS_ACTION_RELEASE   "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Release"

/* Fill template tpl: header slots from opts, the fragments selectors_xml,
 * body and filter as given (already escaped markup), the text slots
 * context and max_elements escaped. */
int rdms__envelope_build(rdms_request **out, const char *tpl, int kind,
                         const char *resource_uri, const char *action, const char *method,
                         const char *selectors_xml, const char *body, const char *context,
                         unsigned int max_elements, const char *filter,
                         const rdms_request_options *opts);
/* <w:SelectorSet> of sel, escaped; nothing for an empty list. */
int rdms__selector_set(rdms_buf *b, const rdms_params *sel);
/* Every selector names a key of c, none is null, and there is one. */
int rdms__check_selectors(const rdms_class *c, const rdms_params *sel, const char *what);
int rdms__check_ncname(const char *s, const char *what);
int rdms__check_uri(const char *u);
/* The ResourceURI of cls into uri (opts->resource_uri wins); *cp is its
 * catalogue entry or NULL (raw). */
int rdms__class_uri(rdms_buf *uri, const char *cls, const rdms_request_options *opts,
                    const rdms_class **cp);

/* A Pull (release 0) or Release (1) continuing enumerate's enumeration,
 * sent to its ResourceURI. */
int rdms__request_continue(rdms_request **out, const rdms_request *enumerate, int release,
                           const char *context, unsigned int max_elements,
                           const rdms_request_options *opts);

/* ---- response internals (response.c) ---- */

/* rdms_response_parse, the result taking body (malloc'd, NUL-terminated)
 * as its rdms_result_body when *out is set; else body stays the caller's. */
int rdms__response_parse_owned(rdms_result **out, char *body, size_t len,
                               const rdms_parse_options *opts);

/* ---- session internals (session.c) ---- */

/* The request options a session fills in for its own calls. */
void rdms__session_request_options(const rdms_session *s, rdms_request_options *ro);

/* ---- catalogue internals (catalog.c) ---- */

const rdms_method *rdms__closest_method(const rdms_class *c, const char *name);
const rdms_class *rdms__closest_class(const char *name);
/* RDMS_EUSAGE for an abstract class, naming its subclasses; what is e.g.
 * "enumerate". */
int rdms__abstract_error(const rdms_class *c, const char *what);
/* Index of the parameter named exactly name, or -1; *closest gets the
 * nearest spelling when not found. */
int rdms__method_param_index(const rdms_method *m, const char *name, const char **closest);
/* Meaning of a ReturnValue no method lists (common and WMI codes), or NULL. */
const char *rdms__return_code_meaning(const char *value);
/* access.c, by class and property name: 1 read/write, 0 read-only, -1
 * unknown; 1 for a key; the CIM type or NULL; 1 when the class is in the
 * catalogue (so an unknown property name is a typo). */
int rdms__property_writable(const char *cls, const char *prop);
int rdms__property_key(const char *cls, const char *prop);
const char *rdms__property_type(const char *cls, const char *prop);
int rdms__class_properties_known(const char *cls);

#endif
