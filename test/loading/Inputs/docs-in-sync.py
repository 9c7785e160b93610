"""Every check of the metadata list (pitfall-tidy --list-pitfall-checks) has
its docs page, its tests and its README row; every analyzer checker of
AnalyzerCheckers.def has its docs page."""
import os
import re
import sys

listing, root = sys.argv[1], sys.argv[2]
checks = [l.split()[0] for l in open(listing) if l.startswith("pitfall-")]
readme = open(os.path.join(root, "README.md")).read()
tests = os.listdir(os.path.join(root, "test", "checks"))
errors = []
for c in checks:
    stem = c[len("pitfall-"):]
    doc = os.path.join(root, "docs", "checks", stem + ".md")
    if not os.path.isfile(doc):
        errors.append("%s: no docs/checks/%s.md" % (c, stem))
    elif "Go" not in open(doc).read():
        errors.append("%s: docs page does not name the Go analog" % c)
    if not any(t.startswith(stem) for t in tests):
        errors.append("%s: no test/checks/%s*.cpp" % (c, stem))
    if "`%s`" % c not in readme:
        errors.append("%s: no row in README.md's table of checks" % c)
defs = open(os.path.join(root, "include", "pitfall", "AnalyzerCheckers.def")).read()
for m in re.finditer(r'^PITFALL_ANALYZER_CHECKER\(\s*\w+\s*,\s*"([^"]+)"', defs, re.M):
    if "`%s`" % m.group(1) not in readme:
        errors.append("%s: analyzer checker missing from README.md" % m.group(1))
if errors:
    sys.exit("\n".join(errors))
print("%d checks documented, tested and listed" % len(checks))
