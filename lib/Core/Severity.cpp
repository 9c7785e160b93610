//===--- Severity.cpp - how sure a finding is -----------------------------===//
#include "pitfall/Core/Severity.h"

#include "clang/Basic/SourceManager.h"

namespace pitfall {

namespace {
thread_local SeverityRecorder *Current = nullptr;
} // namespace

llvm::StringRef severityName(Severity S) {
  switch (S) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  }
  return "warning";
}

std::optional<Severity> parseSeverity(llvm::StringRef Name) {
  for (Severity S : {Severity::Note, Severity::Warning, Severity::Error})
    if (Name == severityName(S))
      return S;
  return std::nullopt;
}

SeverityRecorder::~SeverityRecorder() = default;

ScopedSeverityRecorder::ScopedSeverityRecorder(SeverityRecorder &R)
    : Previous(Current) {
  Current = &R;
}

ScopedSeverityRecorder::~ScopedSeverityRecorder() { Current = Previous; }

void recordSeverity(llvm::StringRef Reporter, const clang::SourceManager &SM,
                    clang::SourceLocation Loc, Severity S) {
  if (!Current || Loc.isInvalid())
    return;
  // Where clang-tidy shows the diagnostic: the file location of a macro
  // expansion, in the file the source manager opened under this name.
  clang::SourceLocation FileLoc = SM.getFileLoc(Loc);
  Current->record(Reporter, SM.getFilename(FileLoc), SM.getFileOffset(FileLoc),
                  S);
}

} // namespace pitfall
