#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: host_drain
short_description: Drain an RDS session host, or take it back into service
version_added: 0.1.0
description:
  - Sets C(Win32_TerminalServiceSetting.SessionBrokerDrainMode) on the session host itself
    (C(rdmsctl host drain on|off|until-reboot)). C(on) is 2 (no new logons, reconnections
    only), C(off) is 0 (new connections allowed), C(until-reboot) is 1 (no new logons until
    the host restarts). The broker shows it as the host's C(DrainMode).
  - Idempotent. The module reads the host's current state first (WS-Enumeration of its
    C(Win32_TerminalServiceSetting)); when the host is already in the state asked for, it
    sends nothing and reports C(changed=false).
  - In check mode it only reads, and reports whether the state would change.
options:
  state:
    description:
      - The drain state the host should be in.
    type: str
    required: true
    choices: ['on', 'off', 'until-reboot']
  server_name:
    description:
      - The host's own name, the key C(ServerName) of its setting. By default the name in
        C(host); when C(host) is an address or an alias, rdmsctl finds the host's own name.
    type: str
extends_documentation_fragment:
  - rdms.rds.connection
author:
  - rdmsctl authors
'''

EXAMPLES = r'''
- name: Drain rdsh01 before patching
  rdms.rds.host_drain:
    host: rdsh01.corp.example
    state: "on"
  delegate_to: localhost

- name: Take every session host of the inventory group back into service
  rdms.rds.host_drain:
    host: "{{ inventory_hostname }}"
    cacert: /etc/ssl/corp-ca.pem
    state: "off"
  delegate_to: localhost
'''

RETURN = r'''
server_name:
  description: The host's own name (the C(ServerName) of its setting).
  returned: always
  type: str
  sample: rdsh01.corp.example
before:
  description: The drain state found, C(on), C(off), C(until-reboot), or the number when it
    is none of these.
  returned: always
  type: str
  sample: "off"
after:
  description: The drain state after the task (in check mode, the state it would have).
  returned: always
  type: str
  sample: "on"
before_mode:
  description: C(SessionBrokerDrainMode) found (0, 1 or 2).
  returned: always
  type: int
  sample: 0
after_mode:
  description: C(SessionBrokerDrainMode) after the task.
  returned: always
  type: int
  sample: 2
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.rdms.rds.plugins.module_utils.rdmsctl import (
    Rdmsctl, connection_argument_spec)

MODES = {'on': 2, 'off': 0, 'until-reboot': 1}
WORDS = dict((v, k) for k, v in MODES.items())


def word(mode):
    return WORDS.get(mode, '%s' % (mode,))


def read_state(module, r):
    """(ServerName, SessionBrokerDrainMode) of the host's setting."""
    obj = r.call('reading the drain state',
                 ['enumerate', 'Win32_TerminalServiceSetting'])
    rows = obj.get('instances') or []
    want = module.params.get('server_name')
    if want:
        rows = [i for i in rows if (i.get('ServerName') or '').lower() == want.lower()]
    if len(rows) != 1:
        module.fail_json(msg='%s lists %d Win32_TerminalServiceSetting instances%s; name the '
                         'host with server_name' % (r.host, len(rows),
                                                    ' named %s' % want if want else ''))
    mode = rows[0].get('SessionBrokerDrainMode')
    if not isinstance(mode, int):
        module.fail_json(msg='%s has no SessionBrokerDrainMode in its '
                         'Win32_TerminalServiceSetting' % r.host)
    return rows[0].get('ServerName'), mode


def main():
    module = AnsibleModule(
        argument_spec=connection_argument_spec(
            state=dict(type='str', required=True, choices=list(MODES)),
            server_name=dict(type='str'),
        ),
        supports_check_mode=True,
    )
    p = module.params
    r = Rdmsctl(module)
    want = MODES[p['state']]
    name, before = read_state(module, r)
    after = before
    if before != want and not module.check_mode:
        command = ['host', 'drain', p['state'], '-s', 'ServerName=%s' % name]
        obj = r.call('host drain %s' % p['state'], command)
        after = obj.get('after')
        if after != want:
            module.fail_json(msg='%s answered with SessionBrokerDrainMode %s, not %d'
                             % (name, after, want))
    elif before != want:
        after = want
    result = dict(changed=before != want, server_name=name, before=word(before),
                  after=word(after), before_mode=before, after_mode=after)
    if module._diff:
        result['diff'] = dict(before='drain: %s\n' % word(before),
                              after='drain: %s\n' % word(after))
    module.exit_json(**result)


if __name__ == '__main__':
    main()
