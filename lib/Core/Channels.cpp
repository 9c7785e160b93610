//===--- Channels.cpp -----------------------------------------------------===//
#include "pitfall/Core/Channels.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSwitch.h"

#include <deque>

using namespace clang;

namespace pitfall {

ChannelRecognizer::ChannelRecognizer(llvm::StringRef ChannelTypes,
                                     llvm::StringRef SendMethods,
                                     bool MatchChannelNames)
    : Types(ChannelTypes), Sends(SendMethods),
      MatchChannelNames(MatchChannelNames) {}

/// "chan" anywhere in the name, except in "exchange".
static bool looksLikeChannelName(llvm::StringRef Name) {
  std::string Lower = Name.lower();
  llvm::StringRef L(Lower);
  for (size_t Pos = L.find("chan"); Pos != llvm::StringRef::npos;
       Pos = L.find("chan", Pos + 1)) {
    if (!L.substr(0, Pos).ends_with("ex"))
      return true;
  }
  return false;
}

static bool hasCloseMethod(const CXXRecordDecl *RD) {
  auto IsClose = [](const CXXRecordDecl *R) {
    for (const CXXMethodDecl *M : R->methods())
      if (M->getIdentifier() && M->getName() == "close")
        return true;
    // Member templates and using-declarations.
    for (const Decl *D : R->decls())
      if (const auto *ND = dyn_cast<NamedDecl>(D))
        if (ND->getIdentifier() && ND->getName() == "close" &&
            isa<FunctionTemplateDecl, UsingDecl>(ND))
          return true;
    return false;
  };
  if (IsClose(RD))
    return true;
  bool Found = false;
  RD->forallBases([&](const CXXRecordDecl *Base) {
    Found = Found || IsClose(Base);
    return !Found;
  });
  return Found;
}

bool ChannelRecognizer::isChannelClass(const CXXRecordDecl *RD) const {
  if (!RD)
    return false;
  RD = RD->getCanonicalDecl();
  auto [It, Inserted] = Cache.try_emplace(RD, false);
  if (!Inserted)
    return It->second;
  bool Result = Types.matches(RD);
  if (!Result && MatchChannelNames && RD->getIdentifier() &&
      looksLikeChannelName(RD->getName())) {
    const CXXRecordDecl *Def = RD->getDefinition();
    Result = Def && hasCloseMethod(Def);
  }
  // try_emplace may have been invalidated by recursion through bases.
  Cache[RD] = Result;
  return Result;
}

bool ChannelRecognizer::isChannelType(QualType T, bool ThroughPointers) const {
  return isChannelClass(recordOf(T, ThroughPointers));
}

bool ChannelRecognizer::isSendName(llvm::StringRef Name) const {
  return Sends.matchesLastComponent(Name);
}

const CXXRecordDecl *objectClassOf(const CallExpr *Call) {
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Call)) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    return Obj ? recordOf(Obj->IgnoreParenImpCasts()->getType(),
                          /*ThroughPointers=*/true)
               : nullptr;
  }
  if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(Call);
      Op && Op->getNumArgs() > 0)
    return recordOf(Op->getArg(0)->IgnoreParenImpCasts()->getType());
  return nullptr;
}

ChannelOp ChannelRecognizer::classifyMethod(const CXXMethodDecl *M,
                                            const CXXRecordDecl *Object) const {
  if (!M || isa<CXXConstructorDecl, CXXDestructorDecl>(M))
    return ChannelOp::None;
  if (!isChannelClass(M->getParent()) &&
      !(Object && Object != M->getParent() && isChannelClass(Object) &&
        Object->isDerivedFrom(M->getParent())))
    return ChannelOp::None;
  if (M->getOverloadedOperator() == OO_LessLess)
    return isSendName("operator<<") ? ChannelOp::Send : ChannelOp::None;
  if (!M->getIdentifier())
    return ChannelOp::None;
  llvm::StringRef Name = M->getName();
  ChannelOp Op = llvm::StringSwitch<ChannelOp>(Name)
                     .Case("close", ChannelOp::Close)
                     .Case("is_closed", ChannelOp::IsClosed)
                     .Case("closed", ChannelOp::IsClosed)
                     .Case("isClosed", ChannelOp::IsClosed)
                     .Case("is_open", ChannelOp::IsOpen)
                     .Case("isOpen", ChannelOp::IsOpen)
                     .Case("reset", ChannelOp::Reset)
                     .Default(ChannelOp::None);
  if (Op == ChannelOp::None && isSendName(Name))
    return ChannelOp::Send;
  if (Op == ChannelOp::Close && M->getMinRequiredArguments() != 0)
    return ChannelOp::None;
  return Op;
}

ChannelOp ChannelRecognizer::classifyFunction(const FunctionDecl *FD,
                                              int &ChannelArg,
                                              const CallExpr *Call) const {
  ChannelArg = -1;
  if (!FD)
    return ChannelOp::None;
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD); M && M->isInstance())
    return classifyMethod(M, objectClassOf(Call));
  // A free `operator<<(Chan&, T)`, the cpp-channel style.
  if (FD->getOverloadedOperator() != OO_LessLess || FD->getNumParams() != 2 ||
      !isSendName("operator<<") ||
      !isChannelType(FD->getParamDecl(0)->getType()))
    return ChannelOp::None;
  ChannelArg = 0;
  return ChannelOp::Send;
}

ChannelOp ChannelRecognizer::classifyCall(const CallExpr *Call,
                                          const Expr *&Channel) const {
  Channel = nullptr;
  if (!Call)
    return ChannelOp::None;
  int Arg = -1;
  ChannelOp Op = classifyFunction(Call->getDirectCallee(), Arg, Call);
  if (Op == ChannelOp::None)
    return Op;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    Channel = MC->getImplicitObjectArgument();
  else if (isa<CXXOperatorCallExpr>(Call) && Call->getNumArgs() > 0)
    Channel = Call->getArg(0); // member or free operator: object first
  else if (Arg >= 0 && static_cast<unsigned>(Arg) < Call->getNumArgs())
    Channel = Call->getArg(Arg);
  return Channel ? Op : ChannelOp::None;
}

ChannelKey channelKeyOf(const Expr *E) {
  ChannelKey Key;
  if (!E)
    return Key;
  E = E->IgnoreParenImpCasts();
  // *p, p->, up-> and *up: the pointer or smart pointer names the channel.
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_Deref) {
    Key = channelKeyOf(UO->getSubExpr());
    Key.ThroughPointer = true;
    return Key;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
      Op && (Op->getOperator() == OO_Arrow || Op->getOperator() == OO_Star) &&
      Op->getNumArgs() == 1) {
    Key = channelKeyOf(Op->getArg(0));
    Key.ThroughPointer = true;
    return Key;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      Key.Decl = VD;
      Key.ThroughPointer = VD->getType()->isPointerType();
    }
    return Key;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
      return Key;
    Key.Decl = FD;
    Key.ThroughPointer = FD->getType()->isPointerType();
  }
  return Key;
}

namespace {

/// What one CFG statement does to the channel state.
struct Event {
  enum Kind { None, Use, Reopen } K = None;
  ChannelKey Key;
  ChannelOp Op = ChannelOp::None;
  const CallExpr *Call = nullptr;
};

/// The key written by an assignment / declaration / reset in \p S.
Event classifyStmt(const Stmt *S, const ChannelRecognizer &Channels) {
  Event Ev;
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    const Expr *Chan = nullptr;
    ChannelOp Op = Channels.classifyCall(Call, Chan);
    if (Op == ChannelOp::Send || Op == ChannelOp::Close) {
      Ev = {Event::Use, channelKeyOf(Chan), Op, Call};
      return Ev.Key ? Ev : Event{};
    }
    if (Op == ChannelOp::Reset) {
      Ev = {Event::Reopen, channelKeyOf(Chan), Op, Call};
      return Ev.Key ? Ev : Event{};
    }
    // `ch = Chan<int>()` or `up = std::make_unique<...>()`.
    if (const auto *OpCall = dyn_cast<CXXOperatorCallExpr>(Call);
        OpCall && OpCall->isAssignmentOp() && OpCall->getNumArgs() == 2) {
      ChannelKey K = channelKeyOf(OpCall->getArg(0));
      if (K)
        return {Event::Reopen, K, ChannelOp::None, nullptr};
    }
    // `up.reset(new Chan)`: a smart pointer's reset.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
        MC && MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() &&
        MC->getMethodDecl()->getName() == "reset") {
      ChannelKey K = channelKeyOf(MC->getImplicitObjectArgument());
      if (K) {
        K.ThroughPointer = true;
        return {Event::Reopen, K, ChannelOp::None, nullptr};
      }
    }
    return Ev;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(S);
      BO && BO->getOpcode() == BO_Assign) {
    ChannelKey K = channelKeyOf(BO->getLHS());
    if (K)
      return {Event::Reopen, K, ChannelOp::None, nullptr};
    return Ev;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D)) {
        ChannelKey K;
        K.Decl = VD;
        K.ThroughPointer = VD->getType()->isPointerType();
        return {Event::Reopen, K, ChannelOp::None, nullptr};
      }
  }
  return Ev;
}

/// A key whose state changes: `p` reassigned reopens both `p` and `*p`.
bool sameObject(const ChannelKey &A, const ChannelKey &B) {
  return A.Decl == B.Decl;
}

/// If \p Cond tests a channel's closed state, the key and which successor
/// (0 = true branch, 1 = false branch) sees the channel open.
bool openBranchOf(const Expr *Cond, const ChannelRecognizer &Channels,
                  ChannelKey &Key, unsigned &OpenSucc) {
  if (!Cond)
    return false;
  bool Negated = false;
  Cond = Cond->IgnoreParenImpCasts();
  while (const auto *UO = dyn_cast<UnaryOperator>(Cond)) {
    if (UO->getOpcode() != UO_LNot)
      return false;
    Negated = !Negated;
    Cond = UO->getSubExpr()->IgnoreParenImpCasts();
  }
  const auto *Call = dyn_cast<CallExpr>(Cond);
  const Expr *Chan = nullptr;
  ChannelOp Op = Channels.classifyCall(Call, Chan);
  if (Op != ChannelOp::IsClosed && Op != ChannelOp::IsOpen)
    return false;
  Key = channelKeyOf(Chan);
  if (!Key)
    return false;
  bool OpenWhenTrue = (Op == ChannelOp::IsOpen) != Negated;
  OpenSucc = OpenWhenTrue ? 0 : 1;
  return true;
}

/// The channels that may be closed, each with one close that reaches here.
using ClosedSet = llvm::SmallVector<std::pair<ChannelKey, const CallExpr *>, 4>;

/// A close of \p K in \p S other than \p Except.
const CallExpr *lookup(const ClosedSet &S, const ChannelKey &K,
                       const CallExpr *Except = nullptr) {
  for (const auto &[Key, Close] : S)
    if (Key == K && Close != Except)
      return Close;
  return nullptr;
}

void erase(ClosedSet &S, const ChannelKey &K) {
  llvm::erase_if(S, [&](const auto &E) { return sameObject(E.first, K); });
}

/// Merges \p From into \p Into; true if \p Into grew.
bool merge(ClosedSet &Into, const ClosedSet &From) {
  bool Changed = false;
  for (const auto &E : From)
    if (!llvm::is_contained(Into, E)) {
      Into.push_back(E);
      Changed = true;
    }
  return Changed;
}

/// Applies \p B's statements to \p State; calls \p OnUse for each send or
/// close with the close that may precede it (or null).
template <typename UseFn>
void transfer(const CFGBlock &B, unsigned From, ClosedSet &State,
              const ChannelRecognizer &Channels, UseFn OnUse) {
  for (unsigned I = From, E = B.size(); I != E; ++I) {
    auto CS = B[I].getAs<CFGStmt>();
    if (!CS)
      continue;
    Event Ev = classifyStmt(CS->getStmt(), Channels);
    switch (Ev.K) {
    case Event::None:
      break;
    case Event::Reopen:
      erase(State, Ev.Key);
      break;
    case Event::Use:
      // A close reaching itself around a loop is reached again only if its
      // own guard holds again, which a CFG cannot tell: it does not count.
      OnUse(Ev, lookup(State, Ev.Key,
                       Ev.Op == ChannelOp::Close ? Ev.Call : nullptr));
      if (Ev.Op == ChannelOp::Close) {
        erase(State, Ev.Key);
        State.push_back({Ev.Key, Ev.Call});
      }
      break;
    }
  }
}

/// The state \p Out of \p B as seen along its \p SuccIndex'th edge.
ClosedSet edgeState(const CFGBlock &B, unsigned SuccIndex, const ClosedSet &Out,
                    const ChannelRecognizer &Channels) {
  ClosedSet S = Out;
  ChannelKey K;
  unsigned OpenSucc = 0;
  if (B.succ_size() == 2 &&
      openBranchOf(B.getLastCondition(), Channels, K, OpenSucc) &&
      OpenSucc == SuccIndex)
    erase(S, K);
  return S;
}

} // namespace

void findClosedChannelUses(
    const CFG &Cfg, const ChannelRecognizer &Channels,
    llvm::function_ref<void(const ClosedChannelUse &)> Report) {
  const unsigned N = Cfg.getNumBlockIDs();
  std::vector<ClosedSet> In(N);
  llvm::BitVector Queued(N);
  std::deque<const CFGBlock *> Work;
  auto Enqueue = [&](const CFGBlock *B) {
    if (B && !Queued.test(B->getBlockID())) {
      Queued.set(B->getBlockID());
      Work.push_back(B);
    }
  };
  // Every block is visited once; a block is revisited when its in-state grows.
  for (const CFGBlock *B : llvm::reverse(Cfg))
    Enqueue(B);
  while (!Work.empty()) {
    const CFGBlock *B = Work.front();
    Work.pop_front();
    Queued.reset(B->getBlockID());
    ClosedSet Out = In[B->getBlockID()];
    transfer(*B, 0, Out, Channels, [](const Event &, const CallExpr *) {});
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      const CFGBlock *S = Succ.getReachableBlock();
      unsigned SI = Index++;
      if (S && merge(In[S->getBlockID()], edgeState(*B, SI, Out, Channels)))
        Enqueue(S);
    }
  }
  // One more pass with the fixpoint in-states reports each use once.
  llvm::SmallPtrSet<const CallExpr *, 8> Seen;
  for (const CFGBlock *B : Cfg) {
    ClosedSet State = In[B->getBlockID()];
    transfer(*B, 0, State, Channels,
             [&](const Event &Ev, const CallExpr *Close) {
               if (Close && Seen.insert(Ev.Call).second)
                 Report({Ev.Call, Ev.Op, Close});
             });
  }
}

void findUsesInLaterIterations(
    const CFG &Cfg, const ChannelRecognizer &Channels, const CallExpr *Close,
    ChannelKey Key, const Stmt *Loop,
    llvm::function_ref<void(const ClosedChannelUse &)> Report) {
  // Find the close's position.
  const CFGBlock *Start = nullptr;
  unsigned StartIndex = 0;
  for (const CFGBlock *B : Cfg) {
    for (unsigned I = 0, E = B->size(); I != E && !Start; ++I)
      if (auto CS = (*B)[I].getAs<CFGStmt>(); CS && CS->getStmt() == Close) {
        Start = B;
        StartIndex = I + 1;
      }
    if (Start)
      break;
  }
  if (!Start)
    return;
  // Depth-first over (block, passed the loop head) pairs; the state is just
  // "Key still closed", so a reopen or an open branch ends the walk.
  const unsigned N = Cfg.getNumBlockIDs();
  llvm::BitVector Visited(2 * N);
  llvm::SmallPtrSet<const CallExpr *, 8> Seen;
  struct Item {
    const CFGBlock *B;
    unsigned From;
    bool Around;
  };
  llvm::SmallVector<Item, 16> Stack{{Start, StartIndex, false}};
  while (!Stack.empty()) {
    Item It = Stack.pop_back_val();
    ClosedSet State{{Key, Close}};
    transfer(*It.B, It.From, State, Channels,
             [&](const Event &Ev, const CallExpr *C) {
               if (C && It.Around && Ev.Key == Key &&
                   Seen.insert(Ev.Call).second)
                 Report({Ev.Call, Ev.Op, Close});
             });
    // Uses before the loop head is passed are in the same iteration, which
    // the engine explores itself.
    if (!lookup(State, Key))
      continue;
    bool Around = It.Around || It.B->getTerminatorStmt() == Loop;
    unsigned Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : It.B->succs()) {
      const CFGBlock *S = Succ.getReachableBlock();
      unsigned SI = Index++;
      if (!S || edgeState(*It.B, SI, State, Channels).empty())
        continue;
      unsigned Slot = S->getBlockID() * 2 + (Around ? 1 : 0);
      if (Visited.test(Slot))
        continue;
      Visited.set(Slot);
      Stack.push_back({S, 0, Around});
    }
  }
}

} // namespace pitfall
