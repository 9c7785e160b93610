//===--- Containers.cpp ---------------------------------------------------===//
#include "pitfall/Core/Containers.h"
#include "pitfall/Core/ExprUtil.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace pitfall {

static const NameList &elementContainers() {
  static const NameList L(
      "::std::vector;::std::deque;::std::list;::std::forward_list;"
      "::std::array;::std::map;::std::unordered_map;::std::multimap;"
      "::std::unordered_multimap;::boost::container::vector;"
      "::boost::container::small_vector;::llvm::SmallVector");
  return L;
}

bool isElementContainerOf(QualType T,
                          llvm::function_ref<bool(QualType)> IsElement) {
  T = T.getNonReferenceType().getCanonicalType();
  if (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr()))
    return IsElement(AT->getElementType()) ||
           isElementContainerOf(AT->getElementType(), IsElement);
  const auto *Spec =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(recordOf(T));
  if (!Spec || !elementContainers().matches(Spec))
    return false;
  for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray()) {
    if (Arg.getKind() != TemplateArgument::Type)
      continue;
    if (IsElement(Arg.getAsType()))
      return true;
  }
  return false;
}

static const NameList &standardContainers() {
  static const NameList L(StandardContainerTypes);
  return L;
}

/// True if \p RD, or a class it derives from, has a member function
/// named `lock` and one named `unlock`: a mutex, or a class that is one.
static bool isLockable(const CXXRecordDecl *RD, unsigned Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 4)
    return false;
  RD = RD->getDefinition();
  bool Lock = false, Unlock = false;
  for (const Decl *D : RD->decls()) {
    const auto *ND = dyn_cast<NamedDecl>(D);
    if (const auto *FT = dyn_cast_or_null<FunctionTemplateDecl>(ND))
      ND = FT->getTemplatedDecl();
    if (!isa_and_nonnull<CXXMethodDecl>(ND) || !ND->getIdentifier())
      continue;
    Lock |= ND->getName() == "lock";
    Unlock |= ND->getName() == "unlock";
  }
  if (Lock && Unlock)
    return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (isLockable(recordOf(B.getType()), Depth + 1))
      return true;
  return false;
}

bool ContainerRecognizer::isAdapter(const CXXRecordDecl *RD) const {
  // A specialization named but not instantiated (a dependent use): its
  // pattern declares what every instantiation holds.
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD);
      Spec && !Spec->hasDefinition())
    RD = Spec->getSpecializedTemplate()->getTemplatedDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  QualType Underlying;
  for (const Decl *D : RD->decls())
    if (const auto *TD = dyn_cast<TypedefNameDecl>(D);
        TD && TD->getIdentifier() && TD->getName() == "container_type")
      Underlying = TD->getUnderlyingType().getCanonicalType();
  // The underlying container, a template parameter in a pattern (std::queue's
  // `_Sequence`), or a container the recognizer knows.
  if (Underlying.isNull() ||
      (!Underlying->isDependentType() && !isContainerType(Underlying)))
    return false;
  // It holds the underlying container, or a container built on it (a
  // wrapper that keeps a std::priority_queue over its container_type).
  bool Holds = false;
  for (const FieldDecl *F : RD->fields()) {
    QualType FT = F->getType().getCanonicalType();
    if (FT.getUnqualifiedType() == Underlying.getUnqualifiedType() ||
        (!FT->isDependentType() && isContainerType(FT))) {
      Holds = true;
      continue;
    }
    // A class that guards what it holds with a mutex of its own is safe to
    // share: not a container to guard from outside.
    if (isLockable(recordOf(FT, /*ThroughPointers=*/true)))
      return false;
  }
  return Holds;
}

bool ContainerRecognizer::isContainerType(QualType T) const {
  if (T.isNull())
    return false;
  const Type *Key = T.getNonReferenceType().getCanonicalType().getTypePtr();
  auto [It, Inserted] = Cache.try_emplace(Key, false);
  if (!Inserted)
    return It->second;
  const CXXRecordDecl *RD = recordOf(T);
  bool Result = RD && (standardContainers().matches(RD) || Extra.matches(RD) ||
                       isAdapter(RD));
  Cache[Key] = Result;
  return Result;
}

const Expr *ContainerRecognizer::iteratorSource(const Expr *Init) const {
  Init = skipMovesAndCopies(Init);
  // Arithmetic on an iterator: `c.begin() + k`, `std::next(c.begin(), k)`.
  if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(Init);
      OC && OC->getNumArgs() == 2 &&
      (OC->getOperator() == OO_Plus || OC->getOperator() == OO_Minus))
    return iteratorSource(OC->getArg(0));
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Init);
      BO && BO->isAdditiveOp())
    return iteratorSource(BO->getLHS());
  if (const auto *C = dyn_cast_or_null<CallExpr>(Init);
      C && C->getNumArgs() >= 1 && C->getDirectCallee() &&
      isStdFunction(C->getDirectCallee(), {"next", "prev"}))
    return iteratorSource(C->getArg(0));
  const Expr *Object = nullptr;
  llvm::StringRef Name;
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Init)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getIdentifier())
      return nullptr;
    Object = MC->getImplicitObjectArgument();
    Name = M->getName();
  } else if (const auto *C = dyn_cast_or_null<CallExpr>(Init)) {
    const FunctionDecl *FD = C->getDirectCallee();
    if (!FD || C->getNumArgs() != 1 ||
        !isStdFunction(FD, {"begin", "cbegin", "rbegin", "crbegin"}))
      return nullptr;
    Object = C->getArg(0);
    Name = FD->getName();
  }
  if (!Object || !isContainerType(Object->getType()))
    return nullptr;
  bool Iterator = llvm::StringSwitch<bool>(Name)
                      .Cases("begin", "cbegin", "rbegin", "crbegin", true)
                      .Cases("find", "lower_bound", "upper_bound", true)
                      .Default(false);
  return Iterator ? Object : nullptr;
}

bool isStructuralWriteMethod(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Case("insert", true)
      .Case("insert_or_assign", true)
      .Case("emplace", true)
      .Case("emplace_hint", true)
      .Case("try_emplace", true)
      .Case("emplace_back", true)
      .Case("emplace_front", true)
      .Case("push", true)
      .Case("pop", true)
      .Case("push_back", true)
      .Case("push_front", true)
      .Case("pop_back", true)
      .Case("pop_front", true)
      .Case("erase", true)
      .Case("clear", true)
      .Case("resize", true)
      .Case("reserve", true)
      .Case("shrink_to_fit", true)
      .Case("assign", true)
      .Case("swap", true)
      .Case("merge", true)
      .Case("extract", true)
      .Case("splice", true)
      .Case("remove", true)
      .Case("remove_if", true)
      .Case("unique", true)
      .Case("sort", true)
      .Case("reverse", true)
      .Case("rehash", true)
      .Case("append", true)
      .Case("replace", true)
      .Case("insert_after", true)
      .Case("emplace_after", true)
      .Case("erase_after", true)
      .Case("append_range", true)
      .Case("insert_range", true)
      .Case("prepend_range", true)
      .Case("assign_range", true)
      .Case("resize_and_overwrite", true)
      .Default(false);
}

/// True if the class has a mapped_type (map, unordered_map, and any
/// configured map-like container): its operator[] inserts.
static bool isMapLike(QualType T) {
  const CXXRecordDecl *RD = recordOf(T);
  if (!RD || !RD->hasDefinition())
    return false;
  for (const Decl *D : RD->decls())
    if (const auto *ND = dyn_cast<NamedDecl>(D))
      if (ND->getIdentifier() && ND->getName() == "mapped_type")
        return true;
  // A dependent map type: decide by name.
  if (const IdentifierInfo *II = RD->getIdentifier())
    return II->getName().ends_with("map");
  return false;
}

/// The name of \p RD when it is a class of namespace std; empty otherwise.
static llvm::StringRef stdClassName(const CXXRecordDecl *RD) {
  if (!RD || !RD->isInStdNamespace() || !RD->getIdentifier())
    return {};
  return RD->getName();
}

static bool isNodeBasedRecord(const CXXRecordDecl *RD) {
  return llvm::StringSwitch<bool>(stdClassName(RD))
      .Cases("list", "forward_list", "map", "multimap", "set", "multiset", true)
      .Cases("unordered_map", "unordered_multimap", "unordered_set",
             "unordered_multiset", true)
      .Default(false);
}

bool isNodeBasedContainer(QualType T) {
  return !T.isNull() && isNodeBasedRecord(recordOf(T.getNonReferenceType()));
}

bool isUniqueKeyContainer(QualType T) {
  if (T.isNull())
    return false;
  return llvm::StringSwitch<bool>(
             stdClassName(recordOf(T.getNonReferenceType())))
      .Cases("map", "set", "unordered_map", "unordered_set", true)
      .Default(false);
}

/// True if \p MD is `end()` or `cend()` of a node-based standard container
/// (std::list, std::forward_list, the ordered and unordered maps and sets):
/// its past-the-end iterator is the container's sentinel (a node held in
/// the container object, or a null node), made from the object's address
/// without reading what insertions, erasures and splices change. Not a
/// vector's, deque's or string's end(), which reads the end pointer a
/// push_back moves, nor begin(), rbegin() or rend(), which read the links.
static bool isStableSentinel(const CXXMethodDecl *MD) {
  if (!MD->getIdentifier() || MD->getNumParams() != 0 ||
      !(MD->getName() == "end" || MD->getName() == "cend"))
    return false;
  return isNodeBasedRecord(MD->getParent());
}

/// The parent of \p E, skipping nodes that do not change what is done to the
/// value (parentheses, implicit casts, temporaries).
static const Stmt *meaningfulParent(const Expr *&E, const ParentMap &PM) {
  while (true) {
    const Stmt *P = PM.getParent(E);
    if (isa_and_nonnull<ParenExpr, ImplicitCastExpr, MaterializeTemporaryExpr,
                        CXXBindTemporaryExpr>(P)) {
      E = cast<Expr>(P);
      continue;
    }
    return P;
  }
}

/// The variable of \p DS that \p E initialises, or null.
static const VarDecl *initialisedVar(const DeclStmt *DS, const Expr *E) {
  for (const Decl *D : DS->decls())
    if (const auto *VD = dyn_cast<VarDecl>(D);
        VD && VD->getInit() &&
        VD->getInit()->IgnoreParenImpCasts() == E->IgnoreParenImpCasts())
      return VD;
  return nullptr;
}

static bool isStdWriteFunction(const FunctionDecl *FD) {
  if (!FD || !FD->isInStdNamespace() || !FD->getIdentifier())
    return false;
  return llvm::StringSwitch<bool>(FD->getName())
      .Case("swap", true)
      .Case("erase", true)
      .Case("erase_if", true)
      .Default(false);
}

/// The parent of \p E as meaningfulParent() finds it, also skipping the
/// cleanups of a full expression and a cast to void.
static const Stmt *consumerOf(const Expr *&E, const ParentMap &PM) {
  while (true) {
    const Stmt *P = meaningfulParent(E, PM);
    if (isa_and_nonnull<ExprWithCleanups>(P) ||
        (isa_and_nonnull<CStyleCastExpr>(P) &&
         cast<CStyleCastExpr>(P)->getType()->isVoidType())) {
      E = cast<Expr>(P);
      continue;
    }
    return P;
  }
}

/// True if the value of \p E is dropped (an expression statement).
static bool dropped(const Stmt *Consumer) {
  return !Consumer || isa<CompoundStmt>(Consumer);
}

/// True if the element \p E names is bound to a reference (a variable's, or
/// a parameter's of a function whose body is the user's: its uses are the
/// element's accesses), handed on by reference or by address (`std::ref(
/// c[k])`, `&c[k]`: what is done through the wrapper or the pointer is the
/// element's access) or dropped.
static bool elementBound(const Expr *E, const ParentMap &PM) {
  const Stmt *P = consumerOf(E, PM);
  if (dropped(P))
    return true;
  if (const auto *PE = dyn_cast<Expr>(P); PE && referencedOperand(PE))
    return true;
  if (const auto *DS = dyn_cast<DeclStmt>(P)) {
    const VarDecl *VD = initialisedVar(DS, E);
    return VD && !VD->isImplicit() && VD->getType()->isReferenceType();
  }
  if (const auto *Call = dyn_cast<CallExpr>(P)) {
    const ParmVarDecl *Param = paramForArg(Call, E);
    const FunctionDecl *FD = Call->getDirectCallee();
    return Param && Param->getType()->isReferenceType() && FD &&
           FD->hasBody() &&
           !FD->getASTContext().getSourceManager().isInSystemHeader(
               FD->getLocation());
  }
  return false;
}

/// True if the iterator \p E is kept in a variable (whose uses are accesses
/// of their own), compared, stepped or dropped.
static bool iteratorKept(const Expr *E, const ParentMap &PM) {
  const Stmt *P = consumerOf(E, PM);
  if (dropped(P) || isa<DeclStmt>(P))
    return true;
  if (const auto *UO = dyn_cast<UnaryOperator>(P))
    return UO->isIncrementDecrementOp();
  if (const auto *BO = dyn_cast<BinaryOperator>(P))
    return BO->isEqualityOp();
  if (isa<CXXRewrittenBinaryOperator>(P))
    return true; // a comparison
  const auto *OC = dyn_cast<CXXOperatorCallExpr>(P);
  return OC && llvm::is_contained(
                   {OO_EqualEqual, OO_ExclaimEqual, OO_PlusPlus, OO_MinusMinus},
                   OC->getOperator());
}

bool ContainerRecognizer::leavesElementsAlone(const Expr *Ref,
                                              const ParentMap &Parents) const {
  const Expr *E = Ref;
  if (!isContainerType(Ref->getType()))
    return iteratorKept(E, Parents); // an iterator's use
  bool NodeBased = isNodeBasedContainer(Ref->getType());
  const Stmt *P = meaningfulParent(E, Parents);
  // The hidden range of a range-for: the loop variable's uses are the
  // elements' accesses.
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(P))
    if (const VarDecl *VD = initialisedVar(DS, E); VD && VD->isImplicit())
      return true;
  if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P)) {
    if (OC->getOperator() != OO_Subscript || OC->getNumArgs() != 2 ||
        OC->getArg(0)->IgnoreParenImpCasts() != E->IgnoreParenImpCasts())
      return false;
    return (NodeBased || !isMapLike(Ref->getType())) &&
           elementBound(OC, Parents);
  }
  const auto *ME = dyn_cast_or_null<MemberExpr>(P);
  const auto *MD = ME ? dyn_cast<CXXMethodDecl>(ME->getMemberDecl()) : nullptr;
  const auto *Call =
      ME ? dyn_cast_or_null<CXXMemberCallExpr>(Parents.getParent(ME)) : nullptr;
  if (!MD || !MD->getIdentifier() || !Call)
    return false;
  enum { No, Yes, Element, Iterator, Insertion };
  switch (
      llvm::StringSwitch<int>(MD->getName())
          .Cases("size", "empty", "max_size", "capacity", "count", "contains",
                 "bucket_count", "load_factor", Yes)
          .Cases("at", "front", "back", Element)
          .Cases("find", "lower_bound", "upper_bound", "begin", "cbegin",
                 "rbegin", "crbegin", "end", "cend", Iterator)
          .Cases("insert", "emplace", "emplace_hint", "try_emplace", Insertion)
          .Cases("push_back", "push_front", "emplace_back", "emplace_front",
                 "insert_after", "emplace_after", Insertion)
          .Default(No)) {
  case Yes:
    return true;
  case Element:
    return elementBound(Call, Parents);
  case Iterator:
    return iteratorKept(Call, Parents);
  case Insertion:
    return NodeBased && iteratorKept(Call, Parents);
  default:
    return false;
  }
}

/// The key a lookup \p It (an iterator expression) was made with
/// (`c.find(k)`), with its container; or the iterator itself.
static ElementSelection iteratorSelection(const Expr *It) {
  It = skipImplicit(It);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(It)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && M->getIdentifier() && MC->getNumArgs() == 1 &&
        llvm::is_contained({"find", "lower_bound", "upper_bound"},
                           M->getName()))
      return {MC->getImplicitObjectArgument(), MC->getArg(0)};
  }
  return {nullptr, It};
}

ElementSelection elementSelection(const Expr *E) {
  for (unsigned Steps = 0; E && Steps != 16; ++Steps) {
    E = skipImplicit(E);
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (!isa<FieldDecl>(ME->getMemberDecl()))
        return {};
      E = ME->getBase(); // a member of the element
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      OverloadedOperatorKind K = OC->getOperator();
      if (K == OO_Subscript && OC->getNumArgs() == 2)
        return {OC->getArg(0), OC->getArg(1)};
      if ((K == OO_Star || K == OO_Arrow) && OC->getNumArgs() == 1)
        return iteratorSelection(OC->getArg(0));
      return {};
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (!M || !M->getIdentifier() || !MC->getImplicitObjectArgument())
        return {};
      if (M->getName() == "at" && MC->getNumArgs() == 1)
        return {MC->getImplicitObjectArgument(), MC->getArg(0)};
      if (llvm::is_contained({"front", "back", "top"}, M->getName()))
        return {MC->getImplicitObjectArgument(), nullptr};
      return {};
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
      return {AS->getBase(), AS->getIdx()};
    return {};
  }
  return {};
}

const VarDecl *elementReference(const Expr *E) {
  const VarDecl *Found = nullptr;
  for (unsigned Steps = 0; E && Steps != 32; ++Steps) {
    E = skipImplicit(E);
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && (UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_AddrOf)) {
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      E = ME->getBase();
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
        OC && OC->getNumArgs() >= 1 &&
        llvm::is_contained({OO_Subscript, OO_Star, OO_Arrow},
                           OC->getOperator())) {
      E = OC->getArg(0);
      continue;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      E = elementSelection(MC).Container;
      continue;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
      continue;
    }
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    // A reference variable, as objectPathOf() follows it.
    if (!VD || !VD->getType()->isReferenceType() || isa<ParmVarDecl>(VD) ||
        !VD->getInit() || VD->isStaticLocal())
      break;
    const Expr *Init = skipImplicit(VD->getInit());
    if (std::optional<ObjectPath> P = objectPathOf(Init); P && P->Element)
      Found = VD;
    E = Init;
  }
  return Found;
}

ContainerRecognizer::EmptinessUse
ContainerRecognizer::emptinessUse(const Expr *Ref,
                                  const ParentMap &Parents) const {
  const Expr *E = Ref;
  const Stmt *P = meaningfulParent(E, Parents);
  DeclarationName N;
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(P))
    N = ME->getMemberDecl()->getDeclName();
  else if (const auto *DM = dyn_cast_or_null<CXXDependentScopeMemberExpr>(P))
    N = DM->getMember();
  else if (const auto *UM = dyn_cast_or_null<UnresolvedMemberExpr>(P))
    N = UM->getMemberName();
  const IdentifierInfo *Name = N.getAsIdentifierInfo();
  if (!Name)
    return EmptinessUse::Other;
  return llvm::StringSwitch<EmptinessUse>(Name->getName())
      .Cases("empty", "size", EmptinessUse::Test)
      .Cases("front", "back", "top", "pop_front", "pop_back", "pop",
             EmptinessUse::NeedsElement)
      .Default(EmptinessUse::Other);
}

ContainerAccess
ContainerRecognizer::classifyUse(const Expr *Ref,
                                 const ParentMap &Parents) const {
  const Expr *E = Ref;
  const Stmt *P = meaningfulParent(E, Parents);
  if (!P || isa<LambdaExpr>(P))
    return ContainerAccess::None; // a capture, not an access
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
    if (!MD)
      return ContainerAccess::Read;
    if (MD->getIdentifier() && isStructuralWriteMethod(MD->getName()))
      return ContainerAccess::Write;
    if (isStableSentinel(MD))
      return ContainerAccess::None;
    if (const auto *Assign = MD; Assign->isCopyAssignmentOperator() ||
                                 Assign->isMoveAssignmentOperator())
      return ContainerAccess::Write;
    return ContainerAccess::Read;
  }
  if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(P)) {
    const DeclarationName N = DM->getMember();
    if (N.isIdentifier() && isStructuralWriteMethod(N.getAsString()))
      return ContainerAccess::Write;
    return ContainerAccess::Read;
  }
  if (const auto *UM = dyn_cast<UnresolvedMemberExpr>(P)) {
    const DeclarationName N = UM->getMemberName();
    if (N.isIdentifier() && isStructuralWriteMethod(N.getAsString()))
      return ContainerAccess::Write;
    return ContainerAccess::Read;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
    if (OC->getNumArgs() == 0 ||
        OC->getArg(0)->IgnoreParenImpCasts() != E->IgnoreParenImpCasts())
      return ContainerAccess::Read; // the container is an operand, e.g. a == b
    switch (OC->getOperator()) {
    case OO_Equal:
    case OO_PlusEqual:
      return ContainerAccess::Write;
    case OO_Subscript:
      return isMapLike(Ref->getType()) &&
                     !Ref->getType().getNonReferenceType().isConstQualified()
                 ? ContainerAccess::Write
                 : ContainerAccess::Read;
    default:
      return ContainerAccess::Read;
    }
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
    // Dependent code: `m = other` before instantiation.
    if (BO->isAssignmentOp() &&
        BO->getLHS()->IgnoreParenImpCasts() == E->IgnoreParenImpCasts())
      return ContainerAccess::Write;
    return ContainerAccess::Read;
  }
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(P)) {
    (void)AS; // dependent operator[]
    return isMapLike(Ref->getType()) ? ContainerAccess::Write
                                     : ContainerAccess::Read;
  }
  if (const auto *Call = dyn_cast<CallExpr>(P)) {
    if (isStdWriteFunction(Call->getDirectCallee()))
      return ContainerAccess::Write;
    // Passed to a function: a read if by value or const reference; unknown
    // otherwise (the callee's own accesses are analysed where visible).
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD)
      return ContainerAccess::None;
    for (unsigned I = 0, N = Call->getNumArgs();
         I < N && I < FD->getNumParams(); ++I) {
      if (Call->getArg(I)->IgnoreParenImpCasts() != E->IgnoreParenImpCasts())
        continue;
      QualType PT = FD->getParamDecl(I)->getType();
      if (PT->isReferenceType() && !PT.getNonReferenceType().isConstQualified())
        return ContainerAccess::None;
      return ContainerAccess::Read;
    }
    return ContainerAccess::None;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(P)) {
    if (UO->getOpcode() == UO_AddrOf)
      return ContainerAccess::None; // escapes into a pointer
    return ContainerAccess::Read;
  }
  if (isa<UnaryExprOrTypeTraitExpr>(P))
    return ContainerAccess::None;
  const VarDecl *VD = nullptr;
  if (const auto *DS = dyn_cast<DeclStmt>(P))
    VD = initialisedVar(DS, E);
  if (VD) {
    // The hidden range of a range-based for loop: iteration is a read.
    if (VD->isImplicit())
      return ContainerAccess::Read;
    // Binding a non-const reference makes an alias we do not follow.
    QualType T = VD->getType();
    if (T->isReferenceType() && !T.getNonReferenceType().isConstQualified())
      return ContainerAccess::None;
    return ContainerAccess::Read;
  }
  return ContainerAccess::Read;
}

const CXXMemberCallExpr *ContainerRecognizer::getterCall(const Stmt *S) const {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  return M && containerReturnedBy(M) ? MC : nullptr;
}

std::optional<ObjectPath>
ContainerRecognizer::containerReturnedBy(const FunctionDecl *FD) const {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(FD);
  if (!M || M->getParent()->isLambda() ||
      !M->getReturnType()->isReferenceType() ||
      !isContainerType(M->getReturnType()))
    return std::nullopt;
  return memberReturnedBy(M);
}

bool ContainerUse::holdsMoreThan(const ContainerUse &Other) const {
  return llvm::any_of(
      Held, [&](const void *M) { return !llvm::is_contained(Other.Held, M); });
}

llvm::SmallVector<bool, 8>
lockingDecisions(llvm::ArrayRef<ContainerUse> Uses,
                 llvm::function_ref<bool(unsigned, unsigned)> SameContainer) {
  using Kind = ContainerRecognizer::EmptinessUse;
  llvm::SmallVector<bool, 8> Result(Uses.size(), false);
  for (unsigned I = 0, N = Uses.size(); I != N; ++I) {
    if (Uses[I].Use != Kind::Test)
      continue;
    // Every other use of the container takes a lock the test does not
    // hold; the tests made under no more than the test's own locks are the
    // same decision made again.
    bool Decides = true, LockedTest = false, LockedNeedsElement = false;
    for (unsigned J = 0; J != N && Decides; ++J) {
      if (J == I || !SameContainer(I, J))
        continue;
      bool Beyond = Uses[J].holdsMoreThan(Uses[I]);
      if (Uses[J].Use == Kind::Test && !Beyond)
        continue;
      Decides = Beyond;
      LockedTest |= Uses[J].Use == Kind::Test;
      LockedNeedsElement |= Uses[J].Use == Kind::NeedsElement;
    }
    Result[I] = Decides && (LockedTest || !LockedNeedsElement);
  }
  return Result;
}

} // namespace pitfall
