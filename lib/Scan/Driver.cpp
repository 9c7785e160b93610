//===--- Driver.cpp - compile database, worker processes, cache -----------===//
#include "pitfall/Scan/Driver.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <thread>
#include <unistd.h>

namespace pitfall {
namespace scan {

//===----------------------------------------------------------------------===//
// Compilation database
//===----------------------------------------------------------------------===//

static bool isCFamilySource(llvm::StringRef File) {
  llvm::StringRef Ext = llvm::sys::path::extension(File);
  return llvm::StringSwitch<bool>(Ext)
      .Case(".c", true)
      .Case(".cc", true)
      .Case(".cp", true)
      .Case(".cpp", true)
      .Case(".cxx", true)
      .Case(".c++", true)
      .Case(".C", true)
      .Case(".CC", true)
      .Case(".CPP", true)
      .Case(".cppm", true)
      .Case(".ixx", true)
      .Case(".cu", true)
      .Case(".m", true)
      .Case(".mm", true)
      .Default(false);
}

static std::string absolutePath(llvm::StringRef Path, llvm::StringRef Base) {
  llvm::SmallString<256> P;
  if (llvm::sys::path::is_absolute(Path)) {
    P = Path;
  } else {
    P = Base;
    llvm::sys::path::append(P, Path);
  }
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

bool loadDatabase(llvm::StringRef Path, Database &DB, std::string &Error) {
  llvm::SmallString<256> JsonPath(Path);
  llvm::sys::fs::make_absolute(JsonPath);
  if (llvm::sys::fs::is_directory(JsonPath))
    llvm::sys::path::append(JsonPath, "compile_commands.json");
  if (!llvm::sys::fs::exists(JsonPath)) {
    Error = ("no compilation database at " + JsonPath).str();
    return false;
  }
  // Validated strictly first: clang's loader is a lenient YAML parser that
  // accepts a truncated file.
  {
    auto Buf = llvm::MemoryBuffer::getFile(JsonPath);
    if (!Buf) {
      Error =
          ("cannot read " + JsonPath + ": " + Buf.getError().message()).str();
      return false;
    }
    llvm::Expected<llvm::json::Value> V =
        llvm::json::parse((*Buf)->getBuffer());
    if (!V) {
      Error = ("malformed compilation database " + JsonPath + ": " +
               llvm::toString(V.takeError()))
                  .str();
      return false;
    }
    const llvm::json::Array *Entries = V->getAsArray();
    if (!Entries) {
      Error = ("malformed compilation database " + JsonPath +
               ": expected an array of entries")
                  .str();
      return false;
    }
    for (size_t I = 0; I != Entries->size(); ++I) {
      const llvm::json::Object *E = (*Entries)[I].getAsObject();
      bool Ok = E && E->getString("directory") && E->getString("file") &&
                (E->getString("command") || E->getArray("arguments"));
      if (!Ok) {
        Error = ("malformed compilation database " + JsonPath + ": entry " +
                 llvm::Twine(I + 1) +
                 " needs \"directory\", \"file\" and \"command\" or "
                 "\"arguments\"")
                    .str();
        return false;
      }
    }
  }
  std::string LoadError;
  std::unique_ptr<clang::tooling::CompilationDatabase> Base =
      clang::tooling::JSONCompilationDatabase::loadFromFile(
          JsonPath, LoadError,
          clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!Base) {
    Error =
        ("malformed compilation database " + JsonPath + ": " + LoadError).str();
    return false;
  }
  llvm::StringRef DbDir = llvm::sys::path::parent_path(JsonPath);

  std::map<std::string, CompileJob> ByFile;
  for (clang::tooling::CompileCommand &C : Base->getAllCompileCommands()) {
    CompileJob J;
    J.Directory = absolutePath(C.Directory, DbDir);
    J.File = absolutePath(C.Filename, J.Directory);
    if (!isCFamilySource(J.File) || C.CommandLine.empty()) {
      ++DB.NotCFamily;
      continue;
    }
    // Response files are relative to the entry's directory, which may
    // itself be relative to the database.
    if (llvm::any_of(C.CommandLine,
                     [](llvm::StringRef A) { return A.starts_with("@"); })) {
      llvm::BumpPtrAllocator Alloc;
      llvm::StringSaver Saver(Alloc);
      llvm::SmallVector<const char *, 32> Argv;
      for (const std::string &A : C.CommandLine)
        Argv.push_back(Saver.save(A).data());
      llvm::cl::ExpansionContext Expander(Alloc,
                                          llvm::cl::TokenizeGNUCommandLine);
      Expander.setCurrentDir(J.Directory);
      if (llvm::Error E = Expander.expandResponseFiles(Argv)) {
        llvm::consumeError(std::move(E)); // the compiler will report it
      } else {
        C.CommandLine.assign(Argv.begin(), Argv.end());
      }
    }
    J.Arguments = std::move(C.CommandLine);
    if (!ByFile.emplace(J.File, std::move(J)).second)
      ++DB.Duplicates;
  }
  for (auto &[File, Job] : ByFile)
    DB.Jobs.push_back(std::move(Job));
  return true;
}

bool selectJobs(std::vector<CompileJob> &Jobs,
                const std::vector<std::string> &Filters,
                llvm::StringRef Exclude, unsigned Shard, unsigned Shards,
                std::string &Error) {
  struct Filter {
    enum { File, Dir, Regex } Kind;
    std::string Path;
    std::unique_ptr<llvm::Regex> Re;
  };
  std::vector<Filter> Fs;
  for (const std::string &F : Filters) {
    llvm::SmallString<256> Abs(F);
    llvm::sys::fs::make_absolute(Abs);
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    if (llvm::sys::fs::is_directory(Abs)) {
      Fs.push_back({Filter::Dir, std::string(Abs), nullptr});
    } else if (llvm::sys::fs::exists(Abs)) {
      Fs.push_back({Filter::File, std::string(Abs), nullptr});
    } else {
      auto Re = std::make_unique<llvm::Regex>(F);
      std::string RegexError;
      if (!Re->isValid(RegexError)) {
        Error = "invalid file filter '" + F + "': " + RegexError;
        return false;
      }
      Fs.push_back({Filter::Regex, "", std::move(Re)});
    }
  }
  std::unique_ptr<llvm::Regex> ExcludeRe;
  if (!Exclude.empty()) {
    ExcludeRe = std::make_unique<llvm::Regex>(Exclude);
    std::string RegexError;
    if (!ExcludeRe->isValid(RegexError)) {
      Error = ("invalid --exclude '" + Exclude + "': " + RegexError).str();
      return false;
    }
  }
  auto Selected = [&](const CompileJob &J) {
    if (ExcludeRe && ExcludeRe->match(J.File))
      return false;
    if (Fs.empty())
      return true;
    return llvm::any_of(Fs, [&](const Filter &F) {
      switch (F.Kind) {
      case Filter::File:
        return J.File == F.Path;
      case Filter::Dir:
        return llvm::StringRef(J.File).starts_with(F.Path + "/");
      case Filter::Regex:
        return F.Re->match(J.File);
      }
      return false;
    });
  };
  std::vector<CompileJob> Kept;
  for (CompileJob &J : Jobs)
    if (Selected(J))
      Kept.push_back(std::move(J));
  Jobs.clear();
  for (size_t I = 0; I != Kept.size(); ++I)
    if (I % Shards == Shard - 1)
      Jobs.push_back(std::move(Kept[I]));
  return true;
}

//===----------------------------------------------------------------------===//
// Cache
//===----------------------------------------------------------------------===//

static std::string cachePath(llvm::StringRef Dir, llvm::StringRef Digest) {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, Digest.substr(0, 2), Digest.str() + ".json");
  return std::string(P);
}

/// The cached result of a TU if every input it read is unchanged.
static std::optional<TUResult> cacheLookup(llvm::StringRef Dir,
                                           llvm::StringRef Digest) {
  auto Buf = llvm::MemoryBuffer::getFile(cachePath(Dir, Digest));
  if (!Buf)
    return std::nullopt;
  llvm::Expected<llvm::json::Value> V = llvm::json::parse((*Buf)->getBuffer());
  if (!V) {
    llvm::consumeError(V.takeError());
    return std::nullopt;
  }
  TUResult R;
  if (!fromJSON(*V, R) || R.Inputs.empty())
    return std::nullopt;
  for (const auto &[File, Hash] : R.Inputs) {
    auto In = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
    if (!In || contentHash((*In)->getBuffer()) != Hash)
      return std::nullopt;
  }
  return R;
}

static void cacheStore(llvm::StringRef Dir, llvm::StringRef Digest,
                       const TUResult &R) {
  std::string Path = cachePath(Dir, Digest);
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path));
  // Write then rename: concurrent scans sharing a cache see whole entries.
  std::string Tmp = Path + ".tmp" + std::to_string(::getpid());
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Tmp, EC);
    if (EC)
      return;
    OS << toJSON(R);
  }
  llvm::sys::fs::rename(Tmp, Path);
}

//===----------------------------------------------------------------------===//
// Workers
//===----------------------------------------------------------------------===//

namespace {

struct Worker {
  pid_t Pid;
  size_t Index;
  std::chrono::steady_clock::time_point Start;
  std::string ResultFile;
};

std::string describeSignal(int Sig) {
  const char *Name = ::strsignal(Sig);
  return "worker killed by signal " + std::to_string(Sig) +
         (Name ? std::string(" (") + Name + ")" : std::string());
}

class Progress {
public:
  Progress(bool Enabled, size_t Total)
      : Enabled(Enabled), Total(Total),
        Start(std::chrono::steady_clock::now()) {}

  void update(size_t Done) {
    if (!Enabled)
      return;
    double Elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
            .count();
    std::string Eta = "--:--";
    if (Done) {
      unsigned Secs = unsigned(Elapsed / Done * (Total - Done) + 0.5);
      char Buf[32];
      std::snprintf(Buf, sizeof(Buf), "%u:%02u", Secs / 60, Secs % 60);
      Eta = Buf;
    }
    llvm::errs() << "\r\x1b[K[" << Done << "/" << Total << "] "
                 << (Total ? Done * 100 / Total : 100) << "% ETA " << Eta;
    llvm::errs().flush();
  }

  void finish() {
    if (Enabled) {
      llvm::errs() << "\r\x1b[K";
      llvm::errs().flush();
    }
  }

private:
  bool Enabled;
  size_t Total;
  std::chrono::steady_clock::time_point Start;
};

} // namespace

static void runWorker(const CompileJob &Job, const AnalysisConfig &Config,
                      const std::string &ResultFile, pid_t Driver) {
#ifdef __linux__
  // A worker does not outlive the driver (killed, or stopped with SIGTERM
  // by a CI runner): it gets SIGKILL when the driver exits. If the driver
  // is already gone, there is nobody to read the result.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != Driver)
    ::_exit(1);
#else
  (void)Driver;
#endif
  // A crash ends the worker at once: no stack trace, no symbolizer (which
  // can outlive --timeout on a loaded machine); the driver reports it.
  ::setenv("LLVM_DISABLE_SYMBOLIZATION", "1", 1);
  for (int Sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
    ::signal(Sig, SIG_DFL);
  // The worker's own stderr (crash reports) is not the scan's output.
  int Null = ::open("/dev/null", O_WRONLY);
  if (Null >= 0) {
    ::dup2(Null, STDOUT_FILENO);
    ::dup2(Null, STDERR_FILENO);
    ::close(Null);
  }
  TUResult R = analyzeTranslationUnit(Job, Config);
  std::string Tmp = ResultFile + ".tmp";
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Tmp, EC);
    if (EC)
      ::_exit(4);
    OS << toJSON(R);
  }
  ::rename(Tmp.c_str(), ResultFile.c_str());
  ::_exit(0);
}

ScanResult runScan(const std::vector<CompileJob> &Jobs,
                   const AnalysisConfig &Config, const RunOptions &Options) {
  ScanResult Scan;
  Scan.TranslationUnits = Jobs.size();
  std::vector<std::optional<TUResult>> Results(Jobs.size());
  std::vector<std::string> Digests(Jobs.size());

  Progress Bar(Options.Progress, Jobs.size());
  size_t Done = 0;

  std::vector<size_t> Pending;
  for (size_t I = 0; I != Jobs.size(); ++I) {
    if (!Options.CacheDir.empty()) {
      Digests[I] = configurationDigest(Jobs[I], Config);
      if (std::optional<TUResult> Hit =
              cacheLookup(Options.CacheDir, Digests[I])) {
        Results[I] = std::move(*Hit);
        ++Scan.CachedTranslationUnits;
        ++Done;
        continue;
      }
    }
    Pending.push_back(I);
  }
  Bar.update(Done);

  llvm::SmallString<128> TmpDir;
  if (!Pending.empty() &&
      llvm::sys::fs::createUniqueDirectory("pitfall-scan", TmpDir)) {
    for (size_t I : Pending)
      Scan.Failures.push_back(
          {Jobs[I].File, "crash", "cannot create a temporary directory", {}});
    Pending.clear();
  }

  std::vector<Worker> Running;
  const pid_t DriverPid = ::getpid();
  size_t Next = 0;
  unsigned Parallel = std::max(1u, Options.Jobs);
  while (Next < Pending.size() || !Running.empty()) {
    while (Next < Pending.size() && Running.size() < Parallel) {
      size_t I = Pending[Next++];
      llvm::SmallString<256> File(TmpDir);
      llvm::sys::path::append(File, std::to_string(I) + ".json");
      llvm::outs().flush();
      llvm::errs().flush();
      pid_t Pid = ::fork();
      if (Pid == 0)
        runWorker(Jobs[I], Config, std::string(File), DriverPid);
      if (Pid < 0) {
        Scan.Failures.push_back(
            {Jobs[I].File, "crash", "cannot start a worker process", {}});
        ++Done;
        continue;
      }
      Running.push_back(
          {Pid, I, std::chrono::steady_clock::now(), std::string(File)});
    }

    int Status = 0;
    pid_t Pid = ::waitpid(-1, &Status, WNOHANG);
    if (Pid <= 0) {
      auto Now = std::chrono::steady_clock::now();
      for (Worker &W : Running)
        if (Options.TimeoutSeconds &&
            Now - W.Start > std::chrono::seconds(Options.TimeoutSeconds))
          ::kill(W.Pid, SIGKILL);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    auto It =
        llvm::find_if(Running, [&](const Worker &W) { return W.Pid == Pid; });
    if (It == Running.end())
      continue;
    Worker W = *It;
    Running.erase(It);
    const CompileJob &Job = Jobs[W.Index];
    ++Done;
    Bar.update(Done);

    bool TimedOut = Options.TimeoutSeconds &&
                    std::chrono::steady_clock::now() - W.Start >
                        std::chrono::seconds(Options.TimeoutSeconds);
    if (WIFSIGNALED(Status)) {
      if (TimedOut && WTERMSIG(Status) == SIGKILL)
        Scan.Failures.push_back({Job.File,
                                 "timeout",
                                 "analysis exceeded the " +
                                     std::to_string(Options.TimeoutSeconds) +
                                     "s timeout (--timeout)",
                                 {}});
      else
        Scan.Failures.push_back(
            {Job.File, "crash", describeSignal(WTERMSIG(Status)), {}});
      continue;
    }
    auto Buf = llvm::MemoryBuffer::getFile(W.ResultFile);
    llvm::Expected<llvm::json::Value> V =
        Buf ? llvm::json::parse((*Buf)->getBuffer())
            : llvm::Expected<llvm::json::Value>(llvm::createStringError(
                  std::errc::no_such_file_or_directory, "no result"));
    TUResult R;
    if (!V || !fromJSON(*V, R)) {
      if (!V)
        llvm::consumeError(V.takeError());
      Scan.Failures.push_back(
          {Job.File,
           "crash",
           "worker exited with status " +
               std::to_string(WIFEXITED(Status) ? WEXITSTATUS(Status) : -1) +
               " without a result",
           {}});
      continue;
    }
    llvm::sys::fs::remove(W.ResultFile);
    if (!Options.CacheDir.empty() && R.Failures.empty())
      cacheStore(Options.CacheDir, Digests[W.Index], R);
    Results[W.Index] = std::move(R);
  }
  Bar.finish();
  if (!TmpDir.empty())
    llvm::sys::fs::remove_directories(TmpDir);

  for (std::optional<TUResult> &R : Results) {
    if (!R)
      continue;
    llvm::append_range(Scan.Findings, R->Findings);
    llvm::append_range(Scan.Failures, R->Failures);
  }
  normalize(Scan.Findings);
  normalize(Scan.Failures);
  return Scan;
}

} // namespace scan
} // namespace pitfall
