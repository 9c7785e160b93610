//===--- BodyIndex.h - parents and enclosing callables within bodies -----===//
//
// ASTContext::getParents() and the ancestor matchers (hasParent, hasAncestor,
// forCallable, forFunction) build the parent map of the whole translation
// unit on first use: one traversal of every declaration of every header,
// template instantiations included. In a TU that includes asio or Boost that
// costs about a tenth of the parse, whatever the check wanted to know.
//
// A check only ever asks about nodes of the user's functions. BodyIndex
// indexes exactly those: the check feeds it the function definitions and
// lambdas it is shown (the match finder visits a declaration before its
// body, so a function is indexed before any node inside it is matched), and
// answers the parent of a node and the innermost function or lambda whose
// body holds it. Bodies are walked lazily, on the first question about a node
// not indexed yet, so a check that never asks costs nothing but the list.
//
// Parents are those of the AST as built (implicit nodes included, as
// ASTContext::getParents() answers outside a traversal-kind scope, which is
// the case in a check's callbacks):
//   - a statement's parent is a statement, the VarDecl it initialises, the
//     LambdaExpr whose body it is, or the function whose body (or
//     constructor initialiser) it is;
//   - a VarDecl's parent is its DeclStmt.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_BODYINDEX_H
#define PITFALL_CORE_BODYINDEX_H

#include "clang/AST/ASTTypeTraits.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/PointerUnion.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class Decl;
class FieldDecl;
class FunctionDecl;
class LambdaExpr;
class Stmt;
class VarDecl;
} // namespace clang

namespace pitfall {

class BodyIndex {
public:
  /// Indexes \p FD's body and constructor initialisers, the lambdas in it
  /// included (when a question needs it). Does nothing for a function
  /// without a body or one added already.
  void addFunction(const clang::FunctionDecl *FD);
  /// Indexes the initialiser of a variable outside any function (its
  /// parent is the variable), or the in-class initialiser of a field.
  void addInitializer(const clang::VarDecl *VD);
  void addInitializer(const clang::FieldDecl *FD);
  /// Indexes a lambda that is not inside a function (one in a namespace-scope
  /// initialiser); a no-op for a lambda in a function, which is indexed with
  /// the function.
  void addLambda(const clang::LambdaExpr *LE);

  /// The parent of \p N; an empty node for a node not in an indexed body,
  /// and for the functions themselves.
  clang::DynTypedNode parent(const clang::DynTypedNode &N) const;
  clang::DynTypedNode parent(const clang::Stmt &S) const {
    return parent(clang::DynTypedNode::create(S));
  }

  /// The innermost function, or lambda call operator, whose body holds \p S
  /// (the enclosing function for a LambdaExpr and its captures' initialisers,
  /// as forCallable() answers). Null for a statement not indexed.
  const clang::FunctionDecl *callableOf(const clang::Stmt *S) const;

  /// Forgets everything (a new translation unit).
  void clear();

private:
  struct StmtInfo {
    clang::DynTypedNode Parent;
    const clang::FunctionDecl *Callable = nullptr;
  };
  void walk(const clang::Stmt *S, const clang::DynTypedNode &Parent,
            const clang::FunctionDecl *Callable) const;
  /// Walks the functions added since the last question; false if none.
  bool flush() const;

  // The index is a cache of the added functions' trees: filled by questions.
  mutable llvm::DenseMap<const clang::Stmt *, StmtInfo> Stmts;
  mutable llvm::DenseMap<const clang::VarDecl *, const clang::Stmt *>
      VarParents;
  mutable llvm::DenseSet<const clang::FunctionDecl *> Indexed;
  mutable llvm::SmallVector<
      llvm::PointerUnion<const clang::Decl *, const clang::LambdaExpr *>, 16>
      Pending;
};

/// Calls \p Visit, in pre-order, for every statement of \p FD's body (and of
/// its written constructor initialisers) that is spelled in the source, the
/// nodes a matcher with TK_IgnoreUnlessSpelledInSource is tried on, with the
/// innermost function or lambda call operator around it. A check that needs
/// only the nodes of the user's functions walks them with this from one
/// functionDecl() matcher, rather than registering matchers on node kinds
/// (DeclRefExpr, CallExpr, ...) that the finder then tries on every node of
/// every header. Lambdas are entered (their explicit captures belong to the
/// enclosing function); local classes are not (their methods are functions
/// of their own).
void forEachSpelledStmt(
    const clang::FunctionDecl *FD,
    llvm::function_ref<void(const clang::Stmt *, const clang::FunctionDecl *)>
        Visit);
/// The same for one expression outside any function (a namespace-scope
/// variable's or a field's initialiser): \p Callable is null but in lambdas.
void forEachSpelledStmt(
    const clang::Stmt *Root,
    llvm::function_ref<void(const clang::Stmt *, const clang::FunctionDecl *)>
        Visit);

} // namespace pitfall

#endif // PITFALL_CORE_BODYINDEX_H
