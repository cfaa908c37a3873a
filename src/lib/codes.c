/*
 * codes.c - names of the numbers a WMI method returns: its ReturnValue
 * (0, 4096 "job started", or a Win32 error code), WMI's WBEM_E_*
 * HRESULTs (0x8004xxxx, in ReturnValue and in faults), and the common
 * HRESULTs of Win32 errors (0x8007xxxx). From the Windows SDK headers
 * winerror.h and wbemcli.h (WBEMSTATUS); a method's own value map in the
 * catalogue comes first (catalog.c).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct code_name {
	uint32_t code;
	const char *text;
} code_name;

static const code_name win32[] = {
	{ 0, "success" },
	{ 2, "ERROR_FILE_NOT_FOUND: the system cannot find the file specified" },
	{ 3, "ERROR_PATH_NOT_FOUND: the system cannot find the path specified" },
	{ 5, "ERROR_ACCESS_DENIED: access is denied" },
	{ 6, "ERROR_INVALID_HANDLE: the handle is invalid" },
	{ 8, "ERROR_NOT_ENOUGH_MEMORY: not enough memory" },
	{ 13, "ERROR_INVALID_DATA: the data is invalid" },
	{ 21, "ERROR_NOT_READY: the device is not ready" },
	{ 31, "ERROR_GEN_FAILURE: a device attached to the system is not functioning" },
	{ 32, "ERROR_SHARING_VIOLATION: the file is in use by another process" },
	{ 50, "ERROR_NOT_SUPPORTED: the request is not supported" },
	{ 53, "ERROR_BAD_NETPATH: the network path was not found" },
	{ 87, "ERROR_INVALID_PARAMETER: the parameter is incorrect" },
	{ 112, "ERROR_DISK_FULL: there is not enough space on the disk" },
	{ 120, "ERROR_CALL_NOT_IMPLEMENTED: this function is not supported on this system" },
	{ 122, "ERROR_INSUFFICIENT_BUFFER: the data area passed is too small" },
	{ 183, "ERROR_ALREADY_EXISTS: the object already exists" },
	{ 234, "ERROR_MORE_DATA: more data is available" },
	{ 258, "WAIT_TIMEOUT: the wait operation timed out" },
	{ 1051, "ERROR_DEPENDENT_SERVICES_RUNNING: other services depend on this service" },
	{ 1053, "ERROR_SERVICE_REQUEST_TIMEOUT: the service did not respond in time" },
	{ 1060, "ERROR_SERVICE_DOES_NOT_EXIST: the service does not exist" },
	{ 1062, "ERROR_SERVICE_NOT_ACTIVE: the service has not been started" },
	{ 1168, "ERROR_NOT_FOUND: element not found" },
	{ 1169, "ERROR_NO_MATCH: there was no match for the specified key" },
	{ 1223, "ERROR_CANCELLED: the operation was cancelled by the user" },
	{ 1232, "ERROR_HOST_UNREACHABLE: the network location cannot be reached" },
	{ 1314, "ERROR_PRIVILEGE_NOT_HELD: a required privilege is not held by the client" },
	{ 1326, "ERROR_LOGON_FAILURE: the user name or password is incorrect" },
	{ 1327, "ERROR_ACCOUNT_RESTRICTION: account restrictions prevent this sign-in" },
	{ 1330, "ERROR_PASSWORD_EXPIRED: the password of this account has expired" },
	{ 1331, "ERROR_ACCOUNT_DISABLED: this account is disabled" },
	{ 1332, "ERROR_NONE_MAPPED: no mapping between account names and security IDs" },
	{ 1355, "ERROR_NO_SUCH_DOMAIN: the domain does not exist or could not be contacted" },
	{ 1460, "ERROR_TIMEOUT: the operation returned because the timeout period expired" },
	{ 1722, "RPC_S_SERVER_UNAVAILABLE: the RPC server is unavailable" },
	{ 1753, "EPT_S_NOT_REGISTERED: no more endpoints are available" },
	{ 1909, "ERROR_ACCOUNT_LOCKED_OUT: the account is locked out" },
	{ 4096, "job started" },
	{ 4312, "ERROR_OBJECT_NOT_FOUND: the object identifier does not represent a valid object" },
	{ 0x80004001, "E_NOTIMPL: not implemented" },
	{ 0x80004005, "E_FAIL: unspecified failure" },
	{ 0x80070005, "E_ACCESSDENIED: access is denied" },
	{ 0x8007000E, "E_OUTOFMEMORY: not enough memory" },
	{ 0x80070057, "E_INVALIDARG: the parameter is incorrect" },
	{ 0x80070490, "HRESULT of ERROR_NOT_FOUND: element not found" },
};

/* WBEMSTATUS 0x80041001 + i, in order. */
static const char *const wbem[] = {
	"WBEM_E_FAILED: call failed",
	"WBEM_E_NOT_FOUND: object not found",
	"WBEM_E_ACCESS_DENIED: access denied",
	"WBEM_E_PROVIDER_FAILURE: provider failure",
	"WBEM_E_TYPE_MISMATCH: type mismatch",
	"WBEM_E_OUT_OF_MEMORY: out of memory",
	"WBEM_E_INVALID_CONTEXT: invalid context",
	"WBEM_E_INVALID_PARAMETER: invalid parameter",
	"WBEM_E_NOT_AVAILABLE: resource not available",
	"WBEM_E_CRITICAL_ERROR: critical error",
	"WBEM_E_INVALID_STREAM: invalid stream",
	"WBEM_E_NOT_SUPPORTED: not supported",
	"WBEM_E_INVALID_SUPERCLASS: invalid superclass",
	"WBEM_E_INVALID_NAMESPACE: invalid namespace",
	"WBEM_E_INVALID_OBJECT: invalid object",
	"WBEM_E_INVALID_CLASS: invalid class",
	"WBEM_E_PROVIDER_NOT_FOUND: provider not found",
	"WBEM_E_INVALID_PROVIDER_REGISTRATION: invalid provider registration",
	"WBEM_E_PROVIDER_LOAD_FAILURE: provider load failure",
	"WBEM_E_INITIALIZATION_FAILURE: initialization failure",
	"WBEM_E_TRANSPORT_FAILURE: transport failure",
	"WBEM_E_INVALID_OPERATION: invalid operation",
	"WBEM_E_INVALID_QUERY: invalid query",
	"WBEM_E_INVALID_QUERY_TYPE: invalid query type",
	"WBEM_E_ALREADY_EXISTS: already exists",
	"WBEM_E_OVERRIDE_NOT_ALLOWED: override not allowed",
	"WBEM_E_PROPAGATED_QUALIFIER: propagated qualifier",
	"WBEM_E_PROPAGATED_PROPERTY: propagated property",
	"WBEM_E_UNEXPECTED: unexpected error",
	"WBEM_E_ILLEGAL_OPERATION: illegal operation",
	"WBEM_E_CANNOT_BE_KEY: cannot be a key",
	"WBEM_E_INCOMPLETE_CLASS: incomplete class",
	"WBEM_E_INVALID_SYNTAX: invalid syntax",
	"WBEM_E_NONDECORATED_OBJECT: nondecorated object",
	"WBEM_E_READ_ONLY: read-only",
	"WBEM_E_PROVIDER_NOT_CAPABLE: provider not capable",
	"WBEM_E_CLASS_HAS_CHILDREN: class has children",
	"WBEM_E_CLASS_HAS_INSTANCES: class has instances",
	"WBEM_E_QUERY_NOT_IMPLEMENTED: query not implemented",
	"WBEM_E_ILLEGAL_NULL: illegal null value",
	"WBEM_E_INVALID_QUALIFIER_TYPE: invalid qualifier type",
	"WBEM_E_INVALID_PROPERTY_TYPE: invalid property type",
	"WBEM_E_VALUE_OUT_OF_RANGE: value out of range",
	"WBEM_E_CANNOT_BE_SINGLETON: cannot be a singleton",
	"WBEM_E_INVALID_CIM_TYPE: invalid CIM type",
	"WBEM_E_INVALID_METHOD: invalid method",
	"WBEM_E_INVALID_METHOD_PARAMETERS: invalid method parameters",
	"WBEM_E_SYSTEM_PROPERTY: system property",
	"WBEM_E_INVALID_PROPERTY: invalid property",
	"WBEM_E_CALL_CANCELLED: call cancelled",
	"WBEM_E_SHUTTING_DOWN: shutting down",
	"WBEM_E_PROPAGATED_METHOD: propagated method",
	"WBEM_E_UNSUPPORTED_PARAMETER: unsupported parameter",
	"WBEM_E_MISSING_PARAMETER_ID: missing parameter ID",
	"WBEM_E_INVALID_PARAMETER_ID: invalid parameter ID",
	"WBEM_E_NONCONSECUTIVE_PARAMETER_IDS: nonconsecutive parameter IDs",
	"WBEM_E_PARAMETER_ID_ON_RETVAL: parameter ID on return value",
	"WBEM_E_INVALID_OBJECT_PATH: invalid object path",
	"WBEM_E_OUT_OF_DISK_SPACE: out of disk space",
	"WBEM_E_BUFFER_TOO_SMALL: buffer too small",
};

const char *
rdms__code_meaning(const char *value)
{
	unsigned long long v;
	char *end;
	size_t i;

	if (value == NULL || *value < '0' || *value > '9')
		return NULL;
	v = strtoull(value, &end, 10);
	if (*end != '\0' || v > 0xFFFFFFFFull)
		return NULL;
	if (v >= 0x80041001ull && v < 0x80041001ull + sizeof(wbem) / sizeof(wbem[0]))
		return wbem[v - 0x80041001ull];
	for (i = 0; i < sizeof(win32) / sizeof(win32[0]); i++)
		if (win32[i].code == v)
			return win32[i].text;
	return NULL;
}
