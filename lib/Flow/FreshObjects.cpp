//===--- FreshObjects.cpp - objects a function has just made, not shown yet
//===//

#include "pitfall/Flow/FreshObjects.h"

#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Flow/Dataflow.h"
#include "pitfall/Flow/Graph.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace pitfall {
namespace {

/// A pointer's holder: a local variable, or a field of a local object
/// reached through `.` (Fields, outermost first).
struct Holder {
  const VarDecl *Root = nullptr;
  llvm::SmallVector<const FieldDecl *, 2> Fields;
};

/// What a use of a holder does to the object it holds.
enum class Use { Stays, Escapes };

/// The holder \p E names: a local variable of \p FD's own (not static, not
/// a parameter, not a reference, not an init capture), or a field of one
/// reached through `.`.
std::optional<Holder> holderPath(const Expr *E, const FunctionDecl *FD) {
  Holder H;
  E = E->IgnoreParenImpCasts();
  while (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!Field || ME->isArrow() || Field->getType()->isReferenceType())
      return std::nullopt;
    H.Fields.insert(H.Fields.begin(), Field);
    E = ME->getBase()->IgnoreParenImpCasts();
  }
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V) ||
      V->getType()->isReferenceType() || V->isInitCapture() ||
      V->getDeclContext() != FD)
    return std::nullopt;
  H.Root = V;
  return H;
}

/// The pointer expression a member call (or member operator call) \p Call
/// reaches its object through: `p->f()`, `(*p).f()`, `(*p)(x)`; null for a
/// call on anything else.
const Expr *pointerOfCall(const Expr *Call) {
  const Expr *Object = nullptr;
  bool Arrow = false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens());
    if (!ME)
      return nullptr;
    Object = ME->getBase();
    Arrow = ME->isArrow();
  } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
             OC && isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee()) &&
             OC->getNumArgs() > 0) {
    Object = OC->getArg(0);
  } else {
    return nullptr;
  }
  Object = Object->IgnoreParenImpCasts();
  if (!Arrow) {
    // `(*p).f()`: the dereference names the object.
    if (const auto *U = dyn_cast<UnaryOperator>(Object);
        U && U->getOpcode() == UO_Deref)
      Object = U->getSubExpr()->IgnoreParenImpCasts();
    else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Object);
             OC && OC->getOperator() == OO_Star && OC->getNumArgs() == 1)
      Object = OC->getArg(0)->IgnoreParenImpCasts();
    else
      return nullptr;
    return Object;
  }
  // A smart pointer's `operator->`.
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Object);
      OC && OC->getOperator() == OO_Arrow && OC->getNumArgs() == 1)
    return OC->getArg(0)->IgnoreParenImpCasts();
  return Object;
}

class FreshFlow : public ForwardAnalysis<FreshFlow, llvm::BitVector> {
public:
  FreshFlow(const FlowGraph &G, FreshObjectCalls &Out)
      : FD(dyn_cast<FunctionDecl>(G.decl())), G(G), Out(Out) {
    collect();
  }

  bool empty() const { return Holders.empty(); }

  llvm::BitVector initialState() { return llvm::BitVector(Holders.size()); }
  void join(llvm::BitVector &Into, const llvm::BitVector &From) {
    Into &= From;
  }
  void transfer(const CFGElement &E, llvm::BitVector &S);

private:
  /// The holders a member call in the body is made through, and which of
  /// their roots are never aliased (captured by reference, their address
  /// taken, bound to a reference variable).
  void collect();
  int indexOf(const Holder &H) const {
    for (unsigned I = 0, N = Holders.size(); I != N; ++I)
      if (Holders[I].Root == H.Root && Holders[I].Fields == H.Fields)
        return static_cast<int>(I);
    return -1;
  }
  int holderOf(const Expr *E) const {
    if (!E)
      return -1;
    std::optional<Holder> H = holderPath(E, FD);
    return H ? indexOf(*H) : -1;
  }
  /// The holder's value becomes \p Value (null: none, a default one).
  void assign(unsigned H, const Expr *Value, llvm::BitVector &S);
  /// A mention of a root variable, \p Ref: what it does to the holders.
  void mention(const DeclRefExpr *Ref, llvm::BitVector &S);
  Use useOfHolder(const Expr *H) const;
  Use useOfPointee(const Expr *Access) const;
  Use useOfField(const Expr *Field) const;
  const Stmt *parentOf(const Expr *E) const {
    return G.parentIgnoringImplicit(E);
  }

  const FunctionDecl *FD;
  const FlowGraph &G;
  FreshObjectCalls &Out;
  llvm::SmallVector<Holder, 4> Holders;
};

void FreshFlow::collect() {
  if (!FD || !G.body())
    return;
  llvm::SmallPtrSet<const VarDecl *, 4> Aliased;
  walkOutsideLambdas(G.body(), LambdaBodies::CapturesOnly, [&](const Stmt *S) {
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
          if (const auto *V = dyn_cast<VarDecl>(C.getCapturedVar()))
            Aliased.insert(V);
      return true;
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S)) {
      // Its address taken, or bound to a reference variable, as a whole or
      // through `.` fields.
      const Expr *E = Ref;
      for (;;) {
        const Stmt *P = G.parent(E);
        while (isa_and_nonnull<ParenExpr, ImplicitCastExpr>(P)) {
          E = cast<Expr>(P);
          P = G.parent(E);
        }
        if (const auto *U = dyn_cast_or_null<UnaryOperator>(P);
            U && U->getOpcode() == UO_AddrOf)
          Aliased.insert(dyn_cast<VarDecl>(Ref->getDecl()));
        if (const auto *DS = dyn_cast_or_null<DeclStmt>(P))
          for (const Decl *D : DS->decls())
            if (const auto *V = dyn_cast<VarDecl>(D);
                V && V->getType()->isReferenceType() && V->getInit() &&
                skipImplicit(V->getInit()) == skipImplicit(E))
              Aliased.insert(dyn_cast<VarDecl>(Ref->getDecl()));
        const auto *ME = dyn_cast_or_null<MemberExpr>(P);
        if (!ME || ME->isArrow() || !isa<FieldDecl>(ME->getMemberDecl()))
          break;
        E = ME;
      }
      return true;
    }
    const auto *Call = dyn_cast<Expr>(S);
    const Expr *Pointer = Call ? pointerOfCall(Call) : nullptr;
    if (!Pointer || !isPointerLike(Pointer->getType()))
      return true;
    std::optional<Holder> H = holderPath(Pointer, FD);
    if (H && indexOf(*H) < 0 &&
        (H->Fields.empty() || H->Root->getType()->isRecordType()))
      Holders.push_back(std::move(*H));
    return true;
  });
  llvm::erase_if(Holders,
                 [&](const Holder &H) { return Aliased.contains(H.Root); });
}

void FreshFlow::assign(unsigned H, const Expr *Value, llvm::BitVector &S) {
  const Expr *Fresh = freshAllocation(Value);
  const Expr *Made = Fresh;
  if (const auto *New = dyn_cast_or_null<CXXNewExpr>(Fresh))
    Made = New->getConstructExpr();
  // A factory's object: new if the factory's body says so (judged by the
  // caller).
  if (const CallExpr *Factory = Fresh ? nullptr : factoryCall(Value)) {
    Made = Fresh = Factory;
    if (!llvm::is_contained(Out.Factories[H], Factory))
      Out.Factories[H].push_back(Factory);
  }
  if (Made)
    Out.Makers.try_emplace(Made, H);
  S[H] = !Value || Fresh || isNullPointerValue(Value, G.context());
}

void FreshFlow::transfer(const CFGElement &E, llvm::BitVector &S) {
  auto CS = E.getAs<CFGStmt>();
  if (!CS || Holders.empty())
    return;
  const Stmt *St = CS->getStmt();
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        for (unsigned I = 0, N = Holders.size(); I != N; ++I)
          if (Holders[I].Root == V) {
            // A pointer variable holds what it is initialised with; a
            // field of a new local object is not followed into the
            // object's constructor.
            if (Holders[I].Fields.empty())
              assign(I, V->getInit(), S);
            else
              S.reset(I);
          }
    return;
  }
  if (const auto *L = dyn_cast<LambdaExpr>(St)) {
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable())
        for (unsigned I = 0, N = Holders.size(); I != N; ++I)
          if (Holders[I].Root == C.getCapturedVar())
            S.reset(I);
    return;
  }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(St)) {
    mention(Ref, S);
    return;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(St);
      BO && BO->getOpcode() == BO_Assign) {
    if (int H = holderOf(BO->getLHS()); H >= 0)
      assign(H, BO->getRHS(), S);
    return;
  }
  const auto *Call = dyn_cast<Expr>(St);
  if (!Call)
    return;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
      OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
    if (int H = holderOf(OC->getArg(0)); H >= 0)
      assign(H, OC->getArg(1), S);
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens());
    const auto *M = MC->getMethodDecl();
    // A smart pointer's own `reset()` / `reset(p)`.
    if (ME && !ME->isArrow() && M && M->getIdentifier() &&
        M->getName() == "reset")
      if (int H = holderOf(ME->getBase()); H >= 0) {
        if (MC->getNumArgs() == 0)
          S.set(H);
        else
          assign(H, MC->getArg(0), S);
        return;
      }
  }
  if (int H = holderOf(pointerOfCall(Call)); H >= 0 && S.test(H) && reporting())
    Out.SetUp.try_emplace(Call, H);
}

void FreshFlow::mention(const DeclRefExpr *Ref, llvm::BitVector &S) {
  const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
  if (!V ||
      llvm::none_of(Holders, [&](const Holder &H) { return H.Root == V; }))
    return;
  // The longest `.` chain of fields the mention is the base of.
  const Expr *E = Ref;
  llvm::SmallVector<const FieldDecl *, 2> Fields;
  for (;;) {
    const auto *ME = dyn_cast_or_null<MemberExpr>(parentOf(E));
    const auto *Field = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    if (!Field || ME->isArrow())
      break;
    Fields.push_back(Field);
    E = ME;
  }
  for (unsigned I = 0, N = Holders.size(); I != N; ++I) {
    const Holder &H = Holders[I];
    if (H.Root != V)
      continue;
    if (H.Fields == Fields) {
      if (useOfHolder(E) == Use::Escapes)
        S.reset(I);
      continue;
    }
    // The local itself, or a part of it holding the holder, used as a
    // whole (copied, handed to a call); another part is no way to the
    // object.
    if (Fields.size() <= H.Fields.size() &&
        std::equal(Fields.begin(), Fields.end(), H.Fields.begin()))
      S.reset(I);
  }
}

Use FreshFlow::useOfHolder(const Expr *H) const {
  // A test of the pointer: `if (p)`, `p && ...`.
  for (const Stmt *P = G.parent(H);
       isa_and_nonnull<ParenExpr, ImplicitCastExpr>(P); P = G.parent(P))
    if (const auto *C = dyn_cast<ImplicitCastExpr>(P);
        C && C->getCastKind() == CK_PointerToBoolean)
      return Use::Stays;
  const Stmt *P = parentOf(H);
  auto Is = [&](const Expr *A) { return A->IgnoreParenImpCasts() == H; };
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(P)) {
    if (ME->isArrow())
      return useOfPointee(ME);
    // The smart pointer's own members: `reset()` (followed where it is
    // called), the tests that hand out nothing (`operator bool`,
    // `use_count()`); not `get()`, `release()`, `swap()`.
    const auto *M = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
    if (!M)
      return Use::Escapes;
    if (M->getIdentifier() && M->getName() == "reset")
      return Use::Stays;
    QualType R = M->getReturnType();
    return M->isConst() && !R->isPointerType() && !R->isReferenceType()
               ? Use::Stays
               : Use::Escapes;
  }
  if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P)) {
    switch (OC->getOperator()) {
    case OO_EqualEqual:
    case OO_ExclaimEqual:
      return Use::Stays;
    case OO_Arrow:
    case OO_Star:
      return OC->getNumArgs() == 1 ? useOfPointee(OC) : Use::Escapes;
    case OO_Equal:
      // Assigned: followed at the assignment.
      return OC->getNumArgs() == 2 && Is(OC->getArg(0)) ? Use::Stays
                                                        : Use::Escapes;
    default:
      return Use::Escapes;
    }
  }
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(P)) {
    if (U->getOpcode() == UO_LNot)
      return Use::Stays;
    if (U->getOpcode() == UO_Deref)
      return useOfPointee(U);
    return Use::Escapes;
  }
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P)) {
    if (BO->isComparisonOp())
      return Use::Stays;
    return BO->getOpcode() == BO_Assign && Is(BO->getLHS()) ? Use::Stays
                                                            : Use::Escapes;
  }
  if (isa_and_nonnull<CXXDeleteExpr>(P))
    return Use::Stays;
  return Use::Escapes;
}

Use FreshFlow::useOfPointee(const Expr *Access) const {
  // `p->`, `*p`: a member function called on the object (the link judges
  // what it does with `this`), or a field of it used in place.
  const Expr *Member = Access;
  if (!isa<MemberExpr>(Access)) {
    const auto *ME = dyn_cast_or_null<MemberExpr>(parentOf(Access));
    if (!ME) {
      // `(*p)(x)`, `*p = v`: a member operator of the object.
      const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(parentOf(Access));
      return OC && OC->getNumArgs() > 0 &&
                     OC->getArg(0)->IgnoreParenImpCasts() == Access &&
                     isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee())
                 ? Use::Stays
                 : Use::Escapes;
    }
    Member = ME;
  }
  const auto *ME = cast<MemberExpr>(Member);
  if (isa<CXXMethodDecl>(ME->getMemberDecl()))
    return Use::Stays;
  return isa<FieldDecl>(ME->getMemberDecl()) ? useOfField(ME) : Use::Escapes;
}

Use FreshFlow::useOfField(const Expr *Field) const {
  // Read in place.
  if (const auto *C = dyn_cast_or_null<ImplicitCastExpr>(G.parent(Field));
      C && C->getCastKind() == CK_LValueToRValue)
    return Use::Stays;
  const Stmt *P = parentOf(Field);
  auto Is = [&](const Expr *A) { return A->IgnoreParenImpCasts() == Field; };
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P))
    return BO->isAssignmentOp() && Is(BO->getLHS()) ? Use::Stays : Use::Escapes;
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(P))
    return U->isIncrementDecrementOp() ? Use::Stays : Use::Escapes;
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(P)) {
    if (isa<CXXMethodDecl>(ME->getMemberDecl()))
      return Use::Stays;
    return !ME->isArrow() && isa<FieldDecl>(ME->getMemberDecl())
               ? useOfField(ME)
               : Use::Escapes;
  }
  if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P))
    return OC->getNumArgs() > 0 && Is(OC->getArg(0)) &&
                   isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee())
               ? Use::Stays
               : Use::Escapes;
  return Use::Escapes;
}

/// True if \p E is a temporary of \p V's class made by a constructor that
/// copies nothing (`NetworkInterface(i)`, `T{}`), or \p V's own such
/// construction.
bool newValue(const Expr *E, const VarDecl *V) {
  const auto *CE =
      E ? dyn_cast<CXXConstructExpr>(skipMovesAndCopies(E)) : nullptr;
  if (!CE || CE->getConstructor()->isCopyOrMoveConstructor())
    return false;
  return CE->getType()->getAsCXXRecordDecl() ==
         V->getType()->getAsCXXRecordDecl();
}

/// True if \p St makes \p V anew: its declaration with a constructor that
/// copies nothing, or an assignment of such a temporary to it.
bool makesAnew(const Stmt *St, const VarDecl *V) {
  if (const auto *DS = dyn_cast<DeclStmt>(St))
    return llvm::any_of(DS->decls(), [&](const Decl *D) {
      return D == V && V->getInit() && newValue(V->getInit(), V);
    });
  const auto *E = dyn_cast<Expr>(St);
  const auto *OC = E ? dyn_cast<CXXOperatorCallExpr>(skipImplicit(E)) : nullptr;
  if (!OC || OC->getOperator() != OO_Equal || OC->getNumArgs() != 2)
    return false;
  const auto *DRE = dyn_cast<DeclRefExpr>(skipImplicit(OC->getArg(0)));
  return DRE && DRE->getDecl() == V && newValue(OC->getArg(1), V);
}

/// True if \p Body takes \p V's address, binds it to a non-const reference
/// variable or captures it by reference: other code may reach it later.
bool mayBeShown(const Stmt *Body, const VarDecl *V) {
  return !walkOutsideLambdas(
      Body, LambdaBodies::CapturesOnly, [&](const Stmt *S) {
        if (const auto *UO = dyn_cast<UnaryOperator>(S);
            UO && UO->getOpcode() == UO_AddrOf)
          if (const auto *DRE =
                  dyn_cast<DeclRefExpr>(skipImplicit(UO->getSubExpr())))
            return DRE->getDecl() != V;
        if (const auto *LE = dyn_cast<LambdaExpr>(S))
          for (const LambdaCapture &C : LE->captures())
            if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef &&
                C.getCapturedVar() == V)
              return false;
        if (const auto *R = singleVarDecl(S);
            R && R->getType()->isReferenceType() &&
            !R->getType().getNonReferenceType().isConstQualified() &&
            R->getInit())
          if (const auto *DRE =
                  dyn_cast<DeclRefExpr>(skipImplicit(R->getInit())))
            return DRE->getDecl() != V;
        return true;
      });
}

} // namespace

bool madeJustBefore(const FlowGraph &G, const Expr *At, const VarDecl *V) {
  if (!V || !V->isLocalVarDecl() || V->isStaticLocal() ||
      V->getType()->isReferenceType() || !V->getType()->getAsCXXRecordDecl() ||
      mayBeShown(G.body(), V))
    return false;
  // The statement of a block holding At.
  const Stmt *St = At;
  const auto *Block = dyn_cast_or_null<CompoundStmt>(G.parent(St));
  while (St && !Block) {
    St = G.parent(St);
    Block = St ? dyn_cast_or_null<CompoundStmt>(G.parent(St)) : nullptr;
  }
  if (!Block || isa<SwitchCase, LabelStmt>(St))
    return false;
  auto Names = [&](const Stmt *S) {
    return !walkOutsideLambdas(S, LambdaBodies::CapturesOnly,
                               [&](const Stmt *N) {
                                 const auto *DRE = dyn_cast<DeclRefExpr>(N);
                                 return !DRE || DRE->getDecl() != V;
                               }) ||
           (isa<DeclStmt>(S) && makesAnew(S, V));
  };
  const Stmt *Last = nullptr;
  for (const Stmt *S : Block->body()) {
    if (S == St)
      return Last && makesAnew(Last, V);
    if (isa<SwitchCase, LabelStmt>(S))
      Last = nullptr; // a jump may enter here
    if (Names(S))
      Last = isa<SwitchCase, LabelStmt>(S) ? nullptr : S;
  }
  return false;
}

FreshObjectCalls freshObjectCalls(const FlowGraph &G) {
  FreshObjectCalls Out;
  FreshFlow A(G, Out);
  if (A.empty())
    return Out;
  ForwardSolver<FreshFlow> Solver(G, A);
  if (Solver.solve())
    Solver.report();
  else
    Out.SetUp.clear();
  return Out;
}

} // namespace pitfall
