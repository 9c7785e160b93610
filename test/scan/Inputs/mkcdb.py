#!/usr/bin/env python3
"""mkcdb.py DIR [IN [OUT]]

Writes DIR/OUT (default compile_commands.json) from DIR/IN (default cdb.in)
with every @DIR@ replaced by DIR, so tests can write databases with absolute
paths into their temporary directory.
"""
import os
import sys


def main():
    d = os.path.abspath(sys.argv[1])
    src = sys.argv[2] if len(sys.argv) > 2 else "cdb.in"
    dst = sys.argv[3] if len(sys.argv) > 3 else "compile_commands.json"
    with open(os.path.join(d, src)) as f:
        text = f.read().replace("@DIR@", d)
    with open(os.path.join(d, dst), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
