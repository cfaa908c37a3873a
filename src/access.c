/*
 * access.c - property types and access (read or read/write) of the classes
 * rdmsctl reads and writes, from ../shared/rds/catalog.json (schema 2).
 *
 * The catalogue table (catalog.gen.h) does not carry property access yet,
 * and not every class below. Until it does, this table answers for them;
 * the two functions are the only callers' entry, so switching them to the
 * catalogue is local to this file.
 */
#include "internal.h"

#include <string.h>

static const struct {
	const char *cls, *name, *type;
	int writable;
} props[] = {
	{ "Win32_TerminalServiceSetting", "Caption", "string", 0 },
	{ "Win32_TerminalServiceSetting", "Description", "string", 0 },
	{ "Win32_TerminalServiceSetting", "InstallDate", "datetime", 0 },
	{ "Win32_TerminalServiceSetting", "Name", "string", 0 },
	{ "Win32_TerminalServiceSetting", "Status", "string", 0 },
	{ "Win32_TerminalServiceSetting", "ServerName", "string", 0 },
	{ "Win32_TerminalServiceSetting", "TerminalServerMode", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "GetCapabilitiesID", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "LicensingType", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "PolicySourceLicensingType", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "PossibleLicensingTypes", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "LicensingName", "string", 0 },
	{ "Win32_TerminalServiceSetting", "LicensingDescription", "string", 0 },
	{ "Win32_TerminalServiceSetting", "ActiveDesktop", "uint32", 1 },
	{ "Win32_TerminalServiceSetting", "UserPermission", "uint32", 1 },
	{ "Win32_TerminalServiceSetting", "DeleteTempFolders", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "PolicySourceDeleteTempFolders", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "UseTempFolders", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "PolicySourceUseTempFolders", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "AllowTSConnections", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "PolicySourceAllowTSConnections", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "SingleSession", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "PolicySourceSingleSession", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "ProfilePath", "string", 0 },
	{ "Win32_TerminalServiceSetting", "PolicySourceProfilePath", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "HomeDirectory", "string", 0 },
	{ "Win32_TerminalServiceSetting", "PolicySourceHomeDirectory", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "TimeZoneRedirection", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "PolicySourceTimeZoneRedirection", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "Logons", "string", 1 },
	{ "Win32_TerminalServiceSetting", "DirectConnectLicenseServers", "string", 0 },
	{ "Win32_TerminalServiceSetting", "PolicySourceDirectConnectLicenseServers", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "PolicySourceConfiguredLicenseServers", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "DisableForcibleLogoff", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "PolicySourceDisableForcibleLogoff", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "FallbackPrintDriverType", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "PolicySourceFallbackPrintDriverType", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "SessionBrokerDrainMode", "uint32", 1 },
	{ "Win32_TerminalServiceSetting", "LimitedUserSessions", "uint32", 1 },
	{ "Win32_TerminalServiceSetting", "EnableDFSS", "uint32", 1 },
	{ "Win32_TerminalServiceSetting", "PolicySourceEnableDFSS", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "EnableRemoteDesktopMSI", "uint32", 1 },
	{ "Win32_TerminalServiceSetting", "PolicySourceEnableRemoteDesktopMSI", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "EnableAutomaticReconnection", "uint32", 1 },
	{ "Win32_TerminalServiceSetting", "PolicySourceEnableAutomaticReconnection", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "UseRDEasyPrintDriver", "uint32", 1 },
	{ "Win32_TerminalServiceSetting", "PolicySourceUseRDEasyPrintDriver", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "RedirectSmartCards", "uint32", 1 },
	{ "Win32_TerminalServiceSetting", "PolicySourceRedirectSmartCards", "uint32", 0 },
	{ "Win32_TerminalServiceSetting", "EnableDiskFSS", "uint32", 1 },
	{ "Win32_TerminalServiceSetting", "EnableNetworkFSS", "uint32", 1 },
	{ "Win32_TerminalServiceSetting", "NetworkFSSUserSessionWeight", "uint32", 1 },
	{ "Win32_TerminalServiceSetting", "NetworkFSSLocalSystemWeight", "uint32", 1 },
	{ "Win32_TerminalServiceSetting", "NetworkFSSCatchAllWeight", "uint32", 1 },
	{ "Win32_SessionDirectorySessionEx", "ServerName", "string", 0 },
	{ "Win32_SessionDirectorySessionEx", "SessionID", "uint32", 0 },
	{ "Win32_SessionDirectorySessionEx", "UserName", "string", 0 },
	{ "Win32_SessionDirectorySessionEx", "DomainName", "string", 0 },
	{ "Win32_SessionDirectorySessionEx", "ServerIPAddress", "string", 0 },
	{ "Win32_SessionDirectorySessionEx", "TSProtocol", "uint32", 0 },
	{ "Win32_SessionDirectorySessionEx", "ApplicationType", "string", 0 },
	{ "Win32_SessionDirectorySessionEx", "ResolutionWidth", "uint32", 0 },
	{ "Win32_SessionDirectorySessionEx", "ResolutionHeight", "uint32", 0 },
	{ "Win32_SessionDirectorySessionEx", "ColorDepth", "uint32", 0 },
	{ "Win32_SessionDirectorySessionEx", "CreateTime", "datetime", 0 },
	{ "Win32_SessionDirectorySessionEx", "DisconnectTime", "datetime", 0 },
	{ "Win32_SessionDirectorySessionEx", "SessionState", "uint32", 0 },
	{ "Win32_SessionDirectorySessionEx", "CollectionAlias", "string", 0 },
	{ "Win32_SessionDirectorySessionEx", "CollectionType", "uint32", 0 },
	{ "Win32_SessionDirectorySessionEx", "UnifiedSessionId", "uint32", 0 },
	{ "Win32_SessionDirectorySessionEx", "HostServer", "string", 0 },
	{ "Win32_SessionDirectorySessionEx", "IdleTime", "uint32", 0 },
	{ "Win32_SessionDirectorySessionEx", "RemoteFxEnabled", "boolean", 0 },
	{ "Win32_RDMSJoinedNode", "FQDN", "string", 0 },
	{ "Win32_RDMSJoinedNode", "SID", "string", 0 },
	{ "Win32_RDMSJoinedNode", "OSVersion", "string", 1 },
	{ "Win32_RDMSJoinedNode", "IsRdcb", "boolean", 1 },
	{ "Win32_RDMSJoinedNode", "IsRdg", "boolean", 1 },
	{ "Win32_RDMSJoinedNode", "IsRdls", "boolean", 1 },
	{ "Win32_RDMSJoinedNode", "IsRdvh", "boolean", 1 },
	{ "Win32_RDMSJoinedNode", "IsRdwa", "boolean", 1 },
	{ "Win32_RDMSJoinedNode", "IsRdsh", "boolean", 1 },
	{ "Win32_RDMSJoinedNode", "IsWebAccessCertificateInstalled", "boolean", 1 },
	{ "Win32_RDMSJoinedNode", "IsGatewayCertificateInstalled", "boolean", 1 },
	{ "Win32_RDMSJoinedNode", "IsRedirectorCertificateInstalled", "boolean", 1 },
	{ "Win32_RDMSJoinedNode", "IsPublishingCertificateInstalled", "boolean", 1 },
	{ "Win32_RDSHServer", "Name", "string", 1 },
	{ "Win32_RDSHServer", "ConnectionBroker", "string", 1 },
	{ "Win32_RDSHServer", "CollectionAlias", "string", 1 },
	{ "Win32_RDSHServer", "ServerState", "uint32", 0 },
	{ "Win32_RDMSPublishedApplication", "AppAlias", "string", 1 },
	{ "Win32_RDMSPublishedApplication", "PoolName", "string", 1 },
	{ "Win32_RDMSPublishedApplication", "DisplayName", "string", 1 },
	{ "Win32_RDMSPublishedApplication", "ShowInPortal", "boolean", 1 },
	{ "Win32_RDMSPublishedApplication", "SecurityDescriptor", "string", 1 },
	{ "Win32_RDMSPublishedApplication", "AppPath", "string", 1 },
	{ "Win32_RDMSPublishedApplication", "VirtualPath", "string", 1 },
	{ "Win32_RDMSPublishedApplication", "CommandLineSetting", "uint32", 1 },
	{ "Win32_RDMSPublishedApplication", "RequiredCommandLine", "string", 1 },
	{ "Win32_RDMSPublishedApplication", "Folder", "string", 1 },
	{ "Win32_RDMSPublishedApplication", "IconPath", "string", 1 },
	{ "Win32_RDMSPublishedApplication", "IconIndex", "sint32", 1 },
	{ "Win32_RDMSPublishedApplication", "IconContents", "uint8[]", 1 },
	{ "Win32_RDSHCollection", "Alias", "string", 1 },
	{ "Win32_RDSHCollection", "Name", "string", 1 },
	{ "Win32_RDSHCollection", "Description", "string", 1 },
	{ "Win32_RDSHCollection", "Type", "uint32", 1 },
	{ "Win32_VirtualDesktopSession", "VMHostName", "string", 0 },
	{ "Win32_VirtualDesktopSession", "SessionId", "uint32", 0 },
	{ "Win32_VirtualDesktopSession", "VMName", "string", 0 },
	{ "Win32_VirtualDesktopSession", "ConnectState", "uint32", 0 },
	{ "Win32_VirtualDesktopSession", "UserName", "string", 0 },
	{ "Win32_VirtualDesktopSession", "DomainName", "string", 0 },
	{ "Win32_VirtualDesktopSession", "CollectionId", "string", 0 },
	{ "Win32_VirtualDesktopSession", "ClientMachineName", "string", 0 },
	{ "Win32_RDMSVirtualDesktopCollection", "Alias", "string", 1 },
	{ "Win32_RDMSVirtualDesktopCollection", "Type", "uint32", 1 },
	{ "Win32_RDMSVirtualDesktopCollection", "IsManaged", "boolean", 1 },
	{ "Win32_RDMSVirtualDesktopCollection", "Name", "string", 1 },
	{ "Win32_RDMSVirtualDesktopCollection", "CollectionDescription", "string", 1 },
	{ "Win32_RDMSVirtualDesktopCollection", "SecurityDescriptor", "string", 1 },
	{ "Win32_RDMSVirtualDesktopCollection", "VmFarmSettings", "string", 1 },
	{ "Win32_RDMSVirtualDesktopCollection", "UserVHDSetting", "string", 1 },
	{ "Win32_RDMSVirtualDesktopCollection", "IconContents", "uint8[]", 1 },
	{ "Win32_RDMSVirtualDesktopCollection", "ShowInPortal", "boolean", 1 },
	{ "Win32_RDMSVirtualDesktopCollection", "IsHA", "boolean", 1 },
	{ "Win32_RDMSVirtualDesktopCollection", "IsUserAdmin", "boolean", 1 },
	{ "Win32_RDMSVirtualDesktopCollection", "RollbackEnabled", "boolean", 1 },
};

static int
find(const char *cls, const char *prop, int *class_known)
{
	size_t i;

	*class_known = 0;
	for (i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		if (strcmp(props[i].cls, cls) != 0)
			continue;
		*class_known = 1;
		if (strcmp(props[i].name, prop) == 0)
			return (int)i;
	}
	return -1;
}

int
rdms_property_writable(const char *cls, const char *prop)
{
	int known, i = find(cls, prop, &known);

	return i < 0 ? -1 : props[i].writable;
}

const char *
rdms_property_type(const char *cls, const char *prop)
{
	const rdms_class *c = rdms_catalog_class(cls);
	int known, i;
	size_t j;

	for (j = 0; c && j < rdms_class_property_count(c); j++)
		if (strcmp(rdms_class_property_name(c, j), prop) == 0)
			return rdms_class_property_type(c, j);
	i = find(cls, prop, &known);
	return i < 0 ? NULL : props[i].type;
}

/* 1 when the table knows the class (so an unknown property is a typo). */
int
rdms__class_properties_known(const char *cls)
{
	int known;

	(void)find(cls, "", &known);
	return known || rdms_catalog_class(cls) != NULL;
}
