/*
 * options.c - the versioned structs (the options structs the library
 * reads, the stats struct it fills in): one check for all of them, and
 * their _init functions.
 *
 * A struct's version N is its layout when RDMS_..._VERSION was N. Fields
 * are only added at the end, each addition raising the version, so the
 * fields of version N are a prefix of the current struct: its size is the
 * end of the last field N had. A caller's struct is read as that many
 * bytes over a copy of the defaults (the _INIT values), so fields the
 * caller's rdms.h did not have take their defaults (libgit2 does the same
 * with GIT_ERROR_CHECK_VERSION and its _options_init functions).
 */
#include "internal.h"

#include <string.h>

/* The end of field f of type t: a version's size without trailing padding,
 * which a later field may occupy. */
#define FIELD_END(t, f) (offsetof(t, f) + sizeof(((t *)0)->f))

/* sizes[v - 1]: the bytes of version v. Add one line per new version. */
static const size_t session_sizes[] = {
	FIELD_END(rdms_options, locale),                /* 1 */
};
static const size_t request_sizes[] = {
	FIELD_END(rdms_request_options, message_id),    /* 1 */
};
static const size_t enum_sizes[] = {
	FIELD_END(rdms_enum_options, max_batches),      /* 1 */
};
static const size_t parse_sizes[] = {
	FIELD_END(rdms_parse_options, request),         /* 1 */
};
static const size_t stats_sizes[] = {
	FIELD_END(rdms_session_stats, bytes_in),        /* 1 */
};

static const rdms_options session_defaults = RDMS_OPTIONS_INIT;
static const rdms_request_options request_defaults = RDMS_REQUEST_OPTIONS_INIT;
static const rdms_enum_options enum_defaults = RDMS_ENUM_OPTIONS_INIT;
static const rdms_parse_options parse_defaults = RDMS_PARSE_OPTIONS_INIT;
static const rdms_session_stats stats_defaults = RDMS_SESSION_STATS_INIT;

#define NSIZES(a) (sizeof(a) / sizeof((a)[0]))

const rdms__options_kind rdms__session_options_kind = {
	"rdms_options", "RDMS_OPTIONS_INIT or rdms_options_init()",
	session_sizes, NSIZES(session_sizes), sizeof(rdms_options), &session_defaults
};
const rdms__options_kind rdms__request_options_kind = {
	"rdms_request_options", "RDMS_REQUEST_OPTIONS_INIT or rdms_request_options_init()",
	request_sizes, NSIZES(request_sizes), sizeof(rdms_request_options), &request_defaults
};
const rdms__options_kind rdms__enum_options_kind = {
	"rdms_enum_options", "RDMS_ENUM_OPTIONS_INIT or rdms_enum_options_init()",
	enum_sizes, NSIZES(enum_sizes), sizeof(rdms_enum_options), &enum_defaults
};
const rdms__options_kind rdms__parse_options_kind = {
	"rdms_parse_options", "RDMS_PARSE_OPTIONS_INIT or rdms_parse_options_init()",
	parse_sizes, NSIZES(parse_sizes), sizeof(rdms_parse_options), &parse_defaults
};
const rdms__options_kind rdms__session_stats_kind = {
	"rdms_session_stats", "RDMS_SESSION_STATS_INIT or rdms_session_stats_init()",
	stats_sizes, NSIZES(stats_sizes), sizeof(rdms_session_stats), &stats_defaults
};

/* Every options struct starts with its version. */
static unsigned int
version_of(const void *o)
{
	unsigned int v;

	memcpy(&v, o, sizeof(v));
	return v;
}

/* The one version check: 0 and versions newer than k's are refused. */
static int
check_version(unsigned int v, const rdms__options_kind *k)
{
	unsigned int current = (unsigned int)k->nversions;

	if (v == 0)
		return rdms__error(RDMS_EUSAGE, "%s has version 0 (not initialised): set it up "
		    "with %s", k->name, k->init);
	if (v > current)
		return rdms__error(RDMS_EUSAGE, "%s version %u is newer than this librdms %s "
		    "knows (1 to %u): the program was built against a newer rdms.h; run it "
		    "with that librdms or rebuild it against this one", k->name, v,
		    RDMS_VERSION_STRING, current);
	return 0;
}

int
rdms__options_read(void *dst, const void *src, const rdms__options_kind *k)
{
	unsigned int v, current = (unsigned int)k->nversions;
	int rc;

	memcpy(dst, k->defaults, k->size);
	if (src == NULL)
		return 0;
	v = version_of(src);
	if ((rc = check_version(v, k)) < 0)
		return rc;
	memcpy(dst, src, k->sizes[v - 1]);
	memcpy(dst, &current, sizeof(current));
	return 0;
}

int
rdms__options_write(void *dst, const void *src, const rdms__options_kind *k)
{
	unsigned int v;
	int rc;

	if (dst == NULL)
		return rdms__error(RDMS_EUSAGE, "%s: NULL struct to fill in", k->name);
	v = version_of(dst);
	if ((rc = check_version(v, k)) < 0)
		return rc;
	memcpy(dst, src, k->sizes[v - 1]);
	memcpy(dst, &v, sizeof(v));
	return 0;
}

/* Fill o as version version of the struct: its defaults, the version set;
 * nothing past that version's size is written. */
static int
options_init(void *o, unsigned int version, const rdms__options_kind *k)
{
	if (o == NULL)
		return rdms__error(RDMS_EUSAGE, "%s_init: NULL options", k->name);
	if (version == 0 || version > k->nversions)
		return rdms__error(RDMS_EUSAGE, "%s_init: version %u is not one this librdms "
		    "%s knows (1 to %u); pass the RDMS_..._VERSION of the rdms.h the program "
		    "was built with", k->name, version, RDMS_VERSION_STRING,
		    (unsigned int)k->nversions);
	memcpy(o, k->defaults, k->sizes[version - 1]);
	memcpy(o, &version, sizeof(version));
	return 0;
}

int
rdms_options_init(rdms_options *o, unsigned int version)
{
	return options_init(o, version, &rdms__session_options_kind);
}

int
rdms_request_options_init(rdms_request_options *o, unsigned int version)
{
	return options_init(o, version, &rdms__request_options_kind);
}

int
rdms_enum_options_init(rdms_enum_options *o, unsigned int version)
{
	return options_init(o, version, &rdms__enum_options_kind);
}

int
rdms_parse_options_init(rdms_parse_options *o, unsigned int version)
{
	return options_init(o, version, &rdms__parse_options_kind);
}

int
rdms_session_stats_init(rdms_session_stats *st, unsigned int version)
{
	return options_init(st, version, &rdms__session_stats_kind);
}
