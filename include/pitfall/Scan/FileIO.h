//===--- FileIO.h - reading JSON safely, writing outputs atomically -------===//
//
// Every file pitfall-scan reads as JSON (compile_commands.json, baselines,
// merge inputs, cache entries, worker results) goes through parseJSONInput:
// nesting is bounded before llvm::json's recursive parser sees the text.
// Every file it writes for the user (reports, --export-fixes, --fix) goes
// through writeFileAtomically: a temporary file in the same directory,
// renamed into place once complete, so a failed write leaves the previous
// file as it was.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_SCAN_FILEIO_H
#define PITFALL_SCAN_FILEIO_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace pitfall {
namespace scan {

/// The deepest nesting of arrays and objects accepted in JSON input. The
/// deepest document pitfall-scan writes (SARIF) is nested about 12 deep.
inline constexpr unsigned MaxJSONDepth = 256;

/// Parses \p Text as JSON. A UTF-8 byte-order mark at the start is skipped;
/// nesting deeper than MaxJSONDepth is an error ("nested deeper than 256
/// levels") reported without recursing.
llvm::Expected<llvm::json::Value> parseJSONInput(llvm::StringRef Text);

/// Whether \p Path can be written: an existing file that is not a regular
/// file (a device, a FIFO) must be writable in place; otherwise its
/// directory must exist and accept a new file (tried with a temporary file).
/// On failure \p Error says why.
bool checkWritable(llvm::StringRef Path, std::string &Error);

/// Writes what \p Write produces to \p Path ("-": standard output). A
/// regular (or new) file is
/// written to a temporary file in the same directory and renamed over
/// \p Path once complete; a device or FIFO is written in place. On failure
/// nothing is renamed (the previous file is kept), the temporary file is
/// removed and \p Error says why.
bool writeFileAtomically(llvm::StringRef Path,
                         llvm::function_ref<void(llvm::raw_ostream &)> Write,
                         std::string &Error);

/// Flushes \p OS (stdout) and reports, once, whether every write to it
/// succeeded; clears the error so that it does not abort the program.
bool flushAndCheck(llvm::raw_fd_ostream &OS, std::string &Error);

} // namespace scan
} // namespace pitfall

#endif
