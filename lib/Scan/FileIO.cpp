//===--- FileIO.cpp - reading JSON safely, writing outputs atomically -----===//
#include "pitfall/Scan/FileIO.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Errc.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <unistd.h>

namespace pitfall {
namespace scan {

/// The deepest nesting of arrays and objects in \p Text, stopping as soon
/// as it exceeds \p Limit. Brackets inside strings do not count.
static unsigned jsonDepth(llvm::StringRef Text, unsigned Limit) {
  unsigned Depth = 0, Max = 0;
  bool InString = false;
  for (size_t I = 0, E = Text.size(); I != E; ++I) {
    char C = Text[I];
    if (InString) {
      if (C == '\\')
        ++I;
      else if (C == '"')
        InString = false;
      continue;
    }
    switch (C) {
    case '"':
      InString = true;
      break;
    case '[':
    case '{':
      Max = std::max(Max, ++Depth);
      if (Max > Limit)
        return Max;
      break;
    case ']':
    case '}':
      if (Depth)
        --Depth;
      break;
    default:
      break;
    }
  }
  return Max;
}

llvm::Expected<llvm::json::Value> parseJSONInput(llvm::StringRef Text) {
  Text.consume_front("\xEF\xBB\xBF");
  if (jsonDepth(Text, MaxJSONDepth) > MaxJSONDepth)
    return llvm::createStringError(std::errc::invalid_argument,
                                   "nested deeper than %u levels",
                                   static_cast<unsigned>(MaxJSONDepth));
  return llvm::json::parse(Text);
}

/// Whether \p Path names an existing file that must be written in place (a
/// device such as /dev/null or /dev/stdout, a FIFO): renaming over it would
/// replace it.
static bool writtenInPlace(llvm::StringRef Path) {
  llvm::sys::fs::file_status St;
  if (llvm::sys::fs::status(Path, St))
    return false;
  return llvm::sys::fs::exists(St) && !llvm::sys::fs::is_regular_file(St) &&
         !llvm::sys::fs::is_directory(St);
}

static std::string directoryOf(llvm::StringRef Path) {
  llvm::StringRef Dir = llvm::sys::path::parent_path(Path);
  return Dir.empty() ? "." : Dir.str();
}

/// Creates a temporary file next to \p Path.
static std::error_code createTemporaryNextTo(llvm::StringRef Path, int &FD,
                                             llvm::SmallVectorImpl<char> &Tmp) {
  llvm::SmallString<256> Model(directoryOf(Path));
  llvm::sys::path::append(Model, "." + llvm::sys::path::filename(Path) +
                                     ".tmp-%%%%%%%%");
  return llvm::sys::fs::createUniqueFile(Model, FD, Tmp);
}

bool checkWritable(llvm::StringRef Path, std::string &Error) {
  if (Path == "-")
    return true; // standard output
  if (llvm::sys::fs::is_directory(Path)) {
    Error = "is a directory";
    return false;
  }
  if (writtenInPlace(Path)) {
    if (::access(Path.str().c_str(), W_OK) != 0) {
      Error = std::error_code(errno, std::generic_category()).message();
      return false;
    }
    return true;
  }
  std::string Dir = directoryOf(Path);
  if (!llvm::sys::fs::is_directory(Dir)) {
    Error = "directory " + Dir + " does not exist";
    return false;
  }
  int FD = -1;
  llvm::SmallString<256> Tmp;
  if (std::error_code EC = createTemporaryNextTo(Path, FD, Tmp)) {
    Error = "cannot create a file in " + Dir + ": " + EC.message();
    return false;
  }
  ::close(FD);
  llvm::sys::fs::remove(Tmp);
  return true;
}

bool writeFileAtomically(llvm::StringRef PathAsGiven,
                         llvm::function_ref<void(llvm::raw_ostream &)> Write,
                         std::string &Error) {
  if (PathAsGiven == "-") {
    Write(llvm::outs());
    return flushAndCheck(llvm::outs(), Error);
  }
  // Through a symbolic link: its target is replaced, not the link.
  llvm::SmallString<256> Path(PathAsGiven);
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::is_symlink_file(Path) &&
      !llvm::sys::fs::real_path(Path, Real))
    Path = Real;
  if (writtenInPlace(Path)) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    if (EC) {
      Error = EC.message();
      return false;
    }
    Write(OS);
    OS.close();
    if (OS.has_error()) {
      Error = OS.error().message();
      OS.clear_error();
      return false;
    }
    return true;
  }
  int FD = -1;
  llvm::SmallString<256> Tmp;
  if (std::error_code EC = createTemporaryNextTo(Path, FD, Tmp)) {
    Error = EC.message();
    return false;
  }
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    Write(OS);
    OS.close();
    if (OS.has_error()) {
      Error = OS.error().message();
      OS.clear_error();
      llvm::sys::fs::remove(Tmp);
      return false;
    }
  }
  // The file keeps its permissions (an executable script stays executable).
  if (llvm::ErrorOr<llvm::sys::fs::perms> Old =
          llvm::sys::fs::getPermissions(Path))
    llvm::sys::fs::setPermissions(Tmp, *Old);
  if (std::error_code EC = llvm::sys::fs::rename(Tmp, Path)) {
    Error = EC.message();
    llvm::sys::fs::remove(Tmp);
    return false;
  }
  return true;
}

bool flushAndCheck(llvm::raw_fd_ostream &OS, std::string &Error) {
  OS.flush();
  if (!OS.has_error())
    return true;
  Error = OS.error().message();
  OS.clear_error();
  return false;
}

} // namespace scan
} // namespace pitfall
