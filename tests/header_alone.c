/* rdms.h must compile on its own, strictly (built with -pedantic -Werror). */
#include <rdms.h>

int
main(void)
{
	rdms_options o = RDMS_OPTIONS_INIT;
	rdms_request_options ro = RDMS_REQUEST_OPTIONS_INIT;
	rdms_parse_options po = RDMS_PARSE_OPTIONS_INIT;

	return (o.version == RDMS_OPTIONS_VERSION && ro.version == RDMS_REQUEST_OPTIONS_VERSION &&
	    po.version == RDMS_PARSE_OPTIONS_VERSION && RDMS_EUSAGE < 0) ? 0 : 1;
}
