//===--- UserDefinitions.h - the user's definitions, without the headers --===//
//
// Every pitfall check analyses the same things: the function definitions
// and lambdas of the user's code (template instantiations included), and
// for tasks started outside functions the in-class initialisers of fields
// and the initialisers of variables with static storage. Matchers for them
// (`functionDecl(unless(isExpansionInSystemHeader()), isDefinition())`,
// `lambdaExpr(...)`, `fieldDecl(...)`, `varDecl(...)`) are tried by clang's
// match finder on every such node of every header, instantiations included:
// in a translation unit that includes asio or Boost that is most of the
// checks' cost, for nodes the first inner matcher rejects.
//
// collectUserDefinitions() walks the translation unit once, as the match
// finder does (template instantiations and implicit code visited, the same
// nodes in the same order), but does not enter a declaration that is in a
// system header: a system header's declarations hold no user code. The
// exception is an instantiation of a system template from the user's own
// partial specialization (`template <class T> struct std::hash<Mine<T>>`):
// its members are the user's, so it is entered when its pattern is.
//
// A node is the user's when the expansion location of its beginning is not
// in a system header (isExpansionInSystemHeader()).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_USERDEFINITIONS_H
#define PITFALL_CORE_USERDEFINITIONS_H

#include "llvm/ADT/PointerUnion.h"

#include <vector>

namespace clang {
class ASTContext;
class FieldDecl;
class FunctionDecl;
class LambdaExpr;
class VarDecl;
} // namespace clang

namespace pitfall {

/// One node of the user's code a check is shown:
///   * a FunctionDecl that is a definition (methods, constructors,
///     destructors, lambda call operators, instantiations, patterns);
///   * a LambdaExpr;
///   * a FieldDecl with an in-class initialiser;
///   * a VarDecl with static storage, not a static local, with an
///     initialiser (on any of its declarations).
using UserDefinition =
    llvm::PointerUnion<const clang::FunctionDecl *, const clang::LambdaExpr *,
                       const clang::FieldDecl *, const clang::VarDecl *>;

/// The user's definitions of \p Ctx's translation unit, in the order the
/// match finder visits them (a declaration before what it holds).
std::vector<UserDefinition> collectUserDefinitions(clang::ASTContext &Ctx);

} // namespace pitfall

#endif // PITFALL_CORE_USERDEFINITIONS_H
