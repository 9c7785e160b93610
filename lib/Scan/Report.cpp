//===--- Report.cpp - output formats, reading results back, fixes ---------===//
#include "pitfall/Scan/Report.h"
#include "pitfall/Scan/FileIO.h"
#include "pitfall/Scan/WholeProgram.h"

#include "pitfall/CheckList.h"
#include "pitfall/Version.h"

#include "clang/Tooling/Core/Diagnostic.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/YAMLTraits.h"

#include <map>
#include <unistd.h>

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

namespace pitfall {
namespace scan {

/// Where the documentation of pitfall's checks is published (docs/... is
/// appended), and pitfall's home page.
static constexpr llvm::StringLiteral DocsBase = PITFALL_DOCS_URL;
static constexpr llvm::StringLiteral HomePage = PITFALL_HOMEPAGE;

static const CheckInfo *pitfallCheck(llvm::StringRef Name) {
  for (const CheckInfo &C : allChecks())
    if (C.Name == Name)
      return &C;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Text
//===----------------------------------------------------------------------===//

static void writeLocation(const Location &L, llvm::raw_ostream &OS) {
  OS << L.File << ":" << L.Line << ":" << L.Column;
}

namespace {
/// Source excerpts as clang and clang-tidy print them: a line-number gutter,
/// the source line (tabs expanded), a caret under the location, '~' under
/// the text a fix-it replaces and the fix-it's text below:
///
///     4 |   std::thread t(work);
///       |   ~~~~~~~~~~~
///       |   std::jthread
///     5 | }
///       | ^
class SnippetPrinter {
public:
  explicit SnippetPrinter(llvm::raw_ostream &OS) : OS(OS) {}

  /// The excerpt for a diagnostic (\p IsNote: a note) at \p L with fix-its
  /// \p Fixes. As in clang, a diagnostic without fix-its at the location
  /// just shown repeats nothing, unless it is a warning after a note.
  void print(const Location &L, const std::vector<Edit> &Fixes, bool IsNote) {
    if (L.File.empty() || L.Line == 0)
      return;
    std::vector<const Edit *> Shown;
    for (const Edit &E : Fixes)
      if (E.File == L.File && E.Line != 0 && E.EndLine == E.Line &&
          !llvm::StringRef(E.Text).contains('\n'))
        Shown.push_back(&E);
    bool Repeat = L.File == Last.File && L.Line == Last.Line &&
                  L.Column == Last.Column && (!LastWasNote || IsNote);
    Last = L;
    LastWasNote = IsNote;
    if (Repeat && Shown.empty())
      return;
    // The location's line and the fix-its' lines; the span between them
    // when it is short.
    std::set<unsigned> Lines{L.Line};
    for (const Edit *E : Shown)
      Lines.insert(E->Line);
    if (*Lines.rbegin() - *Lines.begin() < MaxSpan)
      for (unsigned N = *Lines.begin(); N < *Lines.rbegin(); ++N)
        Lines.insert(N);
    unsigned Width =
        std::max<unsigned>(4, std::to_string(*Lines.rbegin()).size());
    for (unsigned N : Lines)
      printLine(L, N, Shown, Width);
  }

private:
  static constexpr unsigned MaxSpan = 16;
  static constexpr unsigned TabStop = 8;

  /// \p Text with tabs expanded; \p Columns maps each byte (and the end)
  /// to its display column.
  static std::string expand(llvm::StringRef Text,
                            std::vector<unsigned> &Columns) {
    std::string Out;
    unsigned Col = 0;
    for (char C : Text) {
      Columns.push_back(Col);
      if (C == '\t') {
        unsigned Next = (Col / TabStop + 1) * TabStop;
        Out.append(Next - Col, ' ');
        Col = Next;
        continue;
      }
      Out += C;
      if ((static_cast<unsigned char>(C) & 0xC0) != 0x80) // not a UTF-8 tail
        ++Col;
    }
    Columns.push_back(Col);
    return Out;
  }

  static void put(std::string &Line, unsigned Col, llvm::StringRef Text) {
    if (Line.size() < Col + Text.size())
      Line.resize(Col + Text.size(), ' ');
    Line.replace(Col, Text.size(), Text.str());
  }

  void printLine(const Location &L, unsigned N,
                 const std::vector<const Edit *> &Shown, unsigned Width) {
    std::vector<unsigned> Columns;
    std::string Text = expand(sourceLine(L.File, N), Columns);
    auto ColumnOf = [&](unsigned Column) { // 1-based byte column
      return Columns[std::min<size_t>(Column ? Column - 1 : 0,
                                      Columns.size() - 1)];
    };
    std::string Marks, FixText;
    for (const Edit *E : Shown) {
      if (E->Line != N)
        continue;
      unsigned Begin = ColumnOf(E->Column), End = ColumnOf(E->EndColumn);
      if (End > Begin)
        put(Marks, Begin, std::string(End - Begin, '~'));
      if (!E->Text.empty()) {
        unsigned At = FixText.empty() || Begin > FixText.size()
                          ? Begin
                          : FixText.size() + 1;
        put(FixText, At, E->Text);
      }
    }
    if (N == L.Line)
      put(Marks, ColumnOf(L.Column), "^");
    OS << llvm::format_decimal(N, Width + 1) << " | " << Text << "\n";
    llvm::StringRef Gutter = "| ";
    std::string Blank(Width + 2, ' ');
    if (!llvm::StringRef(Marks).rtrim().empty())
      OS << Blank << Gutter << llvm::StringRef(Marks).rtrim() << "\n";
    if (!FixText.empty())
      OS << Blank << Gutter << FixText << "\n";
  }

  llvm::raw_ostream &OS;
  Location Last;
  bool LastWasNote = false;
};
} // namespace

void writeText(const ScanResult &R, llvm::raw_ostream &OS) {
  SnippetPrinter Snippets(OS);
  for (const Failure &F : R.Failures) {
    for (const Event &E : F.Errors) {
      writeLocation(E.Loc, OS);
      OS << ": error: " << E.Message << " [clang-diagnostic-error]\n";
      Snippets.print(E.Loc, {}, /*IsNote=*/false);
    }
    OS << F.File << ": error: translation unit not scanned completely ("
       << F.Reason << "): " << F.Detail << " [pitfall-scan]\n";
  }
  for (const Finding &F : R.Findings) {
    writeLocation(F.Loc, OS);
    OS << ": " << severityName(F.Level) << ": " << F.Message << " [" << F.Check
       << "]\n";
    Snippets.print(F.Loc, F.Fixes, /*IsNote=*/false);
    for (const Event &N : F.Notes) {
      if (N.Loc.File.empty()) {
        OS << "note: " << N.Message << "\n";
        continue;
      }
      writeLocation(N.Loc, OS);
      OS << ": note: " << N.Message << "\n";
      Snippets.print(N.Loc, N.Fixes, /*IsNote=*/true);
    }
  }
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

/// A shard's summaries (the whole-program link step's input, WholeProgram.h).
static Array summariesToJSON(const ScanResult &R, llvm::StringRef SourceRoot) {
  Array Out;
  for (const std::shared_ptr<const TUSummary> &S : R.Summaries)
    Out.push_back(toJSON(*S, SourceRoot));
  return Out;
}

static bool summariesFromJSON(const Array *A, llvm::StringRef SourceRoot,
                              ScanResult &R, llvm::StringRef Path,
                              std::string &Error) {
  if (!A)
    return true;
  for (const Value &V : *A) {
    auto S = std::make_shared<TUSummary>();
    if (!fromJSON(V, *S, SourceRoot, Error)) {
      Error = (Path + ": " + Error).str();
      return false;
    }
    R.Summaries.push_back(std::move(S));
  }
  return true;
}

/// The TUs whose path-sensitive analysis used up its budget.
static Array overBudgetToJSON(const ScanResult &R, llvm::StringRef SourceRoot) {
  Array Out;
  for (const BudgetExhausted &B : R.OverBudget)
    Out.push_back(toJSON(B, SourceRoot));
  return Out;
}

static bool overBudgetFromJSON(const Array *A, llvm::StringRef SourceRoot,
                               ScanResult &R) {
  if (!A)
    return true;
  for (const Value &V : *A)
    if (!fromJSON(V, R.OverBudget.emplace_back(), SourceRoot))
      return false;
  return true;
}

std::string budgetExhaustedMessage(const BudgetExhausted &B) {
  return "path-sensitive analysis stopped at the analyzer budget (" +
         std::to_string(B.Budget) +
         " exploded-graph nodes, --analyzer-budget): " +
         std::to_string(B.FunctionsSkipped) +
         " top-level function(s) not explored after " +
         std::to_string(B.FunctionsAnalysed) +
         "; the findings made are reported";
}

void writeJSON(const ScanResult &R, llvm::StringRef SourceRoot,
               llvm::raw_ostream &OS) {
  Array Findings, Failures;
  for (const Finding &F : R.Findings)
    Findings.push_back(toJSON(F, SourceRoot));
  for (const Failure &F : R.Failures)
    Failures.push_back(toJSON(F, SourceRoot));
  Object Top{{"format", "pitfall-scan"},
             {"version", 1},
             {"tool", Object{{"name", "pitfall-scan"},
                             {"version", PITFALL_VERSION},
                             {"llvm", PITFALL_LLVM_VERSION_STRING}}},
             {"translationUnits", R.TranslationUnits},
             {"findings", std::move(Findings)},
             {"failures", std::move(Failures)}};
  if (!R.OverBudget.empty())
    Top["analyzerBudgetExhausted"] = overBudgetToJSON(R, SourceRoot);
  if (R.Link.CutThreads)
    Top["linkBudgetExhausted"] = Object{{"threads", R.Link.CutThreads},
                                        {"perThread", R.Link.PerThread},
                                        {"total", R.Link.Total}};
  if (!R.Summaries.empty())
    Top["summaries"] = summariesToJSON(R, SourceRoot);
  OS << llvm::formatv("{0:2}", Value(std::move(Top))) << "\n";
}

//===----------------------------------------------------------------------===//
// SARIF 2.1.0
//===----------------------------------------------------------------------===//

static std::string fileURI(llvm::StringRef AbsPath) {
  std::string URI = "file://";
  for (char C : AbsPath) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-_.~").contains(C))
      URI += C;
    else
      URI += llvm::formatv("%{0:X2}", (unsigned)(unsigned char)C).str();
  }
  return URI;
}

static std::string percentEncodePath(llvm::StringRef Path) {
  std::string Out;
  for (char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-_.~").contains(C))
      Out += C;
    else
      Out += llvm::formatv("%{0:X2}", (unsigned)(unsigned char)C).str();
  }
  return Out;
}

static Object artifactLocation(llvm::StringRef File, llvm::StringRef Root) {
  std::string Rel = relativeTo(File, Root);
  if (Rel != File)
    return Object{{"uri", percentEncodePath(Rel)}, {"uriBaseId", "SRCROOT"}};
  return Object{{"uri", fileURI(File)}};
}

static Object physicalLocation(const Location &L, llvm::StringRef Root) {
  Object Region{{"startLine", std::max(1u, L.Line)}};
  if (L.Column)
    Region["startColumn"] = L.Column;
  return Object{{"artifactLocation", artifactLocation(L.File, Root)},
                {"region", std::move(Region)}};
}

static Object sarifLocation(const Location &L, llvm::StringRef Root,
                            llvm::StringRef Message = "") {
  Object O{{"physicalLocation", physicalLocation(L, Root)}};
  if (!Message.empty())
    O["message"] = Object{{"text", Message}};
  return O;
}

static std::string clangTidyDocsURL(llvm::StringRef Check) {
  // clang-tidy's checks: <module>-<name> documented under <module>/<name>.
  static const char *const Modules[] = {
      "abseil",      "altera",      "android",     "boost",
      "bugprone",    "cert",        "concurrency", "cppcoreguidelines",
      "darwin",      "fuchsia",     "google",      "hicpp",
      "linuxkernel", "llvmlibc",    "llvm",        "misc",
      "modernize",   "mpi",         "objc",        "openmp",
      "performance", "portability", "readability", "zircon"};
  for (llvm::StringRef M : Modules)
    if (Check.starts_with(M) && Check.drop_front(M.size()).starts_with("-"))
      return ("https://clang.llvm.org/extra/clang-tidy/checks/" + M + "/" +
              Check.drop_front(M.size() + 1) + ".html")
          .str();
  if (Check.starts_with("clang-analyzer-"))
    return "https://clang.llvm.org/docs/analyzer/checkers.html";
  if (Check.starts_with("clang-diagnostic-"))
    return "https://clang.llvm.org/docs/DiagnosticsReference.html";
  return "https://clang.llvm.org/extra/clang-tidy/checks/list.html";
}

static Object sarifRule(llvm::StringRef Check) {
  if (const CheckInfo *C = pitfallCheck(Check)) {
    std::string Doc = (DocsBase + checkDocPath(*C)).str();
    std::string Help = C->Hazard.str() + ".";
    if (!C->AnalyzerChecker.empty())
      Help += " Also checked path-sensitively by the analyzer checker " +
              C->AnalyzerChecker.str() + ".";
    Help += " See " + Doc;
    return Object{
        {"id", Check},
        {"name", Check},
        {"shortDescription", Object{{"text", C->Hazard}}},
        {"fullDescription", Object{{"text", Help}}},
        {"helpUri", Doc},
        {"help",
         Object{{"text", Help},
                {"markdown", "**" + C->Hazard.str() + "**\n\n[" + Check.str() +
                                 " documentation](" + Doc + ")"}}},
        {"defaultConfiguration", Object{{"level", "warning"}}},
        {"properties", Object{{"tags", Array{"concurrency", "pitfall"}}}}};
  }
  std::string Doc = clangTidyDocsURL(Check);
  return Object{{"id", Check},
                {"name", Check},
                {"shortDescription", Object{{"text", Check}}},
                {"helpUri", Doc},
                {"help", Object{{"text", "See " + Doc}}}};
}

void writeSARIF(const ScanResult &R, llvm::StringRef SourceRoot,
                llvm::raw_ostream &OS) {
  // Rules: every pitfall check, then any other check that reported.
  std::vector<std::string> RuleIds;
  for (const CheckInfo &C : allChecks())
    RuleIds.push_back(C.Name.str());
  std::set<std::string> Others;
  for (const Finding &F : R.Findings)
    if (!pitfallCheck(F.Check))
      Others.insert(F.Check);
  RuleIds.insert(RuleIds.end(), Others.begin(), Others.end());
  std::map<std::string, unsigned> RuleIndex;
  Array Rules;
  for (const std::string &Id : RuleIds) {
    RuleIndex[Id] = Rules.size();
    Rules.push_back(sarifRule(Id));
  }

  Array Results;
  for (const Finding &F : R.Findings) {
    Object Res{{"ruleId", F.Check},
               {"ruleIndex", RuleIndex[F.Check]},
               {"level", severityName(F.Level)},
               {"message", Object{{"text", F.Message}}},
               {"locations", Array{sarifLocation(F.Loc, SourceRoot)}},
               {"partialFingerprints",
                Object{{"pitfallFingerprint/v1", F.Fingerprint}}}};
    if (!F.Notes.empty()) {
      Array Related;
      unsigned Id = 0;
      for (const Event &N : F.Notes) {
        if (N.Loc.File.empty())
          continue;
        Object L = sarifLocation(N.Loc, SourceRoot, N.Message);
        L["id"] = Id++;
        Related.push_back(std::move(L));
      }
      if (!Related.empty())
        Res["relatedLocations"] = std::move(Related);
    }
    if (!F.Flow.empty()) {
      Array Steps;
      for (const Event &E : F.Flow)
        if (!E.Loc.File.empty())
          Steps.push_back(Object{
              {"location", sarifLocation(E.Loc, SourceRoot, E.Message)}});
      if (!Steps.empty())
        Res["codeFlows"] = Array{Object{
            {"threadFlows", Array{Object{{"locations", std::move(Steps)}}}}}};
    }
    if (!F.Fixes.empty()) {
      std::map<std::string, Array> ByFile;
      for (const Edit &E : F.Fixes)
        ByFile[E.File].push_back(
            Object{{"deletedRegion", Object{{"startLine", E.Line},
                                            {"startColumn", E.Column},
                                            {"endLine", E.EndLine},
                                            {"endColumn", E.EndColumn},
                                            {"charOffset", E.Offset},
                                            {"charLength", E.Length}}},
                   {"insertedContent", Object{{"text", E.Text}}}});
      Array Changes;
      for (auto &[File, Reps] : ByFile)
        Changes.push_back(
            Object{{"artifactLocation", artifactLocation(File, SourceRoot)},
                   {"replacements", std::move(Reps)}});
      Res["fixes"] = Array{Object{
          {"description", Object{{"text", "apply the fix-it of " + F.Check}}},
          {"artifactChanges", std::move(Changes)}}};
    }
    Res["properties"] = Object{{"pitfall", toJSON(F, SourceRoot)}};
    Results.push_back(std::move(Res));
  }

  Array Notifications;
  Array FailureJSON;
  for (const Failure &F : R.Failures) {
    Notifications.push_back(
        Object{{"level", "error"},
               {"message",
                Object{{"text", "translation unit not scanned completely (" +
                                    F.Reason + "): " + F.Detail}}},
               {"locations", Array{sarifLocation({F.File, 1, 1}, SourceRoot)}},
               {"descriptor", Object{{"id", "pitfall-scan-" + F.Reason}}}});
    FailureJSON.push_back(toJSON(F, SourceRoot));
  }
  for (const BudgetExhausted &B : R.OverBudget)
    Notifications.push_back(
        Object{{"level", "warning"},
               {"message", Object{{"text", budgetExhaustedMessage(B)}}},
               {"locations", Array{sarifLocation({B.File, 1, 1}, SourceRoot)}},
               {"descriptor", Object{{"id", "pitfall-scan-analyzer-budget"}}}});

  llvm::SmallString<256> Root(SourceRoot);
  if (!Root.ends_with("/"))
    Root += "/";
  Object Run{
      {"tool", Object{{"driver", Object{{"name", "pitfall-scan"},
                                        {"version", PITFALL_VERSION},
                                        {"semanticVersion", PITFALL_VERSION},
                                        {"informationUri", HomePage},
                                        {"rules", std::move(Rules)}}}}},
      {"originalUriBaseIds",
       Object{{"SRCROOT", Object{{"uri", fileURI(Root)}}}}},
      {"invocations",
       Array{Object{{"executionSuccessful", R.Failures.empty()},
                    {"toolExecutionNotifications", std::move(Notifications)}}}},
      {"columnKind", "unicodeCodePoints"},
      {"results", std::move(Results)},
      {"properties", Object{{"translationUnits", R.TranslationUnits},
                            {"failures", std::move(FailureJSON)}}}};
  if (!R.OverBudget.empty())
    (*Run.getObject("properties"))["analyzerBudgetExhausted"] =
        overBudgetToJSON(R, SourceRoot);
  if (!R.Summaries.empty())
    (*Run.getObject("properties"))["summaries"] =
        summariesToJSON(R, SourceRoot);
  Object Log{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
             {"version", "2.1.0"},
             {"runs", Array{std::move(Run)}}};
  OS << llvm::formatv("{0:2}", Value(std::move(Log))) << "\n";
}

//===----------------------------------------------------------------------===//
// GitHub Actions annotations
//===----------------------------------------------------------------------===//

/// Escaping of workflow command properties and data.
static std::string ghEscape(llvm::StringRef S, bool Property) {
  std::string Out;
  for (char C : S) {
    switch (C) {
    case '%':
      Out += "%25";
      break;
    case '\r':
      Out += "%0D";
      break;
    case '\n':
      Out += "%0A";
      break;
    case ':':
      Out += Property ? "%3A" : ":";
      break;
    case ',':
      Out += Property ? "%2C" : ",";
      break;
    default:
      Out += C;
    }
  }
  return Out;
}

void writeGitHub(const ScanResult &R, llvm::StringRef SourceRoot,
                 llvm::raw_ostream &OS) {
  for (const Failure &F : R.Failures)
    OS << "::error file=" << ghEscape(relativeTo(F.File, SourceRoot), true)
       << ",title=" << ghEscape("pitfall-scan: " + F.Reason, true) << "::"
       << ghEscape("translation unit not scanned completely: " + F.Detail,
                   false)
       << "\n";
  for (const BudgetExhausted &B : R.OverBudget)
    OS << "::warning file=" << ghEscape(relativeTo(B.File, SourceRoot), true)
       << ",title=" << ghEscape("pitfall-scan: analyzer-budget", true)
       << "::" << ghEscape(budgetExhaustedMessage(B), false) << "\n";
  for (const Finding &F : R.Findings) {
    std::string Message = F.Message;
    for (const Event &N : F.Notes)
      Message += "\n" + relativeTo(N.Loc.File, SourceRoot) + ":" +
                 std::to_string(N.Loc.Line) + ": note: " + N.Message;
    // Workflow commands' levels: error, warning, notice.
    OS << "::"
       << (F.Level == Severity::Note ? llvm::StringRef("notice")
                                     : severityName(F.Level))
       << " file=" << ghEscape(relativeTo(F.Loc.File, SourceRoot), true)
       << ",line=" << F.Loc.Line << ",col=" << F.Loc.Column
       << ",title=" << ghEscape(F.Check, true)
       << "::" << ghEscape(Message, false) << "\n";
  }
}

//===----------------------------------------------------------------------===//
// Fixes
//===----------------------------------------------------------------------===//

void takeFixesFromNotes(ScanResult &R) {
  for (Finding &F : R.Findings) {
    if (!F.Fixes.empty())
      continue;
    const Event *WithFix = nullptr;
    unsigned Count = 0;
    for (const Event &N : F.Notes)
      if (!N.Fixes.empty()) {
        WithFix = &N;
        ++Count;
      }
    if (Count == 1)
      F.Fixes = WithFix->Fixes;
  }
}

void writeExportFixes(const ScanResult &R, llvm::raw_ostream &OS) {
  clang::tooling::TranslationUnitDiagnostics TUD;
  for (const Finding &F : R.Findings) {
    if (F.Fixes.empty())
      continue;
    clang::tooling::Diagnostic D;
    D.DiagnosticName = F.Check;
    D.DiagLevel = F.Level == Severity::Error
                      ? clang::tooling::Diagnostic::Error
                      : clang::tooling::Diagnostic::Warning;
    D.Message.Message = F.Message;
    D.Message.FilePath = F.Loc.File;
    unsigned Offset = 0;
    lineColumnToOffset(F.Loc.File, F.Loc.Line, F.Loc.Column, Offset);
    D.Message.FileOffset = Offset;
    for (const Edit &E : F.Fixes) {
      llvm::Error Err = D.Message.Fix[E.File].add(
          clang::tooling::Replacement(E.File, E.Offset, E.Length, E.Text));
      if (Err)
        llvm::consumeError(std::move(Err));
    }
    TUD.Diagnostics.push_back(std::move(D));
  }
  llvm::yaml::Output YAML(OS);
  YAML << TUD;
}

FixSummary applyFixes(const ScanResult &R, llvm::raw_ostream &Log) {
  struct Pending {
    const Edit *E;
    const Finding *F;
  };
  std::map<std::string, std::vector<Pending>> ByFile;
  for (const Finding &F : R.Findings)
    for (const Edit &E : F.Fixes)
      ByFile[E.File].push_back({&E, &F});
  FixSummary Summary;
  for (auto &[File, Edits] : ByFile) {
    llvm::stable_sort(Edits, [](const Pending &A, const Pending &B) {
      return std::make_pair(A.E->Offset, A.E->Length) <
             std::make_pair(B.E->Offset, B.E->Length);
    });
    auto Buf = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
    if (!Buf) {
      Log << "pitfall-scan: error: cannot read " << File << ": "
          << Buf.getError().message() << "; its fix-its were not applied\n";
      Summary.FailedFiles.push_back(File);
      continue;
    }
    // Renaming a new file into place would succeed in a writable directory
    // even when the file itself is read-only: ask first.
    if (::access(File.c_str(), W_OK) != 0) {
      Log << "pitfall-scan: error: cannot write " << File << ": "
          << std::error_code(errno, std::generic_category()).message()
          << "; its fix-its were not applied\n";
      Summary.FailedFiles.push_back(File);
      continue;
    }
    llvm::StringRef Old = (*Buf)->getBuffer();
    std::string New;
    unsigned Pos = 0, Applied = 0;
    for (const Pending &P : Edits) {
      const Edit &E = *P.E;
      bool Duplicate = false;
      if (E.Offset < Pos || E.Offset + E.Length > Old.size()) {
        // An identical edit from the same fix seen twice is not a conflict.
        Duplicate = &P != &Edits.front() && (&P - 1)->E->Offset == E.Offset &&
                    (&P - 1)->E->Length == E.Length &&
                    (&P - 1)->E->Text == E.Text;
        if (!Duplicate) {
          Log << File << ":" << E.Line << ":" << E.Column
              << ": warning: fix-it of " << P.F->Check
              << " conflicts with another fix-it and was not applied\n";
          ++Summary.Conflicts;
        }
        continue;
      }
      New += Old.slice(Pos, E.Offset);
      New += E.Text;
      Pos = E.Offset + E.Length;
      ++Applied;
    }
    New += Old.substr(Pos);
    std::string Error;
    if (!writeFileAtomically(
            File, [&](llvm::raw_ostream &OS) { OS << New; }, Error)) {
      Log << "pitfall-scan: error: cannot write " << File << ": " << Error
          << "; its fix-its were not applied\n";
      Summary.FailedFiles.push_back(File);
      continue;
    }
    Summary.Applied += Applied;
  }
  return Summary;
}

//===----------------------------------------------------------------------===//
// Reading results back
//===----------------------------------------------------------------------===//

bool readResult(llvm::StringRef Path, llvm::StringRef SourceRoot, ScanResult &R,
                std::string &Error) {
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf) {
    Error = ("cannot read " + Path + ": " + Buf.getError().message()).str();
    return false;
  }
  llvm::Expected<Value> V = parseJSONInput((*Buf)->getBuffer());
  if (!V) {
    Error = ("malformed JSON in " + Path + ": " + llvm::toString(V.takeError()))
                .str();
    return false;
  }
  const Object *Top = V->getAsObject();
  if (!Top) {
    Error = ("not a pitfall-scan JSON or SARIF 2.1.0 file: " + Path).str();
    return false;
  }
  auto Bad = [&](llvm::StringRef What) {
    Error = ("malformed " + What + " in " + Path).str();
    return false;
  };
  if (Top->getString("format") == "pitfall-scan") {
    R.TranslationUnits += Top->getInteger("translationUnits").value_or(0);
    if (const Array *A = Top->getArray("findings"))
      for (const Value &E : *A)
        if (!fromJSON(E, R.Findings.emplace_back(), SourceRoot))
          return Bad("finding");
    if (const Array *A = Top->getArray("failures"))
      for (const Value &E : *A)
        if (!fromJSON(E, R.Failures.emplace_back(), SourceRoot))
          return Bad("failure");
    if (!overBudgetFromJSON(Top->getArray("analyzerBudgetExhausted"),
                            SourceRoot, R))
      return Bad("analyzer budget entry");
    return summariesFromJSON(Top->getArray("summaries"), SourceRoot, R, Path,
                             Error);
  }
  if (Top->getString("version") == "2.1.0" && Top->getArray("runs")) {
    for (const Value &RunV : *Top->getArray("runs")) {
      const Object *Run = RunV.getAsObject();
      if (!Run)
        return Bad("SARIF run");
      if (const Object *Props = Run->getObject("properties")) {
        R.TranslationUnits += Props->getInteger("translationUnits").value_or(0);
        if (const Array *A = Props->getArray("failures"))
          for (const Value &E : *A)
            if (!fromJSON(E, R.Failures.emplace_back(), SourceRoot))
              return Bad("failure");
        if (!overBudgetFromJSON(Props->getArray("analyzerBudgetExhausted"),
                                SourceRoot, R))
          return Bad("analyzer budget entry");
        if (!summariesFromJSON(Props->getArray("summaries"), SourceRoot, R,
                               Path, Error))
          return false;
      }
      const Array *Results = Run->getArray("results");
      if (!Results)
        continue;
      for (const Value &ResV : *Results) {
        const Object *Res = ResV.getAsObject();
        if (!Res)
          return Bad("SARIF result");
        const Object *Props = Res->getObject("properties");
        const Value *Mine = Props ? Props->get("pitfall") : nullptr;
        if (Mine) {
          if (!fromJSON(*Mine, R.Findings.emplace_back(), SourceRoot))
            return Bad("SARIF result");
          continue;
        }
        // A SARIF result from another producer: keep what a baseline needs.
        Finding F;
        F.Check = Res->getString("ruleId").value_or("").str();
        // SARIF's levels: error, warning, note, none (and warning if absent).
        llvm::StringRef Level = Res->getString("level").value_or("warning");
        F.Level = parseSeverity(Level).value_or(
            Level == "none" ? Severity::Note : Severity::Warning);
        if (const Object *Msg = Res->getObject("message"))
          F.Message = Msg->getString("text").value_or("").str();
        if (const Object *FP = Res->getObject("partialFingerprints"))
          F.Fingerprint =
              FP->getString("pitfallFingerprint/v1").value_or("").str();
        R.Findings.push_back(std::move(F));
      }
    }
    return true;
  }
  Error = ("not a pitfall-scan JSON or SARIF 2.1.0 file: " + Path).str();
  return false;
}

//===----------------------------------------------------------------------===//
// git diff
//===----------------------------------------------------------------------===//

bool changedLines(
    llvm::StringRef Rev, llvm::StringRef Dir,
    llvm::StringMap<std::vector<std::pair<unsigned, unsigned>>> &Lines,
    std::string &Error) {
  llvm::ErrorOr<std::string> Git = llvm::sys::findProgramByName("git");
  if (!Git) {
    Error = "--diff needs git on PATH";
    return false;
  }
  llvm::SmallString<128> Out;
  if (std::error_code EC =
          llvm::sys::fs::createTemporaryFile("pitfall-scan-diff", "txt", Out)) {
    Error = "cannot create a temporary file: " + EC.message();
    return false;
  }
  auto RunGit = [&](llvm::ArrayRef<llvm::StringRef> Args) {
    std::optional<llvm::StringRef> Redirects[] = {
        std::nullopt, llvm::StringRef(Out), llvm::StringRef("")};
    std::string ErrMsg;
    return llvm::sys::ExecuteAndWait(*Git, Args, std::nullopt, Redirects, 0, 0,
                                     &ErrMsg);
  };
  std::string DirS = Dir.str();
  if (RunGit({"git", "-C", DirS, "rev-parse", "--show-toplevel"}) != 0) {
    Error = ("--diff: " + Dir + " is not inside a git work tree").str();
    return false;
  }
  auto Top = llvm::MemoryBuffer::getFile(Out);
  std::string TopLevel = Top ? (*Top)->getBuffer().trim().str() : "";
  std::string RevS = Rev.str();
  if (RunGit({"git", "-C", TopLevel, "diff", "--no-color", "--no-ext-diff",
              "--relative", "-U0", RevS, "--"}) != 0) {
    Error = ("--diff: git diff " + Rev + " failed (unknown revision?)").str();
    llvm::sys::fs::remove(Out);
    return false;
  }
  auto Diff = llvm::MemoryBuffer::getFile(Out);
  llvm::sys::fs::remove(Out);
  if (!Diff) {
    Error = "--diff: cannot read git's output";
    return false;
  }
  llvm::SmallVector<llvm::StringRef, 0> DiffLines;
  (*Diff)->getBuffer().split(DiffLines, '\n');
  std::string Current;
  for (llvm::StringRef L : DiffLines) {
    if (L.consume_front("+++ ")) {
      Current.clear();
      if (L.consume_front("b/"))
        Current = resolveAgainst(L, TopLevel);
      if (!Current.empty())
        Lines[Current]; // a changed file, possibly only deletions
      continue;
    }
    if (!L.starts_with("@@ ") || Current.empty())
      continue;
    // @@ -a[,b] +c[,d] @@
    size_t Plus = L.find(" +");
    if (Plus == llvm::StringRef::npos)
      continue;
    llvm::StringRef Range = L.drop_front(Plus + 2);
    Range = Range.take_until([](char C) { return C == ' '; });
    auto [StartS, CountS] = Range.split(',');
    unsigned Start = 0, Count = 1;
    if (StartS.getAsInteger(10, Start))
      continue;
    if (!CountS.empty() && CountS.getAsInteger(10, Count))
      continue;
    if (Count)
      Lines[Current].emplace_back(Start, Start + Count - 1);
  }
  return true;
}

} // namespace scan
} // namespace pitfall
