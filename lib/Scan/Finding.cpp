//===--- Finding.cpp - serialization and normalization of findings --------===//
#include "pitfall/Scan/Finding.h"
#include "pitfall/Scan/WholeProgram.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA1.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <memory>
#include <tuple>

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

namespace pitfall {
namespace scan {

llvm::StringRef originName(Origin O) {
  switch (O) {
  case Origin::Tidy:
    return "clang-tidy";
  case Origin::Analyzer:
    return "analyzer";
  case Origin::Both:
    return "clang-tidy+analyzer";
  }
  return "clang-tidy";
}

static Origin originFromName(llvm::StringRef S) {
  if (S == "analyzer")
    return Origin::Analyzer;
  if (S == "clang-tidy+analyzer")
    return Origin::Both;
  return Origin::Tidy;
}

std::string relativeTo(llvm::StringRef File, llvm::StringRef Root) {
  if (Root.empty() || !File.starts_with(Root))
    return File.str();
  llvm::StringRef Rest = File.drop_front(Root.size());
  if (Root.ends_with("/"))
    return Rest.str();
  if (!Rest.consume_front("/"))
    return File.str();
  return Rest.str();
}

std::string resolveAgainst(llvm::StringRef Path, llvm::StringRef Root) {
  if (Path.empty() || llvm::sys::path::is_absolute(Path) || Root.empty())
    return Path.str();
  llvm::SmallString<256> P(Root);
  llvm::sys::path::append(P, Path);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

//===----------------------------------------------------------------------===//
// Source text
//===----------------------------------------------------------------------===//

namespace {
struct FileText {
  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  std::vector<unsigned> LineStarts;
};
} // namespace

static const FileText *loadFile(llvm::StringRef File) {
  static llvm::StringMap<FileText> Files;
  auto It = Files.find(File);
  if (It != Files.end())
    return It->second.Buffer ? &It->second : nullptr;
  FileText &T = Files[File];
  auto Buf = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf)
    return nullptr;
  T.Buffer = std::move(*Buf);
  llvm::StringRef Text = T.Buffer->getBuffer();
  T.LineStarts.push_back(0);
  for (size_t I = 0, E = Text.size(); I != E; ++I)
    if (Text[I] == '\n')
      T.LineStarts.push_back(I + 1);
  return &T;
}

llvm::StringRef sourceLine(llvm::StringRef File, unsigned Line) {
  const FileText *T = loadFile(File);
  if (!T || Line == 0 || Line > T->LineStarts.size())
    return "";
  llvm::StringRef Text = T->Buffer->getBuffer();
  unsigned Begin = T->LineStarts[Line - 1];
  unsigned End =
      Line < T->LineStarts.size() ? T->LineStarts[Line] - 1 : Text.size();
  return Text.slice(Begin, End).rtrim("\r");
}

bool offsetToLineColumn(llvm::StringRef File, unsigned Offset, unsigned &Line,
                        unsigned &Column) {
  const FileText *T = loadFile(File);
  if (!T || Offset > T->Buffer->getBufferSize())
    return false;
  auto It = llvm::upper_bound(T->LineStarts, Offset);
  Line = It - T->LineStarts.begin();
  Column = Offset - T->LineStarts[Line - 1] + 1;
  return true;
}

bool lineColumnToOffset(llvm::StringRef File, unsigned Line, unsigned Column,
                        unsigned &Offset) {
  const FileText *T = loadFile(File);
  if (!T || Line == 0 || Line > T->LineStarts.size() || Column == 0)
    return false;
  Offset = T->LineStarts[Line - 1] + Column - 1;
  return true;
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

static Value locToJSON(const Location &L, llvm::StringRef Root) {
  return Object{{"file", relativeTo(L.File, Root)},
                {"line", L.Line},
                {"column", L.Column}};
}

static bool locFromJSON(const Value *V, Location &L, llvm::StringRef Root) {
  const Object *O = V ? V->getAsObject() : nullptr;
  if (!O)
    return false;
  std::optional<llvm::StringRef> File = O->getString("file");
  std::optional<int64_t> Line = O->getInteger("line");
  std::optional<int64_t> Col = O->getInteger("column");
  if (!File || !Line || !Col)
    return false;
  L.File = resolveAgainst(*File, Root);
  L.Line = *Line;
  L.Column = *Col;
  return true;
}

static Array editsToJSON(const std::vector<Edit> &Edits, llvm::StringRef Root) {
  Array Fixes;
  for (const Edit &E : Edits)
    Fixes.push_back(Object{{"file", relativeTo(E.File, Root)},
                           {"offset", E.Offset},
                           {"length", E.Length},
                           {"text", E.Text},
                           {"line", E.Line},
                           {"column", E.Column},
                           {"endLine", E.EndLine},
                           {"endColumn", E.EndColumn}});
  return Fixes;
}

static bool editsFromJSON(const Value *V, std::vector<Edit> &Edits,
                          llvm::StringRef Root) {
  if (!V)
    return true; // optional
  const Array *Fixes = V->getAsArray();
  if (!Fixes)
    return false;
  for (const Value &FV : *Fixes) {
    const Object *FO = FV.getAsObject();
    if (!FO)
      return false;
    Edit E;
    E.File = resolveAgainst(FO->getString("file").value_or(""), Root);
    E.Offset = FO->getInteger("offset").value_or(0);
    E.Length = FO->getInteger("length").value_or(0);
    E.Text = FO->getString("text").value_or("").str();
    E.Line = FO->getInteger("line").value_or(0);
    E.Column = FO->getInteger("column").value_or(0);
    E.EndLine = FO->getInteger("endLine").value_or(0);
    E.EndColumn = FO->getInteger("endColumn").value_or(0);
    Edits.push_back(std::move(E));
  }
  return true;
}

static Value eventsToJSON(const std::vector<Event> &Events,
                          llvm::StringRef Root) {
  Array A;
  for (const Event &E : Events) {
    Object O{{"location", locToJSON(E.Loc, Root)}, {"message", E.Message}};
    if (!E.Fixes.empty())
      O["fixes"] = editsToJSON(E.Fixes, Root);
    A.push_back(std::move(O));
  }
  return A;
}

static bool eventsFromJSON(const Value *V, std::vector<Event> &Events,
                           llvm::StringRef Root) {
  if (!V)
    return true; // optional
  const Array *A = V->getAsArray();
  if (!A)
    return false;
  for (const Value &E : *A) {
    const Object *O = E.getAsObject();
    if (!O)
      return false;
    Event Ev;
    if (!locFromJSON(O->get("location"), Ev.Loc, Root))
      return false;
    Ev.Message = O->getString("message").value_or("").str();
    if (!editsFromJSON(O->get("fixes"), Ev.Fixes, Root))
      return false;
    Events.push_back(std::move(Ev));
  }
  return true;
}

Value toJSON(const Finding &F, llvm::StringRef Root) {
  Array Fixes = editsToJSON(F.Fixes, Root);
  Object O{{"check", F.Check},
           {"level", severityName(F.Level)},
           {"message", F.Message},
           {"location", locToJSON(F.Loc, Root)},
           {"origin", originName(F.From)}};
  if (!F.AnalyzerChecker.empty())
    O["analyzerChecker"] = F.AnalyzerChecker;
  if (!F.Notes.empty())
    O["notes"] = eventsToJSON(F.Notes, Root);
  if (!F.Flow.empty())
    O["flow"] = eventsToJSON(F.Flow, Root);
  if (!Fixes.empty())
    O["fixes"] = std::move(Fixes);
  if (!F.Fingerprint.empty())
    O["fingerprint"] = F.Fingerprint;
  return O;
}

bool fromJSON(const Value &V, Finding &F, llvm::StringRef Root) {
  const Object *O = V.getAsObject();
  if (!O)
    return false;
  std::optional<llvm::StringRef> Check = O->getString("check");
  std::optional<llvm::StringRef> Message = O->getString("message");
  if (!Check || !Message || !locFromJSON(O->get("location"), F.Loc, Root))
    return false;
  F.Check = Check->str();
  F.Message = Message->str();
  F.Level = parseSeverity(O->getString("level").value_or(""))
                .value_or(Severity::Warning);
  F.From = originFromName(O->getString("origin").value_or(""));
  F.AnalyzerChecker = O->getString("analyzerChecker").value_or("").str();
  F.Fingerprint = O->getString("fingerprint").value_or("").str();
  return eventsFromJSON(O->get("notes"), F.Notes, Root) &&
         eventsFromJSON(O->get("flow"), F.Flow, Root) &&
         editsFromJSON(O->get("fixes"), F.Fixes, Root);
}

Value toJSON(const Failure &F, llvm::StringRef Root) {
  Object O{{"file", relativeTo(F.File, Root)},
           {"reason", F.Reason},
           {"detail", F.Detail}};
  if (!F.Errors.empty())
    O["errors"] = eventsToJSON(F.Errors, Root);
  return O;
}

bool fromJSON(const Value &V, Failure &F, llvm::StringRef Root) {
  const Object *O = V.getAsObject();
  if (!O)
    return false;
  std::optional<llvm::StringRef> File = O->getString("file");
  std::optional<llvm::StringRef> Reason = O->getString("reason");
  if (!File || !Reason)
    return false;
  F.File = resolveAgainst(*File, Root);
  F.Reason = Reason->str();
  F.Detail = O->getString("detail").value_or("").str();
  return eventsFromJSON(O->get("errors"), F.Errors, Root);
}

Value toJSON(const BudgetExhausted &B, llvm::StringRef Root) {
  return Object{{"file", relativeTo(B.File, Root)},
                {"budget", static_cast<int64_t>(B.Budget)},
                {"functionsAnalysed", B.FunctionsAnalysed},
                {"functionsSkipped", B.FunctionsSkipped}};
}

bool fromJSON(const Value &V, BudgetExhausted &B, llvm::StringRef Root) {
  const Object *O = V.getAsObject();
  if (!O)
    return false;
  std::optional<llvm::StringRef> File = O->getString("file");
  std::optional<int64_t> Budget = O->getInteger("budget");
  std::optional<int64_t> Analysed = O->getInteger("functionsAnalysed");
  std::optional<int64_t> Skipped = O->getInteger("functionsSkipped");
  if (!File || !Budget || !Analysed || !Skipped || *Budget < 0 ||
      *Analysed < 0 || *Skipped < 0)
    return false;
  B.File = resolveAgainst(*File, Root);
  B.Budget = *Budget;
  B.FunctionsAnalysed = *Analysed;
  B.FunctionsSkipped = *Skipped;
  return true;
}

TUStats &TUStats::operator+=(const TUStats &O) {
  Parse += O.Parse;
  Tidy += O.Tidy;
  Analyzer += O.Analyzer;
  FunctionsAnalysed += O.FunctionsAnalysed;
  FunctionsSkipped += O.FunctionsSkipped;
  FunctionsOverBudget += O.FunctionsOverBudget;
  AnalyzerNodes += O.AnalyzerNodes;
  CallsNotInlined += O.CallsNotInlined;
  AnalyzerSkippedTUs += O.AnalyzerSkippedTUs;
  AnalyzerUnfilteredTUs += O.AnalyzerUnfilteredTUs;
  return *this;
}

Value toJSON(const TUResult &R) {
  Array Findings, Failures, OverBudget, Inputs;
  for (const Finding &F : R.Findings)
    Findings.push_back(toJSON(F, ""));
  for (const Failure &F : R.Failures)
    Failures.push_back(toJSON(F, ""));
  for (const BudgetExhausted &B : R.OverBudget)
    OverBudget.push_back(toJSON(B, ""));
  for (const auto &[File, Hash] : R.Inputs)
    Inputs.push_back(Array{File, Hash});
  const TUStats &S = R.Stats;
  Object Out{
      {"findings", std::move(Findings)},
      {"failures", std::move(Failures)},
      {"analyzerBudgetExhausted", std::move(OverBudget)},
      {"inputs", std::move(Inputs)},
      {"stats",
       Object{{"parse", S.Parse},
              {"tidy", S.Tidy},
              {"analyzer", S.Analyzer},
              {"functionsAnalysed", S.FunctionsAnalysed},
              {"functionsSkipped", S.FunctionsSkipped},
              {"functionsOverBudget", S.FunctionsOverBudget},
              {"analyzerNodes", static_cast<int64_t>(S.AnalyzerNodes)},
              {"callsNotInlined", static_cast<int64_t>(S.CallsNotInlined)},
              {"analyzerSkipped", S.AnalyzerSkippedTUs},
              {"analyzerUnfiltered", S.AnalyzerUnfilteredTUs}}}};
  if (R.Summary)
    Out["summary"] = toJSON(*R.Summary, "");
  return Out;
}

bool fromJSON(const Value &V, TUResult &R) {
  const Object *O = V.getAsObject();
  if (!O)
    return false;
  if (const Array *A = O->getArray("findings"))
    for (const Value &E : *A)
      if (!fromJSON(E, R.Findings.emplace_back(), ""))
        return false;
  if (const Array *A = O->getArray("failures"))
    for (const Value &E : *A)
      if (!fromJSON(E, R.Failures.emplace_back(), ""))
        return false;
  if (const Array *A = O->getArray("analyzerBudgetExhausted"))
    for (const Value &E : *A)
      if (!fromJSON(E, R.OverBudget.emplace_back(), ""))
        return false;
  if (const Array *A = O->getArray("inputs"))
    for (const Value &E : *A) {
      const Array *Pair = E.getAsArray();
      if (!Pair || Pair->size() != 2)
        return false;
      R.Inputs.emplace_back((*Pair)[0].getAsString().value_or("").str(),
                            (*Pair)[1].getAsString().value_or("").str());
    }
  if (const Object *S = O->getObject("stats")) {
    R.Stats.Parse = S->getNumber("parse").value_or(0);
    R.Stats.Tidy = S->getNumber("tidy").value_or(0);
    R.Stats.Analyzer = S->getNumber("analyzer").value_or(0);
    R.Stats.FunctionsAnalysed = S->getInteger("functionsAnalysed").value_or(0);
    R.Stats.FunctionsSkipped = S->getInteger("functionsSkipped").value_or(0);
    R.Stats.FunctionsOverBudget =
        S->getInteger("functionsOverBudget").value_or(0);
    R.Stats.AnalyzerNodes = S->getInteger("analyzerNodes").value_or(0);
    R.Stats.CallsNotInlined = S->getInteger("callsNotInlined").value_or(0);
    R.Stats.AnalyzerSkippedTUs = S->getInteger("analyzerSkipped").value_or(0);
    R.Stats.AnalyzerUnfilteredTUs =
        S->getInteger("analyzerUnfiltered").value_or(0);
  }
  if (const Value *S = O->get("summary")) {
    auto Summary = std::make_shared<TUSummary>();
    std::string Error;
    if (!fromJSON(*S, *Summary, "", Error))
      return false;
    R.Summary = std::move(Summary);
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Normalization and fingerprints
//===----------------------------------------------------------------------===//

static auto sortKey(const Finding &F) {
  return std::tie(F.Loc.File, F.Loc.Line, F.Loc.Column, F.Check, F.Message);
}

void normalize(std::vector<Finding> &Findings) {
  llvm::stable_sort(Findings, [](const Finding &A, const Finding &B) {
    return sortKey(A) < sortKey(B);
  });
  // Exact duplicates: the first is kept, with the highest severity.
  std::vector<Finding> Unique;
  Unique.reserve(Findings.size());
  for (Finding &F : Findings) {
    if (!Unique.empty() && sortKey(Unique.back()) == sortKey(F)) {
      Unique.back().Level = std::max(Unique.back().Level, F.Level);
      continue;
    }
    Unique.push_back(std::move(F));
  }
  Findings = std::move(Unique);

  // One hazard found by both front ends on the same line: keep the tidy
  // finding (it carries the fix-its, and its severity: the check tells the
  // dismissible paths, such as a failed test assertion's, that the
  // analyzer explores like any other) and give it the analyzer's path.
  std::vector<Finding> Out;
  Out.reserve(Findings.size());
  for (Finding &F : Findings) {
    auto Twin = llvm::find_if(llvm::reverse(Out), [&](const Finding &P) {
      return P.Loc.File == F.Loc.File && P.Loc.Line == F.Loc.Line &&
             P.Check == F.Check && P.From != F.From && P.From != Origin::Both &&
             F.From != Origin::Both;
    });
    if (Twin == llvm::reverse(Out).end()) {
      Out.push_back(std::move(F));
      continue;
    }
    Finding &Kept = *Twin;
    Finding &Other = F;
    Finding &Tidy = Kept.From == Origin::Tidy ? Kept : Other;
    Finding &Analyzer = Kept.From == Origin::Tidy ? Other : Kept;
    Tidy.Flow = std::move(Analyzer.Flow);
    Tidy.AnalyzerChecker = std::move(Analyzer.AnalyzerChecker);
    Tidy.From = Origin::Both;
    if (&Tidy != &Kept)
      Kept = std::move(Tidy);
  }
  Findings = std::move(Out);
}

void normalize(std::vector<Failure> &Failures) {
  llvm::stable_sort(Failures, [](const Failure &A, const Failure &B) {
    return std::tie(A.File, A.Reason) < std::tie(B.File, B.Reason);
  });
  Failures.erase(std::unique(Failures.begin(), Failures.end(),
                             [](const Failure &A, const Failure &B) {
                               return A.File == B.File && A.Reason == B.Reason;
                             }),
                 Failures.end());
}

void normalize(std::vector<BudgetExhausted> &OverBudget) {
  llvm::stable_sort(OverBudget,
                    [](const BudgetExhausted &A, const BudgetExhausted &B) {
                      return A.File < B.File;
                    });
  OverBudget.erase(
      std::unique(OverBudget.begin(), OverBudget.end(),
                  [](const BudgetExhausted &A, const BudgetExhausted &B) {
                    return A.File == B.File;
                  }),
      OverBudget.end());
}

void computeFingerprints(std::vector<Finding> &Findings,
                         llvm::StringRef SourceRoot) {
  std::map<std::string, unsigned> Seen;
  for (Finding &F : Findings) {
    std::string Key;
    llvm::raw_string_ostream OS(Key);
    OS << F.Check << '\0' << relativeTo(F.Loc.File, SourceRoot) << '\0'
       << F.Message << '\0' << sourceLine(F.Loc.File, F.Loc.Line).trim();
    OS.flush();
    unsigned Index = Seen[Key]++;
    OS << '\0' << Index;
    OS.flush();
    auto Digest = llvm::SHA1::hash(llvm::arrayRefFromStringRef(Key));
    F.Fingerprint = llvm::toHex(Digest, /*LowerCase=*/true).substr(0, 32);
  }
}

} // namespace scan
} // namespace pitfall
