//===--- ClosedChannels.h - sends and closes on a channel that may be closed
//===//
//
// The analysis behind pitfall-send-on-closed-channel, and the loop fallback
// of the analyzer checker pitfall.ChannelClose: a forward may-analysis over
// the flow graph of which channels may already be closed, reporting a send,
// or another close, reached while one may be.
//
//   * Closes and sends are read by the flow layer (Effects.h): a channel's
//     close() and its SendMethods, a helper whose summary closes the channel
//     or sends on it (or closes it) without testing it first, a call through
//     a callable (a lambda, std::function, std::packaged_task, a member
//     function pointer).
//   * A closed-state test (`if (!ch.is_closed())`, `if (ch.is_open())`, also
//     inside `&&` / `||`) clears the state on the branch where the channel
//     is open; a declaration, an assignment or reset() gives the name a new
//     channel.
//   * Exceptional edges: catch blocks are real paths (user exceptions).
//   * Other threads: a task started in the function (thread, std::async,
//     executor, a spawning helper) whose body closes the channel counts once
//     something orders its end before the point (join, future get/wait, a
//     latch or condition the task signals waited on, ...: HappensBefore.h);
//     while the task may still be running its close is not assumed.
//   * Path correlation on stable conditions: a close under `if (done)` does
//     not reach a send under `if (!done)`.
//   * Loops are iterated to a fixpoint; a close does not reach itself around
//     a loop (its own guard may not hold again).
//
// Channels are named by object paths (`ch`, `this->out_`, `*p`, `p.out_`);
// an element of a container is not followed.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_CLOSEDCHANNELS_H
#define PITFALL_FLOW_CLOSEDCHANNELS_H

#include "pitfall/Core/Channels.h"
#include "pitfall/Flow/FlowContext.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace clang {
class CallExpr;
class Decl;
class Expr;
class Stmt;
} // namespace clang

namespace pitfall {

/// How the channel was closed before the use.
enum class CloseVia : uint8_t {
  Direct, ///< its close(), in this function
  Helper, ///< a call whose summary closes it (a helper, a callable)
  Task,   ///< a task started here, known to have finished
};

/// A send or close reached while the channel may already be closed.
struct ClosedChannelUse {
  const clang::Expr *Use = nullptr; ///< the send or the second close
  ChannelOp Kind = ChannelOp::None; ///< Send or Close
  /// A close that may precede it: the call, or the start of the task.
  const clang::Expr *Close = nullptr;
  CloseVia Via = CloseVia::Direct;
  ObjectPath Channel;
  /// The function's own close() precedes the use on every path reaching
  /// it: the send or the second close happens whenever the use runs.
  bool OnEveryPath = false;
};

/// The sends and closes of \p Fn reached while their channel may already be
/// closed, each once, in source order.
llvm::SmallVector<ClosedChannelUse, 4>
findClosedChannelUses(FlowContext &Flow, const clang::FunctionDecl *Fn);

/// The sends and closes of the channel \p Close closes (in \p Fn's body)
/// reachable from just after \p Close only by going around \p Loop's back
/// edge, i.e. in a later iteration, with the same reopen and closed-test
/// rules. pitfall.ChannelClose explores the iterations within its budget
/// path-sensitively and asks this for the ones beyond.
void findUsesInLaterIterations(
    FlowContext &Flow, const clang::Decl *Fn, const clang::CallExpr *Close,
    const clang::Stmt *Loop,
    llvm::function_ref<void(const ClosedChannelUse &)> Report);

/// How a channel is named in messages: `ch`, `out_` (a member of `this`),
/// `p.out_`, `p->out_`.
std::string channelName(const ObjectPath &P);

} // namespace pitfall

#endif // PITFALL_FLOW_CLOSEDCHANNELS_H
