//===--- PoolDrain.h - pools drained by a counted signal --------*- C++ -*-===//
//
// A pool of the project may be drained without joining its threads: the
// submit raises a count of the tasks in flight, a worker runs a task, then
// brings the count down and, once it is back to zero, signals an object (an
// atomic's notify after a store, a condition variable's notify); the drain
// waits on that object while tasks are in flight (`done_.wait(false)`,
// `cv.wait(lock, [&] { return in_flight_ == 0; })`). Waiting on it then
// waits for every task submitted before.
//
// Read off what the class's functions do, not their names:
//   * the submit (or a member function of the class it calls) increments a
//     member counter C (`fetch_add`, `++`, `+=`);
//   * a thread the class starts reads the member the submit stores the
//     callable in, runs a callable (`task()`, `std::invoke`), decrements C
//     after it in the same iteration (no loop's back edge between the run
//     and the decrement: a decrement before the next task runs is not
//     one after this one), and signals W after the decrement.
// What is not checked: that the signal is guarded by the count reaching
// zero, and that the callable run is the one read from the member.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_POOLDRAIN_H
#define PITFALL_FLOW_POOLDRAIN_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class CXXRecordDecl;
class FieldDecl;
class FunctionDecl;
} // namespace clang

namespace pitfall {

class FlowContext;

/// Calls \p Task with the function that each thread or executor task
/// started by a member function (or constructor initialiser) of \p Record
/// runs, until it returns true; returns true if it did.
bool anyClassTask(FlowContext &Flow, const clang::CXXRecordDecl *Record,
                  llvm::function_ref<bool(const clang::FunctionDecl *)> Task);

/// The members of \p Record a worker of the class signals once it has run
/// a callable stored in \p Field and brought down a count of the tasks in
/// flight that \p Submit (a member function of \p Record that stores the
/// callable) increments: waiting on one of them drains the pool.
llvm::SmallVector<const clang::FieldDecl *, 1>
drainSignals(FlowContext &Flow, const clang::CXXRecordDecl *Record,
             const clang::FieldDecl *Field, const clang::FunctionDecl *Submit);

} // namespace pitfall

#endif // PITFALL_FLOW_POOLDRAIN_H
