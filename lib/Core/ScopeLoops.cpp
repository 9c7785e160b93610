//===--- ScopeLoops.cpp - loops whose body runs at most once --------------===//

#include "pitfall/Core/ScopeLoops.h"

#include "pitfall/Core/ExprUtil.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace pitfall {
namespace {

/// True if \p E can be evaluated as a truth value here (not in a template's
/// dependent code), putting it in \p Value.
bool constantTruth(const Expr *E, const ASTContext &Ctx, bool &Value) {
  return E && !E->isValueDependent() && !E->isTypeDependent() &&
         !E->containsErrors() && E->EvaluateAsBooleanCondition(Value, Ctx);
}

bool namesVariable(const Expr *E, const VarDecl *V) {
  const auto *DRE =
      dyn_cast_or_null<DeclRefExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  return DRE && DRE->getDecl() == V;
}

/// The variable whose truth value \p Cond is (`v`, `!v`, `static_cast<bool>
/// (v)`, `v.operator bool()`); \p Negated tells whether it is negated.
const VarDecl *testedVariable(const Expr *Cond, bool &Negated) {
  Negated = false;
  while (Cond) {
    Cond = Cond->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(Cond);
        U && U->getOpcode() == UO_LNot) {
      Negated = !Negated;
      Cond = U->getSubExpr();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond);
               Op && Op->getOperator() == OO_Exclaim && Op->getNumArgs() == 1) {
      Negated = !Negated;
      Cond = Op->getArg(0);
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond);
               MC && isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()) &&
               MC->getType()->isBooleanType()) {
      Cond = MC->getImplicitObjectArgument();
    } else if (const auto *C = dyn_cast<ExplicitCastExpr>(Cond);
               C && C->getType()->isBooleanType()) {
      Cond = C->getSubExpr();
    } else {
      break;
    }
  }
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(Cond);
  return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
}

/// True if \p S names \p V anywhere (lambda captures and bodies included).
bool mentions(const Stmt *S, const VarDecl *V) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && DRE->getDecl() == V)
    return true;
  if (const auto *L = dyn_cast<LambdaExpr>(S))
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable() && C.getCapturedVar() == V)
        return true;
  for (const Stmt *C : S->children())
    if (mentions(C, V))
      return true;
  return false;
}

/// The operands of \p Step's comma operators (the step itself if none).
void stepParts(const Expr *Step, llvm::SmallVectorImpl<const Expr *> &Out) {
  if (!Step)
    return;
  Step = Step->IgnoreParenImpCasts();
  if (const auto *B = dyn_cast<BinaryOperator>(Step);
      B && B->getOpcode() == BO_Comma) {
    stepParts(B->getLHS(), Out);
    stepParts(B->getRHS(), Out);
    return;
  }
  Out.push_back(Step);
}

/// True if \p Part assigns \p V a constant for which the condition (\p V's
/// truth value, negated if \p Negated) is false.
bool falsifies(const Expr *Part, const VarDecl *V, bool Negated,
               const ASTContext &Ctx) {
  const auto *B = dyn_cast<BinaryOperator>(Part);
  bool Value = false;
  return B && B->getOpcode() == BO_Assign && namesVariable(B->getLHS(), V) &&
         V->getType()->isScalarType() &&
         constantTruth(B->getRHS(), Ctx, Value) && Value == Negated;
}

/// True if \p Part calls a member function of \p V (`s_.leave()`).
bool callsMemberOf(const Expr *Part, const VarDecl *V) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Part);
  return MC && namesVariable(MC->getImplicitObjectArgument(), V);
}

/// True if a macro writes the header of \p F and the user its body.
bool macroHeaderUserBody(const ForStmt *F, const SourceManager &SM) {
  SourceLocation For = F->getForLoc();
  SourceLocation Body = F->getBody()->getBeginLoc();
  if (!For.isMacroID() || Body.isInvalid())
    return false;
  return !Body.isMacroID() ||
         SM.getExpansionLoc(Body) != SM.getExpansionLoc(For);
}

bool forRunsAtMostOnce(const ForStmt *F, const ASTContext &Ctx) {
  const auto *Init = dyn_cast_or_null<DeclStmt>(F->getInit());
  if (!Init || !F->getCond() || !F->getInc() || !F->getBody() ||
      F->getConditionVariable())
    return false;
  bool Negated = false;
  const VarDecl *V = testedVariable(F->getCond(), Negated);
  if (!V || llvm::find(Init->decls(), V) == Init->decl_end() ||
      mentions(F->getBody(), V))
    return false;
  llvm::SmallVector<const Expr *, 2> Parts;
  stepParts(F->getInc(), Parts);
  bool Opaque = false;
  for (const Expr *P : Parts) {
    if (falsifies(P, V, Negated, Ctx))
      return true;
    Opaque = Opaque || callsMemberOf(P, V);
  }
  return Opaque && macroHeaderUserBody(F, Ctx.getSourceManager());
}

} // namespace

bool runsAtMostOnce(const Stmt *S, const ASTContext &Ctx) {
  if (const auto *D = dyn_cast_or_null<DoStmt>(S)) {
    bool Value = true;
    return constantTruth(D->getCond(), Ctx, Value) && !Value;
  }
  if (const auto *F = dyn_cast_or_null<ForStmt>(S))
    return forRunsAtMostOnce(F, Ctx);
  return false;
}

bool repeats(const Stmt *S, const ASTContext &Ctx) {
  return isLoopStmt(S) && !runsAtMostOnce(S, Ctx);
}

} // namespace pitfall
