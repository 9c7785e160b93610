#!/usr/bin/env python3
"""suite_cdb.py OUT DIR...: writes OUT/compile_commands.json with one entry
per .cpp file directly in each DIR (recursively for directories ending in
"/..."), compiled as C++20 with DIR/Inputs on the include path: the
repository's own test inputs and examples as one code base to scan."""
import json
import os
import sys


def main():
    out, dirs = sys.argv[1], sys.argv[2:]
    entries = []
    for d in dirs:
        recursive = d.endswith("/...")
        d = os.path.abspath(d[:-4] if recursive else d)
        walk = os.walk(d) if recursive else [(d, [], os.listdir(d))]
        for root, _, files in walk:
            for name in sorted(files):
                if not name.endswith(".cpp") or "Inputs" in root.split(os.sep):
                    continue
                entries.append({
                    "directory": root,
                    "file": os.path.join(root, name),
                    "arguments": ["clang++", "-std=c++20", "-I", os.path.join(d, "Inputs"),
                                  "-c", os.path.join(root, name)],
                })
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "compile_commands.json"), "w") as f:
        json.dump(entries, f, indent=1)


if __name__ == "__main__":
    main()
