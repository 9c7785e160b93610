//===--- CheckList.h - metadata about pitfall's checks --------------------===//
#ifndef PITFALL_CHECKLIST_H
#define PITFALL_CHECKLIST_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace pitfall {

struct CheckInfo {
  llvm::StringRef Name;            ///< e.g. "pitfall-unjoined-thread"
  llvm::StringRef Hazard;          ///< one-line description
  llvm::StringRef AnalyzerChecker; ///< e.g. "pitfall.ThreadJoin" or ""

  /// "unjoined-thread": the stem of docs/checks/<stem>.md and test files.
  llvm::StringRef docStem() const {
    return Name.drop_front(sizeof("pitfall-") - 1);
  }
};

/// Every check, in the order of Checks.def.
llvm::ArrayRef<CheckInfo> allChecks();

/// The check's documentation page, relative to the source tree
/// ("docs/checks/unjoined-thread.md").
std::string checkDocPath(const CheckInfo &Info);

} // namespace pitfall

#endif
