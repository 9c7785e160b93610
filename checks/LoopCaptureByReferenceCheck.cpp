//===--- LoopCaptureByReferenceCheck.cpp - pitfall-loop-capture-by-reference =//
//
// The flow layer's LoopCaptures analysis finds the by-reference captures of
// loop-scoped variables whose lambda outlives the iteration (a task that may
// still run when the next iteration starts, or a store outside the loop);
// this check words them and offers the by-copy fix-it where it is safe.
//
//===----------------------------------------------------------------------===//
#include "LoopCaptureByReferenceCheck.h"
#include "CheckFactory.h"

#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/Lifetimes.h"
#include "pitfall/Flow/LoopCaptures.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallString.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace pitfall {
namespace {

/// The plain name of \p D (no template arguments), empty for null.
DeclarationName nameOf(const NamedDecl *D) {
  return D ? D->getDeclName() : DeclarationName();
}

/// The first statement in \p Scope that writes \p Var: assignment,
/// increment, a non-const member call, binding to a non-const reference
/// (a parameter, a variable, an aggregate's member), or taking its address.
/// (Not ExprMutationAnalyzer: it counts a by-reference capture as a write, and
/// it builds the TU-wide parent map.)
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
          forEachArgumentWithParam(Ref, parmVarDecl(hasType(NonConstRef)))),
      cxxConstructExpr(
          forEachArgumentWithParam(Ref, parmVarDecl(hasType(NonConstRef)))),
      // Bound to a non-const reference: a reference variable, a reference
      // member of an aggregate (`Holder h{v};`: no conversion to an rvalue
      // around the name).
      declStmt(has(varDecl(hasType(NonConstRef), hasInitializer(Ref)))),
      initListExpr(has(declRefExpr(to(valueDecl(equalsNode(Var))))))));
  auto Found = match(stmt(forEachDescendant(Write.bind("write"))), Scope, Ctx);
  return Found.empty() ? nullptr : Found.front().getNodeAs<Stmt>("write");
}

/// Which lifetime the warning describes: 0 shared and written by the
/// iterations, 1 one iteration, 2 shared but never written in the loop
/// (`for (auto it = b, end = e; ...)`: `end` only dangles).
unsigned lifetimeSelect(const LoopCaptureFinding &F, ASTContext &Ctx) {
  if (F.Kind == LoopVarKind::PerIteration)
    return 1;
  if (F.Kind == LoopVarKind::Function)
    return 3;
  return firstWrite(F.Var, *F.Loop, Ctx) ? 0 : 2;
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

} // namespace

void LoopCaptureByReferenceCheck::storeCheckOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ReportStoredInTestFixtures", ReportStoredInTestFixtures);
  Options.store(Opts, "ReportAssertionPaths", ReportAssertionPaths);
}

bool LoopCaptureByReferenceCheck::storedInTestFixture(
    const LoopCaptureFinding &F, const FunctionDecl *Fn, FlowContext &Flow) {
  // A member of `this` in a test case's member function: the fixture (a
  // GoogleTest TEST_F's, a Catch2 TEST_CASE_METHOD's) dies with the test.
  const auto *M = dyn_cast<CXXMethodDecl>(Fn);
  return F.Kind == LoopVarKind::Function && F.How == Escape::Member && M &&
         !M->isStatic() && !M->getParent()->isLambda() &&
         Flow.throws().isTestCase(Fn, Flow.astContext().getSourceManager());
}

void LoopCaptureByReferenceCheck::checkFunction(const FunctionDecl *Fn,
                                                FlowContext &Flow) {
  llvm::SmallVector<LoopCaptureFinding, 4> Findings =
      analyzeLoopCaptures(Flow, Fn);
  llvm::erase_if(Findings, [&](const LoopCaptureFinding &F) {
    // Dismissible, reported on request: a local of a test stored in its
    // fixture, a task left running only when a test assertion failed.
    return (!ReportStoredInTestFixtures && storedInTestFixture(F, Fn, Flow)) ||
           (!ReportAssertionPaths && F.OnFailedAssertion);
  });
  ASTContext &Ctx = Flow.astContext();
  const SourceManager &SM = Ctx.getSourceManager();
  for (size_t Begin = 0, End; Begin != Findings.size(); Begin = End) {
    // The findings of one lambda: implicitly captured variables are fixed
    // together by one insertion after the capture default, `[&]` ->
    // `[&, a, b]`.
    const LambdaExpr *LE = Findings[Begin].Lambda;
    for (End = Begin; End != Findings.size() && Findings[End].Lambda == LE;)
      ++End;
    const bool LambdaInMacro = LE->getBeginLoc().isMacroID();
    llvm::SmallString<32> ImplicitCopies;
    const LambdaCapture *FirstImplicit = nullptr;
    llvm::SmallVector<bool, 4> Fixable;
    for (size_t I = Begin; I != End; ++I) {
      const LoopCaptureFinding &F = Findings[I];
      const LambdaCapture &C = *F.Capture;
      // A variable of the call may be meant to be shared with the task: no
      // copy is offered, the state belongs in an object that outlives it.
      bool Fix = F.Kind != LoopVarKind::Element &&
                 F.Kind != LoopVarKind::Function && !LambdaInMacro &&
                 !C.getLocation().isMacroID() && !C.isPackExpansion() &&
                 isCopyConstructible(F.Var->getType()) &&
                 !firstWrite(F.Var, *LE->getBody(), Ctx);
      if (Fix && C.isImplicit()) {
        if (!FirstImplicit)
          FirstImplicit = &C;
        ImplicitCopies += ", ";
        ImplicitCopies += F.Var->getName();
      }
      Fixable.push_back(Fix);
    }
    for (size_t I = Begin; I != End; ++I)
      report(Findings[I], Fixable[I - Begin],
             Findings[I].Capture == FirstImplicit ? ImplicitCopies.str() : "",
             Ctx, SM);
  }
}

void LoopCaptureByReferenceCheck::report(const LoopCaptureFinding &F,
                                         bool Fixable,
                                         llvm::StringRef ImplicitCopies,
                                         ASTContext &Ctx,
                                         const SourceManager &SM) {
  const LambdaExpr *LE = F.Lambda;
  const LambdaCapture &C = *F.Capture;
  if (!firstReport(C.getLocation(), F.Var->getName()))
    return;
  if (F.Kind == LoopVarKind::Element)
    return reportElement(F);
  {
    DiagnosticBuilder D =
        // A lambda returned out of the function refers to a variable that
        // is gone whenever it is called; anywhere else the lambda may run
        // before the variable ends.
        reportFinding(
            C.getLocation(),
            "%0 is captured by reference in a lambda that "
            "%select{runs on a thread|runs through std::async|is passed to "
            "%3|is stored in %3|is stored in member %3|is stored on the "
            "heap|is returned}2; %select{the loop variable is shared by all "
            "iterations (data race, stale value)|it is destroyed at the end "
            "of the iteration (dangling reference)|it is destroyed when the "
            "loop ends (dangling reference)|it is destroyed when the "
            "function returns (dangling reference)}1",
            F.How == Escape::Returned ? Severity::Error
            : F.OnFailedAssertion     ? Severity::Note
                                      : Severity::Warning)
        << F.Var << lifetimeSelect(F, Ctx) << static_cast<int>(F.How)
        << nameOf(F.Into);
    if (Fixable && !C.isImplicit()) {
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
    } else if (!ImplicitCopies.empty() &&
               LE->getCaptureDefaultLoc().isValid() &&
               !LE->getCaptureDefaultLoc().isMacroID()) {
      D << FixItHint::CreateInsertion(
          LE->getCaptureDefaultLoc().getLocWithOffset(1), ImplicitCopies);
    }
  }
  if (!Fixable && !LE->getBeginLoc().isMacroID() &&
      F.Kind != LoopVarKind::Function) {
    if (!isCopyConstructible(F.Var->getType())) {
      diag(F.Var->getLocation(),
           "%0 is not copyable: move it into the lambda with an "
           "init-capture or keep it alive until the lambda has run",
           DiagnosticIDs::Note)
          << F.Var;
    } else if (const Stmt *Mut = firstWrite(F.Var, *LE->getBody(), Ctx)) {
      diag(Mut->getBeginLoc(),
           "%0 is modified in the lambda: no fix-it, decide whether each "
           "task needs its own copy or state that outlives the loop",
           DiagnosticIDs::Note)
          << F.Var;
    }
  }
  noteEscape(F);
}

void LoopCaptureByReferenceCheck::reportElement(const LoopCaptureFinding &F) {
  std::optional<ObjectPath> Container = objectPathOf(F.Container);
  const ValueDecl *Leaf = Container ? Container->leaf() : nullptr;
  if (!Leaf)
    return;
  // No fix-it: a copy of the element or of what the iterator points to is
  // a different program (the task may mean to write the element).
  reportFinding(
      F.Capture->getLocation(),
      "%0 %select{refers to an element of|is an iterator into}1 %2 and is "
      "captured by %select{reference|copy}1 in a lambda that "
      "%select{runs on a thread|runs through std::async|is passed to "
      "%4}3; %2 is %select{resized|destroyed}5 while the lambda may still "
      "run (dangling reference)",
      Severity::Warning)
      << F.Var << !F.Var->getType()->isReferenceType() << Leaf
      << static_cast<int>(F.How) << nameOf(F.Into) << !F.Invalidated;
  if (F.Invalidated)
    diag(F.Invalidated->getBeginLoc(),
         "%0 is modified here; its elements may move or be freed",
         DiagnosticIDs::Note)
        << Leaf;
  else
    diag(Leaf->getLocation(),
         "%0 is destroyed at the end of its scope, and the task is not "
         "waited for before",
         DiagnosticIDs::Note)
        << Leaf;
  noteEscape(F);
}

void LoopCaptureByReferenceCheck::noteEscape(const LoopCaptureFinding &F) {
  diag(F.At->getBeginLoc(),
       "%select{thread started|std::async called|passed to %1|stored|stored|"
       "allocated|returned}0 here",
       DiagnosticIDs::Note)
      << static_cast<int>(F.How) << nameOf(F.Into);
  if (F.HandleHow && F.HandleAt)
    diag(F.HandleAt->getBeginLoc(),
         "the %select{thread|future|task's result}0 %select{||is passed to "
         "%2|is stored in %2|is stored in member %2|is stored on the heap|"
         "is returned|is detached}1 here, beyond the %select{iteration|call}3",
         DiagnosticIDs::Note)
        << static_cast<int>(F.How) << static_cast<int>(*F.HandleHow)
        << nameOf(F.HandleInto) << (F.Kind == LoopVarKind::Function);
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(LoopCaptureByReferenceCheck)
