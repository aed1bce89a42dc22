#!/usr/bin/env python3
"""Runs one check on a lit test file the way clang-tidy's check_clang_tidy.py does.

  check_corotidy.py [--no-compile] [--config=YAML] <source> <check> <temp> \
      [-- <corotidy args>] [-- <compiler args>]

1. Copies <source> to <temp>.cpp with every CHECK-* comment blanked (lines keep
   their numbers), runs corotidy with --fix on it.
2. FileChecks the diagnostics against CHECK-MESSAGES (no other warning or error
   may appear).
3. FileChecks the fixed file against CHECK-FIXES.
4. Compiles the fixed file with clang++ -fsyntax-only: every fix-it must compile.
"""
import os
import re
import subprocess
import sys


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main():
    args = sys.argv[1:]
    compile_fixed = True
    config = None
    while args and args[0].startswith('--') and args[0] != '--':
        flag = args.pop(0)
        if flag == '--no-compile':
            compile_fixed = False
        elif flag.startswith('--config='):
            config = flag[len('--config='):]
        else:
            sys.exit('unknown flag ' + flag)
    source, check, temp = args[:3]
    rest = args[3:]
    tool_args, compiler_args = [], []
    if rest and rest[0] == '--':
        rest = rest[1:]
        if '--' in rest:
            i = rest.index('--')
            tool_args, compiler_args = rest[:i], rest[i + 1:]
        else:
            tool_args = rest

    corotidy = os.environ['COROTIDY']
    filecheck = os.environ['FILECHECK']
    clangxx = os.environ['CLANGXX']
    base_flags = ['-std=c++20', '-I' + os.environ['ASYNCRT_INCLUDE'],
                  '-I' + os.environ['CHECK_INPUTS']]

    text = open(source).read()
    blanked = re.sub(r'//\s*CHECK-[A-Z0-9-]*:[^\r\n]*', '//', text)
    fixed_path = temp + '.cpp'
    os.makedirs(os.path.dirname(os.path.abspath(fixed_path)), exist_ok=True)
    with open(fixed_path, 'w') as f:
        f.write(blanked)

    cmd = [corotidy, '--use-color=false', '--checks=-*,' + check, '--fix']
    if config:
        cmd.append('--config-file=' + config)
    cmd += tool_args + [fixed_path, '--'] + base_flags + compiler_args
    result = run(cmd)
    if result.returncode not in (0, 1):
        sys.stderr.write(' '.join(cmd) + '\n' + result.stdout + result.stderr)
        sys.exit('corotidy exited with %d' % result.returncode)
    messages = result.stdout
    with open(temp + '.msg', 'w') as f:
        f.write(messages)

    has_messages = 'CHECK-MESSAGES' in text
    has_fixes = 'CHECK-FIXES' in text
    if has_messages:
        fc = run([filecheck, '-input-file=' + temp + '.msg', source,
                  '-check-prefix=CHECK-MESSAGES',
                  '-implicit-check-not={{warning|error}}:'])
        if fc.returncode:
            sys.stderr.write('corotidy output:\n' + messages + fc.stderr)
            sys.exit('CHECK-MESSAGES failed')
    elif re.search(r'(warning|error):', messages):
        sys.stderr.write(messages)
        sys.exit('unexpected diagnostics in a test without CHECK-MESSAGES')
    if has_fixes:
        fc = run([filecheck, '-input-file=' + fixed_path, source,
                  '-check-prefix=CHECK-FIXES', '-strict-whitespace'])
        if fc.returncode:
            sys.stderr.write(open(fixed_path).read() + fc.stderr)
            sys.exit('CHECK-FIXES failed')
    if compile_fixed:
        cc = run([clangxx, '-fsyntax-only'] + base_flags + compiler_args + [fixed_path])
        if cc.returncode:
            sys.stderr.write(cc.stdout + cc.stderr)
            sys.exit('the fixed file does not compile')


if __name__ == '__main__':
    main()
