//===--- CodeQuality.h - pitfall-scan --format=codequality ----------------===//
//
// GitLab's code-quality report (a JSON array in the Code Climate issue
// format), which merge requests show as a widget.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_SCAN_CODEQUALITY_H
#define PITFALL_SCAN_CODEQUALITY_H

#include "pitfall/Scan/Finding.h"

#include "llvm/Support/raw_ostream.h"

namespace pitfall {
namespace scan {

/// Writes \p Result as a GitLab code-quality report; paths relative to
/// \p SourceRoot. Fingerprints must have been computed.
void writeCodeQualityReport(const ScanResult &Result,
                            llvm::StringRef SourceRoot, llvm::raw_ostream &OS);

} // namespace scan
} // namespace pitfall

#endif
