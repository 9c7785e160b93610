//===--- Effects.h - what one expression does to the objects it names -----===//
//
// The single place that reads an expression's effect on threads, locks,
// synchronization objects, channels and error codes: the recognizers of
// lib/Core for library types (std::thread::join, mutex::lock,
// latch::count_down, condition_variable::notify_one, promise::set_value,
// channel close, error_code assignment, ...), and the callee's summary for
// a call of a function whose body is in the translation unit. Every
// summary family and every check's transfer function consumes these
// events, so a check and the summaries it relies on agree on what an
// expression does.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_EFFECTS_H
#define PITFALL_FLOW_EFFECTS_H

#include "pitfall/Flow/Summary.h"

#include "llvm/ADT/SmallVector.h"

namespace clang {
class CFGBlock;
class Stmt;
class VarDecl;
} // namespace clang

namespace pitfall {

class FlowContext;
class FlowGraph;

struct EffectEvent {
  ObjectPath Path;
  uint32_t Effect = NoEffect;
  /// For Arrives: how many (at least / at most; Unbounded if unknown).
  int64_t MinAmount = 1, MaxAmount = 1;
  /// The expression that has the effect.
  const clang::Stmt *Site = nullptr;
  /// True if the effect comes from a callee's summary (not the expression
  /// itself).
  bool FromSummary = false;
};

/// The effects of evaluating \p S itself (its operands are separate CFG
/// elements), for the summary families in \p Families. Effects on objects
/// that cannot be named are dropped. A call's lock effects are those of its
/// callee given the constants the call passes (SummaryCache::locksWith():
/// `Guard g(m)` with its default timeout 0 locks; `ScopedRWLock l(rwl,
/// true)` takes the writer lock), the parameters of the function \p S is in
/// that \p Bound binds included. A base class's or delegated-to
/// constructor run by a constructor's initialiser acts on the object being
/// built: its lock effects on `this` are the constructor's own.
void effectsOf(FlowContext &Flow, const clang::Stmt *S, uint8_t Families,
               llvm::SmallVectorImpl<EffectEvent> &Out,
               const ConstantBinding *Bound = nullptr);

/// The effects of destroying the automatic variable \p V (its class's
/// destructor summary mapped onto \p V: a guard's destructor releasing the
/// lock, a joiner's joining the thread).
void destructorEffects(FlowContext &Flow, const clang::VarDecl *V,
                       uint8_t Families,
                       llvm::SmallVectorImpl<EffectEvent> &Out);

/// The effects of running the callable \p Callable (a lambda, a
/// std::function built from one, a function) where the scope guard holding
/// it is destroyed, named as the function that holds the guard names them
/// (mapTaskSlot: captures by reference are the captured variables, copies
/// of handles the originals). False if the callable's target is unknown.
bool heldCallableEffects(FlowContext &Flow, const clang::Expr *Callable,
                         uint8_t Families,
                         llvm::SmallVectorImpl<EffectEvent> &Out);

/// The container every element of which the loop ending \p B (of \p G's
/// function) hands to something with one of \p Effects (of \p Families),
/// when control takes the exit edge \p Succ out of \p B: a loop that visits
/// every element (Core/ElementLoops.h: range-for, index loop from 0 to the
/// size or to the bound of the loop that filled the container, iterator
/// loop, front-popping while loop) whose body calls such a member on the
/// element, or hands the element to such a call. nullopt otherwise.
std::optional<ObjectPath>
containerOfElementLoopExit(FlowContext &Flow, const FlowGraph &G,
                           const clang::CFGBlock &B, unsigned Succ,
                           uint8_t Families, uint32_t Effects);

/// The container whose every thread is joined (or detached) when control
/// takes the \p Succ-th edge out of \p B: the exit edge of a loop over
/// every element that joins or detaches it (containerOfElementLoopExit).
/// nullopt otherwise.
std::optional<ObjectPath> containerReleasedOnEdge(FlowContext &Flow,
                                                  const FlowGraph &G,
                                                  const clang::CFGBlock &B,
                                                  unsigned Succ);

} // namespace pitfall

#endif // PITFALL_FLOW_EFFECTS_H
