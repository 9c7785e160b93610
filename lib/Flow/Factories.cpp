//===--- Factories.cpp - what may make the object a factory call returns --===//

#include "pitfall/Flow/Factories.h"

#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Flow/Callables.h"
#include "pitfall/Flow/FlowContext.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace pitfall {
namespace {

class Targets {
public:
  Targets(FlowContext &Flow, FactoryTargets &Out) : Flow(Flow), Out(Out) {
    Out.Known = true;
  }

  /// \p FD may be what runs.
  void function(const FunctionDecl *FD) {
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(FD);
    // An override may return another object.
    if (!FD || (M && M->isVirtual() && !M->hasAttr<FinalAttr>() &&
                !M->getParent()->hasAttr<FinalAttr>())) {
      Out.Known = false;
      return;
    }
    const FunctionDecl *Def = nullptr;
    if (FD->hasBody(Def)) {
      if (!returnsFreshObject(Def))
        Out.Known = false;
      return;
    }
    const FunctionDecl *Canonical = FD->getCanonicalDecl();
    if (!llvm::is_contained(Out.Elsewhere, Canonical))
      Out.Elsewhere.push_back(Canonical);
  }

  /// \p V is given to the member in \p Fn (null: the class's initialiser).
  void value(const Expr *V, const FunctionDecl *Fn) {
    const Expr *E = skipImplicit(V);
    // Through the wrapper's own constructions and moves.
    while (const auto *C = dyn_cast_or_null<CXXConstructExpr>(E)) {
      if (C->getNumArgs() == 0)
        return; // an empty std::function makes nothing
      E = skipImplicit(C->getArg(0));
    }
    if (!E || isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E))
      return;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl())) {
        if (Fn && P->getDeclContext() == Fn) {
          Out.Params.push_back(
              {Fn->getCanonicalDecl(), P->getFunctionScopeIndex()});
          return;
        }
        Out.Known = false;
        return;
      }
    function(Flow.callables().resolve(V).Fn);
  }

  /// Every value the class of \p Field gives it.
  void member(const FieldDecl *Field) {
    const auto *RD = dyn_cast<CXXRecordDecl>(Field->getParent());
    if (!RD || Field->getAccess() != AS_private) {
      Out.Known = false;
      return;
    }
    if (Field->hasInClassInitializer())
      value(Field->getInClassInitializer(), nullptr);
    for (const CXXMethodDecl *M : RD->methods()) {
      if (M->isImplicit() || M->isDeleted() || M->isDefaulted() ||
          M->isPureVirtual())
        continue;
      const FunctionDecl *Def = nullptr;
      if (!M->isDefined(Def) || !Def->getBody()) {
        Out.Known = false; // written where the TU cannot see
        return;
      }
      if (const auto *C = dyn_cast<CXXConstructorDecl>(Def))
        for (const CXXCtorInitializer *Init : C->inits())
          if (Init->getMember() == Field && Init->isWritten())
            value(Init->getInit(), Def);
      uses(Field, Def);
    }
  }

private:
  /// The mentions of \p Field in \p Def's body (its lambdas' too): a call,
  /// a const member function (`if (factory_)`), or an assignment, whose
  /// value counts.
  void uses(const FieldDecl *Field, const FunctionDecl *Def) {
    ParentMap PM(Def->getBody());
    llvm::SmallVector<const Stmt *, 32> Work{Def->getBody()};
    while (!Work.empty() && Out.Known) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      llvm::append_range(Work, S->children());
      const auto *ME = dyn_cast<MemberExpr>(S);
      if (!ME || ME->getMemberDecl() != Field)
        continue;
      const Expr *Child = ME;
      const Stmt *P = PM.getParent(Child);
      while (isa_and_nonnull<ImplicitCastExpr, ParenExpr>(P)) {
        Child = cast<Expr>(P);
        P = PM.getParent(P);
      }
      if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P);
          OC && OC->getNumArgs() >= 1 && OC->getArg(0) == Child) {
        if (OC->getOperator() == OO_Call)
          continue;
        if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
          value(OC->getArg(1), Def);
          continue;
        }
      }
      if (const auto *Member = dyn_cast_or_null<MemberExpr>(P)) {
        const auto *M = dyn_cast<CXXMethodDecl>(Member->getMemberDecl());
        if (M && M->isConst())
          continue;
      }
      Out.Known = false;
    }
  }

  FlowContext &Flow;
  FactoryTargets &Out;
};

} // namespace

FactoryTargets factoryTargets(FlowContext &Flow, const CallExpr *Call) {
  FactoryTargets Out;
  if (!Call)
    return Out;
  Targets T(Flow, Out);
  const FunctionDecl *Callee = Call->getDirectCallee();
  const SourceManager &SM = Flow.astContext().getSourceManager();
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
      OC && OC->getOperator() == OO_Call && OC->getNumArgs() > 0 &&
      (!Callee ||
       SM.isInSystemHeader(SM.getExpansionLoc(Callee->getLocation())))) {
    if (CallableTarget Target = Flow.callables().indirectCallee(Call)) {
      T.function(Target.Fn);
    } else {
      const auto *ME = dyn_cast<MemberExpr>(skipImplicit(OC->getArg(0)));
      const auto *Field =
          ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
      if (Field && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        T.member(Field);
      else
        Out.Known = false;
    }
  } else {
    T.function(Callee);
  }
  if (!Out.Known) {
    Out.Elsewhere.clear();
    Out.Params.clear();
  }
  return Out;
}

} // namespace pitfall
