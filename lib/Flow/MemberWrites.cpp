//===--- MemberWrites.cpp -------------------------------------------------===//
#include "pitfall/Flow/MemberWrites.h"

#include "pitfall/Core/ExprUtil.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace pitfall {

namespace {

/// Calls \p Visit for every statement of the bodies of the user's function
/// definitions, with the function (lambda bodies are functions of their own).
template <typename Callback>
void forEachUserStatement(FlowContext &Flow, Callback Visit) {
  for (UserDefinition D : Flow.userDefinitions()) {
    const auto *FD = D.dyn_cast<const FunctionDecl *>();
    if (!FD || !FD->doesThisDeclarationHaveABody() || !FD->getBody())
      continue;
    walkOutsideLambdas(FD->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
      Visit(FD, S);
      return true;
    });
  }
}

} // namespace

llvm::SmallVector<MemberWrite, 4> memberWrites(FlowContext &Flow,
                                               const FieldDecl *Field) {
  llvm::SmallVector<MemberWrite, 4> Out;
  forEachUserStatement(Flow, [&](const FunctionDecl *Fn, const Stmt *S) {
    MemberWrite W;
    W.Fn = Fn;
    W.At = S;
    bool AddressTaken = false;
    W.Target = writtenMember(S, W.Value, AddressTaken);
    if (W.Target && W.Target->getMemberDecl() == Field)
      Out.push_back(W);
  });
  return Out;
}

std::optional<llvm::APSInt> constantValue(const Expr *E,
                                          const ASTContext &Ctx) {
  Expr::EvalResult R;
  if (!E || E->isValueDependent() || !E->EvaluateAsInt(R, Ctx))
    return std::nullopt;
  return R.Val.getInt();
}

const FunctionDecl *setterOf(const MemberWrite &W) {
  const auto *Ref =
      dyn_cast_or_null<DeclRefExpr>(W.Value ? skipImplicit(W.Value) : nullptr);
  const auto *Parm = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(W.Fn);
  if (!Parm || !M || isa<CXXConstructorDecl>(M) || M->isVirtual() ||
      M->getParent()->isLambda() ||
      !llvm::is_contained(M->parameters(), Parm) ||
      changesVariable(M->getBody(), Parm))
    return nullptr;
  return M;
}

bool neverStores(FlowContext &Flow, const FieldDecl *Field,
                 const llvm::APSInt &Value) {
  const ASTContext &Ctx = Flow.astContext();
  auto Differs = [&](const Expr *E) {
    std::optional<llvm::APSInt> V = constantValue(E, Ctx);
    return V && !llvm::APSInt::isSameValue(*V, Value);
  };
  llvm::SmallVector<std::pair<const FunctionDecl *, unsigned>, 2> Setters;
  for (const MemberWrite &W : memberWrites(Flow, Field)) {
    if (Differs(W.Value))
      continue;
    const FunctionDecl *Setter = setterOf(W);
    if (!Setter)
      return false;
    const auto *Parm =
        cast<ParmVarDecl>(cast<DeclRefExpr>(skipImplicit(W.Value))->getDecl());
    Setters.push_back(
        {Setter->getCanonicalDecl(), Parm->getFunctionScopeIndex()});
  }
  if (Setters.empty())
    return true;
  // Each setter only called (as many calls as names of it: no pointer to
  // it), each call passing another constant.
  bool Known = true;
  llvm::SmallVector<int, 2> Uncalled(Setters.size(), 0);
  forEachUserStatement(Flow, [&](const FunctionDecl *, const Stmt *S) {
    const ValueDecl *Named = namedDecl(S);
    const auto *Call = dyn_cast<CallExpr>(S);
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    for (unsigned I = 0, N = Setters.size(); I != N; ++I) {
      auto [Setter, Index] = Setters[I];
      if (Callee && Callee->getCanonicalDecl() == Setter) {
        --Uncalled[I];
        Known &= Index < Call->getNumArgs() && Differs(Call->getArg(Index));
      }
      if (const auto *FD = dyn_cast_or_null<FunctionDecl>(Named);
          FD && FD->getCanonicalDecl() == Setter)
        ++Uncalled[I];
    }
  });
  return Known && llvm::all_of(Uncalled, [](int N) { return N <= 0; });
}

bool constructorsInitialise(const FieldDecl *Field, const llvm::APSInt &Value,
                            const ASTContext &Ctx) {
  const auto *Record = dyn_cast<CXXRecordDecl>(Field->getParent());
  if (!Record || !Record->hasDefinition())
    return false;
  auto Gives = [&](const Expr *Init) {
    if (const auto *Default =
            dyn_cast_or_null<CXXDefaultInitExpr>(skipImplicit(Init)))
      Init = Default->getExpr();
    std::optional<llvm::APSInt> V = constantValue(Init, Ctx);
    return V && llvm::APSInt::isSameValue(*V, Value);
  };
  bool Any = false;
  for (const CXXConstructorDecl *Ctor : Record->ctors()) {
    if (Ctor->isCopyOrMoveConstructor() || Ctor->isDeleted())
      continue;
    Any = true;
    const FunctionDecl *Def = nullptr;
    if (Ctor->isImplicit() || (Ctor->isDefaulted() && !Ctor->hasBody(Def))) {
      if (!Gives(Field->getInClassInitializer()))
        return false;
      continue;
    }
    if (!Ctor->hasBody(Def))
      return false; // defined elsewhere
    const CXXCtorInitializer *Mine = nullptr;
    for (const CXXCtorInitializer *Init :
         cast<CXXConstructorDecl>(Def)->inits())
      if (Init->getMember() == Field)
        Mine = Init;
    if (!Gives(Mine ? Mine->getInit() : Field->getInClassInitializer()))
      return false;
  }
  // No constructor declared: the implicit default one, if any.
  return Any || Gives(Field->getInClassInitializer());
}

} // namespace pitfall
