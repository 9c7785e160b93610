//===--- ErrorStores.h - errors stored in a local and never read ----------===//
//
// The analysis behind pitfall-ignored-error's second hazard: an error stored
// into a local variable (initialised or assigned from a call whose value
// carries an error, or passed as an error out-parameter, `fs::remove(p,
// ec)`) that no path reads before it is overwritten or the variable dies.
// It is a backward liveness analysis over the flow graph, with exceptional
// edges: a handler that reads the error keeps it live before every call that
// may throw to the handler.
//
// What a call does to the variable it takes as an error out-parameter is the
// callee's business, read from the flow layer (Effects.h): a library
// function, or one declared without a body, stores into it; a function of
// the translation unit does what its error summary says: it reads the value
// first (a read), overwrites it on every path (a store), on some paths (a
// store that may leave the old value), or neither (nothing); when the
// summary is incomplete (callees beyond MaxSummaryDepth) and says nothing,
// the declaration's word is taken: a store. Any other use of the variable
// is a read.
//
// A variable whose address is taken, that a reference is bound to or a
// lambda captures by reference, that is [[maybe_unused]] or volatile, that is
// named as ignored (`ignored_ec`, `unused`, `_`), or that has a use the graph
// does not show, is not followed.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_ERRORSTORES_H
#define PITFALL_FLOW_ERRORSTORES_H

#include "pitfall/Flow/FlowContext.h"

#include "llvm/ADT/SmallVector.h"

namespace clang {
class CallExpr;
class Expr;
class FunctionDecl;
class Stmt;
class VarDecl;
} // namespace clang

namespace pitfall {

struct UnreadErrorStore {
  /// The variable: a VarDecl, or the DecompositionDecl of `auto [p, ec]`.
  const clang::VarDecl *Var = nullptr;
  /// The call whose error is stored.
  const clang::CallExpr *Source = nullptr;
  /// A store that overwrites it before any read, on some path; null when
  /// the value dies unread on every path.
  const clang::Stmt *Overwrite = nullptr;
};

/// The error stores of \p Fn that no path reads, in source order. Cheap for
/// a function that stores no error (no graph is built).
llvm::SmallVector<UnreadErrorStore, 2>
findUnreadErrorStores(FlowContext &Flow, const clang::FunctionDecl *Fn);

/// The call behind an initialiser or assigned value (through implicit nodes,
/// moves and copies) whose value carries an error worth keeping track of,
/// or null. std::async's future is not one: kept in a variable, it is waited
/// for when the variable dies.
const clang::CallExpr *errorStoringCall(const clang::Expr *E,
                                        const ErrorRecognizer &Errors);

} // namespace pitfall

#endif // PITFALL_FLOW_ERRORSTORES_H
