//===--- ClassReach.cpp - which classes' objects other threads may reach --===//

#include "pitfall/Flow/ClassReach.h"

#include "pitfall/Compat.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace pitfall {

/// Limits the types mentions() reads into (template arguments of template
/// arguments, ...).
static constexpr unsigned MaxTypeDepth = 8;

class ClassReachVisitor : public RecursiveASTVisitor<ClassReachVisitor> {
public:
  explicit ClassReachVisitor(ClassReach &R)
      : R(R), SM(R.Ctx.getSourceManager()) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBody() const { return true; }

  bool VisitCXXRecordDecl(CXXRecordDecl *RD) {
    if (RD->isThisDeclarationADefinition() && !RD->isDependentContext() &&
        R.userClass(RD))
      R.record(RD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    if (const CXXRecordDecl *C = L->getLambdaClass();
        C && !C->isDependentContext() && R.userClass(C))
      R.record(C);
    return true;
  }
  bool VisitVarDecl(VarDecl *V) {
    if (V->hasGlobalStorage() && !isa<ParmVarDecl>(V) &&
        !V->getDeclContext()->isDependentContext() &&
        !V->getType()->isDependentType() &&
        !SM.isInSystemHeader(SM.getExpansionLoc(V->getLocation())))
      R.share(V->getType());
    return true;
  }
  bool VisitExpr(Expr *E) {
    if (!E->isTypeDependent() && !E->isValueDependent() &&
        !SM.isInSystemHeader(SM.getExpansionLoc(E->getBeginLoc())))
      R.expression(E);
    return true;
  }

private:
  ClassReach &R;
  const SourceManager &SM;
};

ClassReach::ClassReach(clang::ASTContext &Ctx) : Ctx(Ctx) {}

void ClassReach::collect() {
  ClassReachVisitor V(*this);
  V.TraverseDecl(Ctx.getTranslationUnitDecl());
}

bool ClassReach::userClass(const CXXRecordDecl *RD) const {
  const SourceManager &SM = Ctx.getSourceManager();
  return !SM.isInSystemHeader(SM.getExpansionLoc(RD->getLocation()));
}

/// The parameter type of a function template's pattern \p Param stands for
/// any type: a template type parameter, by value or by reference (a
/// forwarding reference), or a pack of them.
static bool anyType(const ParmVarDecl *Param) {
  QualType T = Param->getType().getNonReferenceType();
  if (const auto *P = T->getAs<PackExpansionType>())
    T = P->getPattern().getNonReferenceType();
  return isa<TemplateTypeParmType>(T.getCanonicalType().getTypePtr());
}

/// \p FD, a specialization of a function template whose pattern takes an
/// object of any type as its first parameter, every other parameter
/// defaulted: the pattern, or null.
static const FunctionDecl *takesAnyObject(const FunctionDecl *FD) {
  const FunctionTemplateDecl *T = FD ? FD->getPrimaryTemplate() : nullptr;
  const FunctionDecl *Pattern = T ? T->getTemplatedDecl() : nullptr;
  if (!Pattern || Pattern->getNumParams() == 0 ||
      !anyType(Pattern->getParamDecl(0)))
    return nullptr;
  for (unsigned I = 1, N = Pattern->getNumParams(); I != N; ++I)
    if (!Pattern->getParamDecl(I)->hasDefaultArg())
      return nullptr;
  return Pattern;
}

bool ClassReach::erasesType(const CXXRecordDecl *RD) {
  RD = RD->getDefinition();
  if (!RD || userClass(RD))
    return false;
  auto [It, New] = Erasing.try_emplace(RD, false);
  if (!New)
    return It->second;
  bool Erases = false;
  for (const Decl *D : RD->decls()) {
    const auto *FT = dyn_cast<FunctionTemplateDecl>(D);
    const auto *Ctor =
        FT ? dyn_cast<CXXConstructorDecl>(FT->getTemplatedDecl()) : nullptr;
    if (!Ctor || Ctor->getNumParams() == 0 || !anyType(Ctor->getParamDecl(0)))
      continue;
    bool RestDefaulted = true;
    for (unsigned I = 1, N = Ctor->getNumParams(); I != N; ++I)
      RestDefaulted = RestDefaulted && Ctor->getParamDecl(I)->hasDefaultArg();
    Erases = Erases || RestDefaulted;
  }
  return Erasing[RD] = Erases;
}

void ClassReach::mentions(QualType T,
                          llvm::SmallVectorImpl<const CXXRecordDecl *> &Out,
                          unsigned Depth) {
  if (T.isNull() || T->isDependentType() || Depth > MaxTypeDepth)
    return;
  T = T.getCanonicalType();
  if (T->isReferenceType() || T->isPointerType())
    return mentions(T->getPointeeType(), Out, Depth + 1);
  if (const auto *A = dyn_cast<ArrayType>(T.getTypePtr()))
    return mentions(A->getElementType(), Out, Depth + 1);
  // A member pointer holds no object of its class: what it points to.
  if (const auto *M = T->getAs<MemberPointerType>())
    return mentions(M->getPointeeType(), Out, Depth + 1);
  if (const auto *A = T->getAs<AtomicType>())
    return mentions(A->getValueType(), Out, Depth + 1);
  if (const auto *F = T->getAs<FunctionProtoType>()) {
    mentions(F->getReturnType(), Out, Depth + 1);
    for (QualType P : F->getParamTypes())
      mentions(P, Out, Depth + 1);
    return;
  }
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return;
  if (const CXXRecordDecl *Def = RD->getDefinition())
    RD = Def;
  if (llvm::is_contained(Out, RD))
    return;
  if (userClass(RD) || erasesType(RD))
    Out.push_back(RD);
  if (const auto *S = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    for (const TemplateArgument &A : S->getTemplateArgs().asArray()) {
      if (A.getKind() == TemplateArgument::Type)
        mentions(A.getAsType(), Out, Depth + 1);
      else if (A.getKind() == TemplateArgument::Pack)
        for (const TemplateArgument &P : A.pack_elements())
          if (P.getKind() == TemplateArgument::Type)
            mentions(P.getAsType(), Out, Depth + 1);
    }
}

void ClassReach::hold(const CXXRecordDecl *Holder, QualType Held) {
  llvm::SmallVector<const CXXRecordDecl *, 4> M;
  mentions(Held, M);
  for (const CXXRecordDecl *H : M)
    if (H != Holder)
      Holds.emplace_back(Holder, H);
}

void ClassReach::share(QualType T) {
  llvm::SmallVector<const CXXRecordDecl *, 4> M;
  mentions(T, M);
  Shared.insert(M.begin(), M.end());
}

void ClassReach::record(const CXXRecordDecl *RD) {
  for (const FieldDecl *F : RD->fields())
    hold(RD, F->getType());
  for (const CXXBaseSpecifier &B : RD->bases())
    hold(RD, B.getType());
}

/// The class \p T points to or names (a pointer's pointee, an object's).
static const CXXRecordDecl *classOf(QualType T) {
  if (T->isPointerType() || T->isReferenceType())
    T = T->getPointeeType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  return RD && RD->getDefinition() ? RD->getDefinition() : RD;
}

void ClassReach::expression(const Expr *E) {
  if (const auto *C = dyn_cast<CastExpr>(E)) {
    QualType To = C->getType(), From = C->getSubExpr()->getType();
    switch (C->getCastKind()) {
    case CK_DerivedToBase:
    case CK_UncheckedDerivedToBase:
    case CK_BaseToDerived:
    case CK_Dynamic: {
      // A base's holder may hold the derived object.
      const CXXRecordDecl *A = classOf(From), *B = classOf(To);
      if (A && B && A != B) {
        bool Up = C->getCastKind() == CK_DerivedToBase ||
                  C->getCastKind() == CK_UncheckedDerivedToBase;
        hold(Up ? B : A, compat::recordType(Up ? A : B));
      }
      if (C->getCastKind() == CK_Dynamic && To->isVoidPointerType())
        share(From);
      return;
    }
    case CK_BitCast:
    case CK_LValueBitCast:
    case CK_LValueToRValueBitCast:
    case CK_ReinterpretMemberPointer:
    case CK_PointerToIntegral:
    case CK_IntegralToPointer:
      // Out of or into an untyped pointer, an integer, another class's
      // pointer: whoever holds it is not known.
      if (classOf(From) != classOf(To)) {
        share(From);
        share(To);
      }
      return;
    default:
      return;
    }
  }
  if (const auto *N = dyn_cast<CXXNewExpr>(E)) {
    // Built in storage someone else holds.
    if (N->getNumPlacementArgs() > 0 &&
        N->getPlacementArg(0)->getType()->isPointerType())
      share(N->getAllocatedType());
    return;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    // A type-erasing library class made from an object of any type.
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (CE->getNumArgs() > 0 && erasesType(Ctor->getParent()) &&
        takesAnyObject(Ctor))
      hold(Ctor->getParent()->getDefinition(), CE->getArg(0)->getType());
  } else if (const auto *Call = dyn_cast<CallExpr>(E)) {
    // A library member taking an object of any type (`f = [&] {...}`,
    // `handlers.emplace_back(cb)`): it may store it in the type-erasing
    // classes its object's type names.
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
    const Expr *Object = nullptr;
    unsigned First = 0;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
      Object = MC->getImplicitObjectArgument();
    } else if (isa<CXXOperatorCallExpr>(Call) && Call->getNumArgs() > 0) {
      Object = Call->getArg(0);
      First = 1;
    }
    const FunctionTemplateDecl *T = M ? M->getPrimaryTemplate() : nullptr;
    if (Object && T && !userClass(M->getParent())) {
      const FunctionDecl *Pattern = T->getTemplatedDecl();
      llvm::SmallVector<const CXXRecordDecl *, 4> Holders;
      mentions(Object->getType(), Holders);
      llvm::erase_if(Holders,
                     [&](const CXXRecordDecl *H) { return !erasesType(H); });
      for (unsigned I = First, N = Call->getNumArgs(); I != N; ++I) {
        unsigned P = I - First;
        const ParmVarDecl *Param =
            P < Pattern->getNumParams()
                ? Pattern->getParamDecl(P)
                : (Pattern->getNumParams()
                       ? Pattern->getParamDecl(Pattern->getNumParams() - 1)
                       : nullptr);
        if (!Param || !anyType(Param))
          continue;
        for (const CXXRecordDecl *H : Holders)
          hold(H, Call->getArg(I)->getType());
      }
    }
  }
}

void ClassReach::taskStart(const Expr *Site) {
  // What a task start hands the task: its arguments, the callable's
  // closure among them, and the executor it is made on.
  if (const auto *Call = dyn_cast_or_null<CallExpr>(Site)) {
    for (const Expr *A : Call->arguments())
      share(A->getType());
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      share(MC->getImplicitObjectArgument()->getType());
  } else if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(Site)) {
    for (const Expr *A : CE->arguments())
      share(A->getType());
  }
}

} // namespace pitfall
