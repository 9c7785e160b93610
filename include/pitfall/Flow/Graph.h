//===--- Graph.h - one control-flow graph per function, with exceptions ---===//
//
// Every flow-sensitive analysis in pitfall runs over a FlowGraph: clang's CFG
// of the function built one way (automatic-object destructors and member
// initialisers are elements, every sub-expression is its own element in
// evaluation order), plus what the CFG lacks, exceptional control flow:
//
//   * an expression that may throw (see Throws.h) has an exceptional edge to
//     the dispatch block of the innermost try statement whose try block
//     holds it, or out of the function;
//   * along that edge the automatic variables whose scopes the exception
//     leaves are destroyed, innermost first (unwoundVariables());
//   * from a dispatch block the exception enters each handler (catch blocks
//     are ordinary blocks, reached only through these edges) and, unless a
//     handler catches everything (catch (...) or std::exception, see
//     catchesAll()), continues outward from the try statement;
//   * a rethrow (`throw;`) in a handler leaves the handler's try statement.
//
// The graph also answers the structural questions analyses share: reverse
// post-order, parents of statements, the block of a statement, how a scope
// is left, and the condition a block branches on.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_GRAPH_H
#define PITFALL_FLOW_GRAPH_H

#include "clang/AST/ParentMap.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>

namespace clang {
class ASTContext;
class CXXTryStmt;
class Decl;
class Expr;
class VarDecl;
} // namespace clang

namespace pitfall {

/// How control leaves the scope of an automatic object.
enum class ScopeExitKind {
  ScopeEnd, ///< falls off the end of its block (or the function body)
  Return,   ///< a return statement
  Jump,     ///< break, continue or goto
};

struct ScopeExit {
  ScopeExitKind Kind;
  clang::SourceLocation Loc; ///< where to point a diagnostic
};

/// Where and how the scope of the object destroyed by \p Dtor is left.
ScopeExit scopeExitOf(const clang::CFGAutomaticObjDtor &Dtor);

/// The expression whose truth value selects between the two successors of
/// \p B (the first successor is taken when it is true), with logical
/// operators resolved to the operand evaluated last; null if \p B does not
/// branch on a condition.
const clang::Expr *branchCondition(const clang::CFGBlock &B);

/// \p Cond without logical negations; \p Negated tells whether an odd number
/// was removed.
const clang::Expr *stripNegations(const clang::Expr *Cond, bool &Negated);

class FlowGraph {
public:
  /// Builds the graph of \p D's body (a function, method, constructor,
  /// destructor or lambda call operator). Null if \p D has no body or the
  /// CFG cannot be built.
  static std::unique_ptr<FlowGraph> build(const clang::Decl *D,
                                          clang::ASTContext &Ctx);

  const clang::CFG &cfg() const { return *G; }
  const clang::Decl *decl() const { return D; }
  const clang::Stmt *body() const { return Body; }
  clang::ASTContext &context() const { return Ctx; }

  /// Every block reachable from the entry through normal or exceptional
  /// edges, in reverse post-order (handlers after their try blocks).
  llvm::ArrayRef<const clang::CFGBlock *> order() const { return Order; }
  /// Position of \p B in order(); ~0u for a block never reached.
  unsigned orderIndex(const clang::CFGBlock *B) const {
    return B->getBlockID() < OrderIndex.size() ? OrderIndex[B->getBlockID()]
                                               : ~0u;
  }

  /// True if \p B is entered by a back edge (from a block that comes at or
  /// after it in order()): the head of a loop.
  bool isLoopHead(const clang::CFGBlock &B) const;

  /// The parent of \p S in the body (implicit nodes included), or null.
  const clang::Stmt *parent(const clang::Stmt *S) const {
    return PM.getParent(S);
  }
  /// The parent, skipping parentheses and implicit casts.
  const clang::Stmt *parentIgnoringImplicit(const clang::Stmt *S) const {
    return PM.getParentIgnoreParenImpCasts(const_cast<clang::Stmt *>(S));
  }
  const clang::ParentMap &parents() const { return PM; }

  /// The block evaluating \p S as an element, or null.
  const clang::CFGBlock *blockOf(const clang::Stmt *S) const;

  /// True if the function is already failing when it evaluates \p S: every
  /// path from \p S ends in an exception leaving the function (a `throw`,
  /// a rethrow, an exception no handler of the function stops) or in a call
  /// that does not return (`[[noreturn]]`: abort, exit, std::terminate, the
  /// program's own), none in a normal return. Exceptions that calls after
  /// \p S may throw are not paths of their own: the normal path past the
  /// call is followed. A loop that never ends is no failure.
  bool failsAfter(const clang::Stmt *S) const;

  /// True if every path from \p From (an element of its block) to the
  /// function's normal exit passes an element \p Passes accepts; an edge
  /// \p Cut accepts (the block, its successor's index) is not followed: on
  /// it nothing is left to wait for. Exceptions that calls may throw are
  /// not followed. False if \p From is no element of the graph. \p From's
  /// block is looked at from \p From on; reached again through a loop, it
  /// is looked at whole.
  bool everyPathPasses(
      const clang::Stmt *From,
      llvm::function_ref<bool(const clang::Stmt *)> Passes,
      llvm::function_ref<bool(const clang::CFGBlock &, unsigned)> Cut =
          nullptr) const;

  //===--------------------------------------------------------------------===//
  // Exceptions
  //===--------------------------------------------------------------------===//

  /// Where an exception thrown at \p Site goes: the dispatch block of the
  /// innermost try statement whose try block holds \p Site, or null when it
  /// leaves the function.
  const clang::CFGBlock *throwTarget(const clang::Stmt *Site) const;

  /// The automatic variables an exception thrown at \p Site destroys before
  /// it reaches throwTarget(Site), in destruction order (innermost scope
  /// first, reverse declaration order within a scope). Variables whose
  /// initialisation holds \p Site are not constructed yet and not included.
  llvm::ArrayRef<const clang::VarDecl *>
  unwoundVariables(const clang::Stmt *Site) const;

  /// True if an exception thrown at \p Origin destroys \p V only on its way
  /// out of the function: \p V's scope encloses every try statement that
  /// holds \p Origin, none of which catches everything (catchesAll()), so
  /// what unwinds \p V has passed all their handlers uncaught.
  bool unwoundLeavingFunction(const clang::VarDecl *V,
                              const clang::Stmt *Origin) const;

  /// The try statement whose dispatch block is \p B, or null.
  const clang::CXXTryStmt *dispatchedTry(const clang::CFGBlock &B) const;
  /// True if a handler of \p Try catches whatever the try block throws in
  /// practice: `catch (...)`, or `catch (const std::exception &)` (the base of
  /// every exception the standard library and almost every program throw).
  /// Otherwise an exception may also go on past the handlers.
  static bool catchesAll(const clang::CXXTryStmt &Try);
  /// True if \p B's last element is a throw expression: its CFG successor is
  /// the exceptional edge, taken with unwinding (see throwTarget()).
  static bool endsInThrow(const clang::CFGBlock &B);

private:
  FlowGraph(const clang::Decl *D, const clang::Stmt *Body,
            clang::ASTContext &Ctx, std::unique_ptr<clang::CFG> G);
  void computeOrder();
  void pruneScopeLoopBackEdges();

  const clang::Decl *D;
  const clang::Stmt *Body;
  clang::ASTContext &Ctx;
  std::unique_ptr<clang::CFG> G;
  clang::ParentMap PM;
  llvm::SmallVector<const clang::CFGBlock *, 32> Order;
  llvm::SmallVector<unsigned, 32> OrderIndex;
  llvm::DenseMap<const clang::CXXTryStmt *, const clang::CFGBlock *> Dispatch;
  mutable llvm::DenseMap<const clang::Stmt *, const clang::CFGBlock *>
      StmtBlocks;
  mutable llvm::DenseMap<const clang::Stmt *,
                         llvm::SmallVector<const clang::VarDecl *, 4>>
      Unwound;
};

} // namespace pitfall

#endif // PITFALL_FLOW_GRAPH_H
