//===--- AtomicWaits.h - stores to atomics and spin-waits on them ---------===//
//
// A start handshake through an atomic: the starter spins until the thread
// it started stores a value (`while (status_ < kRunning) usleep(1);`), the
// thread stores it once it is set up (`status_ = kRunning;`). What the
// thread did before a seq_cst or release store happens before what the
// starter does after a seq_cst or acquire load that reads the value.
//
// These recognizers say what an expression does to an atomic object
// (std::atomic, std::atomic_ref, by the object's type): a store, with its
// value when it is a constant and whether it releases; and whether a loop
// only waits for an atomic to hold a value: its condition compares an
// atomic load with a constant (or tests an atomic bool), its body does
// nothing but pause (sleep, yield) or nothing at all.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_ATOMICWAITS_H
#define PITFALL_CORE_ATOMICWAITS_H

#include "clang/AST/OperationKinds.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace clang {
class ASTContext;
class CallExpr;
class Expr;
class Stmt;
class ValueDecl;
} // namespace clang

namespace pitfall {

/// A store to an atomic object: the variable or data member stored to, the
/// value when it is a constant, and whether it is a release (seq_cst,
/// release, acq_rel) store.
struct AtomicStore {
  const clang::ValueDecl *Object = nullptr;
  std::optional<int64_t> Value;
  bool Releases = true;
  /// The expression naming the atomic object stored to.
  const clang::Expr *Target = nullptr;
};

/// The store \p E makes: `a = v`, `a.store(v)`, `a.store(v, order)` on an
/// atomic variable or data member; nullopt for anything else.
std::optional<AtomicStore> atomicStore(const clang::Expr *E,
                                       const clang::ASTContext &Ctx);

/// The expression naming the atomic variable or data member \p E loads,
/// with any memory order: `a.load()`, `a.load(order)`, the conversion
/// `T()`; null for anything else.
const clang::Expr *atomicLoadObject(const clang::Expr *E);

/// A loop that waits for an atomic object to hold a value: it goes on while
/// `load Op Value` holds (Op a comparison).
struct AtomicSpin {
  const clang::ValueDecl *Object = nullptr;
  clang::BinaryOperatorKind Op = clang::BO_EQ;
  int64_t Value = 0;
  /// The expression naming the object whose data member the atomic is (`w`
  /// in `w.flag_.load()` and in `w.connected()`, a getter whose one return
  /// loads the flag); null for an atomic named otherwise.
  const clang::Expr *Owner = nullptr;
};

/// The wait \p Loop (a while, do or for loop) is: its condition reads an
/// atomic variable or data member with a seq_cst or acquire load (`load()`
/// or its conversion, directly or through a getter of its object whose one
/// return makes it) compared against a constant, or tests it as a bool;
/// its body only pauses (isPause()) or is empty. Nullopt otherwise (a
/// relaxed load orders nothing).
std::optional<AtomicSpin> atomicSpinWait(const clang::Stmt *Loop,
                                         const clang::ASTContext &Ctx);

/// The waits that \p Cond being true ends: each conjunct of \p Cond (`a &&
/// b`) that reads an atomic variable or data member with a seq_cst or
/// acquire load compared against a constant, or tests it as a bool, as the
/// wait that goes on while it does not hold (`done.load()`: while `done ==
/// 0`). The predicate of a polling wait (`[&] { return done.load(); }`)
/// returning true has seen the stores that end those waits.
llvm::SmallVector<AtomicSpin, 2> atomicConditions(const clang::Expr *Cond,
                                                  const clang::ASTContext &Ctx);

/// The callable argument of \p Call when its callee is a polling wait: a
/// function returning bool that calls its callable parameter in a loop and
/// returns true only when a call of it returned true — each of its
/// `return`s gives false, the parameter's result (`return condition();`),
/// or true in the branch of `if (condition())` (CppUnit's
/// `waitForCondition(pred, timeout)`). A true result says the callable
/// returned true. Null otherwise.
const clang::Expr *polledCallable(const clang::CallExpr *Call);

/// True if \p C only pauses the calling thread: a sleep or a yield (POSIX
/// `usleep`, `sleep`, `nanosleep`, `sched_yield`, `std::this_thread`'s
/// `sleep_for`, `sleep_until`, `yield`, a spin-loop hint).
bool isPause(const clang::CallExpr *C);

/// True if a store of \p Value ends the wait \p W (the loop's condition
/// no longer holds); an unknown value may.
bool endsWait(const AtomicSpin &W, std::optional<int64_t> Value);
bool endsWait(clang::BinaryOperatorKind Op, int64_t Waited,
              std::optional<int64_t> Value);

} // namespace pitfall

#endif // PITFALL_CORE_ATOMICWAITS_H
