"""Asserts that clang-tidy --list-checks shows exactly the checks that
pitfall-tidy --list-pitfall-checks derives from Checks.def."""
import re
import sys

meta = {l.split()[0] for l in open(sys.argv[1]) if l.startswith("pitfall-")}
tidy = {m.group(1) for m in re.finditer(r"^\s+(pitfall-\S+)\s*$", open(sys.argv[2]).read(), re.M)}
if not meta:
    sys.exit("no checks in the metadata list")
if meta != tidy:
    sys.exit("metadata list %s != registered checks %s" % (sorted(meta), sorted(tidy)))
print("%d checks registered as listed" % len(meta))
