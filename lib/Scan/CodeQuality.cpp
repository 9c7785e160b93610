//===--- CodeQuality.cpp - pitfall-scan --format=codequality --------------===//
#include "pitfall/Scan/CodeQuality.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

namespace pitfall {
namespace scan {

/// GitLab's severities are info, minor, major, critical and blocker; a
/// certain crash is critical, a likely one major, a pedantic finding minor
/// (info is kept for the TUs that could not be scanned).
static llvm::StringRef codeQualitySeverity(Severity S) {
  switch (S) {
  case Severity::Error:
    return "critical";
  case Severity::Warning:
    return "major";
  case Severity::Note:
    return "minor";
  }
  return "major";
}

void writeCodeQualityReport(const ScanResult &Result,
                            llvm::StringRef SourceRoot, llvm::raw_ostream &OS) {
  llvm::json::Array Issues;
  for (const Finding &F : Result.Findings) {
    std::string Description = F.Message;
    for (const Event &N : F.Notes)
      Description += "; " + N.Message;
    Issues.push_back(llvm::json::Object{
        {"type", "issue"},
        {"description", Description},
        {"check_name", F.Check},
        {"categories", llvm::json::Array{"Bug Risk"}},
        {"fingerprint", F.Fingerprint},
        {"severity", codeQualitySeverity(F.Level)},
        {"location",
         llvm::json::Object{
             {"path", relativeTo(F.Loc.File, SourceRoot)},
             {"lines", llvm::json::Object{{"begin", F.Loc.Line}}}}},
    });
  }
  for (const Failure &F : Result.Failures)
    Issues.push_back(llvm::json::Object{
        {"type", "issue"},
        {"description", "pitfall could not scan this file completely (" +
                            F.Reason + "): " + F.Detail},
        {"check_name", "pitfall-scan-" + F.Reason},
        {"categories", llvm::json::Array{"Bug Risk"}},
        {"fingerprint",
         "failure:" + relativeTo(F.File, SourceRoot) + ":" + F.Reason},
        {"severity", "info"},
        {"location",
         llvm::json::Object{{"path", relativeTo(F.File, SourceRoot)},
                            {"lines", llvm::json::Object{{"begin", 1}}}}},
    });
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Issues))) << "\n";
}

} // namespace scan
} // namespace pitfall
