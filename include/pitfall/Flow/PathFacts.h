//===--- PathFacts.h - correlated branches on conditions that do not change
//-===//
//
// `if (n > 0) t = std::thread(f); ... if (n > 0) t.join();` joins the thread
// on every path that started it, but a path-insensitive analysis merges the
// two branches of the first `if` and sees a path that starts the thread and
// skips the join. Correlated<A> runs analysis A with its state partitioned by
// the outcome of the *stable* conditions taken so far: a partition that took
// the true branch of a stable condition cannot take its false branch later.
//
// A condition is stable when evaluating it has no side effects and it reads
// only literals, enumerators, variables the function never changes after
// initialising them (no assignment, increment, `&`, non-const reference or
// by-reference capture), fields of such variables (`cfg.n`, not through a
// pointer) and, in a const member function, non-mutable fields of `this`;
// a variable declared again (in a loop body) drops the facts that read it.
//
// A local `bool` the function only ever sets to a constant (`bool done =
// false; ... done = true;`, never incremented, bound to a reference, passed
// by non-const reference or captured by reference) is a flag: its value is a
// fact of the path from the store on, so `if (!done) break;` after a branch
// that set it takes only the paths that set it to false. Each store replaces
// the facts that read the flag.
//
// At most MaxPartitions partitions are kept; beyond that they are merged,
// keeping the facts they share.
//
// With mode flags (StableConditions(G, /*ModeFlags=*/true), asked for by the
// lock analysis' modeLocks()), the condition of an `if` outside any loop of
// the function is also stable when it reads a bool, enum or integer data
// member of `this` (in any member function) or a static or global variable
// of such a type that the function never writes: a configuration switch
// (`if (locking) guard.attach_and_lock(mutex);`). Such a condition, and any
// stable one that reads only those, parameters and literals (no local, no
// call), is a *mode condition* (isMode()): an analysis may take its two arms
// for the two modes of the function.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_PATHFACTS_H
#define PITFALL_FLOW_PATHFACTS_H

#include "pitfall/Flow/Dataflow.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace clang {
class Expr;
class FieldDecl;
class VarDecl;
} // namespace clang

namespace pitfall {

/// How many partitions Correlated<A> keeps per block before merging.
inline constexpr unsigned MaxPartitions = 4;

struct PathFact {
  unsigned Key;
  bool Value;
  bool operator==(const PathFact &O) const {
    return Key == O.Key && Value == O.Value;
  }
  bool operator<(const PathFact &O) const {
    return Key != O.Key ? Key < O.Key : Value < O.Value;
  }
};

class StableConditions {
public:
  explicit StableConditions(const FlowGraph &G, bool ModeFlags = false);

  /// A non-zero key identifying \p Cond (without negations, which \p Negated
  /// reports) if it is stable, 0 otherwise. Equal conditions written twice
  /// have the same key.
  unsigned keyOf(const clang::Expr *Cond, bool &Negated) const;
  /// True if the stable condition \p Key reads \p V.
  bool reads(unsigned Key, const clang::VarDecl *V) const;
  /// True if some stable condition reads \p V.
  bool isConditionVariable(const clang::VarDecl *V) const {
    return ConditionVars.contains(V);
  }
  /// The fact \p S establishes about a flag it sets to a constant (`done =
  /// true`, or the flag's declaration with a constant initialiser), with the
  /// flag in \p Flag; nullopt if \p S stores no constant into a flag.
  std::optional<PathFact> storedFact(const clang::Stmt *S,
                                     const clang::VarDecl *&Flag) const;
  /// True if the stable condition \p Key is a mode condition (see the file
  /// comment): it reads only mode flags, parameters and literals.
  bool isMode(unsigned Key) const { return ModeKeys.contains(Key); }
  /// True if some condition keyed so far is a mode condition.
  bool hasModes() const { return !ModeKeys.empty(); }

private:
  bool isStable(const clang::Expr *E,
                llvm::SmallVectorImpl<const clang::VarDecl *> &Vars) const;

  unsigned flagKey(const clang::VarDecl *V) const;
  bool isModeCondition(const clang::Expr *E) const;

  const FlowGraph &G;
  llvm::DenseSet<const clang::VarDecl *> Modified;
  /// Flags: local bools whose only stores are constants.
  llvm::DenseSet<const clang::VarDecl *> Flags;
  mutable llvm::DenseMap<const clang::Expr *, unsigned> Keys;
  mutable llvm::DenseMap<unsigned, llvm::SmallVector<const clang::VarDecl *, 2>>
      KeyVars;
  mutable llvm::DenseSet<const clang::VarDecl *> ConditionVars;
  /// Fields of `this` the condition being keyed reads (const methods).
  mutable llvm::SmallVector<const clang::FieldDecl *, 2> ThisFields;

  /// Mode flags (the constructor's ModeFlags): the fields of `this` the
  /// function writes, the sub-expressions of the conditions of its `if`
  /// statements outside loops, whether the condition being keyed reads a
  /// mode flag, and the mode conditions' keys.
  bool ModeFlags = false;
  llvm::DenseSet<const clang::FieldDecl *> WrittenFields;
  llvm::DenseSet<const clang::Expr *> IfConditionParts;
  mutable bool ReadsModeFlag = false;
  mutable llvm::DenseSet<unsigned> ModeKeys;
};

template <typename InnerState> struct PartitionedState {
  struct Partition {
    llvm::SmallVector<PathFact, 2> Facts; ///< sorted
    InnerState S;
    bool operator==(const Partition &O) const {
      return Facts == O.Facts && S == O.S;
    }
  };
  llvm::SmallVector<Partition, 2> Parts; ///< sorted by Facts
  bool operator==(const PartitionedState &O) const { return Parts == O.Parts; }
};

/// Runs \p A (a ForwardAnalysis) with path-correlated states. Use
/// ForwardSolver<Correlated<A>>; A sees its own reporting() flag, and, when
/// FactsOut is set, the facts of the partition it transfers in *FactsOut.
template <typename A>
class Correlated : public ForwardAnalysis<Correlated<A>,
                                          PartitionedState<typename A::State>> {
  using Base =
      ForwardAnalysis<Correlated<A>, PartitionedState<typename A::State>>;

public:
  using State = PartitionedState<typename A::State>;
  using Partition = typename State::Partition;

  Correlated(A &Inner, const StableConditions &Conds)
      : Inner(Inner), Conds(Conds) {
    if (Inner.Throws)
      this->modelExceptions(*Inner.Throws);
  }

  State initialState() {
    Inner.Graph = &this->graph();
    State S;
    S.Parts.push_back({{}, Inner.initialState()});
    return S;
  }

  void join(State &Into, const State &From) {
    for (const Partition &P : From.Parts)
      addPartition(Into, P);
    normalize(Into);
  }

  void transfer(const clang::CFGElement &E, State &S) {
    Inner.Reporting = this->reporting();
    for (Partition &P : S.Parts) {
      if (FactsOut)
        *FactsOut = P.Facts;
      Inner.transfer(E, P.S);
    }
    if (FactsOut)
      *FactsOut = {};
    // A declaration re-initialises its variable: facts about it are stale.
    if (auto CS = E.template getAs<clang::CFGStmt>()) {
      if (const auto *DS = llvm::dyn_cast<clang::DeclStmt>(CS->getStmt()))
        for (const clang::Decl *D : DS->decls())
          if (const auto *V = llvm::dyn_cast<clang::VarDecl>(D);
              V && Conds.isConditionVariable(V))
            forget(S, V);
      // A flag set to a constant: its value is known from here on.
      const clang::VarDecl *Flag = nullptr;
      if (std::optional<PathFact> F = Conds.storedFact(CS->getStmt(), Flag)) {
        forget(S, Flag);
        for (Partition &P : S.Parts) {
          P.Facts.push_back(*F);
          llvm::sort(P.Facts);
        }
        normalize(S);
      }
    }
    Inner.Reporting = false;
  }

  void refineEdge(const clang::CFGBlock &B, unsigned Succ, State &S) {
    Inner.Reporting = this->reporting();
    bool Negated = false;
    unsigned Key = Conds.keyOf(branchCondition(B), Negated);
    if (Key) {
      bool Value = (Succ == 0) != Negated;
      llvm::erase_if(S.Parts, [&](Partition &P) {
        for (const PathFact &F : P.Facts)
          if (F.Key == Key)
            return F.Value != Value; // the other branch was taken before
        P.Facts.push_back({Key, Value});
        llvm::sort(P.Facts);
        return false;
      });
    }
    for (Partition &P : S.Parts)
      Inner.refineEdge(B, Succ, P.S);
    Inner.Reporting = false;
    normalize(S);
  }

  void unwind(const clang::VarDecl *V, const clang::Stmt *Site, State &S) {
    Inner.Reporting = this->reporting();
    for (Partition &P : S.Parts)
      Inner.unwind(V, Site, P.S);
    Inner.Reporting = false;
  }

  ThrowKind throwKind(const clang::CFGElement &E) { return Inner.throwKind(E); }

  /// Widens each partition against the one with the same facts before:
  /// an analysis with an infinite lattice (arrival counts) stays finite
  /// when correlated.
  void widen(State &Merged, const State &Old) {
    for (Partition &P : Merged.Parts)
      for (const Partition &O : Old.Parts)
        if (O.Facts == P.Facts)
          Inner.widen(P.S, O.S);
  }

  bool feasible(const State &S) const {
    return llvm::any_of(
        S.Parts, [&](const Partition &P) { return Inner.feasible(P.S); });
  }

  /// The inner states of \p S joined into one.
  typename A::State merged(const State &S) {
    if (S.Parts.empty())
      return Inner.initialState();
    typename A::State Out = S.Parts.front().S;
    for (const Partition &P : llvm::drop_begin(S.Parts))
      Inner.join(Out, P.S);
    return Out;
  }

  /// Where transfer() shows the inner analysis the facts of the partition
  /// it is given (valid during that call), or null.
  llvm::ArrayRef<PathFact> *FactsOut = nullptr;

private:
  void addPartition(State &Into, const Partition &P) {
    for (Partition &Q : Into.Parts)
      if (Q.Facts == P.Facts) {
        Inner.join(Q.S, P.S);
        return;
      }
    Into.Parts.push_back(P);
  }

  void forget(State &S, const clang::VarDecl *V) {
    bool Changed = false;
    for (Partition &P : S.Parts) {
      size_t Before = P.Facts.size();
      llvm::erase_if(P.Facts,
                     [&](const PathFact &F) { return Conds.reads(F.Key, V); });
      Changed |= P.Facts.size() != Before;
    }
    if (Changed)
      normalize(S);
  }

  void normalize(State &S) {
    llvm::erase_if(S.Parts,
                   [&](const Partition &P) { return !Inner.feasible(P.S); });
    // Merge partitions that now carry the same facts.
    State Out;
    for (const Partition &P : S.Parts)
      addPartition(Out, P);
    if (Out.Parts.size() > MaxPartitions) {
      Partition All = Out.Parts.front();
      for (const Partition &P : llvm::drop_begin(Out.Parts)) {
        Inner.join(All.S, P.S);
        llvm::erase_if(All.Facts, [&](const PathFact &F) {
          return !llvm::is_contained(P.Facts, F);
        });
      }
      Out.Parts.clear();
      Out.Parts.push_back(std::move(All));
    }
    llvm::sort(Out.Parts, [](const Partition &L, const Partition &R) {
      return std::lexicographical_compare(L.Facts.begin(), L.Facts.end(),
                                          R.Facts.begin(), R.Facts.end());
    });
    S = std::move(Out);
  }

  A &Inner;
  const StableConditions &Conds;
};

} // namespace pitfall

#endif // PITFALL_FLOW_PATHFACTS_H
