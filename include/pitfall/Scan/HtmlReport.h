//===--- HtmlReport.h - pitfall-scan --format=html ------------------------===//
//
// One self-contained page (no network, no external assets): findings grouped
// by check and by file, a source excerpt around each finding with its line
// marked, the analyzer's path as numbered steps, fix-its as diffs; filters by
// check and by file and a text search (preset by ?q=TEXT / ?file=PATH in the
// page's address); every location links to its source excerpt.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_SCAN_HTMLREPORT_H
#define PITFALL_SCAN_HTMLREPORT_H

#include "pitfall/Scan/Finding.h"

#include "llvm/Support/raw_ostream.h"

namespace pitfall {
namespace scan {

/// Writes the report of \p Result. Paths are shown relative to
/// \p SourceRoot; excerpts are read from the files on disk.
void writeHTMLReport(const ScanResult &Result, llvm::StringRef SourceRoot,
                     llvm::raw_ostream &OS);

} // namespace scan
} // namespace pitfall

#endif
