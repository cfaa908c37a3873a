# -*- coding: utf-8 -*-
# The connection options every rdms.rds module shares: they become the
# rdmsctl options of the same meaning (rdmsctl --help, "Connection").

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r'''
options:
  host:
    description:
      - The machine the call goes to, as C(rdmsctl -H) takes it, a name, C(name:port)
        or a URL (C(https://broker.corp:5986/wsman)).
      - A bare name means HTTPS on port 5986 unless C(scheme) or C(port) say otherwise.
    type: str
    required: true
  port:
    description:
      - The port, when C(host) is a bare name. Default 5986 for https and 5985 for http.
    type: int
  scheme:
    description:
      - C(https), or C(http) (WinRM message encryption with Kerberos or NTLM), when C(host)
        is a bare name.
    type: str
    choices: [https, http]
  auth:
    description:
      - How to authenticate. C(negotiate) and C(kerberos) use the ticket cache of the
        controller (C(KRB5CCNAME), C(kinit)) when no C(password) is given.
    type: str
    choices: [negotiate, kerberos, ntlm, basic]
    default: negotiate
  user:
    description:
      - The account, C(DOMAIN\user), C(user@REALM) or C(user).
    type: str
  password:
    description:
      - The account's password. It is given to rdmsctl on its standard input
        (C(--password-file -)), never on its command line.
      - Required with C(auth=ntlm) and C(auth=basic), unless C(RDMSCTL_PASSWORD) is set
        in the environment of the controller.
    type: str
  cacert:
    description:
      - A file of CA certificates to verify the server's certificate with.
    type: path
  validate_certs:
    description:
      - Whether to verify the server's certificate. C(false) passes C(--insecure) to
        rdmsctl; anyone on the network path can then impersonate the server.
    type: bool
    default: true
  spn:
    description:
      - The Kerberos service principal, when not C(HTTP/<host>).
    type: str
  keytab:
    description:
      - A Kerberos client keytab for C(user).
    type: path
  timeout:
    description:
      - The WS-Management OperationTimeout in seconds (rdmsctl's default is 60).
    type: int
  connect_timeout:
    description:
      - The TCP and TLS connect timeout in seconds (rdmsctl's default is 30).
    type: int
  rdmsctl_path:
    description:
      - The rdmsctl program; by default it is looked up on C(PATH).
    type: path
    default: rdmsctl
notes:
  - The modules run C(rdmsctl -o json) where they run, which is the controller (or a Linux
    runner) rather than the Windows machine. Use C(delegate_to=localhost), or a play on
    C(localhost) with C(connection=local).
  - rdmsctl's own profile file (C(~/.config/rdmsctl/config) or C(RDMSCTL_CONFIG)) fills in
    what the options leave out, as it does on the command line.
requirements:
  - rdmsctl on the machine the module runs on
'''
