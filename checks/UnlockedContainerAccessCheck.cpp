//===--- UnlockedContainerAccessCheck.cpp - pitfall-unlocked-container-access
//===//
//
// Matching only collects facts (container accesses, thread starts, lambdas,
// calls of private helpers); the analysis runs once per translation unit in
// onEndOfTranslationUnit:
//
//  1. The lock-set analysis (Core/LockSet.h) runs over the CFG of each
//     function that accesses a container, and of the functions it needs for
//     context: the enclosing function of a lambda that does not escape (the
//     lambda runs with the locks held where it is created, e.g. a
//     condition-variable predicate) and the callers of a private helper (the
//     helper runs with the locks all its in-class callers hold).
//  2. Member rule: a data member written outside constructors and
//     destructors, some of whose accesses hold a mutex G (the one held most
//     often), is flagged where accessed without G (writes need G exclusively).
//  3. Thread rule: for each thread start, the accesses of the thread entry
//     to locals it captures by reference (and to globals, in the functions
//     it reaches) are compared with the accesses that run concurrently: the
//     spawning function's between the start and the first join, and other
//     thread entries started in that interval (or the entry itself when it
//     is started in a loop that does not join).
//
//===----------------------------------------------------------------------===//
#include "UnlockedContainerAccessCheck.h"
#include "CheckFactory.h"

#include "pitfall/Core/BodyIndex.h"
#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/LockAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace pitfall {

namespace {

/// One read or write of a container.
struct Access {
  const Expr *Ref;            ///< the DeclRefExpr or MemberExpr
  const ValueDecl *Container; ///< canonical VarDecl or FieldDecl
  const FunctionDecl *Fn;     ///< function or lambda call operator
  bool Write;
  bool ThisBased; ///< a member reached through `this`
  bool Analyzed = false;
  LockSet Locks;
};

/// One callable handed to another thread.
struct ThreadStart {
  EscapeSite Site;
  const FunctionDecl *Fn;     ///< where the start is
  const FunctionDecl *Entry;  ///< the callable's body, if known
  const LambdaExpr *Lambda;   ///< the callable, if a lambda
  const ValueDecl *Strand;    ///< an asio strand it is posted to
  const ValueDecl *IoContext; ///< an io_context it is posted to
};

struct FnInfo {
  llvm::SmallVector<unsigned, 4> Accesses;
  llvm::SmallVector<unsigned, 1> Starts;
  const LambdaExpr *Lambda = nullptr;   ///< if this is a lambda's operator()
  const FunctionDecl *Parent = nullptr; ///< the lambda's enclosing function
  llvm::SmallVector<const FunctionDecl *, 2> ChildLambdas;
  /// Calls of this (private) method through `this`: caller and call.
  llvm::SmallVector<std::pair<const FunctionDecl *, const Expr *>, 2> Callers;
  enum { NotYet, InProgress, Done } State = NotYet;
  int ConstructionOnly = -1; ///< -1 unknown, 0/1
};

/// Direct calls in a body (not in nested lambdas), and joins.
struct BodyCalls {
  llvm::SmallVector<std::pair<SourceLocation, const FunctionDecl *>, 8> Calls;
  llvm::SmallVector<SourceLocation, 4> Joins;
  /// Objects this body calls run()/poll() on (an io_context it drives).
  llvm::SmallVector<const ValueDecl *, 2> Driven;
};

bool isRunLike(llvm::StringRef N) {
  return llvm::StringSwitch<bool>(N)
      .Case("run", true)
      .Case("run_one", true)
      .Case("poll", true)
      .Case("poll_one", true)
      .Case("run_for", true)
      .Case("run_until", true)
      .Default(false);
}

bool isJoinLike(const CallExpr *C) {
  const FunctionDecl *FD = C->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  if (!isa<CXXMethodDecl>(FD))
    return N == "pthread_join";
  const auto *MC = dyn_cast<CXXMemberCallExpr>(C);
  if (!MC)
    return false;
  const CXXRecordDecl *RD = MC->getRecordDecl();
  llvm::StringRef Class =
      RD && RD->getIdentifier() ? RD->getName() : llvm::StringRef();
  if (Class.starts_with("condition_variable"))
    return false;
  if (N == "get")
    return Class == "future" || Class == "shared_future";
  return llvm::StringSwitch<bool>(N)
      .Case("join", true)
      .Case("wait", true)
      .Case("wait_for_tasks", true)
      .Case("wait_for_all", true)
      .Case("wait_all", true)
      .Case("run", true)
      .Case("run_one", true)
      .Case("poll", true)
      .Case("poll_one", true)
      .Case("join_all", true)
      .Default(false);
}

/// True if \p Body names \p D (used to avoid fix-its that could lock a
/// mutex the function may already hold).
class Mentions : public RecursiveASTVisitor<Mentions> {
public:
  explicit Mentions(const ValueDecl *D) : D(D) {}
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    Found |= E->getDecl()->getCanonicalDecl() == D;
    return !Found;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    Found |= E->getMemberDecl()->getCanonicalDecl() == D;
    return !Found;
  }
  const ValueDecl *D;
  bool Found = false;
};

class CallCollector : public RecursiveASTVisitor<CallCollector> {
public:
  CallCollector(const SourceManager &SM, BodyCalls &Out) : SM(SM), Out(Out) {}
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCallExpr(CallExpr *C) {
    if (isJoinLike(C))
      Out.Joins.push_back(C->getBeginLoc());
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
      if (const CXXMethodDecl *M = MC->getMethodDecl();
          M && M->getIdentifier() && isRunLike(M->getName()))
        if (const ValueDecl *Obj = mutexKey(MC->getImplicitObjectArgument()))
          Out.Driven.push_back(Obj);
    const FunctionDecl *FD = C->getDirectCallee();
    if (FD && FD->hasBody(FD) && !SM.isInSystemHeader(FD->getLocation()))
      Out.Calls.push_back({C->getBeginLoc(), FD});
    return true;
  }

private:
  const SourceManager &SM;
  BodyCalls &Out;
};

bool isSameOrDerived(const CXXRecordDecl *Class, const RecordDecl *Base) {
  if (Class == Base)
    return true;
  const auto *B = dyn_cast<CXXRecordDecl>(Base);
  return B && Class->hasDefinition() && Class->isDerivedFrom(B);
}

} // namespace

struct UnlockedContainerAccessCheck::Facts {
  ASTContext *Ctx = nullptr;
  /// Parents and enclosing functions of the user's code (no TU parent map).
  BodyIndex Bodies;
  std::vector<Access> Accesses;
  llvm::DenseMap<const Stmt *, unsigned> AccessAt;
  std::vector<ThreadStart> Starts;
  llvm::MapVector<const FunctionDecl *, FnInfo> Fns;
  llvm::DenseSet<const LambdaExpr *> EscapingLambdas;
  llvm::DenseSet<const FunctionDecl *> EntryFunctions;
  /// Locks held at lambda expressions and at calls of private helpers.
  llvm::DenseMap<const Stmt *, LockSet> LocksAt;
  llvm::DenseMap<const FunctionDecl *, BodyCalls> Calls;
  llvm::DenseSet<const Expr *> Warned;
};

UnlockedContainerAccessCheck::UnlockedContainerAccessCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      ContainerTypesOption(Options.get("ContainerTypes", "")),
      LockTypesOption(Options.get("LockTypes", DefaultLockTypes)),
      ThreadTypesOption(Options.get("ThreadTypes", DefaultThreadTypes)),
      EscapeFunctionsOption(
          Options.get("EscapeFunctions", DefaultEscapeFunctions)),
      Containers(ContainerTypesOption), Locks(LockTypesOption),
      Escapes(ThreadTypesOption, EscapeFunctionsOption),
      TU(std::make_unique<Facts>()) {
  StartNames.insert("async");
  StartNames.insert("emplace_back");
  StartNames.insert("emplace");
  for (const std::string &P : Escapes.escapeFunctions().patterns()) {
    llvm::StringRef Name(P);
    size_t Pos = Name.rfind("::");
    StartNames.insert(Pos == llvm::StringRef::npos ? Name
                                                   : Name.substr(Pos + 2));
  }
}

UnlockedContainerAccessCheck::~UnlockedContainerAccessCheck() = default;

void UnlockedContainerAccessCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContainerTypes", ContainerTypesOption);
  Options.store(Opts, "LockTypes", LockTypesOption);
  Options.store(Opts, "ThreadTypes", ThreadTypesOption);
  Options.store(Opts, "EscapeFunctions", EscapeFunctionsOption);
}

void UnlockedContainerAccessCheck::registerMatchers(MatchFinder *Finder) {
  // Only the user's functions are matched; their bodies are walked here
  // (forEachSpelledStmt). Matchers on DeclRefExpr, MemberExpr and calls
  // would be tried on every such node of every header, and forCallable()
  // would build the parent map of the whole translation unit.
  auto InUserCode = unless(isExpansionInSystemHeader());
  Finder->addMatcher(functionDecl(InUserCode, isDefinition()).bind("def"),
                     this);
  // A lambda at namespace scope is a function of its own.
  Finder->addMatcher(lambdaExpr(InUserCode).bind("lambda"), this);
}

void UnlockedContainerAccessCheck::onStartOfTranslationUnit() {
  TU = std::make_unique<Facts>();
}

static const FunctionDecl *entryFunctionOf(const Expr *Callable) {
  const Expr *E = ignoreWrappers(Callable);
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      return FD->getDefinition() ? FD->getDefinition() : FD;
  return nullptr;
}

/// The object a callable is posted to if it is an asio strand
/// (\p WantStrand) or an io_context (otherwise).
static const ValueDecl *executorOf(const EscapeSite &S, bool WantStrand) {
  if (S.Kind != EscapeKind::ExecutorCall)
    return nullptr;
  const auto *Call = cast<CallExpr>(S.Site);
  const Expr *Exec = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    Exec = MC->getImplicitObjectArgument();
  else if (Call->getNumArgs() > 1)
    Exec = Call->getArg(0);
  if (!Exec)
    return nullptr;
  const CXXRecordDecl *RD = recordOf(Exec->getType(), true);
  if (!RD || !RD->getIdentifier())
    return nullptr;
  llvm::StringRef Name = RD->getName();
  bool Match = WantStrand ? Name.contains("strand")
                          : Name == "io_context" || Name == "io_service";
  return Match ? mutexKey(Exec) : nullptr;
}

void UnlockedContainerAccessCheck::check(
    const MatchFinder::MatchResult &Result) {
  Facts &F = *TU;
  F.Ctx = Result.Context;
  const FunctionDecl *Def = Result.Nodes.getNodeAs<FunctionDecl>("def");
  if (const auto *L = Result.Nodes.getNodeAs<LambdaExpr>("lambda")) {
    if (L->getLambdaClass()->getDeclContext()->isFunctionOrMethod())
      return; // walked with its function
    F.Bodies.addLambda(L);
    Def = L->getCallOperator();
  } else {
    F.Bodies.addFunction(Def);
  }
  forEachSpelledStmt(
      Def, [&](const Stmt *S, const FunctionDecl *Fn) { collect(S, Fn); });
}

bool UnlockedContainerAccessCheck::isContainerRef(const Stmt *S) const {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    return VD && VD->getStorageDuration() != SD_Thread &&
           Containers.isContainerType(VD->getType());
  }
  if (const auto *ME = dyn_cast<MemberExpr>(S)) {
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    return FD && Containers.isContainerType(FD->getType());
  }
  return false;
}

bool UnlockedContainerAccessCheck::isThreadStart(const Stmt *S) const {
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    return CE->getNumArgs() >= 1 && !Escapes.escapes(CE).empty();
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *FD = Call->getDirectCallee();
    return FD && FD->getIdentifier() && StartNames.contains(FD->getName()) &&
           !Escapes.escapes(Call).empty();
  }
  return false;
}

void UnlockedContainerAccessCheck::collect(const Stmt *S,
                                           const FunctionDecl *Fn) {
  Facts &F = *TU;
  if (isContainerRef(S))
    collectAccess(cast<Expr>(S), Fn);
  if (isThreadStart(S))
    collectStart(cast<Expr>(S), Fn);
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    FnInfo &I = F.Fns[L->getCallOperator()];
    I.Lambda = L;
    I.Parent = Fn;
    F.Fns[Fn].ChildLambdas.push_back(L->getCallOperator());
  }
  if (const auto *Call = dyn_cast<CXXMemberCallExpr>(S))
    if (const CXXMethodDecl *M = Call->getMethodDecl(); M && !M->isVirtual())
      collectHelperCall(Call, Fn);
}

void UnlockedContainerAccessCheck::collectAccess(const Expr *Ref,
                                                 const FunctionDecl *Fn) {
  Facts &F = *TU;
  {
    const ValueDecl *D = nullptr;
    bool ThisBased = false;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Ref)) {
      D = DRE->getDecl();
      // A const container cannot be modified: sharing it is read-only.
      if (!D->getType()->isReferenceType() && D->getType().isConstQualified())
        return;
    } else {
      const auto *ME = cast<MemberExpr>(Ref);
      D = ME->getMemberDecl();
      ThisBased = isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts());
      if (!ThisBased)
        return; // other objects' members: no locking discipline to infer
    }
    ContainerAccess Kind = Containers.classifyUse(Ref, F.Bodies);
    if (Kind == ContainerAccess::None)
      return;
    unsigned Index = F.Accesses.size();
    F.Accesses.push_back({Ref, cast<ValueDecl>(D->getCanonicalDecl()), Fn,
                          Kind == ContainerAccess::Write, ThisBased});
    F.AccessAt[Ref] = Index;
    F.Fns[Fn].Accesses.push_back(Index);
  }
}

void UnlockedContainerAccessCheck::collectStart(const Expr *Start,
                                                const FunctionDecl *Fn) {
  Facts &F = *TU;
  {
    for (const EscapeSite &S : Escapes.escapes(Start)) {
      const LambdaExpr *L = lambdaBehind(S.Callable);
      const FunctionDecl *Entry =
          L ? L->getCallOperator() : entryFunctionOf(S.Callable);
      if (L)
        F.EscapingLambdas.insert(L);
      else if (Entry)
        F.EntryFunctions.insert(Entry);
      F.Fns[Fn].Starts.push_back(F.Starts.size());
      F.Starts.push_back(
          {S, Fn, Entry, L, executorOf(S, true), executorOf(S, false)});
    }
  }
}

void UnlockedContainerAccessCheck::collectHelperCall(
    const CXXMemberCallExpr *Call, const FunctionDecl *Fn) {
  Facts &F = *TU;
  {
    const Expr *Obj = Call->getImplicitObjectArgument();
    if (!Obj || !isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()))
      return;
    const CXXMethodDecl *M = Call->getMethodDecl();
    if (!M)
      return;
    const FunctionDecl *Def = M->getDefinition();
    if (!Def)
      return;
    F.Fns[Def].Callers.push_back({Fn, Call});
    F.Fns[Fn]; // the caller's CFG gives the call's locks
  }
}

//===----------------------------------------------------------------------===//
// The per-translation-unit analysis.
//===----------------------------------------------------------------------===//

namespace {

class Analysis {
public:
  Analysis(UnlockedContainerAccessCheck::Facts &F, FlowContext &Flow,
           const LockRecognizer &Locks, const EscapeRecognizer &Escapes,
           tidy::ClangTidyCheck &Check)
      : F(F), Ctx(*F.Ctx), SM(Ctx.getSourceManager()), Locks(Locks), LSA(Flow),
        Escapes(Escapes), Check(Check) {}

  void run() {
    for (unsigned I = 0, N = F.Fns.size(); I < N; ++I) {
      const FunctionDecl *Fn = F.Fns.begin()[I].first;
      if (!F.Fns.begin()[I].second.Accesses.empty())
        analyze(Fn);
    }
    memberRule();
    threadRule();
  }

private:
  // --- lock sets -----------------------------------------------------------

  bool isHelper(const FunctionDecl *Fn, const FnInfo &I) const {
    const auto *M = dyn_cast<CXXMethodDecl>(Fn);
    return M && !I.Lambda && M->getAccess() != AS_public && !M->isVirtual() &&
           !I.Callers.empty() && !F.EntryFunctions.count(Fn) &&
           !isa<CXXConstructorDecl, CXXDestructorDecl>(M);
  }

  /// The locks \p Fn runs with when it is entered.
  LockSet entryLocks(const FunctionDecl *Fn) {
    FnInfo &I = F.Fns[Fn];
    LockSet Entry;
    if (I.Lambda) {
      if (F.EscapingLambdas.count(I.Lambda) || !I.Parent)
        return Entry;
      analyze(I.Parent);
      auto It = F.LocksAt.find(I.Lambda);
      return It == F.LocksAt.end() ? Entry : It->second;
    }
    if (!isHelper(Fn, I))
      return Entry;
    bool First = true;
    auto Callers = I.Callers; // analyze() may grow F.Fns
    for (const auto &[Caller, Call] : Callers) {
      analyze(Caller);
      auto It = F.LocksAt.find(Call);
      LockSet AtCall = It == F.LocksAt.end() ? LockSet() : It->second;
      if (First)
        Entry = AtCall;
      else
        Entry.intersectWith(AtCall);
      First = false;
    }
    return Entry;
  }

  void analyze(const FunctionDecl *Fn) {
    if (F.Fns[Fn].State != FnInfo::NotYet)
      return;
    F.Fns[Fn].State = FnInfo::InProgress;
    LockSet Entry = entryLocks(Fn);
    const FunctionDecl *Def = Fn;
    if (!Def->hasBody(Def)) {
      F.Fns[Fn].State = FnInfo::Done;
      return;
    }
    LSA.run(Def, Entry, [&](const Stmt *S, const LockSet &Held) {
      if (isa<LambdaExpr, CXXMemberCallExpr>(S)) {
        F.LocksAt[S] = Held;
        return;
      }
      auto It = F.AccessAt.find(S);
      if (It == F.AccessAt.end())
        return;
      Access &A = F.Accesses[It->second];
      A.Locks = Held;
      A.Analyzed = true;
    });
    F.Fns[Fn].State = FnInfo::Done;
  }

  // --- contexts ------------------------------------------------------------

  /// The function whose thread runs \p Fn: climbs out of lambdas that do not
  /// escape.
  const FunctionDecl *threadRoot(const FunctionDecl *Fn) const {
    for (unsigned Depth = 0; Depth < 32; ++Depth) {
      auto It = F.Fns.find(Fn);
      if (It == F.Fns.end() || !It->second.Lambda || !It->second.Parent ||
          F.EscapingLambdas.count(It->second.Lambda))
        return Fn;
      Fn = It->second.Parent;
    }
    return Fn;
  }

  /// Constructors, destructors, and private helpers only called from them
  /// (through lambdas that do not escape).
  bool constructionOnly(const FunctionDecl *Fn, unsigned Depth = 0) {
    Fn = threadRoot(Fn);
    if (isa<CXXConstructorDecl, CXXDestructorDecl>(Fn))
      return true;
    auto It = F.Fns.find(Fn);
    if (It == F.Fns.end() || Depth > 8)
      return false;
    FnInfo &I = It->second;
    if (I.ConstructionOnly >= 0)
      return I.ConstructionOnly;
    if (!isHelper(Fn, I))
      return (I.ConstructionOnly = 0);
    I.ConstructionOnly = 0; // cycles are not construction-only
    auto Callers = I.Callers;
    bool All = llvm::all_of(Callers, [&](const auto &C) {
      return constructionOnly(C.first, Depth + 1);
    });
    F.Fns[Fn].ConstructionOnly = All;
    return All;
  }

  /// True if \p Fn (or a function it runs in place within) takes a lock
  /// guard by reference, `void f(std::unique_lock<std::mutex> &lock)`: by
  /// convention it runs with that lock held, whichever mutex it is.
  bool takesGuard(const FunctionDecl *Fn) const {
    for (unsigned Depth = 0; Fn && Depth < 32; ++Depth) {
      for (const ParmVarDecl *P : Fn->parameters())
        if (P->getType()->isReferenceType() && Locks.guardMode(P->getType()))
          return true;
      auto It = F.Fns.find(Fn);
      if (It == F.Fns.end() || !It->second.Lambda ||
          F.EscapingLambdas.count(It->second.Lambda))
        return false;
      Fn = It->second.Parent;
    }
    return false;
  }

  bool before(SourceLocation A, SourceLocation B) const {
    return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(A),
                                        SM.getExpansionLoc(B));
  }

  // --- reporting -----------------------------------------------------------

  /// The statement of a block that contains \p E, and that block.
  std::pair<const Stmt *, const CompoundStmt *>
  enclosingStatement(const Expr *E) {
    DynTypedNode N = DynTypedNode::create(*E);
    for (unsigned Depth = 0; Depth < 64; ++Depth) {
      DynTypedNode P = F.Bodies.parent(N);
      if (const auto *CS = P.get<CompoundStmt>())
        return {N.get<Stmt>(), CS};
      if (!P.get<Stmt>() || P.get<LambdaExpr>())
        return {};
      N = P;
    }
    return {};
  }

  /// A fix-it that takes \p Mutex around the statement of \p A, if safe.
  std::optional<std::vector<FixItHint>> lockFix(const Access &A,
                                                const ValueDecl *Mutex) {
    if (!A.Locks.empty() || !Mutex || !Mutex->getIdentifier())
      return std::nullopt;
    if (const auto *FD = dyn_cast<FieldDecl>(Mutex)) {
      const auto *M = dyn_cast<CXXMethodDecl>(A.Fn);
      if (!M || M->isStatic() || M->getParent()->isLambda() ||
          !isSameOrDerived(M->getParent(), FD->getParent()))
        return std::nullopt;
    } else if (const auto *VD = dyn_cast<VarDecl>(Mutex)) {
      if (VD->isLocalVarDeclOrParm()) {
        if (VD->getParentFunctionOrMethod() != A.Fn ||
            !before(VD->getLocation(), A.Ref->getBeginLoc()))
          return std::nullopt;
      } else if (!VD->getDeclContext()->Encloses(A.Fn->getDeclContext())) {
        return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
    Mentions M(Mutex);
    M.TraverseStmt(A.Fn->getBody());
    if (M.Found)
      return std::nullopt; // the function may hold it already
    // Nor if a method of the class calls it with the mutex held.
    auto Callers = F.Fns[A.Fn].Callers;
    for (const auto &[Caller, Call] : Callers) {
      analyze(Caller);
      auto It = F.LocksAt.find(Call);
      if (It == F.LocksAt.end() || It->second.holds(Mutex))
        return std::nullopt;
    }
    auto [S, Block] = enclosingStatement(A.Ref);
    if (!S || !Block)
      return std::nullopt;
    if (S->getBeginLoc().isMacroID() || S->getEndLoc().isMacroID())
      return std::nullopt;
    bool Last = Block->body_back() == S;
    if (!isa<Expr, ReturnStmt>(S) && !(Last && isa<DeclStmt>(S)))
      return std::nullopt;
    // If `lock` is taken in this block, the guard needs its own braces.
    if (Last)
      for (const Stmt *Other : Block->body())
        if (const auto *DS = dyn_cast<DeclStmt>(Other))
          for (const Decl *D : DS->decls())
            if (const auto *ND = dyn_cast<NamedDecl>(D);
                ND && ND->getIdentifier() && ND->getName() == "lock")
              Last = false;
    if (!Last && isa<DeclStmt>(S))
      return std::nullopt;

    const LangOptions &LO = Ctx.getLangOpts();
    bool SharedMutex = false;
    if (const CXXRecordDecl *RD = recordOf(Mutex->getType(), true))
      SharedMutex = RD->getIdentifier() && RD->getName().contains("shared");
    std::string Guard;
    if (LO.CPlusPlus17)
      Guard = !A.Write && SharedMutex ? "std::shared_lock lock("
                                      : "std::scoped_lock lock(";
    else
      Guard = "std::lock_guard<" +
              Mutex->getType()
                  .getNonReferenceType()
                  .getUnqualifiedType()
                  .getAsString(Ctx.getPrintingPolicy()) +
              "> lock(";
    Guard += Mutex->getName();
    Guard += "); ";
    std::vector<FixItHint> Fix;
    if (Last) {
      Fix.push_back(FixItHint::CreateInsertion(S->getBeginLoc(), Guard));
      return Fix;
    }
    SourceLocation AfterSemi = Lexer::findLocationAfterToken(
        S->getEndLoc(), tok::semi, SM, LO,
        /*SkipTrailingWhitespaceAndNewLine=*/false);
    if (AfterSemi.isInvalid())
      return std::nullopt;
    Fix.push_back(FixItHint::CreateInsertion(S->getBeginLoc(), "{ " + Guard));
    Fix.push_back(FixItHint::CreateInsertion(AfterSemi, " }"));
    return Fix;
  }

  void fixNote(const Access &A, const ValueDecl *Mutex) {
    if (std::optional<std::vector<FixItHint>> Fix = lockFix(A, Mutex))
      Check.diag(A.Ref->getBeginLoc(), "hold %0 for this statement",
                 DiagnosticIDs::Note)
          << Mutex << *Fix;
  }

  // --- member rule ---------------------------------------------------------

  void memberRule() {
    llvm::MapVector<const FieldDecl *, llvm::SmallVector<unsigned, 8>> ByField;
    for (unsigned I = 0, N = F.Accesses.size(); I < N; ++I) {
      const Access &A = F.Accesses[I];
      const auto *FD = dyn_cast<FieldDecl>(A.Container);
      if (!FD || !A.ThisBased || !A.Analyzed)
        continue;
      // A lambda that escapes from a method is still the class's code.
      const FunctionDecl *Outer = A.Fn;
      for (unsigned D = 0; D < 32; ++D) {
        auto It = F.Fns.find(Outer);
        if (It == F.Fns.end() || !It->second.Lambda || !It->second.Parent)
          break;
        Outer = It->second.Parent;
      }
      const auto *OuterM = dyn_cast<CXXMethodDecl>(Outer);
      if (!OuterM || !isSameOrDerived(OuterM->getParent(), FD->getParent()))
        continue;
      if (constructionOnly(A.Fn))
        continue;
      ByField[FD].push_back(I);
    }

    for (const auto &[FD, Indices] : ByField) {
      bool AnyWrite = llvm::any_of(
          Indices, [&](unsigned I) { return F.Accesses[I].Write; });
      if (!AnyWrite)
        continue; // read-only sharing
      llvm::MapVector<const ValueDecl *, unsigned> Count;
      for (unsigned I : Indices)
        for (const HeldLock &L : F.Accesses[I].Locks.locks())
          ++Count[L.Mutex];
      const ValueDecl *Guard = nullptr;
      unsigned Best = 0;
      for (const auto &[M, C] : Count)
        if (C > Best) {
          Guard = M;
          Best = C;
        }
      if (!Guard)
        continue; // no locking discipline to check against
      auto Protected = [&](const Access &A) {
        return A.Locks.holds(Guard, /*Exclusive=*/A.Write) || takesGuard(A.Fn);
      };
      // Evidence of a discipline: at least as many of the functions that
      // access the member hold the mutex as do not. A member mostly used
      // without it is confined to one thread (a worker's private queue
      // swapped with a shared one under the lock), not guarded.
      llvm::SmallPtrSet<const FunctionDecl *, 8> LockedFns, UnlockedFns;
      for (unsigned I : Indices) {
        const Access &A = F.Accesses[I];
        const FunctionDecl *Root = threadRoot(A.Fn);
        if (A.Locks.holds(Guard))
          LockedFns.insert(Root);
        if (!Protected(A))
          UnlockedFns.insert(Root);
      }
      if (UnlockedFns.empty() || LockedFns.size() < UnlockedFns.size())
        continue;
      for (unsigned I : Indices) {
        const Access &A = F.Accesses[I];
        if (Protected(A) || F.Warned.count(A.Ref))
          continue;
        // The access the warning is set against: a guarded write if any
        // (every access conflicts with a write), else a guarded read (only
        // for writes).
        const Access *Other = nullptr;
        for (unsigned J : Indices) {
          const Access &B = F.Accesses[J];
          if (!B.Locks.holds(Guard))
            continue;
          if (B.Write) {
            Other = &B;
            break;
          }
          if (A.Write && !Other)
            Other = &B;
        }
        if (!Other)
          continue;
        F.Warned.insert(A.Ref);
        Check.diag(A.Ref->getBeginLoc(),
                   "container %0 is %select{read|modified}1 without holding "
                   "%2, which guards its other accesses")
            << A.Container << A.Write << Guard;
        Check.diag(Other->Ref->getBeginLoc(),
                   "%0 is %select{read|modified}1 under %2 here",
                   DiagnosticIDs::Note)
            << Other->Container << Other->Write << Guard;
        fixNote(A, Guard);
      }
    }
  }

  // --- thread rule ---------------------------------------------------------

  const BodyCalls &callsOf(const FunctionDecl *Fn) {
    auto It = F.Calls.find(Fn);
    if (It != F.Calls.end())
      return It->second;
    BodyCalls &Out = F.Calls[Fn];
    const FunctionDecl *Def = Fn;
    if (Fn->hasBody(Def))
      if (Stmt *Body = Def->getBody())
        CallCollector(SM, Out).TraverseStmt(Body);
    return Out;
  }

  /// Adds \p Root, the lambdas it runs in place, and (if \p Callees) the
  /// functions they call, transitively, to \p Out.
  void reach(const FunctionDecl *Root, bool Callees,
             llvm::SmallPtrSetImpl<const FunctionDecl *> &Out) {
    llvm::SmallVector<const FunctionDecl *, 16> Work{Root};
    while (!Work.empty() && Out.size() < 512) {
      const FunctionDecl *Fn = Work.pop_back_val();
      if (!Out.insert(Fn).second)
        continue;
      auto It = F.Fns.find(Fn);
      if (It != F.Fns.end())
        for (const FunctionDecl *Child : It->second.ChildLambdas)
          if (!F.EscapingLambdas.count(F.Fns[Child].Lambda))
            Work.push_back(Child);
      if (Callees)
        for (const auto &[Loc, Callee] : callsOf(Fn).Calls)
          Work.push_back(Callee);
    }
  }

  bool isSharedVariable(const VarDecl *VD) const {
    return VD->hasGlobalStorage() && VD->getTLSKind() == VarDecl::TLS_None;
  }

  /// True if the thread \p T sees the local \p VD of its spawner (captured
  /// by reference).
  static bool capturesByReference(const LambdaExpr *L, const VarDecl *VD) {
    if (!L)
      return false;
    for (const LambdaCapture &C : L->captures())
      if (C.capturesVariable() && C.getCapturedVar() == VD)
        return C.getCaptureKind() == LCK_ByRef;
    return false;
  }

  /// The innermost loop around \p E within \p Fn's body.
  const Stmt *enclosingLoop(const Expr *E) {
    DynTypedNode N = DynTypedNode::create(*E);
    for (unsigned Depth = 0; Depth < 128; ++Depth) {
      N = F.Bodies.parent(N);
      if (N.getNodeKind().isNone() || N.get<LambdaExpr>() || N.get<Decl>())
        return nullptr;
      if (const auto *S = N.get<Stmt>())
        if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S))
          return S;
    }
    return nullptr;
  }

  /// The end of the scope of the variable \p E initialises, if it is one
  /// that joins on destruction (std::jthread, the future of std::async).
  SourceLocation joiningScopeEnd(const ThreadStart &T) {
    DynTypedNode N = DynTypedNode::create(*T.Site.Site);
    const VarDecl *Var = nullptr;
    if (T.Site.Kind == EscapeKind::ThreadConstructor &&
        isa<CXXMemberCallExpr>(T.Site.Site)) {
      // threads.emplace_back(...): the container of threads.
      if (const auto *VD = dyn_cast_or_null<VarDecl>(
              mutexKey(cast<CXXMemberCallExpr>(T.Site.Site)
                           ->getImplicitObjectArgument())))
        Var = VD;
    } else {
      for (unsigned Depth = 0; Depth < 8 && !Var; ++Depth) {
        N = F.Bodies.parent(N);
        if (const auto *VD = N.get<VarDecl>())
          Var = VD;
        else if (!N.get<Expr>())
          break;
      }
    }
    if (!Var || !Var->isLocalVarDecl())
      return {};
    // std::jthread, a container of them, or the future of std::async.
    bool Joins =
        T.Site.Kind == EscapeKind::Async ||
        Escapes.threads().isSelfJoiningThread(Var->getType()) ||
        Escapes.threads().isContainerOfSelfJoiningThreads(Var->getType());
    if (!Joins)
      return {};
    DynTypedNode DS = F.Bodies.parent(DynTypedNode::create(*Var));
    if (const auto *CS = F.Bodies.parent(DS).get<CompoundStmt>())
      return CS->getRBracLoc();
    return {};
  }

  /// True if the result of std::async is dropped (its temporary future
  /// waits at the end of the full expression).
  bool isDiscardedAsync(const ThreadStart &T) {
    if (T.Site.Kind != EscapeKind::Async)
      return false;
    DynTypedNode N = DynTypedNode::create(*T.Site.Site);
    for (unsigned Depth = 0; Depth < 8; ++Depth) {
      N = F.Bodies.parent(N);
      if (N.get<CompoundStmt>())
        return true;
      if (const auto *E = N.get<Expr>();
          E && isa<ExprWithCleanups, MaterializeTemporaryExpr,
                   CXXBindTemporaryExpr, ImplicitCastExpr, ParenExpr>(E))
        continue;
      return false;
    }
    return false;
  }

  struct Interval {
    SourceLocation Begin, End; ///< End invalid: the end of the function
    bool SelfConcurrent = false;
  };

  Interval intervalOf(const ThreadStart &T) {
    Interval I;
    I.Begin = T.Site.Site->getEndLoc();
    const BodyCalls &Calls = callsOf(T.Fn);
    for (SourceLocation J : Calls.Joins)
      if (before(T.Site.Site->getEndLoc(), J) &&
          (I.End.isInvalid() || before(J, I.End)))
        I.End = J;
    SourceLocation ScopeEnd = joiningScopeEnd(T);
    if (ScopeEnd.isValid() && (I.End.isInvalid() || before(ScopeEnd, I.End)))
      I.End = ScopeEnd;
    if (const Stmt *Loop = enclosingLoop(T.Site.Site)) {
      SourceLocation LoopEnd = Loop->getEndLoc();
      if (I.End.isInvalid() || before(LoopEnd, I.End)) {
        I.SelfConcurrent = !T.Strand;
        I.Begin = Loop->getBeginLoc();
      }
    }
    return I;
  }

  bool inInterval(SourceLocation L, const Interval &I) const {
    return before(I.Begin, L) && (I.End.isInvalid() || before(L, I.End));
  }

  /// Accesses the thread \p T makes to containers it shares with code that
  /// runs concurrently.
  void collectEntryAccesses(const ThreadStart &T,
                            llvm::SmallVectorImpl<unsigned> &Out) {
    llvm::SmallPtrSet<const FunctionDecl *, 16> Fns;
    if (T.Entry)
      reach(T.Entry, /*Callees=*/true, Fns);
    for (const FunctionDecl *Fn : Fns) {
      auto It = F.Fns.find(Fn);
      if (It == F.Fns.end())
        continue;
      bool Own = threadRoot(Fn) == T.Entry;
      for (unsigned I : It->second.Accesses) {
        const Access &A = F.Accesses[I];
        const auto *VD = dyn_cast<VarDecl>(A.Container);
        if (!VD || !A.Analyzed)
          continue;
        if (isSharedVariable(VD) || (Own && VD->isLocalVarDeclOrParm() &&
                                     VD->getParentFunctionOrMethod() == T.Fn &&
                                     capturesByReference(T.Lambda, VD)))
          Out.push_back(I);
      }
    }
  }

  void threadRule() {
    for (const ThreadStart &T : F.Starts) {
      if (!T.Entry || isDiscardedAsync(T))
        continue;
      llvm::SmallVector<unsigned, 8> Entry;
      collectEntryAccesses(T, Entry);
      if (Entry.empty())
        continue;
      Interval I = intervalOf(T);

      // Concurrent accesses: the spawner's in the interval (and what it
      // calls there), other threads started in the interval, and this
      // thread's own if it is started repeatedly.
      llvm::SmallVector<unsigned, 8> Other;
      llvm::SmallPtrSet<const FunctionDecl *, 16> Spawner;
      // A handler posted to an io_context the spawner runs itself runs on
      // the spawner's thread, inside run().
      if (!T.IoContext ||
          !llvm::is_contained(callsOf(T.Fn).Driven, T.IoContext))
        reach(T.Fn, /*Callees=*/false, Spawner);
      llvm::SmallPtrSet<const FunctionDecl *, 16> Called;
      for (const FunctionDecl *Fn : Spawner)
        for (const auto &[Loc, Callee] : callsOf(Fn).Calls)
          if (inInterval(Loc, I))
            reach(Callee, true, Called);
      auto AddSpawnerAccess = [&](const FunctionDecl *Fn, bool CheckLoc) {
        auto It = F.Fns.find(Fn);
        if (It == F.Fns.end())
          return;
        for (unsigned Idx : It->second.Accesses) {
          const Access &A = F.Accesses[Idx];
          const auto *VD = dyn_cast<VarDecl>(A.Container);
          if (!VD || !A.Analyzed)
            continue;
          if (CheckLoc && !inInterval(A.Ref->getBeginLoc(), I))
            continue;
          if (!CheckLoc && !isSharedVariable(VD))
            continue;
          Other.push_back(Idx);
        }
      };
      for (const FunctionDecl *Fn : Spawner)
        AddSpawnerAccess(Fn, /*CheckLoc=*/true);
      for (const FunctionDecl *Fn : Called)
        if (!Spawner.count(Fn))
          AddSpawnerAccess(Fn, /*CheckLoc=*/false);
      llvm::SmallVector<unsigned, 4> Siblings(F.Fns[T.Fn].Starts.begin(),
                                              F.Fns[T.Fn].Starts.end());
      for (unsigned Idx : Siblings) {
        const ThreadStart &T2 = F.Starts[Idx];
        bool Same = &T2 == &T;
        if (Same ? !I.SelfConcurrent
                 : !inInterval(T2.Site.Site->getBeginLoc(), I) ||
                       (T.Strand && T2.Strand == T.Strand))
          continue;
        if (!Same && (!T2.Entry || isDiscardedAsync(T2)))
          continue;
        if (Same)
          Other.append(Entry.begin(), Entry.end());
        else
          collectEntryAccesses(T2, Other);
      }
      reportRaces(T, Entry, Other);
    }
  }

  void reportRaces(const ThreadStart &T, llvm::ArrayRef<unsigned> Entry,
                   llvm::ArrayRef<unsigned> Other) {
    for (unsigned AI : Entry) {
      for (unsigned BI : Other) {
        const Access &A = F.Accesses[AI];
        const Access &B = F.Accesses[BI];
        if (A.Container != B.Container || (!A.Write && !B.Write))
          continue;
        if (LockSet::excludes(A.Locks, B.Locks))
          continue;
        // Warn where fewer locks are held; on a tie, in the spawner.
        bool WarnAtB = B.Locks.locks().size() < A.Locks.locks().size() ||
                       (B.Locks.locks().size() == A.Locks.locks().size() &&
                        threadRoot(B.Fn) == T.Fn);
        if (&A == &B)
          WarnAtB = true;
        const Access &W = WarnAtB ? B : A;
        const Access &C = WarnAtB ? A : B;
        if (F.Warned.count(W.Ref) || (&A != &B && F.Warned.count(C.Ref)))
          continue;
        F.Warned.insert(W.Ref);
        const ValueDecl *Lock = W.Locks.missingFrom(C.Locks);
        Check.diag(W.Ref->getBeginLoc(),
                   "container %0 is %select{read|modified}1 %select{without a "
                   "lock|without holding %3}2 while another thread "
                   "%select{reads|modifies}4 it")
            << W.Container << W.Write << (Lock != nullptr)
            << (Lock ? Lock : W.Container) << C.Write;
        if (&A == &B)
          Check.diag(T.Site.Site->getBeginLoc(),
                     "the thread is started in a loop and runs concurrently "
                     "with itself",
                     DiagnosticIDs::Note);
        else
          Check.diag(C.Ref->getBeginLoc(),
                     "conflicting %select{read|modification}0 on another "
                     "thread%select{| under %2}1",
                     DiagnosticIDs::Note)
              << C.Write << (Lock != nullptr) << (Lock ? Lock : C.Container);
        if (Lock)
          fixNote(W, Lock);
      }
    }
  }

  UnlockedContainerAccessCheck::Facts &F;
  ASTContext &Ctx;
  const SourceManager &SM;
  const LockRecognizer &Locks;
  LockSetAnalysis LSA;
  const EscapeRecognizer &Escapes;
  tidy::ClangTidyCheck &Check;
};

} // namespace

void UnlockedContainerAccessCheck::onEndOfTranslationUnit() {
  if (TU && TU->Ctx && !TU->Accesses.empty()) {
    FlowOptions Opts;
    Opts.LockTypes = LockTypesOption;
    Opts.ThreadTypes = ThreadTypesOption;
    Opts.EscapeFunctions = EscapeFunctionsOption;
    Analysis(*TU, FlowContext::get(*TU->Ctx, Opts), Locks, Escapes, *this)
        .run();
  }
  TU = std::make_unique<Facts>();
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(UnlockedContainerAccessCheck)
