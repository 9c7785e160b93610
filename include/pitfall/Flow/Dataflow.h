//===--- Dataflow.h - the one forward and backward dataflow framework -----===//
//
// An analysis describes its lattice and transfer functions; the solver runs
// it over a FlowGraph to a fixpoint (worklist in reverse post-order, as
// clang's dataflow worklists order it), then replays the
// fixpoint once so the analysis can record findings. Every flow-sensitive
// analysis of pitfall (lock sets, thread states, closed channels, error
// liveness, arrival counts, happens-before) is one of these.
//
// A forward analysis derives from ForwardAnalysis<Derived, State> and
// provides
//
//   State initialState();                        // at the function's entry
//   void join(State &Into, const State &From);   // least upper bound
//   void transfer(const clang::CFGElement &E, State &S);
//
// (State needs operator==), and may hide these defaults:
//
//   void refineEdge(const clang::CFGBlock &From, unsigned Succ, State &S);
//       narrow the state on the Succ-th successor edge (branch conditions);
//   ThrowKind throwKind(const clang::CFGElement &E);
//       whether E may throw (default: the graph context's throw model when
//       exceptions are modelled, see modelExceptions());
//   void unwind(const clang::VarDecl *V, const clang::Stmt *Site, State &S);
//       V is destroyed by an exception thrown at Site;
//   bool feasible(const State &S);   // false drops the state (infeasible path)
//   void widen(State &Merged, const State &Old);
//       at a loop head whose state grew: make an ascending chain finite
//       (counters: jump to "unbounded");
//
// During the replay reporting() is true: transfer(), unwind() and
// refineEdge() then see each reachable element once per fixpoint state, in
// reverse post-order, and may record findings. Analyses never emit
// diagnostics: they return findings to the check.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_DATAFLOW_H
#define PITFALL_FLOW_DATAFLOW_H

#include "pitfall/Flow/Graph.h"
#include "pitfall/Flow/Throws.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <vector>

namespace pitfall {

template <typename A> class Correlated;

/// How many times the solver may visit each block before it gives up (a
/// safety net: the analyses' lattices are finite, so this is never reached
/// in practice).
inline constexpr unsigned MaxVisitsPerBlock = 64;

/// What \p E may throw under \p Model (nothing without a model): the default
/// throwKind() of forward and backward analyses.
inline ThrowKind throwKindOf(ThrowModel *Model, const clang::CFGElement &E,
                             const FlowGraph &G) {
  auto CS = E.getAs<clang::CFGStmt>();
  return Model && CS ? Model->classify(CS->getStmt(), G.context())
                     : ThrowKind::None;
}

template <typename Derived, typename StateT> class ForwardAnalysis {
public:
  using State = StateT;

  void refineEdge(const clang::CFGBlock &, unsigned, State &) {}
  /// Called at a loop head when its state grew: may widen \p Merged
  /// (the join) given the state \p Old it had before.
  void widen(State &, const State &) {}
  void unwind(const clang::VarDecl *, const clang::Stmt *, State &) {}
  bool feasible(const State &) const { return true; }
  /// What the element may throw; only asked when exceptions are modelled.
  ThrowKind throwKind(const clang::CFGElement &E) {
    return throwKindOf(Throws, E, *Graph);
  }

  /// True while the solver replays the fixpoint (record findings now).
  bool reporting() const { return Reporting; }
  const FlowGraph &graph() const { return *Graph; }

  /// Makes the solver follow exceptional edges of the expressions \p Model
  /// says may throw. Without it, exceptions are not modelled.
  void modelExceptions(ThrowModel &Model) { Throws = &Model; }
  bool modelsExceptions() const { return Throws != nullptr; }

private:
  template <typename A> friend class ForwardSolver;
  template <typename A> friend class Correlated;
  const FlowGraph *Graph = nullptr;
  ThrowModel *Throws = nullptr;
  bool Reporting = false;
};

/// Runs a forward analysis \p A over \p G.
template <typename A> class ForwardSolver {
public:
  using State = typename A::State;

  ForwardSolver(const FlowGraph &G, A &Analysis)
      : G(G), An(Analysis), In(G.cfg().getNumBlockIDs()) {
    An.Graph = &G;
  }

  /// Computes the fixpoint. False if the visit budget ran out (the states
  /// are then incomplete and the analysis should not report).
  bool solve() {
    const clang::CFG &Cfg = G.cfg();
    In[Cfg.getEntry().getBlockID()] = An.initialState();
    // The worklist discipline of clang's ForwardDataflowWorklist (lowest
    // reverse post-order index first), over the graph's order, which also
    // holds the handler blocks that only exceptional edges reach.
    llvm::BitVector Pending(G.order().size());
    auto Enqueue = [&](const clang::CFGBlock *B) {
      unsigned I = G.orderIndex(B);
      if (I != ~0u)
        Pending.set(I);
    };
    Enqueue(&Cfg.getEntry());
    unsigned Budget = MaxVisitsPerBlock * (Cfg.getNumBlockIDs() + 1);
    for (int Next = Pending.find_first(); Next != -1;
         Next = Pending.find_first()) {
      Pending.reset(Next);
      if (Budget-- == 0)
        return Solved = false;
      const clang::CFGBlock *B = G.order()[Next];
      if (!In[B->getBlockID()])
        continue;
      State S = *In[B->getBlockID()];
      propagateBlock(*B, S, [&](const clang::CFGBlock *Succ, State &&Out) {
        if (mergeInto(In[Succ->getBlockID()], std::move(Out),
                      G.isLoopHead(*Succ)))
          Enqueue(Succ);
      });
    }
    return Solved = true;
  }

  /// Replays the fixpoint with reporting() true: every reached block in
  /// the graph's order, each element once.
  void report() {
    if (!Solved)
      return;
    An.Reporting = true;
    for (const clang::CFGBlock *B : G.order()) {
      if (!In[B->getBlockID()])
        continue;
      State S = *In[B->getBlockID()];
      propagateBlock(*B, S, [](const clang::CFGBlock *, State &&) {});
    }
    An.Reporting = false;
  }

  /// The state on entry to \p B, if it is reached.
  const std::optional<State> &entryState(const clang::CFGBlock &B) const {
    return In[B.getBlockID()];
  }
  /// The state when the function returns normally, if it can.
  const std::optional<State> &normalExit() const {
    return In[G.cfg().getExit().getBlockID()];
  }
  /// The state when an exception leaves the function, if one can.
  const std::optional<State> &exceptionalExit() const { return ExcExit; }

private:
  bool mergeInto(std::optional<State> &Into, State &&From,
                 bool LoopHead = false) {
    if (!An.feasible(From))
      return false;
    if (!Into) {
      Into = std::move(From);
      return true;
    }
    State Merged = *Into;
    An.join(Merged, From);
    if (Merged == *Into)
      return false;
    if (LoopHead)
      An.widen(Merged, *Into);
    Into = std::move(Merged);
    return true;
  }

  /// An exception thrown at \p Origin, now at \p Site (Origin itself, or a
  /// try statement none of whose handlers caught it), with state \p S:
  /// unwind the scopes up to the next try statement, enter its handlers, and
  /// unless one of them catches everything go on outward; out of the
  /// function when no try statement is left. The analysis sees every
  /// variable destroyed on the way as destroyed by \p Origin.
  template <typename Sink>
  void propagateException(const clang::Stmt *Site, State S, Sink &&Out,
                          const clang::Stmt *Origin) {
    for (const clang::VarDecl *V : G.unwoundVariables(Site))
      An.unwind(V, Origin, S);
    const clang::CFGBlock *Target = G.throwTarget(Site);
    if (!Target) {
      if (!An.reporting())
        mergeInto(ExcExit, std::move(S));
      return;
    }
    const clang::CXXTryStmt *Try = G.dispatchedTry(*Target);
    if (Try && !FlowGraph::catchesAll(*Try))
      propagateException(Try, S, Out, Origin);
    Out(Target, std::move(S));
  }

  template <typename Sink>
  void propagateBlock(const clang::CFGBlock &B, State &S, Sink &&Out) {
    bool Exceptions = An.modelsExceptions();
    for (const clang::CFGElement &E : B) {
      if (Exceptions) {
        auto CS = E.getAs<clang::CFGStmt>();
        if (CS && (llvm::isa<clang::CXXThrowExpr>(CS->getStmt()) ||
                   An.throwKind(E) != ThrowKind::None))
          propagateException(CS->getStmt(), S, Out, CS->getStmt());
      }
      An.transfer(E, S);
    }
    if (Exceptions && FlowGraph::endsInThrow(B))
      return; // the throw's edge was taken above, with unwinding
    const clang::CXXTryStmt *Try = G.dispatchedTry(B);
    unsigned I = 0;
    for (const clang::CFGBlock::AdjacentBlock &Succ : B.succs()) {
      unsigned Index = I++;
      const clang::CFGBlock *SB = Succ.getReachableBlock();
      if (!SB)
        continue;
      // A dispatch block leads to its handlers; the way on past them was
      // taken at the throw (see propagateException()).
      if (Try && !llvm::isa_and_nonnull<clang::CXXCatchStmt>(SB->getLabel()))
        continue;
      State Edge = S;
      An.refineEdge(B, Index, Edge);
      Out(SB, std::move(Edge));
    }
  }

  const FlowGraph &G;
  A &An;
  std::vector<std::optional<State>> In;
  std::optional<State> ExcExit;
  bool Solved = false;
};

/// Convenience: solve and report.
template <typename A> bool runForward(const FlowGraph &G, A &Analysis) {
  ForwardSolver<A> S(G, Analysis);
  if (!S.solve())
    return false;
  S.report();
  return true;
}

//===----------------------------------------------------------------------===//
// Backward analyses (liveness-like questions)
//===----------------------------------------------------------------------===//

/// A backward analysis provides
///   State exitState();                             // at the function's exit
///   void join(State &Into, const State &From);
///   void transfer(const clang::CFGElement &E, State &S);  // S: after E ->
///   before E
/// and reads reporting() as a forward analysis does. With modelExceptions(),
/// the state before an expression that may throw also takes in the state at
/// the entry of the handlers its exception reaches (and, past handlers that
/// do not catch everything, the handlers further out or the function's exit):
/// a value read in a catch block is live in the try block before every call
/// that may throw. Unwinding is not reported to backward analyses.
template <typename Derived, typename StateT> class BackwardAnalysis {
public:
  using State = StateT;
  bool reporting() const { return Reporting; }
  const FlowGraph &graph() const { return *Graph; }

  /// What the element may throw; only asked when exceptions are modelled.
  ThrowKind throwKind(const clang::CFGElement &E) {
    return throwKindOf(Throws, E, *Graph);
  }
  /// Makes the solver follow the exceptional edges of the expressions
  /// \p Model says may throw.
  void modelExceptions(ThrowModel &Model) { Throws = &Model; }
  bool modelsExceptions() const { return Throws != nullptr; }

private:
  template <typename A> friend class BackwardSolver;
  const FlowGraph *Graph = nullptr;
  ThrowModel *Throws = nullptr;
  bool Reporting = false;
};

template <typename A> class BackwardSolver {
public:
  using State = typename A::State;

  BackwardSolver(const FlowGraph &G, A &Analysis)
      : G(G), An(Analysis), Out(G.cfg().getNumBlockIDs()),
        In(G.cfg().getNumBlockIDs()), Throwers(G.cfg().getNumBlockIDs()) {
    An.Graph = &G;
  }

  bool solve() {
    // Highest reverse post-order index first: successors before
    // predecessors. Blocks without successors (the exit, a call that does not
    // return) start from exitState(); so do the blocks of a loop no exit is
    // reachable from, once everything else is done.
    llvm::ArrayRef<const clang::CFGBlock *> Order = G.order();
    llvm::BitVector Pending(Order.size());
    for (unsigned I = 0, N = Order.size(); I != N; ++I)
      if (Order[I]->succ_empty())
        Out[Order[I]->getBlockID()] = An.exitState();
    Pending.set();
    unsigned Budget = MaxVisitsPerBlock * (G.cfg().getNumBlockIDs() + 1);
    for (;;) {
      int Next = Pending.find_last();
      if (Next == -1) {
        // Seed one block no exit reaches, if any, and go on.
        for (unsigned I = Order.size(); I-- != 0;)
          if (!Out[Order[I]->getBlockID()]) {
            Out[Order[I]->getBlockID()] = An.exitState();
            Next = I;
            break;
          }
        if (Next == -1)
          break;
      }
      Pending.reset(Next);
      if (Budget-- == 0)
        return Solved = false;
      const clang::CFGBlock *B = Order[Next];
      if (!Out[B->getBlockID()])
        continue;
      State S = *Out[B->getBlockID()];
      transferBlock(*B, S);
      // A try statement's dispatch block: the state its handlers start
      // with, which the expressions that throw to it take in.
      if (An.modelsExceptions() && G.dispatchedTry(*B)) {
        std::optional<State> &Entry = In[B->getBlockID()];
        if (!Entry || !(*Entry == S)) {
          Entry = S;
          for (unsigned T : Throwers[B->getBlockID()])
            Pending.set(T);
        }
      }
      for (const clang::CFGBlock *Pred : B->preds()) {
        if (!Pred || G.orderIndex(Pred) == ~0u)
          continue;
        std::optional<State> &P = Out[Pred->getBlockID()];
        if (!P) {
          P = S;
        } else {
          State Merged = *P;
          An.join(Merged, S);
          if (Merged == *P)
            continue;
          P = std::move(Merged);
        }
        Pending.set(G.orderIndex(Pred));
      }
    }
    return Solved = true;
  }

  void report() {
    if (!Solved)
      return;
    An.Reporting = true;
    for (const clang::CFGBlock *B : G.order()) {
      if (!Out[B->getBlockID()])
        continue;
      State S = *Out[B->getBlockID()];
      transferBlock(*B, S);
    }
    An.Reporting = false;
  }

  /// The state at the end of \p B (before its successors), if computed.
  const std::optional<State> &exitState(const clang::CFGBlock &B) const {
    return Out[B.getBlockID()];
  }

private:
  void transferBlock(const clang::CFGBlock &B, State &S) {
    bool Exceptions = An.modelsExceptions();
    for (auto It = B.rbegin(), End = B.rend(); It != End; ++It) {
      An.transfer(*It, S);
      if (!Exceptions)
        continue;
      // A throw expression's edge is the block's own successor.
      auto CS = It->getAs<clang::CFGStmt>();
      if (CS && !llvm::isa<clang::CXXThrowExpr>(CS->getStmt()) &&
          An.throwKind(*It) != ThrowKind::None)
        joinException(CS->getStmt(), B, S);
    }
  }

  /// The state before \p Site, which may throw, also holds at the entry of
  /// the handlers the exception reaches.
  void joinException(const clang::Stmt *Site, const clang::CFGBlock &From,
                     State &S) {
    unsigned Self = G.orderIndex(&From);
    for (const clang::CFGBlock *Target = G.throwTarget(Site);;) {
      if (!Target) {
        An.join(S, An.exitState()); // out of the function
        return;
      }
      llvm::SmallVector<unsigned, 2> &Deps = Throwers[Target->getBlockID()];
      if (!llvm::is_contained(Deps, Self))
        Deps.push_back(Self);
      if (const std::optional<State> &Entry = In[Target->getBlockID()])
        An.join(S, *Entry);
      const clang::CXXTryStmt *Try = G.dispatchedTry(*Target);
      if (!Try || FlowGraph::catchesAll(*Try))
        return;
      Target = G.throwTarget(Try);
    }
  }

  const FlowGraph &G;
  A &An;
  std::vector<std::optional<State>> Out;
  /// At the entry of dispatch blocks (with exceptions modelled).
  std::vector<std::optional<State>> In;
  /// The blocks (by order index) holding expressions that throw to each
  /// dispatch block.
  std::vector<llvm::SmallVector<unsigned, 2>> Throwers;
  bool Solved = false;
};

} // namespace pitfall

#endif // PITFALL_FLOW_DATAFLOW_H
