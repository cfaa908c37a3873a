/*
 * ntlm.c - --auth ntlm: raw NTLMSSP messages (MS-NLMP) through
 * gss-ntlmssp under "Authorization: Negotiate"; WinRM rejects the "NTLM"
 * scheme but takes NTLM tokens under Negotiate. NEGOTIATE goes with an
 * empty body, AUTHENTICATE (with the channel binding) with the envelope.
 */
#include "gssapi-int.h"

static int
ntlm_init(rdms_vauth *v, const rdms_vauth_config *c)
{
	return rdms__gss_mech_init(v, c, RDMS_MECH_NTLM);
}

const rdms_vauth_mech rdms__vauth_ntlm = {
	"ntlm", RDMS_AUTH_NTLM, "Negotiate", "Kerberos", RDMS_NTLM_FLAGS,
	ntlm_init, rdms__gss_mech_start, rdms__gss_mech_step, rdms__gss_mech_done,
	rdms__gss_wrap, rdms__gss_unwrap, rdms__gss_mech_seal_ctx, rdms__gss_mech_cleanup,
	rdms__gss_mech_display, rdms__gss_mech_client, rdms__gss_mech_peer,
	rdms__gss_mech_target, rdms__gss_mech_refused
};
