#!/usr/bin/env python3
"""A small LSP client (standard library only) that drives corotidy-clangd.

Each scenario prints a plain transcript on stdout for FileCheck:

  lsp_client.py fixits  --file F --compile 'clang++-19 -fsyntax-only ...' -- SERVER...
      didOpen F, print every diagnostic (range, severity, code, doc link, message,
      related information), ask textDocument/codeAction for each async-* one,
      apply each returned edit to a copy of F and compile it; then didChange
      with the first async-unawaited-task fix applied and print the diagnostics
      of the new version.
  lsp_client.py diagnostics --file F -- SERVER...
      didOpen F and print its diagnostics.
  lsp_client.py malformed --file F -- SERVER...
      a frame that is not JSON, an unknown method, a request with bad params,
      then didOpen of F (which does not parse); prints what came back and the
      server's exit code after shutdown/exit.
  lsp_client.py first-diagnostics --file F [--change] -- SERVER...
      seconds from didOpen (and from a didChange) to the first
      publishDiagnostics of that version; used by bench/clangd_latency.py.

The server runs with the environment it is given; tests point HOME and
XDG_CONFIG_HOME at temporary directories so no user configuration leaks in.
"""
import argparse
import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.parse

TIMEOUT = float(os.environ.get('LSP_CLIENT_TIMEOUT', '120'))
SEVERITY = {1: 'error', 2: 'warning', 3: 'information', 4: 'hint'}


class Server:
    """A language server over stdio: framed JSON-RPC both ways."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=open(os.environ.get('LSP_CLIENT_LOG', os.devnull), 'wb'))
        self.inbox = queue.Queue()
        self.pending = []  # notifications read while waiting for something else
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b':')
                if name.lower() == b'content-length':
                    length = int(value)
            if length is not None:
                self.inbox.put(json.loads(out.read(length)))

    def send_raw(self, body):
        self.proc.stdin.write(b'Content-Length: %d\r\n\r\n' % len(body) + body)
        self.proc.stdin.flush()

    def send(self, message):
        message['jsonrpc'] = '2.0'
        self.send_raw(json.dumps(message).encode())

    def notify(self, method, params):
        self.send({'method': method, 'params': params})

    def _take(self, deadline):
        message = self.inbox.get(timeout=max(0.0, deadline - time.monotonic()))
        if message is None:
            raise EOFError('the server closed its output')
        if 'method' in message and 'id' in message:  # a request to us: accept it
            self.send({'id': message['id'], 'result': None})
        return message

    def request(self, method, params):
        self.next_id += 1
        self.send({'id': self.next_id, 'method': method, 'params': params})
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._take(deadline)
            if message.get('id') == self.next_id and 'method' not in message:
                return message
            if 'method' in message:
                self.pending.append(message)

    def wait_notification(self, method, accept):
        for message in self.pending:
            if message['method'] == method and accept(message['params']):
                self.pending.remove(message)
                return message['params']
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._take(deadline)
            if message.get('method') == method and accept(message['params']):
                return message['params']
            if 'method' in message:
                self.pending.append(message)

    def stop(self):
        self.request('shutdown', None)
        self.notify('exit', None)
        return self.proc.wait(timeout=TIMEOUT)


def uri_of(path):
    return 'file://' + urllib.parse.quote(os.path.abspath(path))


def start(server_argv, root):
    server = Server(server_argv)
    server.request('initialize', {
        'processId': os.getpid(),
        'rootUri': uri_of(root),
        'capabilities': {'textDocument': {
            'publishDiagnostics': {'relatedInformation': True, 'versionSupport': True,
                                   'codeDescriptionSupport': True},
            'codeAction': {'codeActionLiteralSupport': {
                'codeActionKind': {'valueSet': ['quickfix', 'refactor']}}}}},
    })
    server.notify('initialized', {})
    return server


def open_file(server, path, text, version=1):
    server.notify('textDocument/didOpen', {'textDocument': {
        'uri': uri_of(path), 'languageId': 'cpp', 'version': version, 'text': text}})


def diagnostics_of(server, path, version):
    uri = uri_of(path)
    return server.wait_notification(
        'textDocument/publishDiagnostics',
        lambda p: p['uri'] == uri and p.get('version') == version)['diagnostics']


def position(p):
    return '%d:%d' % (p['line'] + 1, p['character'] + 1)


def span(r):
    return '%s-%s' % (position(r['start']), position(r['end']))


def print_diagnostics(label, diagnostics):
    print('%s: %d diagnostics' % (label, len(diagnostics)))
    for d in sorted(diagnostics, key=lambda d: (d['range']['start']['line'],
                                                 d['range']['start']['character'])):
        href = d.get('codeDescription', {}).get('href', '-')
        print('diagnostic %s %s [%s] <%s> %s' % (span(d['range']), SEVERITY[d['severity']],
                                                d.get('code', '-'), href, d['message']))
        for related in d.get('relatedInformation', []):
            where = related['location']
            print('  related %s:%s %s' % (os.path.basename(urllib.parse.unquote(where['uri'])),
                                          position(where['range']['start']),
                                          related['message']))


def offset_of(text, p):
    lines = text.split('\n')
    return sum(len(line) + 1 for line in lines[:p['line']]) + p['character']


def apply_edits(text, edits):
    """TextEdits apply to the original text: go from the end backwards."""
    for edit in sorted(edits, key=lambda e: offset_of(text, e['range']['start']), reverse=True):
        begin = offset_of(text, edit['range']['start'])
        end = offset_of(text, edit['range']['end'])
        text = text[:begin] + edit['newText'] + text[end:]
    return text


def edits_for(action, uri):
    edit = action.get('edit', {})
    edits = list(edit.get('changes', {}).get(uri, []))
    for change in edit.get('documentChanges', []):
        if change['textDocument']['uri'] == uri:
            edits += change['edits']
    return edits


def quick_fixes(server, path, diagnostic):
    reply = server.request('textDocument/codeAction', {
        'textDocument': {'uri': uri_of(path)}, 'range': diagnostic['range'],
        'context': {'diagnostics': [diagnostic], 'only': ['quickfix']}})
    return [a for a in reply.get('result') or [] if a.get('kind') == 'quickfix']


def compiles(command, path, text, tag):
    fixed = '%s.%s.cpp' % (os.path.splitext(path)[0], tag)
    with open(fixed, 'w') as out:
        out.write(text)
    result = subprocess.run(command.split() + [fixed], capture_output=True, text=True)
    if result.returncode == 0:
        return 'compiles'
    return 'does not compile:\n' + result.stderr


def scenario_fixits(args, server_argv):
    text = open(args.file).read()
    uri = uri_of(args.file)
    server = start(server_argv, os.path.dirname(os.path.abspath(args.file)))
    open_file(server, args.file, text)
    diagnostics = diagnostics_of(server, args.file, 1)
    print_diagnostics('version 1', diagnostics)
    change = None
    for d in sorted(diagnostics, key=lambda d: d['range']['start']['line']):
        if not str(d.get('code', '')).startswith('async-'):
            continue
        actions = quick_fixes(server, args.file, d)
        print('fixes for %s at %s: %d' % (d['code'], position(d['range']['start']), len(actions)))
        for number, action in enumerate(actions):
            edits = edits_for(action, uri)
            fixed = apply_edits(text, edits)
            print('  fix "%s" (%d edits): %s' % (action['title'], len(edits),
                                                compiles(args.compile, args.file, fixed,
                                                         '%s.%d' % (d['code'], number))))
            for edit in edits:
                print('    edit %s %s' % (span(edit['range']), json.dumps(edit['newText'])))
            if d['code'] == args.change_check and change is None:
                change = fixed
    if change is not None:
        server.notify('textDocument/didChange', {
            'textDocument': {'uri': uri, 'version': 2}, 'contentChanges': [{'text': change}]})
        print_diagnostics('version 2', diagnostics_of(server, args.file, 2))
    print('exit code %d' % server.stop())


def scenario_diagnostics(args, server_argv):
    server = start(server_argv, os.path.dirname(os.path.abspath(args.file)))
    open_file(server, args.file, open(args.file).read())
    print_diagnostics(os.path.basename(args.file), diagnostics_of(server, args.file, 1))
    print('exit code %d' % server.stop())


def scenario_malformed(args, server_argv):
    server = start(server_argv, os.path.dirname(os.path.abspath(args.file)))
    server.send_raw(b'{"jsonrpc": "2.0", "id": 99, "method": ')  # truncated JSON
    reply = server.request('no/such/method', {})
    print('unknown method: error %d %s' % (reply['error']['code'], reply['error']['message']))
    reply = server.request('textDocument/codeAction', {'textDocument': 42})
    print('bad params: error %d' % reply['error']['code'])
    open_file(server, args.file, open(args.file).read())
    diagnostics = diagnostics_of(server, args.file, 1)
    print_diagnostics('broken file', [d for d in diagnostics if d['severity'] == 1][:3])
    print('exit code %d' % server.stop())


def scenario_first_diagnostics(args, server_argv):
    text = open(args.file).read()
    server = start(server_argv, os.path.dirname(os.path.abspath(args.file)))
    began = time.monotonic()
    open_file(server, args.file, text)
    diagnostics_of(server, args.file, 1)
    timings = {'open': time.monotonic() - began}
    if args.change:
        began = time.monotonic()
        server.notify('textDocument/didChange', {
            'textDocument': {'uri': uri_of(args.file), 'version': 2},
            'contentChanges': [{'text': text + '\n// edited\n'}]})
        diagnostics_of(server, args.file, 2)
        timings['change'] = time.monotonic() - began
    server.stop()
    print(json.dumps(timings))


def main():
    argv = sys.argv[1:]
    if '--' not in argv:
        sys.exit('usage: lsp_client.py SCENARIO [options] -- SERVER [server args]')
    cut = argv.index('--')
    parser = argparse.ArgumentParser()
    parser.add_argument('scenario', choices=['fixits', 'diagnostics', 'malformed',
                                             'first-diagnostics'])
    parser.add_argument('--file', required=True)
    parser.add_argument('--compile', default='')
    parser.add_argument('--change-check', default='async-unawaited-task')
    parser.add_argument('--change', action='store_true')
    args = parser.parse_args(argv[:cut])
    {'fixits': scenario_fixits, 'diagnostics': scenario_diagnostics,
     'malformed': scenario_malformed,
     'first-diagnostics': scenario_first_diagnostics}[args.scenario](args, argv[cut + 1:])


if __name__ == '__main__':
    main()
