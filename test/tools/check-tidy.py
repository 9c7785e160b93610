#!/usr/bin/env python3
"""Runs clang-tidy with pitfall's module on one test file and asserts every
diagnostic and every fix-it against annotations written in that file.

Usage:
  check-tidy.py --clang-tidy BIN --module SO FILE CHECKS [clang-tidy args] [-- compiler args]

CHECKS is the --checks value to enable (e.g. pitfall-unjoined-thread); all
other checks are disabled. Compiler args default to -std=c++20.

Annotations, each inside a // comment:

  CHECK-WARN: text        a warning whose message contains `text`
  CHECK-NOTE: text        a note whose message contains `text`
  CHECK-ERROR: text       an error (for tests that expect one)
  CHECK-FIX: text         after applying the fixes (--fix --fix-notes), a line
                          of the fixed file, stripped of surrounding blanks and
                          of trailing annotation comments, equals `text`

Where a diagnostic annotation points:
  * at the end of a code line: that line;
  * alone on a line: the next line that is not an annotation-only line;
  * `CHECK-WARN@+2:` / `CHECK-WARN@-1:`: that many lines from the annotation;
  * an optional column: `CHECK-WARN:12: text` (after any @offset).

Text is a plain substring; `{{regex}}` parts are regular expressions.

The test fails when an annotation has no matching diagnostic, when any
diagnostic (in any file) has no annotation, when a CHECK-FIX line is not found
in order in the fixed file, or when the fixes changed a line that no CHECK-FIX
describes.
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ANNOT = re.compile(
    r"//\s*CHECK-(?P<kind>WARN|NOTE|ERROR|FIX)(?:@(?P<off>[+-]\d+))?(?::(?P<col>\d+))?:\s?(?P<text>.*)$")
DIAG = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<kind>warning|error|note|fatal error|remark): (?P<msg>.*)$")
KIND = {"WARN": "warning", "NOTE": "note", "ERROR": "error"}
# Notes clang-tidy adds about itself when it applies fixes.
IGNORED_NOTES = ("FIX-IT applied suggested code changes",)


def fail(msgs):
    for m in msgs:
        print("error: " + m, file=sys.stderr)
    sys.exit(1)


def text_pattern(text):
    """Compiles an annotation text: literal, with {{regex}} islands."""
    out, pos = [], 0
    for m in re.finditer(r"\{\{(.*?)\}\}", text):
        out.append(re.escape(text[pos:m.start()]))
        out.append("(?:" + m.group(1) + ")")
        pos = m.end()
    out.append(re.escape(text[pos:]))
    return re.compile("".join(out))


def strip_annotations(line):
    m = re.search(r"//\s*CHECK-(WARN|NOTE|ERROR|FIX)\b", line)
    return (line[:m.start()] if m else line).strip()


def parse_annotations(lines):
    expected, fixes = [], []
    only_annot = [bool(ANNOT.search(l)) and l.strip().startswith("//") for l in lines]
    for idx, line in enumerate(lines):
        m = ANNOT.search(line)
        if not m or "RUN:" in line:
            continue
        lineno = idx + 1
        text = m.group("text").rstrip()
        if m.group("kind") == "FIX":
            fixes.append((lineno, text))
            continue
        if m.group("off"):
            target = lineno + int(m.group("off"))
        elif only_annot[idx]:
            j = idx + 1
            while j < len(lines) and only_annot[j]:
                j += 1
            target = j + 1
        else:
            target = lineno
        expected.append({
            "kind": KIND[m.group("kind")], "line": target,
            "col": int(m.group("col")) if m.group("col") else None,
            "text": text, "pattern": text_pattern(text), "at": lineno})
    return expected, fixes


# The suite lives under test/: with the default TestPaths every file of it
# would be test code (and none example code), whatever a test is about. The
# path conventions are off unless a test sets them (per check:
# `pitfall-ignored-error.TestPaths`, or the global key).
PATH_CONVENTIONS = ("TestPaths", "ExamplePaths")


def without_path_conventions(tidy_args):
    """tidy_args with the global TestPaths and ExamplePaths set to '' in the
    -config the test gives (or in a -config of their own), unless the test
    sets the global key itself."""
    args = list(tidy_args)
    for i, a in enumerate(args):
        m = re.match(r"(--?config=)(.*)$", a, re.S)
        if not m:
            continue
        text = m.group(2)
        add = "".join("%s: '', " % k for k in PATH_CONVENTIONS
                      if not re.search(r"(?<![\w.])%s\s*:" % k, text))
        if "CheckOptions" in text:
            text = re.sub(r"CheckOptions\s*:\s*\{(\s*\})?",
                          lambda c: c.group(0)[:-1] + add.rstrip(", ") + "}"
                          if c.group(1) else c.group(0) + add, text, count=1)
        else:
            text = re.sub(r"^\s*\{", lambda c: c.group(0) + "CheckOptions: {%s}, "
                          % add.rstrip(", "), text, count=1)
        args[i] = m.group(1) + text
        return args
    return args + ["-config={CheckOptions: {%s}}" % ", ".join(
        "%s: ''" % k for k in PATH_CONVENTIONS)]


def main(argv):
    args = list(argv)
    clang_tidy = module = None
    while args and args[0].startswith("--") and args[0] in ("--clang-tidy", "--module"):
        opt = args.pop(0)
        val = args.pop(0)
        if opt == "--clang-tidy":
            clang_tidy = val
        else:
            module = val
    if len(args) < 2 or not clang_tidy or not module:
        fail(["usage: check-tidy.py --clang-tidy BIN --module SO FILE CHECKS [args] [-- cflags]"])
    src, checks = args[0], args[1]
    module = os.path.abspath(module)
    if os.sep in clang_tidy:
        clang_tidy = os.path.abspath(clang_tidy)
    rest = args[2:]
    if "--" in rest:
        cut = rest.index("--")
        tidy_args, cflags = rest[:cut], rest[cut + 1:]
    else:
        tidy_args, cflags = rest, ["-std=c++20"]

    with open(src, encoding="utf-8") as f:
        original = f.read()
    lines = original.split("\n")
    expected, fixes = parse_annotations(lines)

    tmpdir = tempfile.mkdtemp(prefix="pitfall-check-tidy-")
    try:
        work = os.path.join(tmpdir, os.path.basename(src))
        shutil.copyfile(src, work)
        cmd = [clang_tidy, "--load=" + module, "--checks=-*," + checks,
               "--quiet", "--fix", "--fix-notes", "--format-style=none"]
        cmd += without_path_conventions(tidy_args) + [work, "--"] + cflags
        # Includes next to the test (Inputs/) must still resolve from the copy.
        cmd += ["-I", os.path.dirname(os.path.abspath(src))]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, cwd=tmpdir)
        with open(work, encoding="utf-8") as f:
            fixed = f.read()
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)

    output = proc.stdout + "\n" + proc.stderr
    print("$ " + " ".join(cmd))
    print(output)
    diags = []
    for raw in output.splitlines():
        m = DIAG.match(raw)
        if not m:
            continue
        msg = m.group("msg")
        if m.group("kind") == "note" and msg.startswith(IGNORED_NOTES):
            continue
        kind = "error" if m.group("kind") == "fatal error" else m.group("kind")
        in_test = os.path.basename(m.group("file")) == os.path.basename(src) and \
            m.group("file").startswith(tmpdir)
        diags.append({"kind": kind, "file": m.group("file"), "in_test": in_test,
                      "line": int(m.group("line")), "col": int(m.group("col")),
                      "msg": msg, "raw": raw})

    errors = []
    if "request ignored" in output or "Error opening" in output:
        errors.append("clang-tidy could not load the module " + module)
    if proc.returncode != 0 and not any(e["kind"] == "error" for e in expected):
        errors.append("clang-tidy exited with status %d" % proc.returncode)
    unmatched = list(diags)
    for e in expected:
        hit = None
        for d in unmatched:
            if d["in_test"] and d["kind"] == e["kind"] and d["line"] == e["line"] \
                    and (e["col"] is None or e["col"] == d["col"]) \
                    and e["pattern"].search(d["msg"]):
                hit = d
                break
        if hit is None:
            errors.append("%s:%d: expected %s on line %d not produced: %s"
                          % (src, e["at"], e["kind"], e["line"], e["text"]))
        else:
            unmatched.remove(hit)
    for d in unmatched:
        where = "line %d:%d" % (d["line"], d["col"]) if d["in_test"] else d["file"]
        errors.append("unexpected %s at %s: %s" % (d["kind"], where, d["msg"]))

    # Fix-its: each CHECK-FIX line found in order in the fixed file.
    fixed_lines = fixed.split("\n")
    stripped = [strip_annotations(l) for l in fixed_lines]
    pos = 0
    matched_lines = set()
    for at, text in fixes:
        pat = text_pattern(strip_annotations(text))
        j = pos
        while j < len(stripped) and not pat.fullmatch(stripped[j]):
            j += 1
        if j == len(stripped):
            errors.append("%s:%d: CHECK-FIX line not found (in order) in the fixed file: %s"
                          % (src, at, text))
        else:
            matched_lines.add(j)
            pos = j + 1
    # Every line the fixes changed or added must be described by a CHECK-FIX.
    sm = difflib.SequenceMatcher(a=lines, b=fixed_lines, autojunk=False)
    for tag, _i1, _i2, j1, j2 in sm.get_opcodes():
        if tag in ("replace", "insert"):
            for j in range(j1, j2):
                if j not in matched_lines and stripped[j] != "":
                    errors.append("fix-it changed line %d to '%s' but no CHECK-FIX describes it"
                                  % (j + 1, fixed_lines[j].strip()))
        elif tag == "delete" and not fixes:
            errors.append("fix-it deleted lines %d-%d but the test has no CHECK-FIX"
                          % (_i1 + 1, _i2))

    if errors:
        print("--- fixed file ---")
        print(fixed)
        fail(errors)
    print("check-tidy: %d diagnostics and %d fix lines as expected" % (len(expected), len(fixes)))


if __name__ == "__main__":
    main(sys.argv[1:])
