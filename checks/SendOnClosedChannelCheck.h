//===--- SendOnClosedChannelCheck.h - pitfall-send-on-closed-channel ------===//
#ifndef PITFALL_CHECKS_SENDONCLOSEDCHANNELCHECK_H
#define PITFALL_CHECKS_SENDONCLOSEDCHANNELCHECK_H

#include "PitfallCheck.h"

namespace pitfall {

/// Flags a send on a channel, or a close of a channel, that may already be
/// closed on some path through the function (the flow layer's
/// ClosedChannels analysis; the intraprocedural form of the analyzer checker
/// pitfall.ChannelClose). Documentation: docs/checks/send-on-closed-channel.md
class SendOnClosedChannelCheck : public PitfallCheck {
public:
  SendOnClosedChannelCheck(llvm::StringRef Name,
                           clang::tidy::ClangTidyContext *Context);

private:
  void checkFunction(const clang::FunctionDecl *FD, FlowContext &Flow) override;
};

} // namespace pitfall

#endif
