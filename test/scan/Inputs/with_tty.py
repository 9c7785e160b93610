#!/usr/bin/env python3
"""with_tty.py CMD [ARGS...]

Runs CMD with its stderr on a pseudo-terminal and its stdout discarded, and
prints what CMD wrote to the terminal with carriage returns and escape
sequences made visible (\\r -> <CR>, ESC -> <ESC>). Exits with CMD's status.
"""
import os
import pty
import subprocess
import sys


def main():
    master, slave = pty.openpty()
    proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL,
                            stderr=slave)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    rc = proc.wait()
    text = out.decode("utf-8", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "<CR>")
    text = text.replace("\x1b", "<ESC>")
    sys.stdout.write(text)
    return rc


if __name__ == "__main__":
    sys.exit(main())
