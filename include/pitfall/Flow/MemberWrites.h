//===--- MemberWrites.h - where the translation unit writes a data member -===//
//
// The writes of one data member in the user's function definitions
// (FlowContext::userDefinitions()), through any object: `f = v`,
// `p->f = v`, compound assignments, `++f`, a non-const member call on it
// (`flag.store(true)`, `flag.exchange(true)`), an overloaded operator=, and
// its address taken (`&f`: whoever holds the pointer may write). The
// initialisers of constructors and in-class initialisers give the member its
// initial value; they are not writes.
//
// Also the constants a member may be given, through a setter: a write whose
// value is a parameter of its member function (`void setState(State s) {
// state_ = s; }`) stores what each call of that function passes.
//
// Used by pitfall-unjoined-thread's destructor rule (ThreadMembers.h): a
// shut-down flag only the joining function sets, a state member compared
// with the value only its constructor gives it.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_MEMBERWRITES_H
#define PITFALL_FLOW_MEMBERWRITES_H

#include "pitfall/Flow/FlowContext.h"

#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace clang {
class CXXRecordDecl;
class Expr;
class FieldDecl;
class FunctionDecl;
class MemberExpr;
class Stmt;
} // namespace clang

namespace pitfall {

/// One write of a data member.
struct MemberWrite {
  /// The function definition whose body writes (a lambda's call operator
  /// for a write in a lambda).
  const clang::FunctionDecl *Fn = nullptr;
  /// The member written (`this->f`, `p->f`).
  const clang::MemberExpr *Target = nullptr;
  /// The writing expression: the assignment, the increment, the call.
  const clang::Stmt *At = nullptr;
  /// What a plain assignment stores; null when not known (a compound
  /// assignment, an increment, a member call, the address taken).
  const clang::Expr *Value = nullptr;
};

/// Every write of \p Field in the bodies of the user's function definitions
/// of the translation unit (see above).
llvm::SmallVector<MemberWrite, 4> memberWrites(FlowContext &Flow,
                                               const clang::FieldDecl *Field);

/// The integer (or enumerator) value of \p E when it is a constant.
std::optional<llvm::APSInt> constantValue(const clang::Expr *E,
                                          const clang::ASTContext &Ctx);

/// The setter \p W stores through: the member function whose parameter is
/// the value written (`state_ = s` in `setState(State s)`), when its body
/// does not change the parameter; null otherwise.
const clang::FunctionDecl *setterOf(const MemberWrite &W);

/// True if no write of \p Field (constructor bodies included) can store
/// \p Value: each stores a constant that differs from it, directly or
/// through a setter (setterOf()) that is only ever called, each call
/// passing such a constant. False when some value is unknown.
bool neverStores(FlowContext &Flow, const clang::FieldDecl *Field,
                 const llvm::APSInt &Value);

/// True if every constructor of \p Field's class that can make a new object
/// (not a copy or move) gives \p Field the value \p Value, by its
/// initialiser or the member's in-class initialiser; false when one is
/// defined elsewhere or leaves the member uninitialised.
bool constructorsInitialise(const clang::FieldDecl *Field,
                            const llvm::APSInt &Value,
                            const clang::ASTContext &Ctx);

} // namespace pitfall

#endif // PITFALL_FLOW_MEMBERWRITES_H
