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
};

/// The store \p E makes: `a = v`, `a.store(v)`, `a.store(v, order)` on an
/// atomic variable or data member; nullopt for anything else.
std::optional<AtomicStore> atomicStore(const clang::Expr *E,
                                       const clang::ASTContext &Ctx);

/// A loop that waits for an atomic object to hold a value: it goes on while
/// `load Op Value` holds (Op a comparison).
struct AtomicSpin {
  const clang::ValueDecl *Object = nullptr;
  clang::BinaryOperatorKind Op = clang::BO_EQ;
  int64_t Value = 0;
};

/// The wait \p Loop (a while, do or for loop) is: its condition reads an
/// atomic variable or data member with a seq_cst or acquire load (`load()`
/// or its conversion) compared against a constant, or tests it as a bool;
/// its body only pauses (isPause()) or is empty. Nullopt otherwise (a
/// relaxed load orders nothing).
std::optional<AtomicSpin> atomicSpinWait(const clang::Stmt *Loop,
                                         const clang::ASTContext &Ctx);

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
