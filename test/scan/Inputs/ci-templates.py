"""Checks the CI templates (docs/ci/*.yml) and pitfall's GitHub Action
(action.yml): valid YAML of the expected shape, every --option they pass to
pitfall-scan listed by its --help, pitfall installed from the release package
(or a cached build) rather than built on every run, pitfall-scan's
--cache-dir restored and saved, the annotation limit of GitHub stated.
(test/docs/doc-commands.test runs them.)

  ci-templates.py CI_DIR ACTION_YML HELP_FILE
"""
import os
import re
import sys

try:
    import yaml
except ImportError:  # Debian's python3-yaml, for another python3
    sys.path.append("/usr/lib/python3/dist-packages")
    import yaml

ci_dir, action_file, help_file = sys.argv[1:4]
known = set(re.findall(r"^\s+(--[a-z][a-z-]*|-[a-z])\b", open(help_file).read(), re.M))
errors = []


def err(name, message):
    errors.append("%s: %s" % (name, message))


def check_options(name, text):
    # Options on lines that run pitfall-scan (or build its argument list).
    for line in text.splitlines():
        if "pitfall-scan" in line or "args" in line:
            for opt in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", line):
                if opt not in known:
                    err(name, "pitfall-scan has no option %s" % opt)


def check_no_rebuild(name, steps_or_scripts):
    for text, condition in steps_or_scripts:
        if "scripts/build" in text and "cache-hit" not in (condition or ""):
            err(name, "builds pitfall on every run (install the release package, "
                      "or build once behind a cache)")


files = sorted(f for f in os.listdir(ci_dir) if f.endswith(".yml"))
if not files:
    sys.exit("no templates in " + ci_dir)
for name in files:
    text = open(os.path.join(ci_dir, name)).read()
    doc = yaml.safe_load(text)
    check_options(name, text)
    if "--diff" not in text and "diff:" not in text:
        err(name, "does not scan in diff mode")
    if name.startswith("github"):
        jobs = doc.get("jobs") if isinstance(doc, dict) else None
        if not jobs:
            err(name, "no jobs")
            continue
        steps = [s for j in jobs.values() for s in j.get("steps", [])]
        uses_action = any(str(s.get("uses", "")).startswith("pitfall-tools/pitfall@")
                          for s in steps)
        if not uses_action and ".deb" not in text:
            err(name, "neither uses pitfall's action nor installs its package")
        check_no_rebuild(name, [(s.get("run", ""), s.get("if")) for s in steps])
        if "10 warning annotations" not in text:
            err(name, "does not say that GitHub shows at most 10 warning annotations per step")
    elif name.startswith("gitlab"):
        job = doc.get("pitfall") if isinstance(doc, dict) else None
        if not job:
            err(name, "no pitfall job")
            continue
        scripts = [e for part in ("before_script", "script") for e in job.get(part, [])]
        check_no_rebuild(name, [(e, None) for e in scripts])
        if ".deb" not in text:
            err(name, "does not install pitfall's release package")
        m = re.search(r"--cache-dir[ =](\S+)", text)
        cache = job.get("cache") or {}
        if not m:
            err(name, "pitfall-scan runs without --cache-dir")
        elif not any(p.rstrip("/") == m.group(1).rstrip("/") for p in cache.get("paths", [])):
            err(name, "the cache does not keep --cache-dir %s" % m.group(1))
        if cache.get("when") != "always":
            err(name, "the cache is not saved when findings fail the job (cache:when: always)")
    else:
        err(name, "neither a GitHub (github-*) nor a GitLab (gitlab-*) template")

# The composite action.
name = os.path.basename(action_file)
text = open(action_file).read()
action = yaml.safe_load(text)
check_options(name, text)
runs = action.get("runs", {})
if runs.get("using") != "composite":
    err(name, "not a composite action")
steps = runs.get("steps", [])
ids = {s["id"] for s in steps if "id" in s}
for i, s in enumerate(steps):
    if "run" in s and "shell" not in s:
        err(name, "step %d runs a script without shell:" % (i + 1))
for ref in set(re.findall(r"\binputs\.([\w-]+)", text)):
    if ref not in action.get("inputs", {}):
        err(name, "uses undeclared input %s" % ref)
for ref in set(re.findall(r"\bsteps\.([\w-]+)\.", text)):
    if ref not in ids:
        err(name, "refers to step id %s, which no step has" % ref)
check_no_rebuild(name, [(s.get("run", ""), s.get("if")) for s in steps])
uses = [s.get("uses", "") for s in steps]
if not any(u.startswith("actions/cache/restore@") for u in uses) or \
        not any(u.startswith("actions/cache/save@") for u in uses):
    err(name, "does not restore and save pitfall-scan's --cache-dir")
if "--cache-dir" not in text:
    err(name, "pitfall-scan runs without --cache-dir")
if "10 warning annotations" not in text:
    err(name, "does not say that GitHub shows at most 10 warning annotations per step")
if errors:
    sys.exit("\n".join(errors))
print("%d templates and the action ok" % len(files))
