#!/usr/bin/env python3
"""Every system file the configured build uses comes from a package that
tools/deps.sh installs, or from one of their dependencies.

A machine that already has a package hides a missing install step: the build
works there and fails on a fresh one (libfmt-dev was such a package). So this
collects the files the build really uses outside the tree -- the paths CMake
resolved, the headers every object was compiled against (ninja's depfile
records), the libraries on the link lines and the shared libraries the
binaries load -- asks `dpkg -S` which package owns each, and fails for any
package that is neither in the list nor pulled in by a package in the list.

  check_packages.py --build-dir build --deps tools/deps.sh [--llvm-major 19]
"""

import argparse
import os
import re
import subprocess
import sys

SYSTEM_PREFIXES = ("/usr/", "/lib/", "/lib64/", "/bin/", "/sbin/", "/etc/")
SKIP_CODE = 77


def system_path(path):
    return path.startswith(SYSTEM_PREFIXES) and not path.startswith("/usr/local/")


# Cache entries that name what the build runs; other FILEPATH entries are
# tools CMake records when present (pkg-config, xmllint, ld.lld) and never calls.
USED_CACHE_ENTRIES = re.compile(r"^(CMAKE_CXX_COMPILER|CMAKE_MAKE_PROGRAM|Python3_EXECUTABLE|COROTIDY_\w+"
                                r"|\w+_DIR)$")


def cmake_cache_paths(build_dir):
    """System files named by CMake's cache: the compiler, the tools the
    suites run, and each package's config directory (its own files)."""
    paths = set()
    with open(os.path.join(build_dir, "CMakeCache.txt"), encoding="utf-8") as cache:
        for line in cache:
            m = re.match(r"^([A-Za-z0-9_.+-]+):(?:FILEPATH|PATH|STRING|INTERNAL)=(.*)$", line.strip())
            if not m or not USED_CACHE_ENTRIES.match(m.group(1)):
                continue
            for value in m.group(2).split(";"):
                if not system_path(value):
                    continue
                if os.path.isfile(value):
                    paths.add(value)
                elif os.path.isdir(value) and "/cmake" in value:
                    paths.update(os.path.join(value, f) for f in os.listdir(value)
                                 if os.path.isfile(os.path.join(value, f)))
    return paths


def ninja_build_dirs(build_dir):
    for top, dirs, files in os.walk(build_dir):
        if "build.ninja" in files:
            yield top
        dirs[:] = [d for d in dirs if d not in ("CMakeFiles", "Testing") and not d.startswith(".")]


def header_dependencies(ninja_dir):
    """Headers recorded in ninja's depfile log."""
    out = subprocess.run(["ninja", "-C", ninja_dir, "-t", "deps"], capture_output=True,
                         text=True, check=True).stdout
    return {line.strip() for line in out.splitlines()
            if line.startswith(" ") and system_path(line.strip())}


def library_for_flag(flag, compiler):
    name = flag[2:]
    for candidate in ("lib%s.so" % name, "lib%s.a" % name):
        found = subprocess.run([compiler, "-print-file-name=" + candidate], capture_output=True,
                               text=True).stdout.strip()
        if os.path.isabs(found) and os.path.exists(found):
            return os.path.realpath(found)
    return None


def link_libraries(ninja_dir, compiler):
    """Libraries named on the link lines: absolute paths and -l flags."""
    paths = set()
    with open(os.path.join(ninja_dir, "build.ninja"), encoding="utf-8") as build:
        for line in build:
            m = re.match(r"^\s*(LINK_LIBRARIES|LINK_FLAGS) = (.*)$", line)
            if not m:
                continue
            for word in m.group(2).split():
                word = word.removeprefix("-Wl,")
                if word.startswith("/") and system_path(word) and os.path.isfile(word):
                    paths.add(word)
                elif re.match(r"^-l[\w+.-]+$", word):
                    found = library_for_flag(word, compiler)
                    if found and system_path(found):
                        paths.add(found)
    return paths


def elf_files(build_dir):
    for sub in ("bin", "lib"):
        top = os.path.join(build_dir, sub)
        if not os.path.isdir(top):
            continue
        for name in sorted(os.listdir(top)):
            path = os.path.join(top, name)
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as f:
                    if f.read(4) == b"\x7fELF":
                        yield path


def loaded_libraries(build_dir):
    """Shared libraries the built binaries load (ldd)."""
    paths = set()
    for binary in elf_files(build_dir):
        out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
        for m in re.finditer(r"=> (/\S+)", out):
            if system_path(m.group(1)):
                paths.add(m.group(1))
    return paths


def lit_tool_paths(build_dir):
    """Tools the lit suites run (clang++, FileCheck's directory, lit)."""
    paths = set()
    site = os.path.join(build_dir, "test", "lit.site.cfg.py")
    if os.path.isfile(site):
        with open(site, encoding="utf-8") as cfg:
            for value in re.findall(r'"(/[^"]+)"', cfg.read()):
                if system_path(value) and os.path.isfile(value):
                    paths.add(value)
                elif system_path(value) and os.path.isdir(value):
                    paths.update(os.path.join(value, tool) for tool in ("FileCheck", "not")
                                 if os.path.isfile(os.path.join(value, tool)))
    return paths


def owners(paths):
    """path -> set of owning packages, asking dpkg -S; a path dpkg does not
    know is retried as its real path and as its merged-/usr twin."""
    def ask(batch):
        found = {}
        for i in range(0, len(batch), 200):
            out = subprocess.run(["dpkg", "-S", *batch[i:i + 200]], capture_output=True,
                                 text=True).stdout
            for line in out.splitlines():
                if line.startswith("diversion ") or ": " not in line:
                    continue
                pkgs, path = line.split(": ", 1)
                found.setdefault(path, set()).update(p.strip().split(":")[0]
                                                     for p in pkgs.split(","))
        return found

    def variants(path):
        real = os.path.realpath(path)
        for p in (path, real):
            yield p
            if p.startswith("/usr/lib/") or p.startswith("/usr/bin/") or p.startswith("/usr/sbin/"):
                yield p[4:]
            elif p.startswith(("/lib/", "/bin/", "/sbin/")):
                yield "/usr" + p

    candidates = {p: list(dict.fromkeys(variants(p))) for p in paths}
    answers = ask(sorted({v for vs in candidates.values() for v in vs}))
    result = {}
    for path, vs in candidates.items():
        result[path] = set().union(*(answers.get(v, set()) for v in vs))
    return result


def installed_dependency_closure(roots):
    """The listed packages and everything they depend on, among the
    installed packages (alternatives and virtual packages included)."""
    out = subprocess.run(["dpkg-query", "-W", "-f",
                          "${Package}\t${Provides}\t${Pre-Depends}, ${Depends}\t${Status}\n"],
                         capture_output=True, text=True, check=True).stdout
    depends, providers = {}, {}
    for line in out.splitlines():
        name, provides, deps, status = line.split("\t")
        if not status.endswith(" installed"):
            continue
        depends[name] = [re.sub(r"[:\s(].*", "", alt.strip())
                         for group in deps.split(",") for alt in group.split("|") if alt.strip()]
        for virtual in provides.split(","):
            virtual = re.sub(r"[\s(].*", "", virtual.strip())
            if virtual:
                providers.setdefault(virtual, set()).add(name)
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        for pkg in {name} | providers.get(name, set()):
            if pkg in seen or pkg not in depends:
                continue
            seen.add(pkg)
            todo.extend(depends[pkg])
    return seen


def listed_packages(deps_script, majors):
    listed = set()
    for major in majors:
        out = subprocess.run(["bash", deps_script, "--list", major], capture_output=True,
                             text=True, check=True).stdout
        listed.update(out.split())
    return listed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--deps", required=True, help="tools/deps.sh")
    parser.add_argument("--llvm-major", default="19")
    parser.add_argument("--compiler", default=None, help="resolves -l flags (default clang++-<major>)")
    args = parser.parse_args()

    build_dir = os.path.abspath(args.build_dir)
    ninja_dirs = list(ninja_build_dirs(build_dir))
    if not ninja_dirs:
        print("check_packages: no build.ninja under %s; this check reads ninja's dependency "
              "log, so it needs the Ninja generator" % build_dir)
        return SKIP_CODE
    compiler = args.compiler or "clang++-%s" % args.llvm_major

    used = cmake_cache_paths(build_dir) | loaded_libraries(build_dir) | lit_tool_paths(build_dir)
    for d in ninja_dirs:
        used |= header_dependencies(d) | link_libraries(d, compiler)

    listed = listed_packages(args.deps, sorted({"19", args.llvm_major}))
    allowed = installed_dependency_closure(listed)
    by_package, unowned = {}, []
    for path, pkgs in sorted(owners(sorted(used)).items()):
        if not pkgs:
            unowned.append(path)
        elif not pkgs & allowed:
            for pkg in pkgs:
                by_package.setdefault(pkg, []).append(path)

    print("check_packages: %d system files used by the build, from %d ninja build(s); "
          "%d packages listed in %s, %d with their dependencies"
          % (len(used), len(ninja_dirs), len(listed), os.path.relpath(args.deps), len(allowed)))
    for pkg, files in sorted(by_package.items()):
        print("error: package '%s' is used by the build but is not in tools/deps.sh, nor a "
              "dependency of a package there; add it. It provides:" % pkg)
        for f in files[:5]:
            print("  " + f)
        if len(files) > 5:
            print("  ... and %d more" % (len(files) - 5))
    for path in unowned:
        print("error: %s is used by the build but belongs to no Debian package "
              "(installed by hand?)" % path)
    return 1 if by_package or unowned else 0


if __name__ == "__main__":
    sys.exit(main())
