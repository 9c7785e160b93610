//===--- Channels.h - which types are channels, what their calls do -------===//
//
// Shared by pitfall-send-on-closed-channel (clang-tidy), pitfall.ChannelClose
// (analyzer) and the flow layer: the channel-type recognizer and the
// classification of channel member calls (send, close, closed-state tests,
// reset). The "may be closed here" analysis is the flow layer's
// (pitfall/Flow/ClosedChannels.h).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_CHANNELS_H
#define PITFALL_CORE_CHANNELS_H

#include "pitfall/Core/NameList.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace clang {
class CXXMethodDecl;
class CXXRecordDecl;
class CallExpr;
class Expr;
class FunctionDecl;
class QualType;
} // namespace clang

namespace pitfall {

/// Default value of the ChannelTypes option: the library channel classes.
/// asio's `channel` / `concurrent_channel` are alias templates of the
/// basic_* class templates listed here.
inline constexpr const char *DefaultChannelTypes =
    "::boost::fibers::buffered_channel;::boost::fibers::unbuffered_channel;"
    "::asio::experimental::basic_channel;"
    "::asio::experimental::basic_concurrent_channel;"
    "::boost::asio::experimental::basic_channel;"
    "::boost::asio::experimental::basic_concurrent_channel";

/// Default value of the SendMethods option.
inline constexpr const char *DefaultSendMethods =
    "send;push;try_send;try_push;async_send;put;write;operator<<;"
    "push_wait_for;push_wait_until";

/// What a call does to a channel.
enum class ChannelOp {
  None,
  Send,     ///< one of SendMethods
  Close,    ///< close()
  IsClosed, ///< is_closed() / closed(): true when closed
  IsOpen,   ///< is_open(): true when open
  Reset,    ///< reset(): asio's reopen; a class's own open() / reopen()
};

/// The channel recognizer shared by every front end.
class ChannelRecognizer {
public:
  /// \p ChannelTypes lists channel classes (NameList syntax). When
  /// \p MatchChannelNames is set, any class whose name contains "chan"
  /// (case-insensitively, "exchange" excepted) and that has a close() method
  /// is a channel too.
  explicit ChannelRecognizer(llvm::StringRef ChannelTypes = DefaultChannelTypes,
                             llvm::StringRef SendMethods = DefaultSendMethods,
                             bool MatchChannelNames = true);

  bool isChannelClass(const clang::CXXRecordDecl *RD) const;
  /// Through references, typedefs and (if \p ThroughPointers) pointers.
  bool isChannelType(clang::QualType T, bool ThroughPointers = false) const;

  /// What calling \p M on an object of class \p ObjectClass does, if that
  /// class is a channel (by default, M's own class; a channel may inherit
  /// its send functions, as asio's channels do).
  ChannelOp
  classifyMethod(const clang::CXXMethodDecl *M,
                 const clang::CXXRecordDecl *ObjectClass = nullptr) const;
  /// What calling \p FD does to its channel; for a free operator<< or a
  /// free send function taking the channel first, \p ChannelArg is set to 0,
  /// for members to -1 (the implicit object). \p Call, if given, supplies
  /// the object's class.
  ChannelOp classifyFunction(const clang::FunctionDecl *FD, int &ChannelArg,
                             const clang::CallExpr *Call = nullptr) const;
  /// The channel operation performed by \p Call and the expression denoting
  /// the channel object (member call object, operator's first argument).
  ChannelOp classifyCall(const clang::CallExpr *Call,
                         const clang::Expr *&Channel) const;

  const NameList &channelTypes() const { return Types; }
  const NameList &sendMethods() const { return Sends; }

private:
  bool isSendName(llvm::StringRef Name) const;

  NameList Types;
  NameList Sends;
  bool MatchChannelNames;
  mutable llvm::DenseMap<const clang::CXXRecordDecl *, bool> Cache;
};

/// The class of the object a member call (or member operator call) is made
/// on, or null.
const clang::CXXRecordDecl *objectClassOf(const clang::CallExpr *Call);

} // namespace pitfall

#endif
