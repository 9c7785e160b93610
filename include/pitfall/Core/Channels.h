//===--- Channels.h - which types are channels, what their calls do -------===//
//
// Shared by pitfall-send-on-closed-channel (clang-tidy) and
// pitfall.ChannelClose (analyzer): the channel-type recognizer, the
// classification of channel member calls (send, close, closed-state tests,
// reset), and the intraprocedural "may be closed here" analysis over a CFG.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_CHANNELS_H
#define PITFALL_CORE_CHANNELS_H

#include "pitfall/Core/NameList.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace clang {
class CFG;
class CFGBlock;
class CXXMethodDecl;
class CXXRecordDecl;
class CallExpr;
class Expr;
class FunctionDecl;
class QualType;
class Stmt;
class ValueDecl;
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
  Reset,    ///< reset(): asio's reopen
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

/// The variable, parameter or field that names a channel object, as written:
/// `ch`, `this->ch_`, `p->`/`*p` (the pointer p), `up->` (a smart pointer).
/// Two expressions with the same key denote the same channel unless the key
/// is reassigned in between.
struct ChannelKey {
  const clang::ValueDecl *Decl = nullptr;
  bool ThroughPointer = false;
  explicit operator bool() const { return Decl != nullptr; }
  bool operator==(const ChannelKey &O) const {
    return Decl == O.Decl && ThroughPointer == O.ThroughPointer;
  }
};
ChannelKey channelKeyOf(const clang::Expr *ChannelExpr);

/// A send or close reached while the channel may already be closed.
struct ClosedChannelUse {
  const clang::CallExpr *Use;   ///< the send or the second close
  ChannelOp Kind;               ///< Send or Close
  const clang::CallExpr *Close; ///< a close that may precede it
};

/// Forward may-analysis over \p Cfg: which channel may be closed at each
/// send and close. Closed-state tests (`if (!ch.is_closed()) ch.send(v)`)
/// clear the state on the branch where the channel is open; construction,
/// assignment and reset() of the key reopen it. Loops are iterated to a
/// fixpoint, so a close in one iteration reaches a send in the next.
/// Findings are reported in CFG order, each use once.
void findClosedChannelUses(
    const clang::CFG &Cfg, const ChannelRecognizer &Channels,
    llvm::function_ref<void(const ClosedChannelUse &)> Report);

/// The sends and closes of \p Key reachable from just after \p Close (in
/// \p Cfg) only by going around \p Loop's back edge, i.e. in a later
/// iteration, with the same reopen and closed-test rules as above.
void findUsesInLaterIterations(
    const clang::CFG &Cfg, const ChannelRecognizer &Channels,
    const clang::CallExpr *Close, ChannelKey Key, const clang::Stmt *Loop,
    llvm::function_ref<void(const ClosedChannelUse &)> Report);

} // namespace pitfall

#endif
