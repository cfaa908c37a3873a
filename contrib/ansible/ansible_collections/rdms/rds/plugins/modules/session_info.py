#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: session_info
short_description: List the user sessions of an RDS farm
version_added: 0.1.0
description:
  - Lists the sessions the connection broker knows (C(rdmsctl session list -o json), one
    WQL query of C(Win32_SessionDirectorySessionEx)), with the same filters as the
    command line. Every filter is in the query's WHERE clause, escaped by rdmsctl.
  - Changes nothing; check mode returns the same list.
options:
  session_user:
    description:
      - Only this user's sessions, C(NAME) or C(DOMAIN\NAME) (C(rdmsctl session list --user)).
        The account that connects is C(user).
    type: str
  collection:
    description:
      - Only the sessions of this collection alias.
    type: str
  session_host:
    description:
      - Only the sessions on this session host, by the name the broker lists
        (C(HostServer)).
    type: str
  state:
    description:
      - Only active or only disconnected sessions.
    type: str
    choices: [active, disconnected]
extends_documentation_fragment:
  - rdms.rds.connection
author:
  - rdmsctl authors
'''

EXAMPLES = r'''
- name: The disconnected sessions of a collection
  rdms.rds.session_info:
    host: broker.corp.example
    collection: Desktops
    state: disconnected
  delegate_to: localhost
  register: idle

- name: Who is on rdsh01
  rdms.rds.session_info:
    host: broker.corp.example
    session_host: rdsh01.corp.example
  delegate_to: localhost
  register: on_rdsh01

- ansible.builtin.debug:
    msg: "{{ item.DomainName }}\\{{ item.UserName }} session {{ item.SessionID }}"
  loop: "{{ on_rdsh01.sessions }}"
'''

RETURN = r'''
sessions:
  description:
    - The sessions, each with the properties of C(Win32_SessionDirectorySessionEx) by
      their names and typed values (C(SessionState) 0 active, 1 disconnected; C(IdleTime)
      in milliseconds; C(CollectionType) 0 RDSH, 1 VDI).
  returned: always
  type: list
  elements: dict
  sample:
    - UserName: alice
      DomainName: CORP
      HostServer: rdsh01.corp.example
      SessionID: 2
      SessionState: 0
      IdleTime: 0
      CollectionAlias: Desktops
      CollectionType: 0
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.rdms.rds.plugins.module_utils.rdmsctl import (
    Rdmsctl, connection_argument_spec)


def list_args(p):
    args = ['session', 'list']
    for opt, key in (('--user', 'session_user'), ('--collection', 'collection'),
                     ('--session-host', 'session_host'), ('--state', 'state')):
        if p.get(key):
            args += [opt, p[key]]
    return args


def main():
    module = AnsibleModule(
        argument_spec=connection_argument_spec(
            session_user=dict(type='str'),
            collection=dict(type='str'),
            session_host=dict(type='str'),
            state=dict(type='str', choices=['active', 'disconnected']),
        ),
        supports_check_mode=True,
    )
    r = Rdmsctl(module)
    obj = r.call('session list', list_args(module.params))
    module.exit_json(changed=False, sessions=obj.get('instances') or [])


if __name__ == '__main__':
    main()
