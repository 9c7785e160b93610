//===--- ExprUtil.cpp -----------------------------------------------------===//
#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/LocalObjects.h"
#include "pitfall/Core/NameList.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace pitfall {

bool isLoopStmt(const Stmt *S) {
  return isa_and_nonnull<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt>(S);
}

const ValueDecl *namedDecl(const Stmt *S) {
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(S))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(S))
    return ME->getMemberDecl();
  return nullptr;
}

const Expr *skipImplicit(const Expr *E) {
  while (E) {
    const Expr *Next = E->IgnoreParenImpCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(Next))
      Next = EWC->getSubExpr();
    else if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(Next))
      Next = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(Next))
      Next = B->getSubExpr();
    else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = F->getSubExpr();
    else if (const auto *C = dyn_cast<ConstantExpr>(Next))
      Next = C->getSubExpr();
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

const Expr *builtinStoreTarget(const Stmt *S) {
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(S);
      BO && BO->isAssignmentOp())
    return BO->getLHS();
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(S);
      UO && UO->isIncrementDecrementOp())
    return UO->getSubExpr();
  return nullptr;
}

std::optional<AssignmentOperands> assignmentOperands(const Stmt *S) {
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(S);
      BO && BO->getOpcode() == BO_Assign)
    return AssignmentOperands{BO->getLHS(), BO->getRHS()};
  if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(S);
      OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
    return AssignmentOperands{OC->getArg(0), OC->getArg(1)};
  return std::nullopt;
}

bool isStdFunction(const FunctionDecl *FD,
                   std::initializer_list<llvm::StringRef> Names) {
  if (!FD || !FD->getIdentifier() || !FD->isInStdNamespace())
    return false;
  return llvm::is_contained(Names, FD->getName());
}

bool isStdUniquePtr(QualType T) {
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.isNull() ? nullptr : T->getAsCXXRecordDecl());
  return Spec && Spec->getIdentifier() && Spec->getName() == "unique_ptr" &&
         Spec->isInStdNamespace();
}

bool isStdMove(const Expr *E) {
  const auto *Call = dyn_cast_or_null<CallExpr>(E ? skipImplicit(E) : nullptr);
  return Call && Call->getNumArgs() == 1 &&
         isStdFunction(Call->getDirectCallee(), {"move", "forward"});
}

const Expr *skipTruthPreserving(const Expr *E) {
  while (E) {
    E = E->IgnoreParenCasts();
    const auto *Call = dyn_cast<CallExpr>(E);
    unsigned B = Call ? Call->getBuiltinCallee() : 0;
    if ((B != Builtin::BI__builtin_expect &&
         B != Builtin::BI__builtin_expect_with_probability) ||
        Call->getNumArgs() == 0)
      return E;
    E = Call->getArg(0);
  }
  return E;
}

const Expr *movedOperand(const Expr *E) {
  if (!isStdMove(E))
    return nullptr;
  return skipImplicit(cast<CallExpr>(skipImplicit(E))->getArg(0));
}

const Expr *skipMovesAndCopies(const Expr *E) {
  while (E) {
    const Expr *Next = skipImplicit(E);
    if (const Expr *Moved = movedOperand(Next))
      Next = Moved;
    else if (const auto *C = dyn_cast<CXXConstructExpr>(Next);
             C && C->getNumArgs() == 1 && C->getConstructor() &&
             C->getConstructor()->isCopyOrMoveConstructor())
      Next = skipImplicit(C->getArg(0));
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

unsigned firstCallArgument(const CallExpr *Call) {
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call))
    if (isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee()))
      return 1;
  return 0;
}

const ParmVarDecl *paramForArg(const CallExpr *Call, unsigned ArgIndex) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  unsigned First = Call ? firstCallArgument(Call) : 0;
  if (!FD || ArgIndex < First)
    return nullptr;
  unsigned P = ArgIndex - First;
  return P < FD->getNumParams() ? FD->getParamDecl(P) : nullptr;
}

const ParmVarDecl *paramForArg(const CallExpr *Call, const Expr *Arg) {
  if (!Call || !Arg)
    return nullptr;
  const Expr *Want = skipImplicit(Arg);
  for (unsigned I = 0, N = Call->getNumArgs(); I != N; ++I)
    if (Call->getArg(I) == Arg || skipImplicit(Call->getArg(I)) == Want)
      return paramForArg(Call, I);
  return nullptr;
}

const ParmVarDecl *writtenParam(const ParmVarDecl *Param) {
  const auto *FD =
      Param ? dyn_cast<FunctionDecl>(Param->getDeclContext()) : nullptr;
  const FunctionDecl *Pattern =
      FD ? FD->getTemplateInstantiationPattern() : nullptr;
  if (!Pattern || Pattern == FD)
    return Param;
  // A pack of the pattern expands to the parameters the instantiation has
  // beyond the pattern's others (one pack at most is matched).
  unsigned Packs =
      llvm::count_if(Pattern->parameters(),
                     [](const ParmVarDecl *P) { return P->isParameterPack(); });
  if (Packs > 1 || FD->getNumParams() + Packs < Pattern->getNumParams())
    return Param;
  unsigned Index = Param->getFunctionScopeIndex();
  unsigned Expanded = FD->getNumParams() + 1 - Pattern->getNumParams();
  for (const ParmVarDecl *P : Pattern->parameters()) {
    unsigned Count = P->isParameterPack() ? Expanded : 1;
    if (Index < Count)
      return P;
    Index -= Count;
  }
  return Param;
}

bool mayModifyThrough(const ParmVarDecl *Param) {
  if (!Param)
    return true;
  QualType T = Param->getType();
  if (T->isDependentType())
    return true;
  if (T->isPointerType())
    return !T->getPointeeType().isConstQualified();
  if (const auto *RT = T->getAs<ReferenceType>())
    return !RT->getPointeeType().isConstQualified();
  return false;
}

void insertPath(llvm::SmallVectorImpl<ObjectPath> &S, const ObjectPath &P) {
  if (!llvm::is_contained(S, P))
    S.push_back(P);
}

void erasePath(llvm::SmallVectorImpl<ObjectPath> &S, const ObjectPath &P) {
  llvm::erase_if(S, [&](const ObjectPath &Q) { return Q == P; });
}

void intersectPaths(llvm::SmallVectorImpl<ObjectPath> &Into,
                    llvm::ArrayRef<ObjectPath> From) {
  llvm::erase_if(
      Into, [&](const ObjectPath &P) { return !llvm::is_contained(From, P); });
}

void unitePaths(llvm::SmallVectorImpl<ObjectPath> &Into,
                llvm::ArrayRef<ObjectPath> From) {
  for (const ObjectPath &P : From)
    insertPath(Into, P);
}

bool samePaths(llvm::ArrayRef<ObjectPath> A, llvm::ArrayRef<ObjectPath> B) {
  return A.size() == B.size() && llvm::all_of(A, [&](const ObjectPath &P) {
           return llvm::is_contained(B, P);
         });
}

bool ObjectPath::startsWith(const ObjectPath &Prefix) const {
  if (Kind != Prefix.Kind || Root != Prefix.Root ||
      Fields.size() < Prefix.Fields.size())
    return false;
  return std::equal(Prefix.Fields.begin(), Prefix.Fields.end(), Fields.begin());
}

const ValueDecl *ObjectPath::leaf() const {
  if (!Fields.empty())
    return Fields.back();
  return Root;
}

std::string ObjectPath::str() const {
  std::string S;
  if (Kind == RootKind::This)
    S = "this";
  else if (const auto *ND = dyn_cast_or_null<NamedDecl>(Root))
    S = ND->getNameAsString();
  bool First = true;
  for (const FieldDecl *F : Fields) {
    S += (First && (Kind == RootKind::This || ThroughPointer)) ? "->" : ".";
    S += F->getNameAsString();
    First = false;
  }
  return S;
}

int ObjectPath::paramIndex() const {
  if (Kind != RootKind::Param)
    return -1;
  return static_cast<int>(cast<ParmVarDecl>(Root)->getFunctionScopeIndex());
}

llvm::hash_code hash_value(const ObjectPath &P) {
  return llvm::hash_combine(
      static_cast<unsigned>(P.Kind), P.Root,
      llvm::hash_combine_range(P.Fields.begin(), P.Fields.end()));
}

/// std::ref(x), std::cref(x), std::addressof(x): the object x.
static const Expr *refWrapped(const Expr *E) {
  const auto *Call = dyn_cast<CallExpr>(E);
  if (Call && Call->getNumArgs() == 1 &&
      isStdFunction(Call->getDirectCallee(), {"ref", "cref", "addressof"}))
    return Call->getArg(0);
  return nullptr;
}

const Expr *referencedOperand(const Expr *E) {
  if (!E)
    return nullptr;
  E = skipMovesAndCopies(E);
  if (const Expr *Ref = refWrapped(E))
    return Ref;
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    return UO->getSubExpr();
  return nullptr;
}

static bool isRootVariable(const VarDecl *VD, RootKind &Kind) {
  if (isa<ParmVarDecl>(VD)) {
    Kind = RootKind::Param;
    return true;
  }
  Kind = VD->hasLocalStorage() ? RootKind::Local : RootKind::Global;
  return true;
}

/// The container an iterator initialiser points into: `c.begin()`,
/// `c.rbegin()`, `c.find(k)`, `std::begin(c)`; null otherwise.
static const Expr *iteratedContainer(const Expr *Init) {
  Init = skipImplicit(Init);
  if (const auto *C = dyn_cast<CXXConstructExpr>(Init);
      C && C->getNumArgs() == 1)
    Init = skipImplicit(C->getArg(0));
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Init)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && M->getIdentifier() &&
        llvm::is_contained({"begin", "cbegin", "rbegin", "crbegin", "find",
                            "lower_bound", "upper_bound"},
                           M->getName()))
      return MC->getImplicitObjectArgument();
    return nullptr;
  }
  if (const auto *Call = dyn_cast<CallExpr>(Init);
      Call && Call->getNumArgs() == 1 &&
      isStdFunction(Call->getDirectCallee(), {"begin", "cbegin", "rbegin"}))
    return Call->getArg(0);
  return nullptr;
}

std::optional<int64_t> evaluateInteger(
    const Expr *E, const ASTContext &Ctx,
    llvm::function_ref<std::optional<int64_t>(const ParmVarDecl *)> Param) {
  if (!E || E->isValueDependent())
    return std::nullopt;
  E = E->IgnoreParenCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl()))
      return Param(P);
  auto Eval = [&](const Expr *Sub) { return evaluateInteger(Sub, Ctx, Param); };
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    std::optional<int64_t> V = Eval(UO->getSubExpr());
    if (!V)
      return std::nullopt;
    switch (UO->getOpcode()) {
    case UO_LNot:
      return *V == 0;
    case UO_Minus:
      return -*V;
    case UO_Not:
      return ~*V;
    case UO_Plus:
      return *V;
    default:
      return std::nullopt;
    }
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    std::optional<int64_t> L = Eval(BO->getLHS());
    if (BO->getOpcode() == BO_LAnd && L && !*L)
      return 0;
    if (BO->getOpcode() == BO_LOr && L && *L)
      return 1;
    std::optional<int64_t> R = Eval(BO->getRHS());
    if (BO->getOpcode() == BO_LAnd && R && !*R)
      return 0;
    if (BO->getOpcode() == BO_LOr && R && *R)
      return 1;
    if (!L || !R)
      return std::nullopt;
    switch (BO->getOpcode()) {
    case BO_LAnd:
    case BO_LOr:
      return *L != 0 || *R != 0; // both decided above when one is false/true
    case BO_EQ:
      return *L == *R;
    case BO_NE:
      return *L != *R;
    case BO_LT:
      return *L < *R;
    case BO_GT:
      return *L > *R;
    case BO_LE:
      return *L <= *R;
    case BO_GE:
      return *L >= *R;
    case BO_Add:
      return *L + *R;
    case BO_Sub:
      return *L - *R;
    case BO_Mul:
      return *L * *R;
    case BO_And:
      return *L & *R;
    case BO_Or:
      return *L | *R;
    case BO_Xor:
      return *L ^ *R;
    default:
      return std::nullopt;
    }
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    std::optional<int64_t> C = Eval(CO->getCond());
    if (!C)
      return std::nullopt;
    return Eval(*C ? CO->getTrueExpr() : CO->getFalseExpr());
  }
  if (!E->getType()->isIntegralOrEnumerationType())
    return std::nullopt;
  Expr::EvalResult R;
  if (!E->EvaluateAsInt(R, Ctx) || !R.Val.getInt().isRepresentableByInt64())
    return std::nullopt;
  return R.Val.getInt().getExtValue();
}

bool changesVariable(const Stmt *Body, const VarDecl *V) {
  auto RefersTo = [V](const Expr *E) {
    const auto *Ref = dyn_cast_or_null<DeclRefExpr>(
        E ? skipImplicit(E->IgnoreParenCasts()) : nullptr);
    return Ref && Ref->getDecl() == V;
  };
  return !walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *S) {
    if (const auto *BO = dyn_cast<BinaryOperator>(S))
      return !(BO->isAssignmentOp() && RefersTo(BO->getLHS()));
    if (const auto *UO = dyn_cast<UnaryOperator>(S))
      return !(UO->isIncrementDecrementOp() && RefersTo(UO->getSubExpr()));
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S))
      return !((OC->isAssignmentOp() || OC->getOperator() == OO_PlusPlus ||
                OC->getOperator() == OO_MinusMinus) &&
               OC->getNumArgs() >= 1 && RefersTo(OC->getArg(0)));
    return true;
  });
}

const MemberExpr *writtenMember(const Stmt *S, const Expr *&Value,
                                bool &AddressTaken) {
  Value = nullptr;
  AddressTaken = false;
  const Expr *Target = nullptr;
  if (std::optional<AssignmentOperands> A = assignmentOperands(S)) {
    Target = A->Target;
    Value = A->Value;
  } else if (const Expr *Stored = builtinStoreTarget(S)) {
    Target = Stored; // compound assignment, ++, --
  } else if (const auto *UO = dyn_cast<UnaryOperator>(S);
             UO && UO->getOpcode() == UO_AddrOf) {
    AddressTaken = true;
    Target = UO->getSubExpr();
  } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
             OC && OC->isAssignmentOp() && OC->getNumArgs() >= 1) {
    Target = OC->getArg(0); // an overloaded compound assignment
  } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    if (const CXXMethodDecl *M = MC->getMethodDecl(); M && !M->isConst())
      Target = MC->getImplicitObjectArgument();
  }
  const auto *ME =
      dyn_cast_or_null<MemberExpr>(Target ? skipImplicit(Target) : nullptr);
  if (!ME || !isa<FieldDecl>(ME->getMemberDecl()))
    Value = nullptr;
  return ME && isa<FieldDecl>(ME->getMemberDecl()) ? ME : nullptr;
}

void forEachWrittenField(const Stmt *Body,
                         llvm::function_ref<void(const FieldDecl *)> Fn) {
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    const Expr *Value = nullptr;
    bool AddressTaken = false;
    if (const MemberExpr *ME = writtenMember(S, Value, AddressTaken);
        ME && !AddressTaken)
      if (const FieldDecl *F = thisField(ME))
        Fn(F);
    llvm::append_range(Work, S->children());
  }
}

const FieldDecl *thisField(const Expr *E) {
  const auto *ME = dyn_cast_or_null<MemberExpr>(E ? skipImplicit(E) : nullptr);
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  return dyn_cast<FieldDecl>(ME->getMemberDecl());
}

std::optional<ObjectPath> objectPathOf(const Expr *E, unsigned MaxFields) {
  llvm::SmallVector<const FieldDecl *, 4> Reversed;
  bool ThroughPointer = false;
  bool Element = false;
  for (unsigned Steps = 0; E && Steps != 32; ++Steps) {
    E = skipImplicit(E);
    if (const Expr *Moved = movedOperand(E)) {
      E = Moved;
      continue;
    }
    if (const Expr *Ref = refWrapped(E)) {
      E = Ref;
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() == UO_Deref)
        ThroughPointer = true;
      else if (UO->getOpcode() != UO_AddrOf)
        return std::nullopt;
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (const auto *VD = dyn_cast<VarDecl>(ME->getMemberDecl())) {
        // A static data member: a global, whatever the object expression.
        ObjectPath P;
        P.Kind = RootKind::Global;
        P.Root = VD;
        return P;
      }
      const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
      if (!FD)
        return std::nullopt;
      Reversed.push_back(FD);
      if (ME->isArrow())
        ThroughPointer = true;
      E = ME->getBase();
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      OverloadedOperatorKind K = OC->getOperator();
      if ((K == OO_Star || K == OO_Arrow) && OC->getNumArgs() == 1) {
        ThroughPointer = true;
        E = OC->getArg(0);
        continue;
      }
      if (K == OO_Subscript && OC->getNumArgs() == 2) {
        Element = true;
        E = OC->getArg(0);
        continue;
      }
      return std::nullopt;
    }
    // c.front(), c.back(), c.at(i), s.top(): an element of the container.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (!M || !M->getIdentifier() ||
          !llvm::is_contained({"front", "back", "at", "top"}, M->getName()) ||
          !MC->getImplicitObjectArgument())
        return std::nullopt;
      Element = true;
      E = MC->getImplicitObjectArgument();
      continue;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      Element = true;
      E = AS->getBase();
      continue;
    }
    if (isa<CXXThisExpr>(E)) {
      ObjectPath P;
      P.Kind = RootKind::This;
      P.ThroughPointer = true;
      P.Element = Element;
      for (auto It = Reversed.rbegin(), End = Reversed.rend(); It != End; ++It)
        if (P.Fields.size() < MaxFields)
          P.Fields.push_back(*It);
      return P;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const ValueDecl *D = DRE->getDecl();
      if (const auto *VD = dyn_cast<VarDecl>(D)) {
        // `auto &l = latch_;`, `[&l = latch_]`: the object it is bound to.
        if (VD->getType()->isReferenceType() && !isa<ParmVarDecl>(VD) &&
            VD->getInit() && !VD->isStaticLocal()) {
          const Expr *Init = skipImplicit(VD->getInit());
          if (isa<DeclRefExpr, MemberExpr, UnaryOperator, CXXOperatorCallExpr>(
                  Init) &&
              Init != E) {
            E = Init;
            continue;
          }
        }
        // `*it`, `it->join()` with `auto it = c.begin()`: an element of c.
        if (ThroughPointer && VD->hasLocalStorage() && VD->getInit() &&
            !VD->getType()->isReferenceType() &&
            !VD->getType()->isPointerType())
          if (const Expr *Container = iteratedContainer(VD->getInit())) {
            Element = true;
            E = Container;
            continue;
          }
        // `*p` with `T *p = arr;` (a range-for's iterator over a built-in
        // array): an element of arr.
        if (ThroughPointer && VD->hasLocalStorage() && VD->getInit() &&
            VD->getType()->isPointerType())
          if (const auto *Decay =
                  dyn_cast<ImplicitCastExpr>(VD->getInit()->IgnoreParens());
              Decay && Decay->getCastKind() == CK_ArrayToPointerDecay) {
            Element = true;
            E = Decay->getSubExpr();
            continue;
          }
        ObjectPath P;
        isRootVariable(VD, P.Kind);
        P.Root = VD;
        P.ThroughPointer = ThroughPointer;
        P.Element = Element;
        for (auto It = Reversed.rbegin(), End = Reversed.rend(); It != End;
             ++It)
          if (P.Fields.size() < MaxFields)
            P.Fields.push_back(*It);
        return P;
      }
      if (isa<BindingDecl>(D)) {
        ObjectPath P;
        P.Kind = RootKind::Local;
        P.Root = D;
        return P;
      }
      return std::nullopt;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

/// A raw pointer, or a standard or Boost smart pointer (weak_ptr included).
bool isPointerLike(QualType T) {
  if (T->isPointerType())
    return true;
  static const NameList L("::std::shared_ptr;::std::weak_ptr;::std::unique_ptr;"
                          "::boost::shared_ptr;::boost::weak_ptr");
  const CXXRecordDecl *RD = recordOf(T);
  return RD && L.matches(RD);
}

const CXXRecordDecl *pointeeClass(QualType T) {
  if (T.isNull())
    return nullptr;
  if (T->isReferenceType() || T->isPointerType())
    return T->getPointeeType()->getAsCXXRecordDecl();
  if (!isPointerLike(T))
    return nullptr;
  const auto *TS = dyn_cast<ClassTemplateSpecializationDecl>(recordOf(T));
  if (!TS || TS->getTemplateArgs().size() == 0 ||
      TS->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return nullptr;
  return TS->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
}

/// True if a mention of \p V in \p Body may change the pointer it holds:
/// an assignment (builtin or overloaded, compound ones too), a non-const
/// member call (`reset`, `swap`), `++`/`--`, its address taken, binding to
/// a non-const lvalue reference (parameter or variable); lambda bodies
/// included (a capture by reference assigned there). Moving
/// it (`std::move(v)`) empties it but points it nowhere else: not counted.
static bool mayRepoint(const VarDecl *V, const Stmt *Body) {
  ParentMap PM(const_cast<Stmt *>(Body));
  bool Changed = false;
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Changed && !Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S);
        Ref && Ref->getDecl() == V) {
      const Stmt *Child = Ref;
      const Stmt *P =
          PM.getParentIgnoreParenImpCasts(const_cast<Stmt *>(Child));
      if (const auto *Call = dyn_cast_or_null<CallExpr>(P);
          Call && Call->getNumArgs() == 1 &&
          isStdFunction(Call->getDirectCallee(), {"move"}))
        P = nullptr; // moved from: pointed nowhere else
      if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P))
        Changed = BO->isAssignmentOp() &&
                  BO->getLHS()->IgnoreParenImpCasts() == Child;
      else if (const auto *UO = dyn_cast_or_null<UnaryOperator>(P))
        Changed = UO->getOpcode() == UO_AddrOf || UO->isIncrementDecrementOp();
      else if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P)) {
        const auto *M = dyn_cast_or_null<CXXMethodDecl>(OC->getDirectCallee());
        Changed = OC->getNumArgs() > 0 &&
                  OC->getArg(0)->IgnoreParenImpCasts() == Child &&
                  (OC->isAssignmentOp() || !M || !M->isConst());
      } else if (const auto *ME = dyn_cast_or_null<MemberExpr>(P)) {
        const auto *M = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
        Changed = !ME->isArrow() && (!M || !M->isConst());
      } else if (const auto *Call = dyn_cast_or_null<CallExpr>(P)) {
        for (unsigned I = 0, N = Call->getNumArgs(); I != N; ++I)
          if (Call->getArg(I)->IgnoreParenImpCasts() == Child)
            if (const ParmVarDecl *Param = paramForArg(Call, I);
                !Param ||
                (Param->getType()->isLValueReferenceType() &&
                 !Param->getType().getNonReferenceType().isConstQualified()))
              Changed = true;
      } else if (const auto *VD = dyn_cast_or_null<DeclStmt>(P)) {
        for (const Decl *D : VD->decls())
          if (const auto *Bound = dyn_cast<VarDecl>(D);
              Bound && Bound->getType()->isLValueReferenceType() &&
              !Bound->getType().getNonReferenceType().isConstQualified())
            Changed = true;
      }
    }
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return Changed;
}

/// Where the pointer value of \p Init comes from: the pointer expression it
/// copies or moves, through smart pointer conversions, `lock()` and
/// `get()`; `&x`; or `this` (\p This set) for `this` and
/// `shared_from_this()`. Null if none.
static const Expr *pointerSource(const Expr *Init, bool &This) {
  This = false;
  for (unsigned Steps = 0; Init && Steps != 8; ++Steps) {
    Init = skipImplicit(Init);
    if (const Expr *Moved = movedOperand(Init)) {
      Init = Moved;
      continue;
    }
    if (const auto *C = dyn_cast<CXXConstructExpr>(Init)) {
      if (C->getNumArgs() == 0 ||
          !isPointerLike(skipImplicit(C->getArg(0))->getType()))
        return nullptr;
      Init = C->getArg(0);
      continue;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Init)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (!M || !M->getIdentifier() || !Obj)
        return nullptr;
      llvm::StringRef Name = M->getName();
      // (libstdc++ declares them in a base, `__shared_ptr`: the object's
      // own type says what it is.)
      if ((Name == "lock" || Name == "get") &&
          isPointerLike(skipImplicit(Obj)->getType())) {
        Init = Obj;
        continue;
      }
      if ((Name == "shared_from_this" || Name == "weak_from_this") &&
          isa<CXXThisExpr>(Obj->IgnoreParenImpCasts())) {
        This = true;
        return Obj;
      }
      return nullptr;
    }
    if (isa<CXXThisExpr>(Init)) {
      This = true;
      return Init;
    }
    if (isa<DeclRefExpr, MemberExpr>(Init) ||
        (isa<UnaryOperator>(Init) &&
         cast<UnaryOperator>(Init)->getOpcode() == UO_AddrOf))
      return Init;
    return nullptr;
  }
  return nullptr;
}

std::optional<ObjectPath> memberReturnedBy(const FunctionDecl *FD) {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(definitionOf(FD));
  if (!M || M->isStatic() || !M->getBody() ||
      (M->isVirtual() && !M->hasAttr<FinalAttr>() &&
       !M->getParent()->hasAttr<FinalAttr>()))
    return std::nullopt;
  QualType R = M->getReturnType();
  if (!R->isReferenceType() && !R->isPointerType())
    return std::nullopt;
  // The body is one return statement (empty statements aside).
  const ReturnStmt *Return = nullptr;
  const auto *Body = dyn_cast<CompoundStmt>(M->getBody());
  if (!Body)
    return std::nullopt;
  for (const Stmt *S : Body->body()) {
    if (isa<NullStmt>(S))
      continue;
    if (Return || !isa<ReturnStmt>(S))
      return std::nullopt;
    Return = cast<ReturnStmt>(S);
  }
  const Expr *V = Return ? Return->getRetValue() : nullptr;
  if (!V)
    return std::nullopt;
  V = skipImplicit(V);
  // A pointer getter returns the member's address, a reference getter the
  // member itself.
  if (R->isPointerType()) {
    const auto *UO = dyn_cast<UnaryOperator>(V);
    if (!UO || UO->getOpcode() != UO_AddrOf)
      return std::nullopt;
    V = skipImplicit(UO->getSubExpr());
  }
  if (!isa<MemberExpr>(V))
    return std::nullopt;
  std::optional<ObjectPath> P = objectPathOf(V);
  // Only data members of the object itself (not through a pointer member:
  // that may be repointed; not an element of a container).
  if (!P || P->Kind != RootKind::This || P->Fields.empty() || P->Element)
    return std::nullopt;
  const Expr *Base = V;
  while (const auto *ME = dyn_cast<MemberExpr>(Base)) {
    if (ME->isArrow() && !isa<CXXThisExpr>(skipImplicit(ME->getBase())))
      return std::nullopt;
    Base = skipImplicit(ME->getBase());
  }
  if (!isa<CXXThisExpr>(Base))
    return std::nullopt;
  P->ThroughPointer = false;
  return P;
}

bool returnsPartOfObject(const FunctionDecl *FD) {
  if (memberReturnedBy(FD))
    return true;
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(definitionOf(FD));
  if (!M || M->isStatic() || !M->getBody() ||
      (M->isVirtual() && !M->hasAttr<FinalAttr>() &&
       !M->getParent()->hasAttr<FinalAttr>()))
    return false;
  const auto *Body = dyn_cast<CompoundStmt>(M->getBody());
  const auto *Return = Body && Body->size() == 1
                           ? dyn_cast<ReturnStmt>(Body->body_front())
                           : nullptr;
  const Expr *V = Return && Return->getRetValue()
                      ? skipImplicit(Return->getRetValue())
                      : nullptr;
  QualType R = M->getReturnType();
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(V);
      UO && UO->getOpcode() == UO_Deref && R->isReferenceType())
    V = skipImplicit(UO->getSubExpr());
  else if (!R->isPointerType())
    return false;
  const auto *ME = dyn_cast_or_null<MemberExpr>(V);
  return ME && isa<FieldDecl>(ME->getMemberDecl()) &&
         ME->getType()->isPointerType() &&
         isa<CXXThisExpr>(skipImplicit(ME->getBase()));
}

const Expr *soleReturnValue(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD || !FD->hasBody(Def))
    return nullptr;
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
  if (!Body || Body->body_empty())
    return nullptr;
  const auto *Ret = dyn_cast<ReturnStmt>(Body->body_back());
  if (!Ret || !Ret->getRetValue())
    return nullptr;
  for (const Stmt *S : Body->body()) {
    if (S == Ret || isa<NullStmt, CallExpr>(S))
      continue;
    const auto *DS = dyn_cast<DeclStmt>(S);
    if (!DS || llvm::any_of(DS->decls(), [](const Decl *D) {
          const auto *V = dyn_cast<VarDecl>(D);
          return !V || !V->isStaticLocal();
        }))
      return nullptr;
  }
  return Ret->getRetValue();
}

/// What the free or static member function \p FD, without parameters,
/// returns by pointer or reference (soleReturnValue()); null otherwise.
static const Expr *accessorReturn(const FunctionDecl *FD) {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(FD);
  if (!FD || (M && !M->isStatic()) || FD->getNumParams() != 0 ||
      (!FD->getReturnType()->isPointerType() &&
       !FD->getReturnType()->isReferenceType()))
    return nullptr;
  return soleReturnValue(FD);
}

/// The object the call of a static accessor names (accessorReturn()), or a
/// member of it (`&instance()->mu_` with `static Meta *instance()`, rocksdb's
/// `MutexLock l(Mutex())`): a global or a static local, and its fields;
/// nullopt for anything else.
static std::optional<ObjectPath>
accessorPathOf(const Expr *E, unsigned MaxFields, unsigned Depth) {
  E = skipImplicit(E);
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = skipImplicit(UO->getSubExpr());
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
    std::optional<ObjectPath> Base =
        F ? accessorPathOf(ME->getBase(), MaxFields, Depth) : std::nullopt;
    if (!Base || Base->Fields.size() >= MaxFields)
      return std::nullopt;
    Base->Fields.push_back(F);
    Base->ThroughPointer |= ME->isArrow();
    return Base;
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call || isa<CXXMemberCallExpr, CXXOperatorCallExpr>(Call) || Depth > 3)
    return std::nullopt;
  const Expr *R = accessorReturn(Call->getDirectCallee());
  if (!R)
    return std::nullopt;
  if (std::optional<ObjectPath> P = objectPathOf(R, MaxFields);
      P && (P->Kind == RootKind::Global ||
            (isa<VarDecl>(P->Root) && cast<VarDecl>(P->Root)->isStaticLocal())))
    return P;
  return accessorPathOf(R, MaxFields, Depth + 1);
}

/// The object a getter's call names (memberReturnedBy()): the member it
/// returns, of the object it is called on (`other.lockRef()` names
/// `other.spin_`), or what a static accessor returns (accessorPathOf());
/// nullopt if \p E is no such call.
static std::optional<ObjectPath> getterPathOf(const Expr *E,
                                              unsigned MaxFields) {
  if (std::optional<ObjectPath> A = accessorPathOf(E, MaxFields, 0))
    return A;
  E = skipImplicit(E);
  bool Deref = false;
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_Deref) {
    Deref = true;
    E = skipImplicit(UO->getSubExpr());
  }
  const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
  const Expr *Obj = MC ? MC->getImplicitObjectArgument() : nullptr;
  if (!Obj)
    return std::nullopt;
  std::optional<ObjectPath> Member = memberReturnedBy(MC->getMethodDecl());
  if (!Member || (Deref && !MC->getType()->isPointerType()))
    return std::nullopt;
  std::optional<ObjectPath> P = pointeePathOf(Obj, MaxFields);
  if (!P)
    return std::nullopt;
  for (const FieldDecl *F : Member->Fields) {
    if (P->Fields.size() >= MaxFields)
      return std::nullopt;
    P->Fields.push_back(F);
  }
  // The object itself, not a pointer to it.
  P->ThroughPointer = false;
  return P;
}

std::optional<ObjectPath> pointeePathOf(const Expr *E, unsigned MaxFields) {
  if (std::optional<ObjectPath> G = getterPathOf(E, MaxFields))
    return G;
  std::optional<ObjectPath> P = objectPathOf(E, MaxFields);
  // `auto &l = w.dataLock(); l.lock();`: a local reference bound to what a
  // getter returns names that member (a reference is never re-bound).
  if (const auto *V = P && P->Kind == RootKind::Local
                          ? dyn_cast_or_null<VarDecl>(P->Root)
                          : nullptr;
      V && V->getType()->isReferenceType() && !isa<ParmVarDecl>(V) &&
      !V->isStaticLocal() && V->getInit())
    if (std::optional<ObjectPath> G = getterPathOf(V->getInit(), MaxFields)) {
      for (const FieldDecl *F : P->Fields)
        if (G->Fields.size() < MaxFields)
          G->Fields.push_back(F);
      G->Element |= P->Element;
      return G;
    }
  // Dereferenced: the path went through a pointer, and its root (a pointer,
  // which has no fields of its own) is the pointer dereferenced; a raw
  // pointer named as such stands for its target (the object of `m->lock()`,
  // the argument of `pthread_mutex_lock(m)`).
  if (P && E && skipImplicit(E)->getType()->isPointerType())
    P->ThroughPointer = true;
  for (unsigned Hops = 0; P && P->ThroughPointer && Hops != 4; ++Hops) {
    const auto *V = dyn_cast_or_null<VarDecl>(P->Root);
    if (!V || P->Kind != RootKind::Local || isa<ParmVarDecl>(V) ||
        V->isStaticLocal() || V->getType()->isReferenceType() ||
        !V->getInit() || !isPointerLike(V->getType()))
      break;
    const auto *Owner =
        dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod());
    const Stmt *Body = Owner ? Owner->getBody() : nullptr;
    bool This = false;
    const Expr *Source = pointerSource(V->getInit(), This);
    if (!Body || !Source || mayRepoint(V, Body))
      break;
    std::optional<ObjectPath> Q = objectPathOf(Source, MaxFields);
    if (!Q)
      break;
    bool Address = !This && isa<UnaryOperator>(skipImplicit(Source));
    for (const FieldDecl *F : P->Fields)
      if (Q->Fields.size() < MaxFields)
        Q->Fields.push_back(F);
    Q->Element |= P->Element;
    // The source pointer is dereferenced in turn (`&x` names x itself).
    Q->ThroughPointer = !Address || Q->ThroughPointer;
    P = std::move(Q);
    if (Address || This)
      break;
  }
  return P;
}

const VarDecl *namedVariable(const Expr *E) {
  std::optional<ObjectPath> P = objectPathOf(E);
  if (!P || !P->Fields.empty())
    return nullptr;
  return dyn_cast_or_null<VarDecl>(P->Root);
}

const VarDecl *singleVarDecl(const Stmt *S) {
  const auto *DS = dyn_cast_or_null<DeclStmt>(S);
  return DS && DS->isSingleDecl() ? dyn_cast<VarDecl>(DS->getSingleDecl())
                                  : nullptr;
}

namespace {

/// A data member named through `this` or through a parameter: `items_`,
/// `other.items_`, `std::move(other.items_)` (also as an unresolved call of
/// `move` in a template's pattern).
struct MemberOf {
  const FieldDecl *Field = nullptr;
  const ParmVarDecl *Param = nullptr; ///< null: `this`
};

std::optional<MemberOf> memberOf(const Expr *E) {
  E = skipImplicit(E);
  if (const auto *Call = dyn_cast<CallExpr>(E);
      Call && Call->getNumArgs() == 1) {
    const auto *U = dyn_cast<UnresolvedLookupExpr>(
        Call->getCallee()->IgnoreParenImpCasts());
    if (isStdMove(Call) || (U && U->getName().isIdentifier() &&
                            U->getName().getAsString() == "move"))
      E = skipImplicit(Call->getArg(0));
  }
  const auto *ME = dyn_cast<MemberExpr>(E);
  const auto *Field = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  if (!Field)
    return std::nullopt;
  const Expr *Base = skipImplicit(ME->getBase());
  if (isa<CXXThisExpr>(Base))
    return MemberOf{Field, nullptr};
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Base))
    if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
      return MemberOf{Field, P};
  return std::nullopt;
}

bool isWholeObjectAssignment(const FunctionDecl *FD, unsigned Depth) {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(FD);
  if (!M || M->isStatic() || isa<CXXConstructorDecl, CXXDestructorDecl>(M) ||
      M->getParent()->isLambda() || !M->getBody() || Depth == 0)
    return false;
  const CXXRecordDecl *Class = M->getParent()->getCanonicalDecl();
  auto OwnClass = [&](const ParmVarDecl *P) {
    const CXXRecordDecl *RD =
        P ? P->getType().getNonReferenceType()->getAsCXXRecordDecl() : nullptr;
    return RD && RD->getCanonicalDecl() == Class;
  };
  if (llvm::none_of(M->parameters(), OwnClass))
    return false;
  // `this`'s member and the same member of a parameter of the class.
  auto Transfer = [&](const Expr *A, const Expr *B) {
    std::optional<MemberOf> X = memberOf(A), Y = memberOf(B);
    if (!X || !Y || X->Field != Y->Field)
      return false;
    return (!X->Param && OwnClass(Y->Param)) ||
           (!Y->Param && OwnClass(X->Param));
  };
  auto IsSwap = [](const Expr *Callee) {
    Callee = Callee->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnresolvedLookupExpr>(Callee))
      return U->getName().isIdentifier() &&
             U->getName().getAsString() == "swap";
    const auto *DRE = dyn_cast<DeclRefExpr>(Callee);
    const auto *F = DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
    return F && isStdFunction(F, {"swap"});
  };
  return !walkOutsideLambdas(
      M->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
        if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
            OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
          return !Transfer(OC->getArg(0), OC->getArg(1));
        if (const auto *BO = dyn_cast<BinaryOperator>(S);
            BO && BO->getOpcode() == BO_Assign)
          return !Transfer(BO->getLHS(), BO->getRHS());
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
          const CXXMethodDecl *Callee = MC->getMethodDecl();
          if (Callee && Callee->getIdentifier() &&
              Callee->getName() == "swap" && MC->getNumArgs() == 1 &&
              Transfer(MC->getImplicitObjectArgument(), MC->getArg(0)))
            return false;
          // Copy and swap: the parameter handed to such a member of `this`.
          if (Callee &&
              isa<CXXThisExpr>(skipImplicit(MC->getImplicitObjectArgument())))
            for (const Expr *Arg : MC->arguments())
              if (const auto *DRE = dyn_cast<DeclRefExpr>(skipImplicit(Arg)))
                if (OwnClass(dyn_cast<ParmVarDecl>(DRE->getDecl())) &&
                    isWholeObjectAssignment(definitionOf(Callee), Depth - 1))
                  return false;
          return true;
        }
        if (const auto *Call = dyn_cast<CallExpr>(S);
            Call && Call->getNumArgs() == 2 && IsSwap(Call->getCallee()))
          return !Transfer(Call->getArg(0), Call->getArg(1));
        return true;
      });
}

} // namespace

bool isWholeObjectAssignment(const FunctionDecl *FD) {
  return isWholeObjectAssignment(FD, 3);
}

/// True if \p RD, or a base of it, declares a non-static data member.
static bool hasDataMembers(const CXXRecordDecl *RD) {
  if (!RD->hasDefinition())
    return true;
  RD = RD->getDefinition();
  if (!RD->fields().empty())
    return true;
  return llvm::any_of(RD->bases(), [](const CXXBaseSpecifier &B) {
    const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl();
    return !Base || hasDataMembers(Base);
  });
}

bool discardsAssignedValue(const FunctionDecl *FD) {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(FD);
  if (!M || M->getOverloadedOperator() != OO_Equal || M->getNumParams() != 1 ||
      hasDataMembers(M->getParent()))
    return false;
  // The pattern the instantiation was made from: whether the parameter is
  // named is a property of what was written.
  if (const FunctionDecl *Pattern = M->getTemplateInstantiationPattern())
    M = cast<CXXMethodDecl>(Pattern);
  const FunctionDecl *Def = definitionOf(M);
  if (!Def || Def->isDefaulted())
    return false;
  const ParmVarDecl *P = Def->getParamDecl(0);
  return !P->isReferenced() && !P->isUsed();
}

bool mentionsField(const Stmt *Root, const FieldDecl *Field) {
  llvm::SmallVector<const Stmt *, 32> Work{Root};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *ME = dyn_cast<MemberExpr>(S);
        ME && ME->getMemberDecl() == Field)
      return true;
    llvm::append_range(Work, S->children());
  }
  return false;
}

const VarDecl *varInitialisedBy(const Stmt *S, const Expr *Init) {
  const auto *DS = dyn_cast_or_null<DeclStmt>(S);
  if (!DS || !Init)
    return nullptr;
  const Expr *Want = skipImplicit(Init);
  for (const Decl *D : DS->decls())
    if (const auto *VD = dyn_cast<VarDecl>(D))
      if (const Expr *I = VD->getInit();
          I && (I == Init || skipImplicit(I) == Want))
        return VD;
  return nullptr;
}

const FunctionDecl *definitionOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  return FD && FD->hasBody(Def) && Def->getBody() ? Def : nullptr;
}

bool sourceContains(const SourceManager &SM, SourceRange Outer,
                    SourceRange Inner) {
  if (Outer.isInvalid() || Inner.isInvalid())
    return false;
  // Written in one file, outside macros: its offsets order it.
  if (Outer.getBegin().isFileID() && Outer.getEnd().isFileID() &&
      Inner.getBegin().isFileID() && Inner.getEnd().isFileID()) {
    FileID F = SM.getFileID(Outer.getBegin());
    if (F == SM.getFileID(Outer.getEnd()) &&
        F == SM.getFileID(Inner.getBegin()) &&
        F == SM.getFileID(Inner.getEnd()))
      return Outer.fullyContains(Inner);
  }
  SourceLocation OB = SM.getExpansionRange(Outer.getBegin()).getBegin();
  SourceLocation OE = SM.getExpansionRange(Outer.getEnd()).getEnd();
  SourceLocation IB = SM.getExpansionRange(Inner.getBegin()).getBegin();
  SourceLocation IE = SM.getExpansionRange(Inner.getEnd()).getEnd();
  return !SM.isBeforeInTranslationUnit(IB, OB) &&
         !SM.isBeforeInTranslationUnit(OE, IE);
}

void sortInSourceOrder(llvm::MutableArrayRef<const FunctionDecl *> Fns,
                       const SourceManager &SM) {
  llvm::DenseMap<const FunctionDecl *, unsigned> Rank;
  for (const FunctionDecl *FD : Fns)
    Rank.try_emplace(FD, Rank.size());
  llvm::sort(Fns, [&](const FunctionDecl *A, const FunctionDecl *B) {
    if (A->getBeginLoc() != B->getBeginLoc())
      return SM.isBeforeInTranslationUnit(A->getBeginLoc(), B->getBeginLoc());
    return Rank[A] < Rank[B];
  });
}

namespace {

bool walkFrom(llvm::SmallVectorImpl<const Stmt *> &Work, LambdaBodies Lambdas,
              llvm::function_ref<bool(const Stmt *)> Visit) {
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      if (Lambdas == LambdaBodies::Skip)
        continue;
      if (!Visit(L))
        return false;
      llvm::append_range(Work, L->capture_inits());
      continue;
    }
    if (!Visit(S))
      return false;
    llvm::append_range(Work, S->children());
  }
  return true;
}

} // namespace

bool walkOutsideLambdas(const Stmt *Root, LambdaBodies Lambdas,
                        llvm::function_ref<bool(const Stmt *)> Visit) {
  llvm::SmallVector<const Stmt *, 64> Work{Root};
  return walkFrom(Work, Lambdas, Visit);
}

bool walkOutsideLambdas(const Decl *D, LambdaBodies Lambdas,
                        llvm::function_ref<bool(const Stmt *)> Visit) {
  llvm::SmallVector<const Stmt *, 64> Work{D->getBody()};
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(D))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      Work.push_back(Init->getInit());
  return walkFrom(Work, Lambdas, Visit);
}

const Expr *freshAllocation(const Expr *Value) {
  if (!Value)
    return nullptr;
  // A smart pointer built from its pointer: `std::shared_ptr<T>(new T)`.
  for (Value = skipImplicit(Value);
       const auto *C = dyn_cast<CXXConstructExpr>(Value);
       Value = skipImplicit(C->getArg(0)))
    if (C->getNumArgs() == 0)
      return nullptr;
  if (isa<CXXNewExpr>(Value))
    return Value;
  const auto *Call = dyn_cast<CallExpr>(Value);
  if (!Call)
    return nullptr;
  if (isStdFunction(Call->getDirectCallee(),
                    {"make_shared", "make_unique", "allocate_shared",
                     "make_shared_for_overwrite", "make_unique_for_overwrite"}))
    return Call;
  // Any call that returns a std::unique_ptr by value (a factory, a builder
  // called through a std::function): the caller is the object's one owner.
  return Call->isPRValue() && isStdUniquePtr(Call->getType()) ? Call : nullptr;
}

/// \p Value without the implicit nodes and the smart pointers built from
/// another (`std::shared_ptr<T>(f())`, a move from a temporary).
static const Expr *pointerSource(const Expr *Value) {
  for (Value = skipImplicit(Value);
       const auto *C = dyn_cast_or_null<CXXConstructExpr>(Value);
       Value = skipImplicit(C->getArg(0)))
    if (C->getNumArgs() == 0)
      return nullptr;
  return Value;
}

const CallExpr *factoryCall(const Expr *Value) {
  if (!Value || freshAllocation(Value))
    return nullptr;
  const auto *Call = dyn_cast_or_null<CallExpr>(pointerSource(Value));
  if (!Call || !Call->isPRValue() || !isPointerLike(Call->getType()))
    return nullptr;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
      OC && OC->getOperator() == OO_Call)
    return Call;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return nullptr;
  const SourceManager &SM = Callee->getASTContext().getSourceManager();
  return SM.isInSystemHeader(SM.getExpansionLoc(Callee->getLocation()))
             ? nullptr
             : Call;
}

const Expr *unchangedLocalInit(const Expr *V, const Stmt *Body) {
  const auto *Ref =
      dyn_cast_or_null<DeclRefExpr>(V ? skipImplicit(V) : nullptr);
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Var || !Var->hasLocalStorage() || isa<ParmVarDecl>(Var) ||
      !Var->getType()->isPointerType() || !Var->getInit())
    return nullptr;
  auto Names = [Var](const Expr *E) {
    const auto *R = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return R && R->getDecl() == Var;
  };
  bool Changed = false;
  walkOutsideLambdas(Body, LambdaBodies::CapturesOnly, [&](const Stmt *S) {
    if (const auto *B = dyn_cast<BinaryOperator>(S))
      Changed |= B->isAssignmentOp() && Names(B->getLHS());
    else if (const auto *U = dyn_cast<UnaryOperator>(S))
      Changed |= (U->getOpcode() == UO_AddrOf || U->isIncrementDecrementOp()) &&
                 Names(U->getSubExpr());
    return !Changed;
  });
  return Changed ? nullptr : Var->getInit();
}

/// True if \p Value is untyped storage (a pointer to `void` or to a
/// character type) that an allocation function returned: a call of a
/// function (`malloc`, a project's arena) that, where its body is known,
/// never returns the address of a variable with static storage or of a
/// data member (one buffer handed out again).
static bool allocatedStorage(const Expr *Value) {
  const auto *Call = dyn_cast_or_null<CallExpr>(skipImplicit(Value));
  if (!Call || !Call->getType()->isPointerType())
    return false;
  QualType Pointee = Call->getType()->getPointeeType();
  if (!Pointee->isVoidType() && !Pointee->isCharType() &&
      !Pointee->isStdByteType())
    return false;
  const FunctionDecl *Callee = Call->getDirectCallee();
  const FunctionDecl *Def = nullptr;
  if (!Callee)
    return false;
  if (!Callee->hasBody(Def) || !Def->getBody())
    return true;
  bool Shared = false;
  walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
    const auto *R = dyn_cast<ReturnStmt>(S);
    const Expr *V =
        R && R->getRetValue() ? R->getRetValue()->IgnoreParenCasts() : nullptr;
    if (const auto *U = dyn_cast_or_null<UnaryOperator>(V);
        U && U->getOpcode() == UO_AddrOf)
      V = U->getSubExpr()->IgnoreParenCasts();
    if (const auto *Ref = dyn_cast_or_null<DeclRefExpr>(V)) {
      const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
      Shared |= Var && !Var->hasLocalStorage();
    }
    Shared |= isa_and_nonnull<MemberExpr, CXXThisExpr>(V);
    return !Shared;
  });
  return !Shared;
}

/// The local pointer \p V names (through explicit casts: `(T *)p`,
/// `static_cast<T *>(p)`) when \p Body constructs an object in the storage
/// it holds with a placement `new` (`new (p) T(...)`), the pointer was
/// initialised with storage from an allocation function
/// (allocatedStorage()) and is never made to point elsewhere: the object
/// the function makes there is new. Null otherwise.
static const Expr *placementNewStorage(const Expr *V, const Stmt *Body) {
  if (!V)
    return nullptr;
  V = V->IgnoreParenCasts();
  const Expr *Init = unchangedLocalInit(V, Body);
  if (!Init || !allocatedStorage(Init))
    return nullptr;
  const auto *Var = cast<VarDecl>(cast<DeclRefExpr>(V)->getDecl());
  bool Constructs = false;
  walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *S) {
    const auto *New = dyn_cast<CXXNewExpr>(S);
    if (New && New->getNumPlacementArgs() == 1)
      if (const auto *R = dyn_cast<DeclRefExpr>(
              New->getPlacementArg(0)->IgnoreParenCasts()))
        Constructs |= R->getDecl() == Var;
    return !Constructs;
  });
  return Constructs ? Init : nullptr;
}

static bool returnsFresh(const FunctionDecl *FD, unsigned Depth) {
  const FunctionDecl *Def = nullptr;
  if (Depth > 5 || !FD || !FD->hasBody(Def) || !Def->getBody() ||
      isa<CoroutineBodyStmt>(Def->getBody()) ||
      !isPointerLike(Def->getReturnType()))
    return false;
  bool Every = true, Some = false;
  walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
    const auto *R = dyn_cast<ReturnStmt>(S);
    if (!R)
      return true;
    const Expr *V = R->getRetValue();
    // An object it constructs in storage it allocated.
    if (placementNewStorage(V, Def->getBody())) {
      Some = true;
      return true;
    }
    // A local pointer returned as it was initialised.
    if (const Expr *Init = unchangedLocalInit(V, Def->getBody()))
      V = Init;
    if (V && isNullPointerValue(V, Def->getASTContext()))
      return true;
    const auto *Call =
        V ? dyn_cast_or_null<CallExpr>(pointerSource(V)) : nullptr;
    if (V && (freshAllocation(V) ||
              (Call && factoryCall(V) && !isa<CXXOperatorCallExpr>(Call) &&
               returnsFresh(Call->getDirectCallee(), Depth + 1))))
      Some = true;
    else
      Every = false;
    return Every;
  });
  return Every && Some;
}

bool returnsFreshObject(const FunctionDecl *FD) { return returnsFresh(FD, 0); }

/// The thread-local pointer variable \p E (without implicit nodes) names.
static const VarDecl *threadLocalPointerVar(const Expr *E) {
  const auto *Ref =
      dyn_cast_or_null<DeclRefExpr>(E ? skipImplicit(E) : nullptr);
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && Var->getTLSKind() != VarDecl::TLS_None &&
                 Var->getType()->isPointerType()
             ? Var
             : nullptr;
}

const VarDecl *threadLocalPointer(const Expr *Object, const Stmt *Body) {
  if (const VarDecl *Var = threadLocalPointerVar(Object))
    return Var;
  return Body ? threadLocalPointerVar(unchangedLocalInit(Object, Body))
              : nullptr;
}

llvm::SmallVector<ThreadLocalStores, 1> threadLocalStores(const Stmt *Body) {
  llvm::SmallVector<ThreadLocalStores, 1> Out;
  if (!Body)
    return Out;
  ParentMap PM(const_cast<Stmt *>(Body));
  walkOutsideLambdas(Body, LambdaBodies::CapturesOnly, [&](const Stmt *S) {
    const auto *Ref = dyn_cast<DeclRefExpr>(S);
    const VarDecl *Var = threadLocalPointerVar(Ref);
    if (!Var)
      return true;
    auto *It = llvm::find_if(
        Out, [&](const ThreadLocalStores &T) { return T.Var == Var; });
    if (It == Out.end()) {
      Out.push_back({Var});
      It = &Out.back();
    }
    const Stmt *P = PM.getParentIgnoreParens(const_cast<DeclRefExpr *>(Ref));
    if (const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(P);
        Cast && Cast->getCastKind() == CK_LValueToRValue)
      return true; // a read
    const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
    if (BO && BO->getOpcode() == BO_Assign &&
        BO->getLHS()->IgnoreParens() == Ref) {
      const Expr *Value = BO->getRHS()->IgnoreParenImpCasts();
      if (isa<CXXThisExpr>(Value))
        It->StoresThis = true;
      else if (!isNullPointerValue(Value, Var->getASTContext()))
        It->CurrentOnly = false;
      return true;
    }
    It->CurrentOnly = false;
    return true;
  });
  return Out;
}

/// True if \p Init gives a pointer a new object: a fresh allocation, or a
/// direct call of a factory of the project whose body returns a new object
/// on every path (returnsFreshObject(): a pool's placement `new` behind a
/// `make<T>()`).
static bool isFreshAllocation(const Expr *Init) {
  if (freshAllocation(Init))
    return true;
  const CallExpr *Call = factoryCall(Init);
  return Call && !isa<CXXOperatorCallExpr>(Call) &&
         returnsFreshObject(Call->getDirectCallee());
}

bool isNullPointerValue(const Expr *Value, ASTContext &Ctx) {
  for (Value = skipImplicit(Value); Value;) {
    if (const auto *IL = dyn_cast<InitListExpr>(Value)) {
      if (IL->getNumInits() == 0)
        return true;
      if (IL->getNumInits() != 1)
        return false;
      Value = skipImplicit(IL->getInit(0));
      continue;
    }
    if (const auto *C = dyn_cast<CXXConstructExpr>(Value)) {
      // A smart pointer made empty, or from a null pointer (not a copy of
      // another smart pointer: that may hold an object).
      if (!isPointerLike(C->getType()))
        return false;
      if (C->getNumArgs() == 0)
        return true;
      if (C->getConstructor() && C->getConstructor()->isCopyOrMoveConstructor())
        return false;
      Value = skipImplicit(C->getArg(0));
      continue;
    }
    if (isa<ImplicitValueInitExpr, CXXScalarValueInitExpr>(Value))
      return true;
    return Value->getType()->isPointerType() ||
                   Value->getType()->isNullPtrType() ||
                   Value->getType()->isIntegerType()
               ? Value->isNullPointerConstant(
                     Ctx, Expr::NPC_ValueDependentIsNotNull) !=
                     Expr::NPCK_NotNull
               : false;
  }
  return false;
}

/// The variable a member call's object names, through `->`, `*` and
/// implicit conversions, and whether it is reached through a pointer.
static const VarDecl *objectVariable(const Expr *Object, bool &Pointer) {
  Object = Object->IgnoreParenImpCasts();
  Pointer = Object->getType()->isPointerType();
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Object);
      OC && OC->getNumArgs() == 1 &&
      (OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star)) {
    Object = OC->getArg(0)->IgnoreParenImpCasts();
    Pointer = true;
  } else if (const auto *U = dyn_cast<UnaryOperator>(Object);
             U && U->getOpcode() == UO_Deref) {
    Object = U->getSubExpr()->IgnoreParenImpCasts();
    Pointer = true;
  }
  const auto *Ref = dyn_cast<DeclRefExpr>(Object);
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

/// The capture of \p V by the lambda class \p Closure, if it captures it.
static const LambdaCapture *captureOf(const CXXRecordDecl *Closure,
                                      const VarDecl *V) {
  for (const LambdaCapture &C : Closure->captures())
    if (C.capturesVariable() && C.getCapturedVar() == V)
      return &C;
  return nullptr;
}

/// True if \p V, a local the object of a call is reached through (a
/// pointer to it when \p Pointer), is a run's own: an object, or a pointer
/// initialised with a fresh allocation.
static bool perRunVariable(const VarDecl *V, bool Pointer) {
  if (!Pointer)
    return !V->getType()->isPointerType();
  return V->getInit() && isFreshAllocation(V->getInit());
}

bool isPerRunObject(const Expr *Object, const FunctionDecl *FD) {
  if (!Object || !FD)
    return false;
  bool Pointer = false;
  const VarDecl *V = objectVariable(Object, Pointer);
  if (!V || !V->hasLocalStorage() || V->getType()->isReferenceType() ||
      isa<ParmVarDecl>(V))
    return false;
  // A variable of FD's own (init-captures included), or one its closure
  // copies.
  if (V->getDeclContext() != FD) {
    const auto *M = dyn_cast<CXXMethodDecl>(FD);
    if (!M || !M->getParent()->isLambda())
      return false;
    const LambdaCapture *Capture = captureOf(M->getParent(), V);
    if (!Capture || Capture->getCaptureKind() != LCK_ByCopy)
      return false;
  }
  return perRunVariable(V, Pointer);
}

/// True if \p Arg, an argument of \p Call, is only read during the call: the
/// callee is a library function (declared in a system header), the
/// parameter as written is a `const` lvalue reference (not a forwarding
/// reference), and what the call returns cannot refer to the argument:
/// nothing, a scalar that is no pointer, or a reference to an object of
/// another type than the argument's, the callee's class or the referee of
/// its first parameter, a non-`const` reference (`std::operator==` on a
/// string, `v.push_back(x)`, `s += x`, `os << x`; not `std::cref(x)`,
/// `std::min(x, y)`).
static bool readByLibraryCall(const CallExpr *Call, const Expr *Arg) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return false;
  const SourceManager &SM = Callee->getASTContext().getSourceManager();
  if (!SM.isInSystemHeader(SM.getExpansionLoc(Callee->getLocation())))
    return false;
  const ParmVarDecl *Param = nullptr;
  for (unsigned I = firstCallArgument(Call), N = Call->getNumArgs(); I != N;
       ++I)
    if (Call->getArg(I)->IgnoreParenImpCasts() == Arg)
      Param = paramForArg(Call, I);
  if (!Param)
    return false;
  QualType Written = writtenParam(Param)->getType();
  if (!Written->isLValueReferenceType() ||
      !Written->getPointeeType().isConstQualified())
    return false;
  QualType R = Callee->getReturnType().getCanonicalType();
  if (R->isVoidType() || (R->isScalarType() && !R->isAnyPointerType() &&
                          !R->isMemberPointerType()))
    return true;
  if (!R->isReferenceType())
    return false;
  QualType Referee = R->getPointeeType().getUnqualifiedType();
  if (Referee == Arg->getType().getCanonicalType().getUnqualifiedType())
    return false;
  const auto *M = dyn_cast<CXXMethodDecl>(Callee);
  const CXXRecordDecl *RefereeClass = Referee->getAsCXXRecordDecl();
  if (M && !M->isStatic() && RefereeClass &&
      RefereeClass->getCanonicalDecl() == M->getParent()->getCanonicalDecl())
    return true;
  if (Callee->getNumParams() == 0 || Callee->getParamDecl(0) == Param)
    return false;
  QualType First = Callee->getParamDecl(0)->getType().getCanonicalType();
  return First->isLValueReferenceType() &&
         !First->getPointeeType().isConstQualified() &&
         First->getPointeeType().getUnqualifiedType() == Referee;
}

/// True if \p FD returns an lvalue reference to the type \p ParamType (an
/// lvalue reference) refers to: it may hand back the object it is given.
static bool returnsReferenceTo(const FunctionDecl *FD, QualType ParamType) {
  if (!FD || !ParamType->isLValueReferenceType() ||
      !FD->getReturnType()->isLValueReferenceType())
    return false;
  return FD->getReturnType()
             ->getPointeeType()
             .getCanonicalType()
             .getUnqualifiedType() ==
         ParamType->getPointeeType().getCanonicalType().getUnqualifiedType();
}

/// True if the mention \p Ref of the local \p V (a value, or a pointer when
/// \p Pointer) lets nothing else reach its object: see isUnsharedLocal().
/// With \p RefCalls (ownedLocal(), keptParam()), a mention may also be an
/// argument bound to a reference parameter (the call is added to it; a
/// library function's that only reads it is not: readByLibraryCall()), a
/// field (a scalar one, or one whose own mention stays), or the value of a
/// `co_return`; \p IsParam forbids the `return`s (a reference parameter
/// returned is handed out).
static bool
staysLocal(const Expr *Ref, bool Pointer, const ParentMap &PM,
           llvm::SmallVectorImpl<const CallExpr *> *RefCalls = nullptr,
           bool IsParam = false) {
  const Stmt *Child = Ref;
  const Stmt *P = PM.getParentIgnoreParenImpCasts(const_cast<Expr *>(Ref));
  // `std::move(v)`: as the use of the moved value.
  while (const auto *Call = dyn_cast_or_null<CallExpr>(P)) {
    if (!isStdFunction(Call->getDirectCallee(), {"move", "forward"}) ||
        Call->getNumArgs() != 1)
      break;
    Child = Call;
    P = PM.getParentIgnoreParenImpCasts(const_cast<CallExpr *>(Call));
  }
  if (!P)
    return false;
  if (isa<ReturnStmt>(P) || (RefCalls && isa<CoreturnStmt>(P)))
    return !IsParam;
  auto IsArg = [&](const Expr *A) { return A->IgnoreParenImpCasts() == Child; };
  // An argument bound to a reference parameter (a pointer's, or the
  // object's address: to a pointer parameter taken by value): the callee's
  // (the caller judges it, RefCalls).
  auto RefArgument = [&](const CallExpr *Call, unsigned From, bool ToPointer) {
    for (unsigned I = From, N = Call->getNumArgs(); I != N; ++I)
      if (IsArg(Call->getArg(I))) {
        const ParmVarDecl *Param = paramForArg(Call, I);
        if (!Param || !(ToPointer ? Param->getType()->isPointerType()
                                  : Param->getType()->isReferenceType()))
          return false;
        RefCalls->push_back(Call);
        // A callee that may hand the object back (keptParam()'s chaining
        // idiom): what the call returns must stay too, or be dropped.
        if (!ToPointer &&
            returnsReferenceTo(Call->getDirectCallee(), Param->getType())) {
          const Stmt *Up =
              PM.getParentIgnoreParenImpCasts(const_cast<CallExpr *>(Call));
          while (isa_and_nonnull<ExprWithCleanups>(Up))
            Up = PM.getParentIgnoreParenImpCasts(const_cast<Stmt *>(Up));
          return !Up || isa<CompoundStmt>(Up) ||
                 staysLocal(Call, false, PM, RefCalls, IsParam);
        }
        return true;
      }
    return false;
  };
  // \p Arg handed to the call \p Up (a pointer parameter when \p ToPointer):
  // `f(&v)`, `f(p)`, `f(p.get())`, `f(*p)`.
  auto HandedTo = [&](const Expr *Arg, bool ToPointer) {
    Child = Arg;
    const Stmt *Up = PM.getParentIgnoreParenImpCasts(const_cast<Expr *>(Arg));
    if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(Up);
        OC && OC->getOperator() == OO_Call && OC->getNumArgs() > 1 &&
        !IsArg(OC->getArg(0)))
      return RefArgument(OC, 1, ToPointer);
    const auto *Call = dyn_cast_or_null<CallExpr>(Up);
    return Call && !isa<CXXOperatorCallExpr>(Call) &&
           RefArgument(Call, 0, ToPointer);
  };
  if (RefCalls) {
    // A value's address handed to a pointer parameter: `f(&v)`.
    if (const auto *U = dyn_cast<UnaryOperator>(P);
        !Pointer && U && U->getOpcode() == UO_AddrOf)
      return HandedTo(U, /*ToPointer=*/true);
    // A pointer's object, as the value: `*p`.
    if (const auto *U = dyn_cast<UnaryOperator>(P);
        Pointer && U && U->getOpcode() == UO_Deref)
      return staysLocal(U, false, PM, RefCalls, IsParam);
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P);
        Pointer && OC && OC->getOperator() == OO_Star && OC->getNumArgs() == 1)
      return staysLocal(OC, false, PM, RefCalls, IsParam);
    // A smart pointer's raw pointer handed to a pointer parameter:
    // `f(p.get())`.
    if (const auto *ME = dyn_cast<MemberExpr>(P);
        Pointer && ME && !ME->isArrow() &&
        ME->getMemberDecl()->getIdentifier() &&
        ME->getMemberDecl()->getName() == "get")
      if (const auto *Get = dyn_cast_or_null<CXXMemberCallExpr>(
              PM.getParentIgnoreParenImpCasts(const_cast<MemberExpr *>(ME)));
          Get && Get->getNumArgs() == 0)
        return HandedTo(Get, /*ToPointer=*/true);
    // A raw pointer tested for null: `if (p)`, `!p`, `p == nullptr`.
    if (Pointer && Ref->getType()->isPointerType()) {
      if (const auto *U = dyn_cast<UnaryOperator>(P);
          U && U->getOpcode() == UO_LNot)
        return true;
      if (const auto *BO = dyn_cast<BinaryOperator>(P);
          BO && (BO->isEqualityOp() || BO->isLogicalOp()))
        return true;
      if (const auto *If = dyn_cast<IfStmt>(P);
          If && If->getCond() && If->getCond()->IgnoreParenImpCasts() == Child)
        return true;
      if (const auto *CO = dyn_cast<ConditionalOperator>(P);
          CO && CO->getCond()->IgnoreParenImpCasts() == Child)
        return true;
    }
  }
  if (const auto *ME = dyn_cast<MemberExpr>(P);
      RefCalls && ME && isa<FieldDecl>(ME->getMemberDecl()) &&
      ME->isArrow() == Pointer) {
    QualType T = ME->getMemberDecl()->getType();
    if (T->isScalarType() && !T->isPointerType())
      return true; // the link follows no scalar
    return !T->isReferenceType() && !T->isPointerType() &&
           staysLocal(ME, false, PM, RefCalls, IsParam);
  }
  // Read by a library function that keeps nothing.
  if (const auto *Call = dyn_cast<CallExpr>(P);
      RefCalls && Call && readByLibraryCall(Call, cast<Expr>(Child)))
    return true;
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P);
      RefCalls && OC && OC->getOperator() == OO_Call && OC->getNumArgs() > 1 &&
      !IsArg(OC->getArg(0)))
    return RefArgument(OC, 1, Pointer);
  if (const auto *Call = dyn_cast<CallExpr>(P);
      RefCalls && Call && !isa<CXXOperatorCallExpr>(Call))
    return RefArgument(Call, 0, Pointer);
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    if (!isa<CXXMethodDecl>(ME->getMemberDecl()))
      return false; // a field, maybe bound to a reference
    if (ME->isArrow())
      return Pointer;
    // A member of the value, or of the smart pointer that hands out no
    // pointer (`reset()`, `operator bool`; not `get()`, `release()`).
    const auto *M = cast<CXXMethodDecl>(ME->getMemberDecl());
    return !Pointer || !M->getReturnType()->isPointerType();
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(OC->getDirectCallee());
    if (!M || OC->getNumArgs() == 0)
      return false;
    if (IsArg(OC->getArg(0)))
      return true; // `v[i]`, `v = x`, `p->`, `*p`
    // The source of `x = v`.
    return !Pointer &&
           (M->isCopyAssignmentOperator() || M->isMoveAssignmentOperator());
  }
  if (const auto *U = dyn_cast<UnaryOperator>(P))
    return Pointer && U->getOpcode() == UO_Deref;
  if (const auto *C = dyn_cast<CXXConstructExpr>(P)) {
    if (!C->getConstructor() || !C->getConstructor()->isCopyOrMoveConstructor())
      return false;
    // A value's copy; a smart pointer moved (or copied) into the function's
    // result: handed over as the function ends, like a raw pointer's
    // `return p`.
    const Stmt *Up =
        PM.getParentIgnoreParenImpCasts(const_cast<CXXConstructExpr *>(C));
    while (isa_and_nonnull<ExprWithCleanups, CXXBindTemporaryExpr,
                           MaterializeTemporaryExpr>(Up))
      Up = PM.getParentIgnoreParenImpCasts(const_cast<Stmt *>(Up));
    return !Pointer || isa_and_nonnull<ReturnStmt>(Up);
  }
  return false;
}

/// The variable \p Object names if it is a local of \p FD (not an init
/// capture) that stays in this run of \p FD: no lambda captures it by
/// reference (nor, with \p Pointer, at all), and every mention staysLocal().
/// \p Owned refuses pointers and pointer-like locals; \p RefCalls as for
/// staysLocal().
static const VarDecl *
stayingLocal(const Expr *Object, const FunctionDecl *FD, bool Owned,
             llvm::SmallVectorImpl<const CallExpr *> *RefCalls) {
  if (!isPerRunObject(Object, FD) || !FD->getBody())
    return nullptr;
  bool Pointer = false;
  const VarDecl *V = objectVariable(Object, Pointer);
  if (!V || V->getDeclContext() != FD || V->isInitCapture())
    return nullptr;
  // Owned: a pointer only to the new object it was initialised with, each
  // of its mentions read as the pointer's (`p->f()`, `f(p.get())`, `f(*p)`).
  if (Owned && (Pointer || V->getType()->isPointerType() ||
                isPointerLike(V->getType()))) {
    if (!V->getInit() || !isFreshAllocation(V->getInit()))
      return nullptr;
    Pointer = true;
  }
  ParentMap PM(FD->getBody());
  bool Stays = true;
  walkOutsideLambdas(
      FD->getBody(), LambdaBodies::CapturesOnly, [&](const Stmt *S) {
        if (const auto *L = dyn_cast<LambdaExpr>(S)) {
          for (const LambdaCapture &C : L->captures())
            if (C.capturesVariable() && C.getCapturedVar() == V &&
                (Pointer || C.getCaptureKind() != LCK_ByCopy))
              Stays = false;
          return Stays;
        }
        const auto *Ref = dyn_cast<DeclRefExpr>(S);
        if (Ref && Ref->getDecl() == V &&
            !staysLocal(Ref, Pointer, PM, RefCalls))
          Stays = false;
        return Stays;
      });
  return Stays ? V : nullptr;
}

const VarDecl *unsharedLocal(const Expr *Object, const FunctionDecl *FD) {
  return stayingLocal(Object, FD, /*Owned=*/false, nullptr);
}

/// True if the lambda \p L, in \p PM's body, is handed straight to a call
/// or to the constructor of something that is not itself a callable (a
/// `std::thread`'s), not kept in a variable or a callable object.
static bool handedStraightToCall(const LambdaExpr *L, const ParentMap &PM) {
  const Stmt *Up = PM.getParentIgnoreParenImpCasts(const_cast<LambdaExpr *>(L));
  while (isa_and_nonnull<MaterializeTemporaryExpr, CXXBindTemporaryExpr,
                         ExprWithCleanups>(Up))
    Up = PM.getParentIgnoreParenImpCasts(const_cast<Stmt *>(Up));
  if (isa_and_nonnull<CallExpr>(Up))
    return true;
  const auto *Construct = dyn_cast_or_null<CXXConstructExpr>(Up);
  return Construct &&
         !declaresCallOperator(Construct->getType()->getAsCXXRecordDecl());
}

const VarDecl *capturedLocal(const Expr *Object, const FunctionDecl *Lambda) {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(Lambda);
  if (!Object || !M || !M->getParent()->isLambda())
    return nullptr;
  bool Pointer = false;
  const VarDecl *V = objectVariable(Object, Pointer);
  const auto *Definer =
      V ? dyn_cast<FunctionDecl>(V->getDeclContext()) : nullptr;
  if (!Definer || Pointer || !V->hasLocalStorage() || V->isInitCapture() ||
      isa<ParmVarDecl>(V) || V->getType()->isReferenceType() ||
      V->getType()->isPointerType() || isPointerLike(V->getType()) ||
      !Definer->getBody())
    return nullptr;
  const LambdaCapture *Capture = captureOf(M->getParent(), V);
  if (!Capture || Capture->getCaptureKind() != LCK_ByRef)
    return nullptr;
  ParentMap PM(Definer->getBody());
  bool Stays = true;
  llvm::SmallVector<const Stmt *, 64> Work{Definer->getBody()};
  while (Stays && !Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      // The body, not the captures' initialisers (which name V).
      Work.push_back(L->getBody());
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() && C.getCapturedVar() == V &&
            (C.getCaptureKind() != LCK_ByRef || !handedStraightToCall(L, PM)))
          Stays = false;
      continue;
    }
    llvm::append_range(Work, S->children());
    const auto *Ref = dyn_cast<DeclRefExpr>(S);
    if (Ref && Ref->getDecl() == V && !staysLocal(Ref, false, PM))
      Stays = false;
  }
  return Stays ? V : nullptr;
}

/// \p V (a per-run object of \p FD's, or a pointer to one when \p Pointer)
/// when \p FD declares it in a loop's body and never makes it name another
/// object: see iterationObject().
static const VarDecl *madeEachIteration(const VarDecl *V, bool Pointer,
                                        const FunctionDecl *FD) {
  if (!V || !FD->getBody() || V->getDeclContext() != FD || V->isInitCapture() ||
      V->isStaticLocal())
    return nullptr;
  ParentMap PM(FD->getBody());
  // Its declaration, in a loop's body (or a range-for's loop variable).
  bool InLoop = false;
  walkOutsideLambdas(FD->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
    const Stmt *Body = nullptr;
    if (const auto *F = dyn_cast<ForStmt>(S))
      Body = F->getBody();
    else if (const auto *W = dyn_cast<WhileStmt>(S))
      Body = W->getBody();
    else if (const auto *D = dyn_cast<DoStmt>(S))
      Body = D->getBody();
    else if (const auto *R = dyn_cast<CXXForRangeStmt>(S)) {
      if (R->getLoopVariable() == V)
        InLoop = true;
      Body = R->getBody();
    }
    if (Body && !InLoop)
      walkOutsideLambdas(Body, LambdaBodies::Skip, [&](const Stmt *N) {
        if (const auto *DS = dyn_cast<DeclStmt>(N))
          for (const Decl *D : DS->decls())
            InLoop = InLoop || D == V;
        return !InLoop;
      });
    return !InLoop;
  });
  if (!InLoop)
    return nullptr;
  // Never made to name another object.
  bool Stays = true;
  walkOutsideLambdas(
      FD->getBody(), LambdaBodies::CapturesOnly, [&](const Stmt *S) {
        const auto *Ref = dyn_cast<DeclRefExpr>(S);
        if (!Ref || Ref->getDecl() != V)
          return true;
        const Stmt *P =
            PM.getParentIgnoreParenImpCasts(const_cast<DeclRefExpr *>(Ref));
        if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
            BO && BO->isAssignmentOp() &&
            BO->getLHS()->IgnoreParenImpCasts() == Ref)
          Stays = false;
        if (const auto *U = dyn_cast_or_null<UnaryOperator>(P);
            U && (U->getOpcode() == UO_AddrOf || U->isIncrementDecrementOp()))
          Stays = false;
        if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P);
            OC && OC->isAssignmentOp() && OC->getNumArgs() > 0 &&
            OC->getArg(0)->IgnoreParenImpCasts() == Ref)
          Stays = false;
        // A smart pointer's own non-const member (`reset()`, `swap()`).
        if (const auto *ME = dyn_cast_or_null<MemberExpr>(P);
            ME && Pointer && !ME->isArrow() && !V->getType()->isPointerType())
          if (const auto *M = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
              M && !M->isConst())
            Stays = false;
        return Stays;
      });
  return Stays ? V : nullptr;
}

const VarDecl *iterationObject(const Expr *Object, const FunctionDecl *FD) {
  if (!isPerRunObject(Object, FD))
    return nullptr;
  bool Pointer = false;
  const VarDecl *V = objectVariable(Object, Pointer);
  return madeEachIteration(V, Pointer, FD);
}

const VarDecl *iterationObjectMadeBy(const Expr *Init, const Stmt *Declaration,
                                     const FunctionDecl *FD) {
  const VarDecl *V =
      Declaration && Init ? varInitialisedBy(Declaration, Init) : nullptr;
  if (!V || !V->hasLocalStorage() || V->getType()->isReferenceType() ||
      isa<ParmVarDecl>(V))
    return nullptr;
  bool Pointer = !V->getType()->getAsCXXRecordDecl() ||
                 !isa<CXXConstructExpr>(Init->IgnoreImplicit());
  if (Pointer && !isFreshAllocation(Init))
    return nullptr;
  return madeEachIteration(V, Pointer, FD);
}

bool isIterationVariable(const VarDecl *V, bool ThroughPointer,
                         const FunctionDecl *FD) {
  if (!V || !FD || !V->hasLocalStorage() || isa<ParmVarDecl>(V) ||
      V->getType()->isReferenceType())
    return false;
  if (ThroughPointer != isPointerLike(V->getType()) ||
      !perRunVariable(V, ThroughPointer))
    return false;
  return madeEachIteration(V, ThroughPointer, FD) != nullptr;
}

const VarDecl *ownedLocal(const Expr *Object, const FunctionDecl *FD,
                          llvm::SmallVectorImpl<const CallExpr *> &RefCalls) {
  return stayingLocal(Object, FD, /*Owned=*/true, &RefCalls);
}

const Expr *handedObject(const Expr *Arg, const ParmVarDecl *Into) {
  if (!Arg || !Into)
    return nullptr;
  QualType T = Into->getType();
  if (T->isReferenceType())
    return Arg;
  if (!T->isPointerType())
    return nullptr;
  Arg = Arg->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(Arg);
      U && U->getOpcode() == UO_AddrOf)
    return U->getSubExpr();
  if (const auto *Get = dyn_cast<CXXMemberCallExpr>(Arg);
      Get && Get->getNumArgs() == 0 && Get->getMethodDecl() &&
      Get->getMethodDecl()->getIdentifier() &&
      Get->getMethodDecl()->getName() == "get" &&
      isPointerLike(Get->getImplicitObjectArgument()->getType()))
    return Get->getImplicitObjectArgument();
  return Arg->getType()->isPointerType() ? Arg : nullptr;
}

bool keptParam(const ParmVarDecl *Param, const FunctionDecl *FD,
               llvm::SmallVectorImpl<const CallExpr *> &RefCalls) {
  if (!Param || !FD || !FD->getBody() ||
      !(Param->getType()->isReferenceType() ||
        Param->getType()->isPointerType()) ||
      Param->getDeclContext() != FD)
    return false;
  bool Pointer = Param->getType()->isPointerType();
  ParentMap PM(FD->getBody());
  // A coroutine's copy of its parameters into its frame (a reference
  // parameter's stays a reference to the same object): not a use.
  llvm::SmallPtrSet<const Stmt *, 4> FrameCopies;
  if (const auto *Coro = dyn_cast<CoroutineBodyStmt>(FD->getBody()))
    for (const Stmt *Move : Coro->getParamMoves())
      if (const auto *DS = dyn_cast_or_null<DeclStmt>(Move))
        for (const Decl *D : DS->decls())
          if (const auto *Copy = dyn_cast<VarDecl>(D); Copy && Copy->getInit())
            FrameCopies.insert(skipImplicit(Copy->getInit()));
  // The chaining idiom, `return s;` of an lvalue reference parameter from a
  // function returning a reference to its type (`LogStream &operator<<(
  // LogStream &s, T v)`): the caller's object goes back to the caller, whose
  // call must keep it (staysLocal()'s RefArgument).
  bool ReturnsIt = returnsReferenceTo(FD, Param->getType());
  bool Stays = true;
  walkOutsideLambdas(
      FD->getBody(), LambdaBodies::CapturesOnly, [&](const Stmt *S) {
        if (const auto *L = dyn_cast<LambdaExpr>(S)) {
          for (const LambdaCapture &C : L->captures())
            if (C.capturesVariable() && C.getCapturedVar() == Param)
              Stays = false;
          return Stays;
        }
        const auto *Ref = dyn_cast<DeclRefExpr>(S);
        if (Ref && Ref->getDecl() == Param && !FrameCopies.contains(Ref) &&
            !(ReturnsIt &&
              isa_and_nonnull<ReturnStmt>(PM.getParentIgnoreParenImpCasts(
                  const_cast<DeclRefExpr *>(Ref)))) &&
            !staysLocal(Ref, Pointer, PM, &RefCalls, /*IsParam=*/true))
          Stays = false;
        return Stays;
      });
  return Stays;
}

static bool isSharedPointer(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD || !RD->getIdentifier() || RD->getName() != "shared_ptr")
    return false;
  static const NameList L("::std::shared_ptr;::boost::shared_ptr");
  return L.matches(RD);
}

/// Adds to \p Count the data members of \p RD and its bases; false if one
/// is neither a shared pointer nor a handle.
static bool handleMembers(const CXXRecordDecl *RD, unsigned Depth,
                          unsigned &Count) {
  if (!RD || !RD->hasDefinition() || RD->isUnion() || RD->isLambda() ||
      Depth > 4)
    return false;
  RD = RD->getDefinition();
  for (const CXXBaseSpecifier &B : RD->bases())
    if (!handleMembers(recordOf(B.getType()), Depth + 1, Count))
      return false;
  for (const FieldDecl *F : RD->fields()) {
    QualType FT = F->getType();
    if (FT->isReferenceType() || FT->isPointerType() || F->isBitField())
      return false;
    unsigned Inner = 0;
    if (!isSharedPointer(FT) &&
        !(handleMembers(recordOf(FT), Depth + 1, Inner) && Inner))
      return false;
    ++Count;
  }
  return true;
}

/// Adds to \p Raw the raw pointer data members of \p RD and its bases, to
/// \p Classes the classes; false if a data member is a reference, a
/// bit-field, `mutable`, or neither a raw pointer, a shared pointer nor a
/// handle: the object keeps no state of its own, only pointers to it.
static bool
pointerMembers(const CXXRecordDecl *RD, unsigned Depth,
               llvm::SmallVectorImpl<const FieldDecl *> &Raw,
               llvm::SmallVectorImpl<const CXXRecordDecl *> &Classes) {
  if (!RD || !RD->hasDefinition() || RD->isUnion() || RD->isLambda() ||
      Depth > 4)
    return false;
  RD = RD->getDefinition();
  Classes.push_back(RD);
  for (const CXXBaseSpecifier &B : RD->bases())
    if (!pointerMembers(recordOf(B.getType()), Depth + 1, Raw, Classes))
      return false;
  for (const FieldDecl *F : RD->fields()) {
    QualType FT = F->getType();
    if (FT->isReferenceType() || F->isBitField() || F->isMutable())
      return false;
    if (FT->isPointerType() && !FT->isFunctionPointerType())
      Raw.push_back(F);
    else if (!isSharedPointer(FT) && !isSharedHandle(FT))
      return false;
  }
  return true;
}

/// The raw pointer member \p E names through `this`, if one of \p Raw.
static bool namesMember(const Expr *E, llvm::ArrayRef<const FieldDecl *> Raw) {
  const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
  return ME && isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) &&
         llvm::is_contained(Raw, ME->getMemberDecl());
}

/// True if \p M, a member function other than a constructor, the
/// destructor or an assignment operator, may point one of the \p Raw
/// members elsewhere: it is not const and its body, if it has one here,
/// assigns, increments or takes the address of one (a cursor's `next()`).
static bool mayRepointMembers(const CXXMethodDecl *M,
                              llvm::ArrayRef<const FieldDecl *> Raw) {
  if (M->isConst() || M->isStatic() || M->isDeleted())
    return false;
  const FunctionDecl *Def = nullptr;
  if (!M->hasBody(Def) || !Def->getBody())
    return true;
  return !walkOutsideLambdas(
      Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
        if (const auto *BO = dyn_cast<BinaryOperator>(S))
          return !(BO->isAssignmentOp() && namesMember(BO->getLHS(), Raw));
        if (const auto *UO = dyn_cast<UnaryOperator>(S))
          return !(
              (UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf) &&
              namesMember(UO->getSubExpr(), Raw));
        return true;
      });
}

/// True if \p RD's copy constructor makes a copy that shares the pointees
/// of its \p Raw members: the implicit or a defaulted one copies the
/// pointers; a visible user-provided one initialises each from the source's
/// same member; one defined in another translation unit is taken to share
/// them when every other member function of \p Classes is const (coost's
/// co::wait_group: a `void *`, a copy that bumps a reference count, const
/// add/done/wait), since then only the pointees can hold what changes.
static bool copySharesPointees(const CXXRecordDecl *RD,
                               llvm::ArrayRef<const FieldDecl *> Raw,
                               llvm::ArrayRef<const CXXRecordDecl *> Classes) {
  const CXXConstructorDecl *Copy = nullptr;
  for (const CXXConstructorDecl *C : RD->ctors())
    if (C->isCopyConstructor())
      Copy = C;
  if (!Copy)
    return !RD->hasUserDeclaredMoveConstructor() &&
           !RD->hasUserDeclaredMoveAssignment();
  if (Copy->isDeleted())
    return false;
  if (!Copy->isUserProvided())
    return true;
  const FunctionDecl *Def = nullptr;
  if (!Copy->hasBody(Def)) {
    for (const CXXRecordDecl *C : Classes)
      for (const CXXMethodDecl *M : C->methods())
        if (!isa<CXXConstructorDecl, CXXDestructorDecl>(M) && !M->isStatic() &&
            !M->isDeleted() && !M->isCopyAssignmentOperator() &&
            !M->isMoveAssignmentOperator() && !M->isConst())
          return false;
    return true;
  }
  const auto *Ctor = cast<CXXConstructorDecl>(Def);
  const ParmVarDecl *Source = Ctor->getParamDecl(0);
  return llvm::all_of(Raw, [&](const FieldDecl *F) {
    return llvm::any_of(Ctor->inits(), [&](const CXXCtorInitializer *I) {
      if (I->getMember() != F)
        return false;
      const auto *ME =
          dyn_cast<MemberExpr>(I->getInit()->IgnoreParenImpCasts());
      const auto *Base =
          ME ? dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts())
             : nullptr;
      return Base && Base->getDecl() == Source && ME->getMemberDecl() == F;
    });
  });
}

/// True if \p T is a class whose state is behind pointers its copies share
/// (pointerMembers, copySharesPointees) and that none of its member
/// functions points elsewhere.
static bool isPointerStateHandle(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  llvm::SmallVector<const FieldDecl *, 2> Raw;
  llvm::SmallVector<const CXXRecordDecl *, 2> Classes;
  if (!pointerMembers(RD, 0, Raw, Classes) || Raw.empty())
    return false;
  RD = RD->getDefinition();
  for (const CXXRecordDecl *C : Classes)
    for (const CXXMethodDecl *M : C->methods())
      if (!isa<CXXConstructorDecl, CXXDestructorDecl>(M) &&
          !M->isCopyAssignmentOperator() && !M->isMoveAssignmentOperator() &&
          mayRepointMembers(M, Raw))
        return false;
  return copySharesPointees(RD, Raw, Classes);
}

bool isSharedHandle(QualType T) {
  if (T.isNull() || isSharedPointer(T) || T->isPointerType())
    return false;
  unsigned Count = 0;
  if (handleMembers(recordOf(T), 0, Count) && Count > 0)
    return true;
  return isPointerStateHandle(T);
}

bool holdsThis(const Expr *Pointer) {
  if (!Pointer)
    return false;
  Pointer = Pointer->IgnoreParenImpCasts();
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Pointer);
      OC && OC->getNumArgs() == 1 && OC->getOperator() == OO_Arrow)
    Pointer = OC->getArg(0)->IgnoreParenImpCasts();
  const auto *Ref = dyn_cast<DeclRefExpr>(Pointer);
  const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V) ||
      V->getType()->isReferenceType() || !V->getInit())
    return false;
  const Expr *Init = skipImplicit(V->getInit());
  // A smart pointer's copy or conversion.
  while (const auto *C = dyn_cast<CXXConstructExpr>(Init)) {
    if (C->getNumArgs() == 0)
      return false;
    Init = skipImplicit(C->getArg(0));
  }
  if (isa<CXXThisExpr>(Init))
    return true;
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Init);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  return M && M->getIdentifier() && M->getName() == "shared_from_this" &&
         isa<CXXThisExpr>(
             MC->getImplicitObjectArgument()->IgnoreParenImpCasts());
}

const MemberExpr *owningMemberOf(const Expr *Op) {
  const auto *OC = dyn_cast<CXXOperatorCallExpr>(Op);
  if (!OC || OC->getNumArgs() != 1 ||
      (OC->getOperator() != OO_Arrow && OC->getOperator() != OO_Star))
    return nullptr;
  const auto *M = dyn_cast<MemberExpr>(OC->getArg(0)->IgnoreParenImpCasts());
  return M && isa<FieldDecl>(M->getMemberDecl()) && isStdUniquePtr(M->getType())
             ? M
             : nullptr;
}

const Expr *returnedArgument(const CallExpr *Call) {
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  const FunctionDecl *Def = nullptr;
  if (!Callee || isa<CXXOperatorCallExpr>(Call) || !Callee->hasBody(Def) ||
      !Def->getBody() || isa<CoroutineBodyStmt>(Def->getBody()))
    return nullptr;
  const ParmVarDecl *Param = nullptr;
  bool Every = true;
  walkOutsideLambdas(Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
    const auto *R = dyn_cast<ReturnStmt>(S);
    if (!R)
      return true;
    // The parameter, converted: casts, `&` and `*` of its conversions (a
    // small object kept in the pointer's own bytes).
    const Expr *V = R->getRetValue();
    while (V) {
      V = V->IgnoreParenImpCasts();
      if (const auto *C = dyn_cast<ExplicitCastExpr>(V))
        V = C->getSubExpr();
      else if (const auto *U = dyn_cast<UnaryOperator>(V);
               U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref))
        V = U->getSubExpr();
      else
        break;
    }
    const auto *Ref = dyn_cast_or_null<DeclRefExpr>(V);
    const auto *P = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
    Every = P && (!Param || P == Param);
    Param = P;
    return Every;
  });
  if (!Every || !Param)
    return nullptr;
  unsigned Index = Param->getFunctionScopeIndex();
  return Index < Call->getNumArgs() ? Call->getArg(Index) : nullptr;
}

/// The raw pointer data member of `this` that \p Ptr names, directly or
/// through casts and calls that return their argument (returnedArgument()),
/// whatever the member owns; null for anything else.
static const MemberExpr *thisPointerMember(const Expr *Ptr) {
  for (unsigned Steps = 0; Ptr && Steps != 8; ++Steps) {
    Ptr = Ptr->IgnoreParenImpCasts();
    if (const auto *C = dyn_cast<ExplicitCastExpr>(Ptr)) {
      Ptr = C->getSubExpr();
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(Ptr)) {
      Ptr = returnedArgument(Call);
      continue;
    }
    const auto *ME = dyn_cast<MemberExpr>(Ptr);
    const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    if (!F || !F->getType()->isPointerType())
      return nullptr;
    const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
    if (!ME->isArrow()) {
      const auto *U = dyn_cast<UnaryOperator>(Base);
      if (!U || U->getOpcode() != UO_Deref)
        return nullptr;
      Base = U->getSubExpr()->IgnoreParenImpCasts();
    }
    return isa<CXXThisExpr>(Base) || holdsThis(Base) ? ME : nullptr;
  }
  return nullptr;
}

/// True if \p Value, assigned to a pointer, makes a new object for it:
/// a null pointer, a fresh allocation, or a factory whose body returns a
/// new object on every path.
static bool newPointerValue(const Expr *Value, ASTContext &Ctx) {
  if (!Value || isNullPointerValue(Value, Ctx) || freshAllocation(Value))
    return true;
  const CallExpr *Factory = factoryCall(Value);
  return Factory && !isa<CXXOperatorCallExpr>(Factory) &&
         returnsFreshObject(Factory->getDirectCallee());
}

/// \p S and the statements under it, lambdas' bodies included (a
/// LambdaExpr's children are its captures' initialisers and its body).
static void walkAll(const Stmt *S, llvm::function_ref<void(const Stmt *)> F) {
  if (!S)
    return;
  F(S);
  for (const Stmt *C : S->children())
    walkAll(C, F);
}

bool pointsIntoCaller(const FieldDecl *Field) {
  const auto *RD =
      Field ? dyn_cast<CXXRecordDecl>(Field->getParent()) : nullptr;
  if (!RD || !Field->getType()->isPointerType())
    return false;
  for (const CXXConstructorDecl *Ctor : RD->ctors()) {
    const FunctionDecl *Def = nullptr;
    if (!Ctor->hasBody(Def))
      continue;
    for (const CXXCtorInitializer *Init :
         cast<CXXConstructorDecl>(Def)->inits()) {
      if (Init->getMember() != Field || !Init->isWritten())
        continue;
      const Expr *Value = skipImplicit(Init->getInit());
      if (const auto *U = dyn_cast<UnaryOperator>(Value);
          U && U->getOpcode() == UO_AddrOf)
        Value = skipImplicit(U->getSubExpr());
      const auto *Ref = dyn_cast<DeclRefExpr>(Value->IgnoreParenImpCasts());
      if (Ref && isa<ParmVarDecl>(Ref->getDecl()))
        return true;
    }
  }
  return false;
}

bool ownsPointee(const FieldDecl *Field) {
  const auto *RD =
      Field ? dyn_cast<CXXRecordDecl>(Field->getParent()) : nullptr;
  if (!RD || !Field->getType()->isPointerType() ||
      Field->getAccess() != AS_private || !RD->hasDefinition() ||
      RD->hasFriends() || RD->isLambda())
    return false;
  RD = RD->getDefinition();
  ASTContext &Ctx = Field->getASTContext();
  // The implicit copies and moves copy the pointer.
  if ((RD->needsImplicitCopyConstructor() &&
       !RD->defaultedCopyConstructorIsDeleted()) ||
      (RD->needsImplicitMoveConstructor() &&
       !RD->defaultedMoveConstructorIsDeleted()) ||
      RD->needsImplicitCopyAssignment() || RD->needsImplicitMoveAssignment())
    return false;
  if (const Expr *Init = Field->getInClassInitializer();
      Init && !newPointerValue(Init, Ctx))
    return false;
  // Another member's default initialiser naming it copies it.
  for (const FieldDecl *Other : RD->fields()) {
    bool Names = false;
    walkAll(Other->getInClassInitializer(), [&](const Stmt *S) {
      const auto *ME = dyn_cast<MemberExpr>(S);
      Names |= ME && ME->getMemberDecl() == Field;
    });
    if (Names)
      return false;
  }
  // Every member function is seen, and names the member only to reach
  // what it points to, to compare or delete it, or to give it a new object.
  for (const Decl *D : RD->decls()) {
    if (isa<FunctionTemplateDecl>(D))
      return false;
    const auto *M = dyn_cast<CXXMethodDecl>(D);
    if (!M || M->isDeleted())
      continue;
    const FunctionDecl *Def = nullptr;
    if (!M->hasBody(Def) || !Def->getBody()) {
      if (M->isImplicit() && !M->isCopyAssignmentOperator() &&
          !M->isMoveAssignmentOperator() &&
          !(isa<CXXConstructorDecl>(M) &&
            cast<CXXConstructorDecl>(M)->isCopyOrMoveConstructor()))
        continue;
      return false;
    }
    if (Def->isDefaulted() &&
        (M->isCopyAssignmentOperator() || M->isMoveAssignmentOperator() ||
         (isa<CXXConstructorDecl>(M) &&
          cast<CXXConstructorDecl>(M)->isCopyOrMoveConstructor())))
      return false;
    llvm::SmallVector<const Stmt *, 4> Roots{Def->getBody()};
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
      for (const CXXCtorInitializer *I : Ctor->inits()) {
        if (I->getMember() == Field && !newPointerValue(I->getInit(), Ctx))
          return false;
        if (I->getMember() != Field)
          Roots.push_back(I->getInit());
      }
    llvm::SmallPtrSet<const MemberExpr *, 8> Good;
    auto Mark = [&](const Expr *E) {
      if (const MemberExpr *ME = E ? thisPointerMember(E) : nullptr)
        if (ME->getMemberDecl() == Field)
          Good.insert(ME);
    };
    bool Escapes = false;
    for (const Stmt *Root : Roots) {
      walkAll(Root, [&](const Stmt *S) {
        if (const auto *ME = dyn_cast<MemberExpr>(S); ME && ME->isArrow())
          Mark(ME->getBase());
        else if (const auto *U = dyn_cast<UnaryOperator>(S);
                 U && U->getOpcode() == UO_Deref)
          Mark(U->getSubExpr());
        else if (const auto *Del = dyn_cast<CXXDeleteExpr>(S))
          Mark(Del->getArgument());
        else if (const auto *C = dyn_cast<ImplicitCastExpr>(S);
                 C && C->getCastKind() == CK_PointerToBoolean)
          Mark(C->getSubExpr());
        else if (const auto *B = dyn_cast<BinaryOperator>(S)) {
          if (B->isEqualityOp()) {
            Mark(B->getLHS());
            Mark(B->getRHS());
          } else if (B->getOpcode() == BO_Assign &&
                     newPointerValue(B->getRHS(), Ctx)) {
            Mark(B->getLHS());
          }
        }
      });
      walkAll(Root, [&](const Stmt *S) {
        const auto *ME = dyn_cast<MemberExpr>(S);
        Escapes |= ME && ME->getMemberDecl() == Field && !Good.count(ME);
      });
    }
    if (Escapes)
      return false;
  }
  return true;
}

const MemberExpr *ownedPointerOf(const Expr *Ptr) {
  const MemberExpr *ME = thisPointerMember(Ptr);
  return ME && ownsPointee(cast<FieldDecl>(ME->getMemberDecl())) ? ME : nullptr;
}

std::optional<llvm::SmallVector<const FieldDecl *, 4>>
ownedMemberChain(const Expr *E) {
  llvm::SmallVector<const FieldDecl *, 4> Fields;
  // The object (or, for a pointer, what it points to) \p Object names.
  for (unsigned Steps = 0; E && Steps != 16; ++Steps) {
    E = E->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(E) || holdsThis(E)) {
      std::reverse(Fields.begin(), Fields.end());
      return Fields;
    }
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_Deref) {
      E = U->getSubExpr();
      // Only `*this` or what a raw pointer member owns (ownsPointee()):
      // another raw pointer member's target may be shared.
      const Expr *Sub = E->IgnoreParenImpCasts();
      if (const MemberExpr *Owner = ownedPointerOf(Sub)) {
        E = Owner;
        continue;
      }
      if (!isa<CXXThisExpr>(Sub) && !holdsThis(Sub))
        return std::nullopt;
      continue;
    }
    if (const MemberExpr *Owner = owningMemberOf(E)) {
      E = Owner;
      continue;
    }
    // What a raw pointer member owns, reached through a call that returns
    // the pointer (`impl(p_)`).
    if (const MemberExpr *Owner =
            isa<MemberExpr>(E) ? nullptr : ownedPointerOf(E)) {
      E = Owner;
      continue;
    }
    const auto *ME = dyn_cast<MemberExpr>(E);
    const auto *FD = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
    if (!FD || FD->getType()->isReferenceType())
      return std::nullopt;
    Fields.push_back(FD);
    E = ME->getBase();
    if (!ME->isArrow())
      continue;
    // `->`: on `this` (or `self`), or on what a std::unique_ptr member or
    // a raw pointer member that owns its object (ownsPointee()) owns.
    const Expr *Base = E->IgnoreParenImpCasts();
    if (!isa<CXXThisExpr>(Base) && !holdsThis(Base) && !owningMemberOf(Base) &&
        !ownedPointerOf(Base))
      return std::nullopt;
  }
  return std::nullopt;
}

ObjectOrigin objectOrigin(const Expr *Object, const ParmVarDecl **Param) {
  const Expr *E = Object;
  for (unsigned Depth = 0; E && Depth != 16; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(E) || holdsThis(E))
      return ObjectOrigin::Fixed;
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = M->getSubExpr();
      continue;
    }
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && (U->getOpcode() == UO_Deref || U->getOpcode() == UO_AddrOf)) {
      E = U->getSubExpr();
      continue;
    }
    if (const auto *C = dyn_cast<ExplicitCastExpr>(E)) {
      E = C->getSubExpr();
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (!isa<FieldDecl, VarDecl>(ME->getMemberDecl()))
        return ObjectOrigin::Unknown;
      if (isa<VarDecl>(ME->getMemberDecl())) // a static data member
        return ObjectOrigin::Fixed;
      E = ME->getBase();
      continue;
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
      if (!V)
        return ObjectOrigin::Unknown;
      if (V->hasGlobalStorage() || Ref->refersToEnclosingVariableOrCapture())
        return ObjectOrigin::Fixed;
      if (const auto *P = dyn_cast<ParmVarDecl>(V)) {
        if (Param)
          *Param = P;
        return ObjectOrigin::Param;
      }
      // A local pointer or reference never given another object: what it
      // was initialised with (`auto *self = static_cast<T *>(arg);`).
      const auto *Fn = dyn_cast<FunctionDecl>(V->getDeclContext());
      if ((V->getType()->isPointerType() || V->getType()->isReferenceType()) &&
          V->getInit() && Fn && Fn->getBody() &&
          !changesVariable(Fn->getBody(), V)) {
        E = V->getInit();
        continue;
      }
      return ObjectOrigin::Unknown;
    }
    // A smart pointer's `->` and `*`.
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (OC->getNumArgs() == 1 &&
          (OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star)) {
        E = OC->getArg(0);
        continue;
      }
      return ObjectOrigin::Unknown;
    }
    // A getter: `impl()`, `ptr.get()`, `owner().queue()`; not a library
    // container's element (`q.front()`).
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      QualType R = M ? M->getReturnType() : QualType();
      if (!M || MC->getNumArgs() != 0 ||
          !(R->isPointerType() || R->isReferenceType()) ||
          (M->getASTContext().getSourceManager().isInSystemHeader(
               M->getLocation()) &&
           !(M->getIdentifier() && M->getName() == "get")))
        return ObjectOrigin::Unknown;
      E = MC->getImplicitObjectArgument();
      continue;
    }
    // An accessor of the program's one object: a function of no arguments
    // returning a pointer or a reference (`instance()`, `context()`).
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      // A call handing back its argument (`impl(p_)`).
      if (const Expr *Arg = returnedArgument(Call)) {
        E = Arg;
        continue;
      }
      const FunctionDecl *F = Call->getDirectCallee();
      QualType R = F ? F->getReturnType() : QualType();
      return F && Call->getNumArgs() == 0 &&
                     (R->isPointerType() || R->isReferenceType())
                 ? ObjectOrigin::Fixed
                 : ObjectOrigin::Unknown;
    }
    return ObjectOrigin::Unknown;
  }
  return ObjectOrigin::Unknown;
}

const CXXRecordDecl *thisClassOf(const FunctionDecl *FD) {
  for (const DeclContext *DC = FD; DC; DC = DC->getParent()) {
    if (const auto *M = dyn_cast<CXXMethodDecl>(DC)) {
      if (!M->getParent()->isLambda())
        return M->isInstance() ? M->getParent() : nullptr;
      // A lambda: its `this` is that of the context defining it.
      DC = M->getParent();
      continue;
    }
    if (isa<FunctionDecl>(DC))
      return nullptr;
    if (const auto *RD = dyn_cast<CXXRecordDecl>(DC); RD && !RD->isLambda())
      return RD; // a lambda in a default member initialiser
  }
  return nullptr;
}

const CXXConstructorDecl *constructorMadeBy(const CallExpr *Call) {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD ||
      !isStdFunction(FD, {"make_shared", "make_unique", "allocate_shared"}))
    return nullptr;
  const TemplateArgumentList *TA = FD->getTemplateSpecializationArgs();
  if (!TA || TA->size() == 0 || TA->get(0).getKind() != TemplateArgument::Type)
    return nullptr;
  const CXXRecordDecl *RD = TA->get(0).getAsType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return nullptr;
  llvm::ArrayRef<const Expr *> Args(Call->getArgs(), Call->getNumArgs());
  if (FD->getName() == "allocate_shared" && !Args.empty())
    Args = Args.drop_front();
  auto Fits = [&](const CXXConstructorDecl *C) {
    return !C->isCopyOrMoveConstructor() &&
           C->getMinRequiredArguments() <= Args.size() &&
           (C->isVariadic() || C->getNumParams() >= Args.size());
  };
  auto SameTypes = [&](const CXXConstructorDecl *C) {
    for (unsigned I = 0, N = Args.size(); I != N && I < C->getNumParams(); ++I)
      if (C->getParamDecl(I)
              ->getType()
              .getNonReferenceType()
              .getCanonicalType()
              .getUnqualifiedType() != skipImplicit(Args[I])
                                           ->getType()
                                           .getNonReferenceType()
                                           .getCanonicalType()
                                           .getUnqualifiedType())
        return false;
    return true;
  };
  const CXXConstructorDecl *One = nullptr, *Typed = nullptr;
  unsigned Count = 0, TypedCount = 0;
  for (const CXXConstructorDecl *C : RD->getDefinition()->ctors())
    if (Fits(C)) {
      One = C;
      ++Count;
      if (SameTypes(C)) {
        Typed = C;
        ++TypedCount;
      }
    }
  if (Count == 1)
    return One;
  return TypedCount == 1 ? Typed : nullptr;
}

const CXXDestructorDecl *destructorOf(const CXXRecordDecl *RD) {
  if (!RD)
    return nullptr;
  if (const CXXDestructorDecl *D = RD->getDestructor())
    return D;
  if (!RD->isDependentContext())
    return nullptr;
  for (const Decl *D : RD->decls())
    if (const auto *DD = dyn_cast<CXXDestructorDecl>(D))
      return DD;
  return nullptr;
}

llvm::SmallVector<const FunctionDecl *, 2> destructionCallees(QualType T) {
  llvm::SmallVector<const FunctionDecl *, 2> Out;
  const CXXRecordDecl *RD = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
  if (!RD)
    return Out;
  if (isStdUniquePtr(T)) {
    const auto *Spec = cast<ClassTemplateSpecializationDecl>(RD);
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    const CXXRecordDecl *Deleter =
        Args.size() == 2 && Args[1].getKind() == TemplateArgument::Type
            ? Args[1].getAsType()->getAsCXXRecordDecl()
            : nullptr;
    if (Deleter && Deleter->hasDefinition())
      for (const CXXMethodDecl *M : Deleter->getDefinition()->methods())
        if (M->getOverloadedOperator() == OO_Call)
          Out.push_back(M);
    return Out;
  }
  if (const CXXDestructorDecl *D = destructorOf(RD))
    Out.push_back(D);
  return Out;
}

bool declaresCallOperator(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  for (const Decl *D : RD->decls()) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      FD = FT->getTemplatedDecl();
    if (FD && FD->getOverloadedOperator() == OO_Call)
      return true;
  }
  return false;
}

} // namespace pitfall
