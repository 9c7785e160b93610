//===--- Driver.cpp - compile database, worker processes, cache -----------===//
#include "pitfall/Scan/Driver.h"
#include "pitfall/Scan/FileIO.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
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

/// Why an entry of the database cannot name a translation unit, or "".
static std::string invalidEntryReason(const std::string &File,
                                      const std::vector<std::string> &Argv) {
  if (Argv.empty() ||
      llvm::all_of(Argv, [](llvm::StringRef A) { return A.trim().empty(); }))
    return "empty command";
  llvm::sys::fs::file_status St;
  if (llvm::sys::fs::status(File, St) || !llvm::sys::fs::exists(St))
    return ""; // a missing source is the worker's to report
  if (llvm::sys::fs::is_directory(St))
    return "a directory";
  if (!llvm::sys::fs::is_regular_file(St))
    return "not a regular file";
  return "";
}

/// The compiler of \p Argv as the driver must see it to find its
/// installation (the standard library headers): a bare name ("clang++-19",
/// as Bear and hand-written databases have it) is looked up on PATH, a
/// relative path is taken relative to the entry's directory.
static void resolveCompiler(std::vector<std::string> &Argv,
                            llvm::StringRef Directory) {
  if (Argv.empty() || Argv[0].empty())
    return;
  llvm::StringRef Compiler = Argv[0];
  if (llvm::sys::path::is_absolute(Compiler))
    return;
  if (Compiler.contains('/')) {
    Argv[0] = absolutePath(Compiler, Directory);
    return;
  }
  if (llvm::ErrorOr<std::string> Found = llvm::sys::findProgramByName(Compiler))
    Argv[0] = *Found;
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
  auto Buf = llvm::MemoryBuffer::getFile(JsonPath);
  if (!Buf) {
    Error = ("cannot read " + JsonPath + ": " + Buf.getError().message()).str();
    return false;
  }
  llvm::StringRef Text = (*Buf)->getBuffer();
  Text.consume_front("\xEF\xBB\xBF"); // a UTF-8 byte-order mark
  // Validated strictly first: clang's loader is a lenient YAML parser that
  // accepts a truncated file (and recurses without bound).
  {
    llvm::Expected<llvm::json::Value> V = parseJSONInput(Text);
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
      clang::tooling::JSONCompilationDatabase::loadFromBuffer(
          Text, LoadError, clang::tooling::JSONCommandLineSyntax::AutoDetect);
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
    J.File = C.Filename.empty() ? std::string()
                                : absolutePath(C.Filename, J.Directory);
    std::string Invalid = invalidEntryReason(J.File, C.CommandLine);
    if (C.Filename.empty())
      Invalid = "no file";
    if (!Invalid.empty()) {
      DB.Invalid.push_back(
          {C.Filename.empty() ? J.Directory : J.File, std::move(Invalid)});
      continue;
    }
    if (!isCFamilySource(J.File)) {
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
        // As clang says it ("recursive expansion of: 'flags.rsp'").
        J.CommandError =
            "cannot expand response file: " + llvm::toString(std::move(E));
      } else {
        C.CommandLine.assign(Argv.begin(), Argv.end());
      }
    }
    J.Arguments = std::move(C.CommandLine);
    resolveCompiler(J.Arguments, J.Directory);
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

/// A cache entry is one header line, "pitfall-scan-cache 2 <hash>", and the
/// TU's result as JSON (its whole-program summary included); <hash> is the
/// content hash of the JSON text, so a damaged entry (a flipped bit, a
/// truncated file) is noticed and the TU is analysed again. An entry of
/// another format version is not read.
static constexpr llvm::StringLiteral CacheMagic = "pitfall-scan-cache 2 ";

/// The cached result of a TU if the entry is intact and every input it read
/// is unchanged.
static std::optional<TUResult> cacheLookup(llvm::StringRef Dir,
                                           llvm::StringRef Digest) {
  auto Buf = llvm::MemoryBuffer::getFile(cachePath(Dir, Digest),
                                         /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf)
    return std::nullopt;
  auto [Header, Body] = (*Buf)->getBuffer().split('\n');
  if (!Header.consume_front(CacheMagic) || Header != contentHash(Body))
    return std::nullopt;
  llvm::Expected<llvm::json::Value> V = parseJSONInput(Body);
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

static bool cacheStore(llvm::StringRef Dir, llvm::StringRef Digest,
                       const TUResult &R, std::string &Error) {
  std::string Path = cachePath(Dir, Digest);
  if (std::error_code EC = llvm::sys::fs::create_directories(
          llvm::sys::path::parent_path(Path))) {
    Error = EC.message();
    return false;
  }
  std::string Body;
  llvm::raw_string_ostream(Body) << toJSON(R);
  // Written then renamed: concurrent scans sharing a cache see whole entries.
  return writeFileAtomically(
      Path,
      [&](llvm::raw_ostream &OS) {
        OS << CacheMagic << contentHash(Body) << "\n" << Body;
      },
      Error);
}

bool checkCacheDir(llvm::StringRef Dir, std::string &Error) {
  if (llvm::sys::fs::exists(Dir) && !llvm::sys::fs::is_directory(Dir)) {
    Error = "not a directory";
    return false;
  }
  if (std::error_code EC = llvm::sys::fs::create_directories(Dir)) {
    Error = EC.message();
    return false;
  }
  llvm::SmallString<256> Probe(Dir);
  llvm::sys::path::append(Probe, "probe");
  return checkWritable(Probe, Error);
}

//===----------------------------------------------------------------------===//
// Workers
//===----------------------------------------------------------------------===//

namespace {

using Clock = std::chrono::steady_clock;

struct Worker {
  pid_t Pid;
  size_t Index;
  Clock::time_point Start;
  std::string ResultFile;
};

std::string describeSignal(int Sig) {
  const char *Name = ::strsignal(Sig);
  return "worker killed by signal " + std::to_string(Sig) +
         (Name ? std::string(" (") + Name + ")" : std::string());
}

/// "m:ss".
std::string minutesSeconds(double Seconds) {
  unsigned S = unsigned(Seconds + 0.5);
  char Buf[32];
  std::snprintf(Buf, sizeof(Buf), "%u:%02u", S / 60, S % 60);
  return Buf;
}

/// Progress on stderr: on a terminal a line redrawn in place; otherwise
/// (CI logs) a plain line each time another tenth of the TUs is done and at
/// least every Interval seconds, naming the TU that has run longest.
class Progress {
public:
  Progress(ProgressMode Mode, size_t Total, unsigned Interval)
      : Mode(Mode), Total(Total), Step(std::max<size_t>(1, Total / 10)),
        Interval(std::chrono::seconds(std::max(1u, Interval))),
        Start(Clock::now()), LastLine(Start) {}

  /// \p Done TUs are finished; \p Oldest is the running TU that started
  /// first (empty if none) and \p OldestStart when.
  void update(size_t Done, llvm::StringRef Oldest = "",
              Clock::time_point OldestStart = {}) {
    auto Now = Clock::now();
    double Elapsed = std::chrono::duration<double>(Now - Start).count();
    switch (Mode) {
    case ProgressMode::Never:
      return;
    case ProgressMode::Live: {
      if (Done == LastDone && Drawn)
        return;
      std::string Eta = "--:--";
      if (Done)
        Eta = minutesSeconds(Elapsed / Done * (Total - Done));
      llvm::errs() << "\r\x1b[K[" << Done << "/" << Total << "] "
                   << (Total ? Done * 100 / Total : 100) << "% ETA " << Eta;
      llvm::errs().flush();
      Drawn = true;
      LastDone = Done;
      return;
    }
    case ProgressMode::Lines: {
      bool NextStep = Done / Step != LastDone / Step ||
                      (Done == Total && LastDone != Total);
      bool Heartbeat = Now - LastLine >= Interval;
      if (Done == LastDone ? !Heartbeat : !NextStep && !Heartbeat)
        return;
      llvm::errs() << "pitfall-scan: [" << Done << "/" << Total << "] "
                   << (Total ? Done * 100 / Total : 100) << "% "
                   << minutesSeconds(Elapsed) << " elapsed";
      if (Done && Done != Total)
        llvm::errs() << ", ETA "
                     << minutesSeconds(Elapsed / Done * (Total - Done));
      if (Done == LastDone && !Oldest.empty())
        llvm::errs()
            << "; running: " << Oldest << " ("
            << minutesSeconds(
                   std::chrono::duration<double>(Now - OldestStart).count())
            << ")";
      llvm::errs() << "\n";
      llvm::errs().flush();
      LastLine = Now;
      LastDone = Done;
      return;
    }
    }
  }

  void finish() {
    if (Mode == ProgressMode::Live && Drawn) {
      llvm::errs() << "\r\x1b[K";
      llvm::errs().flush();
    }
  }

private:
  ProgressMode Mode;
  size_t Total;
  size_t Step;
  Clock::duration Interval;
  Clock::time_point Start, LastLine;
  size_t LastDone = 0;
  bool Drawn = false;
};

} // namespace

/// Writes \p R to \p File through a temporary file: a reader sees all of
/// it or nothing.
static bool writeResult(const TUResult &R, const std::string &File) {
  std::string Tmp = File + ".tmp";
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Tmp, EC);
    if (EC)
      return false;
    OS << toJSON(R);
  }
  return ::rename(Tmp.c_str(), File.c_str()) == 0;
}

/// The result a worker wrote to \p File, if it is complete.
static std::optional<TUResult> readResult(const std::string &File) {
  auto Buf = llvm::MemoryBuffer::getFile(File);
  if (!Buf)
    return std::nullopt;
  llvm::Expected<llvm::json::Value> V = parseJSONInput((*Buf)->getBuffer());
  if (!V) {
    llvm::consumeError(V.takeError());
    return std::nullopt;
  }
  TUResult R;
  if (!fromJSON(*V, R))
    return std::nullopt;
  return R;
}

/// Where a worker leaves the tidy checks' findings before its analyzer
/// starts, for the driver to report if the worker times out.
static std::string partialResultFile(llvm::StringRef ResultFile) {
  return (ResultFile + ".tidy").str();
}

static void runWorker(const CompileJob &Job, const AnalysisConfig &Config,
                      const std::string &ResultFile, bool KeepTidyFindings,
                      pid_t Driver) {
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
  std::string Partial = partialResultFile(ResultFile);
  auto WritePartial = [&](const TUResult &Tidy) { writeResult(Tidy, Partial); };
  TUResult R = KeepTidyFindings
                   ? analyzeTranslationUnit(Job, Config, WritePartial)
                   : analyzeTranslationUnit(Job, Config);
  if (!writeResult(R, ResultFile))
    ::_exit(4);
  ::_exit(0);
}

ScanResult runScan(const std::vector<CompileJob> &Jobs,
                   const AnalysisConfig &Config, const RunOptions &Options) {
  ScanResult Scan;
  Scan.TranslationUnits = Jobs.size();
  std::vector<std::optional<TUResult>> Results(Jobs.size());
  std::vector<std::string> Digests(Jobs.size());
  std::string CacheDir = Options.CacheDir;
  auto DisableCache = [&](llvm::StringRef Why) {
    llvm::errs() << "pitfall-scan: warning: cannot use --cache-dir "
                 << Options.CacheDir << " (" << Why
                 << "); scanning without a cache\n";
    CacheDir.clear();
  };
  if (!CacheDir.empty()) {
    std::string Error;
    if (!checkCacheDir(CacheDir, Error))
      DisableCache(Error);
  }

  Progress Bar(Options.Progress, Jobs.size(), Options.ProgressSeconds);
  size_t Done = 0;

  std::vector<size_t> Pending;
  for (size_t I = 0; I != Jobs.size(); ++I) {
    if (!Jobs[I].CommandError.empty()) {
      Scan.Failures.push_back(
          {Jobs[I].File, "bad-command", Jobs[I].CommandError, {}});
      ++Done;
      continue;
    }
    if (!CacheDir.empty()) {
      Digests[I] = configurationDigest(Jobs[I], Config);
      if (std::optional<TUResult> Hit = cacheLookup(CacheDir, Digests[I])) {
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
        runWorker(Jobs[I], Config, std::string(File),
                  Options.TimeoutSeconds != 0, DriverPid);
      if (Pid < 0) {
        Scan.Failures.push_back(
            {Jobs[I].File, "crash", "cannot start a worker process", {}});
        ++Done;
        continue;
      }
      Running.push_back({Pid, I, Clock::now(), std::string(File)});
    }

    int Status = 0;
    pid_t Pid = ::waitpid(-1, &Status, WNOHANG);
    if (Pid <= 0) {
      auto Now = Clock::now();
      for (Worker &W : Running)
        if (Options.TimeoutSeconds &&
            Now - W.Start > std::chrono::seconds(Options.TimeoutSeconds))
          ::kill(W.Pid, SIGKILL);
      if (!Running.empty())
        Bar.update(Done, Jobs[Running.front().Index].File,
                   Running.front().Start);
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

    bool TimedOut =
        Options.TimeoutSeconds &&
        Clock::now() - W.Start > std::chrono::seconds(Options.TimeoutSeconds);
    // What a worker killed in the path-sensitive analysis leaves: the tidy
    // checks' findings, complete.
    std::string Partial = partialResultFile(W.ResultFile);
    std::optional<TUResult> Tidy =
        TimedOut ? readResult(Partial) : std::nullopt;
    llvm::sys::fs::remove(Partial);
    if (WIFSIGNALED(Status)) {
      if (TimedOut && WTERMSIG(Status) == SIGKILL) {
        Failure Timeout{Job.File,
                        "timeout",
                        "analysis exceeded the " +
                            std::to_string(Options.TimeoutSeconds) +
                            "s timeout (--timeout)",
                        {}};
        if (Tidy) {
          Timeout.Detail += " in the path-sensitive analysis; the tidy "
                            "checks' findings are reported";
          Tidy->Failures.push_back(std::move(Timeout));
          Results[W.Index] = std::move(*Tidy);
        } else {
          Scan.Failures.push_back(std::move(Timeout));
        }
      } else {
        Scan.Failures.push_back(
            {Job.File, "crash", describeSignal(WTERMSIG(Status)), {}});
      }
      continue;
    }
    std::optional<TUResult> Read = readResult(W.ResultFile);
    if (!Read) {
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
    TUResult &R = *Read;
    if (R.Failures.empty()) {
      ++Scan.AnalysedTranslationUnits;
      std::string Error;
      if (!CacheDir.empty() &&
          !cacheStore(CacheDir, Digests[W.Index], R, Error))
        DisableCache(Error);
    }
    Scan.Stats += R.Stats;
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
    llvm::append_range(Scan.OverBudget, R->OverBudget);
    if (R->Summary)
      Scan.Summaries.push_back(std::move(R->Summary));
  }
  normalize(Scan.Findings);
  normalize(Scan.Failures);
  normalize(Scan.OverBudget);
  return Scan;
}

} // namespace scan
} // namespace pitfall
