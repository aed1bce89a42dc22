# lit configuration for corotidy's tool tests (checks, driver, fixes, e2e).
import os
import lit.formats

config.name = 'corotidy'
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = ['.cpp', '.test']
config.excludes = ['Inputs', 'tools', 'unit', 'CMakeLists.txt']
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.corotidy_binary_dir, 'test')

config.environment['PATH'] = os.pathsep.join(
    [config.llvm_tools_dir, config.corotidy_bin_dir, config.environment.get('PATH', '')])
for var in ('HOME', 'TMPDIR', 'LANG'):
    if var in os.environ:
        config.environment[var] = os.environ[var]
config.environment['COROTIDY'] = os.path.join(config.corotidy_bin_dir, 'corotidy')
config.environment['FILECHECK'] = os.path.join(config.llvm_tools_dir, 'FileCheck')
config.environment['CLANGXX'] = config.clangxx
config.environment['ASYNCRT_INCLUDE'] = config.asyncrt_include
config.environment['CHECK_INPUTS'] = os.path.join(config.test_source_root, 'checks', 'Inputs')

check = os.path.join(config.test_source_root, 'tools', 'check_corotidy.py')
config.substitutions.append(('%check_corotidy', '%s %s' % (config.python, check)))
config.substitutions.append(('%corotidy', os.path.join(config.corotidy_bin_dir, 'corotidy')))
config.substitutions.append(('%clangxx', config.clangxx))
config.substitutions.append(('%asyncrt_include', config.asyncrt_include))
# The runtime library for end-to-end tests that build and run programs.
config.substitutions.append(('%asyncrt_lib', config.asyncrt_lib))
config.substitutions.append(('%inputs', os.path.join(config.test_source_root, 'checks', 'Inputs')))
config.substitutions.append(('%python', config.python))
config.substitutions.append(('%source_root', config.corotidy_source_dir))
config.substitutions.append(('%build_root', config.corotidy_binary_dir))
# asio's coroutine support must be switched on explicitly for clang.
config.substitutions.append(('%asio_flags', '-DASIO_HAS_CO_AWAIT=1 -DASIO_HAS_STD_COROUTINE=1'))
config.substitutions.append(('%cmake', config.cmake_command))
config.substitutions.append(('%llvm_major', config.llvm_major))
# Debian's python3 with python3-jsonschema, for SARIF schema validation.
config.substitutions.append(('%system_python', config.system_python))
config.substitutions.append(('%test_data', os.path.join(config.corotidy_source_dir, 'test', 'data')))
config.substitutions.append(('%plugin', os.path.join(config.corotidy_binary_dir, 'lib', 'libcorotidy-plugin.so')))
config.substitutions.append(('%clang_tidy', os.path.join(config.llvm_tools_dir, 'clang-tidy')))
import shutil
if shutil.which('pre-commit'):
    config.available_features.add('pre-commit')
# corotidy-clangd and the LSP client that drives it (test/clangd).
config.substitutions.append(('%clangd_server', os.path.join(config.corotidy_bin_dir, 'corotidy-clangd')))
config.substitutions.append(('%lsp_client', '%s %s' % (config.python, os.path.join(config.test_source_root, 'tools', 'lsp_client.py'))))
if shutil.which('nvim'):
    config.available_features.add('nvim')
else:
    lit_config.note('nvim not found: the Neovim test of corotidy-clangd is skipped '
                    '(tools/deps.sh installs the Debian package neovim)')
