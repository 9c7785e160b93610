//===--- SendOnClosedChannelCheck.cpp - pitfall-send-on-closed-channel ----===//
#include "SendOnClosedChannelCheck.h"
#include "CheckFactory.h"

#include "clang/AST/Decl.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Analysis/CFG.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace pitfall {

SendOnClosedChannelCheck::SendOnClosedChannelCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      ChannelTypesOption(Options.get("ChannelTypes", DefaultChannelTypes)),
      SendMethodsOption(Options.get("SendMethods", DefaultSendMethods)),
      MatchChannelNames(Options.get("MatchChannelNames", true)),
      Channels(ChannelTypesOption, SendMethodsOption, MatchChannelNames) {}

void SendOnClosedChannelCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ChannelTypes", ChannelTypesOption);
  Options.store(Opts, "SendMethods", SendMethodsOption);
  Options.store(Opts, "MatchChannelNames", MatchChannelNames);
}

void SendOnClosedChannelCheck::registerMatchers(MatchFinder *Finder) {
  // Only functions that close something are analyzed; whether the closed
  // object is a channel is decided by the recognizer in check(). The
  // function is found from above (hasDescendant), not from the call
  // upwards: forCallable would build the parent map of the whole TU.
  auto CloseCall = cxxMemberCallExpr(
      callee(cxxMethodDecl(hasName("close"), parameterCountIs(0))));
  Finder->addMatcher(functionDecl(isDefinition(),
                                  unless(isExpansionInSystemHeader()),
                                  hasBody(hasDescendant(CloseCall)))
                         .bind("function"),
                     this);
}

/// How the channel is named in messages: `ch`, `ch_`, `*p`.
static std::string channelName(const Expr *ChannelExpr) {
  ChannelKey Key = channelKeyOf(ChannelExpr);
  if (!Key)
    return "channel";
  return Key.Decl->getName().str();
}

void SendOnClosedChannelCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Function = Result.Nodes.getNodeAs<FunctionDecl>("function");
  if (!Function || !Function->hasBody() ||
      !Analyzed.insert(Function->getCanonicalDecl()).second)
    return;

  CFG::BuildOptions Options;
  Options.setAllAlwaysAdd();
  std::unique_ptr<CFG> Cfg =
      CFG::buildCFG(Function, Function->getBody(), Result.Context, Options);
  if (!Cfg)
    return;
  const SourceManager &SM = *Result.SourceManager;
  findClosedChannelUses(*Cfg, Channels, [&](const ClosedChannelUse &U) {
    if (SM.isInSystemHeader(U.Use->getBeginLoc()))
      return;
    const Expr *UseChannel = nullptr;
    Channels.classifyCall(U.Use, UseChannel);
    std::string Name = channelName(UseChannel);
    if (U.Kind == ChannelOp::Send)
      diag(U.Use->getBeginLoc(),
           "send on channel '%0' that may already be closed")
          << Name << U.Use->getSourceRange();
    else
      diag(U.Use->getBeginLoc(), "channel '%0' may be closed twice")
          << Name << U.Use->getSourceRange();
    diag(U.Close->getBeginLoc(), "'%0' is closed here", DiagnosticIDs::Note)
        << Name << U.Close->getSourceRange();
  });
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(SendOnClosedChannelCheck)
