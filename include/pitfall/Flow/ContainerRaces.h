//===--- ContainerRaces.h - containers shared between threads, unlocked ---===//
//
// The analysis behind pitfall-unlocked-container-access. Each function of
// the translation unit contributes the container accesses it makes (a
// structural write or a read of a standard or configured container, with the
// locks held: LockAnalysis.h) directly, in the helpers it calls (their
// access summaries, mapped to the caller's objects, under the caller's
// locks at the call as well as their own) and in the callables it runs in
// place (a condition variable's predicate, an algorithm's callback). A use
// of a local iterator into a container (`auto it = items_.find(k);`) is a
// read of the container where the iterator is used, under the locks held
// there. Two rules read them:
//
//   member rule  a data member written outside construction, some of whose
//                accesses hold a mutex G (the one held most often), is
//                reported where the class's functions access it without G
//                (a write: without G exclusively), provided at least as many
//                of those functions hold G as do not. A private helper is
//                judged in its callers; a function that takes a lock guard by
//                reference runs with it held. What a member function does
//                before it first hands `this` to another thread is set-up,
//                and what the object's worker does after the loop that
//                only its joining stop member ends is tear-down, not
//                judged; G held at a callee's access only through a
//                condition-variable wait's guard is no evidence.
//   thread rule  each task a function starts (FlowContext::taskStarts():
//                threads, std::async, executors, a project's own pools;
//                callables behind std::function, packaged_task, member
//                function pointers and variables) accesses the objects it
//                shares with the starting function (captured by reference,
//                passed by std::ref or pointer, `this`, globals). Those
//                accesses race with the starting function's accesses made
//                while the task may run (HappensBefore.h: join, futures,
//                drained executors, std::jthread scopes, correlated
//                branches), with other tasks started while it runs, and with
//                itself when it is started again before it ends, unless a
//                lock excludes the pair or a signal orders it (Ordering.h:
//                latch, barrier, WaitGroup, condition variable, promise).
//                Tasks posted to one strand, or to an executor the starting
//                function runs itself, do not overlap. An element reached
//                through a reference bound to it (`auto &e = m[k];`) is an
//                object of its own: not paired with an access of the
//                container that leaves the elements' contents alone (a
//                lookup; an insertion into a node-based container), nor, as
//                one reference bound per iteration of the loop that starts
//                the task to another element, across iterations.
//
// The analysis returns findings; the check words them and builds fix-its.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_CONTAINERRACES_H
#define PITFALL_FLOW_CONTAINERRACES_H

#include "pitfall/Flow/Throws.h"

#include "clang/Basic/SourceLocation.h"

#include <memory>
#include <vector>

namespace clang {
class Expr;
class FunctionDecl;
class ValueDecl;
} // namespace clang

namespace pitfall {

class ContainerRecognizer;
class FlowContext;

struct ContainerRace {
  enum Kind {
    Unguarded,  ///< member rule
    Concurrent, ///< thread rule
  } K = Unguarded;
  /// The access reported: the expression naming the container, the function
  /// whose body holds it.
  const clang::Expr *Ref = nullptr;
  const clang::FunctionDecl *Fn = nullptr;
  const clang::ValueDecl *Container = nullptr;
  bool Write = false;
  /// Unguarded: the mutex that guards the other accesses. Concurrent: a
  /// mutex the other side holds (preferring one held exclusively), or null.
  const clang::ValueDecl *Lock = nullptr;
  /// The other access: where it is (the access itself, or the call that
  /// leads to it when it is the same expression), and whether it writes.
  clang::SourceLocation OtherLoc;
  bool OtherWrite = false;
  /// Concurrent with itself: the task is started again while it runs;
  /// StartLoc is where.
  bool SelfConcurrent = false;
  clang::SourceLocation StartLoc;
  /// Taking Lock for the statement of the access cannot take a lock already
  /// held there: the access holds none, the function does not name Lock
  /// otherwise, no known call of it holds Lock, and Lock is in scope.
  bool FixSafe = false;
  /// A lock whose mutex the analysis cannot name (a guard of a virtual
  /// getter's result) is held at the access, on some path: Fn took it at
  /// UnknownLockLoc, or (UnknownLockAtCall) a call of Fn there holds it. It
  /// may be Lock: a fix taking Lock could deadlock, and is withheld.
  clang::SourceLocation UnknownLockLoc;
  bool UnknownLockAtCall = false;
};

/// The dismissible categories the analysis reports (the check's options).
struct ContainerRaceOptions {
  /// Unless set, an unlocked emptiness test that only decides whether to
  /// take the lock (lockingDecisions) is not reported by the member rule,
  /// and races with no locked access in the thread rule.
  bool ReportEmptinessTests = false;
  /// Unless set, the accesses of a copy/move assignment operator or a swap
  /// member (isWholeObjectAssignment) are not judged by the member rule:
  /// assigning a whole object another thread uses races whatever its
  /// members do.
  bool ReportWholeObjectAssignment = false;
  /// Unless set, the member rule does not report the unlocked reads of a
  /// member filled once under its lock (every write in a one-shot block
  /// that tests and clears a flag member under the lock, the flag never
  /// set back) made outside the functions that fill it: after the fill it
  /// is read-only, and code that reads it typically runs only after the
  /// fill (objects the filling call creates).
  bool ReportReadsAfterOnceInit = false;
  /// Unless set, the lock a function takes on one arm of a mode condition
  /// (a branch on a flag member, a parameter, a global the function never
  /// writes) and never on the other is held on that other arm, in the
  /// function and in the helpers it calls there
  /// (LockSetAnalysis::modeLocks()): the unlocked arm is the
  /// single-threaded mode the author chose by configuration.
  bool ReportModeConditionalLocks = false;
  /// Unless set, the member rule does not report an unlocked read that is
  /// the value a function returns (a getter: `return path_;`, by copy or by
  /// reference) of a member every write of which replaces it whole
  /// (`path_ = value;`, configurationValue()): a configuration value, read
  /// where it was set; a reference handed out cannot be guarded there.
  bool ReportConfigurationReads = false;
  /// The least kind of exception whose `catch` handlers' accesses are
  /// reported (parseThrowPaths; None: none of them). Default User: an
  /// access in a handler that only resource exhaustion reaches (starting a
  /// thread failed) is not reported by either rule.
  ThrowKind MinThrow = ThrowKind::User;
};

class ContainerRaces {
public:
  ContainerRaces(FlowContext &Flow, const ContainerRecognizer &Containers,
                 ContainerRaceOptions Options = ContainerRaceOptions());
  ~ContainerRaces();

  /// A function (method, lambda call operator, template instantiation or
  /// uninstantiated pattern) of the translation unit.
  void addFunction(const clang::FunctionDecl *FD);

  /// Analyses the functions added; findings in source order, each access
  /// reported once.
  std::vector<ContainerRace> run();

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

} // namespace pitfall

#endif // PITFALL_FLOW_CONTAINERRACES_H
