//===--- ErrorConvention.cpp - how the code treats a callee's error -------===//
#include "pitfall/Flow/ErrorConvention.h"

#include "pitfall/Core/ErrorUseRecorder.h"
#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Flow/ErrorStores.h"
#include "pitfall/Flow/FlowContext.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace pitfall {

namespace {

/// Adds to \p Out the expressions whose value \p S drops: its statements
/// (a block's, a branch's, a loop's body, a `for`'s init and increment, a
/// label's), a comma's left operand, the operand of a cast to void.
/// \p Values holds the statement expressions' values (not dropped).
void addDropped(const Stmt *S, llvm::SmallPtrSetImpl<const Expr *> &Out,
                llvm::SmallPtrSetImpl<const Expr *> &Values) {
  auto Add = [&](const Stmt *Child) {
    if (const auto *E = dyn_cast_or_null<Expr>(Child))
      if (!Values.contains(skipImplicit(E)))
        Out.insert(skipImplicit(E));
  };
  if (const auto *SE = dyn_cast<StmtExpr>(S)) {
    if (const auto *Last =
            dyn_cast_or_null<Expr>(SE->getSubStmt()->body_back()))
      Values.insert(skipImplicit(Last));
  } else if (const auto *CS = dyn_cast<CompoundStmt>(S)) {
    llvm::for_each(CS->body(), Add);
  } else if (const auto *If = dyn_cast<IfStmt>(S)) {
    Add(If->getThen());
    Add(If->getElse());
  } else if (const auto *For = dyn_cast<ForStmt>(S)) {
    Add(For->getInit());
    Add(For->getInc());
    Add(For->getBody());
  } else if (const auto *While = dyn_cast<WhileStmt>(S)) {
    Add(While->getBody());
  } else if (const auto *Do = dyn_cast<DoStmt>(S)) {
    Add(Do->getBody());
  } else if (const auto *Range = dyn_cast<CXXForRangeStmt>(S)) {
    Add(Range->getBody());
  } else if (isa<SwitchCase, LabelStmt, AttributedStmt>(S)) {
    llvm::for_each(S->children(), Add);
  } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->getOpcode() == BO_Comma)
      Add(BO->getLHS());
  } else if (const auto *Cast = dyn_cast<ExplicitCastExpr>(S)) {
    if (Cast->getType()->isVoidType())
      Add(Cast->getSubExpr());
  }
}

/// True if \p Call's error result is one the convention is about.
bool counted(const CallExpr *Call, FlowContext &Flow) {
  const ErrorRecognizer &Errors = Flow.errors();
  ErrorKind Kind = Errors.callKind(Call);
  const SourceManager &SM = Flow.astContext().getSourceManager();
  return Kind != ErrorKind::None && Kind != ErrorKind::AsyncFuture &&
         !SM.isInSystemHeader(SM.getSpellingLoc(Call->getBeginLoc())) &&
         Errors.errorOutArguments(Call).empty() && !cannotFail(Call, Errors);
}

} // namespace

const FunctionDecl *errorUseKey(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return nullptr;
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    FD = Pattern;
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD))
    while (M->size_overridden_methods() > 0)
      FD = M = *M->begin_overridden_methods();
  return FD->getCanonicalDecl();
}

void ErrorConvention::count(const FunctionDecl *FD, FlowContext &Flow) {
  const SourceManager &SM = Flow.astContext().getSourceManager();
  ErrorUseRecorder *Recorder = errorUseRecorder();
  llvm::SmallPtrSet<const Expr *, 16> Dropped, Values;
  walkOutsideLambdas(FD, LambdaBodies::CapturesOnly, [&](const Stmt *S) {
    addDropped(S, Dropped, Values);
    const auto *Call = dyn_cast<CallExpr>(S);
    const FunctionDecl *Key = Call ? errorUseKey(Call) : nullptr;
    if (!Key || !counted(Call, Flow) ||
        !Seen.insert({Key, Call->getBeginLoc().getRawEncoding()}).second)
      return true;
    bool Drop = Dropped.contains(Call);
    ErrorUseCounts &C = Counts[Key];
    ++(Drop ? C.Dropped : C.Used);
    if (Recorder)
      Recorder->site(Key, SM, Call->getBeginLoc(), Drop);
    return true;
  });
}

std::optional<Severity> ErrorConvention::judge(const CallExpr *Call, Severity S,
                                               bool Report,
                                               FlowContext &Flow) const {
  const FunctionDecl *Key = errorUseKey(Call);
  if (!Key || !counted(Call, Flow))
    return S;
  if (ErrorUseRecorder *Recorder = errorUseRecorder()) {
    Recorder->finding(Key, Flow.astContext().getSourceManager(),
                      Call->getBeginLoc(), Report);
    return S;
  }
  if (!droppedByConvention(Counts.lookup(Key)))
    return S;
  if (Report)
    return Severity::Note;
  return std::nullopt;
}

} // namespace pitfall
