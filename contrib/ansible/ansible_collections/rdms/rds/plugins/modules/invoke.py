#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: invoke
short_description: Call any method of an RDS class over WS-Management
version_added: 0.1.0
description:
  - Calls one method of the rdmsctl catalogue (C(rdmsctl describe) lists them) with
    C(rdmsctl invoke CLASS METHOD ... -o json), and returns its ReturnValue and out
    parameters.
  - Parameters are checked against the catalogue before anything is sent; a typo fails
    with rdmsctl's "did you mean".
  - The module cannot know what a method does, so a call that ran is reported as changed
    unless C(changed_when) says otherwise. Check mode is not supported.
options:
  class_name:
    description:
      - The class, for example C(Win32_RDMSVirtualDesktopCollection).
    type: str
    required: true
    aliases: [class]
  method:
    description:
      - The method, for example C(ProvisioningJobCancel).
    type: str
    required: true
  params:
    description:
      - The in parameters by name. A list is an array (each element is sent); C(null) is
        sent as C(xsi:nil). Value-map labels work as well as numbers.
    type: dict
    default: {}
  selectors:
    description:
      - The keys of the instance, for an instance method (C(Alias=Pool1)).
    type: dict
    default: {}
  fail_on_nonzero:
    description:
      - Fail the task when the method's ReturnValue is not 0. With C(false) the task
        succeeds and C(return_value) says what happened; a fault still fails it.
    type: bool
    default: true
  raw:
    description:
      - Skip the catalogue checks (C(rdmsctl --raw)), for any class or method.
    type: bool
    default: false
extends_documentation_fragment:
  - rdms.rds.connection
author:
  - rdmsctl authors
'''

EXAMPLES = r'''
- name: Cancel a provisioning job
  rdms.rds.invoke:
    host: broker.corp.example
    class_name: Win32_RDMSVirtualDesktopCollection
    method: ProvisioningJobCancel
    params:
      JobGuid: "{1B5E3A2C-8F41-4C56-9D7E-0A1B2C3D4E5F}"
  delegate_to: localhost

- name: Read a property of a collection (an instance method)
  rdms.rds.invoke:
    host: broker.corp.example
    cacert: /etc/ssl/corp-ca.pem
    class_name: Win32_RDMSVirtualDesktopCollection
    method: GetStringProperty
    selectors:
      Alias: Pool1
    params:
      PropertyName: Description
  delegate_to: localhost
  changed_when: false
  register: r

- name: A job that may be gone already is no error
  rdms.rds.invoke:
    host: broker.corp.example
    auth: ntlm
    user: CORP\admin
    password: "{{ vault_rds_password }}"
    class_name: Win32_RDMSVirtualDesktopCollection
    method: ProvisioningJobCancel
    params:
      JobGuid: "{{ job }}"
    fail_on_nonzero: false
  delegate_to: localhost
  register: cancel
  changed_when: cancel.return_value == 0
'''

RETURN = r'''
return_value:
  description: The method's ReturnValue (0 is success).
  returned: when the method ran
  type: int
  sample: 0
return_meaning:
  description: What the ReturnValue means, when rdmsctl knows it; null otherwise.
  returned: when the method ran
  type: str
  sample: "success"
out:
  description: The out parameters by name, typed from the catalogue (arrays as lists).
  returned: when the method ran
  type: dict
  sample: {"JobGuids": ["{1B5E3A2C-8F41-4C56-9D7E-0A1B2C3D4E5F}"]}
method:
  description: The method that answered.
  returned: when the method ran
  type: str
  sample: ProvisioningJobCancel
fault:
  description: The WS-Management fault (code, subcode, reason, wsman_code, wmi_code, ...).
  returned: on a fault
  type: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.rdms.rds.plugins.module_utils.rdmsctl import (
    EXIT_RETURN_VALUE, Rdmsctl, connection_argument_spec, param_args, selector_args)


def main():
    module = AnsibleModule(
        argument_spec=connection_argument_spec(
            class_name=dict(type='str', required=True, aliases=['class']),
            method=dict(type='str', required=True),
            params=dict(type='dict', default={}),
            selectors=dict(type='dict', default={}),
            fail_on_nonzero=dict(type='bool', default=True),
            raw=dict(type='bool', default=False),
        ),
        supports_check_mode=False,
    )
    p = module.params
    r = Rdmsctl(module)
    command = ['invoke', p['class_name'], p['method']]
    command += param_args(p['params']) + selector_args(p['selectors'])
    if p['raw']:
        command.append('--raw')
    rc, obj, out, err, argv = r.run(command)
    what = '%s.%s' % (p['class_name'], p['method'])
    # 3 is "the method ran, its ReturnValue is not 0": the object is
    # the same method response as for 0.
    if (rc not in (0, EXIT_RETURN_VALUE) or not isinstance(obj, dict)
            or 'return_value' not in obj):
        r.fail(what, rc, obj, out, err, argv)
    result = dict(changed=True, return_value=obj['return_value'],
                  return_meaning=obj.get('return_meaning'), out=obj.get('out') or {},
                  method=obj.get('method'))
    if obj['return_value'] != 0 and p['fail_on_nonzero']:
        meaning = obj.get('return_meaning') or 'unknown'
        module.fail_json(msg='%s returned %s (%s)' % (what, obj['return_value'], meaning),
                         **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
