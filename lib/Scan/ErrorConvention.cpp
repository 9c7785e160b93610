//===--- ErrorConvention.cpp - the program's convention for dropped results
//===//
//
// pitfall-ignored-error over the whole program: each TU's check hands its
// call sites (whether each uses or drops the callee's error result) and its
// discarded-result findings to the summary (TUSummary::Errors); here, after
// the last TU (or in `merge`), the sites of every TU are counted, each once,
// and the findings of callees the program drops by convention are left out
// or made notes (Flow/ErrorConvention.h, docs/checks/ignored-error.md).
//
//===----------------------------------------------------------------------===//
#include "pitfall/Flow/ErrorConvention.h"
#include "pitfall/Scan/WholeProgram.h"

#include "llvm/ADT/StringMap.h"

#include <map>
#include <set>
#include <tuple>

namespace pitfall {
namespace scan {

namespace {
using Place = std::tuple<std::string, unsigned, unsigned>;
Place placeOf(const Location &L) { return {L.File, L.Line, L.Column}; }
} // namespace

void applyErrorConvention(ScanResult &R) {
  // A header's call site is in every TU that includes it: once.
  std::set<std::pair<std::string, Place>> Seen;
  llvm::StringMap<ErrorUseCounts> Counts;
  std::map<Place, const ErrorUseFinding *> Findings;
  for (const std::shared_ptr<const TUSummary> &S : R.Summaries) {
    for (const ErrorUseSite &U : S->Errors.Sites)
      if (Seen.emplace(U.Callee, placeOf(U.Loc)).second)
        ++(U.Dropped ? Counts[U.Callee].Dropped : Counts[U.Callee].Used);
    for (const ErrorUseFinding &F : S->Errors.Findings)
      Findings.emplace(placeOf(F.Loc), &F);
  }
  if (Findings.empty())
    return;
  llvm::erase_if(R.Findings, [&](Finding &F) {
    // Only the discarded results (the check's other findings at the same
    // place, a store never read, are not about the callee's convention).
    if (F.Check != "pitfall-ignored-error" ||
        !llvm::StringRef(F.Message).ends_with(" is discarded"))
      return false;
    auto It = Findings.find(placeOf(F.Loc));
    if (It == Findings.end() ||
        !droppedByConvention(Counts.lookup(It->second->Callee)))
      return false;
    if (!It->second->ReportAsNote)
      return true;
    F.Level = Severity::Note;
    return false;
  });
}

} // namespace scan
} // namespace pitfall
