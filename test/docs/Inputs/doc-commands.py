"""Runs the commands that pitfall's documentation shows, as a reader would,
and prints a transcript (for FileCheck). Exits non-zero when a command of a
Markdown code block fails or a document breaks the conventions below.

  doc-commands.py --src SRC --obj OBJ --work DIR --major N [--ci] FILE...

Markdown files (README.md, docs/**/*.md):
  - ```sh (bash, shell) blocks are commands. Each command (lines joined at a
    trailing backslash) runs in a copy of the example project
    (examples/go-hazards) configured into build/, with pitfall installed
    (cmake --install OBJ) and on PATH, HOME in the sandbox. A block whose
    first line is "# in pitfall's source tree:" runs in (a sandbox of)
    pitfall's source tree instead. pitfall-scan may exit 1 (findings);
    anything else must exit 0.
  - "# not tested: <reason>" as the first line of a block skips the block, as
    a comment on a command's line skips that command.
  - ```yaml blocks must parse; GitHub workflows, GitLab jobs and pre-commit
    configurations among them are run as below. ```json blocks must parse.
  - An unlabelled block that looks like a command is an error: label it.
YAML files: GitHub workflows (jobs:), the composite action (runs:), GitLab
jobs (script:) run their steps in the example project, as the CI service
would, with the tested pitfall already on PATH; a step or script entry whose
first line is "# not tested: <reason>" is skipped, "uses:" steps other than
pitfall's own action are not run (their paths are reported).
Commands written for LLVM 19 (clang++-19, pitfall-scan-19, ...) run with
the LLVM major under test.
"""
import argparse
import atexit
import glob
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:  # Debian's python3-yaml, for another python3
    sys.path.append("/usr/lib/python3/dist-packages")
    import yaml

NOT_TESTED = "# not tested"
SOURCE_TREE = "# in pitfall's source tree:"
TIMEOUT = 900
failures = []


def say(*parts):
    print(*parts)
    sys.stdout.flush()


def fail(where, message):
    failures.append("%s: %s" % (where, message))
    say("FAILED %s: %s" % (where, message))


def run(cmd, cwd, env, check=True):
    """Runs cmd (a shell command line, or argv) in its own process group,
    which a timeout ends as a whole."""
    p = subprocess.Popen(cmd, cwd=cwd, env=env, shell=isinstance(cmd, str),
                         executable="/bin/bash" if isinstance(cmd, str) else None,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        out += "\n(timed out after %d s)" % TIMEOUT
    r = subprocess.CompletedProcess(cmd, p.returncode, out)
    if check and r.returncode != 0:
        sys.exit("setup failed: %s\n%s" % (cmd, r.stdout))
    return r


class Sandbox:
    def __init__(self, args):
        self.args = args
        self.work = os.path.abspath(args.work)
        self.major = args.major
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work)
        home = os.path.join(self.work, "home")
        os.makedirs(home)
        # The sandbox may sit inside a checkout whose own .clang-tidy would
        # apply: this one stands for "no configuration" (pitfall's checks).
        with open(os.path.join(self.work, ".clang-tidy"), "w") as f:
            f.write("Checks: '-*,pitfall-*'\n")
        self.prefix = os.path.join(self.work, "prefix")
        env = dict(os.environ)
        for var in ("PITFALL_TIDY_MODULE", "PITFALL_CLANG_TIDY",
                    "PITFALL_BUILD_DIR", "CLANGD_FLAGS"):
            env.pop(var, None)
        env.update({
            "HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "XDG_CACHE_HOME": os.path.join(home, ".cache"),
            "PITFALL_LLVM_VERSION": self.major,
            "PITFALL_LLVM_VERSIONS": self.major,
            "GIT_AUTHOR_NAME": "doc test", "GIT_AUTHOR_EMAIL": "doc@test",
            "GIT_COMMITTER_NAME": "doc test", "GIT_COMMITTER_EMAIL": "doc@test",
        })
        env["PATH"] = os.pathsep.join([os.path.join(self.prefix, "bin"),
                                       env.get("PATH", "")])
        self.env = env
        run(["cmake", "--install", args.obj, "--prefix", self.prefix],
            self.work, env)
        # pitfall's source tree, as the docs' "# in pitfall's source tree:"
        # blocks see it: its scripts and examples, and its build directory.
        # (Outside the build directory: its link to the build directory would
        # make a cycle that tools walking the build directory follow.)
        self.tree_parent = tempfile.mkdtemp(prefix="pitfall-doc-tree-")
        atexit.register(shutil.rmtree, self.tree_parent, True)
        self.tree = os.path.join(self.tree_parent, "pitfall")
        os.makedirs(self.tree)
        for name in ("scripts", "examples", "docs", "README.md", "LICENSE"):
            os.symlink(os.path.join(args.src, name),
                       os.path.join(self.tree, name))
        for name in ("build", "build-" + self.major):
            if not os.path.exists(os.path.join(self.tree, name)):
                os.symlink(os.path.abspath(args.obj),
                           os.path.join(self.tree, name))
        self.count = 0

    def project(self, label):
        """A fresh copy of the example project: configured into build/, a git
        repository whose branch 'feature' adds one hazard to origin/main."""
        self.count += 1
        d = os.path.join(self.work, "%02d-%s" % (self.count, label))
        shutil.copytree(os.path.join(self.args.src, "examples", "go-hazards"),
                        d, ignore=shutil.ignore_patterns("build"))
        with open(os.path.join(d, ".gitignore"), "w") as f:
            f.write("build/\n")
        run(["cmake", "-S", ".", "-B", "build", "-G", "Ninja",
             "-DCMAKE_CXX_COMPILER=clang++-" + self.major,
             "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"], d, self.env)
        git = lambda *a: run(["git"] + list(a), d, self.env)
        git("init", "-q", "-b", "main")
        git("add", "-A")
        git("commit", "-q", "-m", "example")
        origin = d + ".origin.git"
        run(["git", "clone", "-q", "--bare", d, origin], self.work, self.env)
        git("remote", "add", "origin", origin)
        git("fetch", "-q", "origin")
        git("checkout", "-q", "-b", "feature")
        with open(os.path.join(d, "src", "errors.cpp"), "a") as f:
            # A callee called once: a drop of one the example drops as
            # often as it checks (save) is its convention (ignored-error's
            # ReportConventionallyIgnored).
            f.write("\nstd::error_code flush(const std::string &path);\n"
                    "void flush_state() { flush(\"flush.json\"); }\n")
        git("commit", "-q", "-am", "a dropped error")
        return d

    def ci_project(self):
        """The project the CI examples and templates run in, one after the
        other, on the pull request's branch as checked out: what they keep
        between runs is only what the CI service would restore (the result
        cache, .pitfall-cache)."""
        if not getattr(self, "ci", None):
            self.ci = self.project("ci")
        else:
            run(["git", "checkout", "-q", "-f", "feature"], self.ci, self.env)
            run(["git", "clean", "-q", "-fdx", "-e", "build", "-e",
                 ".pitfall-cache"], self.ci, self.env)
        return self.ci

    def adapt(self, text):
        """Commands written for LLVM 19, for the major under test."""
        if self.major == "19":
            return text
        text = re.sub(r"\b(clang\+\+|clang|clang-tidy|clangd|pitfall-scan|"
                      r"pitfall-tidy|pitfall-clangd|run-clang-tidy)-19\b",
                      r"\1-" + self.major, text)
        return text.replace("pitfall-llvm19_", "pitfall-llvm%s_" % self.major)


#===----------------------------------------------------------------------===#
# Markdown
#===----------------------------------------------------------------------===#

SHELL = ("sh", "bash", "shell")
LOOKS_LIKE_COMMAND = re.compile(
    r"^\s*(\$ |pitfall-|build/bin/|scripts/|cmake |clang|git |apt|sudo |cd )")


def commands(block):
    """(line offset, command) of a shell block; continuation lines joined."""
    out, cur, start = [], "", 0
    for i, line in enumerate(block.splitlines()):
        if not cur:
            start = i
            if not line.strip() or line.lstrip().startswith("#"):
                continue
        cur += line + "\n"
        if not line.rstrip().endswith("\\"):
            out.append((start, cur))
            cur = ""
    if cur:
        out.append((start, cur))
    return out


def allowed(cmd):
    first = cmd.strip().lstrip("(").split()[0]
    return (0, 1) if os.path.basename(first).startswith("pitfall-scan") else (0,)


def run_markdown(sb, path, rel):
    text = open(path).read()
    blocks = [(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 2)
              for m in re.finditer(r"^```(\S*)\n(.*?)^```", text, re.M | re.S)]
    project = None
    for lang, body, line in blocks:
        where = "%s:%d" % (rel, line)
        first = body.splitlines()[0] if body.strip() else ""
        if lang in SHELL:
            if first.startswith(NOT_TESTED):
                say("%s: block not tested (%s)" % (where, first[2:]))
                continue
            if first.startswith(SOURCE_TREE):
                cwd = sb.tree
            else:
                project = project or sb.project(os.path.basename(rel)[:-3])
                cwd = project
            for offset, cmd in commands(body):
                loc = "%s:%d" % (rel, line + offset)
                if NOT_TESTED in cmd:
                    say("%s: not tested: %s" % (loc, cmd.split("\n")[0].strip()))
                    continue
                r = run(sb.adapt(cmd), cwd, sb.env, check=False)
                if r.returncode in allowed(cmd):
                    say("%s: ok (exit %d): %s" % (loc, r.returncode,
                                                   " ".join(cmd.split())))
                else:
                    fail(loc, "exit %d: %s\n%s" % (r.returncode, cmd.strip(),
                                                   r.stdout[-3000:]))
        elif lang == "yaml":
            try:
                doc = yaml.safe_load(body)
            except yaml.YAMLError as e:
                fail(where, "invalid YAML: %s" % e)
                continue
            run_yaml(sb, doc, where, sb.ci_project)
        elif lang == "json":
            try:
                json.loads(body)
                say("%s: JSON ok" % where)
            except ValueError as e:
                fail(where, "invalid JSON: %s" % e)
        elif lang == "" and LOOKS_LIKE_COMMAND.match(first):
            fail(where, "a command in an unlabelled block: label it ```sh")


#===----------------------------------------------------------------------===#
# GitHub Actions
#===----------------------------------------------------------------------===#

class Expr:
    """The part of GitHub's expression language the templates use."""
    TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+(?:\.\d+)?)|"
                       r"(?P<op>==|!=|&&|\|\||!|\(|\)|,)|"
                       r"(?P<name>[A-Za-z_][\w-]*(?:\.[A-Za-z_*][\w-]*)*))")

    def __init__(self, contexts, workspace):
        self.contexts = contexts
        self.workspace = workspace

    def lookup(self, name):
        value = self.contexts
        for part in name.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    def hash_files(self, *patterns):
        files = sorted(f for p in patterns
                       for f in glob.glob(os.path.join(self.workspace, p))
                       if os.path.isfile(f))
        if not files:
            return ""
        h = hashlib.sha256()
        for f in files:
            h.update(open(f, "rb").read())
        return h.hexdigest()

    def eval(self, text):
        py, pos = [], 0
        funcs = {"always": "_always", "success": "_success",
                 "failure": "_failure", "cancelled": "_cancelled",
                 "format": "_format", "hashFiles": "_hash",
                 "contains": "_contains", "startsWith": "_startswith"}
        while pos < len(text.rstrip()):
            m = self.TOKEN.match(text, pos)
            if not m:
                raise ValueError("cannot evaluate ${{ %s }}" % text)
            pos = m.end()
            if m.group("str"):
                py.append(repr(m.group("str")[1:-1].replace("''", "'")))
            elif m.group("num"):
                py.append(m.group("num"))
            elif m.group("op"):
                py.append({"&&": " and ", "||": " or ", "!": " not "}.get(
                    m.group("op"), m.group("op")))
            else:
                name = m.group("name")
                nxt = text[pos:].lstrip()[:1]
                if nxt == "(":
                    if name not in funcs:
                        raise ValueError("unknown function %s" % name)
                    py.append(funcs[name])
                elif name in ("true", "false", "null"):
                    py.append({"true": "True", "false": "False",
                               "null": "None"}[name])
                else:
                    py.append("_ctx(%r)" % name)
        ns = {"_ctx": self.lookup, "_always": lambda: True,
              "_success": lambda: not self.contexts.get("_failed"),
              "_failure": lambda: bool(self.contexts.get("_failed")),
              "_cancelled": lambda: False,
              "_format": lambda f, *a: re.sub(
                  r"\{(\d+)\}", lambda m: self.str(a[int(m.group(1))]), f),
              "_hash": self.hash_files,
              "_contains": lambda a, b: str(b).lower() in str(a).lower(),
              "_startswith": lambda a, b: str(a).lower().startswith(str(b).lower())}
        return eval("".join(py), {"__builtins__": {}}, ns)

    @staticmethod
    def str(value):
        if value is None:
            return ""
        if value is True or value is False:
            return "true" if value else "false"
        return str(value)

    def subst(self, text):
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: self.str(self.eval(m.group(1))),
                      str(text))

    def condition(self, text):
        if text is None:
            return not self.contexts.get("_failed")
        text = str(text).strip()
        if text.startswith("${{") and text.endswith("}}"):
            text = text[3:-2]
        uses_status = re.search(r"\b(always|success|failure|cancelled)\(", text)
        value = self.eval(text)
        if not uses_status and self.contexts.get("_failed"):
            return False
        return bool(value) and value != ""


def is_own_action(uses):
    return uses == "./" or uses.startswith("pitfall-tools/pitfall@")


def run_steps(sb, steps, contexts, project, indent, env):
    ex = Expr(contexts, project)
    for i, step in enumerate(steps):
        name = step.get("name") or step.get("uses") or "step %d" % (i + 1)
        label = "%sstep '%s'" % (indent, name)
        try:
            if not ex.condition(step.get("if")):
                say("%s: skipped (if: %s)" % (label, step.get("if")))
                continue
        except ValueError as e:
            fail(label, str(e))
            continue
        sid = step.get("id", "_step%d" % i)
        if "uses" in step:
            uses = step["uses"]
            with_ = {k: ex.subst(v) for k, v in (step.get("with") or {}).items()}
            if is_own_action(uses):
                say("%s: uses %s" % (label, uses))
                action = yaml.safe_load(open(os.path.join(sb.args.src, "action.yml")))
                outputs = run_action(sb, action, with_, contexts, project,
                                     indent + "  ", env)
                contexts["steps"][sid] = {"outputs": outputs}
                continue
            paths = with_.get("path", "")
            present = [p for p in paths.split() if os.path.exists(
                os.path.join(project, p))]
            say("%s: uses %s: not run (an action)%s" % (
                label, uses, "; path %s present" % " ".join(present) if present
                else ("; path %s absent" % paths if paths else "")))
            continue
        script = ex.subst(step["run"])
        if script.lstrip().startswith(NOT_TESTED):
            say("%s: not tested (%s)" % (label, script.strip().splitlines()[0][2:]))
            continue
        out_file = os.path.join(sb.work, "github-output")
        open(out_file, "w").close()
        path_file = os.path.join(sb.work, "github-path")
        open(path_file, "w").close()
        step_env = dict(env, GITHUB_OUTPUT=out_file, GITHUB_PATH=path_file)
        script_file = os.path.join(sb.work, "step.sh")
        with open(script_file, "w") as f:
            f.write(sb.adapt(script))
        r = run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script_file],
                project, step_env, check=False)
        outputs = dict(line.split("=", 1) for line in
                       open(out_file).read().splitlines() if "=" in line)
        contexts["steps"][sid] = {"outputs": outputs}
        for p in open(path_file).read().split():
            env["PATH"] = p + os.pathsep + env["PATH"]
        shown = "".join(", %s=%s" % kv for kv in sorted(outputs.items()))
        if r.returncode:
            contexts["_failed"] = True
            say("%s: failed (exit %d%s)\n%s" % (label, r.returncode, shown,
                                                 indent + "  | " + r.stdout.strip()[-2000:].replace("\n", "\n" + indent + "  | ")))
        else:
            say("%s: ok%s" % (label, shown))
            tail = r.stdout.strip().splitlines()[-8:]
            if tail:
                say(indent + "  | " + ("\n" + indent + "  | ").join(tail))


def run_action(sb, action, with_, contexts, project, indent, env):
    inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    inputs.update(with_)
    inner = dict(contexts, inputs=inputs, steps={})
    action_env = dict(env, GITHUB_ACTION_PATH=sb.tree)
    run_steps(sb, action["runs"]["steps"], inner, project, indent, action_env)
    if inner.get("_failed"):
        contexts["_failed"] = True
    ex = Expr(inner, project)
    outputs = {k: ex.subst(v["value"]) for k, v in action.get("outputs", {}).items()}
    say("%saction outputs: %s" % (indent, ", ".join(
        "%s=%s" % kv for kv in sorted(outputs.items()))))
    return outputs


def github_contexts(sb, project, inputs):
    sha = run(["git", "rev-parse", "HEAD"], project, sb.env).stdout.strip()
    return {"github": {"event_name": "pull_request", "base_ref": "main",
                       "head_ref": "feature", "ref_name": "feature", "sha": sha,
                       "workspace": project, "action_ref": "",
                       "run_id": "1", "run_attempt": "1"},
            "runner": {"os": "Linux", "temp": os.path.join(sb.work, "runner-temp")},
            "inputs": inputs, "steps": {}, "matrix": {}, "env": {}}


def ci_env(sb, project):
    temp = os.path.join(sb.work, "runner-temp")
    os.makedirs(temp, exist_ok=True)
    return dict(sb.env, GITHUB_WORKSPACE=project, RUNNER_TEMP=temp, CI="true",
                GITHUB_ACTIONS="true")


def run_github_workflow(sb, doc, where, project, inputs):
    on = doc.get("on") or doc.get(True) or {}
    declared = on.get("workflow_call", {}).get("inputs", {}) if isinstance(on, dict) else {}
    values = {k: str(v.get("default", "")) for k, v in declared.items()}
    values.update(inputs)
    for job, spec in doc["jobs"].items():
        say("%s: GitHub job %s" % (where, job))
        contexts = github_contexts(sb, project, values)
        run_steps(sb, spec.get("steps", []), contexts, project, "  ", ci_env(sb, project))
        say("  job %s: %s" % (job, "failed" if contexts.get("_failed") else "succeeded"))


def run_github_action(sb, doc, where, project, inputs):
    say("%s: GitHub action, inputs %s" % (where, inputs))
    contexts = github_contexts(sb, project, {})
    run_action(sb, doc, inputs, contexts, project, "  ", ci_env(sb, project))
    say("  action: %s" % ("failed" if contexts.get("_failed") else "succeeded"))


#===----------------------------------------------------------------------===#
# GitLab CI, pre-commit
#===----------------------------------------------------------------------===#

def expand(value, env):
    return re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), ""), str(value))


def run_gitlab_job(sb, name, job, where, project, variables):
    say("%s: GitLab job %s" % (where, name))
    env = dict(sb.env, CI="true", GITLAB_CI="true", CI_PROJECT_DIR=project,
               CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
               CI_PIPELINE_SOURCE="merge_request_event",
               CI_COMMIT_REF_SLUG="feature", CI_DEFAULT_BRANCH="main")
    env.update(variables)
    for k, v in (job.get("variables") or {}).items():
        env.setdefault(k, expand(v, env))
    lines = []
    for part in ("before_script", "script"):
        entries = job.get(part) or []
        for entry in ([entries] if isinstance(entries, str) else entries):
            if entry.lstrip().startswith(NOT_TESTED):
                say("  %s entry: not tested (%s)" % (part, entry.strip().splitlines()[0][2:]))
                continue
            lines.append(sb.adapt(entry))
    script = os.path.join(sb.work, "gitlab.sh")
    with open(script, "w") as f:
        f.write("\n".join(lines) + "\n")
    r = run(["bash", "-eo", "pipefail", script], project, env, check=False)
    say("  job %s: %s" % (name, "failed (exit %d)" % r.returncode if r.returncode
                           else "succeeded"))
    say("  | " + r.stdout.strip()[-2000:].replace("\n", "\n  | "))
    cache = job.get("cache") or {}
    for c in (cache if isinstance(cache, list) else [cache]):
        for p in c.get("paths", []):
            say("  cache path %s: %s" % (p, "present" if os.path.exists(
                os.path.join(project, p)) else "absent"))
    arts = job.get("artifacts") or {}
    for kind, f in (arts.get("reports") or {}).items():
        p = os.path.join(project, f)
        n = len(json.load(open(p))) if os.path.exists(p) and f.endswith(".json") else None
        say("  report %s %s: %s" % (kind, f, "%d entries" % n if n is not None else "absent"))
    for f in arts.get("paths", []):
        say("  artifact %s: %s" % (f, "present" if os.path.exists(
            os.path.join(project, f)) else "absent"))


def run_precommit(sb, doc, where, project):
    # The commit being made (on the CI project's branch): one more hazard,
    # staged.
    with open(os.path.join(project, "src", "loops.cpp"), "a") as f:
        f.write("\nvoid drop_write(int fd) { write(fd, \"x\", 1); }\n")
    run(["git", "add", "src/loops.cpp"], project, sb.env)
    staged = run(["git", "diff", "--cached", "--name-only"], project,
                 sb.env).stdout.split()
    for repo in doc["repos"]:
        for hook in repo.get("hooks", []):
            if hook.get("language") != "system":
                say("%s: hook %s: not run (language %s)" % (where, hook["id"],
                                                          hook.get("language")))
                continue
            files = [f for f in staged if re.search(hook.get("files", ""), f)
                     and not (hook.get("exclude") and re.search(hook["exclude"], f))]
            r = run(sb.adapt(hook["entry"]) + " " + " ".join(files), project,
                    sb.env, check=False)
            say("%s: pre-commit hook %s on %s: exit %d" % (
                where, hook["id"], " ".join(files), r.returncode))
            say("  | " + r.stdout.strip()[-2000:].replace("\n", "\n  | "))


def configure_command(sb):
    return sb.adapt("cmake -S . -B build -G Ninja -DCMAKE_CXX_COMPILER=clang++-19 "
                    "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON")


def run_yaml(sb, doc, where, new_project):
    if not isinstance(doc, dict):
        say("%s: YAML ok" % where)
        return
    if "jobs" in doc:
        run_github_workflow(sb, doc, where, new_project(),
                            {"configure": configure_command(sb)})
    elif "runs" in doc:
        run_github_action(sb, doc, where, new_project(), {"from-source": "true"})
    elif "repos" in doc:
        run_precommit(sb, doc, where, new_project())
    else:
        jobs = {k: v for k, v in doc.items()
                if isinstance(v, dict) and "script" in v}
        if not jobs:
            say("%s: YAML ok" % where)
            return
        project = new_project()
        for name, job in jobs.items():
            run_gitlab_job(sb, name, job, where, project,
                           {"PITFALL_CONFIGURE": configure_command(sb),
                            "PITFALL_PACKAGES": ""})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--obj", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--major", required=True)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    sb = Sandbox(args)
    files = []
    for pattern in args.files:  # relative to --src; globs expanded here
        found = sorted(glob.glob(os.path.join(args.src, pattern)))
        if not found:
            sys.exit("no such documentation file: " + pattern)
        files += [os.path.relpath(f, args.src) for f in found]
    for f in files:
        path = os.path.join(args.src, f)
        if f.endswith(".md"):
            run_markdown(sb, path, f)
        else:
            try:
                doc = yaml.safe_load(open(path))
            except yaml.YAMLError as e:
                fail(f, "invalid YAML: %s" % e)
                continue
            run_yaml(sb, doc, f, sb.ci_project)
    if failures:
        sys.exit("%d documentation command(s) failed:\n%s" % (
            len(failures), "\n".join(failures)))


if __name__ == "__main__":
    main()
