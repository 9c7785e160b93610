//===--- CFGUtil.h - CFG construction and queries for dataflow checks -----===//
//
// Pieces every CFG-based analysis in pitfall needs: one way to build the CFG
// (implicit destructors, every expression an element), a reverse post-order,
// where a scope is left when an automatic object dies, the condition that
// selects a block's successor, and which calls may throw (the CFG has no
// exception edges, so analyses model throwing calls themselves).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_CFGUTIL_H
#define PITFALL_CORE_CFGUTIL_H

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>

namespace clang {
class ASTContext;
class CFG;
class CFGAutomaticObjDtor;
class CFGBlock;
class CXXTryStmt;
class FunctionDecl;
class Decl;
class Expr;
class ParentMap;
class Stmt;
} // namespace clang

namespace pitfall {

/// Builds the CFG of \p D's body for a forward dataflow analysis: automatic
/// object destructors are elements, and every sub-expression is its own
/// element in evaluation order. Null if \p D has no body or the CFG cannot
/// be built.
std::unique_ptr<clang::CFG> buildDataflowCFG(const clang::Decl *D,
                                             clang::ASTContext &Ctx);

/// The blocks of \p G reachable from its entry, in reverse post-order.
llvm::SmallVector<const clang::CFGBlock *, 32>
reversePostOrder(const clang::CFG &G);

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

/// Answers "may evaluating this expression itself (not its operands) throw?"
/// for a throw expression, a call or a construction. A callee declared
/// noexcept does not throw; one whose body is in the translation unit throws
/// only if the body has a throw expression or a call that may throw
/// (followed a few levels deep, not through virtual calls). Callees that do
/// not throw in practice are excluded: C functions, builtins, destructors,
/// trivial and defaulted special members, std::chrono and std::this_thread,
/// locks and mutexes, atomics, condition variables. Calls through pointers
/// and unresolved calls are treated as not throwing. Results per callee are
/// cached, so keep one instance per translation unit or per analysis.
class ThrowModel {
public:
  bool mayThrow(const clang::Stmt *S) { return mayThrow(S, MaxDepth); }
  /// Forgets cached answers (at the end of a translation unit).
  void clear() { Cache.clear(); }

private:
  static constexpr unsigned MaxDepth = 3;
  bool mayThrow(const clang::Stmt *S, unsigned Depth);
  bool calleeMayThrow(const clang::FunctionDecl *FD, bool Virtual,
                      unsigned Depth);
  bool bodyMayThrow(const clang::Stmt *Body, unsigned Depth);
  llvm::DenseMap<const clang::FunctionDecl *, bool> Cache;
};

/// The try statements whose try block encloses \p S, innermost first,
/// stopping at \p Root or at a lambda body.
llvm::SmallVector<const clang::CXXTryStmt *, 2>
enclosingTryBlocks(const clang::Stmt *S, const clang::ParentMap &PM,
                   const clang::Stmt *Root);

/// True if some handler of \p Try ends normally without rethrowing (it does
/// not contain a throw expression), so an exception from the try block does
/// not leave the function through it.
bool hasSwallowingHandler(const clang::CXXTryStmt &Try);

} // namespace pitfall

#endif
