#!/usr/bin/env python3
"""expect_exit.py N CMD [ARGS...]

Runs CMD with its stdin/stdout/stderr inherited and exits 0 if CMD exited
with status N, 1 otherwise (printing what it got). lit's `not` only inverts;
pitfall-scan's exit codes (0 clean, 1 findings, 2 usage, 3 incomplete) need
exact assertions.
"""
import subprocess
import sys


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    expected = int(sys.argv[1])
    got = subprocess.call(sys.argv[2:])
    if got != expected:
        sys.stderr.write("expect_exit: %s exited with %d, expected %d\n"
                         % (sys.argv[2], got, expected))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
