# -*- coding: utf-8 -*-
# Shared by the rdms.rds modules: the connection options, the rdmsctl
# command line they become, and running rdmsctl -o json.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

# rdmsctl's exit status (README, "Exit status").
EXIT_RETURN_VALUE = 3
EXIT_FAULT = 4

CONNECTION_ARGS = dict(
    host=dict(type='str', required=True),
    port=dict(type='int'),
    scheme=dict(type='str', choices=['https', 'http']),
    auth=dict(type='str', default='negotiate',
              choices=['negotiate', 'kerberos', 'ntlm', 'basic']),
    user=dict(type='str'),
    password=dict(type='str', no_log=True),
    cacert=dict(type='path'),
    validate_certs=dict(type='bool', default=True),
    spn=dict(type='str'),
    keytab=dict(type='path', no_log=False),
    timeout=dict(type='int'),
    connect_timeout=dict(type='int'),
    rdmsctl_path=dict(type='path', default='rdmsctl'),
)


def connection_argument_spec(**extra):
    spec = dict(CONNECTION_ARGS)
    spec.update(extra)
    return spec


def endpoint(host, port=None, scheme=None):
    """What rdmsctl -H gets: host as given, or a URL made of its parts."""
    if port is None and scheme is None:
        return host
    if '://' in host:
        raise ValueError('host %s is a URL: give the port and scheme in it, '
                         'not as port or scheme' % host)
    scheme = scheme or 'https'
    if port is None:
        port = 5986 if scheme == 'https' else 5985
    name = host
    if ':' in name and not name.startswith('['):
        if name.count(':') == 1:
            raise ValueError('host %s has a port: give it in port only' % host)
        name = '[%s]' % name            # an IPv6 address
    return '%s://%s:%d/wsman' % (scheme, name, port)


class Rdmsctl(object):
    """Runs rdmsctl with the module's connection options."""

    def __init__(self, module):
        self.module = module
        p = module.params
        try:
            self.host = endpoint(p['host'], p.get('port'), p.get('scheme'))
        except ValueError as e:
            module.fail_json(msg=str(e))
        path = p['rdmsctl_path']
        if '/' not in path:
            path = module.get_bin_path(path, required=True)
        self.path = path

    def connection_args(self, host=None):
        p = self.module.params
        other = host is not None and host != self.host
        args = ['-H', host or self.host, '--auth', p['auth']]
        if p.get('user'):
            args += ['-u', p['user']]
        if p.get('cacert'):
            args += ['--cacert', p['cacert']]
        if not p['validate_certs']:
            args.append('--insecure')
        if p.get('spn') and not other:
            args += ['--spn', p['spn']]
        if p.get('keytab'):
            args += ['--keytab', p['keytab']]
        if p.get('timeout') is not None:
            args += ['--timeout', str(p['timeout'])]
        if p.get('connect_timeout') is not None:
            args += ['--connect-timeout', str(p['connect_timeout'])]
        if p.get('password') is not None:
            # One line on standard input: never in argv, where ps shows it.
            args += ['--password-file', '-']
        return args

    def run(self, command, host=None):
        """rdmsctl COMMAND... -o json: (exit status, the JSON object or None,
        stdout, stderr, the command line without secrets)."""
        argv = [self.path] + list(command) + self.connection_args(host) + ['-o', 'json']
        password = self.module.params.get('password')
        rc, out, err = self.module.run_command(
            argv, data=password, binary_data=False, check_rc=False,
            environ_update={'LC_ALL': 'C'})
        obj = None
        text = out.strip()
        if text:
            try:
                obj = json.loads(text)
            except ValueError:
                obj = None
        return rc, obj, out, err, argv

    def fail(self, what, rc, obj, out, err, argv, **extra):
        """Fail with rdmsctl's own words: its JSON error or fault, else stderr."""
        msg = None
        if isinstance(obj, dict) and isinstance(obj.get('error'), dict):
            msg = obj['error'].get('message')
        elif isinstance(obj, dict) and isinstance(obj.get('fault'), dict):
            f = obj['fault']
            why = f.get('reason') or f.get('message') or f.get('subcode')
            msg = 'WS-Management fault: %s' % (why or 'no reason given')
            extra.setdefault('fault', f)
        if not msg:
            msg = err.strip() or out.strip() or 'rdmsctl exited with status %d' % rc
        self.module.fail_json(msg='%s: %s' % (what, msg), rc=rc, stderr=err,
                              cmd=' '.join(argv), **extra)

    def call(self, what, command, host=None):
        """Run, and fail the task on any nonzero exit status or a reply
        that is not one JSON object."""
        rc, obj, out, err, argv = self.run(command, host)
        if rc != 0 or not isinstance(obj, dict):
            if rc == 0:
                err = 'rdmsctl printed no JSON object: %s' % out[:400]
            self.fail(what, rc, obj, out, err, argv)
        return obj


def with_host(ep, name):
    """The endpoint ep (name, name:port or URL) with its host replaced by
    name: the scheme, port and path are kept."""
    rest = ''
    scheme = ''
    if '://' in ep:
        scheme, ep = ep.split('://', 1)
        scheme += '://'
        if '/' in ep:
            ep, rest = ep.split('/', 1)
            rest = '/' + rest
    port = ''
    if ep.startswith('['):
        port = ep[ep.index(']') + 1:]
    elif ep.count(':') == 1:
        port = ep[ep.index(':'):]
    if ':' in name and not name.startswith('['):
        name = '[%s]' % name
    return scheme + name + port + rest


def selector_args(selectors):
    args = []
    for k, v in (selectors or {}).items():
        args += ['-s', '%s=%s' % (k, scalar(v))]
    return args


def scalar(v):
    if isinstance(v, bool):
        return 'true' if v else 'false'
    return '%s' % (v,)


def param_args(params):
    """NAME=VALUE for each parameter; a list repeats the name (an array),
    None is --null NAME."""
    args = []
    for k, v in (params or {}).items():
        if v is None:
            args += ['--null', k]
        elif isinstance(v, (list, tuple)):
            for e in v:
                args.append('%s=%s' % (k, scalar(e)))
        else:
            args.append('%s=%s' % (k, scalar(v)))
    return args
