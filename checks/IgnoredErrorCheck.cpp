//===--- IgnoredErrorCheck.cpp - pitfall-ignored-error --------------------===//
//
// Two hazards, one check:
//  1. a call whose value carries an error is used as a statement (the error
//     is discarded on the spot);
//  2. an error stored into a local variable (by initialisation, assignment
//     or an error out-parameter such as `fs::remove(p, ec)`) is never read
//     before it is overwritten or the variable dies. This is a backward
//     liveness analysis over the CFG of the functions that contain such a
//     store, restricted to the variables those stores write.
//
//===----------------------------------------------------------------------===//
#include "IgnoredErrorCheck.h"
#include "CheckFactory.h"
#include "pitfall/Core/BodyIndex.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/DiagnosticSema.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace pitfall {

namespace {

/// The expression under implicit nodes and parentheses (ExprWithCleanups,
/// temporaries, implicit casts), whatever the traversal mode shows.
const Expr *stripWrappers(const Expr *E) {
  while (true) {
    const Expr *Next = E->IgnoreImplicit();
    if (const auto *Paren = dyn_cast<ParenExpr>(Next))
      Next = Paren->getSubExpr();
    if (Next == E)
      return E;
    E = Next;
  }
}

/// How a function or macro name reads: as checking that its argument throws
/// (assert_throws, EXPECT_THROW, BOOST_CHECK_THROW, REQUIRE_THROWS_AS), as
/// checking that it does not (EXPECT_NO_THROW, CHECK_NOTHROW,
/// assert_does_not_throw), or neither.
enum class ThrowExpectation { None, Throws, NoThrow };
ThrowExpectation throwExpectation(StringRef Name) {
  if (!Name.contains_insensitive("throw"))
    return ThrowExpectation::None;
  llvm::SmallString<64> Folded;
  for (char C : Name)
    if (C != '_')
      Folded.push_back(llvm::toLower(C));
  StringRef F = Folded;
  if (F.contains("nothrow") || F.contains("notthrow"))
    return ThrowExpectation::NoThrow;
  return ThrowExpectation::Throws;
}

/// True if \p Loc is spelled in the argument of a macro that checks that the
/// argument throws (EXPECT_THROW(stmt, E)), and of no macro that checks it
/// does not.
bool inExpectThrowMacroArgument(SourceLocation Loc, const SourceManager &SM,
                                const LangOptions &LangOpts) {
  bool Throws = false;
  for (; Loc.isMacroID(); Loc = SM.getImmediateMacroCallerLoc(Loc)) {
    if (!SM.isMacroArgExpansion(Loc))
      continue;
    switch (throwExpectation(Lexer::getImmediateMacroName(Loc, SM, LangOpts))) {
    case ThrowExpectation::NoThrow:
      return false;
    case ThrowExpectation::Throws:
      Throws = true;
      break;
    case ThrowExpectation::None:
      break;
    }
  }
  return Throws;
}

/// The call behind an initializer or assigned value: looks through implicit
/// nodes, parentheses and elidable copies.
const CallExpr *callBehind(const Expr *E) {
  while (E) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
      if (Construct->getNumArgs() == 1 &&
          (Construct->isElidable() ||
           Construct->getConstructor()->isCopyOrMoveConstructor())) {
        E = Construct->getArg(0);
        continue;
      }
      return nullptr;
    }
    return dyn_cast<CallExpr>(E);
  }
  return nullptr;
}

const VarDecl *localVarRef(const Expr *E) {
  if (!E)
    return nullptr;
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  if (!DRE)
    return nullptr;
  const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
  if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD) ||
      VD->getType()->isReferenceType())
    return nullptr;
  return VD;
}

/// `std::error_code ignored_ec;`: the name says the error is dropped on
/// purpose (the asio examples' convention).
bool namedAsIgnored(const VarDecl *VD) {
  const IdentifierInfo *II = VD->getIdentifier();
  if (!II)
    return false;
  llvm::StringRef Name = II->getName();
  return Name.contains_insensitive("ignore") ||
         Name.contains_insensitive("unused") || Name == "_";
}

//===--- The store analysis
//------------------------------------------------===//

enum class EventKind { Read, Store, Overwrite };

struct Event {
  const VarDecl *Var;
  EventKind Kind;
  const Stmt *Site;       ///< where the store / overwrite happens
  const CallExpr *Source; ///< the error-producing call of a Store
};

/// True if \p S (outside nested lambdas) stores an error into a local
/// variable: an error out-argument, or an initialisation or assignment from
/// an error-returning call (std::async's future aside).
bool hasErrorStore(const Stmt *S, const ErrorRecognizer &Errors) {
  if (!S || isa<LambdaExpr, BlockExpr>(S))
    return false;
  auto FromErrorCall = [&](const Expr *E) {
    const CallExpr *Call = callBehind(E);
    if (!Call)
      return false;
    ErrorKind K = Errors.callKind(Call);
    return K != ErrorKind::None && K != ErrorKind::AsyncFuture;
  };
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD->hasLocalStorage() && !VD->getType()->isReferenceType() &&
            FromErrorCall(VD->getInit()))
          return true;
  } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->getOpcode() == BO_Assign && localVarRef(BO->getLHS()) &&
        FromErrorCall(BO->getRHS()))
      return true;
  } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
        Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
        localVarRef(Op->getArg(0)) && FromErrorCall(Op->getArg(1)))
      return true;
    for (const auto &Out : Errors.errorOutArguments(Call))
      if (localVarRef(Out.Arg))
        return true;
  }
  for (const Stmt *Child : S->children())
    if (hasErrorStore(Child, Errors))
      return true;
  return false;
}

/// Whether a function's `error_code &` parameter is an output only, judged
/// from its definition when that is the user's code. Library functions
/// (asio, std::filesystem, Boost) are trusted to store into it.
class OutParamModel {
public:
  OutParamModel(const ErrorRecognizer &Errors, const SourceManager &SM)
      : Errors(Errors), SM(SM) {}

  bool readsParameter(const ParmVarDecl *Param) {
    const auto *FD = dyn_cast<FunctionDecl>(Param->getDeclContext());
    if (!FD)
      return false;
    const FunctionDecl *Def = nullptr;
    if (!FD->hasBody(Def) || !Def || SM.isInSystemHeader(Def->getLocation()))
      return false;
    unsigned Index = Param->getFunctionScopeIndex();
    if (Index >= Def->getNumParams())
      return false;
    const ParmVarDecl *Target = Def->getParamDecl(Index);
    auto [It, Inserted] = Cache.try_emplace(Target, false);
    if (Inserted)
      It->second = reads(Def->getBody(), Target);
    return It->second;
  }

private:
  /// True if \p S uses \p P other than by assigning to it or passing it
  /// on as an error out-parameter.
  bool reads(const Stmt *S, const ParmVarDecl *P) {
    if (!S)
      return false;
    auto IsP = [P](const Expr *E) {
      const auto *DRE =
          E ? dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()) : nullptr;
      return DRE && DRE->getDecl() == P;
    };
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      return DRE->getDecl() == P;
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->getOpcode() == BO_Assign && IsP(BO->getLHS()))
      return reads(BO->getRHS(), P);
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
        Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
        IsP(Op->getArg(0)))
      return reads(Op->getArg(1), P);
    llvm::SmallPtrSet<const Expr *, 2> PassedOn;
    if (const auto *Call = dyn_cast<CallExpr>(S))
      for (const auto &Out : Errors.errorOutArguments(Call))
        if (IsP(Out.Arg))
          PassedOn.insert(Out.Arg);
    for (const Stmt *Child : S->children())
      if (!(isa_and_nonnull<Expr>(Child) &&
            PassedOn.contains(cast<Expr>(Child))) &&
          reads(Child, P))
        return true;
    return false;
  }

  const ErrorRecognizer &Errors;
  const SourceManager &SM;
  llvm::DenseMap<const ParmVarDecl *, bool> Cache;
};

/// Collects, from one function body, the events on local variables: stores
/// of errors, overwrites, reads. Variables whose address or a reference to
/// them escapes are given up.
class EventCollector {
public:
  EventCollector(const ErrorRecognizer &Errors, OutParamModel &OutParams)
      : Errors(Errors), OutParams(OutParams) {}

  void collect(const Stmt *S) {
    // The operand of co_await is reachable twice (as the operand and inside
    // the common expression): visit every node once.
    if (!S || !Visited.insert(S).second)
      return;
    if (const auto *Lambda = dyn_cast<LambdaExpr>(S)) {
      // Captures are reads at the lambda; by-reference ones let the lambda
      // read the variable whenever it runs, so the variable is given up.
      for (const LambdaCapture &C : Lambda->captures()) {
        if (!C.capturesVariable())
          continue;
        const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar());
        if (!VD)
          continue;
        if (Lambda->isInitCapture(&C))
          continue;
        if (C.getCaptureKind() == LCK_ByRef)
          Escaped.insert(VD);
        else
          addEvent(Lambda, {VD, EventKind::Read, Lambda, nullptr});
      }
      // Init-captures (`[e = ec]`) read in their initializer.
      for (const LambdaCapture &C : Lambda->captures())
        if (Lambda->isInitCapture(&C))
          if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar()))
            collect(VD->getInit());
      return;
    }
    if (isa<BlockExpr>(S)) {
      // Blocks capture by copy or __block reference; give up on both.
      for (const BlockDecl::Capture &C :
           cast<BlockExpr>(S)->getBlockDecl()->captures())
        Escaped.insert(C.getVariable());
      return;
    }
    if (isa<UnaryExprOrTypeTraitExpr, CXXNoexceptExpr>(S))
      return; // unevaluated
    visitStmt(S);
    for (const Stmt *Child : S->children())
      collect(Child);
  }

  /// Events keyed by the CFG element they belong to.
  llvm::DenseMap<const Stmt *, llvm::SmallVector<Event, 1>> AtStmt;
  llvm::DenseMap<const VarDecl *, Event> AtDecl;
  llvm::SmallPtrSet<const VarDecl *, 8> Stored;
  llvm::SmallPtrSet<const VarDecl *, 8> Escaped;
  /// Reads by variable, to check every one of them is seen in the CFG.
  llvm::DenseMap<const VarDecl *, unsigned> ReadCount;

private:
  void addEvent(const Stmt *At, Event E) {
    AtStmt[At].push_back(E);
    if (E.Kind == EventKind::Read)
      ++ReadCount[E.Var];
  }

  /// A store is worth tracking for every error kind but std::async's
  /// future: a future kept in a variable is waited for at scope end.
  const CallExpr *errorCall(const Expr *E) const {
    const CallExpr *Call = callBehind(E);
    if (!Call)
      return nullptr;
    ErrorKind K = Errors.callKind(Call);
    return K == ErrorKind::None || K == ErrorKind::AsyncFuture ? nullptr : Call;
  }

  void visitStmt(const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls()) {
        const auto *VD = dyn_cast<VarDecl>(D);
        if (!VD || !VD->hasLocalStorage())
          continue;
        if (VD->getType()->isReferenceType()) {
          // `auto &r = ec;` aliases ec: give it up.
          if (const VarDecl *Target = localVarRef(VD->getInit()))
            Escaped.insert(Target);
          continue;
        }
        const CallExpr *Source = errorCall(VD->getInit());
        if (Source)
          Stored.insert(VD);
        AtDecl[VD] = {VD, Source ? EventKind::Store : EventKind::Overwrite, DS,
                      Source};
      }
      return;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->getOpcode() == BO_Assign)
        if (const VarDecl *VD = localVarRef(BO->getLHS()))
          recordAssignment(BO, VD, BO->getLHS(), BO->getRHS());
      return;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
      if (UO->getOpcode() == UO_AddrOf)
        if (const VarDecl *VD = localVarRef(UO->getSubExpr()))
          Escaped.insert(VD);
      return;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
        Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2) {
      if (const VarDecl *VD = localVarRef(Op->getArg(0))) {
        recordAssignment(Op, VD, Op->getArg(0), Op->getArg(1));
        return;
      }
    }
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      for (const auto &[Param, Arg] : Errors.errorOutArguments(Call)) {
        const VarDecl *VD = localVarRef(Arg);
        // A function of the user's that reads its `error_code &` parameter
        // is passed the error, it does not produce one.
        if (!VD || OutParams.readsParameter(Param))
          continue;
        Written.insert(Arg->IgnoreParenImpCasts());
        Stored.insert(VD);
        addEvent(Call, {VD, EventKind::Store, Call, Call});
      }
      return;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      if (Written.contains(DRE))
        return;
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        if (VD->hasLocalStorage())
          addEvent(DRE, {VD, EventKind::Read, DRE, nullptr});
      } else if (const auto *BD = dyn_cast<BindingDecl>(DRE->getDecl())) {
        // `auto [ptr, ec] = std::from_chars(...)`: reading `ptr` does not
        // read the error; reading a binding that carries one does.
        const auto *DD =
            dyn_cast_or_null<DecompositionDecl>(BD->getDecomposedDecl());
        if (DD && DD->hasLocalStorage() &&
            (Errors.carriesError(BD->getType()) ||
             llvm::none_of(DD->bindings(), [&](const BindingDecl *Other) {
               return Errors.carriesError(Other->getType());
             })))
          addEvent(DRE, {DD, EventKind::Read, DRE, nullptr});
      }
      return;
    }
  }

  void recordAssignment(const Expr *Assign, const VarDecl *VD, const Expr *LHS,
                        const Expr *RHS) {
    Written.insert(LHS->IgnoreParenImpCasts());
    const CallExpr *Source = errorCall(RHS);
    if (Source)
      Stored.insert(VD);
    addEvent(Assign, {VD, Source ? EventKind::Store : EventKind::Overwrite,
                      Assign, Source});
  }

  const ErrorRecognizer &Errors;
  OutParamModel &OutParams;
  llvm::SmallPtrSet<const Stmt *, 32> Visited;
  /// DeclRefExprs that are written, not read (assignment LHS, out-params).
  llvm::SmallPtrSet<const Expr *, 8> Written;
};

} // namespace

IgnoredErrorCheck::IgnoredErrorCheck(llvm::StringRef Name,
                                     tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      ErrorTypesOption(Options.get("ErrorTypes", DefaultErrorTypes)),
      CheckedFunctionsOption(
          Options.get("CheckedFunctions", DefaultCheckedFunctions)),
      StatusHeuristic(Options.get("StatusHeuristic", true)),
      AllowCastToVoid(Options.get("AllowCastToVoid", true)),
      Errors(ErrorTypesOption, CheckedFunctionsOption, StatusHeuristic) {}

void IgnoredErrorCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ErrorTypes", ErrorTypesOption);
  Options.store(Opts, "CheckedFunctions", CheckedFunctionsOption);
  Options.store(Opts, "StatusHeuristic", StatusHeuristic);
  Options.store(Opts, "AllowCastToVoid", AllowCastToVoid);
}

void IgnoredErrorCheck::registerMatchers(MatchFinder *Finder) {
  // Only the user's functions (and lambdas at namespace scope) are matched.
  // check() runs the store analysis on each and walks its body once
  // (forEachSpelledStmt) for the statements that discard a value: matchers
  // on compound statements, ifs, loops and calls would be tried on every
  // one of every header.
  auto InUserCode = unless(isExpansionInSystemHeader());
  Finder->addMatcher(functionDecl(InUserCode, isDefinition(), hasBody(stmt()),
                                  unless(isImplicit()))
                         .bind("fn"),
                     this);
  Finder->addMatcher(lambdaExpr(InUserCode).bind("lambda"), this);
}

void IgnoredErrorCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const FunctionDecl *Fn = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (const auto *Lambda = Result.Nodes.getNodeAs<LambdaExpr>("lambda")) {
    if (Lambda->getLambdaClass()->getDeclContext()->isFunctionOrMethod())
      return; // walked with its function
    Fn = Lambda->getCallOperator();
  }
  if (!Fn || !Analyzed.insert(Fn).second)
    return;
  analyzeStores(Fn, Ctx);
  forEachSpelledStmt(
      Fn, [&](const Stmt *S, const FunctionDecl *) { visit(S, Ctx); });
}

/// The call behind \p S if it is one whose value carries an error, that has
/// no error out-argument (asio's `sock.close(ec)` also returns a copy of
/// ec: the error lives on in the argument, which the store analysis
/// follows), and that is not expanded from a system header.
const CallExpr *
IgnoredErrorCheck::droppableErrorCall(const Stmt *S,
                                      const SourceManager &SM) const {
  const auto *E = dyn_cast_or_null<Expr>(S);
  const auto *Call = E ? dyn_cast<CallExpr>(stripWrappers(E)) : nullptr;
  if (!Call || SM.isInSystemHeader(SM.getExpansionLoc(Call->getBeginLoc())))
    return nullptr;
  if (Errors.callKind(Call) == ErrorKind::None ||
      !Errors.errorOutArguments(Call).empty())
    return nullptr;
  return Call;
}

void IgnoredErrorCheck::visit(const Stmt *S, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  // A statement whose value nobody reads.
  auto Discarded = [&](const Stmt *Child, const CompoundStmt *Block = nullptr,
                       bool VoidCast = false) {
    if (const CallExpr *Call = droppableErrorCall(Child, SM))
      handleDiscarded(Call, Block, VoidCast, Ctx);
  };
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    if (const FunctionDecl *Op = L->getCallOperator();
        Op && Analyzed.insert(Op).second)
      analyzeStores(Op, Ctx);
    return;
  }
  if (const auto *SE = dyn_cast<StmtExpr>(S)) {
    // The value of a GNU statement expression is its last statement (the
    // statement expression is visited before its body).
    if (const Stmt *Last = SE->getSubStmt()->body_back())
      if (const auto *E = dyn_cast<Expr>(Last))
        StmtExprValues.insert(E->IgnoreImplicit()->IgnoreParens());
    return;
  }
  if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    for (const Stmt *Child : CS->body())
      Discarded(Child, CS);
    return;
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    Discarded(If->getThen());
    Discarded(If->getElse());
    return;
  }
  if (const auto *For = dyn_cast<ForStmt>(S)) {
    Discarded(For->getInit());
    Discarded(For->getInc());
    Discarded(For->getBody());
    return;
  }
  if (const auto *While = dyn_cast<WhileStmt>(S))
    return Discarded(While->getBody());
  if (const auto *Do = dyn_cast<DoStmt>(S))
    return Discarded(Do->getBody());
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(S))
    return Discarded(Range->getBody());
  if (isa<SwitchCase, LabelStmt, AttributedStmt>(S)) {
    for (const Stmt *Child : S->children())
      Discarded(Child);
    return;
  }
  if (const auto *Comma = dyn_cast<BinaryOperator>(S)) {
    if (Comma->getOpcode() == BO_Comma)
      Discarded(Comma->getLHS());
    return;
  }
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(S)) {
    if (!AllowCastToVoid && Cast->getType()->isVoidType())
      Discarded(Cast->getSubExpr(), nullptr, /*VoidCast=*/true);
    return;
  }
  // Lambdas handed to a helper that checks they throw: the call they make
  // last is expected to throw, there is no result to read. (The call is
  // visited before the lambda's body.)
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Callee->getIdentifier() ||
        throwExpectation(Callee->getName()) != ThrowExpectation::Throws)
      return;
    for (const Expr *Arg : Call->arguments())
      if (const auto *L = dyn_cast<LambdaExpr>(stripWrappers(Arg)))
        ExpectThrowBodies.insert(L->getBody());
  }
}

void IgnoredErrorCheck::handleDiscarded(const CallExpr *Call,
                                        const CompoundStmt *Block,
                                        bool VoidCast, ASTContext &Ctx) {
  if (StmtExprValues.contains(Call))
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  // A call made to see it throw: nothing is returned to be read.
  if (Block && ExpectThrowBodies.contains(Block))
    if (const auto *Last = dyn_cast_or_null<Expr>(Block->body_back());
        Last && stripWrappers(Last) == Call)
      return;
  if (Call->getBeginLoc().isMacroID() &&
      inExpectThrowMacroArgument(Call->getBeginLoc(), SM, Ctx.getLangOpts()))
    return;
  // A system macro that expands to a call is the library's business.
  if (Call->getBeginLoc().isMacroID() &&
      SM.isInSystemHeader(SM.getSpellingLoc(Call->getBeginLoc())))
    return;
  // The compiler already reports a discarded [[nodiscard]] result (but not
  // one cast to void).
  if (!VoidCast && Call->hasUnusedResultAttr(Ctx) &&
      !Ctx.getDiagnostics().isIgnored(diag::warn_unused_result,
                                      Call->getBeginLoc()))
    return;
  if (!Reported.insert(Call).second)
    return;
  reportDiscarded(Call, Errors.callKind(Call), Ctx);
}

/// The declaration to name in a message: a template, not its
/// specialization ('store<int>').
static const NamedDecl *displayed(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    return Pattern;
  return FD;
}

/// The result type as the user wrote it when the callee is theirs; the
/// canonical type for library functions, whose sugar is internal
/// (`__detail::__integer_from_chars_result_type<int>`).
static QualType shownType(const CallExpr *Call, const ASTContext &Ctx) {
  const Decl *Callee = Call->getCalleeDecl();
  if (Callee && !Ctx.getSourceManager().isInSystemHeader(Callee->getLocation()))
    return Call->getType();
  return Call->getType().getCanonicalType();
}

/// Where `[[nodiscard]] ` can be inserted before the declaration of \p FD,
/// or an invalid location if it cannot be done safely.
static SourceLocation nodiscardInsertionPoint(const FunctionDecl *FD,
                                              const ASTContext &Ctx) {
  if (!FD || !Ctx.getLangOpts().CPlusPlus17)
    return {};
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    FD = Pattern;
  FD = FD->getFirstDecl();
  if (FD->isImplicit() || isa<CXXConversionDecl>(FD) || FD->getBuiltinID() != 0)
    return {};
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
      MD && MD->getParent()->isLambda())
    return {};
  const SourceManager &SM = Ctx.getSourceManager();
  // The start of the decl-specifiers, after any template header.
  SourceLocation Loc = FD->getInnerLocStart();
  if (Loc.isInvalid() || Loc.isMacroID() || SM.isInSystemHeader(Loc) ||
      FD->getLocation().isMacroID())
    return {};
  return Loc;
}

void IgnoredErrorCheck::reportDiscarded(const CallExpr *Call, ErrorKind Kind,
                                        ASTContext &Ctx) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  const NamedDecl *Named = displayed(Callee);
  SourceLocation Loc = Call->getBeginLoc();
  if (Kind == ErrorKind::AsyncFuture) {
    diag(Loc, "std::future returned by std::async is discarded: the call "
              "blocks until the task finishes and the task's exception is "
              "lost");
    diag(Loc,
         "keep the future and call get() on it, or run the task on a "
         "thread that reports its errors",
         DiagnosticIDs::Note);
    return;
  }
  if (Kind == ErrorKind::CheckedInt)
    diag(Loc, "failure status returned by %0 is discarded") << Named;
  else if (Callee)
    diag(Loc, "error result of type %0 returned by %1 is discarded")
        << shownType(Call, Ctx) << Named;
  else
    diag(Loc, "error result of type %0 is discarded") << shownType(Call, Ctx);

  SourceLocation At = nodiscardInsertionPoint(Callee, Ctx);
  // The fix-it is offered once per declaration; later calls get the advice.
  if (At.isValid() && NodiscardOffered.insert(At.getRawEncoding()).second) {
    diag(At,
         "add [[nodiscard]] to %0 so that the compiler reports callers "
         "that drop its result",
         DiagnosticIDs::Note)
        << Named << FixItHint::CreateInsertion(At, "[[nodiscard]] ");
    return;
  }
  unsigned What;
  switch (Kind) {
  case ErrorKind::ErrorCode:
    What = 0;
    break;
  case ErrorKind::CharsResult:
    What = 1;
    break;
  case ErrorKind::CheckedInt:
    What = 2;
    break;
  default:
    What = 3;
    break;
  }
  diag(Loc,
       "%select{test the error code (if (ec))|compare its 'ec' member with "
       "std::errc()|compare the result with the function's failure value|"
       "test the result (ok(), has_value() or operator bool)}0, pass it on, "
       "or %select{assign it to std::ignore|cast it to 'void'}1 to drop it on "
       "purpose",
       DiagnosticIDs::Note)
      << What << AllowCastToVoid;
}

void IgnoredErrorCheck::analyzeStores(const Decl *Fn, ASTContext &Ctx) {
  const auto *FD = dyn_cast<FunctionDecl>(Fn);
  if (!FD || !FD->hasBody())
    return;
  const Stmt *Body = FD->getBody();
  if (Ctx.getSourceManager().isInSystemHeader(FD->getLocation()))
    return;

  // Most functions store no error: find out with a light walk first.
  if (!hasErrorStore(Body, Errors))
    return;
  OutParamModel OutParams(Errors, Ctx.getSourceManager());
  EventCollector Events(Errors, OutParams);
  Events.collect(Body);
  // The variables the analysis follows: local, stored into by an error
  // call, not escaping, not marked [[maybe_unused]].
  llvm::SmallVector<const VarDecl *, 8> Vars;
  llvm::DenseMap<const VarDecl *, unsigned> Index;
  for (const VarDecl *VD : Events.Stored) {
    if (Events.Escaped.contains(VD) || VD->hasAttr<UnusedAttr>() ||
        VD->getType().isVolatileQualified() || namedAsIgnored(VD))
      continue;
    Index[VD] = Vars.size();
    Vars.push_back(VD);
  }
  if (Vars.empty())
    return;
  // Deterministic order for diagnostics.
  llvm::sort(Vars, [](const VarDecl *A, const VarDecl *B) {
    return A->getBeginLoc().getRawEncoding() <
           B->getBeginLoc().getRawEncoding();
  });
  for (unsigned I = 0; I < Vars.size(); ++I)
    Index[Vars[I]] = I;

  CFG::BuildOptions Options;
  Options.setAllAlwaysAdd();
  std::unique_ptr<CFG> Graph =
      CFG::buildCFG(FD, const_cast<Stmt *>(Body), &Ctx, Options);
  if (!Graph)
    return;

  // Lay the events out per block, in element order.
  struct Located {
    unsigned Var;
    EventKind Kind;
    const Stmt *Site;
    const CallExpr *Source;
  };
  unsigned NumBlocks = Graph->getNumBlockIDs();
  std::vector<llvm::SmallVector<Located, 4>> BlockEvents(NumBlocks);
  llvm::DenseSet<std::pair<const Stmt *, const VarDecl *>> ReadsSeen;
  llvm::DenseMap<const VarDecl *, unsigned> ReadsPlaced;
  auto Add = [&](unsigned Block, const Event &E) {
    auto It = Index.find(E.Var);
    if (It == Index.end())
      return;
    if (E.Kind == EventKind::Read && ReadsSeen.insert({E.Site, E.Var}).second)
      ++ReadsPlaced[E.Var];
    BlockEvents[Block].push_back({It->second, E.Kind, E.Site, E.Source});
  };
  for (const CFGBlock *B : *Graph) {
    for (const CFGElement &Elem : *B) {
      auto S = Elem.getAs<CFGStmt>();
      if (!S)
        continue;
      const Stmt *St = S->getStmt();
      if (const auto *DS = dyn_cast<DeclStmt>(St)) {
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D)) {
            auto It = Events.AtDecl.find(VD);
            if (It != Events.AtDecl.end())
              Add(B->getBlockID(), It->second);
          }
        continue;
      }
      auto It = Events.AtStmt.find(St);
      if (It == Events.AtStmt.end())
        continue;
      for (const Event &E : It->second)
        Add(B->getBlockID(), E);
    }
  }
  // A read the CFG does not show (an unevaluated or unmodelled context)
  // would make the result unsound: give such variables up.
  llvm::BitVector Trusted(Vars.size(), true);
  for (unsigned I = 0; I < Vars.size(); ++I)
    if (Events.ReadCount.lookup(Vars[I]) != ReadsPlaced.lookup(Vars[I]))
      Trusted.reset(I);
  if (Trusted.none())
    return;

  // Backward liveness: a variable is live if some path reads it before it
  // is stored into or overwritten.
  std::vector<llvm::BitVector> LiveIn(NumBlocks, llvm::BitVector(Vars.size()));
  auto Transfer = [&](const CFGBlock *B, llvm::BitVector Live) {
    for (const Located &E : llvm::reverse(BlockEvents[B->getBlockID()])) {
      if (E.Kind == EventKind::Read)
        Live.set(E.Var);
      else
        Live.reset(E.Var);
    }
    return Live;
  };
  auto LiveOut = [&](const CFGBlock *B) {
    llvm::BitVector Out(Vars.size());
    for (const CFGBlock::AdjacentBlock &Succ : B->succs())
      if (const CFGBlock *S = Succ.getReachableBlock())
        Out |= LiveIn[S->getBlockID()];
    return Out;
  };
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const CFGBlock *B : llvm::reverse(*Graph)) {
      llvm::BitVector In = Transfer(B, LiveOut(B));
      if (In != LiveIn[B->getBlockID()]) {
        LiveIn[B->getBlockID()] = std::move(In);
        Changed = true;
      }
    }
  }

  // The first overwrite reachable after position Pos of block B, if any.
  auto FindOverwrite = [&](const CFGBlock *Start, size_t Pos,
                           unsigned Var) -> const Stmt * {
    llvm::SmallVector<std::pair<const CFGBlock *, size_t>, 8> Work;
    llvm::BitVector Seen(NumBlocks);
    Work.push_back({Start, Pos});
    for (size_t W = 0; W < Work.size(); ++W) {
      auto [B, From] = Work[W];
      const auto &Evs = BlockEvents[B->getBlockID()];
      bool Stopped = false;
      for (size_t I = From; I < Evs.size(); ++I)
        if (Evs[I].Var == Var) {
          // Reaching the declaration again (a loop body's variable) is the
          // death of the old value, not an overwrite.
          if (Evs[I].Kind != EventKind::Read && !isa<DeclStmt>(Evs[I].Site))
            return Evs[I].Site;
          Stopped = true;
          break;
        }
      if (Stopped)
        continue;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs())
        if (const CFGBlock *S = Succ.getReachableBlock())
          if (!Seen.test(S->getBlockID())) {
            Seen.set(S->getBlockID());
            Work.push_back({S, 0});
          }
    }
    return nullptr;
  };

  struct Finding {
    const Stmt *Site;
    const CallExpr *Source;
    unsigned Var;
    const Stmt *Overwrite;
  };
  llvm::SmallVector<Finding, 4> Findings;
  for (const CFGBlock *B : *Graph) {
    llvm::BitVector Live = LiveOut(B);
    const auto &Evs = BlockEvents[B->getBlockID()];
    for (size_t I = Evs.size(); I-- > 0;) {
      const Located &E = Evs[I];
      if (E.Kind == EventKind::Read) {
        Live.set(E.Var);
        continue;
      }
      if (E.Kind == EventKind::Store && !Live.test(E.Var) &&
          Trusted.test(E.Var))
        Findings.push_back(
            {E.Site, E.Source, E.Var, FindOverwrite(B, I + 1, E.Var)});
      Live.reset(E.Var);
    }
  }
  llvm::sort(Findings, [](const Finding &A, const Finding &B) {
    return A.Site->getBeginLoc().getRawEncoding() <
           B.Site->getBeginLoc().getRawEncoding();
  });
  for (const Finding &F : Findings) {
    // `auto [ptr, ec] = ...` is named by the binding that holds the error.
    const NamedDecl *VD = Vars[F.Var];
    if (const auto *DD = dyn_cast<DecompositionDecl>(Vars[F.Var])) {
      auto Bindings = DD->bindings();
      const auto *Err = llvm::find_if(Bindings, [&](const BindingDecl *BD) {
        return Errors.carriesError(BD->getType());
      });
      if (Err != Bindings.end())
        VD = *Err;
    }
    const NamedDecl *Callee = displayed(F.Source->getDirectCallee());
    SourceLocation Loc = F.Source->getBeginLoc();
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(F.Source))
      Loc = Member->getExprLoc();
    if (!Callee) {
      diag(Loc, "error stored in %0 is %select{never read|overwritten before "
                "it is read}1")
          << VD << (F.Overwrite != nullptr);
    } else if (F.Overwrite) {
      diag(Loc, "error stored in %0 by %1 is overwritten before it is read")
          << VD << Callee;
    } else {
      diag(Loc, "error stored in %0 by %1 is never read") << VD << Callee;
    }
    if (F.Overwrite)
      diag(F.Overwrite->getBeginLoc(), "%0 is overwritten here",
           DiagnosticIDs::Note)
          << VD;
  }
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(IgnoredErrorCheck)
