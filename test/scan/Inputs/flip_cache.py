#!/usr/bin/env python3
"""flip_cache.py DIR OLD NEW: in every cache entry under DIR, replaces the
bytes OLD by NEW (of the same length), as a damaged disk or a bad copy
might: the entry stays valid JSON."""
import os
import sys


def main():
    root, old, new = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
    assert len(old) == len(new)
    changed = 0
    for d, _, files in os.walk(root):
        for name in files:
            path = os.path.join(d, name)
            with open(path, "rb") as f:
                data = f.read()
            if old in data:
                with open(path, "wb") as f:
                    f.write(data.replace(old, new))
                changed += 1
    if not changed:
        sys.exit("flip_cache.py: no entry contains %r" % old)


if __name__ == "__main__":
    main()
