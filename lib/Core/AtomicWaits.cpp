//===--- AtomicWaits.cpp --------------------------------------------------===//
#include "pitfall/Core/AtomicWaits.h"
#include "pitfall/Core/Cancellation.h"
#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/NameList.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace pitfall {

namespace {

const NameList &pauseFunctions() {
  static const NameList L(
      "::usleep;::sleep;::nanosleep;::sched_yield;::pthread_yield;"
      "::std::this_thread::sleep_for;::std::this_thread::sleep_until;"
      "::std::this_thread::yield;::_mm_pause;::__builtin_ia32_pause");
  return L;
}

/// The atomic variable or data member \p E names, or null.
const ValueDecl *atomicObject(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (!isAtomicType(E->getType()))
    return nullptr;
  if (const auto *M = dyn_cast<MemberExpr>(E))
    return dyn_cast<FieldDecl>(M->getMemberDecl());
  // A global, or a local (shared with the lambdas that capture it by
  // reference).
  if (const auto *D = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(D->getDecl());
        V && !isa<ParmVarDecl>(V) && !V->getType()->isReferenceType())
      return V;
  return nullptr;
}

std::optional<int64_t> constantOf(const Expr *E, const ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  Expr::EvalResult R;
  if (E->IgnoreImpCasts()->EvaluateAsInt(R, Ctx))
    return R.Val.getInt().getExtValue();
  return std::nullopt;
}

/// The memory order argument \p E names: std::memory_order's values
/// (relaxed 0, consume 1, acquire 2, release 3, acq_rel 4, seq_cst 5).
std::optional<int64_t> orderOf(const Expr *E, const ASTContext &Ctx) {
  if (!E || isa<CXXDefaultArgExpr>(E))
    return 5;
  return constantOf(E, Ctx);
}

/// The atomic object \p E loads with an order that acquires (`a.load()`,
/// `a.load(acquire)`, the conversion `T()`), or null.
const ValueDecl *acquiringLoad(const Expr *E, const ASTContext &Ctx,
                               const Expr **Owner = nullptr,
                               unsigned Depth = 0) {
  const auto *MC =
      dyn_cast_or_null<CXXMemberCallExpr>(E ? E->IgnoreParenImpCasts() : E);
  if (!MC || !MC->getMethodDecl())
    return nullptr;
  const ValueDecl *Object = atomicObject(MC->getImplicitObjectArgument());
  if (Object && Owner)
    if (const auto *ME = dyn_cast<MemberExpr>(
            MC->getImplicitObjectArgument()->IgnoreParenImpCasts()))
      *Owner = ME->getBase();
  if (!Object) {
    // A getter of the object's atomic flag (`bool connected() const {
    // return connected_.load(std::memory_order_acquire); }`), not virtual
    // (an override may read another): the load its one return makes, of a
    // data member of its own object.
    const CXXMethodDecl *M = MC->getMethodDecl();
    const Expr *R = Depth < 2 && (!M->isVirtual() || M->hasAttr<FinalAttr>() ||
                                  M->getParent()->hasAttr<FinalAttr>())
                        ? soleReturnValue(M)
                        : nullptr;
    const auto *Load =
        R ? dyn_cast<CXXMemberCallExpr>(R->IgnoreParenImpCasts()) : nullptr;
    if (!Load || !thisField(Load->getImplicitObjectArgument()))
      return nullptr;
    const ValueDecl *Flag = acquiringLoad(Load, Ctx, nullptr, Depth + 1);
    if (Flag && Owner)
      *Owner = MC->getImplicitObjectArgument();
    return Flag;
  }
  if (isa<CXXConversionDecl>(MC->getMethodDecl()))
    return Object;
  const IdentifierInfo *Id = MC->getMethodDecl()->getIdentifier();
  if (!Id || Id->getName() != "load")
    return nullptr;
  std::optional<int64_t> Order =
      orderOf(MC->getNumArgs() ? MC->getArg(0) : nullptr, Ctx);
  return Order && *Order != 0 ? Object : nullptr;
}

/// The condition \p Cond of a wait loop as `load Op Value`.
std::optional<AtomicSpin> spinCondition(const Expr *Cond,
                                        const ASTContext &Ctx) {
  if (!Cond)
    return std::nullopt;
  Cond = Cond->IgnoreParenImpCasts();
  const Expr *Owner = nullptr;
  if (const auto *U = dyn_cast<UnaryOperator>(Cond);
      U && U->getOpcode() == UO_LNot) {
    if (const ValueDecl *V = acquiringLoad(U->getSubExpr(), Ctx, &Owner))
      return AtomicSpin{V, BO_EQ, 0, Owner};
    return std::nullopt;
  }
  if (const ValueDecl *V = acquiringLoad(Cond, Ctx, &Owner))
    return AtomicSpin{V, BO_NE, 0, Owner};
  const Expr *L = nullptr, *R = nullptr;
  BinaryOperatorKind Op = BO_EQ;
  if (const auto *B = dyn_cast<BinaryOperator>(Cond)) {
    if (!B->isComparisonOp())
      return std::nullopt;
    L = B->getLHS();
    R = B->getRHS();
    Op = B->getOpcode();
  } else if (const auto *O = dyn_cast<CXXOperatorCallExpr>(Cond);
             O && O->getNumArgs() == 2 &&
             BinaryOperator::isComparisonOp(
                 BinaryOperator::getOverloadedOpcode(O->getOperator()))) {
    L = O->getArg(0);
    R = O->getArg(1);
    Op = BinaryOperator::getOverloadedOpcode(O->getOperator());
  } else {
    return std::nullopt;
  }
  if (const ValueDecl *V = acquiringLoad(L, Ctx, &Owner))
    if (std::optional<int64_t> C = constantOf(R, Ctx))
      return AtomicSpin{V, Op, *C, Owner};
  Owner = nullptr;
  if (const ValueDecl *V = acquiringLoad(R, Ctx, &Owner))
    if (std::optional<int64_t> C = constantOf(L, Ctx))
      return AtomicSpin{V, BinaryOperator::reverseComparisonOp(Op), *C, Owner};
  return std::nullopt;
}

/// True if \p Body does nothing but pause.
bool onlyPauses(const Stmt *Body) {
  if (!Body || isa<NullStmt>(Body))
    return true;
  if (const auto *CS = dyn_cast<CompoundStmt>(Body))
    return llvm::all_of(CS->body(), onlyPauses);
  if (const auto *E = dyn_cast<Expr>(Body)) {
    E = E->IgnoreParenImpCasts();
    if (const auto *C = dyn_cast<CallExpr>(E))
      return isPause(C);
  }
  return false;
}

/// True if \p E calls the parameter \p P: `p()`, as written in a template
/// (a call of the parameter) or instantiated (its `operator()`).
bool callsParameter(const Expr *E, const ParmVarDecl *P) {
  auto Names = [P](const Expr *X) {
    const auto *D =
        X ? dyn_cast<DeclRefExpr>(X->IgnoreParenImpCasts()) : nullptr;
    return D && D->getDecl() == P;
  };
  E = E ? E->IgnoreParenImpCasts() : nullptr;
  if (const auto *O = dyn_cast_or_null<CXXOperatorCallExpr>(E))
    return O->getOperator() == OO_Call && O->getNumArgs() >= 1 &&
           Names(O->getArg(0));
  if (const auto *C = dyn_cast_or_null<CallExpr>(E))
    return Names(C->getCallee());
  return false;
}

/// True if \p Body returns true only when a call of \p P did (see
/// polledCallable()), and calls \p P in a loop.
bool pollsParameter(const Stmt *Body, const ParmVarDecl *P,
                    const ASTContext &Ctx) {
  ParentMap PM(const_cast<Stmt *>(Body));
  auto Constant = [&](const Expr *E, bool &Value) {
    return E && !E->isValueDependent() &&
           E->EvaluateAsBooleanCondition(Value, Ctx);
  };
  bool InLoop = false, Returns = false, Ok = true;
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty() && Ok) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (callsParameter(dyn_cast<Expr>(S), P))
      for (const Stmt *A = PM.getParent(S); A; A = PM.getParent(A))
        if (isa<WhileStmt, DoStmt, ForStmt, CXXForRangeStmt>(A))
          InLoop = true;
    if (const auto *R = dyn_cast<ReturnStmt>(S)) {
      Returns = true;
      const Expr *V = R->getRetValue();
      bool Value = false;
      if (callsParameter(V, P) || (Constant(V, Value) && !Value))
        continue;
      // `if (p()) return true;`
      const Stmt *Child = R, *Up = PM.getParent(R);
      while (isa_and_nonnull<CompoundStmt>(Up)) {
        Child = Up;
        Up = PM.getParent(Up);
      }
      const auto *If = dyn_cast_or_null<IfStmt>(Up);
      Ok = Constant(V, Value) && Value && If && If->getThen() == Child &&
           callsParameter(If->getCond(), P);
      continue;
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return Ok && Returns && InLoop;
}

} // namespace

llvm::SmallVector<AtomicSpin, 2> atomicConditions(const Expr *Cond,
                                                  const ASTContext &Ctx) {
  llvm::SmallVector<AtomicSpin, 2> Out;
  if (!Cond)
    return Out;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *B = dyn_cast<BinaryOperator>(Cond);
      B && B->getOpcode() == BO_LAnd) {
    Out = atomicConditions(B->getLHS(), Ctx);
    Out.append(atomicConditions(B->getRHS(), Ctx));
    return Out;
  }
  // spinCondition() reads the condition as `load Op Value`; the wait it
  // ends goes on while that does not hold.
  if (std::optional<AtomicSpin> S = spinCondition(Cond, Ctx)) {
    S->Op = BinaryOperator::negateComparisonOp(S->Op);
    Out.push_back(*S);
  }
  return Out;
}

const Expr *polledCallable(const CallExpr *Call) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getReturnType()->isBooleanType() ||
      isa<CXXOperatorCallExpr>(Call))
    return nullptr;
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->getBody())
    if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
      Def = Pattern->getDefinition();
  if (!Def || !Def->getBody())
    return nullptr;
  for (unsigned I = 0, N = std::min(Def->getNumParams(), Call->getNumArgs());
       I != N; ++I)
    if (pollsParameter(Def->getBody(), Def->getParamDecl(I),
                       Def->getASTContext()))
      return Call->getArg(I);
  return nullptr;
}

bool isPause(const CallExpr *C) {
  const FunctionDecl *FD = C ? C->getDirectCallee() : nullptr;
  return FD && pauseFunctions().matches(FD);
}

std::optional<AtomicStore> atomicStore(const Expr *E, const ASTContext &Ctx) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  if (const auto *O = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (O->getOperator() != OO_Equal || O->getNumArgs() != 2)
      return std::nullopt;
    if (const ValueDecl *V = atomicObject(O->getArg(0)))
      return AtomicStore{V, constantOf(O->getArg(1), Ctx), true, O->getArg(0)};
    return std::nullopt;
  }
  const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
  if (!MC || !MC->getMethodDecl() || !MC->getMethodDecl()->getIdentifier() ||
      MC->getMethodDecl()->getName() != "store" || MC->getNumArgs() == 0)
    return std::nullopt;
  const ValueDecl *V = atomicObject(MC->getImplicitObjectArgument());
  if (!V)
    return std::nullopt;
  std::optional<int64_t> Order =
      orderOf(MC->getNumArgs() > 1 ? MC->getArg(1) : nullptr, Ctx);
  return AtomicStore{V, constantOf(MC->getArg(0), Ctx),
                     Order && (*Order == 3 || *Order == 4 || *Order == 5),
                     MC->getImplicitObjectArgument()};
}

const Expr *atomicLoadObject(const Expr *E) {
  const auto *MC =
      dyn_cast_or_null<CXXMemberCallExpr>(E ? E->IgnoreParenImpCasts() : E);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  if (!M || !atomicObject(MC->getImplicitObjectArgument()))
    return nullptr;
  if (isa<CXXConversionDecl>(M) ||
      (M->getIdentifier() && M->getName() == "load"))
    return MC->getImplicitObjectArgument();
  return nullptr;
}

std::optional<AtomicSpin> atomicSpinWait(const Stmt *Loop,
                                         const ASTContext &Ctx) {
  const Expr *Cond = nullptr;
  const Stmt *Body = nullptr;
  if (const auto *W = dyn_cast_or_null<WhileStmt>(Loop)) {
    if (W->getConditionVariable())
      return std::nullopt;
    Cond = W->getCond();
    Body = W->getBody();
  } else if (const auto *D = dyn_cast_or_null<DoStmt>(Loop)) {
    Cond = D->getCond();
    Body = D->getBody();
  } else if (const auto *F = dyn_cast_or_null<ForStmt>(Loop)) {
    if (F->getInit() || F->getInc() || F->getConditionVariable())
      return std::nullopt;
    Cond = F->getCond();
    Body = F->getBody();
  } else {
    return std::nullopt;
  }
  if (!onlyPauses(Body))
    return std::nullopt;
  return spinCondition(Cond, Ctx);
}

bool endsWait(BinaryOperatorKind Op, int64_t Waited,
              std::optional<int64_t> Value) {
  if (!Value)
    return true;
  int64_t V = *Value;
  switch (Op) {
  case BO_LT:
    return !(V < Waited);
  case BO_LE:
    return !(V <= Waited);
  case BO_GT:
    return !(V > Waited);
  case BO_GE:
    return !(V >= Waited);
  case BO_EQ:
    return V != Waited;
  case BO_NE:
    return V == Waited;
  default:
    return true;
  }
}

bool endsWait(const AtomicSpin &W, std::optional<int64_t> Value) {
  return endsWait(W.Op, W.Value, Value);
}

} // namespace pitfall
