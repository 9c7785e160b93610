#!/usr/bin/env python3
"""in_fresh_dir.py FILE... -- CMD [ARGS...]

Copies FILEs into a new temporary directory outside any project (no
.clang-tidy in it or above it: the test fails otherwise), runs CMD there
with stderr merged into stdout, prints its output and exits with its
status. For tests of behaviour without any configuration file, which the
build tree (inside the repository, which has one) cannot give.
"""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    sep = sys.argv.index("--")
    files, cmd = sys.argv[1:sep], sys.argv[sep + 1:]
    with tempfile.TemporaryDirectory(prefix="pitfall-fresh-", dir="/tmp") as d:
        p = d
        while True:
            if os.path.exists(os.path.join(p, ".clang-tidy")):
                sys.exit("in_fresh_dir.py: %s has a .clang-tidy" % p)
            if p == os.path.dirname(p):
                break
            p = os.path.dirname(p)
        for f in files:
            shutil.copy(f, d)
        proc = subprocess.run(cmd, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        sys.stdout.buffer.write(proc.stdout.replace(d.encode(), b"<dir>"))
        sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
