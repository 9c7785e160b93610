#!/usr/bin/env python3
"""validate_sarif.py FILE

Checks FILE against the required properties and value constraints of the
SARIF 2.1.0 schema (sarif-schema-2.1.0.json) for the objects pitfall-scan
writes: sarifLog, run, tool/toolComponent, reportingDescriptor, result,
location/physicalLocation/artifactLocation/region, message, codeFlow/
threadFlow/threadFlowLocation, fix/artifactChange/replacement, invocation,
notification. Standard library only (no jsonschema from PyPI).

Prints "SARIF OK: N result(s), M rule(s)" or every violation with its JSON
path and exits 1.
"""
import json
import sys

errors = []


def err(path, msg):
    errors.append("%s: %s" % (path, msg))


def obj(v, path, required=()):
    if not isinstance(v, dict):
        err(path, "expected an object")
        return False
    for r in required:
        if r not in v:
            err(path, "missing required property '%s'" % r)
    return True


def arr(v, path, min_items=0, unique=False):
    if not isinstance(v, list):
        err(path, "expected an array")
        return False
    if len(v) < min_items:
        err(path, "expected at least %d item(s)" % min_items)
    if unique:
        seen = [json.dumps(x, sort_keys=True) for x in v]
        if len(seen) != len(set(seen)):
            err(path, "items must be unique")
    return True


def string(v, path):
    if not isinstance(v, str):
        err(path, "expected a string")


def integer(v, path, minimum=None):
    if not isinstance(v, int) or isinstance(v, bool):
        err(path, "expected an integer")
    elif minimum is not None and v < minimum:
        err(path, "must be >= %d" % minimum)


def message(v, path):
    if not obj(v, path):
        return
    if "text" not in v and "id" not in v:
        err(path, "message needs 'text' or 'id'")
    if "text" in v:
        string(v["text"], path + ".text")


def multiformat(v, path):
    if obj(v, path, ["text"]):
        string(v["text"], path + ".text")


def artifact_location(v, path, base_ids):
    if not obj(v, path):
        return
    if "uri" in v:
        string(v["uri"], path + ".uri")
        if v["uri"].startswith("/"):
            err(path, "absolute path without a scheme is not a URI reference")
    if "uriBaseId" in v:
        string(v["uriBaseId"], path + ".uriBaseId")
        if v["uriBaseId"] not in base_ids:
            err(path, "uriBaseId '%s' not in run.originalUriBaseIds"
                % v["uriBaseId"])
        if "uri" in v and ":" in v["uri"].split("/")[0]:
            err(path, "a uri with a uriBaseId must be relative")


def region(v, path):
    if not obj(v, path):
        return
    for k in ("startLine", "endLine", "startColumn", "endColumn"):
        if k in v:
            integer(v[k], path + "." + k, 1)
    for k in ("charOffset", "charLength", "byteOffset", "byteLength"):
        if k in v:
            integer(v[k], path + "." + k, 0)
    if not any(k in v for k in ("startLine", "charOffset", "byteOffset")):
        err(path, "region needs startLine, charOffset or byteOffset")
    if "endLine" in v and "startLine" in v and v["endLine"] < v["startLine"]:
        err(path, "endLine < startLine")


def physical_location(v, path, base_ids):
    if not obj(v, path):
        return
    if "artifactLocation" not in v and "address" not in v:
        err(path, "physicalLocation needs artifactLocation or address")
    if "artifactLocation" in v:
        artifact_location(v["artifactLocation"], path + ".artifactLocation",
                          base_ids)
    if "region" in v:
        region(v["region"], path + ".region")


def location(v, path, base_ids):
    if not obj(v, path):
        return
    if "id" in v:
        integer(v["id"], path + ".id", -1)
    if "physicalLocation" in v:
        physical_location(v["physicalLocation"], path + ".physicalLocation",
                          base_ids)
    if "message" in v:
        message(v["message"], path + ".message")


def reporting_descriptor(v, path):
    if not obj(v, path, ["id"]):
        return
    string(v["id"], path + ".id")
    for k in ("shortDescription", "fullDescription"):
        if k in v:
            multiformat(v[k], path + "." + k)
    if "help" in v:
        multiformat(v["help"], path + ".help")
    if "helpUri" in v:
        string(v["helpUri"], path + ".helpUri")
        if "://" not in v["helpUri"]:
            err(path + ".helpUri", "expected an absolute URI")
    if "defaultConfiguration" in v:
        dc = v["defaultConfiguration"]
        if obj(dc, path + ".defaultConfiguration") and "level" in dc:
            if dc["level"] not in ("none", "note", "warning", "error"):
                err(path + ".defaultConfiguration.level", "bad level")


def code_flow(v, path, base_ids):
    if not obj(v, path, ["threadFlows"]):
        return
    if arr(v["threadFlows"], path + ".threadFlows", 1):
        for i, tf in enumerate(v["threadFlows"]):
            p = "%s.threadFlows[%d]" % (path, i)
            if obj(tf, p, ["locations"]) and arr(tf["locations"],
                                                  p + ".locations", 1):
                for j, tfl in enumerate(tf["locations"]):
                    q = "%s.locations[%d]" % (p, j)
                    if obj(tfl, q) and "location" in tfl:
                        location(tfl["location"], q + ".location", base_ids)


def fix(v, path, base_ids):
    if not obj(v, path, ["artifactChanges"]):
        return
    if "description" in v:
        message(v["description"], path + ".description")
    if arr(v["artifactChanges"], path + ".artifactChanges", 1):
        for i, ch in enumerate(v["artifactChanges"]):
            p = "%s.artifactChanges[%d]" % (path, i)
            if not obj(ch, p, ["artifactLocation", "replacements"]):
                continue
            artifact_location(ch["artifactLocation"], p + ".artifactLocation",
                              base_ids)
            if arr(ch["replacements"], p + ".replacements", 1):
                for j, rep in enumerate(ch["replacements"]):
                    q = "%s.replacements[%d]" % (p, j)
                    if obj(rep, q, ["deletedRegion"]):
                        region(rep["deletedRegion"], q + ".deletedRegion")
                        if "insertedContent" in rep:
                            obj(rep["insertedContent"], q + ".insertedContent")


def result(v, path, rules, base_ids):
    if not obj(v, path, ["message"]):
        return
    message(v["message"], path + ".message")
    if "ruleId" in v:
        string(v["ruleId"], path + ".ruleId")
    if "ruleIndex" in v:
        integer(v["ruleIndex"], path + ".ruleIndex", -1)
        if 0 <= v["ruleIndex"] < len(rules):
            if "ruleId" in v and rules[v["ruleIndex"]].get("id") != v["ruleId"]:
                err(path, "ruleIndex does not point at rule '%s'" % v["ruleId"])
        elif v["ruleIndex"] >= 0:
            err(path + ".ruleIndex", "out of range")
    if "level" in v and v["level"] not in ("none", "note", "warning", "error"):
        err(path + ".level", "bad level '%s'" % v["level"])
    if "kind" in v and v["kind"] not in ("notApplicable", "pass", "fail",
                                         "review", "open", "informational"):
        err(path + ".kind", "bad kind")
    for k in ("locations", "relatedLocations"):
        if k in v and arr(v[k], path + "." + k):
            for i, loc in enumerate(v[k]):
                location(loc, "%s.%s[%d]" % (path, k, i), base_ids)
    if "partialFingerprints" in v and obj(v["partialFingerprints"],
                                          path + ".partialFingerprints"):
        for k, fp in v["partialFingerprints"].items():
            string(fp, path + ".partialFingerprints." + k)
    if "codeFlows" in v and arr(v["codeFlows"], path + ".codeFlows"):
        for i, cf in enumerate(v["codeFlows"]):
            code_flow(cf, "%s.codeFlows[%d]" % (path, i), base_ids)
    if "fixes" in v and arr(v["fixes"], path + ".fixes"):
        for i, fx in enumerate(v["fixes"]):
            fix(fx, "%s.fixes[%d]" % (path, i), base_ids)
    if "properties" in v:
        obj(v["properties"], path + ".properties")


def run(v, path):
    if not obj(v, path, ["tool"]):
        return 0, 0
    base_ids = {}
    if "originalUriBaseIds" in v and obj(v["originalUriBaseIds"],
                                         path + ".originalUriBaseIds"):
        base_ids = v["originalUriBaseIds"]
        for k, al in base_ids.items():
            p = path + ".originalUriBaseIds." + k
            if obj(al, p) and "uri" in al:
                if not al["uri"].endswith("/"):
                    err(p + ".uri", "a base URI must end with '/'")
                if "://" not in al["uri"] and "uriBaseId" not in al:
                    err(p + ".uri", "a top-level base URI must be absolute")
    tool = v["tool"]
    rules = []
    if obj(tool, path + ".tool", ["driver"]):
        drv = tool["driver"]
        if obj(drv, path + ".tool.driver", ["name"]):
            string(drv["name"], path + ".tool.driver.name")
            if "rules" in drv and arr(drv["rules"], path + ".tool.driver.rules",
                                      unique=True):
                rules = drv["rules"]
                for i, r in enumerate(rules):
                    reporting_descriptor(r, "%s.tool.driver.rules[%d]" % (path, i))
                ids = [r.get("id") for r in rules if isinstance(r, dict)]
                if len(ids) != len(set(ids)):
                    err(path + ".tool.driver.rules", "duplicate rule ids")
    if "invocations" in v and arr(v["invocations"], path + ".invocations"):
        for i, inv in enumerate(v["invocations"]):
            p = "%s.invocations[%d]" % (path, i)
            if obj(inv, p, ["executionSuccessful"]):
                if not isinstance(inv["executionSuccessful"], bool):
                    err(p + ".executionSuccessful", "expected a boolean")
                for k in ("toolExecutionNotifications",
                          "toolConfigurationNotifications"):
                    if k in inv and arr(inv[k], p + "." + k):
                        for j, n in enumerate(inv[k]):
                            q = "%s.%s[%d]" % (p, k, j)
                            if obj(n, q, ["message"]):
                                message(n["message"], q + ".message")
                                for m, loc in enumerate(n.get("locations", [])):
                                    location(loc, "%s.locations[%d]" % (q, m),
                                             base_ids)
    n = 0
    if "results" in v and arr(v["results"], path + ".results"):
        for i, res in enumerate(v["results"]):
            result(res, "%s.results[%d]" % (path, i), rules, base_ids)
        n = len(v["results"])
    if "columnKind" in v and v["columnKind"] not in ("utf16CodeUnits",
                                                     "unicodeCodePoints"):
        err(path + ".columnKind", "bad columnKind")
    return n, len(rules)


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    with open(sys.argv[1]) as f:
        try:
            log = json.load(f)
        except ValueError as e:
            print("not JSON: %s" % e)
            return 1
    results = rules = 0
    if obj(log, "$", ["version", "runs"]):
        if log["version"] != "2.1.0":
            err("$.version", "expected '2.1.0'")
        if "$schema" in log:
            string(log["$schema"], "$.$schema")
        if arr(log["runs"], "$.runs"):
            for i, r in enumerate(log["runs"]):
                n, m = run(r, "$.runs[%d]" % i)
                results += n
                rules += m
    if errors:
        for e in errors:
            print("SARIF error: " + e)
        return 1
    print("SARIF OK: %d result(s), %d rule(s)" % (results, rules))
    return 0


if __name__ == "__main__":
    sys.exit(main())
