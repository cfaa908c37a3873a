#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: session_logoff
short_description: Log user sessions of an RDS farm off
version_added: 0.1.0
description:
  - Finds the sessions on the connection broker (C(host)), like M(rdms.rds.session_info), then
    logs each off on its session host (C(rdmsctl session logoff ID -H SESSION_HOST), which
    starts C(logoff.exe ID) there with C(Win32_Process.Create)) and, with C(wait), watches the
    broker until the session is gone.
  - A session is named by C(session_id) and C(session_host), or all the sessions of
    C(session_user) are meant (narrowed by C(session_host) and C(collection) when given).
  - C(changed) is true when a session was there to log off. No matching session is not an
    error; the task then reports C(changed=false) with an empty C(sessions), since the
    outcome asked for (no such session) already holds.
  - Check mode reads the broker's list and reports what would be logged off.
  - Only RDSH sessions are logged off. A VDI session (C(CollectionType) 1) that matches is
    left alone and listed in C(vdi_sessions), with a warning.
  - Running C(logoff.exe) on a session host needs admin rights there.
options:
  session_id:
    description:
      - The session's id on its host (C(SessionID) in M(rdms.rds.session_info)). Needs
        C(session_host).
    type: int
  session_host:
    description:
      - The session host, by the name the broker lists (C(HostServer)).
    type: str
  session_user:
    description:
      - Every session of this user, C(NAME) or C(DOMAIN\NAME). The account that connects is
        C(user).
    type: str
  collection:
    description:
      - With C(session_user), only sessions of this collection alias.
    type: str
  session_hosts:
    description:
      - How to reach a session host, by the name the broker lists; each value is a name,
        C(name:port) or a URL. A host not in this map is reached by its listed name with the scheme and
        port of C(host).
    type: dict
    default: {}
  wait:
    description:
      - Wait (60 seconds at most) until the broker no longer lists each session, and fail
        otherwise. With C(false), only the start of C(logoff.exe) is confirmed.
    type: bool
    default: true
extends_documentation_fragment:
  - rdms.rds.connection
notes:
  - C(spn) applies to the broker; the session hosts are called with their default
    C(HTTP/<name>).
author:
  - rdmsctl authors
'''

EXAMPLES = r'''
- name: Log one session off
  rdms.rds.session_logoff:
    host: broker.corp.example
    session_host: rdsh01.corp.example
    session_id: 3
  delegate_to: localhost

- name: Log a user off everywhere in the Desktops collection
  rdms.rds.session_logoff:
    host: broker.corp.example
    session_user: CORP\o'brien
    collection: Desktops
  delegate_to: localhost

- name: Log off the disconnected sessions found by session_info
  rdms.rds.session_logoff:
    host: broker.corp.example
    session_host: "{{ item.HostServer }}"
    session_id: "{{ item.SessionID }}"
  loop: "{{ idle.sessions }}"
  delegate_to: localhost
'''

RETURN = r'''
sessions:
  description: The sessions logged off (in check mode, those that would be), as the broker
    listed them.
  returned: always
  type: list
  elements: dict
  sample:
    - UserName: bob
      DomainName: CORP
      HostServer: rdsh01.corp.example
      SessionID: 3
      SessionState: 1
      CollectionAlias: Desktops
vdi_sessions:
  description: The matching VDI sessions, which this module does not log off.
  returned: always
  type: list
  elements: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.rdms.rds.plugins.module_utils.rdmsctl import (
    Rdmsctl, connection_argument_spec, with_host)


def main():
    module = AnsibleModule(
        argument_spec=connection_argument_spec(
            session_id=dict(type='int'),
            session_host=dict(type='str'),
            session_user=dict(type='str'),
            collection=dict(type='str'),
            session_hosts=dict(type='dict', default={}),
            wait=dict(type='bool', default=True),
        ),
        required_one_of=[('session_id', 'session_user')],
        mutually_exclusive=[('session_id', 'session_user')],
        required_by=dict(session_id='session_host'),
        supports_check_mode=True,
    )
    p = module.params
    r = Rdmsctl(module)
    listing = ['session', 'list']
    for opt, key in (('--user', 'session_user'), ('--collection', 'collection'),
                     ('--session-host', 'session_host')):
        if p.get(key):
            listing += [opt, p[key]]
    found = r.call('session list', listing).get('instances') or []
    if p['session_id'] is not None:
        found = [s for s in found if s.get('SessionID') == p['session_id']]
    rdsh = [s for s in found if s.get('CollectionType') != 1]
    vdi = [s for s in found if s.get('CollectionType') == 1]
    for s in vdi:
        module.warn('session %s on %s is a VDI session; it is not logged off'
                    % (s.get('SessionID'), s.get('HostServer')))
    hosts = dict((k.lower(), v) for k, v in p['session_hosts'].items())
    if not module.check_mode:
        for s in rdsh:
            name = s.get('HostServer') or ''
            target = hosts.get(name.lower()) or with_host(r.host, name)
            command = ['session', 'logoff', '%d' % s['SessionID']]
            if p['wait']:
                command += ['--wait', '--broker', r.host]
            r.call('session logoff %s on %s' % (s['SessionID'], name), command, host=target)
    module.exit_json(changed=bool(rdsh), sessions=rdsh, vdi_sessions=vdi)


if __name__ == '__main__':
    main()
