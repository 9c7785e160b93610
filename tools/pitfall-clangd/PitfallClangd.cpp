//===--- PitfallClangd.cpp - clangd with pitfall's checks linked in -------===//
//
//   pitfall-clangd [clangd options...]
//
// The clangd of the LLVM this build uses (Debian's libclangdMain.a: the same
// options, config files and behaviour) with pitfall's clang-tidy checks
// linked in, so that `.clang-tidy` or clangd's `Diagnostics: ClangTidy: Add:`
// enable them like any built-in check. Two adjustments concern pitfall's
// checks only:
//
//  - clangd runs a clang-tidy check only if its own table lists it as fast
//    (unless the user's config says `FastCheckFilter: None`). The link wraps
//    clangd's isFastTidyCheck() (ld --wrap, see CMakeLists.txt) so that
//    pitfall's checks are answered "fast" (measured: docs/evaluation.md);
//    every other check gets clangd's own answer.
//  - clangd links each clang-tidy diagnostic to clang.llvm.org's check list,
//    which has no pitfall pages. The messages clangd sends to the client
//    pass through a relay that points those links at pitfall's docs.
//
//===----------------------------------------------------------------------===//
#include "DocLinks.h"

#include "pitfall/CheckList.h"

#include "llvm/ADT/StringRef.h"

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace clang {
namespace clangd {
// libclangdMain.a's entry point (its header, ClangdMain.h, is not installed).
int clangdMain(int Argc, char *Argv[]);
} // namespace clangd
} // namespace clang

// Pulls in the static registration of pitfall's clang-tidy module.
extern volatile int PitfallModuleAnchorSource;
[[maybe_unused]] static int PitfallModuleAnchorDestination =
    PitfallModuleAnchorSource;

// clang::clangd::isFastTidyCheck(llvm::StringRef): the linker sends clangd's
// calls to the __wrap_ symbol and the __real_ one is clangd's definition.
#define PITFALL_FAST_CHECK_SYMBOL                                              \
  "_ZN5clang6clangd15isFastTidyCheckEN4llvm9StringRefE"
std::optional<bool> realIsFastTidyCheck(llvm::StringRef Check) __asm__(
    "__real_" PITFALL_FAST_CHECK_SYMBOL);
std::optional<bool> pitfallIsFastTidyCheck(llvm::StringRef Check) __asm__(
    "__wrap_" PITFALL_FAST_CHECK_SYMBOL);

std::optional<bool> pitfallIsFastTidyCheck(llvm::StringRef Check) {
  for (const pitfall::CheckInfo &C : pitfall::allChecks())
    if (C.Name == Check)
      return true;
  return realIsFastTidyCheck(Check);
}

// Static: also stopped (its output flushed) if clangd calls exit().
static pitfall::clangd::DocLinkRelay Relay;

/// Whether the user chose the resource directory (on the command line or in
/// CLANGD_FLAGS, which clangd reads too).
static bool hasResourceDir(int Argc, char *Argv[]) {
  for (int I = 1; I < Argc; ++I)
    if (llvm::StringRef(Argv[I]).ltrim('-').starts_with("resource-dir"))
      return true;
  const char *Flags = std::getenv("CLANGD_FLAGS");
  return Flags && llvm::StringRef(Flags).contains("resource-dir");
}

int main(int Argc, char *Argv[]) {
  // clangd finds clang's builtin headers relative to its executable; the
  // matching clangd lives in LLVM's bin directory, pitfall-clangd does not.
  std::vector<char *> Args(Argv, Argv + Argc);
  std::string ResourceDir = "--resource-dir=" PITFALL_CLANG_RESOURCE_DIR;
  if (!hasResourceDir(Argc, Argv))
    Args.insert(Args.begin() + 1, ResourceDir.data());
  Args.push_back(nullptr);
  Relay.start();
  int Status = clang::clangd::clangdMain(Args.size() - 1, Args.data());
  Relay.stop();
  return Status;
}
