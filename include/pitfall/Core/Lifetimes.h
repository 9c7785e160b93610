//===--- Lifetimes.h - which variables live for a loop iteration ----------===//
//
// Lifetime facts about local variables that several checks need: whether a
// variable's lifetime is a loop (a `for` induction variable) or one
// iteration (range-for copies, body and condition variables), whether a
// declaration lies inside a statement, which member functions store their
// argument in the object, and whether a type can be copied.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_LIFETIMES_H
#define PITFALL_CORE_LIFETIMES_H

#include "pitfall/Core/ExprUtil.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace clang {
class ASTContext;
class Decl;
class DeclStmt;
class FunctionDecl;
class LambdaExpr;
class QualType;
class Stmt;
class ValueDecl;
class VarDecl;
} // namespace clang

namespace pitfall {

/// Parent links inside one function body (statements, and the DeclStmt of
/// each local declaration), built on demand for functions that contain a
/// construct worth analysing, instead of ASTContext's TU-wide parent map.
class FunctionParents {
public:
  explicit FunctionParents(const clang::Stmt *Body);
  /// The statement directly containing \p S (for a variable's initialiser:
  /// its DeclStmt; for a capture initialiser: the LambdaExpr), or null.
  const clang::Stmt *parent(const clang::Stmt *S) const {
    return Parents.lookup(S);
  }
  /// The DeclStmt declaring \p D, or null if \p D is not declared in the body.
  const clang::DeclStmt *declStmtOf(const clang::Decl *D) const {
    return DeclStmts.lookup(D);
  }
  const clang::Stmt *body() const { return Body; }

private:
  const clang::Stmt *Body;
  llvm::DenseMap<const clang::Stmt *, const clang::Stmt *> Parents;
  llvm::DenseMap<const clang::Decl *, const clang::DeclStmt *> DeclStmts;
};

/// The outermost function whose body contains \p E's lambda-free context:
/// for a lambda, the function the lambda (and any lambda around it) is
/// written in. Null at namespace or class scope.
const clang::FunctionDecl *enclosingFunction(const clang::LambdaExpr *E);

/// How a loop-scoped variable relates to the iterations of its loop.
enum class LoopVarKind {
  /// Declared in the init-statement of a `for` (or range-for): one object
  /// shared, and usually mutated, by every iteration; dies when the loop ends.
  Shared,
  /// A range-for variable declared by value, a condition variable or a
  /// variable of the body: a new object each iteration, destroyed at its end.
  PerIteration,
};

struct LoopScope {
  const clang::Stmt *Loop; ///< ForStmt, CXXForRangeStmt, WhileStmt or DoStmt
  LoopVarKind Kind;
};

/// The innermost loop whose scope owns the object \p D names, or nullopt if
/// \p D is not an automatic variable of a loop of its own function. A
/// structured binding stands for its decomposed object. Reference variables
/// own no object (they alias one that lives elsewhere) unless they extend the
/// lifetime of a temporary (`const auto &x = make();`,
/// `for (auto &&x : generator)` over prvalues).
std::optional<LoopScope> loopScopeOf(const clang::ValueDecl *D,
                                     const FunctionParents &Parents);

/// True if \p D is declared inside \p S (across lambda bodies).
bool isDeclaredWithin(const clang::Decl *D, const clang::Stmt *S,
                      const FunctionParents &Parents);

/// True if \p D (a variable) names an object that outlives any one loop
/// iteration even though it may be declared in one: globals, statics,
/// parameters, and reference variables not bound to a temporary.
bool refersToLongLivedObject(const clang::VarDecl *D);

/// Member functions that keep their argument in the object: push_back,
/// emplace_back, insert, push, emplace, try_emplace, ... (containers,
/// queues, optionals, task graphs).
bool isStoringMemberName(llvm::StringRef Name);

/// True if an object of type \p T can be copy-constructed (what a by-copy
/// lambda capture needs). Unknown or incomplete types count as copyable.
bool isCopyConstructible(clang::QualType T);

} // namespace pitfall

#endif
