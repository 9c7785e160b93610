//===--- FlowContext.h - the flow layer of one translation unit -----------===//
//
// One FlowContext per translation unit (and set of recognizer options) holds
// what every check shares: the recognizers configured from the project-wide
// options, the flow graph of each function (built once), the throw model,
// callable resolution, task starts, and function summaries. The clang-tidy
// checks, the analyzer checkers and pitfall-scan all reach it through
// FlowContext::get(); it is destroyed with the ASTContext.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_FLOWCONTEXT_H
#define PITFALL_FLOW_FLOWCONTEXT_H

#include "pitfall/Core/Channels.h"
#include "pitfall/Core/Errors.h"
#include "pitfall/Core/Escape.h"
#include "pitfall/Core/Locks.h"
#include "pitfall/Core/SyncPrimitives.h"
#include "pitfall/Core/Threads.h"
#include "pitfall/Core/UserDefinitions.h"
#include "pitfall/Flow/Callables.h"
#include "pitfall/Flow/Graph.h"
#include "pitfall/Flow/Summary.h"
#include "pitfall/Flow/Throws.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Decl;
class Expr;
} // namespace clang

namespace pitfall {

/// The recognizer options the flow layer is built from. Checks read them
/// with the project-wide defaults (clang-tidy's global CheckOptions: a user
/// sets `ThreadTypes` once for every check).
struct FlowOptions {
  std::string ThreadTypes = DefaultThreadTypes;
  std::string EscapeFunctions = DefaultEscapeFunctions;
  std::string LockTypes = DefaultLockTypes;
  std::string ChannelTypes = DefaultChannelTypes;
  std::string SendMethods = DefaultSendMethods;
  std::string WaitGroupTypes = DefaultWaitGroupTypes;
  std::string ErrorTypes = DefaultErrorTypes;
  std::string CheckedFunctions = DefaultCheckedFunctions;
  std::string AssertionMacros = DefaultAssertionMacros;
  std::string TestCaseMacros = DefaultTestCaseMacros;
  std::string TestPaths = DefaultTestPaths;
  std::string ExamplePaths = DefaultExamplePaths;
  bool MatchChannelNames = true;
  bool StatusHeuristic = true;

  /// A string identifying the options (equal options share a context).
  std::string key() const;

  /// The options as configured: \p Get gives a key's configured value
  /// ("ThreadTypes", ...), if any; the others keep their defaults.
  static FlowOptions
  read(llvm::function_ref<std::optional<std::string>(llvm::StringRef Key)> Get);
};

/// How a task is started.
enum class TaskKind : uint8_t {
  Thread,        ///< std::thread and the ThreadTypes (join or detach needed)
  JoiningThread, ///< std::jthread: joins itself when destroyed
  Async,         ///< std::async: the returned future's destructor waits
  Executor,      ///< an EscapeFunctions call (asio::post, pool.submit, ...)
  Spawner,       ///< a user function whose summary runs its callable elsewhere
};

struct TaskStart {
  TaskKind Kind = TaskKind::Thread;
  /// The construction or call that starts the task.
  const clang::Expr *Site = nullptr;
  /// The argument that is the task's callable.
  const clang::Expr *Callable = nullptr;
  /// What the callable runs (may be empty).
  CallableTarget Target;
  /// For Executor and Spawner calls: the executor object the call is made
  /// on (`pool` in `pool.submit(f)`, `io` in `asio::post(io, f)`), or null.
  const clang::Expr *Executor = nullptr;
};

/// The argument of \p T's start that the task's parameter \p ParamIndex is
/// bound to: the arguments after the callable (`std::thread t(f, a, b)`), and
/// after the object of a member function pointer (`std::thread t(&C::run,
/// &c, a)`). Null if there is none.
const clang::Expr *taskArgument(const TaskStart &T, unsigned ParamIndex);

/// The object of the function that starts \p T that the slot \p Slot of the
/// task's body (an object its summary names) denotes while the task runs:
///   * a parameter: the object its argument refers to when the task shares
///     it (`std::ref(x)`, `&x` for a pointer parameter); thread constructors,
///     std::async and std::bind copy every other argument, so the task has
///     its own object and the slot denotes nothing of the caller;
///   * `this`: the bound object of a member function pointer, or the
///     starting function's own object for a lambda (which captured it);
///   * a variable of the starting function: itself when the lambda captures
///     it by reference, nothing when it captures a copy;
///   * a global: itself.
/// nullopt when the slot denotes nothing the starting function can name.
std::optional<ObjectPath> mapTaskSlot(const TaskStart &T,
                                      const ObjectPath &Slot);

class FlowContext {
public:
  /// The context of \p Ctx's translation unit for \p Opts, created on first
  /// use and destroyed with \p Ctx. Thread-safe (clangd builds several ASTs
  /// at once); a context itself is used by one thread at a time.
  static FlowContext &get(clang::ASTContext &Ctx, const FlowOptions &Opts);

  clang::ASTContext &astContext() const { return Ctx; }
  const FlowOptions &options() const { return Opts; }

  const ThreadTypes &threads() const { return Escapes.threads(); }
  const EscapeRecognizer &escapes() const { return Escapes; }
  const LockRecognizer &locks() const { return Locks; }
  const ChannelRecognizer &channels() const { return Channels; }
  const SyncPrimitives &sync() const { return Sync; }
  const ErrorRecognizer &errors() const { return Errors; }
  ThrowModel &throws() { return Throws; }
  const CallableResolver &callables() const { return Callables; }
  SummaryCache &summaries() { return Summaries; }

  /// The flow graph of \p D (a function with a body), built once; null if
  /// it has no body or no CFG can be built.
  const FlowGraph *graph(const clang::Decl *D);

  /// The user's definitions of the translation unit (collected once): what
  /// every check is shown.
  llvm::ArrayRef<UserDefinition> userDefinitions();

  /// True if \p FD (or the function a lambda is written in) is test code
  /// (TestCode, Core/TestMacros.h: TestCaseMacros and TestPaths), the
  /// translation unit's test cases learnt on first use.
  bool isTestCode(const clang::FunctionDecl *FD);
  /// True if \p FD (or the function a lambda is written in) is a test case's
  /// own function or a member of its fixture (TestCode::isTestCase): what
  /// the test runs to check, not the helpers, handlers and node classes a
  /// test file defines for the code under test to call.
  bool isTestCase(const clang::FunctionDecl *FD);
  /// True if \p FD (or the function a lambda is written in) is defined in a
  /// file of the ExamplePaths: an example, sample, demo, tutorial or
  /// benchmark program.
  bool isExampleCode(const clang::FunctionDecl *FD) const;

  /// The tasks \p E starts (a CXXConstructExpr or CallExpr); empty if none.
  /// Calls to user functions are recognised by their summaries (a project's
  /// own pool.submit(), scheduler.commit(), ...).
  llvm::SmallVector<TaskStart, 1> taskStarts(const clang::Expr *E);

  /// True if the function \p Def (a definition of the translation unit,
  /// not a system header's) only calls the callable its parameter \p Index
  /// is given, before it returns: its callable summary runs the parameter
  /// on the spot (RunsHere), and neither runs it on another thread nor
  /// keeps it in an object that outlives the call. A call handing it a
  /// callable is a call of that callable, not a task start, whatever the
  /// function's name (an EscapeFunctions name such as `dispatch`).
  bool onlyCallsParam(const clang::FunctionDecl *Def, unsigned Index);

  /// True if calling \p FD blocks its caller: its body waits, directly or
  /// in a function of the translation unit it calls (Flow/Blocking.h).
  /// Cached.
  bool blocksCaller(const clang::FunctionDecl *FD);

  /// Per class, the mutexes its objects hold for their lifetime, with the
  /// mode: the cache of lifetimeLocks() (Flow/LockAnalysis.h), which fills
  /// it.
  using LifetimeLockList =
      llvm::SmallVector<std::pair<ObjectPath, LockMode>, 1>;
  llvm::DenseMap<const clang::CXXRecordDecl *, LifetimeLockList> &
  lifetimeLockCache() {
    return LifetimeLocks;
  }

  /// The constructions of class \p RD (its canonical declaration) in the
  /// user's code of the translation unit, collected once: a
  /// CXXConstructExpr of one of its constructors other than a copy or move
  /// (in a function body, a lambda's, a constructor's member initialiser,
  /// an in-class or a global initialiser), or a `std::make_shared<T>` /
  /// `std::make_unique<T>` call (Core constructorMadeBy()), whose
  /// arguments are the constructor's. A construction whose arguments do not
  /// line up with the constructor's parameters is recorded as null.
  llvm::ArrayRef<const clang::Expr *>
  constructionsOf(const clang::CXXRecordDecl *RD);
  /// The classes constructionsOf() knows constructions of (their
  /// definitions), in no particular order.
  llvm::SmallVector<const clang::CXXRecordDecl *, 8> constructedClasses();

  /// The cache of mutexAliasOf() (Flow/LockAnalysis.h), which fills it:
  /// per pointer or reference data member, the mutex it names (itself
  /// when none).
  llvm::DenseMap<const clang::ValueDecl *, const clang::ValueDecl *> &
  mutexAliasCache() {
    return MutexAliases;
  }

  FlowContext(const FlowContext &) = delete;
  FlowContext &operator=(const FlowContext &) = delete;
  ~FlowContext();

private:
  FlowContext(clang::ASTContext &Ctx, const FlowOptions &Opts);

  clang::ASTContext &Ctx;
  FlowOptions Opts;
  EscapeRecognizer Escapes;
  LockRecognizer Locks;
  ChannelRecognizer Channels;
  SyncPrimitives Sync;
  ErrorRecognizer Errors;
  ThrowModel Throws;
  CallableResolver Callables;
  SummaryCache Summaries;
  llvm::DenseMap<const clang::Decl *, std::unique_ptr<FlowGraph>> Graphs;
  std::optional<std::vector<UserDefinition>> Definitions;
  std::optional<TestCode> Tests;
  PathPatterns Examples;
  /// blocksCaller(), by definition (false while being computed).
  llvm::DenseMap<const clang::Decl *, bool> Blocking;
  llvm::DenseMap<const clang::CXXRecordDecl *, LifetimeLockList> LifetimeLocks;
  std::optional<llvm::DenseMap<const clang::CXXRecordDecl *,
                               llvm::SmallVector<const clang::Expr *, 2>>>
      Constructions;
  llvm::DenseMap<const clang::ValueDecl *, const clang::ValueDecl *>
      MutexAliases;

  /// The translation unit's test code, its test cases learnt on first use.
  const TestCode &tests();
  /// Fills Constructions once.
  void collectConstructions();
};

} // namespace pitfall

#endif // PITFALL_FLOW_FLOWCONTEXT_H
