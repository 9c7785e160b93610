#!/usr/bin/env python3
"""limit_fsize.py BYTES CMD [ARGS...]

Runs CMD with files limited to BYTES (RLIMIT_FSIZE, which binds root too)
and SIGXFSZ ignored, so that a write past the limit fails with EFBIG as a
write to a full disk fails. Exits with CMD's status.
"""
import resource
import signal
import subprocess
import sys


def limit(n):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
    return apply


def main():
    n = int(sys.argv[1])
    sys.exit(subprocess.call(sys.argv[2:], preexec_fn=limit(n)))


if __name__ == "__main__":
    main()
