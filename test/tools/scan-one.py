#!/usr/bin/env python3
"""Runs pitfall-scan on one source file and prints its text report.

Usage:
  scan-one.py --scan BIN FILE CHECKS [--option KEY=VALUE]... [--header-filter REGEX]
              [-- compiler args]

A compilation database of FILE alone is written to a temporary directory;
CHECKS is the only glob of checks enabled (the configuration is given with
--config, so no .clang-tidy file above FILE applies), with the check options
given by --option. Compiler args default to -std=c++20. The report (text
format: `file:line:col: severity: message [check]`) goes to stdout.

Exits 0 when pitfall-scan reports findings or none (status 0 or 1), with
pitfall-scan's status otherwise.
"""
import json
import os
import subprocess
import sys
import tempfile


def main(argv):
    args = argv[1:]
    compiler = ["-std=c++20"]
    if "--" in args:
        at = args.index("--")
        compiler = args[at + 1:]
        args = args[:at]
    if len(args) < 4 or args[0] != "--scan":
        sys.stderr.write(__doc__)
        return 2
    scan, source, checks = args[1], os.path.abspath(args[2]), args[3]
    options = {}
    rest = args[4:]
    header_filter = None
    while rest:
        if rest[0] == "--header-filter" and len(rest) >= 2:
            header_filter = rest[1]
            rest = rest[2:]
            continue
        if rest[0] != "--option" or len(rest) < 2 or "=" not in rest[1]:
            sys.stderr.write("scan-one.py: unexpected argument %r\n" % rest[0])
            return 2
        key, value = rest[1].split("=", 1)
        options[key] = value
        rest = rest[2:]
    # The suite lives under test/: the path conventions (TestPaths,
    # ExamplePaths) are off unless the test sets them.
    for key in ("TestPaths", "ExamplePaths"):
        options.setdefault(key, "")
    config = {"Checks": "-*," + checks, "CheckOptions": options}
    if header_filter is not None:
        config["HeaderFilterRegex"] = header_filter
    with tempfile.TemporaryDirectory() as tmp:
        command = ["clang++"] + compiler + ["-c", source]
        with open(os.path.join(tmp, "compile_commands.json"), "w") as f:
            json.dump([{"directory": os.path.dirname(source), "file": source,
                        "arguments": command}], f)
        run = subprocess.run(
            [scan, "-p", tmp, "--quiet", "-j1", "--format=text",
             "--config=" + json.dumps(config)],
            stdout=subprocess.PIPE)
    sys.stdout.buffer.write(run.stdout)
    return 0 if run.returncode in (0, 1) else run.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
