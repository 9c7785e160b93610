#!/usr/bin/env python3
"""cache_inputs.py DIR: checks that every input file recorded in the cache
entries under DIR exists at the recorded path, and counts the standard
library headers among them (paths containing "/c++/")."""
import json
import os
import sys


def main():
    paths = set()
    for d, _, files in os.walk(sys.argv[1]):
        for name in files:
            with open(os.path.join(d, name), encoding="utf-8") as f:
                f.readline()  # the header line with the checksum
                entry = json.load(f)
            paths.update(p for p, _ in entry["inputs"])
    missing = sorted(p for p in paths if not os.path.isfile(p))
    for p in missing:
        print("missing: " + p)
    std = sum(1 for p in paths if "/c++/" in p)
    print("%d inputs, %s; std headers: %d"
          % (len(paths), "all present" if not missing else "%d missing" % len(missing), std))


if __name__ == "__main__":
    main()
