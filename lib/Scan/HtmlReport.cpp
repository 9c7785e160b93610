//===--- HtmlReport.cpp - pitfall-scan --format=html ----------------------===//
#include "pitfall/Scan/HtmlReport.h"

#include "pitfall/CheckList.h"
#include "pitfall/Version.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <map>
#include <set>

namespace pitfall {
namespace scan {

namespace {

/// Lines of context shown above and below a finding.
constexpr unsigned ContextLines = 3;

void escape(llvm::raw_ostream &OS, llvm::StringRef S) {
  for (char C : S) {
    switch (C) {
    case '&':
      OS << "&amp;";
      break;
    case '<':
      OS << "&lt;";
      break;
    case '>':
      OS << "&gt;";
      break;
    case '"':
      OS << "&quot;";
      break;
    case '\'':
      OS << "&#39;";
      break;
    default:
      OS << C;
    }
  }
}

/// A CSS-class-safe identifier for a check name.
std::string slug(llvm::StringRef S) {
  std::string Out;
  for (char C : S)
    Out += (llvm::isAlnum(C) ? C : '-');
  return Out;
}

llvm::StringRef hazardOf(llvm::StringRef Check) {
  for (const CheckInfo &C : allChecks())
    if (C.Name == Check)
      return C.Hazard;
  return "";
}

const char *Style = R"css(
:root { --bad: #b3261e; --warn: #a35c00; --note: #5f6368; --add: #e6ffed; --del: #ffeef0; --mark: #fff4c2; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1f1f1f; background: #fafafa; }
header { background: #1f2937; color: #fff; padding: 12px 20px; }
header h1 { font-size: 18px; margin: 0 0 4px; }
header .meta { opacity: .8; font-size: 12px; }
main { display: flex; gap: 20px; padding: 16px 20px; align-items: flex-start; }
nav { position: sticky; top: 12px; min-width: 260px; max-width: 320px; background: #fff;
      border: 1px solid #ddd; border-radius: 6px; padding: 10px 12px; }
nav h2 { font-size: 13px; margin: 8px 0 6px; text-transform: uppercase; color: #555; }
nav label { display: block; margin: 3px 0; cursor: pointer; }
nav .count { color: #666; font-variant-numeric: tabular-nums; }
nav ul { margin: 0; padding-left: 16px; }
#content { flex: 1; min-width: 0; }
section.check { margin-bottom: 24px; }
section.check > h2 { font-size: 16px; margin: 0 0 4px; }
section.check > p.hazard { margin: 0 0 10px; color: #444; }
section.file > h3 { font: 600 13px ui-monospace, monospace; margin: 12px 0 6px; color: #333; }
article.finding { background: #fff; border: 1px solid #ddd; border-left: 4px solid var(--bad);
                  border-radius: 4px; margin: 0 0 12px; padding: 8px 12px; }
article.finding .msg { font-weight: 600; }
article.finding .loc { font: 12px ui-monospace, monospace; color: #555; }
article.finding[data-severity=warning] { border-left-color: var(--warn); }
article.finding[data-severity=note] { border-left-color: var(--note); }
article.finding .sev { font-size: 11px; font-weight: 600; margin-right: 6px; color: var(--bad); }
article.finding[data-severity=warning] .sev { color: var(--warn); }
article.finding[data-severity=note] .sev { color: var(--note); }
article.finding .origin { font-size: 11px; color: #666; border: 1px solid #ccc; border-radius: 8px; padding: 0 6px; margin-left: 6px; }
pre.src { margin: 6px 0; background: #f6f8fa; border-radius: 4px; padding: 4px 0; overflow-x: auto;
          font: 12px/1.5 ui-monospace, monospace; }
pre.src span.l { display: block; padding: 0 8px; white-space: pre; }
pre.src span.l.hit { background: var(--mark); }
pre.src span.n { display: inline-block; width: 4em; color: #999; user-select: none; }
ol.steps { margin: 6px 0; padding-left: 22px; }
ol.steps li, ul.notes li { margin: 2px 0; }
ol.steps .loc, ul.notes .loc { color: #555; font: 12px ui-monospace, monospace; }
ul.notes { margin: 6px 0; padding-left: 18px; color: var(--note); }
.fix { margin: 6px 0; }
.fix .title { font-size: 12px; color: #555; }
pre.diff { margin: 2px 0; font: 12px/1.5 ui-monospace, monospace; background: #fff; border: 1px solid #eee; }
pre.diff span { display: block; padding: 0 8px; white-space: pre; }
pre.diff .del { background: var(--del); }
pre.diff .add { background: var(--add); }
.failure { background: #fff; border: 1px solid #e0b4b4; border-left: 4px solid #e67e22; padding: 8px 12px; margin: 0 0 10px; }
.hidden { display: none !important; }
#summary { font-weight: 600; }
#search { width: 100%; margin: 4px 0 2px; padding: 4px 6px; font: inherit; }
nav .files label { font: 12px ui-monospace, monospace; word-break: break-all; }
article.finding a.loc { color: #1a56a8; text-decoration: none; }
article.finding a.loc:hover { text-decoration: underline; }
pre.src:target { outline: 2px solid #1a56a8; }
pre.src.extra { display: none; }
pre.src.extra:target { display: block; }
pre.src .where { display: block; padding: 0 8px; color: #555; }
)css";

// Filtering: a checkbox per check and per file, and a text search over
// each finding's message, locations, notes and path; the summary says how
// many are shown. ?q=TEXT and ?file=PATH in the page's address preset them.
const char *Script = R"js(
(function () {
  var search = document.getElementById('search');
  function boxes(kind) { return document.querySelectorAll('nav input[data-' + kind + ']'); }
  function update() {
    var checks = {}, files = {};
    boxes('check').forEach(function (b) { checks[b.dataset.check] = b.checked; });
    boxes('file').forEach(function (b) { files[b.dataset.file] = b.checked; });
    var q = search ? search.value.trim().toLowerCase() : '';
    var shown = 0;
    document.querySelectorAll('article.finding').forEach(function (a) {
      var vis = checks[a.dataset.check] !== false && files[a.dataset.file] !== false &&
                (q === '' || a.textContent.toLowerCase().indexOf(q) >= 0);
      a.classList.toggle('hidden', !vis);
      if (vis) shown++;
    });
    document.querySelectorAll('section.file, section.check').forEach(function (s) {
      s.classList.toggle('hidden', s.querySelector('article.finding:not(.hidden)') === null);
    });
    var total = document.querySelectorAll('article.finding').length;
    document.getElementById('summary').textContent =
      shown + ' of ' + total + ' finding' + (total === 1 ? '' : 's') + ' shown';
  }
  ['check', 'file'].forEach(function (kind) {
    boxes(kind).forEach(function (b) { b.addEventListener('change', update); });
    var all = document.getElementById('toggle-' + kind + 's');
    if (all) all.addEventListener('click', function (e) {
      e.preventDefault();
      var any = Array.prototype.some.call(boxes(kind), function (b) { return !b.checked; });
      boxes(kind).forEach(function (b) { b.checked = any; });
      update();
    });
  });
  var params = new URLSearchParams(window.location.search);
  if (search) {
    if (params.get('q')) search.value = params.get('q');
    search.addEventListener('input', update);
  }
  if (params.get('file'))
    boxes('file').forEach(function (b) { b.checked = b.dataset.file === params.get('file'); });
  update();
})();
)js";

/// A location, linked to its source excerpt (\p Target, an element id).
void writeLoc(llvm::raw_ostream &OS, const Location &L, llvm::StringRef Root,
              llvm::StringRef Target) {
  OS << "<a class=\"loc\" href=\"#" << Target << "\">";
  escape(OS, relativeTo(L.File, Root));
  OS << ':' << L.Line << ':' << L.Column << "</a>";
}

/// The lines around \p L, its line marked, as an element with id \p Id.
/// \p Extra excerpts are shown only when a link leads to them.
void writeExcerpt(llvm::raw_ostream &OS, const Location &L, llvm::StringRef Id,
                  bool Extra, llvm::StringRef Root) {
  if (L.Line == 0)
    return;
  unsigned First = L.Line > ContextLines ? L.Line - ContextLines : 1;
  std::string Body;
  llvm::raw_string_ostream B(Body);
  bool Any = false;
  for (unsigned N = First; N <= L.Line + ContextLines; ++N) {
    llvm::StringRef Text = sourceLine(L.File, N);
    if (Text.empty() && N > L.Line)
      break; // past the end, or a blank line: stop after the finding
    Any |= !Text.empty();
    B << "<span class=\"l" << (N == L.Line ? " hit" : "")
      << "\"><span class=\"n\">" << N << "</span>";
    escape(B, Text);
    B << "</span>";
  }
  if (!Any)
    return;
  OS << "<pre class=\"src" << (Extra ? " extra" : "") << "\" id=\"" << Id
     << "\">";
  if (Extra) {
    OS << "<span class=\"where\">";
    escape(OS, relativeTo(L.File, Root));
    OS << ':' << L.Line << "</span>";
  }
  OS << Body << "</pre>\n";
}

/// Shows each fix-it edit as a before/after diff of the lines it touches.
void writeFix(llvm::raw_ostream &OS, const std::vector<Edit> &Edits,
              llvm::StringRef Root) {
  if (Edits.empty())
    return;
  OS << "<div class=\"fix\"><div class=\"title\">fix-it</div>\n";
  for (const Edit &E : Edits) {
    unsigned Line = E.Line, Col = E.Column;
    if (Line == 0 && !offsetToLineColumn(E.File, E.Offset, Line, Col))
      continue;
    unsigned EndLine = E.EndLine ? E.EndLine : Line;
    // Old text: the touched lines. New text: the same lines with the edit.
    std::string Old, New;
    for (unsigned N = Line; N <= EndLine; ++N) {
      if (!Old.empty())
        Old += '\n';
      Old += sourceLine(E.File, N).str();
    }
    unsigned StartCol = Col ? Col - 1 : 0;
    unsigned EndCol = E.EndColumn ? E.EndColumn - 1 : StartCol + E.Length;
    // Offsets within Old: the start is on the first line; the end on the last.
    size_t LastLineStart = Old.rfind('\n');
    LastLineStart = LastLineStart == std::string::npos ? 0 : LastLineStart + 1;
    size_t Begin = std::min<size_t>(StartCol, Old.size());
    size_t End = std::min<size_t>(EndLine == Line ? StartCol + E.Length
                                                  : LastLineStart + EndCol,
                                  Old.size());
    if (End < Begin)
      End = Begin;
    New = Old.substr(0, Begin) + E.Text + Old.substr(End);
    OS << "<pre class=\"diff\">";
    llvm::SmallVector<llvm::StringRef, 4> Lines;
    llvm::StringRef(Old).split(Lines, '\n');
    OS << "<span class=\"title\">";
    escape(OS, relativeTo(E.File, Root));
    OS << ':' << Line << "</span>";
    for (llvm::StringRef L : Lines) {
      OS << "<span class=\"del\">- ";
      escape(OS, L);
      OS << "</span>";
    }
    Lines.clear();
    llvm::StringRef(New).split(Lines, '\n');
    for (llvm::StringRef L : Lines) {
      OS << "<span class=\"add\">+ ";
      escape(OS, L);
      OS << "</span>";
    }
    OS << "</pre>\n";
  }
  OS << "</div>\n";
}

void writeFinding(llvm::raw_ostream &OS, const Finding &F, llvm::StringRef Id,
                  llvm::StringRef Root) {
  // One excerpt per distinct line the finding points at: the finding's own
  // (shown), its path's and notes' (shown when their link is followed).
  std::vector<std::pair<const Location *, std::string>> Excerpts;
  auto TargetOf = [&](const Location &L) -> std::string {
    for (const auto &[Loc, Target] : Excerpts)
      if (Loc->File == L.File && Loc->Line == L.Line)
        return Target;
    std::string Target = (Id + "-" + llvm::Twine(Excerpts.size())).str();
    Excerpts.emplace_back(&L, Target);
    return Target;
  };
  std::string Main = TargetOf(F.Loc);

  OS << "<article class=\"finding\" data-check=\"";
  escape(OS, F.Check);
  OS << "\" data-file=\"";
  escape(OS, relativeTo(F.Loc.File, Root));
  OS << "\" id=\"" << Id << "\" data-severity=\"" << severityName(F.Level)
     << "\">\n<div><span class=\"sev\">" << severityName(F.Level)
     << "</span><span class=\"msg\">";
  escape(OS, F.Message);
  OS << "</span>";
  if (F.From != Origin::Tidy) {
    OS << "<span class=\"origin\">";
    escape(OS, F.From == Origin::Both ? "clang-tidy + analyzer" : "analyzer");
    OS << "</span>";
  }
  OS << "</div>\n<div>";
  writeLoc(OS, F.Loc, Root, Main);
  OS << "</div>\n";
  writeExcerpt(OS, F.Loc, Main, /*Extra=*/false, Root);
  if (!F.Flow.empty()) {
    OS << "<ol class=\"steps\">\n";
    for (const Event &E : F.Flow) {
      OS << "<li>";
      escape(OS, E.Message);
      OS << " &mdash; ";
      writeLoc(OS, E.Loc, Root, TargetOf(E.Loc));
      OS << "</li>\n";
    }
    OS << "</ol>\n";
  }
  if (!F.Notes.empty()) {
    OS << "<ul class=\"notes\">\n";
    for (const Event &E : F.Notes) {
      OS << "<li>note: ";
      escape(OS, E.Message);
      if (!E.Loc.File.empty()) {
        OS << " &mdash; ";
        writeLoc(OS, E.Loc, Root, TargetOf(E.Loc));
      }
      OS << "</li>\n";
    }
    OS << "</ul>\n";
  }
  for (const auto &[Loc, Target] : llvm::drop_begin(Excerpts))
    writeExcerpt(OS, *Loc, Target, /*Extra=*/true, Root);
  writeFix(OS, F.Fixes, Root);
  OS << "</article>\n";
}

} // namespace

void writeHTMLReport(const ScanResult &Result, llvm::StringRef SourceRoot,
                     llvm::raw_ostream &OS) {
  // check -> file -> findings, each level sorted; findings keep the scan's
  // deterministic order.
  std::map<std::string, std::map<std::string, std::vector<const Finding *>>>
      Groups;
  for (const Finding &F : Result.Findings)
    Groups[F.Check][relativeTo(F.Loc.File, SourceRoot)].push_back(&F);
  // Anchors: the fingerprint (stable across scans) when there is one.
  std::map<const Finding *, std::string> Ids;
  std::set<std::string> Used;
  for (const Finding &F : Result.Findings) {
    std::string Id = "f-" + (F.Fingerprint.empty()
                                 ? std::to_string(&F - Result.Findings.data())
                                 : slug(F.Fingerprint));
    while (!Used.insert(Id).second)
      Id += "x";
    Ids[&F] = Id;
  }

  OS << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\">\n"
     << "<title>pitfall report</title>\n<style>" << Style << "</style>\n"
     << "</head><body>\n<header><h1>pitfall report</h1><div class=\"meta\">"
     << Result.Findings.size() << " findings in " << Result.TranslationUnits
     << " translation units";
  if (!Result.Failures.empty())
    OS << ", " << Result.Failures.size() << " not scanned completely";
  OS << " &middot; pitfall " << PITFALL_VERSION << " (LLVM "
     << PITFALL_LLVM_VERSION_STRING << ")</div></header>\n<main>\n<nav>\n"
     << "<div id=\"summary\">" << Result.Findings.size() << " findings</div>\n"
     << "<input type=\"search\" id=\"search\" placeholder=\"search "
        "messages, files, notes\" aria-label=\"search findings\">\n"
     << "<h2>Checks</h2>\n";
  for (const auto &[Check, Files] : Groups) {
    size_t N = 0;
    for (const auto &KV : Files)
      N += KV.second.size();
    OS << "<label><input type=\"checkbox\" checked data-check=\"";
    escape(OS, Check);
    OS << "\"> ";
    escape(OS, Check);
    OS << " <span class=\"count\">(" << N << ")</span></label>\n";
  }
  if (!Groups.empty())
    OS << "<p><a href=\"#\" id=\"toggle-checks\">all / none</a></p>\n";
  OS << "<h2>Files</h2>\n<div class=\"files\">\n";
  std::map<std::string, size_t> PerFile;
  for (const Finding &F : Result.Findings)
    ++PerFile[relativeTo(F.Loc.File, SourceRoot)];
  for (const auto &[File, N] : PerFile) {
    OS << "<label><input type=\"checkbox\" checked data-file=\"";
    escape(OS, File);
    OS << "\"> ";
    escape(OS, File);
    OS << " <span class=\"count\">(" << N << ")</span></label>\n";
  }
  if (!PerFile.empty())
    OS << "<p><a href=\"#\" id=\"toggle-files\">all / none</a></p>\n";
  OS << "</div>\n</nav>\n<div id=\"content\">\n";

  if (!Result.Failures.empty()) {
    OS << "<section class=\"failures\"><h2>Not scanned completely</h2>\n";
    for (const Failure &F : Result.Failures) {
      OS << "<div class=\"failure\"><b>";
      escape(OS, relativeTo(F.File, SourceRoot));
      OS << "</b>: ";
      escape(OS, F.Reason);
      if (!F.Detail.empty()) {
        OS << " &mdash; ";
        escape(OS, F.Detail);
      }
      OS << "</div>\n";
    }
    OS << "</section>\n";
  }
  if (Groups.empty())
    OS << "<p>No findings.</p>\n";
  for (const auto &[Check, Files] : Groups) {
    OS << "<section class=\"check\" id=\"check-" << slug(Check) << "\"><h2>";
    escape(OS, Check);
    OS << "</h2>\n";
    llvm::StringRef Hazard = hazardOf(Check);
    if (!Hazard.empty()) {
      OS << "<p class=\"hazard\">";
      escape(OS, Hazard);
      OS << "</p>\n";
    }
    for (const auto &[File, Findings] : Files) {
      OS << "<section class=\"file\"><h3>";
      escape(OS, File);
      OS << "</h3>\n";
      for (const Finding *F : Findings)
        writeFinding(OS, *F, Ids[F], SourceRoot);
      OS << "</section>\n";
    }
    OS << "</section>\n";
  }
  OS << "</div>\n</main>\n<script>" << Script << "</script>\n</body></html>\n";
}

} // namespace scan
} // namespace pitfall
