//===--- Throws.cpp -------------------------------------------------------===//
#include "pitfall/Flow/Throws.h"

#include "pitfall/Core/ExprUtil.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace pitfall {

llvm::StringRef throwKindName(ThrowKind K) {
  switch (K) {
  case ThrowKind::User:
    return "user exception";
  case ThrowKind::Assertion:
    return "assertion or precondition failure";
  case ThrowKind::Resource:
    return "allocation failure";
  case ThrowKind::None:
    break;
  }
  return "";
}

ThrowModel::ThrowModel(llvm::StringRef AssertionMacrosOption,
                       llvm::StringRef TestCaseMacrosOption)
    : AssertionMacros(AssertionMacrosOption),
      TestCaseMacros(TestCaseMacrosOption) {}

static ThrowKind maxKind(ThrowKind A, ThrowKind B) {
  return static_cast<uint8_t>(A) >= static_cast<uint8_t>(B) ? A : B;
}

/// True if \p RD is one of the standard stream classes (or derives from
/// one): they throw only when the stream's exceptions() mask asks for it,
/// which it does not by default.
static bool isStdStream(const CXXRecordDecl *RD) {
  static constexpr llvm::StringLiteral Streams[] = {
      "basic_ios",           "ios_base",          "basic_istream",
      "basic_ostream",       "basic_iostream",    "basic_ifstream",
      "basic_ofstream",      "basic_fstream",     "basic_istringstream",
      "basic_ostringstream", "basic_stringstream"};
  if (!RD || !RD->isInStdNamespace())
    return false;
  if (RD->getIdentifier() && llvm::is_contained(Streams, RD->getName()))
    return true;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    RD = Spec->getSpecializedTemplate()->getTemplatedDecl();
  if (!RD->hasDefinition())
    return false;
  for (const CXXBaseSpecifier &B : RD->getDefinition()->bases())
    if (isStdStream(B.getType()->getAsCXXRecordDecl()))
      return true;
  return false;
}

/// A standard stream operation: a member of a stream class, or a free std
/// function (operator<<, getline, a manipulator) taking a stream first.
static bool isStdStreamOperation(const FunctionDecl *FD) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    return isStdStream(MD->getParent());
  if (!FD->isInStdNamespace() || FD->getNumParams() == 0)
    return false;
  QualType First = FD->getParamDecl(0)->getType().getNonReferenceType();
  return isStdStream(First->getAsCXXRecordDecl());
}

/// The std class \p FD is a member of (through inline namespaces), or null.
static const CXXRecordDecl *stdClassOf(const FunctionDecl *FD) {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (!MD || !MD->getParent()->isInStdNamespace())
    return nullptr;
  return MD->getParent();
}

static bool nameIn(const NamedDecl *D,
                   std::initializer_list<llvm::StringRef> Names) {
  return D && D->getIdentifier() && llvm::is_contained(Names, D->getName());
}

/// True if \p RD is the std class \p Name or derives from it (a dependent
/// or incomplete base is not followed).
static bool isOrDerivesFromStd(const CXXRecordDecl *RD, llvm::StringRef Name,
                               unsigned Depth = 16) {
  if (!RD || Depth == 0)
    return false;
  if (RD->isInStdNamespace() && RD->getIdentifier() && RD->getName() == Name)
    return true;
  if (!RD->hasDefinition())
    return false;
  return llvm::any_of(RD->getDefinition()->bases(),
                      [&](const CXXBaseSpecifier &B) {
                        return isOrDerivesFromStd(
                            B.getType()->getAsCXXRecordDecl(), Name, Depth - 1);
                      });
}

/// An exception object that reports a broken precondition or invariant: a
/// std::logic_error or a class derived from it (invalid_argument,
/// out_of_range, a project's own). The standard defines these as errors of
/// the program's own logic, preventable before the call: thrown on purpose,
/// they are assertions, not failures a caller handles.
static bool reportsLogicError(const CXXThrowExpr *Throw) {
  const Expr *Sub = Throw->getSubExpr();
  return Sub && isOrDerivesFromStd(Sub->getType()->getAsCXXRecordDecl(),
                                   "logic_error");
}

/// A constructor of a standard exception class: it copies its message, so
/// running out of memory is its only failure.
static bool isStdExceptionConstructor(const FunctionDecl *FD) {
  const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD);
  return Ctor && Ctor->getParent()->isInStdNamespace() &&
         isOrDerivesFromStd(Ctor->getParent(), "exception");
}

/// Standard operations whose only failure is running out of memory or of a
/// system resource: container and string modifiers, smart-pointer factories,
/// callable wrappers, threads, locks. (Checked accessors such as at(),
/// substr() and value() are not among them: they throw on a bad argument.)
static bool isResourceOnlyStd(const FunctionDecl *FD) {
  if (const CXXRecordDecl *RD = stdClassOf(FD)) {
    // Internal members (_M_range_check) are what public ones call to throw.
    if (FD->getAccess() != AS_public ||
        nameIn(FD, {"at", "substr", "value", "get", "stoi", "rethrow"}))
      return false;
    static constexpr llvm::StringLiteral Classes[] = {"basic_string",
                                                      "vector",
                                                      "deque",
                                                      "list",
                                                      "forward_list",
                                                      "map",
                                                      "multimap",
                                                      "set",
                                                      "multiset",
                                                      "unordered_map",
                                                      "unordered_multimap",
                                                      "unordered_set",
                                                      "unordered_multiset",
                                                      "function",
                                                      "move_only_function",
                                                      "shared_ptr",
                                                      "unique_ptr",
                                                      "packaged_task",
                                                      "promise",
                                                      "thread",
                                                      "jthread",
                                                      "basic_stop_source",
                                                      "stop_source",
                                                      "queue",
                                                      "priority_queue",
                                                      "stack",
                                                      "any",
                                                      "optional",
                                                      "pair",
                                                      "tuple",
                                                      "allocator",
                                                      "__new_allocator"};
    return RD->getIdentifier() && llvm::is_contained(Classes, RD->getName());
  }
  if (!FD->isInStdNamespace())
    return false;
  if (nameIn(FD, {"make_shared", "make_unique", "allocate_shared", "to_string",
                  "to_wstring", "make_pair", "make_tuple", "bind", "ref",
                  "cref", "async"}))
    return !nameIn(FD, {"async"});
  // operator+ / operator== on strings and other free operators of std.
  return FD->isOverloadedOperator() &&
         llvm::any_of(FD->parameters(), [](const ParmVarDecl *P) {
           const CXXRecordDecl *RD =
               P->getType().getNonReferenceType()->getAsCXXRecordDecl();
           return RD && RD->isInStdNamespace() && RD->getIdentifier() &&
                  RD->getName() == "basic_string";
         });
}

/// Classes and namespaces of the standard library whose operations do not
/// throw in practice (they may report system errors that programs do not
/// handle by unwinding).
static bool isPracticallyNothrowStd(const FunctionDecl *FD) {
  if (isStdStreamOperation(FD))
    return true;
  static constexpr llvm::StringLiteral Classes[] = {"lock_guard",
                                                    "unique_lock",
                                                    "scoped_lock",
                                                    "shared_lock",
                                                    "mutex",
                                                    "recursive_mutex",
                                                    "timed_mutex",
                                                    "shared_mutex",
                                                    "condition_variable",
                                                    "condition_variable_any",
                                                    "atomic",
                                                    "atomic_flag",
                                                    "__atomic_base",
                                                    "duration",
                                                    "time_point",
                                                    "counting_semaphore",
                                                    "latch",
                                                    "barrier",
                                                    "stop_token",
                                                    "basic_string_view",
                                                    "__atomic_float",
                                                    "__atomic_ref"};
  const DeclContext *DC = FD->getDeclContext();
  const auto *RD = dyn_cast<CXXRecordDecl>(DC);
  if (RD &&
      !(RD->getIdentifier() && llvm::is_contained(Classes, RD->getName())))
    return false;
  // The class or function must be in std, directly or in chrono/this_thread.
  bool InStdDetail = false;
  for (DC = RD ? RD->getDeclContext() : DC; DC; DC = DC->getParent()) {
    const auto *NS = dyn_cast<NamespaceDecl>(DC);
    if (!NS || NS->isInline())
      continue;
    if (NS->isStdNamespace())
      return RD || InStdDetail;
    if (!NS->getIdentifier() ||
        (NS->getName() != "chrono" && NS->getName() != "this_thread"))
      return false;
    InStdDetail = true;
  }
  return false;
}

/// An assertion helper whose body is not in the translation unit
/// (`assert_false(...)`, `assertEqual(...)`): such helpers report and abort.
static bool isOutOfSightAssertion(const FunctionDecl *FD) {
  const IdentifierInfo *II = FD->getIdentifier();
  return II && II->getName().starts_with_insensitive("assert") &&
         !FD->isInStdNamespace();
}

ThrowKind ThrowModel::calleeKind(const FunctionDecl *FD, bool Virtual,
                                 const ASTContext &Ctx) {
  return calleeKind(FD, Virtual, Ctx, MaxNesting);
}

ThrowKind ThrowModel::calleeKind(const FunctionDecl *FD, bool Virtual,
                                 const ASTContext &Ctx, unsigned Depth) {
  if (!FD)
    return ThrowKind::None; // a call through a pointer: do not guess
  if (FD->getBuiltinID() || FD->isExternC() || FD->isInExternCContext())
    return ThrowKind::None;
  if (isa<CXXDestructorDecl>(FD))
    return ThrowKind::None;
  if (FD->isTrivial() || FD->isDefaulted() || FD->isDeleted())
    return ThrowKind::None;
  const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
  if (!Proto)
    return ThrowKind::None;
  if (isUnresolvedExceptionSpec(Proto->getExceptionSpecType()) ||
      Proto->isNothrow())
    return ThrowKind::None;
  if (isPracticallyNothrowStd(FD))
    return ThrowKind::None;
  if (isResourceOnlyStd(FD) || isStdExceptionConstructor(FD))
    return ThrowKind::Resource;
  const FunctionDecl *Def = nullptr;
  if (!Virtual && !FD->hasBody(Def) && isOutOfSightAssertion(FD))
    return ThrowKind::None;
  if (Virtual)
    return virtualKind(cast<CXXMethodDecl>(FD), Ctx, Depth);
  if (!FD->hasBody(Def) || !Def->getBody())
    return ThrowKind::User;
  if (auto It = Cache.find(Def); It != Cache.end())
    return It->second; // optimistic on recursion
  if (Depth == 0 || BodiesRead == MaxBodies)
    return ThrowKind::User;
  ++BodiesRead;
  Cache[Def] = ThrowKind::None;
  ThrowKind K = bodyKind(Def->getBody(), Ctx, Depth - 1);
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      K = maxKind(K, bodyKind(Init->getInit(), Ctx, Depth - 1));
  Cache[Def] = K;
  return K;
}

namespace {
/// Collects, for each virtual method, the methods that directly override
/// it: declarations of classes (template instantiations included), not
/// bodies (a class local to a function body is not seen).
class OverrideIndex : public RecursiveASTVisitor<OverrideIndex> {
public:
  using Map = llvm::DenseMap<const CXXMethodDecl *,
                             llvm::SmallVector<const CXXMethodDecl *, 2>>;
  explicit OverrideIndex(Map &Out) : Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseStmt(Stmt *, DataRecursionQueue * = nullptr) { return true; }
  bool VisitCXXMethodDecl(CXXMethodDecl *M) {
    if (M->isVirtual())
      for (const CXXMethodDecl *O : M->overridden_methods())
        Out[O->getCanonicalDecl()].push_back(M);
    return true;
  }

private:
  Map &Out;
};
} // namespace

ThrowKind ThrowModel::virtualKind(const CXXMethodDecl *M, const ASTContext &Ctx,
                                  unsigned Depth) {
  if (!Overrides) {
    Overrides.emplace();
    OverrideIndex(*Overrides)
        .TraverseDecl(const_cast<ASTContext &>(Ctx).getTranslationUnitDecl());
  }
  ThrowKind K = ThrowKind::None;
  bool Implemented = false;
  llvm::SmallVector<const CXXMethodDecl *, 8> Work{M};
  llvm::SmallPtrSet<const CXXMethodDecl *, 8> Seen;
  while (!Work.empty() && K != ThrowKind::User) {
    const CXXMethodDecl *Impl = Work.pop_back_val();
    if (!Seen.insert(Impl->getCanonicalDecl()).second)
      continue;
    if (!Impl->isPureVirtual()) {
      Implemented = true;
      K = maxKind(K, calleeKind(Impl, /*Virtual=*/false, Ctx, Depth));
    }
    if (auto It = Overrides->find(Impl->getCanonicalDecl());
        It != Overrides->end())
      llvm::append_range(Work, It->second);
  }
  return Implemented ? K : ThrowKind::User;
}

/// True if some handler of \p Try ends without rethrowing (has no throw
/// expression), so what the try block throws does not leave through it.
bool containsThrowExpr(const Stmt *Root) {
  return !walkOutsideLambdas(Root, LambdaBodies::Skip, [](const Stmt *S) {
    return !isa<CXXThrowExpr>(S);
  });
}

static bool hasSwallowingHandler(const CXXTryStmt &Try) {
  for (unsigned I = 0, N = Try.getNumHandlers(); I != N; ++I)
    if (!containsThrowExpr(Try.getHandler(I)->getHandlerBlock()))
      return true;
  return false;
}

/// Calls \p Visit with the statements of \p Body that may throw out of it
/// (lambda bodies aside, try blocks with a swallowing handler replaced by
/// their handlers), and with whether each is a throw of a logic_error,
/// until it returns false.
static void
forEachThrowingStmt(const Stmt *Body,
                    llvm::function_ref<bool(const Stmt *, bool)> Visit) {
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *Try = dyn_cast<CXXTryStmt>(S);
        Try && hasSwallowingHandler(*Try)) {
      // What the try block throws is caught; look at the handlers only.
      for (unsigned I = 0, N = Try->getNumHandlers(); I != N; ++I)
        Work.push_back(Try->getHandler(I));
      continue;
    }
    const auto *Throw = dyn_cast<CXXThrowExpr>(S);
    if (!Visit(S, Throw && reportsLogicError(Throw)))
      return;
    llvm::append_range(Work, S->children());
  }
}

ThrowKind ThrowModel::bodyKind(const Stmt *Body, const ASTContext &Ctx,
                               unsigned Depth) {
  ThrowKind K = ThrowKind::None;
  forEachThrowingStmt(Body, [&](const Stmt *S, bool LogicError) {
    // A callee that throws a logic_error reports its caller's broken
    // precondition, as an assertion does. (A throw statement of the
    // function under analysis stays a user exception: its author meant it
    // to reach the caller.)
    K = maxKind(K, LogicError ? ThrowKind::Assertion : classify(S, Ctx, Depth));
    return K != ThrowKind::User;
  });
  return K;
}

ThrowKind ThrowModel::tryBlockKind(const CXXTryStmt &Try,
                                   const ASTContext &Ctx) {
  return bodyKind(Try.getTryBlock(), Ctx, MaxNesting);
}

std::optional<ThrowKind> ThrowModel::handlerReach(const Stmt *S,
                                                  const ParentMap &PM,
                                                  const ASTContext &Ctx) {
  std::optional<ThrowKind> Least;
  for (unsigned Depth = 0; S && Depth != 256; ++Depth) {
    const Stmt *P = PM.getParent(S);
    if (!P || isa<LambdaExpr>(P))
      break;
    if (isa<CXXCatchStmt>(P))
      if (const auto *Try = dyn_cast_or_null<CXXTryStmt>(PM.getParent(P))) {
        ThrowKind K = tryBlockKind(*Try, Ctx);
        if (!Least || static_cast<uint8_t>(K) < static_cast<uint8_t>(*Least))
          Least = K;
      }
    S = P;
  }
  return Least;
}

/// True if \p Call may run an override of its callee.
static bool isVirtualCall(const CallExpr *Call) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  return M && M->isVirtual() && !M->hasAttr<FinalAttr>() &&
         !M->getParent()->hasAttr<FinalAttr>();
}

ThrowKind ThrowModel::classify(const Stmt *S, const ASTContext &Ctx) {
  return classify(S, Ctx, MaxNesting);
}

ThrowKind ThrowModel::classify(const Stmt *S, const ASTContext &Ctx,
                               unsigned Depth) {
  if (!S)
    return ThrowKind::None;
  ThrowKind K = ThrowKind::None;
  if (isa<CXXThrowExpr>(S)) {
    K = ThrowKind::User;
  } else if (const auto *NE = dyn_cast<CXXNewExpr>(S)) {
    // In a template never instantiated, operator new may be unresolved
    // (shouldNullCheckAllocation() would dereference it).
    K = NE->getOperatorNew() && NE->shouldNullCheckAllocation()
            ? ThrowKind::None
            : ThrowKind::Resource;
  } else if (const auto *CE = dyn_cast<CXXConstructExpr>(S)) {
    if (!isa<CXXInheritedCtorInitExpr>(S))
      K = calleeKind(CE->getConstructor(), /*Virtual=*/false, Ctx, Depth);
  } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
    if (isa<CUDAKernelCallExpr>(Call))
      return ThrowKind::None;
    K = calleeKind(Call->getDirectCallee(), isVirtualCall(Call), Ctx, Depth);
  } else {
    return ThrowKind::None;
  }
  if (K != ThrowKind::None &&
      inAssertionMacro(S->getBeginLoc(), Ctx.getSourceManager()))
    return ThrowKind::Assertion;
  return K;
}

bool ThrowModel::userExceptionTypes(const Stmt *S, const ASTContext &Ctx,
                                    llvm::SmallVectorImpl<QualType> &Out) {
  return userExceptionTypes(S, Ctx, Out, MaxNesting);
}

bool ThrowModel::userExceptionTypes(const Stmt *S, const ASTContext &Ctx,
                                    llvm::SmallVectorImpl<QualType> &Out,
                                    unsigned Depth) {
  if (classify(S, Ctx, Depth) != ThrowKind::User)
    return true;
  auto Add = [&](QualType T) {
    T = T.getCanonicalType().getUnqualifiedType();
    if (!llvm::is_contained(Out, T))
      Out.push_back(T);
  };
  if (const auto *Throw = dyn_cast<CXXThrowExpr>(S)) {
    const Expr *Thrown = Throw->getSubExpr();
    if (!Thrown || Thrown->getType()->isDependentType())
      return false; // a rethrow, or a dependent type: not known
    Add(Ctx.getExceptionObjectType(Thrown->getType()));
    return true;
  }
  const FunctionDecl *Callee = nullptr;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    Callee = CE->getConstructor();
  else if (const auto *Call = dyn_cast<CallExpr>(S);
           Call && !isVirtualCall(Call))
    Callee = Call->getDirectCallee();
  const FunctionDecl *Def = nullptr;
  if (!Callee || !Callee->hasBody(Def) || !Def->getBody() || Depth == 0)
    return false;
  std::optional<llvm::SmallVector<QualType, 2>> Types =
      bodyExceptionTypes(Def, Ctx, Depth - 1);
  if (!Types)
    return false;
  for (QualType T : *Types)
    Add(T);
  return true;
}

std::optional<llvm::SmallVector<QualType, 2>>
ThrowModel::bodyExceptionTypes(const FunctionDecl *Def, const ASTContext &Ctx,
                               unsigned Depth) {
  if (auto It = TypeCache.find(Def); It != TypeCache.end())
    return It->second; // optimistic on recursion
  TypeCache[Def].emplace();
  // The statements bodyKind() reads.
  llvm::SmallVector<const Stmt *, 4> Roots{Def->getBody()};
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      Roots.push_back(Init->getInit());
  std::optional<llvm::SmallVector<QualType, 2>> Types(std::in_place);
  for (const Stmt *Root : Roots)
    forEachThrowingStmt(Root, [&](const Stmt *S, bool LogicError) {
      if (!Types || LogicError || userExceptionTypes(S, Ctx, *Types, Depth))
        return bool(Types);
      Types.reset();
      return false;
    });
  TypeCache[Def] = Types;
  return Types;
}

/// True if the handler's pointer type \p Caught receives a thrown pointer
/// of type \p Thrown: the same pointee, a base class of it, or `void`.
static bool catchesPointer(QualType Caught, QualType Thrown,
                           const ASTContext &Ctx) {
  if (Thrown->isNullPtrType())
    return true;
  if (!Thrown->isPointerType())
    return false;
  QualType To = Caught->getPointeeType(), From = Thrown->getPointeeType();
  if ((To->isVoidType() && !From->isFunctionType()) ||
      Ctx.hasSameUnqualifiedType(To, From))
    return true;
  const CXXRecordDecl *Base = To->getAsCXXRecordDecl();
  const CXXRecordDecl *Derived = From->getAsCXXRecordDecl();
  return Base && Derived && Derived->hasDefinition() &&
         Derived->isDerivedFrom(Base);
}

bool ThrowModel::handlerCatches(const CXXCatchStmt &H, QualType T,
                                const ASTContext &Ctx) {
  if (!H.getExceptionDecl())
    return true; // catch (...)
  QualType Caught = H.getCaughtType().getNonReferenceType();
  if (Caught->isDependentType() || Ctx.hasSameUnqualifiedType(Caught, T))
    return true;
  const CXXRecordDecl *Base = Caught->getAsCXXRecordDecl();
  const CXXRecordDecl *Derived = T->getAsCXXRecordDecl();
  if (Base && Derived && Derived->hasDefinition() &&
      Derived->isDerivedFrom(Base))
    return true;
  return Caught->isPointerType() && catchesPointer(Caught, T, Ctx);
}

bool ThrowModel::catches(const CXXTryStmt &Try, QualType T,
                         const ASTContext &Ctx) {
  for (unsigned I = 0, N = Try.getNumHandlers(); I != N; ++I)
    if (handlerCatches(*Try.getHandler(I), T, Ctx))
      return true;
  return false;
}

/// A call of the standard library's (or the C library's) functions that end
/// the program: exit, quick_exit, _Exit, abort, terminate.
static bool endsProgram(const Stmt *S) {
  const auto *E = dyn_cast<Expr>(S);
  const auto *Call =
      E ? dyn_cast<CallExpr>(E->IgnoreImplicit()->IgnoreParenImpCasts())
        : nullptr;
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier())
    return false;
  if (!llvm::is_contained({"exit", "quick_exit", "_Exit", "abort", "terminate"},
                          FD->getName()))
    return false;
  return FD->isInStdNamespace() || FD->isExternC() ||
         FD->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

/// `return 1;`, `return EXIT_FAILURE;` from main: a non-zero constant.
static bool failingReturn(const ReturnStmt *R, bool InMain,
                          const ASTContext &Ctx) {
  const Expr *V = R->getRetValue();
  Expr::EvalResult Result;
  return InMain && V && !V->isValueDependent() &&
         V->EvaluateAsInt(Result, Ctx) && Result.Val.getInt() != 0;
}

/// True if the last statement of \p S ends the program with a failure on
/// every path through it.
static bool endsInFailure(const Stmt *S, bool InMain, const ASTContext &Ctx) {
  if (!S)
    return false;
  if (const auto *R = dyn_cast<ReturnStmt>(S))
    return failingReturn(R, InMain, Ctx);
  if (const auto *CS = dyn_cast<CompoundStmt>(S))
    return !CS->body_empty() && endsInFailure(CS->body_back(), InMain, Ctx);
  if (const auto *If = dyn_cast<IfStmt>(S))
    return If->getElse() && endsInFailure(If->getThen(), InMain, Ctx) &&
           endsInFailure(If->getElse(), InMain, Ctx);
  return endsProgram(S);
}

/// True if \p S has no other way out of the handler: every return fails,
/// nothing is thrown, no jump leaves it (\p Loops: the loops and switches
/// of the handler around \p S).
static bool noOtherExit(const Stmt *S, bool InMain, const ASTContext &Ctx,
                        unsigned Loops) {
  if (!S || isa<LambdaExpr>(S))
    return true;
  if (const auto *R = dyn_cast<ReturnStmt>(S))
    return failingReturn(R, InMain, Ctx);
  if (isa<CXXThrowExpr, GotoStmt, IndirectGotoStmt, CoreturnStmt>(S))
    return false;
  if (isa<BreakStmt, ContinueStmt>(S) && Loops == 0)
    return false;
  if (isLoopStmt(S) || isa<SwitchStmt>(S))
    ++Loops;
  for (const Stmt *C : S->children())
    if (!noOtherExit(C, InMain, Ctx, Loops))
      return false;
  return true;
}

bool ThrowModel::handlerEndsProgram(const CXXCatchStmt &H, bool InMain,
                                    const ASTContext &Ctx) {
  const Stmt *Body = H.getHandlerBlock();
  return endsInFailure(Body, InMain, Ctx) && noOtherExit(Body, InMain, Ctx, 0);
}

ThrowKind parseThrowPaths(llvm::StringRef Option) {
  if (Option == "all")
    return ThrowKind::Resource;
  if (Option == "none")
    return ThrowKind::None;
  return ThrowKind::User; // "user-exceptions"
}

llvm::StringRef throwPathsName(ThrowKind K) {
  switch (K) {
  case ThrowKind::Resource:
  case ThrowKind::Assertion:
    return "all";
  case ThrowKind::None:
    return "none";
  case ThrowKind::User:
    break;
  }
  return "user-exceptions";
}

} // namespace pitfall
