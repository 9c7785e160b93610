//===--- ElementLoops.cpp -------------------------------------------------===//
#include "pitfall/Core/ElementLoops.h"

#include "pitfall/Core/ExprUtil.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace pitfall {
namespace {

const Expr *bare(const Expr *E) {
  E = skipImplicit(E);
  return E ? skipImplicit(E->IgnoreParenCasts()) : nullptr;
}

bool refersTo(const Expr *E, const VarDecl *V) {
  const auto *Ref = dyn_cast_or_null<DeclRefExpr>(bare(E));
  return Ref && V && Ref->getDecl() == V;
}

bool sameObject(const Expr *A, const Expr *B) {
  std::optional<ObjectPath> PA = objectPathOf(A), PB = objectPathOf(B);
  return PA && PB && *PA == *PB;
}

/// The counter `T i = 0` an index loop's init-statement declares.
const VarDecl *counterFromZero(const Stmt *Init) {
  const VarDecl *V = singleVarDecl(Init);
  const auto *Zero = V && V->getInit()
                         ? dyn_cast<IntegerLiteral>(bare(V->getInit()))
                         : nullptr;
  return Zero && Zero->getValue() == 0 ? V : nullptr;
}

/// `++v`, `v++`, `v += 1`, for integers and iterators.
bool stepsByOne(const Expr *Inc, const VarDecl *V) {
  Inc = bare(Inc);
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(Inc))
    return UO->isIncrementOp() && refersTo(UO->getSubExpr(), V);
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Inc)) {
    const auto *One = dyn_cast<IntegerLiteral>(bare(BO->getRHS()));
    return BO->getOpcode() == BO_AddAssign && refersTo(BO->getLHS(), V) &&
           One && One->getValue() == 1;
  }
  if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(Inc))
    return OC->getOperator() == OO_PlusPlus && OC->getNumArgs() >= 1 &&
           refersTo(OC->getArg(0), V);
  return false;
}

/// What `v < X`, `v != X`, `X > v` compares \p V with.
const Expr *upperBound(const Expr *Cond, const VarDecl *V) {
  Cond = bare(Cond);
  const Expr *L = nullptr, *R = nullptr;
  BinaryOperatorKind Op;
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Cond)) {
    L = BO->getLHS(), R = BO->getRHS(), Op = BO->getOpcode();
  } else if (const auto *RO = dyn_cast_or_null<CXXRewrittenBinaryOperator>(
                 Cond)) { // C++20: `it != e` as `!(it == e)`
    L = RO->getLHS(), R = RO->getRHS(), Op = RO->getOperator();
  } else if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(Cond);
             OC && OC->getNumArgs() == 2 && OC->isInfixBinaryOp()) {
    L = OC->getArg(0), R = OC->getArg(1);
    Op = BinaryOperator::getOverloadedOpcode(OC->getOperator());
  } else {
    return nullptr;
  }
  if ((Op == BO_LT || Op == BO_NE) && refersTo(L, V))
    return R;
  if ((Op == BO_GT || Op == BO_NE) && refersTo(R, V))
    return L;
  return nullptr;
}

/// The object \p E calls \p Name on (`c.size()`, `c.end()`), or the
/// argument of the free function of that name (`std::size(c)`).
const Expr *calledOn(const Expr *E, llvm::StringRef Name) {
  E = bare(E);
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    return M && M->getIdentifier() && M->getName() == Name &&
                   MC->getNumArgs() == 0
               ? MC->getImplicitObjectArgument()
               : nullptr;
  }
  if (const auto *Call = dyn_cast_or_null<CallExpr>(E)) {
    const FunctionDecl *F = Call->getDirectCallee();
    return F && F->getIdentifier() && F->getName() == Name &&
                   Call->getNumArgs() == 1
               ? Call->getArg(0)
               : nullptr;
  }
  return nullptr;
}

/// The container \p E subscripts with \p V (`c[v]`, `c.at(v)`), or null.
const Expr *subscripted(const Expr *E, const VarDecl *V) {
  E = E ? E->IgnoreParenImpCasts() : nullptr;
  if (const auto *AS = dyn_cast_or_null<ArraySubscriptExpr>(E))
    return refersTo(AS->getIdx(), V) ? AS->getBase() : nullptr;
  if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(E))
    return OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2 &&
                   refersTo(OC->getArg(1), V)
               ? OC->getArg(0)
               : nullptr;
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    return M && M->getIdentifier() && M->getName() == "at" &&
                   MC->getNumArgs() == 1 && refersTo(MC->getArg(0), V)
               ? MC->getImplicitObjectArgument()
               : nullptr;
  }
  return nullptr;
}

/// The container an index loop over \p V subscripts in \p Body: the first
/// (in source order) that \p Wanted accepts, or the first of all when it
/// accepts none or is empty (`threads[t].join(); total += count[t];`).
const Expr *containerIndexedIn(const Stmt *Body, const VarDecl *V,
                               llvm::function_ref<bool(const Expr *)> Wanted) {
  llvm::SmallVector<const Expr *, 4> Found;
  walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *S) {
    const auto *E = dyn_cast<Expr>(S);
    if (const Expr *C = E ? subscripted(E, V) : nullptr)
      Found.push_back(C);
    return true;
  });
  llvm::sort(Found, [](const Expr *A, const Expr *B) {
    return A->getBeginLoc() < B->getBeginLoc();
  });
  if (Wanted)
    for (const Expr *C : Found)
      if (Wanted(C))
        return C;
  return Found.empty() ? nullptr : Found.front();
}

/// A `for` loop counting a fresh variable from 0 up to something, by one,
/// with a body that leaves the counter alone: the counter and the bound.
std::optional<std::pair<const VarDecl *, const Expr *>>
countingLoop(const ForStmt *F) {
  const VarDecl *V = counterFromZero(F->getInit());
  const Expr *Bound = V ? upperBound(F->getCond(), V) : nullptr;
  if (!Bound || !stepsByOne(F->getInc(), V) || changesVariable(F->getBody(), V))
    return std::nullopt;
  return std::make_pair(V, Bound);
}

/// Two bounds that are the same value: the same constant, the same
/// variable or member, or the same expression of them without side
/// effects (`n - 1` in both loops); the variables are not checked to keep
/// their values in between.
bool sameBound(const Expr *A, const Expr *B, const ASTContext &Ctx) {
  A = bare(A), B = bare(B);
  const auto *IA = dyn_cast<IntegerLiteral>(A);
  const auto *IB = dyn_cast<IntegerLiteral>(B);
  if (IA || IB)
    return IA && IB && IA->getValue() == IB->getValue();
  if (sameObject(A, B))
    return true;
  if (!isa<BinaryOperator>(A) || A->HasSideEffects(Ctx) ||
      B->HasSideEffects(Ctx))
    return false;
  llvm::FoldingSetNodeID IDA, IDB;
  A->Profile(IDA, Ctx, /*Canonical=*/true);
  B->Profile(IDB, Ctx, /*Canonical=*/true);
  return IDA == IDB;
}

/// The container whose end \p E is (`c.end()`, `c.cend()`, `std::end(c)`).
const Expr *endOf(const Expr *E) {
  E = bare(E);
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && M->getIdentifier() && MC->getNumArgs() == 0 &&
        (M->getName() == "end" || M->getName() == "cend"))
      return MC->getImplicitObjectArgument();
    return nullptr;
  }
  if (const auto *Call = dyn_cast_or_null<CallExpr>(E))
    if (Call->getNumArgs() == 1 &&
        isStdFunction(Call->getDirectCallee(), {"end", "cend"}))
      return Call->getArg(0);
  return nullptr;
}

/// The iterator variable and the container of a loop condition comparing
/// the one with the other's end (`it != c.end()`, either side), or nulls.
std::pair<const VarDecl *, const Expr *> iteratorToEnd(const Expr *Cond) {
  Cond = bare(Cond);
  const Expr *L = nullptr, *R = nullptr;
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Cond);
      BO && BO->getOpcode() == BO_NE) {
    L = BO->getLHS(), R = BO->getRHS();
  } else if (const auto *RO =
                 dyn_cast_or_null<CXXRewrittenBinaryOperator>(Cond);
             RO && RO->getOperator() == BO_NE) {
    L = RO->getLHS(), R = RO->getRHS();
  } else if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(Cond);
             OC && OC->getOperator() == OO_ExclaimEqual &&
             OC->getNumArgs() == 2) {
    L = OC->getArg(0), R = OC->getArg(1);
  } else {
    return {nullptr, nullptr};
  }
  for (int Side = 0; Side < 2; ++Side, std::swap(L, R)) {
    const auto *Ref = dyn_cast_or_null<DeclRefExpr>(bare(L));
    const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    if (const Expr *C = V ? endOf(R) : nullptr)
      return {V, C};
  }
  return {nullptr, nullptr};
}

/// True if \p Bound is a constant equal to the number of elements of
/// \p Container's type: a built-in array's extent, std::array's size.
bool isFixedSize(const Expr *Container, const Expr *Bound,
                 const ASTContext &Ctx) {
  Expr::EvalResult R;
  if (!Bound || Bound->isValueDependent() || !Bound->EvaluateAsInt(R, Ctx))
    return false;
  QualType T = Container->IgnoreParenImpCasts()
                   ->getType()
                   .getNonReferenceType()
                   .getCanonicalType();
  std::optional<llvm::APInt> Size;
  if (const auto *AT = Ctx.getAsConstantArrayType(T)) {
    Size = AT->getSize();
  } else if (const auto *Spec =
                 dyn_cast_or_null<ClassTemplateSpecializationDecl>(
                     T->getAsCXXRecordDecl());
             Spec && Spec->isInStdNamespace() && Spec->getIdentifier() &&
             Spec->getName() == "array" &&
             Spec->getTemplateArgs().size() == 2 &&
             Spec->getTemplateArgs()[1].getKind() ==
                 TemplateArgument::Integral) {
    Size = Spec->getTemplateArgs()[1].getAsIntegral();
  }
  return Size &&
         llvm::APSInt::isSameValue(llvm::APSInt(*Size, true), R.Val.getInt());
}

} // namespace

std::optional<ElementLoop>
elementLoopOf(const Stmt *Loop,
              llvm::function_ref<bool(const Expr *)> WantedContainer) {
  ElementLoop L;
  L.Loop = Loop;
  if (const auto *FR = dyn_cast_or_null<CXXForRangeStmt>(Loop)) {
    if (!FR->getRangeInit())
      return std::nullopt;
    L.Kind = ElementLoop::Shape::RangeFor;
    L.Container = FR->getRangeInit();
    L.Body = FR->getBody();
    L.Var = FR->getLoopVariable();
    return L;
  }
  if (const auto *W = dyn_cast_or_null<WhileStmt>(Loop)) {
    // `while (it != c.end()) { ...; ++it; }`: from wherever it starts.
    const auto *Body = dyn_cast_or_null<CompoundStmt>(W->getBody());
    if (auto [It, C] = iteratorToEnd(W->getCond());
        It && Body && !Body->body_empty()) {
      const auto *Step = dyn_cast<Expr>(Body->body_back());
      if (!Step || !stepsByOne(Step, It))
        return std::nullopt;
      for (const Stmt *St : Body->body())
        if (St != Step && changesVariable(St, It))
          return std::nullopt;
      L.Kind = ElementLoop::Shape::Iterator;
      L.Container = C;
      L.Body = Body;
      L.Var = It;
      L.Step = Step;
      L.FromBegin = false;
      return L;
    }
    // `while (!q.empty())`.
    const auto *Not = dyn_cast_or_null<UnaryOperator>(bare(W->getCond()));
    const Expr *C = Not && Not->getOpcode() == UO_LNot
                        ? calledOn(Not->getSubExpr(), "empty")
                        : nullptr;
    if (!C)
      return std::nullopt;
    L.Kind = ElementLoop::Shape::Front;
    L.Container = C;
    L.Body = W->getBody();
    return L;
  }
  const auto *F = dyn_cast_or_null<ForStmt>(Loop);
  if (!F || !F->getBody())
    return std::nullopt;
  L.Body = F->getBody();
  // `for (auto it = c.begin(); it != c.end(); ++it)`, or from another
  // start (`for (; it != c.end(); ++it)`: FromBegin false).
  if (auto [It, C] = iteratorToEnd(F->getCond()); It) {
    if (!stepsByOne(F->getInc(), It) || changesVariable(F->getBody(), It))
      return std::nullopt;
    const VarDecl *Declared = singleVarDecl(F->getInit());
    const Expr *Begin = Declared == It && It->getInit()
                            ? calledOn(skipImplicit(It->getInit()), "begin")
                            : nullptr;
    L.Kind = ElementLoop::Shape::Iterator;
    L.Container = C;
    L.Var = It;
    L.FromBegin = Begin && sameObject(C, Begin);
    return L;
  }
  // `for (size_t i = 0; i < c.size(); ++i)`, `for (int i = 0; i < n; ++i)`.
  auto Counting = countingLoop(F);
  if (!Counting)
    return std::nullopt;
  L.Kind = ElementLoop::Shape::Index;
  L.Var = Counting->first;
  if (const Expr *C = calledOn(Counting->second, "size")) {
    L.Container = C;
    return L;
  }
  L.Container = containerIndexedIn(F->getBody(), L.Var, WantedContainer);
  if (!L.Container)
    return std::nullopt;
  // A bound that is the container's fixed size (`std::thread ts[4]`,
  // `std::array<T, 4>`, up to 4) visits every element, however it was
  // filled.
  if (!isFixedSize(L.Container, Counting->second, L.Var->getASTContext()))
    L.Bound = Counting->second;
  return L;
}

bool isVisitedElement(const ElementLoop &L, const Expr *E) {
  bool Deref = false;
  for (unsigned Depth = 0; E && Depth < 6; ++Depth) {
    E = E->IgnoreParenImpCasts();
    switch (L.Kind) {
    case ElementLoop::Shape::RangeFor:
      if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
        if (Ref->getDecl() == L.Var)
          return true;
        const auto *B = dyn_cast<BindingDecl>(Ref->getDecl());
        return B && B->getDecomposedDecl() == L.Var;
      }
      break;
    case ElementLoop::Shape::Iterator:
      if (Deref && refersTo(E, L.Var))
        return true;
      break;
    case ElementLoop::Shape::Index:
      if (const Expr *C = subscripted(E, L.Var))
        return sameObject(C, L.Container);
      break;
    case ElementLoop::Shape::Front:
      if (const Expr *C = calledOn(E, "front"))
        return sameObject(C, L.Container);
      break;
    }
    // A part of the element (`p.second`), or what it points to (`*p`,
    // `p->`; for an iterator, the element itself).
    if (const auto *ME = dyn_cast<MemberExpr>(E);
        ME && isa<FieldDecl>(ME->getMemberDecl())) {
      E = ME->getBase();
      Deref |= ME->isArrow();
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_Deref) {
      E = UO->getSubExpr();
      Deref = true;
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
        OC && OC->getNumArgs() == 1 &&
        (OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star)) {
      E = OC->getArg(0);
      Deref = true;
      continue;
    }
    return false;
  }
  return false;
}

bool filledUpToBound(
    const ElementLoop &L, const Stmt *FunctionBody,
    llvm::function_ref<bool(const CXXMemberCallExpr *)> Fills) {
  if (!L.Bound)
    return true;
  bool Filled = false;
  walkOutsideLambdas(FunctionBody, LambdaBodies::Skip, [&](const Stmt *S) {
    const auto *F = dyn_cast<ForStmt>(S);
    if (!F || F == L.Loop || !(F->getEndLoc() < L.Loop->getBeginLoc()))
      return true;
    auto Counting = countingLoop(F);
    if (!Counting ||
        !sameBound(Counting->second, L.Bound, L.Var->getASTContext()))
      return true;
    walkOutsideLambdas(F->getBody(), LambdaBodies::Skip, [&](const Stmt *B) {
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(B);
          MC && Fills(MC) &&
          sameObject(MC->getImplicitObjectArgument(), L.Container))
        Filled = true;
      // `c[j] = std::thread(f)`: the element of this iteration.
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(B);
          OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
        if (const Expr *C = subscripted(OC->getArg(0), Counting->first))
          Filled = sameObject(C, L.Container);
      return !Filled;
    });
    return !Filled;
  });
  return Filled;
}

} // namespace pitfall
