//===--- WholeProgram.h - per-TU summaries and the link step --------------===//
//
// Deadlocks span files: one function takes lock A then B in one translation
// unit, another takes B then A in a second, and the threads are started in
// a third. Each TU's worker writes a compact summary of what its functions
// do (TUSummary: serialisable, versioned, cached with the TU's result); the
// link step merges the summaries of every TU of a scan (or of every shard)
// and reports what no single TU can see.
//
// A summary names functions and mutexes by USR (clang's unified symbol
// resolution: the same declaration in every TU that sees it), and records
// per function:
//   * the mutexes its own body acquires and waits for, each with the
//     mutexes it holds at that point (LockAnalysis.h: try_lock, mutexes
//     acquired together and a recursive mutex locked again are no
//     acquisition);
//   * its calls of functions by USR, with the mutexes held at each;
//   * its reads and writes of shared containers (the objects
//     pitfall-unlocked-container-access covers: namespace-scope and static
//     variables by USR, data members reached through `this` by the field's
//     USR, which names its class), with the mutexes held at each;
// and per task start (FlowContext::taskStarts) the starting function, the
// task's entry function, and which of the starting function's own
// acquisitions, calls and accesses may run while the task runs
// (HappensBefore.h).
//
// Link: a function's acquisitions are those of its body and, through its
// calls, those of its callees in any TU, under the locks held at the call.
// Orders are grouped by thread as in the per-TU check (LockOrder.h): a task
// (what its entry reaches), the starter's code while its tasks run, and
// external code (a function nothing in the program calls or starts: main,
// callbacks). Two tasks are concurrent; a task is concurrent with external
// code, with other functions' starter code, and with its own starter's code
// where the summary says it may run. Pairs of mutexes taken in both orders
// and cycles of three by concurrent threads are reported as
// pitfall-lock-order-inversion findings whose notes give every order, its
// call path (from the thread's entry to the order, and from the order to
// the acquisition in a helper) and the thread starts, wherever they are.
//
// Accesses are linked the same way: a container's accesses reached from
// each thread (its entry's calls, under the mutexes held along the path),
// and a write on one thread with an access on a concurrent one, with no
// mutex held at both (the summary keeps no lock modes: any common mutex
// excludes the pair), is a pitfall-unlocked-container-access finding at the
// write, with notes at the other access, the thread starts and the call paths.
// A data member stands for every object's, as a mutex member does, except
// where the calls that lead to the access say whose object it is: a member
// function called on a temporary (or a member of one), and what it calls on
// `this` in turn, and a constructor or destructor, touch an object the
// thread owns (SummaryCall::Object, SummaryFunction::OwnsThis).
//
// A task's start orders what came before it, as Go's `go` statement does:
// in any function on a thread's path (a root, a caller, the task's entry),
// the calls and accesses that come before, on every path of its flow graph
// (SummaryCall::After: no call that may start the task can run before
// them), each of its calls that reaches the task's start (through calls and
// the entries of the tasks they start, in any TU), cannot race with that
// task; nor can what a function does while the tasks it starts itself are
// not running (SummaryTask::ConcurrentCalls). A function that runs an
// io_context (SummaryFunction::Drives) reaches the starts made by asio
// handlers (SummaryFunction::Handler, TUSummary::BoundHandlers): they run
// only when a thread runs their io_context, and are no roots; it reaches
// the handlers handed to the async operations of the I/O objects of the
// io_contexts it runs (TUSummary::HandlerContexts). A task its starter ends
// before returning, started by a function no task runs, runs only while that
// starter runs on the program's own thread: that thread's code races with it
// only where the starter calls it while the task may run (its ConcurrentCalls).
// A task whose thread a data member of its starter's object holds
// (SummaryTask::Handle) is over, in a function whose calls start it on one
// object, after a call on that object that joins the member on every path
// (SummaryFunction::Joins) and that no start may follow, unless some
// function detaches it or moves it out (SummaryFunction::HandsOff).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_SCAN_WHOLEPROGRAM_H
#define PITFALL_SCAN_WHOLEPROGRAM_H

#include "pitfall/Scan/Finding.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace clang {
class FunctionDecl;
} // namespace clang

namespace pitfall {

class FlowContext;

namespace scan {

/// The summary format's version: a summary of another version is not
/// linked (the TU is analysed again).
inline constexpr unsigned WholeProgramVersion = 39;

/// A mutex held at an acquisition or a call: its USR and where the function
/// acquired it (no location when it was held on entry). A flag claimed under
/// a lock (Flow/LockAnalysis.h) is held like a mutex, named by claimName():
/// two accesses under claims of one flag with one free value do not
/// overlap; it is no mutex to name in a message.
struct HeldMutex {
  std::string Mutex;
  Location AcquiredAt;
  /// Held only by the mode of a flag's arm whose other arm takes it
  /// (HeldLock::ModeArm): it excludes races, it orders no acquisition.
  bool ModeArm = false;
};

/// The name of a claim of the flag \p FlagUSR whose free value is \p Free.
std::string claimName(llvm::StringRef FlagUSR, int64_t Free);
bool isClaimName(llvm::StringRef Name);
/// The claim held by code confined to the owner thread of the object whose
/// thread (or thread id) the data member \p MemberUSR holds
/// (HeldLock::ClaimState::Thread): two accesses holding it run on one
/// thread. It confines the members of the object reached through `this`
/// only (the link drops it from other accesses).
std::string ownerThreadName(llvm::StringRef MemberUSR);
bool isOwnerThreadName(llvm::StringRef Name);

struct SummaryAcquisition {
  std::string Mutex; ///< USR
  Location Loc;
  std::vector<HeldMutex> Held;
};

/// Whose object a member function is called on, as far as the caller
/// knows: its own (`this`, a member of `*this`: the callee's accesses
/// through `this` are to the caller's object), one the calling thread owns
/// (a temporary, a member of one, an object being constructed: no other
/// thread sees it), one each run of the calling task has its own (a local
/// object of the caller, an object a lambda captures by copy, or the target
/// of a pointer captured by copy that its creator has just allocated with
/// `new`, `std::make_shared` or `std::make_unique`: two runs of one task, or
/// two tasks each with its own, never share it; the starter and the other
/// tasks it hands the pointer to may), or, in a lambda's body, a local of
/// the function that defines the lambda, captured by reference, that no
/// other code reaches (Core/LocalObjects.h capturedLocal(): Captured; a task
/// that function starts on the lambda and ends before it returns is the
/// only other thread that sees it), or any other (a global, a pointer's
/// target).
enum class Receiver : uint8_t { Other, This, Owned, Task, Captured };
/// SummaryCall::Anchor.
enum class ObjectAnchor : uint8_t { Fixed, Param, None };

struct SummaryCall {
  std::string Callee; ///< USR
  Location Loc;
  std::vector<HeldMutex> Held;
  Receiver Object = Receiver::Other;
  /// For a call on a local object of the function's own (Receiver::Task)
  /// that nothing else can reach (Core/LocalObjects.h: not captured by
  /// reference, not bound to a reference, its address not taken, a pointer
  /// to a fresh allocation not copied), a number for that variable, shared
  /// by the function's calls on it; -1 otherwise. The link takes such an
  /// object for one the calling thread owns unless one of those calls may
  /// start a task (which may reach it through `this`).
  int Local = -1;
  /// The call is made on the function's reference parameter of this index,
  /// one it keeps (SummaryFunction::KeptParams); -1 otherwise. The link
  /// takes the object for one the calling thread owns when every caller on
  /// the path handed it a local of its own (Args).
  int Param = -1;
  /// The arguments bound to the callee's reference parameters that are the
  /// caller's own: (callee parameter index, source), the source a local's
  /// number (Local, Core/LocalObjects.h ownedLocal(): each call of the
  /// caller has its own, handed to callees by reference) or, negative,
  /// -1 - the index of a parameter the caller keeps.
  std::vector<std::pair<unsigned, int>> Args;
  /// The call is made on an object made anew in each iteration of a loop
  /// around it (Core/LocalObjects.h iterationObject(): a local object of
  /// the loop's body, or a pointer declared there to a fresh allocation):
  /// the tasks its earlier iterations started were started before the
  /// object existed.
  bool Fresh = false;
  /// For a Fresh call, the calls of After that may run in the same
  /// iteration after its object was made (on a path from the object's
  /// making to this call that does not make it anew): the tasks the function's
  /// other calls before it started (before the loop, or in earlier iterations)
  /// were started before the object existed.
  std::vector<unsigned> IterAfter;
  /// The call is made on an object the function has just made and not shown
  /// to any other code yet, on every path to it (Flow/FreshObjects.h: held
  /// by a local pointer, or a field of a local, not copied, handed on or
  /// captured since), or it makes that object (Makes: the constructor a
  /// `new` or `std::make_shared` runs, a function returning a
  /// `std::unique_ptr`): a number for the pointer's holder, shared by the
  /// function's calls on its objects; -1 otherwise. The link takes the
  /// object of such a member call for one the calling thread owns unless
  /// the call, or one on or making the holder's object that may run before
  /// it, may start a task (a thread started through it sees it).
  int NewObject = -1;
  bool Makes = false;
  /// For a NewObject call whose holder is given its object by a factory (a
  /// call of a function of the project's, directly or through a
  /// `std::function`, that returns a pointer), defined in another TU or
  /// chosen elsewhere: the object is new only if every function it may be
  /// made by returns a new object on every path (SummaryFunction::ReturnsNew)
  /// — the functions by USR (NewIf), and the callables every call of a
  /// function hands its parameter (NewIfArgs: (function USR, parameter
  /// index), a setter that stores its argument into the `std::function`
  /// member called; SummaryCall::CallableArgs). Otherwise the link takes
  /// the call for one on any object.
  std::vector<std::string> NewIf;
  std::vector<std::pair<std::string, unsigned>> NewIfArgs;
  /// The callable arguments of the call: (callee parameter index, the USR
  /// of the function the argument runs, empty when not known). Recorded
  /// with the accesses only.
  std::vector<std::pair<unsigned, std::string>> CallableArgs;
  /// The callee's bool parameters whose argument is known: (callee
  /// parameter index, value), the value 1 or 0 for a constant (a default
  /// argument's included) or, negative, -1 - the index of the caller's own
  /// bool parameter it passes on unchanged (never assigned in the caller).
  /// Recorded with the accesses only.
  std::vector<std::pair<unsigned, int>> BoolArgs;
  /// The callee's reference parameters bound to the caller's `*this` or a
  /// member of it (not through a pointer or reference member).
  std::vector<unsigned> ThisArgs;
  /// The callee, a member function, runs on the caller's own object or a
  /// part of it that the caller's object owns (Core/ExprUtil.h
  /// ownedMemberChain(): by-value members, what a std::unique_ptr member
  /// owns): OnThis, with the USRs of the data members from the caller's
  /// `this` to the callee's, outermost first (none: the same object).
  /// Recorded with the accesses only.
  bool OnThis = false;
  std::vector<std::string> Members;
  /// A virtual member function called by virtual dispatch (not by a
  /// qualified name): it runs only on an object whose class does not
  /// override it. Recorded with the accesses only.
  bool Virtual = false;
  /// The call is made on the object a thread-local pointer holds (USR of
  /// the variable; Core/ExprUtil.h threadLocalPointer(): `gCur->f()`, or
  /// `auto s = gCur; if (s) s->f();`): the calling thread's own value.
  /// Empty otherwise. Recorded with the accesses only.
  std::string Current;
  /// The call is made on the function's reference parameter of this index
  /// (whatever the function does with it); -1 otherwise.
  int OnParam = -1;
  /// Whose object a member call runs on, as its object expression says
  /// (Core/ExprUtil.h objectOrigin()): Fixed for `this`, a global or a
  /// static, a lambda's capture (what the task start handed it), and data
  /// members, smart pointers' targets and getters' results of these;
  /// Param for the same from a parameter of the function; None for
  /// anything else (a local, an element, a call's result). The link tells
  /// by it whether two threads' accesses of an unguarded member are on one
  /// object as far as the code shows (LinkUse::Anchored). A call of no
  /// object (a free function, a constructor, a lambda) is Fixed. Recorded
  /// with the accesses only.
  ObjectAnchor Anchor = ObjectAnchor::Fixed;
  /// For Anchor::Param, the parameter's index; -1 otherwise.
  int AnchorParam = -1;
  /// The callee's parameters whose argument's object is fixed as Anchor
  /// says (a pointer or reference to, or a copy of a pointer to, `this`, a
  /// member, a global, a capture): (callee parameter index, source), the
  /// source -1 for Anchor::Fixed or the index of the caller's parameter
  /// for Anchor::Param. Recorded with the accesses only.
  std::vector<std::pair<unsigned, int>> FixedArgs;
  /// The indices of the function's calls that may run before this one in a
  /// run of the function (itself, when a loop repeats it), when the
  /// function is SummaryFunction::Ordered.
  std::vector<unsigned> After;
  /// Among After, the calls made on the same object a loop makes anew in
  /// each iteration as this call (Fresh, or its construction) that may run
  /// before it only through the object's declaration: on an earlier
  /// iteration's object. The waits for work of the object this call is
  /// made on cannot have been passed by them.
  std::vector<unsigned> Renewed;
  /// The mutexes of the waits for work (SummaryFunction::ReturnGates) the
  /// function's own body passes on every path before this call, and the
  /// indices of its calls made on every path before it (whose callees'
  /// waits count too). Recorded with the accesses only.
  std::vector<std::string> Gates;
  std::vector<unsigned> Behind;
  /// For a call on the function's own object (OnThis, no Members): the
  /// thread data members of `this` it has joined on every path to the call
  /// (SummaryAccess::JoinedBefore). Recorded with the accesses only.
  std::vector<std::string> JoinedBefore;
};

/// A read or write of a shared container.
struct SummaryAccess {
  std::string Object; ///< USR of the variable or field
  Location Loc;
  bool Write = false;
  std::vector<HeldMutex> Held;
  /// A data member reached through `this` (not a global).
  bool ThroughThis = false;
  /// A member of the function's own object, reached from `this` through
  /// members it owns only (Core/ExprUtil.h ownedMemberChain()): the fields
  /// of Object are the path from `this`.
  bool Owned = false;
  /// An unlocked emptiness test that only decides whether to take the lock
  /// (lockingDecisions): no race with a locked access.
  bool DecidesLocking = false;
  /// The indices of the function's calls that may run before this access
  /// (SummaryCall::After).
  std::vector<unsigned> After;
  /// As SummaryCall::Gates and Behind, before this access.
  std::vector<std::string> Gates;
  std::vector<unsigned> Behind;
  /// The thread data members of the function's `this` (USRs) it has
  /// joined on every path to the access (`t.join()`, after `if
  /// (t.joinable()) t.join();`): the threads they held have finished.
  std::vector<std::string> JoinedBefore;
};

/// A store to an atomic object (Core/AtomicWaits.h) that a function's body
/// makes, or a lambda its body creates makes (placed at the lambda's
/// creation: its body cannot run before it). Recorded with the accesses
/// only.
struct SummaryStore {
  std::string Atomic; ///< USR of the variable or data member
  /// The value stored, when a constant.
  std::optional<int64_t> Value;
  /// A seq_cst or release store (a relaxed one orders nothing).
  bool Releases = true;
  /// The indices of the function's calls and accesses that may run after
  /// it.
  std::vector<unsigned> LaterCalls, LaterAccesses;
};

/// A wait for an atomic to hold a value after a task's start, in its
/// starter (Core/AtomicWaits.h atomicSpinWait(): the loop goes on while
/// `load Op Value` holds, Op a BinaryOperatorKind comparison).
struct SummaryWait {
  std::string Atomic; ///< USR
  int Op = 0;
  int64_t Value = 0;
  /// The wait is made only when the starter's bool parameter of this index
  /// (never assigned in it) is true: `if (wait) while (...) usleep(1);`;
  /// -1 when it is made whatever the arguments. What follows describes the
  /// paths where it is true.
  int Param = -1;
  /// Every path of the starter from the start to its normal return passes
  /// the wait.
  bool AtReturn = false;
  /// The starter's calls and accesses every path to which passes the wait
  /// after the start.
  std::vector<unsigned> Calls, Accesses;
};

struct SummaryFunction {
  std::string USR;
  std::string Name; ///< qualified, for messages
  /// False for a lambda's call operator and a function with internal
  /// linkage: nothing outside its TU calls it.
  bool External = true;
  std::vector<SummaryAcquisition> Acquisitions;
  std::vector<SummaryCall> Calls;
  std::vector<SummaryAccess> Accesses;
  /// A definition a program has once: external, not inline, not a template
  /// instantiation. Several TUs defining it (every `main`, a helper of the
  /// same name in two executables) belong to different programs: the link
  /// step keeps each TU's own.
  bool Unique = false;
  /// A constructor or destructor: its accesses through `this` are to an
  /// object no other thread sees yet (or any more).
  bool OwnsThis = false;
  /// For a lambda's call operator (or a local class's member), the USR of
  /// the function whose body defines it: it runs only in the programs that
  /// function runs in, whoever calls it (a handler stored in a
  /// std::function and run by a framework).
  std::string Within;
  /// The calls' and accesses' After are known (the function has a flow
  /// graph); otherwise any call may run before any other.
  bool Ordered = false;
  /// Its body runs an io_context's handlers (`io_.run()`, `run_one()`,
  /// `poll()`, `poll_one()`).
  bool Drives = false;
  /// The io_contexts it runs there, as contextExecutorKey() names them
  /// (without its prefix; "?" for one it cannot name, which may be any);
  /// not those of local io_context variables it runs, which no other code
  /// names.
  std::vector<std::string> DrivenContexts;
  /// A lambda handed to an asio call (an async operation, post, dispatch,
  /// a strand's wrap): it runs when a thread runs its io_context.
  bool Handler = false;
  /// Recorded with the accesses only (pitfall-unlocked-container-access),
  /// for the waits for work: the mutexes its body acquires (USRs, with or
  /// without pitfall-lock-order-inversion's Acquisitions);
  std::vector<std::string> Takes;
  /// the mutexes of the waits for work its body passes on every path to
  /// its return: a condition-variable wait that ends only when notified
  /// (`cv.wait(lock, pred)`, or `cv.wait(lock)` in a loop, the loop's exit)
  /// under the mutex its lock holds; only a thread that acquires the mutex
  /// (to publish the work) can end it;
  std::vector<std::string> ReturnGates;
  /// and the indices of its calls made on every path to its return (their
  /// callees' ReturnGates are passed too).
  std::vector<unsigned> ReturnBehind;
  /// The reference parameters it keeps (Core/LocalObjects.h keptParam()):
  /// the object it is handed reaches no other code but its calls that name
  /// the parameter (SummaryCall::Param, SummaryCall::Args).
  std::vector<unsigned> KeptParams;
  /// Its stores to atomic objects (with the accesses only).
  std::vector<SummaryStore> Stores;
  /// The waits for an atomic to hold a value (Core/AtomicWaits.h) its body
  /// makes on an object after a call on every path to the wait that makes
  /// that object or is made on it (`Worker w; while (w.connected())
  /// sleep(1); w.write(out);`): (the call's index, the wait; its Calls and
  /// Accesses those every path to which passes the loop's exit, its Param
  /// -1). A task the call starts whose entry ends the wait with a releasing
  /// store has done, when the wait ends, what it did before that store.
  /// Recorded with the accesses only.
  std::vector<std::pair<unsigned, SummaryWait>> CallWaits;
  /// The parameters whose callable it only calls before returning (an
  /// EscapeFunctions name's function: FlowContext::onlyCallsParam()): a
  /// task start another TU takes it for by its name is a call
  /// (SummaryTask::Via).
  std::vector<unsigned> CallsOnly;
  /// It returns a pointer to a new object on every path (`std::make_shared`,
  /// `new`, a `std::unique_ptr` by value; Core returnsFreshObject()), or a
  /// null one (with the accesses only): SummaryCall::NewIf.
  bool ReturnsNew = false;
  /// The class (USR) of the object its `this` points to (a lambda's: that
  /// of the function defining it, Core/ExprUtil.h thisClassOf()); empty
  /// for none. Recorded with the accesses only.
  std::string ThisClass;
  /// The thread data members of its `this` (USRs) it joins on every path
  /// by which it returns normally, never detaching nor moving them out
  /// (Flow/ThreadMembers.h threadMemberEnds()): `if (thread_.joinable())
  /// thread_.join();`. Recorded with the accesses only.
  std::vector<std::string> Joins;
  /// The thread data members of its `this` it may detach or move out to
  /// another owner: a join of such a member, anywhere in the program, ends
  /// nothing. Recorded with the accesses only.
  std::vector<std::string> HandsOff;
  /// The thread-local pointer variables (USRs) its body gives `this`
  /// (SetsCurrent), and those it gives anything but `this` or a null
  /// pointer, binds to a reference or takes the address of (SetsOther;
  /// Core/ExprUtil.h threadLocalStores()). Recorded with the accesses only.
  std::vector<std::string> SetsCurrent, SetsOther;
  /// For a virtual member function whose methods that introduce it (that
  /// override nothing) are all non-public, none declared in a system header
  /// (a protected customisation point, only the class hierarchy's own code
  /// calls it): its own USR and those of the methods it overrides. Every
  /// call that may run it names one of them, in some TU of the program: the
  /// link gives it the locks held at all of them (applyCallerEntryLocks()).
  /// For a non-virtual function (a member, public or not, or a free
  /// function; not a constructor, destructor, lambda or `main`), its own
  /// USR: the link does the same when no TU names it otherwise than as a
  /// direct call's callee (TUSummary::Referenced) nor starts a task on it.
  /// Recorded with the accesses only.
  std::vector<std::string> Hook;
  /// For a virtual member function that overrides others: the USRs of the
  /// methods it overrides, directly or not. A virtual call of one of them
  /// may run it (the link follows it there, and does not take it for a
  /// function nothing calls).
  std::vector<std::string> Overrides;
};

/// A class some function's `this` points to (SummaryFunction::ThisClass):
/// its bases, direct and indirect, and among them the virtual ones. Two
/// objects reached from `this` of two classes neither of which derives
/// from the other, sharing no virtual base, are two objects.
struct SummaryClass {
  std::string USR;
  std::vector<std::string> Bases, VirtualBases;
  /// The virtual member functions (USRs) that a member function of the
  /// class or of one of its bases overrides: none of them runs by virtual
  /// dispatch on an object of the class.
  std::vector<std::string> Overridden;
};

/// A completion handler handed to an async operation of an I/O object
/// whose io_context the TU names (TUSummary::HandlerContexts).
struct SummaryHandler {
  std::string USR;     ///< the handler: a lambda's call operator, a function
  std::string Context; ///< the io_context, as DrivenContexts names it
  Location Loc;        ///< the async operation's call
};

struct SummaryTask {
  std::string Starter; ///< USR of the function that starts it
  std::string Entry;   ///< USR of the function the task runs
  Location Loc;        ///< the start
  /// Indices into the starter's Acquisitions, Calls and Accesses that may
  /// run while the task runs.
  std::vector<unsigned> ConcurrentAcquisitions, ConcurrentCalls,
      ConcurrentAccesses;
  /// Indices into the starter's Calls and Accesses that may run after the
  /// start, when known (Ordered); otherwise any may.
  std::vector<unsigned> LaterCalls, LaterAccesses;
  bool Ordered = false;
  /// The serial executor the task is sent to, when it is one the link can
  /// name (serialExecutorName()): an active object (Core/ActiveObjects.h)
  /// or a strand that is a global or a data member. The tasks sent to one
  /// run one after another; empty for any other start.
  std::string Serial;
  /// The task cannot run after its starter returns (joined, its future
  /// waited for, on every path): what a caller does after the call that
  /// started it is ordered after it.
  bool Ended = false;
  /// The starter's waits, after the start, for an atomic to hold a value
  /// (with the accesses only): what the task's entry does before every
  /// store of it that can end the wait (SummaryFunction::Stores) happens
  /// before what follows the wait.
  std::vector<SummaryWait> Waits;
  /// A start taken by the name of the function the callable is handed to
  /// (EscapeFunctions: `dispatch`, `post`, ...), a function of the project
  /// the TU has no definition of: its USR and the parameter's index. The
  /// link takes the start for a call of the entry when that function only
  /// calls the parameter (SummaryFunction::CallsOnly).
  std::string Via;
  int ViaParam = -1;
  /// The data member of the starter's `this` the task's thread is stored
  /// in (USR; HappensBefore.h handleOf(), not moved on elsewhere): a join
  /// of that member on the same object (SummaryFunction::Joins) ends the
  /// task. Empty when not known. Recorded with the accesses only.
  std::string Handle;
  /// The starter is a constructor, the task's entry runs on the object it
  /// is making (the bound object of a member function pointer, or the
  /// `this` a lambda captures, is the constructor's `this`), and the start
  /// runs at most once per call (not in a loop): each run of the task has
  /// an object of its own, which the constructor made. Recorded with the
  /// accesses only.
  bool OnOwnObject = false;
  /// The data member of the starter's `this` holding the task's thread (its
  /// handle, or the pointer member a `new` thread is stored in:
  /// Flow/HappensBefore.h threadHolderOf()), for a task whose entry runs on
  /// the starter's `this`: the task is that object's owner thread, where a
  /// current-thread test reading the member confines code
  /// (ownerThreadName()). Empty when none. Recorded with the accesses only.
  std::string Owner;
  /// The starter is a member function other than a constructor, the task's
  /// entry runs on its `this` (as for OnOwnObject), and the start runs at
  /// most once per call: when every call of the starter in the program is
  /// made on an object its caller has just made or makes anew in each
  /// iteration, and no other call of it may come first on that object
  /// (SummaryCall::Fresh, NewObject), each run of the task has an object
  /// of its own, as a constructor's does. Recorded with the accesses only.
  bool OnStarterThis = false;
  /// The start is in a loop of the starter that may repeat it.
  bool Repeated = false;
  /// The task is sent to the loop the starting thread made for itself
  /// (Flow/HappensBefore.h runsOnStartersThread(): `Loop::get()->defer(f)`):
  /// it runs later on the starter's thread. The link takes it for a call of
  /// the entry by the starter, made after the start, outside its locks.
  bool OnStarterThread = false;
};

/// The name of the gate every task sent to the serial executor \p Key
/// holds while it runs, like a mutex: two of them never overlap. No mutex
/// to name in a message.
std::string serialExecutorName(llvm::StringRef Key);
bool isSerialExecutorName(llvm::StringRef Name);

/// The SummaryTask::Serial key of a task sent to the io_context \p Key
/// names (a data member through `this`, a global, or the io_context a
/// getter returns, by the virtual function it overrides): its tasks run one
/// after another, and with the one thread that runs it, only while one
/// thread at most runs that io_context in the programs the starter runs in
/// (Linker::contextGates(), docs/scan.md "An io_context one thread runs").
/// The link drops the key otherwise.
std::string contextExecutorKey(llvm::StringRef Key);
bool isContextExecutorKey(llvm::StringRef Key);

/// pitfall-ignored-error's evidence of the project's convention
/// (Flow/ErrorConvention.h): a call site whose error result the TU's code
/// uses or drops, and a discarded-result finding the whole program decides.
struct ErrorUseSite {
  std::string Callee; ///< USR of the function the uses are counted under
  Location Loc;       ///< where the call is
  bool Dropped = false;
};
struct ErrorUseFinding {
  std::string Callee; ///< USR
  Location Loc;       ///< where the finding is reported
  /// The check's ReportConventionallyIgnored: a best-effort drop is kept
  /// as a note rather than left out.
  bool ReportAsNote = false;
};
struct ErrorUses {
  std::vector<ErrorUseSite> Sites;
  std::vector<ErrorUseFinding> Findings;
  bool empty() const { return Sites.empty() && Findings.empty(); }
};

/// What one translation unit contributes to the link step.
struct TUSummary {
  std::string File; ///< the TU's main file
  std::vector<SummaryFunction> Functions;
  std::vector<SummaryTask> Tasks;
  /// A readable name for each mutex USR used above.
  std::vector<std::pair<std::string, std::string>> MutexNames;
  /// The pointer and reference data members used above as mutexes whose
  /// class the TU constructs: (member USR, the USR of the mutex every
  /// construction of the TU gives it, Flow/LockAnalysis.h mutexAliasOf(),
  /// or "" when they give it none or several). The link names the member
  /// by that mutex when every TU that constructs its class agrees
  /// (linkWholeProgram()); the TU's own facts already do.
  std::vector<std::pair<std::string, std::string>> MutexAliases;
  /// The reference and pointer data members to an io_context of the
  /// classes the TU constructs: (member USR, the io_context every
  /// construction of the TU gives the constructor parameter every
  /// constructor initialises it from, as SummaryTask::Serial names it, or
  /// "" when they give it none or several, or the TU sees a constructor's
  /// initialisers not). The link names the member by that io_context when
  /// every TU that constructs its class agrees (linkWholeProgram()).
  std::vector<std::pair<std::string, std::string>> ContextAliases;
  /// A readable name for each container USR used above.
  std::vector<std::pair<std::string, std::string>> ObjectNames;
  /// The classes of the functions' `this` (SummaryFunction::ThisClass)
  /// and of Constructed whose bases are all known.
  std::vector<SummaryClass> Classes;
  /// The polymorphic classes of the user's code whose objects the TU may
  /// make: not abstract, a constructor of theirs used (by a construction
  /// anywhere, a library's template, a derived class's constructor: more
  /// than are made, never fewer), their bases all known (Classes). The link
  /// follows a virtual call only to the overrides that are the final
  /// overrider of a class some TU may make.
  std::vector<std::string> Constructed;
  /// The TU's main file and the headers of the locations above where the
  /// TU's checks report (its header filter accepts them), absolute: a
  /// linked finding elsewhere is not reported, as clang-tidy would not.
  std::vector<std::string> Reported;
  /// The functions (canonical USRs) the TU's code names otherwise than as
  /// the callee of a direct call: their address taken (`&C::f`, a function
  /// pointer, a thread's entry), handed to a call as a callable. The calls
  /// the link sees are not all the places they run from. Recorded with the
  /// accesses only.
  std::vector<std::string> Referenced;
  /// The functions (canonical USRs) the TU hands to asio calls bound to
  /// their object (`std::bind(&C::on_read, this, _1)`): completion
  /// handlers, as the lambdas handed there are (SummaryFunction::Handler),
  /// wherever they are defined.
  std::vector<std::string> BoundHandlers;
  /// The completion handlers the TU hands to async operations of I/O
  /// objects made with an io_context it names (a socket member constructed
  /// with `ctx_`, a timer made `new deadline_timer(*m_Service)`): they run
  /// on the threads that run that io_context (SummaryFunction::
  /// DrivenContexts), and the link reaches them there.
  std::vector<SummaryHandler> HandlerContexts;
  /// Which classes' objects other threads may reach (Flow/ClassReach.h):
  /// (holder, held) class USRs, an object of the first may hold one of the
  /// second; and the classes the TU's code shares outright (globals, task
  /// starts' arguments, untyped pointers). The link takes the members of a
  /// class no chain of holds leads to from a shared class for members of
  /// objects one thread sees. Recorded with the accesses only.
  std::vector<std::pair<std::string, std::string>> ClassHolds;
  std::vector<std::string> SharedClasses;
  /// The check's ReportUnguardedMembers option (SummaryOptions): the link
  /// reports, as notes, the races of a member no code accesses under a lock
  /// that both threads reach through objects of unknown origin.
  bool ReportUnguarded = false;
  /// pitfall-ignored-error's call sites and findings (its own section,
  /// "errorUses"; empty without the check).
  ErrorUses Errors;
};

/// What a summary records: what the enabled checks link.
struct SummaryOptions {
  bool Acquisitions = true; ///< pitfall-lock-order-inversion
  bool Accesses = false;    ///< pitfall-unlocked-container-access
  /// The check's ContainerTypes option.
  std::string ContainerTypes;
  /// The check's ReportUnlockedEmptinessChecks option: without it, an
  /// unlocked emptiness test that only decides whether to take the lock
  /// (lockingDecisions) races with no locked access.
  bool ReportEmptinessTests = false;
  /// The check's ReportModeConditionalLocks option: without it, the lock a
  /// function takes on one arm of a mode condition and never on the other
  /// is held on that other arm (LockSetAnalysis::modeLocks()).
  bool ReportModeConditionalLocks = false;
  /// The check's ReportUnguardedMembers option (TUSummary::ReportUnguarded).
  bool ReportUnguardedMembers = false;
  /// The TU's HeaderFilterRegex and ExcludeHeaderFilterRegex: the headers
  /// whose findings are reported (none without a filter).
  std::optional<std::string> HeaderFilter, ExcludeHeaderFilter;
};

/// The summary of \p Flow's translation unit, from \p Functions: its function
/// definitions (those the checks are handed; each once). A mutex that is a
/// parameter of the function that locks it is left out (the link step
/// cannot map it to the caller's argument); a mutex member stands for every
/// object's, as in the per-TU analysis.
TUSummary summarize(FlowContext &Flow,
                    llvm::ArrayRef<const clang::FunctionDecl *> Functions,
                    const SummaryOptions &Options = SummaryOptions());
/// The same for every function definition of the translation unit outside
/// system headers (lambdas and template instantiations included; patterns
/// of templates are not, their instantiations are).
TUSummary summarize(FlowContext &Flow,
                    const SummaryOptions &Options = SummaryOptions());

/// JSON with the format version; files relative to \p SourceRoot when they
/// are under it.
llvm::json::Value toJSON(const TUSummary &S, llvm::StringRef SourceRoot);
/// The inverse; false (with \p Error set) for malformed JSON or another
/// version.
bool fromJSON(const llvm::json::Value &V, TUSummary &S,
              llvm::StringRef SourceRoot, std::string &Error);

/// Bounds of the link step.
struct LinkLimits {
  /// How many calls deep acquisitions are followed.
  unsigned MaxDepth = 8;
  /// Acquisitions kept per function (transitively), uses examined per order.
  unsigned MaxAcquisitions = 64, MaxUsesPerOrder = 16;
  /// Uses (an access on one thread) examined per container.
  unsigned MaxUsesPerObject = 256;
  /// Leave out the cycles (races) one summary holds entirely (every function on
  /// the threads' paths defined in that TU, the tasks started there): the
  /// TU's own pitfall-lock-order-inversion check reports them.
  bool AcrossTUsOnly = false;
  /// The functions reached (visits of a function under one set of held
  /// mutexes and task states: the nodes of a thread's call tree) one
  /// thread's tree may hold, and all threads' trees together: a program
  /// whose every function may be reached under many combinations of locks
  /// would otherwise grow trees past the machine's memory. A tree cut at
  /// the budget pairs what it holds; what lies deeper on its paths is not
  /// linked (LinkReport::CutThreads says how many were cut).
  uint64_t MaxReachedPerThread = 200000;
  uint64_t MaxReachedTotal = 2000000;
  /// Where the link says what it left out, when not null.
  LinkReport *Report = nullptr;
};

/// Links \p Summaries and returns the pitfall-lock-order-inversion findings
/// (normalised, in file order). A function defined in several TUs (inline,
/// templates) is linked once, from the first summary that defines it; each
/// TU's copy of one of its task starts is the start as that TU's program
/// runs it: two copies race as two threads unless their TUs are two
/// programs (a `main`'s, a test's); one a
/// program defines once (SummaryFunction::Unique) that several TUs define
/// is linked per TU: a TU's calls and thread starts reach its own
/// definition, a TU without one reaches every one, and the threads of two
/// `main`s (two executables) do not run together.
std::vector<Finding> linkLockOrder(llvm::ArrayRef<TUSummary> Summaries,
                                   const LinkLimits &Limits = LinkLimits());
std::vector<Finding> linkLockOrder(llvm::ArrayRef<const TUSummary *> Summaries,
                                   const LinkLimits &Limits = LinkLimits());

/// A read of a container: its file, line and the container's name, as
/// findings name it.
struct ReadPlace {
  std::string File;
  unsigned Line = 0;
  std::string Object;
  friend bool operator<(const ReadPlace &A, const ReadPlace &B) {
    return std::tie(A.File, A.Line, A.Object) <
           std::tie(B.File, B.Line, B.Object);
  }
};
using ReadPlaces = std::set<ReadPlace>;

/// Links \p Summaries and returns the pitfall-unlocked-container-access
/// findings (normalised, in file order): one at each write that races with
/// an access on another thread, the first such access its note. With
/// \p Reads, adds to \p Ordered those of its places whose accesses every
/// thread that reaches them makes on a serial executor's thread (an
/// io_context one thread runs, a strand) and that race with no write of
/// their object, every write of which some thread reaches: the member
/// rule's reads of a table only that thread writes (under the lock, for
/// other threads' reads) are no race.
std::vector<Finding>
linkContainerRaces(llvm::ArrayRef<const TUSummary *> Summaries,
                   const LinkLimits &Limits = LinkLimits(),
                   const ReadPlaces *Reads = nullptr,
                   ReadPlaces *Ordered = nullptr);

/// The link step of a scan of a whole program (every TU, or every shard's
/// summaries): adds to \p R the findings of linkLockOrder and
/// linkContainerRaces over R.Summaries that no TU's own check reported (as
/// a whole, or at the same place: R.Findings has one of the check there), no
/// NOLINT comment suppresses (at their line, NOLINTNEXTLINE above it, a
/// NOLINTBEGIN/NOLINTEND block around it) and whose file is a TU's main
/// file or a header some TU reports in (TUSummary::Reported: the header
/// filter), normalised. The summaries are kept.
void linkWholeProgram(ScanResult &R);

/// The project's own convention for dropped results, over R.Summaries'
/// ErrorUses: a pitfall-ignored-error finding of a discarded result whose
/// callee the program's call sites (each counted once, whichever TUs hold
/// it) drop at two sites or more and at least as often as they use it is
/// left out, or kept with severity note when its TU's check was asked
/// (ReportConventionallyIgnored). Called by linkWholeProgram.
void applyErrorConvention(ScanResult &R);

} // namespace scan
} // namespace pitfall

#endif // PITFALL_SCAN_WHOLEPROGRAM_H
