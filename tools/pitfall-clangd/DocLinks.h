//===--- DocLinks.h - pitfall's documentation links in clangd's output ----===//
//
// clangd gives every clang-tidy diagnostic a documentation link built from
// the check name: https://clang.llvm.org/extra/clang-tidy/checks/<module>/
// <check>.html. For pitfall's checks that page does not exist. The relay
// here sits between clangd and the client (the process's stdout) and points
// those links at pitfall's own pages; everything else passes unchanged.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_TOOLS_CLANGD_DOCLINKS_H
#define PITFALL_TOOLS_CLANGD_DOCLINKS_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <thread>

namespace pitfall {
namespace clangd {

/// \p Body with clangd's links to pitfall's checks replaced by links to
/// pitfall's documentation.
std::string rewriteDocLinks(llvm::StringRef Body);

/// Routes stdout through a thread that forwards each LSP message (a
/// Content-Length header and a JSON body) with rewriteDocLinks applied and
/// its length updated. Output that is not an LSP message (--help, --version)
/// is forwarded unchanged.
class DocLinkRelay {
public:
  DocLinkRelay() = default;
  DocLinkRelay(const DocLinkRelay &) = delete;
  DocLinkRelay &operator=(const DocLinkRelay &) = delete;
  ~DocLinkRelay() { stop(); }

  /// Redirects stdout into the relay. Without a pipe, leaves stdout alone.
  void start();
  /// Forwards what is pending and gives stdout back. Idempotent.
  void stop();

private:
  int ClientFD = -1; ///< the original stdout
  std::thread Worker;
};

} // namespace clangd
} // namespace pitfall

#endif
