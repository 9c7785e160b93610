//===--- SendOnClosedChannelCheck.cpp - pitfall-send-on-closed-channel ----===//
//
// The flow layer's ClosedChannels analysis (lib/Flow/ClosedChannels) returns
// the sends and closes reached while their channel may already be closed;
// this check words them, with a note at the close (or at the start of the
// task that closed the channel).
//
//===----------------------------------------------------------------------===//
#include "SendOnClosedChannelCheck.h"
#include "CheckFactory.h"

#include "pitfall/Flow/ClosedChannels.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace pitfall {

SendOnClosedChannelCheck::SendOnClosedChannelCheck(
    llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : PitfallCheck(Name, Context,
                   {FlowOption::ChannelTypes, FlowOption::SendMethods,
                    FlowOption::MatchChannelNames}) {}

void SendOnClosedChannelCheck::checkFunction(const FunctionDecl *FD,
                                             FlowContext &Flow) {
  const SourceManager &SM = Flow.astContext().getSourceManager();
  for (const ClosedChannelUse &U : findClosedChannelUses(Flow, FD)) {
    if (SM.isInSystemHeader(U.Use->getBeginLoc()))
      continue;
    // Instantiations of one template repeat the pattern's findings.
    if (!firstReport(U.Use->getBeginLoc(),
                     U.Kind == ChannelOp::Send ? "send" : "close"))
      continue;
    std::string Name = channelName(U.Channel);
    // Closed on every path reaching the use: it fails whenever it runs.
    Severity S = U.OnEveryPath ? Severity::Error : Severity::Warning;
    if (U.Kind == ChannelOp::Send)
      reportFinding(U.Use->getBeginLoc(),
                    "send on channel '%0' that may already be closed", S)
          << Name << U.Use->getSourceRange();
    else
      reportFinding(U.Use->getBeginLoc(), "channel '%0' may be closed twice", S)
          << Name << U.Use->getSourceRange();
    if (U.Via == CloseVia::Task)
      diag(U.Close->getBeginLoc(), "'%0' is closed by the task started here",
           DiagnosticIDs::Note)
          << Name << U.Close->getSourceRange();
    else
      diag(U.Close->getBeginLoc(), "'%0' is closed here", DiagnosticIDs::Note)
          << Name << U.Close->getSourceRange();
  }
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(SendOnClosedChannelCheck)
