//===--- FunctionReferences.h - who names a function in this translation unit
//
// The callers' side of the call graph, as far as one translation unit shows
// it: every expression naming a function (a call or taking its address),
// with the function whose body holds it. Used to decide what runs only from
// `main` (pitfall-unjoined-thread's unhandled exceptions,
// pitfall-uncancellable-task's process-lifetime tasks).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_FUNCTIONREFERENCES_H
#define PITFALL_FLOW_FUNCTIONREFERENCES_H

#include "llvm/ADT/STLFunctionalExtras.h"

namespace clang {
class ASTContext;
class DeclRefExpr;
class FunctionDecl;
} // namespace clang

namespace pitfall {

/// Calls \p Fn for every reference to a function in \p Ctx's translation
/// unit outside system headers (templates as written, not their
/// instantiations), with the
/// canonical declaration of the function named and the function whose body
/// holds the reference (a lambda's body counts as its enclosing function's;
/// null outside any function).
void forEachFunctionReference(
    clang::ASTContext &Ctx,
    llvm::function_ref<void(const clang::FunctionDecl *Named,
                            const clang::FunctionDecl *Enclosing,
                            const clang::DeclRefExpr *Ref)>
        Fn);

} // namespace pitfall

#endif // PITFALL_FLOW_FUNCTIONREFERENCES_H
