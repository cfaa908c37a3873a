/* rdms.h must compile on its own, strictly (built with -pedantic -Werror). */
#include <rdms.h>

/* The version macros come with it and work in #if. */
#if !defined(RDMS_VERSION_MAJOR) || !defined(RDMS_VERSION_MINOR) || \
    !defined(RDMS_VERSION_PATCH) || !defined(RDMS_VERSION_STRING)
#error rdms.h does not define the RDMS_VERSION_ macros
#endif
#if RDMS_VERSION_NUM != ((RDMS_VERSION_MAJOR << 16) | (RDMS_VERSION_MINOR << 8) | \
    RDMS_VERSION_PATCH)
#error RDMS_VERSION_NUM does not agree with MAJOR.MINOR.PATCH
#endif

int
main(void)
{
	rdms_options o = RDMS_OPTIONS_INIT;
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_parse_options po = RDMS_PARSE_OPTIONS_INIT;
	rdms_enum_options eo = RDMS_ENUM_OPTIONS_INIT;

	return (o.version == RDMS_OPTIONS_VERSION && ro.version == RDMS_REQUEST_OPTIONS_VERSION &&
	    po.version == RDMS_PARSE_OPTIONS_VERSION && eo.version == RDMS_ENUM_OPTIONS_VERSION &&
	    RDMS_EUSAGE < 0 && sizeof(RDMS_VERSION_STRING) > 5) ? 0 : 1;
}
