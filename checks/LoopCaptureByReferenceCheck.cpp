//===--- LoopCaptureByReferenceCheck.cpp - pitfall-loop-capture-by-reference =//
//
// For each lambda in a loop that captures a loop-scoped variable by
// reference, the lambda's value is followed up the AST (through temporaries,
// std::function / std::bind / packaged_task wrappers, local variables and
// their uses) until it either stays in the iteration or leaves it: a thread
// that is not joined in the iteration, std::async whose future outlives it,
// an executor call whose result is not waited for, a store into an outer
// container / variable / member, new, or return.
//
//===----------------------------------------------------------------------===//
#include "LoopCaptureByReferenceCheck.h"
#include "CheckFactory.h"

#include "pitfall/Core/Lifetimes.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace pitfall {
namespace {

/// How a value leaves (or stays in) the loop iteration. The order of the
/// first entries matches the %select in the warning.
enum class Exit {
  Thread,   ///< runs on a thread that outlives the iteration
  Async,    ///< runs through std::async whose future outlives the iteration
  Executor, ///< handed to an executor function, result not waited for
  Stored,   ///< stored into a variable or container declared outside the loop
  Member,   ///< stored into a data member
  Heap,     ///< handed to a new-expression
  Returned, ///< returned from the function
  Detached, ///< (threads) detached
  Waited,   ///< (handles) joined or waited for within the iteration
  None,     ///< stays within the iteration
};

struct Flow {
  Exit How = Exit::None;
  const Stmt *At = nullptr;        ///< where the value leaves
  const NamedDecl *Into = nullptr; ///< executor function or storage
  /// For Thread / Async / Executor: how the thread or future leaves.
  Exit HandleHow = Exit::None;
  const Stmt *HandleAt = nullptr;
  const NamedDecl *HandleInto = nullptr;

  bool leaves() const { return How != Exit::None && How != Exit::Waited; }
};

/// What is being followed.
enum class Role {
  Closure,        ///< the lambda, or an object that holds it
  Thread,         ///< a thread running it
  Future,         ///< the future of std::async running it
  ExecutorResult, ///< what an executor function returned
};

constexpr unsigned MaxVariableHops = 4;

bool isCoroutineLambda(const Expr *E) {
  const auto *LE = dyn_cast<LambdaExpr>(E->IgnoreImplicit());
  return LE && isa_and_nonnull<CoroutineBodyStmt>(LE->getBody());
}

/// std functions whose result holds (a copy of) their argument.
bool isStdWrapperFunction(const FunctionDecl *FD) {
  if (!FD->isInStdNamespace() || !FD->getIdentifier())
    return false;
  static constexpr llvm::StringLiteral Wrappers[] = {
      "bind",        "bind_front",  "bind_back",     "move", "forward",
      "make_shared", "make_unique", "make_optional", "ref",  "cref"};
  return llvm::is_contained(Wrappers, FD->getName());
}

/// Expressions a value passes through unchanged (for our purpose).
bool isTransparent(const Stmt *S, const Stmt *Child) {
  if (isa<ParenExpr, ImplicitCastExpr, MaterializeTemporaryExpr,
          CXXBindTemporaryExpr, ExprWithCleanups, CXXFunctionalCastExpr,
          CXXStaticCastExpr, ConstantExpr, InitListExpr,
          CXXStdInitializerListExpr, ParenListExpr, CXXParenListInitExpr>(S))
    return true;
  if (const auto *CO = dyn_cast<AbstractConditionalOperator>(S))
    return Child != CO->getCond();
  return false;
}

/// Collects the references to one variable inside a statement.
class ReferenceCollector : public RecursiveASTVisitor<ReferenceCollector> {
public:
  explicit ReferenceCollector(const ValueDecl *V) : Var(V) {}
  bool shouldVisitImplicitCode() const { return true; }
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl() == Var)
      Refs.push_back(E);
    return true;
  }
  llvm::SmallVector<const DeclRefExpr *, 4> Refs;

private:
  const ValueDecl *Var;
};

/// Follows values relative to one loop.
class FlowTracker {
public:
  FlowTracker(const EscapeRecognizer &Escapes, const Stmt *Loop,
              const FunctionParents &Parents)
      : Escapes(Escapes), Loop(Loop), Parents(Parents) {}

  /// Where the value of \p E ends up.
  Flow follow(const Expr *E, Role R, unsigned Hops = 0);

private:
  Flow followUses(const VarDecl *V, Role R, unsigned Hops);
  Flow intoVariable(const VarDecl *V, const Stmt *At, Role R, unsigned Hops);
  Flow store(const Expr *Target, const Stmt *At, Role R, unsigned Hops,
             bool IsAssignment);
  Flow startHandle(Exit How, const Expr *Site, Role HandleRole,
                   const NamedDecl *Into, unsigned Hops);
  Flow onObject(const CXXMethodDecl *M, const Expr *Call, Role R);
  bool holdsThreads(QualType Container) const;

  const EscapeRecognizer &Escapes;
  const Stmt *Loop;
  const FunctionParents &Parents;
  /// Where the value held in a variable goes, per role; also breaks
  /// cycles (`a = b; b = a;`).
  llvm::DenseMap<std::pair<const VarDecl *, unsigned>, Flow> VarFlows;
};

Flow FlowTracker::onObject(const CXXMethodDecl *M, const Expr *Call, Role R) {
  if (!M || !M->getIdentifier())
    return {};
  StringRef Name = M->getName();
  switch (R) {
  case Role::Thread:
    if (Name == "join")
      return {Exit::Waited, Call};
    if (Name == "detach")
      return {Exit::Detached, Call};
    return {};
  case Role::Future:
  case Role::ExecutorResult:
    if (Name == "get" || Name == "wait" || Name == "join")
      return {Exit::Waited, Call};
    return {};
  case Role::Closure:
    return {};
  }
  return {};
}

Flow FlowTracker::follow(const Expr *E, Role R, unsigned Hops) {
  const Stmt *Child = E;
  for (const Stmt *S = Parents.parent(E); S; Child = S, S = Parents.parent(S)) {
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      // Child initialises one of the declared variables.
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D); V && V->getInit() == Child)
          return intoVariable(V, Child, R, Hops);
      return {};
    }
    if (isTransparent(S, Child))
      continue;
    if (const auto *Outer = dyn_cast<LambdaExpr>(S)) {
      // Child initialises a capture: the enclosing closure now holds it.
      if (Child == Outer->getBody())
        return {};
      R = Role::Closure;
      continue;
    }
    if (isa<CXXNewExpr>(S))
      return {Exit::Heap, S};
    if (isa<ReturnStmt>(S) || isa<CoreturnStmt>(S))
      return {Exit::Returned, S};
    if (isa<CoawaitExpr>(S) || isa<DependentCoawaitExpr>(S))
      return {Exit::Waited, S};
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isAssignmentOp() && BO->getRHS() == Child)
        return store(BO->getLHS(), BO, R, Hops, /*IsAssignment=*/true);
      return {};
    }
    if (const auto *ME = dyn_cast<MemberExpr>(S)) {
      // Child is the object of a member access: t.join(), fut.get().
      const auto *Call =
          dyn_cast_or_null<CXXMemberCallExpr>(Parents.parent(ME));
      if (ME->getBase() != Child || !Call || Call->getCallee() != ME)
        return {};
      return onObject(dyn_cast<CXXMethodDecl>(ME->getMemberDecl()), Call, R);
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S)) {
      if (R == Role::Closure && Escapes.threads().startedCallable(CE))
        return startHandle(Exit::Thread, CE, Role::Thread, nullptr, Hops);
      // std::function, packaged_task, a user's task type, copies and moves:
      // the constructed object holds the value.
      continue;
    }
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      return {};
    const FunctionDecl *FD = Call->getDirectCallee();
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
        Op && isa_and_nonnull<CXXMethodDecl>(FD) && Op->getNumArgs() > 0 &&
        Op->getArg(0) == Child) {
      // The value is the object of a member operator.
      if (Op->getOperator() == OO_Call && R == Role::Closure &&
          isCoroutineLambda(Op->getArg(0))) {
        // The coroutine frame keeps referring to the captures.
        continue;
      }
      return {};
    }
    if (Call->getCallee() == Child || !FD)
      return {};
    if (R == Role::Closure)
      for (const EscapeSite &Site : Escapes.escapes(Call))
        if (Site.Kind == EscapeKind::Async)
          return startHandle(Exit::Async, Call, Role::Future, nullptr, Hops);
    if (Escapes.isEscapeFunction(FD))
      return startHandle(Exit::Executor, Call, Role::ExecutorResult, FD, Hops);
    if (const auto *M = dyn_cast<CXXMethodDecl>(FD)) {
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
        if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
          return store(Op->getArg(0), Op, R, Hops, /*IsAssignment=*/true);
        return {};
      }
      const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
      if (MC && M->getIdentifier() && isStoringMemberName(M->getName()))
        return store(MC->getImplicitObjectArgument(), Call, R, Hops,
                     /*IsAssignment=*/false);
      return {};
    }
    if (isStdWrapperFunction(FD))
      continue;
    return {}; // a synchronous call: std::for_each, std::sort, user code
  }
  return {};
}

Flow FlowTracker::startHandle(Exit How, const Expr *Site, Role HandleRole,
                              const NamedDecl *Into, unsigned Hops) {
  Flow Handle = follow(Site, HandleRole, Hops);
  // An executor's task leaves unless its result is waited for; a thread or
  // std::async (whose future blocks on destruction) only if the thread or
  // future outlives the iteration.
  if (How == Exit::Executor ? Handle.How == Exit::Waited : !Handle.leaves())
    return {};
  Flow F{How, Site, Into};
  if (Handle.leaves()) {
    F.HandleHow = Handle.How;
    F.HandleAt = Handle.At;
    F.HandleInto = Handle.Into;
  }
  return F;
}

Flow FlowTracker::intoVariable(const VarDecl *V, const Stmt *At, Role R,
                               unsigned Hops) {
  if (!V->hasLocalStorage())
    return {Exit::Stored, At, V};
  // `for (auto &f : futures) f.wait();`: the hidden __range variable of a
  // range-for hands the elements to the loop variable.
  if (const DeclStmt *DS = Parents.declStmtOf(V))
    if (const auto *RF = dyn_cast_or_null<CXXForRangeStmt>(Parents.parent(DS));
        RF && RF->getRangeStmt() == DS)
      return RF->getLoopVariable()
                 ? followUses(RF->getLoopVariable(), R, Hops + 1)
                 : Flow();
  return followUses(V, R, Hops + 1);
}

Flow FlowTracker::followUses(const VarDecl *V, Role R, unsigned Hops) {
  if (Hops > MaxVariableHops)
    return {};
  auto [It, Inserted] =
      VarFlows.try_emplace({V, static_cast<unsigned>(R)}, Flow());
  if (!Inserted)
    return It->second;
  ReferenceCollector Collector(V);
  Collector.TraverseStmt(const_cast<Stmt *>(Loop));
  Flow Result;
  for (const DeclRefExpr *Ref : Collector.Refs) {
    Flow F = follow(Ref, R, Hops);
    if (F.leaves()) {
      Result = F;
      break;
    }
    if (F.How == Exit::Waited)
      Result = F;
  }
  VarFlows[{V, static_cast<unsigned>(R)}] = Result;
  return Result;
}

bool FlowTracker::holdsThreads(QualType Container) const {
  const auto *Spec =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(recordOf(Container));
  if (!Spec)
    return false;
  const TemplateArgumentList &Args = Spec->getTemplateArgs();
  return Args.size() > 0 && Args[0].getKind() == TemplateArgument::Type &&
         Escapes.threads().isAnyThread(Args[0].getAsType());
}

Flow FlowTracker::store(const Expr *Target, const Stmt *At, Role R,
                        unsigned Hops, bool IsAssignment) {
  const Expr *T = Target;
  const ValueDecl *Base = nullptr;
  while (T && !Base) {
    T = T->IgnoreParenImpCasts();
    if (const auto *ME = dyn_cast<MemberExpr>(T)) {
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        return {Exit::Member, At, ME->getMemberDecl()};
      T = ME->getBase();
    } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(T)) {
      T = AS->getBase();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(T);
               Op && Op->getNumArgs() > 0 &&
               (Op->getOperator() == OO_Subscript ||
                Op->getOperator() == OO_Arrow ||
                Op->getOperator() == OO_Star)) {
      T = Op->getArg(0);
    } else if (const auto *UO = dyn_cast<UnaryOperator>(T);
               UO && UO->getOpcode() == UO_Deref) {
      T = UO->getSubExpr();
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(T)) {
      T = MC->getImplicitObjectArgument(); // queues.at(k).push(...)
    } else if (const auto *DRE = dyn_cast<DeclRefExpr>(T)) {
      Base = DRE->getDecl();
    } else {
      return {};
    }
  }
  const auto *V = dyn_cast_or_null<VarDecl>(Base);
  if (!V)
    return {};
  if (!refersToLongLivedObject(V) && isDeclaredWithin(V, Loop, Parents))
    return followUses(V, R, Hops + 1);
  // An outer thread or future joined or waited for in the same iteration
  // (`t = std::thread(...); ...; t.join();`) does not outlive it.
  if (IsAssignment && R != Role::Closure && !V->getType()->isReferenceType() &&
      followUses(V, R, Hops + 1).How == Exit::Waited)
    return {};
  if (!IsAssignment && R == Role::Closure) {
    // threads.emplace_back([&] {...}): the lambda runs on a thread that the
    // outer container keeps.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(At);
        MC && holdsThreads(MC->getImplicitObjectArgument()->getType())) {
      Flow F{Exit::Thread, At};
      F.HandleHow = Exit::Stored;
      F.HandleAt = At;
      F.HandleInto = V;
      return F;
    }
  }
  return {Exit::Stored, At, V};
}

/// The plain name of \p D (no template arguments), empty for null.
DeclarationName nameOf(const NamedDecl *D) {
  return D ? D->getDeclName() : DeclarationName();
}

/// A loop-scoped variable captured by reference.
struct Candidate {
  const LambdaCapture *Capture;
  const ValueDecl *Var;
  LoopScope Scope;
};

/// The first statement in \p Scope that writes \p Var: assignment,
/// increment, a non-const member call, binding to a non-const reference
/// parameter, or taking its address. (Not ExprMutationAnalyzer: it counts a
/// by-reference capture as a write, and it builds the TU-wide parent map.)
const Stmt *firstWrite(const ValueDecl *Var, const Stmt &Scope,
                       ASTContext &Ctx) {
  auto Ref = ignoringParenImpCasts(declRefExpr(to(valueDecl(equalsNode(Var)))));
  auto NonConstRef = referenceType(pointee(unless(isConstQualified())));
  auto Write = stmt(anyOf(
      unaryOperator(hasAnyOperatorName("++", "--", "&"), hasUnaryOperand(Ref)),
      binaryOperator(isAssignmentOperator(), hasLHS(Ref)),
      cxxOperatorCallExpr(
          hasAnyOverloadedOperatorName("++", "--", "=", "+=", "-=", "*=", "/="),
          hasArgument(0, Ref)),
      cxxMemberCallExpr(on(Ref), callee(cxxMethodDecl(unless(isConst())))),
      callExpr(
          forEachArgumentWithParam(Ref, parmVarDecl(hasType(NonConstRef))))));
  auto Found = match(stmt(forEachDescendant(Write.bind("write"))), Scope, Ctx);
  return Found.empty() ? nullptr : Found.front().getNodeAs<Stmt>("write");
}

/// Which lifetime the warning describes: 0 shared and written by the
/// iterations, 1 one iteration, 2 shared but never written in the loop
/// (`for (auto it = b, end = e; ...)`: `end` only dangles).
unsigned lifetimeSelect(const Candidate &Cand, ASTContext &Ctx) {
  if (Cand.Scope.Kind == LoopVarKind::PerIteration)
    return 1;
  return firstWrite(Cand.Var, *Cand.Scope.Loop, Ctx) ? 0 : 2;
}

/// Location of the '&' written before an explicit by-reference capture, or
/// invalid if it cannot be found by skipping blanks.
SourceLocation ampersandBefore(SourceLocation NameLoc,
                               const SourceManager &SM) {
  bool Invalid = false;
  const char *Name = SM.getCharacterData(NameLoc, &Invalid);
  if (Invalid)
    return {};
  std::pair<FileID, unsigned> Decomposed = SM.getDecomposedLoc(NameLoc);
  for (unsigned Back = 1; Back <= Decomposed.second; ++Back) {
    char C = *(Name - Back);
    if (C == '&')
      return NameLoc.getLocWithOffset(-static_cast<int>(Back));
    if (C != ' ' && C != '\t' && C != '\n' && C != '\r')
      return {};
  }
  return {};
}

/// Location of the ',' before \p Loc, skipping blanks, or invalid.
SourceLocation commaBefore(SourceLocation Loc, const SourceManager &SM) {
  bool Invalid = false;
  const char *P = SM.getCharacterData(Loc, &Invalid);
  if (Invalid)
    return {};
  std::pair<FileID, unsigned> Decomposed = SM.getDecomposedLoc(Loc);
  for (unsigned Back = 1; Back <= Decomposed.second; ++Back) {
    char C = *(P - Back);
    if (C == ',')
      return Loc.getLocWithOffset(-static_cast<int>(Back));
    if (C != ' ' && C != '\t' && C != '\n' && C != '\r')
      return {};
  }
  return {};
}

AST_MATCHER(LambdaExpr, capturesSomethingByReference) {
  for (const LambdaCapture &C : Node.captures())
    if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
      return true;
  return false;
}

} // namespace

LoopCaptureByReferenceCheck::LoopCaptureByReferenceCheck(
    StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      ThreadTypesOption(Options.get("ThreadTypes", DefaultThreadTypes)),
      EscapeFunctionsOption(
          Options.get("EscapeFunctions", DefaultEscapeFunctions)),
      Escapes(ThreadTypesOption, EscapeFunctionsOption) {}

void LoopCaptureByReferenceCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ThreadTypes", ThreadTypesOption);
  Options.store(Opts, "EscapeFunctions", EscapeFunctionsOption);
}

void LoopCaptureByReferenceCheck::registerMatchers(MatchFinder *Finder) {
  // No hasAncestor(): it would build the TU-wide parent map. Parent links
  // are built per function, only for functions with such a lambda.
  Finder->addMatcher(lambdaExpr(unless(isExpansionInSystemHeader()),
                                capturesSomethingByReference())
                         .bind("lambda"),
                     this);
}

void LoopCaptureByReferenceCheck::check(
    const MatchFinder::MatchResult &Result) {
  const auto *LE = Result.Nodes.getNodeAs<LambdaExpr>("lambda");
  ASTContext &Ctx = *Result.Context;
  const SourceManager &SM = *Result.SourceManager;

  const FunctionDecl *Function = enclosingFunction(LE);
  if (!Function || !Function->getBody())
    return;
  std::unique_ptr<FunctionParents> &Parents =
      ParentsOfFunction[Function->getBody()];
  if (!Parents)
    Parents = std::make_unique<FunctionParents>(Function->getBody());

  llvm::SmallVector<Candidate, 4> Candidates;
  for (const LambdaCapture &C : LE->captures()) {
    if (!C.capturesVariable() || C.getCaptureKind() != LCK_ByRef)
      continue;
    if (Reported.contains({LE->getBeginLoc().getRawEncoding(),
                           C.getLocation().getRawEncoding()}))
      continue;
    if (std::optional<LoopScope> S = loopScopeOf(C.getCapturedVar(), *Parents))
      Candidates.push_back({&C, C.getCapturedVar(), *S});
  }
  if (Candidates.empty())
    return;

  // One escape analysis per owning loop (nested loops may own different
  // captured variables).
  llvm::SmallVector<std::pair<const Stmt *, Flow>, 2> Flows;
  auto FlowFor = [&](const Stmt *Loop) -> Flow {
    for (const auto &[L, F] : Flows)
      if (L == Loop)
        return F;
    FlowTracker Tracker(Escapes, Loop, *Parents);
    Flows.emplace_back(Loop, Tracker.follow(LE, Role::Closure));
    return Flows.back().second;
  };

  const bool LambdaInMacro = LE->getBeginLoc().isMacroID();
  // Implicitly captured variables are fixed together by one insertion after
  // the capture default: `[&]` -> `[&, a, b]`.
  llvm::SmallString<32> ImplicitCopies;
  const LambdaCapture *FirstImplicit = nullptr;
  struct Finding {
    const Candidate *Cand;
    Flow F;
    bool Fixable;
  };
  llvm::SmallVector<Finding, 4> Findings;

  for (const Candidate &Cand : Candidates) {
    const Flow F = FlowFor(Cand.Scope.Loop);
    if (!F.leaves())
      continue;
    bool Fixable = !LambdaInMacro && !Cand.Capture->getLocation().isMacroID() &&
                   !Cand.Capture->isPackExpansion() &&
                   isCopyConstructible(Cand.Var->getType());
    if (Fixable)
      Fixable = !firstWrite(Cand.Var, *LE->getBody(), Ctx);
    if (Fixable && Cand.Capture->isImplicit()) {
      if (!FirstImplicit)
        FirstImplicit = Cand.Capture;
      ImplicitCopies += ", ";
      ImplicitCopies += Cand.Var->getName();
    }
    Findings.push_back({&Cand, F, Fixable});
  }

  for (const Finding &Fd : Findings) {
    const Candidate &Cand = *Fd.Cand;
    const Flow &F = Fd.F;
    const LambdaCapture &C = *Cand.Capture;
    Reported.insert(
        {LE->getBeginLoc().getRawEncoding(), C.getLocation().getRawEncoding()});
    {
      DiagnosticBuilder D =
          diag(C.getLocation(),
               "%0 is captured by reference in a lambda that "
               "%select{runs on a thread|runs through std::async|is passed to "
               "%3|is stored in %3|is stored in member %3|is stored on the "
               "heap|is returned}2; %select{the loop variable is shared by all "
               "iterations (data race, stale value)|it is destroyed at the end "
               "of the iteration (dangling reference)|it is destroyed when the "
               "loop ends (dangling reference)}1")
          << Cand.Var << lifetimeSelect(Cand, Ctx) << static_cast<int>(F.How)
          << nameOf(F.Into);
      if (Fd.Fixable && !C.isImplicit()) {
        SourceLocation Amp = ampersandBefore(C.getLocation(), SM);
        SourceLocation NameEnd =
            Lexer::getLocForEndOfToken(C.getLocation(), 0, SM, getLangOpts());
        if (Amp.isValid() && LE->getCaptureDefault() == LCD_ByCopy) {
          // [=, &i] -> [=]: an explicit copy capture is redundant with '='.
          SourceLocation Comma = commaBefore(Amp, SM);
          if (Comma.isValid() && NameEnd.isValid())
            D << FixItHint::CreateRemoval(
                CharSourceRange::getCharRange(Comma, NameEnd));
        } else if (Amp.isValid()) {
          D << FixItHint::CreateRemoval(
              CharSourceRange::getCharRange(Amp, Amp.getLocWithOffset(1)));
        }
      } else if (&C == FirstImplicit && LE->getCaptureDefaultLoc().isValid() &&
                 !LE->getCaptureDefaultLoc().isMacroID()) {
        D << FixItHint::CreateInsertion(
            LE->getCaptureDefaultLoc().getLocWithOffset(1), ImplicitCopies);
      }
    }
    if (!Fd.Fixable && !LambdaInMacro) {
      if (!isCopyConstructible(Cand.Var->getType())) {
        diag(Cand.Var->getLocation(),
             "%0 is not copyable: move it into the lambda with an "
             "init-capture or keep it alive until the lambda has run",
             DiagnosticIDs::Note)
            << Cand.Var;
      } else if (const Stmt *Mut = firstWrite(Cand.Var, *LE->getBody(), Ctx)) {
        diag(Mut->getBeginLoc(),
             "%0 is modified in the lambda: no fix-it, decide whether each "
             "task needs its own copy or state that outlives the loop",
             DiagnosticIDs::Note)
            << Cand.Var;
      }
    }
    diag(F.At->getBeginLoc(),
         "%select{thread started|std::async called|passed to %1|stored|stored|"
         "allocated|returned}0 here",
         DiagnosticIDs::Note)
        << static_cast<int>(F.How) << nameOf(F.Into);
    if (F.HandleAt)
      diag(F.HandleAt->getBeginLoc(),
           "the %select{thread|future|task's result}0 %select{||is passed to "
           "%2|is stored in %2|is stored in member %2|is stored on the heap|"
           "is returned|is detached}1 here, beyond the iteration",
           DiagnosticIDs::Note)
          << static_cast<int>(F.How) << static_cast<int>(F.HandleHow)
          << nameOf(F.HandleInto);
  }
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(LoopCaptureByReferenceCheck)
