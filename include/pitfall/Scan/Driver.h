//===--- Driver.h - compile database, scheduling, cache -------------------===//
#ifndef PITFALL_SCAN_DRIVER_H
#define PITFALL_SCAN_DRIVER_H

#include "pitfall/Scan/Analyze.h"

#include <string>
#include <vector>

namespace pitfall {
namespace scan {

/// An entry of a compile_commands.json that names no translation unit.
struct InvalidEntry {
  std::string File;   ///< as resolved (absolute)
  std::string Reason; ///< "empty command", "a directory", "not a regular file"
};

/// The translation units of a compile_commands.json.
struct Database {
  std::vector<CompileJob> Jobs;      ///< sorted by file, one per file
  unsigned Duplicates = 0;           ///< entries dropped: same file again
  unsigned NotCFamily = 0;           ///< entries dropped: not C/C++/ObjC
  std::vector<InvalidEntry> Invalid; ///< entries dropped: no TU to scan
};

/// Loads \p Path (a build directory or a compile_commands.json). Response
/// files (@file) are expanded; relative directories are resolved against the
/// database's directory; a compiler named without a directory is looked up
/// on PATH (its installation decides the standard headers). Returns false
/// with \p Error on failure.
bool loadDatabase(llvm::StringRef Path, Database &DB, std::string &Error);

/// Keeps the jobs selected by \p Filters (an existing file: that file; an
/// existing directory: files under it; anything else: a regex searched in
/// the absolute path), not matching \p Exclude, and in shard \p Shard of
/// \p Shards (1-based; the sorted list is dealt round-robin).
bool selectJobs(std::vector<CompileJob> &Jobs,
                const std::vector<std::string> &Filters,
                llvm::StringRef Exclude, unsigned Shard, unsigned Shards,
                std::string &Error);

/// How progress is shown on stderr.
enum class ProgressMode {
  Never,
  Live,  ///< one line redrawn in place (a terminal)
  Lines, ///< a plain line per tenth of the TUs and at least every interval
};

struct RunOptions {
  unsigned Jobs = 1;
  unsigned TimeoutSeconds = 0; ///< 0: none
  std::string CacheDir;        ///< empty: no cache
  ProgressMode Progress = ProgressMode::Never;
  unsigned ProgressSeconds = 30; ///< Lines: the longest silence
};

/// Whether \p Dir can hold the cache (created if missing, writable).
bool checkCacheDir(llvm::StringRef Dir, std::string &Error);

/// Analyses every job in its own worker process, at most Options.Jobs at a
/// time. A worker that crashes or exceeds the timeout becomes a Failure;
/// the others' results are kept. The result is normalized. A cache
/// directory that cannot be used is reported once (a warning) and the scan
/// goes on without it.
ScanResult runScan(const std::vector<CompileJob> &Jobs,
                   const AnalysisConfig &Config, const RunOptions &Options);

} // namespace scan
} // namespace pitfall

#endif
