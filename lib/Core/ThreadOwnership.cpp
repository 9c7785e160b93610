//===--- ThreadOwnership.cpp ----------------------------------------------===//
#include "pitfall/Core/ThreadOwnership.h"

#include "pitfall/Core/ExprUtil.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace pitfall {

static bool isJoinOrDetachMethod(const CXXMethodDecl *M,
                                 const ThreadTypes &Threads) {
  if (!M || !M->getIdentifier())
    return false;
  if (M->getName() != "join" && M->getName() != "detach")
    return false;
  return Threads.isAnyThread(M->getThisType()->getPointeeType());
}

bool isJoinOrDetach(const CXXMemberCallExpr *Call, const ThreadTypes &Threads) {
  return Call && isJoinOrDetachMethod(Call->getMethodDecl(), Threads);
}

bool mentionsJoinOrDetach(const Stmt *S, const ThreadTypes &Threads) {
  if (!S)
    return false;
  if (const auto *Call = dyn_cast<CXXMemberCallExpr>(S))
    if (isJoinOrDetach(Call, Threads))
      return true;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    return isJoinOrDetachMethod(dyn_cast<CXXMethodDecl>(DRE->getDecl()),
                                Threads);
  if (const auto *L = dyn_cast<LambdaExpr>(S))
    return mentionsJoinOrDetach(L->getBody(), Threads);
  // `[](auto &t) { t.join(); }`: unresolved until instantiation.
  if (const auto *DME = dyn_cast<CXXDependentScopeMemberExpr>(S))
    if (const IdentifierInfo *II = DME->getMember().getAsIdentifierInfo())
      if (II->isStr("join") || II->isStr("detach"))
        return true;
  for (const Stmt *C : S->children())
    if (mentionsJoinOrDetach(C, Threads))
      return true;
  return false;
}

namespace {

/// Finds uses of one field through `this` in a function body, and the member
/// functions called on `this`.
class FieldUseFinder {
public:
  FieldUseFinder(const FieldDecl *Field, const Stmt *Body)
      : Field(Field), PM(const_cast<Stmt *>(Body)) {}

  /// True if the field is used other than by a query.
  bool releases(const Stmt *S) {
    if (!S)
      return false;
    if (const auto *ME = dyn_cast<MemberExpr>(S))
      if (ME->getMemberDecl() == Field && !isQuery(ME))
        return true;
    if (const auto *DME = dyn_cast<CXXDependentScopeMemberExpr>(S))
      if (DME->getMember().getAsIdentifierInfo() == Field->getIdentifier())
        return true;
    if (const auto *Call = dyn_cast<CXXMemberCallExpr>(S))
      if (const Expr *Obj = Call->getImplicitObjectArgument();
          Obj && isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()))
        if (const CXXMethodDecl *M = Call->getMethodDecl())
          Callees.push_back(M);
    for (const Stmt *C : S->children())
      if (releases(C))
        return true;
    return false;
  }

  llvm::SmallVector<const CXXMethodDecl *, 4> Callees;

private:
  bool isQuery(const MemberExpr *ME) const {
    const Stmt *P =
        PM.getParentIgnoreParenImpCasts(const_cast<MemberExpr *>(ME));
    const auto *Outer = dyn_cast_or_null<MemberExpr>(P);
    if (!Outer)
      return false;
    const auto *M = dyn_cast<CXXMethodDecl>(Outer->getMemberDecl());
    if (!M || !M->getIdentifier())
      return false;
    llvm::StringRef N = M->getName();
    return N == "joinable" || N == "get_id" || N == "empty" || N == "size" ||
           N == "native_handle_type";
  }

  const FieldDecl *Field;
  ParentMap PM;
};

} // namespace

static const Stmt *bodyOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  return FD && FD->hasBody(Def) ? Def->getBody() : nullptr;
}

bool destructorReleasesField(const CXXRecordDecl *Record,
                             const FieldDecl *Field, bool &Known) {
  Known = true;
  if (!Record || !Field || Field->getParent() != Record)
    return false;
  const CXXDestructorDecl *Dtor = destructorOf(Record);
  if (!Dtor || Dtor->isImplicit() || Dtor->isDefaulted())
    return false;
  if (Dtor->isDeleted()) {
    Known = false;
    return false;
  }
  const Stmt *Body = bodyOf(Dtor);
  if (!Body) {
    Known = false;
    return false;
  }
  FieldUseFinder InDtor(Field, Body);
  if (InDtor.releases(Body))
    return true;
  llvm::SmallPtrSet<const CXXMethodDecl *, 4> Seen;
  for (const CXXMethodDecl *M : InDtor.Callees) {
    if (M->getParent() != Record || !Seen.insert(M).second)
      continue;
    const Stmt *CalleeBody = bodyOf(M);
    if (!CalleeBody)
      continue;
    FieldUseFinder InCallee(Field, CalleeBody);
    if (InCallee.releases(CalleeBody))
      return true;
  }
  return false;
}

bool destructorMentionsField(const CXXRecordDecl *Record,
                             const FieldDecl *Field) {
  const CXXDestructorDecl *Dtor = Record ? destructorOf(Record) : nullptr;
  return mentionsField(Dtor && !Dtor->isImplicit() ? bodyOf(Dtor) : nullptr,
                       Field);
}

/// True if \p RD is asio's (or Boost.Asio's) execution_context::service,
/// or io_context::service, or derives from one.
static bool isAsioService(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  if (RD->getIdentifier() && RD->getName() == "service")
    if (const auto *Outer = dyn_cast<CXXRecordDecl>(RD->getDeclContext());
        Outer && Outer->getIdentifier() &&
        (Outer->getName() == "execution_context" ||
         Outer->getName() == "io_context" || Outer->getName() == "io_service"))
      return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (isAsioService(B.getType()->getAsCXXRecordDecl()))
      return true;
  return false;
}

bool serviceShutdownMentionsField(const CXXRecordDecl *Record,
                                  const FieldDecl *Field) {
  if (!Record || !isAsioService(Record))
    return false;
  for (const CXXMethodDecl *M : Record->methods())
    if (M->getIdentifier() &&
        (M->getName() == "shutdown" || M->getName() == "shutdown_service"))
      if (mentionsField(bodyOf(M), Field))
        return true;
  return false;
}

bool isThreadWrapper(const CXXRecordDecl *Record, const FieldDecl *Field) {
  if (!Record || !Field)
    return false;
  for (const Decl *D : Record->decls()) {
    const auto *M = dyn_cast<CXXMethodDecl>(D);
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      M = dyn_cast<CXXMethodDecl>(FT->getTemplatedDecl());
    if (!M || M->isStatic() || !M->getIdentifier() ||
        (M->getName() != "join" && M->getName() != "detach"))
      continue;
    const Stmt *Body = bodyOf(M);
    if (!Body)
      return true; // defined elsewhere: assume it joins
    FieldUseFinder Finder(Field, Body);
    if (Finder.releases(Body))
      return true;
  }
  return false;
}

bool isThreadJoinerClass(const CXXRecordDecl *Record,
                         const ThreadTypes &Threads) {
  if (!Record || !Record->hasDefinition())
    return false;
  Record = Record->getDefinition();
  for (const FieldDecl *F : Record->fields()) {
    QualType T = F->getType();
    if (const auto *PT = T->getAs<PointerType>())
      T = PT->getPointeeType();
    if (!Threads.isTerminatingThread(T))
      continue;
    bool Known = true;
    if (destructorReleasesField(Record, F, Known))
      return true;
  }
  return false;
}

bool refersToThreads(QualType T, const ThreadTypes &Threads) {
  if (T.isNull())
    return false;
  if (T->isReferenceType() || T->isPointerType())
    return Threads.isTerminatingThread(T->getPointeeType());
  return Threads.isContainerOfThreadPointers(T);
}

/// True if \p Body calls join() on a field of `this` that refers to
/// threads, directly or on the loop variable of a range-for over such a
/// field; adds the member functions it calls on `this` to \p Callees.
static bool
joinsReferredThread(const Stmt *Body, const ThreadTypes &Threads,
                    llvm::SmallVectorImpl<const CXXMethodDecl *> &Callees) {
  llvm::DenseMap<const VarDecl *, const Expr *> LoopRange;
  llvm::SmallVector<const CXXMemberCallExpr *, 4> Calls;
  llvm::SmallVector<const Stmt *, 16> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *FR = dyn_cast<CXXForRangeStmt>(S))
      if (const VarDecl *V = FR->getLoopVariable())
        LoopRange[V] = FR->getRangeInit();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      Calls.push_back(MC);
    llvm::append_range(Work, S->children());
  }
  auto IsHeldField = [&](const std::optional<ObjectPath> &P) {
    return P && P->Kind == RootKind::This && P->Fields.size() == 1 &&
           refersToThreads(P->Fields.front()->getType(), Threads);
  };
  for (const CXXMemberCallExpr *MC : Calls) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getIdentifier())
      continue;
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (Obj && isa<CXXThisExpr>(Obj->IgnoreParenImpCasts())) {
      Callees.push_back(M);
      continue;
    }
    if (M->getName() != "join" ||
        !Threads.isTerminatingThread(M->getThisType()->getPointeeType()))
      continue;
    std::optional<ObjectPath> P = objectPathOf(Obj);
    if (P && P->Kind == RootKind::Local && P->Fields.empty())
      if (const auto *V = dyn_cast_or_null<VarDecl>(P->Root))
        if (auto It = LoopRange.find(V); It != LoopRange.end())
          P = objectPathOf(It->second);
    if (IsHeldField(P))
      return true;
  }
  return false;
}

bool joinsHeldThreads(const CXXRecordDecl *Record, const ThreadTypes &Threads) {
  if (!Record || !Record->hasDefinition())
    return false;
  Record = Record->getDefinition();
  if (llvm::none_of(Record->fields(), [&](const FieldDecl *F) {
        return refersToThreads(F->getType(), Threads);
      }))
    return false;
  const CXXDestructorDecl *Dtor = destructorOf(Record);
  const Stmt *Body = Dtor && !Dtor->isImplicit() ? bodyOf(Dtor) : nullptr;
  if (!Body)
    return false;
  llvm::SmallVector<const CXXMethodDecl *, 4> Callees;
  if (joinsReferredThread(Body, Threads, Callees))
    return true;
  // One level of the class's own member functions (`~J() { joinAll(); }`).
  llvm::SmallPtrSet<const CXXMethodDecl *, 4> Seen;
  llvm::SmallVector<const CXXMethodDecl *, 4> Ignored;
  for (const CXXMethodDecl *M : Callees)
    if (M->getParent() == Record && Seen.insert(M).second)
      if (joinsReferredThread(bodyOf(M), Threads, Ignored))
        return true;
  return false;
}

} // namespace pitfall
