"""Checks docs/ci/*.yml: valid YAML (when PyYAML is importable), the expected
jobs, and every --option they pass to pitfall-scan listed by --help."""
import os
import re
import sys

ci_dir, help_file = sys.argv[1], sys.argv[2]
known = set(re.findall(r"^\s+(--[a-z][a-z-]*|-[a-z])\b", open(help_file).read(), re.M))
errors = []
files = sorted(f for f in os.listdir(ci_dir) if f.endswith(".yml"))
if not files:
    sys.exit("no templates in " + ci_dir)
for name in files:
    text = open(os.path.join(ci_dir, name)).read()
    try:
        import yaml
        doc = yaml.safe_load(text)
        if not isinstance(doc, dict):
            errors.append("%s: not a YAML mapping" % name)
        elif name.startswith("github") and "jobs" not in doc:
            errors.append("%s: no jobs" % name)
        elif name.startswith("gitlab") and "pitfall" not in doc:
            errors.append("%s: no pitfall job" % name)
    except ImportError:
        pass
    # Options on lines that run pitfall-scan (or build its argument list).
    for line in text.splitlines():
        if "pitfall-scan" in line or "args" in line:
            for opt in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", line):
                if opt not in known:
                    errors.append("%s: pitfall-scan has no option %s" % (name, opt))
    if "--diff" not in text or "sarif" not in text:
        errors.append("%s: does not scan in diff mode with SARIF output" % name)
if errors:
    sys.exit("\n".join(errors))
print("%d templates ok" % len(files))
