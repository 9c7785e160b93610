//===--- UncancellableTaskCheck.cpp - pitfall-uncancellable-task ----------===//
#include "UncancellableTaskCheck.h"
#include "CheckFactory.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/AST/TypeLoc.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace pitfall {

namespace {

/// Where a started std::thread lives; only threads nobody joins in the
/// current scope are reported.
enum class ThreadHome { Scoped, Detached, LongLived };

/// Skips the implicit nodes between a thread's construction and the
/// construct that uses it.
DynTypedNode parentSkippingImplicit(const DynTypedNode &N,
                                    const BodyIndex &Bodies) {
  DynTypedNode Cur = N;
  while (true) {
    Cur = Bodies.parent(Cur);
    const auto *E = Cur.get<Expr>();
    if (E &&
        (isa<MaterializeTemporaryExpr, CXXBindTemporaryExpr, ImplicitCastExpr,
             ExprWithCleanups, ParenExpr, CXXFunctionalCastExpr>(E) ||
         (isa<CXXConstructExpr>(E) &&
          cast<CXXConstructExpr>(E)->getConstructor() &&
          cast<CXXConstructExpr>(E)
              ->getConstructor()
              ->isCopyOrMoveConstructor())))
      continue;
    return Cur;
  }
}

bool isDetachOf(const Stmt *S, const VarDecl *V) {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
  if (!MC || classifyThreadMemberCall(MC) != ThreadOp::Detach)
    return false;
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(
      MC->getImplicitObjectArgument()->IgnoreParenImpCasts());
  return DRE && DRE->getDecl() == V;
}

bool bodyDetaches(const Stmt *Body, const VarDecl *V) {
  if (!Body)
    return false;
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (isDetachOf(S, V))
      return true;
    for (const Stmt *C : S->children())
      if (C && !isa<LambdaExpr>(C))
        Work.push_back(C);
  }
  return false;
}

/// True if \p E names a data member or a variable with static storage.
bool isLongLivedObject(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return isa<FieldDecl>(ME->getMemberDecl());
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
      return V->hasGlobalStorage();
  return false;
}

bool isContainerInsert(const CXXMemberCallExpr *MC) {
  const CXXMethodDecl *M = MC->getMethodDecl();
  if (!M || !M->getIdentifier())
    return false;
  llvm::StringRef N = M->getName();
  return N == "emplace_back" || N == "push_back" || N == "emplace" ||
         N == "emplace_front" || N == "push_front" || N == "insert";
}

ThreadHome classifyHome(const CXXConstructExpr *CE, const BodyIndex &Bodies) {
  DynTypedNode P = parentSkippingImplicit(DynTypedNode::create(*CE), Bodies);
  if (P.get<MemberExpr>()) {
    DynTypedNode Call = parentSkippingImplicit(P, Bodies);
    if (const auto *MC = Call.get<CXXMemberCallExpr>())
      if (classifyThreadMemberCall(MC) == ThreadOp::Detach)
        return ThreadHome::Detached;
    return ThreadHome::Scoped;
  }
  if (const auto *V = P.get<VarDecl>()) {
    if (V->hasGlobalStorage())
      return ThreadHome::LongLived;
    const FunctionDecl *FD = Bodies.callableOf(CE);
    return FD && bodyDetaches(FD->getBody(), V) ? ThreadHome::Detached
                                                : ThreadHome::Scoped;
  }
  if (const auto *Init = P.get<CXXCtorInitializer>())
    return Init->isMemberInitializer() ? ThreadHome::LongLived
                                       : ThreadHome::Scoped;
  // Some traversal modes give the constructor, not its initializer, as the
  // parent of a member initializer's expression.
  if (const auto *Ctor = P.get<CXXConstructorDecl>()) {
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isMemberInitializer() && Init->getInit() &&
          ignoreWrappers(Init->getInit()) == ignoreWrappers(CE))
        return ThreadHome::LongLived;
    return ThreadHome::Scoped;
  }
  if (P.get<CXXNewExpr>())
    return ThreadHome::LongLived;
  if (const auto *Op = P.get<CXXOperatorCallExpr>()) {
    if (Op->getOperator() != OO_Equal || Op->getNumArgs() != 2)
      return ThreadHome::Scoped;
    const Expr *LHS = Op->getArg(0);
    if (isLongLivedObject(LHS))
      return ThreadHome::LongLived;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(LHS->IgnoreParenImpCasts()))
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
        if (const FunctionDecl *FD = Bodies.callableOf(CE);
            FD && bodyDetaches(FD->getBody(), V))
          return ThreadHome::Detached;
    return ThreadHome::Scoped;
  }
  if (const auto *MC = P.get<CXXMemberCallExpr>())
    if (isContainerInsert(MC) &&
        isLongLivedObject(MC->getImplicitObjectArgument()))
      return ThreadHome::LongLived;
  return ThreadHome::Scoped;
}

/// The function a thread or async callable runs, if its body is in the TU.
const FunctionDecl *calledFunction(const Expr *Callable) {
  if (const LambdaExpr *L = lambdaBehind(Callable))
    return L->getCallOperator();
  const Expr *E = ignoreWrappers(Callable);
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParens();
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E);
  if (!DRE)
    return nullptr;
  const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl());
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  return FD->hasBody(Def) ? Def : nullptr;
}

/// A body that only forwards to one function defined in the TU
/// (`[this] { run(); }`): the function to look at instead.
const FunctionDecl *forwardedFunction(const Stmt *Body) {
  const auto *CS = dyn_cast_or_null<CompoundStmt>(Body);
  if (!CS || CS->size() != 1)
    return nullptr;
  const auto *E = dyn_cast<Expr>(CS->body_front());
  // ExprWithCleanups: a by-value stop_token argument is a temporary.
  const auto *Call = E ? dyn_cast<CallExpr>(E->IgnoreImplicit()) : nullptr;
  if (!Call)
    return nullptr;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return nullptr;
  if (const auto *M = dyn_cast<CXXMethodDecl>(Callee); M && M->isVirtual())
    return nullptr;
  const FunctionDecl *Def = nullptr;
  return Callee->hasBody(Def) ? Def : nullptr;
}

bool containsCoyield(const Stmt *S) {
  llvm::SmallVector<const Stmt *, 32> Work{S};
  while (!Work.empty()) {
    const Stmt *Cur = Work.pop_back_val();
    if (isa<CoyieldExpr>(Cur))
      return true;
    for (const Stmt *C : Cur->children())
      if (C && !isa<LambdaExpr>(C))
        Work.push_back(C);
  }
  return false;
}

/// True if the async launch policy argument \p Policy has the async bit.
bool isAsyncPolicy(const Expr *Policy, const ASTContext &Ctx) {
  if (!Policy || Policy->isValueDependent())
    return false;
  const auto *ET = Policy->getType()->getAs<EnumType>();
  if (!ET || !ET->getDecl()->getIdentifier() ||
      ET->getDecl()->getName() != "launch" ||
      !ET->getDecl()->isInStdNamespace())
    return false;
  Expr::EvalResult R;
  if (!Policy->EvaluateAsRValue(R, Ctx) || !R.Val.isInt())
    return false;
  // std::launch::async is the lowest bit in libstdc++ and libc++.
  return R.Val.getInt().getZExtValue() & 1U;
}

/// The source range of a loop's header, `while (...)` or `for (...)`, if it
/// can be replaced; otherwise invalid.
CharSourceRange loopHeaderRange(const Stmt *Loop) {
  SourceLocation Begin, End;
  if (const auto *W = dyn_cast<WhileStmt>(Loop)) {
    Begin = W->getWhileLoc();
    End = W->getRParenLoc();
  } else if (const auto *F = dyn_cast<ForStmt>(Loop)) {
    if (F->getInit() || F->getInc() || F->getConditionVariable())
      return {};
    Begin = F->getForLoc();
    End = F->getRParenLoc();
  } else {
    return {};
  }
  if (Begin.isInvalid() || End.isInvalid() || Begin.isMacroID() ||
      End.isMacroID())
    return {};
  return CharSourceRange::getTokenRange(Begin, End);
}

const FieldDecl *memberOfThis(const MemberExpr *ME) {
  if (!isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  return dyn_cast<FieldDecl>(ME->getMemberDecl());
}

/// The bool field or global a loop condition tests: `flag`, `!flag`,
/// `this->flag`.
const Expr *flagRead(const Expr *Cond, const ValueDecl *&Flag) {
  if (!Cond)
    return nullptr;
  const Expr *E = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_LNot)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    Flag = memberOfThis(ME);
    return Flag ? ME : nullptr;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
    Flag = V && V->hasGlobalStorage() && !V->isLocalVarDecl() ? V : nullptr;
    return Flag ? DRE : nullptr;
  }
  return nullptr;
}

const Expr *loopCondition(const Stmt *Loop) {
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    return W->getCond();
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    return F->getCond();
  if (const auto *D = dyn_cast<DoStmt>(Loop))
    return D->getCond();
  return nullptr;
}

bool writesFlag(const Stmt *S, const ValueDecl *Flag) {
  llvm::SmallVector<const Stmt *, 32> Work{S};
  while (!Work.empty()) {
    const Stmt *Cur = Work.pop_back_val();
    if (const auto *BO = dyn_cast<BinaryOperator>(Cur);
        BO && BO->isAssignmentOp()) {
      const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
      if (const auto *ME = dyn_cast<MemberExpr>(L);
          ME && ME->getMemberDecl() == Flag)
        return true;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(L);
          DRE && DRE->getDecl() == Flag)
        return true;
    }
    for (const Stmt *C : Cur->children())
      if (C)
        Work.push_back(C);
  }
  return false;
}

/// The parameter of a std::jthread callable \p FD that receives the
/// thread's stop_token: std::jthread passes it first when the callable is
/// invocable with it and the \p NumExtraArgs other arguments.
const ParmVarDecl *jthreadTokenParam(const FunctionDecl *FD,
                                     unsigned NumExtraArgs) {
  if (FD->getNumParams() != NumExtraArgs + 1)
    return nullptr;
  const ParmVarDecl *First = FD->getParamDecl(0);
  if (stopTokenParam(FD) == First)
    return First;
  // A generic lambda, `[](auto token) { ... }`.
  QualType T = First->getType().getNonReferenceType();
  return T->getAs<TemplateTypeParmType>() ? First : nullptr;
}

unsigned explicitArgCount(const CXXConstructExpr *C) {
  unsigned N = 0;
  for (const Expr *A : C->arguments())
    N += !isa<CXXDefaultArgExpr>(A);
  return N;
}

} // namespace

UncancellableTaskCheck::UncancellableTaskCheck(llvm::StringRef Name,
                                               tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      CancellationChecksOption(
          Options.get("CancellationChecks", DefaultCancellationChecks)),
      ThreadTypesOption(Options.get("ThreadTypes", DefaultThreadTypes)),
      Cancel(CancellationChecksOption), Escapes(ThreadTypesOption),
      Inserter(Options.getLocalOrGlobal("IncludeStyle",
                                        tidy::utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()) {}

void UncancellableTaskCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "CancellationChecks", CancellationChecksOption);
  Options.store(Opts, "ThreadTypes", ThreadTypesOption);
  Options.store(Opts, "IncludeStyle", Inserter.getStyle());
}

void UncancellableTaskCheck::registerPPCallbacks(const SourceManager &,
                                                 Preprocessor *PP,
                                                 Preprocessor *) {
  Inserter.registerPreprocessor(PP);
}

void UncancellableTaskCheck::registerMatchers(MatchFinder *Finder) {
  // Only the user's functions are matched; check() walks their bodies
  // (forEachSpelledStmt). Matchers on constructions, calls and assignments
  // would be tried on every such node of every header.
  auto UserCode = unless(isExpansionInSystemHeader());
  Finder->addMatcher(functionDecl(UserCode, isDefinition()).bind("def"), this);
  // Threads started by initialisers outside functions: members
  // (`std::jthread worker{[this] { ... }};`) and globals (lambdas at
  // namespace scope included).
  Finder->addMatcher(
      fieldDecl(UserCode, hasInClassInitializer(expr())).bind("field"), this);
  Finder->addMatcher(
      varDecl(UserCode, hasGlobalStorage(), hasInitializer(expr())).bind("var"),
      this);
}

/// A plain bool stop flag: a bool field, or a bool variable of static
/// storage, read or written through \p E.
static bool isBoolFlagRef(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  const ValueDecl *D = nullptr;
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    D = dyn_cast<FieldDecl>(ME->getMemberDecl());
  else if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->hasGlobalStorage())
      D = VD;
  return D && D->getType()->isBooleanType();
}

/// `flag` or `!flag` as a loop condition.
static bool isFlagCondition(const Expr *Cond) {
  if (!Cond)
    return false;
  const Expr *E = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_LNot)
    E = UO->getSubExpr();
  return isBoolFlagRef(E);
}

static bool isStdAsync(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  return FD && FD->getIdentifier() && FD->getName() == "async" &&
         FD->isInStdNamespace();
}

static bool isEmplace(const CXXMemberCallExpr *MC) {
  const CXXMethodDecl *M = MC->getMethodDecl();
  if (MC->getNumArgs() == 0 || !M || !M->getIdentifier())
    return false;
  llvm::StringRef N = M->getName();
  return N == "emplace_back" || N == "emplace" || N == "emplace_front";
}

void UncancellableTaskCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  TUContext = &Ctx;
  auto Visit = [&](const Stmt *S, const FunctionDecl *Fn) {
    visit(S, Fn, Ctx);
  };
  if (const auto *Field = Result.Nodes.getNodeAs<FieldDecl>("field")) {
    Bodies.addInitializer(Field);
    forEachSpelledStmt(Field->getInClassInitializer(), Visit);
    return;
  }
  if (const auto *Var = Result.Nodes.getNodeAs<VarDecl>("var")) {
    if (Var->isLocalVarDeclOrParm())
      return; // a static local: walked with its function
    Bodies.addInitializer(Var);
    forEachSpelledStmt(Var->getInit(), Visit);
    return;
  }
  const auto *Def = Result.Nodes.getNodeAs<FunctionDecl>("def");
  if (!Def)
    return;
  Bodies.addFunction(Def);
  // A coroutine, named or a lambda.
  if (isa_and_nonnull<CoroutineBodyStmt>(Def->getBody()))
    analyzeTask({TaskKind::Coroutine, nullptr, Def, stopTokenParam(Def)}, Ctx);
  forEachSpelledStmt(Def, Visit);
}

void UncancellableTaskCheck::visit(const Stmt *S, const FunctionDecl *Fn,
                                   ASTContext &Ctx) {
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S)) {
    if (CE->getNumArgs() != 0 && Escapes.threads().isAnyThread(CE->getType()))
      checkThreadStart(CE, Ctx);
    return;
  }

  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    if (isEmplace(MC))
      checkEmplace(MC, Ctx);
    return;
  }

  if (const auto *Call = dyn_cast<CallExpr>(S); Call && isStdAsync(Call)) {
    SawConcurrency = true;
    if (Call->getNumArgs() < 2 || !isAsyncPolicy(Call->getArg(0), Ctx))
      return;
    for (const EscapeSite &Site : Escapes.escapes(Call))
      if (const FunctionDecl *FD = calledFunction(Site.Callable))
        analyzeTask({TaskKind::Async, Call, FD, nullptr}, Ctx);
    return;
  }
  visitFlagUse(S, Fn, Ctx);
}

void UncancellableTaskCheck::checkEmplace(const CXXMemberCallExpr *MC,
                                          ASTContext &Ctx) {
  {
    const ThreadTypes &TT = Escapes.threads();
    const Expr *Callable = TT.emplacedCallable(MC);
    if (!Callable)
      return;
    SawConcurrency = true;
    // A thread constructed in place is matched as a thread start.
    if (TT.isAnyThread(ignoreWrappers(Callable)->getType()) ||
        !isCallableArgument(Callable))
      return;
    const FunctionDecl *FD = calledFunction(Callable);
    if (!FD)
      return;
    const Expr *Obj = MC->getImplicitObjectArgument();
    QualType ContainerType = Obj->getType();
    if (ContainerType->isPointerType())
      ContainerType = ContainerType->getPointeeType();
    // Arguments after the callable (and after emplace's position).
    const unsigned Extra = static_cast<unsigned>(
        MC->getNumArgs() -
        (std::find(MC->arg_begin(), MC->arg_end(), Callable) -
         MC->arg_begin()) -
        1);
    if (TT.isContainerOfSelfJoiningThreads(ContainerType))
      analyzeTask({TaskKind::JThread, MC, FD, jthreadTokenParam(FD, Extra)},
                  Ctx);
    else if (isLongLivedObject(Obj))
      analyzeTask({TaskKind::Thread, MC, FD, nullptr}, Ctx);
  }
}

void UncancellableTaskCheck::visitFlagUse(const Stmt *S, const FunctionDecl *Fn,
                                          ASTContext &Ctx) {
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    const CXXMethodDecl *Op = L->getCallOperator();
    if (Op && isa_and_nonnull<CoroutineBodyStmt>(Op->getBody()))
      analyzeTask({TaskKind::Coroutine, nullptr, Op, stopTokenParam(Op)}, Ctx);
    return;
  }

  if (isa<WhileStmt, DoStmt, ForStmt>(S) && isFlagCondition(loopCondition(S))) {
    const Stmt *Loop = S;
    const ValueDecl *Flag = nullptr;
    const Expr *Read = flagRead(loopCondition(Loop), Flag);
    if (!Read || !Flag ||
        Ctx.getSourceManager().isInSystemHeader(Flag->getLocation()))
      return;
    // A read under a lock (the loop or its function locks), or a loop that
    // sets the flag itself, is not the cross-thread stop-flag pattern.
    if (!Fn || acquiresLock(Fn->getBody()) || writesFlag(Loop, Flag))
      return;
    FlagLoops.push_back({Loop, Read, Flag, Fn});
    return;
  }
  if (const auto *W = dyn_cast<BinaryOperator>(S);
      W && W->isAssignmentOp() && isBoolFlagRef(W->getLHS())) {
    const Expr *L = W->getLHS()->IgnoreParenImpCasts();
    const ValueDecl *Flag = nullptr;
    if (const auto *ME = dyn_cast<MemberExpr>(L))
      Flag = ME->getMemberDecl();
    else if (const auto *DRE = dyn_cast<DeclRefExpr>(L))
      Flag = DRE->getDecl();
    // Constructors run before the object is shared.
    if (!Flag || !Fn || isa<CXXConstructorDecl>(Fn))
      return;
    FlagWrites[Flag].push_back({W, Fn});
    return;
  }
}

void UncancellableTaskCheck::checkThreadStart(const CXXConstructExpr *CE,
                                              ASTContext &Ctx) {
  const Expr *Callable = Escapes.threads().startedCallable(CE);
  if (!Callable)
    return;
  SawConcurrency = true;
  const FunctionDecl *FD = calledFunction(Callable);
  if (!FD)
    return;
  if (Escapes.threads().isSelfJoiningThread(CE->getType())) {
    // std::jthread passes its stop_token as the first argument when the
    // callable accepts one.
    analyzeTask({TaskKind::JThread, CE, FD,
                 jthreadTokenParam(FD, explicitArgCount(CE) - 1)},
                Ctx);
    return;
  }
  if (classifyHome(CE, Bodies) == ThreadHome::Scoped)
    return;
  analyzeTask({TaskKind::Thread, CE, FD, nullptr}, Ctx);
}

void UncancellableTaskCheck::analyzeTask(const Task &T, ASTContext &Ctx) {
  const Stmt *Body = T.Fn->getBody();
  if (!Body)
    return;
  if (const auto *CB = dyn_cast<CoroutineBodyStmt>(Body))
    Body = CB->getBody();
  // `[this] { run(); }`: the loop is in run().
  if (T.Kind != TaskKind::Coroutine)
    if (const FunctionDecl *Fwd = forwardedFunction(Body)) {
      if (Ctx.getSourceManager().isInSystemHeader(Fwd->getLocation()))
        return;
      Task Inner = T;
      Inner.Fn = Fwd;
      // `[](std::stop_token st) { run(st); }`: run's own parameter.
      Inner.Token = T.Token ? stopTokenParam(Fwd) : nullptr;
      Body = Fwd->getBody();
      analyzeLoops(Inner, Body, Ctx);
      return;
    }
  analyzeLoops(T, Body, Ctx);
}

void UncancellableTaskCheck::analyzeLoops(const Task &T, const Stmt *Body,
                                          ASTContext &Ctx) {
  // The stop_token is "read" if the body names it anywhere.
  const bool TokenRead =
      T.Token && CancellationRecognizer::references(Body, T.Token);
  const bool HasStopCallback =
      T.Kind == TaskKind::JThread && constructsStopCallback(Body);
  bool ReportedIgnoredToken = false;

  // Pre-order over the loops of the body, outside nested lambdas; a loop
  // reported as endless hides the loops inside it.
  llvm::SmallVector<const Stmt *, 16> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (isLoopStmt(S)) {
      if (ReportedLoops.contains(S))
        continue;
      const bool Consults = Cancel.consults(S);
      // A generator is stopped by destroying it; awaited asio I/O throws
      // out of the loop when the peer goes away.
      const bool EndsOtherwise = T.Kind == TaskKind::Coroutine &&
                                 (containsCoyield(S) || awaitsFallibleIo(S));
      if (!Consults && !EndsOtherwise && isEndlessLoop(S, T.Fn, Ctx)) {
        reportEndless(T, S);
        continue;
      }
      if (T.Kind == TaskKind::JThread && T.Token) {
        if (!TokenRead && !ReportedIgnoredToken && !Consults &&
            !isBoundedLoop(S)) {
          ReportedIgnoredToken = true;
          ReportedLoops.insert(S);
          diag(S->getBeginLoc(), "std::jthread callable never reads its "
                                 "std::stop_token; request_stop() cannot "
                                 "end this loop");
          if (T.Token->getIdentifier())
            diag(T.Token->getLocation(),
                 "test stop_requested() on %0 in the loop condition",
                 DiagnosticIDs::Note)
                << T.Token;
          else
            diag(T.Token->getLocation(),
                 "name the std::stop_token parameter and test "
                 "stop_requested() in the loop condition",
                 DiagnosticIDs::Note);
          continue;
        }
        if (!HasStopCallback && CancellationRecognizer::references(S, T.Token))
          if (const CallExpr *Wait = findUnwakeableWait(S);
              Wait && ReportedWaits.insert(Wait).second) {
            diag(Wait->getExprLoc(),
                 "this wait cannot be woken by a stop request; the "
                 "std::jthread's destructor will block while it waits");
            diag(Wait->getExprLoc(),
                 "use std::condition_variable_any::wait with the "
                 "std::stop_token, or register a std::stop_callback that "
                 "notifies",
                 DiagnosticIDs::Note);
          }
      }
    }
    for (const Stmt *C : S->children())
      if (C && !isa<LambdaExpr>(C))
        Work.push_back(C);
  }
}

void UncancellableTaskCheck::reportEndless(const Task &T, const Stmt *Loop) {
  if (!ReportedLoops.insert(Loop).second)
    return;
  llvm::StringRef Msg;
  switch (T.Kind) {
  case TaskKind::Coroutine:
    Msg = "coroutine loop can never end and never checks a cancellation "
          "source";
    break;
  case TaskKind::JThread:
    Msg = T.Token ? "std::jthread loop can never end and never checks its "
                    "std::stop_token; the jthread's destructor will block "
                    "forever"
                  : "std::jthread loop can never end; the jthread's "
                    "destructor will block forever";
    break;
  case TaskKind::Thread:
    Msg = "thread loop can never end; the thread is detached or long-lived "
          "and can never be stopped or joined";
    break;
  case TaskKind::Async:
    Msg = "std::async task loops forever; the destructor of its future "
          "will block forever";
    break;
  }

  // The fix: test the stop_token in scope in the loop condition.
  std::optional<FixItHint> Fix;
  if (T.Token && T.Token->getIdentifier()) {
    std::string Test = ("!" + T.Token->getName() + ".stop_requested()").str();
    if (const auto *D = dyn_cast<DoStmt>(Loop)) {
      const Expr *Cond = D->getCond();
      if (Cond && !Cond->getBeginLoc().isMacroID() &&
          !Cond->getEndLoc().isMacroID())
        Fix = FixItHint::CreateReplacement(Cond->getSourceRange(), Test);
    } else if (CharSourceRange R = loopHeaderRange(Loop); R.isValid()) {
      Fix = FixItHint::CreateReplacement(R, "while (" + Test + ")");
    }
  }
  {
    auto D = diag(Loop->getBeginLoc(), Msg);
    if (Fix)
      D << *Fix;
  }
  if (T.Site)
    diag(T.Site->getBeginLoc(), "task started here", DiagnosticIDs::Note);
  if (Fix)
    return;
  switch (T.Kind) {
  case TaskKind::Coroutine:
    diag(Loop->getBeginLoc(),
         "take a std::stop_token or check the cancellation state (asio: "
         "co_await this_coro::cancellation_state) and leave the loop when "
         "cancelled",
         DiagnosticIDs::Note);
    break;
  case TaskKind::JThread:
    diag(Loop->getBeginLoc(),
         "take a std::stop_token as the first parameter and test "
         "stop_requested() in the loop condition",
         DiagnosticIDs::Note);
    break;
  case TaskKind::Thread:
  case TaskKind::Async:
    diag(Loop->getBeginLoc(),
         "give the loop an exit: a std::stop_token (with std::jthread) or an "
         "atomic flag tested in the condition",
         DiagnosticIDs::Note);
    break;
  }
}

void UncancellableTaskCheck::onEndOfTranslationUnit() {
  if (SawConcurrency && TUContext) {
    const SourceManager &SM = TUContext->getSourceManager();
    llvm::DenseSet<const ValueDecl *> Fixed;
    for (const FlagLoop &L : FlagLoops) {
      auto It = FlagWrites.find(L.Flag);
      if (It == FlagWrites.end())
        continue;
      const FlagWrite *Other = nullptr;
      for (const FlagWrite &W : It->second)
        if (W.Fn != L.Fn) {
          Other = &W;
          break;
        }
      if (!Other)
        continue;

      const bool Volatile = L.Flag->getType().isVolatileQualified();
      std::optional<FixItHint> TypeFix, IncludeFix;
      const auto *DD = dyn_cast<DeclaratorDecl>(L.Flag);
      // A variable with other declarations (`extern bool flag;` in a
      // header) would need them all changed: note only.
      const auto *VD = dyn_cast<VarDecl>(L.Flag);
      const bool SingleDecl =
          !VD || (VD->isThisDeclarationADefinition() == VarDecl::Definition &&
                  std::distance(VD->redecls_begin(), VD->redecls_end()) == 1);
      if (!Volatile && DD && SingleDecl && DD->getTypeSourceInfo() &&
          !Fixed.contains(L.Flag)) {
        TypeLoc TL = DD->getTypeSourceInfo()->getTypeLoc();
        SourceRange R = TL.getSourceRange();
        if (TL.getAs<BuiltinTypeLoc>() && R.isValid() &&
            !R.getBegin().isMacroID() && !R.getEnd().isMacroID()) {
          TypeFix = FixItHint::CreateReplacement(R, "std::atomic<bool>");
          IncludeFix = Inserter.createIncludeInsertion(
              SM.getFileID(R.getBegin()), "<atomic>");
          Fixed.insert(L.Flag);
        }
      }
      {
        auto D = diag(L.Read->getExprLoc(),
                      "loop condition reads plain bool %0, which another "
                      "function writes: a data race, and the read may be "
                      "hoisted out of the loop so that it never ends")
                 << L.Flag;
        if (TypeFix) {
          D << *TypeFix;
          if (IncludeFix)
            D << *IncludeFix;
        }
      }
      diag(Other->Write->getExprLoc(), "%0 is written here",
           DiagnosticIDs::Note)
          << L.Flag;
      if (Volatile)
        diag(L.Flag->getLocation(),
             "volatile does not make %0 safe to share between threads; "
             "declare it std::atomic<bool>",
             DiagnosticIDs::Note)
            << L.Flag;
      else if (!TypeFix && !Fixed.contains(L.Flag))
        diag(L.Flag->getLocation(), "declare %0 as std::atomic<bool>",
             DiagnosticIDs::Note)
            << L.Flag;
    }
  }
  ReportedLoops.clear();
  ReportedWaits.clear();
  FlagWrites.clear();
  FlagLoops.clear();
  SawConcurrency = false;
  TUContext = nullptr;
  Bodies.clear();
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(UncancellableTaskCheck)
