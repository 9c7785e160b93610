//===--- PitfallTidy.cpp - clang-tidy with pitfall's module loaded --------===//
//
//   pitfall-tidy [clang-tidy arguments...]
//
// Runs the clang-tidy this build was made for with
// --load=<PitfallTidyModule.so>, passing every argument through. When no
// --checks argument is given, --checks=pitfall-* is added, so the checks of
// the user's .clang-tidy run together with pitfall's. Without any
// configuration (no .clang-tidy in or above a file's directory, no --config
// or --config-file), --checks=-*,pitfall-* is added instead: clang-tidy's
// own default, all of clang-analyzer-*, would cost about nine times as much
// as pitfall's checks.
//
//   pitfall-tidy --list-pitfall-checks   lists pitfall's checks
//
// Environment: PITFALL_CLANG_TIDY (the clang-tidy binary),
// PITFALL_TIDY_MODULE (the module).
//===----------------------------------------------------------------------===//
#include "pitfall/CheckList.h"
#include "pitfall/Version.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

std::string selfDir() {
  char Buf[PATH_MAX];
  ssize_t N = readlink("/proc/self/exe", Buf, sizeof(Buf) - 1);
  if (N <= 0)
    return ".";
  Buf[N] = '\0';
  std::string P(Buf);
  size_t Slash = P.rfind('/');
  return Slash == std::string::npos ? "." : P.substr(0, Slash);
}

bool isFile(const std::string &P) { return access(P.c_str(), R_OK) == 0; }

std::string currentDir() {
  char Buf[PATH_MAX];
  return getcwd(Buf, sizeof(Buf)) ? std::string(Buf) : std::string(".");
}

/// Whether a .clang-tidy file applies to \p Dir (absolute): in it or in any
/// directory above it, as clang-tidy looks for one.
bool hasConfigFileAbove(std::string Dir) {
  while (true) {
    if (isFile(Dir + "/.clang-tidy"))
      return true;
    size_t Slash = Dir.rfind('/');
    if (Slash == std::string::npos || Dir == "/")
      return false;
    Dir = Slash == 0 ? "/" : Dir.substr(0, Slash);
  }
}

/// The directory of the source file \p File, made absolute.
std::string directoryOf(const std::string &File) {
  std::string Abs = File[0] == '/' ? File : currentDir() + "/" + File;
  size_t Slash = Abs.rfind('/');
  return Slash == 0 ? "/" : Abs.substr(0, Slash);
}

/// clang-tidy's options whose value may be the next argument.
bool takesValue(const char *Option) {
  while (*Option == '-')
    ++Option;
  for (const char *Name :
       {"p", "checks", "config", "config-file", "export-fixes", "extra-arg",
        "extra-arg-before", "format-style", "header-filter",
        "exclude-header-filter", "line-filter", "load", "store-check-profile",
        "vfsoverlay", "warnings-as-errors"})
    if (std::strcmp(Option, Name) == 0)
      return true;
  return false;
}

std::string findModule() {
  if (const char *Env = std::getenv("PITFALL_TIDY_MODULE"))
    return Env;
  std::string Dir = selfDir();
  for (const char *Rel :
       {"/../lib/PitfallTidyModule.so",
        "/../lib/pitfall/PitfallTidyModule-" PITFALL_LLVM_MAJOR_STRING ".so",
        "/../lib/pitfall/PitfallTidyModule.so"}) {
    std::string P = Dir + Rel;
    if (isFile(P))
      return P;
  }
  return "";
}

std::string findClangTidy() {
  if (const char *Env = std::getenv("PITFALL_CLANG_TIDY"))
    return Env;
  std::string InBinDir = std::string(PITFALL_LLVM_BINDIR) + "/clang-tidy";
  if (access(InBinDir.c_str(), X_OK) == 0)
    return InBinDir;
  return PITFALL_CLANG_TIDY_NAME; // found through PATH by execvp
}

int listChecks() {
  for (const pitfall::CheckInfo &C : pitfall::allChecks()) {
    std::printf("%-40s %s\n", C.Name.str().c_str(), C.Hazard.str().c_str());
    std::printf("%-40s docs: %s%s%s\n", "", pitfall::checkDocPath(C).c_str(),
                C.AnalyzerChecker.empty() ? "" : ", analyzer checker: ",
                C.AnalyzerChecker.str().c_str());
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  bool HasChecks = false, HasConfig = false;
  std::vector<std::string> Files;
  for (int I = 1; I < argc; ++I) {
    const char *A = argv[I];
    if (std::strcmp(A, "--list-pitfall-checks") == 0)
      return listChecks();
    if (std::strcmp(A, "--") == 0)
      break;
    if (std::strncmp(A, "--checks", 8) == 0 ||
        std::strncmp(A, "-checks", 7) == 0)
      HasChecks = true;
    if (std::strncmp(A, "--config", 8) == 0 ||
        std::strncmp(A, "-config", 7) == 0)
      HasConfig = true;
    if (std::strcmp(A, "--version") == 0)
      std::printf("pitfall %s (built against LLVM %s)\n", PITFALL_VERSION,
                  PITFALL_LLVM_VERSION_STRING);
    if (A[0] == '-') {
      if (!std::strchr(A, '=') && takesValue(A))
        ++I; // the option's value
      continue;
    }
    if (A[0] != '@' && A[0] != '\0')
      Files.push_back(A);
  }
  // No configuration anywhere: pitfall's checks only.
  if (!HasChecks && !HasConfig) {
    if (Files.empty())
      Files.push_back(currentDir() + "/-"); // options of the current directory
    HasConfig = false;
    for (const std::string &F : Files)
      HasConfig = HasConfig || hasConfigFileAbove(directoryOf(F));
  }

  std::string Module = findModule();
  if (Module.empty() || !isFile(Module)) {
    std::fprintf(
        stderr,
        "pitfall-tidy: error: cannot find PitfallTidyModule.so next to "
        "%s (set PITFALL_TIDY_MODULE)\n",
        selfDir().c_str());
    return 2;
  }
  std::string ClangTidy = findClangTidy();

  std::vector<std::string> Args;
  Args.push_back(ClangTidy);
  Args.push_back("--load=" + Module);
  if (!HasChecks)
    Args.push_back(HasConfig ? "--checks=pitfall-*" : "--checks=-*,pitfall-*");
  for (int I = 1; I < argc; ++I)
    Args.push_back(argv[I]);

  std::vector<char *> CArgs;
  CArgs.reserve(Args.size() + 1);
  for (std::string &A : Args)
    CArgs.push_back(A.data());
  CArgs.push_back(nullptr);
  std::fflush(stdout); // exec discards stdio buffers
  execvp(CArgs[0], CArgs.data());
  std::fprintf(stderr, "pitfall-tidy: error: cannot run '%s': %s\n",
               ClangTidy.c_str(), std::strerror(errno));
  return 2;
}
