//===--- PitfallCheck.cpp -------------------------------------------------===//
#include "PitfallCheck.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/Hashing.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace pitfall {

namespace {

const char *optionName(FlowOption O) {
  switch (O) {
  case FlowOption::ThreadTypes:
    return "ThreadTypes";
  case FlowOption::EscapeFunctions:
    return "EscapeFunctions";
  case FlowOption::LockTypes:
    return "LockTypes";
  case FlowOption::ChannelTypes:
    return "ChannelTypes";
  case FlowOption::SendMethods:
    return "SendMethods";
  case FlowOption::MatchChannelNames:
    return "MatchChannelNames";
  case FlowOption::WaitGroupTypes:
    return "WaitGroupTypes";
  case FlowOption::ErrorTypes:
    return "ErrorTypes";
  case FlowOption::CheckedFunctions:
    return "CheckedFunctions";
  case FlowOption::StatusHeuristic:
    return "StatusHeuristic";
  case FlowOption::AssertionMacros:
    return "AssertionMacros";
  case FlowOption::TestCaseMacros:
    return "TestCaseMacros";
  case FlowOption::TestPaths:
    return "TestPaths";
  case FlowOption::ExamplePaths:
    return "ExamplePaths";
  }
  return "";
}

} // namespace

PitfallCheck::PitfallCheck(llvm::StringRef Name,
                           tidy::ClangTidyContext *Context,
                           std::initializer_list<FlowOption> Documented)
    : ClangTidyCheck(Name, Context), Documented(Documented) {
  Opts =
      FlowOptions::read([&](llvm::StringRef Key) -> std::optional<std::string> {
        if (std::optional<llvm::StringRef> V = Options.getLocalOrGlobal(Key))
          return V->str();
        return std::nullopt;
      });
}

void PitfallCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Map) {
  for (FlowOption O : Documented) {
    const char *Key = optionName(O);
    switch (O) {
    case FlowOption::ThreadTypes:
      Options.store(Map, Key, Opts.ThreadTypes);
      break;
    case FlowOption::EscapeFunctions:
      Options.store(Map, Key, Opts.EscapeFunctions);
      break;
    case FlowOption::LockTypes:
      Options.store(Map, Key, Opts.LockTypes);
      break;
    case FlowOption::ChannelTypes:
      Options.store(Map, Key, Opts.ChannelTypes);
      break;
    case FlowOption::SendMethods:
      Options.store(Map, Key, Opts.SendMethods);
      break;
    case FlowOption::MatchChannelNames:
      Options.store(Map, Key, Opts.MatchChannelNames);
      break;
    case FlowOption::WaitGroupTypes:
      Options.store(Map, Key, Opts.WaitGroupTypes);
      break;
    case FlowOption::ErrorTypes:
      Options.store(Map, Key, Opts.ErrorTypes);
      break;
    case FlowOption::CheckedFunctions:
      Options.store(Map, Key, Opts.CheckedFunctions);
      break;
    case FlowOption::StatusHeuristic:
      Options.store(Map, Key, Opts.StatusHeuristic);
      break;
    case FlowOption::AssertionMacros:
      Options.store(Map, Key, Opts.AssertionMacros);
      break;
    case FlowOption::TestCaseMacros:
      Options.store(Map, Key, Opts.TestCaseMacros);
      break;
    case FlowOption::TestPaths:
      Options.store(Map, Key, Opts.TestPaths);
      break;
    case FlowOption::ExamplePaths:
      Options.store(Map, Key, Opts.ExamplePaths);
      break;
    }
  }
  storeCheckOptions(Map);
}

void PitfallCheck::registerMatchers(MatchFinder *Finder) {
  // One match per translation unit: the check walks the user's definitions
  // (FlowContext::userDefinitions(), collected once for every check) rather
  // than having the finder try matchers on every declaration and lambda of
  // every header.
  Finder->addMatcher(translationUnitDecl().bind("pitfall-tu"), this);
}

void PitfallCheck::check(const MatchFinder::MatchResult &Result) {
  // After a fatal error (a missing header) Sema instantiates no more
  // templates: the AST has calls without bodies and classes without their
  // special members, which the analyses would misread (and the CFG builder
  // may crash on). The TU is reported as not parsed completely; nothing of
  // it is analysed.
  if (Result.Context->getDiagnostics().hasFatalErrorOccurred())
    return;
  if (!Flow)
    Flow = &FlowContext::get(*Result.Context, Opts);
  for (UserDefinition D : Flow->userDefinitions()) {
    if (const auto *FD = dyn_cast<const FunctionDecl *>(D))
      handFunction(FD);
    else if (const auto *L = dyn_cast<const LambdaExpr *>(D))
      handFunction(L->getCallOperator());
    else if (const auto *Field = dyn_cast<const FieldDecl *>(D))
      checkInitializer(Field->getInClassInitializer(), *Flow);
    else if (const auto *Var = dyn_cast<const VarDecl *>(D))
      checkInitializer(Var->getInit(), *Flow);
  }
}

void PitfallCheck::handFunction(const FunctionDecl *FD) {
  if (!FD || !FD->doesThisDeclarationHaveABody() || !FD->getBody() ||
      FD->isDefaulted() || FD->isDeleted())
    return;
  // Implicit members (an implicit constructor's body) are not the user's.
  if (FD->isImplicit() && !(isa<CXXMethodDecl>(FD) &&
                            cast<CXXMethodDecl>(FD)->getParent()->isLambda()))
    return;
  if (!Handed.insert(FD).second)
    return;
  if (FD->isDependentContext()) {
    Patterns.insert(FD); // analysed at the end, if never instantiated
    return;
  }
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    Instantiated.insert(Pattern);
  checkFunction(FD, *Flow);
}

void PitfallCheck::onEndOfTranslationUnit() {
  if (Flow) {
    for (const FunctionDecl *P : Patterns)
      if (!Instantiated.count(P))
        checkFunction(P, *Flow);
    endOfTranslationUnit(*Flow);
  }
  Flow = nullptr;
  Handed.clear();
  Patterns.clear();
  Instantiated.clear();
  Reported.clear();
}

bool PitfallCheck::firstReport(SourceLocation Loc, llvm::StringRef Message) {
  return Reported
      .insert({Loc.getRawEncoding(),
               static_cast<unsigned>(llvm::hash_value(Message))})
      .second;
}

DiagnosticBuilder PitfallCheck::reportFinding(SourceLocation Loc,
                                              llvm::StringRef Message,
                                              Severity S) {
  recordSeverity(getID(), flow().astContext().getSourceManager(), Loc, S);
  return diag(Loc, Message);
}

} // namespace pitfall
