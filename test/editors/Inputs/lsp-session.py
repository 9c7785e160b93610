"""Drives a language server over stdio as an editor does and prints what an
editor would show, for FileCheck.

  lsp-session.py --root DIR [options] STEP... -- SERVER [ARGS...]

Steps, run in order:
  open:FILE            textDocument/didOpen, then waits for its diagnostics
  change:FILE:NEWTEXT  textDocument/didChange (full text from the file
                       NEWTEXT), then waits for the new version's diagnostics
  actions:FILE         textDocument/codeAction on each diagnostic of FILE
  quit                 shutdown + exit; prints the server's exit status

Printed lines:
  diagnostics FILE version N
  diag L:C-L:C SEVERITY [CODE] MESSAGE
    href URL                      the code's documentation link
    inline-fix TITLE              a quick fix sent with the diagnostic
  action KIND TITLE               a code action returned for a diagnostic
    edit L:C-L:C "TEXT"           one text edit of it
Lines and columns are 1-based.
"""
import argparse
import json
import os
import queue
import subprocess
import sys
import threading

TIMEOUT = 120
SEVERITY = {1: "error", 2: "warning", 3: "information", 4: "hint"}


def uri(path):
    return "file://" + os.path.abspath(path)


class Server:
    def __init__(self, argv, cwd):
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
        self.next_id = 0
        self.inbox = queue.Queue()
        self.diagnostics = {}  # uri -> last publishDiagnostics params
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = out.read(length)
            self.inbox.put(json.loads(body))

    def send(self, message):
        message["jsonrpc"] = "2.0"
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m)

    def wait(self, predicate):
        while True:
            try:
                m = self.inbox.get(timeout=TIMEOUT)
            except queue.Empty:
                sys.exit("lsp-session: timed out waiting for the server")
            if m is None:
                sys.exit("lsp-session: the server closed its output")
            if m.get("method") == "textDocument/publishDiagnostics":
                self.diagnostics[m["params"]["uri"]] = m["params"]
            elif "method" in m and "id" in m:
                # A request from the server (progress, configuration): accept.
                self.send({"id": m["id"], "result": None})
            if predicate(m):
                return m


def pos(p):
    return "%d:%d" % (p["line"] + 1, p["character"] + 1)


def rng(r):
    return pos(r["start"]) + "-" + pos(r["end"])


def print_edits(edit):
    changes = dict(edit.get("changes", {}))
    for dc in edit.get("documentChanges", []):
        changes.setdefault(dc["textDocument"]["uri"], []).extend(dc["edits"])
    for u in sorted(changes):
        for e in changes[u]:
            print("    edit %s %s %s" % (os.path.basename(u), rng(e["range"]),
                                       json.dumps(e["newText"])))


def print_diagnostics(params):
    print("diagnostics %s version %s" % (os.path.basename(params["uri"]),
                                         params.get("version")))
    for d in params["diagnostics"]:
        print("diag %s %s [%s] %s" % (rng(d["range"]),
                                      SEVERITY.get(d.get("severity"), "?"),
                                      d.get("code", ""),
                                      d["message"].replace("\n", " | ")))
        href = d.get("codeDescription", {}).get("href")
        if href:
            print("  href " + href)
        for a in d.get("codeActions", []):
            print("  inline-fix " + a["title"])


def main():
    if "--" not in sys.argv:
        sys.exit(__doc__)
    split = sys.argv.index("--")
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("steps", nargs="+")
    args = ap.parse_args(sys.argv[1:split])
    root = os.path.abspath(args.root)
    server = Server(sys.argv[split + 1:], root)
    server.request("initialize", {
        "processId": os.getpid(),
        "rootUri": uri(root),
        "capabilities": {
            "textDocument": {
                "publishDiagnostics": {"codeActionsInline": True},
                "codeAction": {"codeActionLiteralSupport": {
                    "codeActionKind": {"valueSet": ["quickfix"]}}},
            },
        },
    })
    server.notify("initialized", {})
    versions = {}
    for step in args.steps:
        kind, _, rest = step.partition(":")
        if kind in ("open", "change"):
            path, _, new = rest.partition(":")
            path = os.path.join(root, path)
            u = uri(path)
            versions[u] = versions.get(u, 0) + 1
            if kind == "open":
                server.notify("textDocument/didOpen", {"textDocument": {
                    "uri": u, "languageId": "cpp", "version": versions[u],
                    "text": open(path).read()}})
            else:
                server.notify("textDocument/didChange", {
                    "textDocument": {"uri": u, "version": versions[u]},
                    "contentChanges": [{"text": open(new).read()}]})
            v = versions[u]
            server.wait(lambda m: m.get("method") ==
                        "textDocument/publishDiagnostics" and
                        m["params"]["uri"] == u and
                        m["params"].get("version") == v)
            print_diagnostics(server.diagnostics[u])
        elif kind == "actions":
            u = uri(os.path.join(root, rest))
            for d in server.diagnostics[u]["diagnostics"]:
                reply = server.request("textDocument/codeAction", {
                    "textDocument": {"uri": u}, "range": d["range"],
                    "context": {"diagnostics": [d]}})
                for a in reply.get("result") or []:
                    print("action %s %s" % (a.get("kind", "-"), a["title"]))
                    if "edit" in a:
                        print_edits(a["edit"])
        elif kind == "quit":
            server.request("shutdown", None)
            server.notify("exit", None)
            print("exit status %d" % server.proc.wait(timeout=TIMEOUT))
        else:
            sys.exit("lsp-session: unknown step " + step)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
