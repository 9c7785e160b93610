#!/usr/bin/env python3
"""unprivileged.py CMD [ARGS...]

Runs CMD without the privileges that would let it write where a user
cannot: as root, CMD runs as user and group "nobody" (root writes to
read-only files and directories regardless of their mode); as any other
user, CMD runs as that user. Passes stdio through and exits with CMD's
status. As "nobody", TMPDIR is /tmp (lit's temporary directory is root's).
"""
import os
import subprocess
import sys


def drop():
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)


def main():
    env = None
    pre = None
    if os.geteuid() == 0:
        pre = drop
        # lit's per-test TMPDIR belongs to root.
        env = dict(os.environ, TMPDIR="/tmp")
    sys.exit(subprocess.call(sys.argv[1:], preexec_fn=pre, env=env))


if __name__ == "__main__":
    main()
