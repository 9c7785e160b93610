//===--- UnjoinedThreadCheck.cpp - pitfall-unjoined-thread ----------------===//
//
// Locals and local containers of threads: a forward may-analysis over the
// function's CFG tracks, per object, the set of states it may be in
// (not started, joinable, done, unknown). Destruction, reassignment and a
// throwing call while "joinable" (and not "unknown") are reported. Objects
// whose address escapes to unknown code are not tracked.
//
// Data members: the destructor (written or implicit, plus member functions
// it calls) must join, detach or hand off every thread member that the
// class starts.
//
//===----------------------------------------------------------------------===//
#include "UnjoinedThreadCheck.h"
#include "CheckFactory.h"

#include "pitfall/Core/BodyIndex.h"
#include "pitfall/Core/CFGUtil.h"
#include "pitfall/Core/ThreadOwnership.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Analysis/CFG.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace pitfall {
namespace {

/// A variable or field that holds std::thread objects by value.
bool ownsThreads(const ValueDecl &D, const ThreadTypes &Threads) {
  QualType T = D.getType();
  if (T.isNull() || T->isReferenceType() || T->isPointerType())
    return false;
  return Threads.isTerminatingThread(T) ||
         Threads.isContainerOfTerminatingThreads(T);
}

AST_MATCHER_P(ValueDecl, ownsThreads, const ThreadTypes *, Threads) {
  return ownsThreads(Node, *Threads);
}

//===----------------------------------------------------------------------===//
// Small AST helpers
//===----------------------------------------------------------------------===//

/// Skips parentheses, implicit casts and temporary materialization, but not
/// std::move (unlike ignoreWrappers()).
const Expr *skipTemps(const Expr *E) {
  while (E) {
    const Expr *Next = E->IgnoreParenImpCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(Next))
      Next = EWC->getSubExpr();
    else if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(Next))
      Next = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(Next))
      Next = B->getSubExpr();
    else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = F->getSubExpr();
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

bool isStdFunctionNamed(const FunctionDecl *FD,
                        std::initializer_list<llvm::StringRef> Names) {
  if (!FD || !FD->getIdentifier() || !FD->isInStdNamespace())
    return false;
  return llvm::is_contained(Names, FD->getName());
}

bool isStdMove(const Expr *E) {
  const auto *Call = dyn_cast_or_null<CallExpr>(E);
  return Call && Call->getNumArgs() == 1 &&
         isStdFunctionNamed(Call->getDirectCallee(), {"move", "forward"});
}

/// The operand of std::move(x), after wrappers.
const Expr *movedOperand(const Expr *E) {
  E = skipTemps(E);
  return isStdMove(E) ? skipTemps(cast<CallExpr>(E)->getArg(0)) : nullptr;
}

const CXXOperatorCallExpr *asOperatorCall(const Stmt *S,
                                          OverloadedOperatorKind K) {
  const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(S);
  return OC && OC->getOperator() == K ? OC : nullptr;
}

/// std::for_each, std::for_each_n and std::ranges::for_each(_n).
bool isForEachCall(const CallExpr *Call) {
  auto IsForEachName = [](const NamedDecl *D) {
    return D && D->getIdentifier() &&
           (D->getName() == "for_each" || D->getName() == "for_each_n");
  };
  if (const auto *OC = asOperatorCall(Call, OO_Call)) {
    const auto *Obj = dyn_cast<DeclRefExpr>(skipTemps(OC->getArg(0)));
    return Obj && IsForEachName(Obj->getDecl());
  }
  return IsForEachName(Call->getDirectCallee());
}

/// True if passing an argument to \p Param lets the callee modify or keep the
/// object (non-const reference, pointer), or if the parameter is unknown.
bool isMutableByReference(const ParmVarDecl *Param) {
  if (!Param)
    return true;
  QualType T = Param->getType();
  if (T->isPointerType())
    return true;
  if (const auto *RT = T->getAs<ReferenceType>())
    return !RT->getPointeeType().isConstQualified();
  return T->isDependentType();
}

const ParmVarDecl *paramForArg(const CallExpr *Call, const Expr *Arg) {
  const auto *FD = Call->getDirectCallee();
  if (!FD)
    return nullptr;
  unsigned Shift = 0;
  // operator calls of member operators: arg 0 is the object.
  if (isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD))
    Shift = 1;
  for (unsigned I = Shift, N = Call->getNumArgs(); I < N; ++I)
    if (skipTemps(Call->getArg(I)) == Arg || Call->getArg(I) == Arg)
      return I - Shift < FD->getNumParams() ? FD->getParamDecl(I - Shift)
                                            : nullptr;
  return nullptr;
}

bool isLoopStmt(const Stmt *S) {
  return isa<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt>(S);
}

//===----------------------------------------------------------------------===//
// The analysis of one function
//===----------------------------------------------------------------------===//

enum StateBit : uint8_t {
  NotStarted = 1, ///< never started, or default state
  Joinable = 2,   ///< started (or, for containers, holds started threads)
  Done = 4,       ///< joined, detached, moved out, handed to a joiner
  Unknown = 8,    ///< value from unknown code (factory call, swap with ...)
};

struct Object {
  const VarDecl *Var;
  bool IsContainer;
  bool Escaped = false;
  bool Detached = false;
  bool Moved = false;          ///< std::move'd, returned or swapped
  bool Assigned = false;       ///< target of operator=
  bool PassedAsThread = false; ///< an argument of a call or construction
};

struct Event {
  enum Kind { Start, Assign, Release, MakeUnknown, Swap, Fill, MayThrow } K;
  unsigned Obj = 0;
  int From = -1;          ///< Start/Assign: source object; Swap: partner
  uint8_t Bits = Unknown; ///< Start/Assign: the new value if From < 0
  const Stmt *Site = nullptr;
  SourceLocation Loc; ///< Start/Assign/Fill: where the thread starts
};

struct State {
  bool Reached = false;
  llvm::SmallVector<uint8_t, 8> Bits;
  llvm::SmallVector<SourceLocation, 8> StartLoc;

  bool mergeFrom(const State &O) {
    if (!O.Reached)
      return false;
    if (!Reached) {
      *this = O;
      return true;
    }
    bool Changed = false;
    for (unsigned I = 0, N = Bits.size(); I != N; ++I) {
      uint8_t NB = Bits[I] | O.Bits[I];
      if (NB != Bits[I]) {
        Bits[I] = NB;
        Changed = true;
      }
      if (StartLoc[I].isInvalid() && O.StartLoc[I].isValid()) {
        StartLoc[I] = O.StartLoc[I];
        Changed = true;
      }
    }
    return Changed;
  }
};

bool reportable(uint8_t Bits) { return (Bits & Joinable) && !(Bits & Unknown); }

struct Finding {
  enum Kind { Destroyed, Reassigned, Thrown } K;
  unsigned Obj;
  SourceLocation Loc;
  ScopeExitKind Exit = ScopeExitKind::ScopeEnd;
  bool IsThrowExpr = false;
  SourceLocation StartLoc;
};

class FunctionAnalysis {
public:
  FunctionAnalysis(const FunctionDecl *Fn, ASTContext &Ctx,
                   const ThreadTypes &Threads, ThrowModel &Throws)
      : Fn(Fn), Body(Fn->getBody()), Ctx(Ctx), Threads(Threads),
        PM(Fn->getBody()), Throws(Throws) {
    const auto *Proto = Fn->getType()->getAs<FunctionProtoType>();
    ModelThrows = !isa<CXXDestructorDecl>(Fn) && !(Proto && Proto->isNothrow());
  }

  /// Collects objects and events. False if nothing is worth a CFG.
  bool prepare();
  /// Runs the dataflow to a fixpoint and collects findings.
  void run();

  llvm::SmallVector<Object, 4> Objects;
  llvm::SmallVector<Finding, 4> Findings;

private:
  int objectOf(const Expr *E) const {
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E ? skipTemps(E) : nullptr);
    if (!DRE)
      return -1;
    auto It = ObjectIndex.find(DRE->getDecl());
    return It == ObjectIndex.end() ? -1 : int(It->second);
  }
  int containerOfElementVar(
      const Expr *E, const llvm::DenseMap<const VarDecl *, unsigned> &M) const {
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E ? skipTemps(E) : nullptr);
    if (!DRE)
      return -1;
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    auto It = VD ? M.find(VD) : M.end();
    return It == M.end() ? -1 : int(It->second);
  }

  const Stmt *parent(const Stmt *S) const {
    return PM.getParentIgnoreParenImpCasts(const_cast<Stmt *>(S));
  }

  void walk(const Stmt *S);
  void declare(const VarDecl *VD, const DeclStmt *DS);
  void valueOf(const Expr *Init, Event &Ev);
  void classifyThreadUse(const DeclRefExpr *DRE, unsigned O);
  void classifyContainerUse(const DeclRefExpr *DRE, unsigned O);
  void elementUse(const Expr *Element, unsigned C);
  bool isDefaultThreadValue(const Expr *E) const;
  bool throwIsHandledFor(const Stmt *Site, unsigned O) const;

  void transfer(const CFGBlock &B, State &S, bool Report);
  void apply(const Event &Ev, State &S, bool Report);
  void refineEdge(const CFGBlock &B, unsigned SuccIndex, State &S) const;

  const FunctionDecl *Fn;
  const Stmt *Body;
  ASTContext &Ctx;
  const ThreadTypes &Threads;
  ParentMap PM;
  ThrowModel &Throws;
  bool ModelThrows;

  llvm::DenseMap<const ValueDecl *, unsigned> ObjectIndex;
  llvm::DenseMap<const VarDecl *, unsigned> LoopVarOf;  ///< for (auto &t : C)
  llvm::DenseMap<const VarDecl *, unsigned> IteratorOf; ///< it = C.begin()
  llvm::DenseSet<const Stmt *> ConsumedMoves; ///< std::move read by an event
  llvm::DenseSet<const Stmt *> RangeInits;    ///< C in for (x : C)
  llvm::DenseMap<const Stmt *, llvm::SmallVector<Event, 1>> StmtEvents;
  llvm::DenseMap<const VarDecl *, Event> DeclEvents;
  llvm::DenseMap<const Stmt *, llvm::SmallVector<unsigned, 1>> LoopReleases;

  /// Records that object \p Obj is joined, detached or moved out at \p Site,
  /// taking effect when the CFG reaches \p At.
  void addRelease(const Stmt *At, unsigned Obj, const Stmt *Site) {
    Event Ev;
    Ev.K = Event::Release;
    Ev.Obj = Obj;
    Ev.Site = Site;
    StmtEvents[At].push_back(Ev);
  }
  llvm::DenseMap<unsigned, size_t> ThrowFinding; ///< object -> Findings index
  llvm::DenseSet<std::pair<unsigned, unsigned>> Reported; ///< (obj, loc)
};

bool FunctionAnalysis::isDefaultThreadValue(const Expr *E) const {
  const auto *CE =
      dyn_cast_or_null<CXXConstructExpr>(E ? skipTemps(E) : nullptr);
  return CE && CE->getConstructor() &&
         CE->getConstructor()->isDefaultConstructor();
}

void FunctionAnalysis::valueOf(const Expr *Init, Event &Ev) {
  Ev.Bits = Unknown;
  if (!Init)
    return;
  const Expr *E = skipTemps(Init);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    if (Threads.startedCallable(CE)) {
      Ev.Bits = Joinable;
      return;
    }
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    if (!Ctor)
      return;
    if (Ctor->isDefaultConstructor() || CE->getNumArgs() == 0) {
      Ev.Bits = NotStarted;
      return;
    }
    if (Ctor->isCopyOrMoveConstructor() && CE->getNumArgs() >= 1) {
      if (const Expr *Moved = movedOperand(CE->getArg(0))) {
        int From = objectOf(Moved);
        if (From >= 0) {
          Ev.From = From;
          ConsumedMoves.insert(skipTemps(CE->getArg(0)));
        }
      }
      return;
    }
    return;
  }
  // In a template, `std::thread t(f)` with a dependent `f` is not resolved
  // yet: any argument that is not itself a thread starts the thread.
  const Expr *FirstDependentArg = nullptr;
  if (const auto *PL = dyn_cast<ParenListExpr>(E))
    FirstDependentArg = PL->getNumExprs() ? PL->getExpr(0) : nullptr;
  else if (const auto *UC = dyn_cast<CXXUnresolvedConstructExpr>(E))
    FirstDependentArg = UC->getNumArgs() ? UC->getArg(0) : nullptr;
  if (FirstDependentArg) {
    const Expr *First = skipTemps(FirstDependentArg);
    bool MayBeThread =
        Threads.isAnyThread(First->getType()) || isStdMove(First);
    if (const auto *Call = dyn_cast<CallExpr>(First))
      if (const auto *ULE = dyn_cast<UnresolvedLookupExpr>(Call->getCallee()))
        if (const IdentifierInfo *II = ULE->getName().getAsIdentifierInfo())
          MayBeThread |= II->isStr("move") || II->isStr("forward");
    if (!MayBeThread)
      Ev.Bits = Joinable;
    return;
  }
  if (const Expr *Moved = movedOperand(E)) {
    int From = objectOf(Moved);
    if (From >= 0) {
      Ev.From = From;
      ConsumedMoves.insert(E);
    }
  }
}

void FunctionAnalysis::declare(const VarDecl *VD, const DeclStmt *DS) {
  if (!VD->hasLocalStorage() || isa<ParmVarDecl>(VD) ||
      VD->getDeclContext() != Fn || VD->getType()->isReferenceType())
    return;
  QualType T = VD->getType();
  bool IsThread = Threads.isTerminatingThread(T);
  bool IsContainer = !IsThread && Threads.isContainerOfTerminatingThreads(T);
  if (!IsThread && !IsContainer)
    return;
  unsigned Idx = Objects.size();
  Objects.push_back({VD, IsContainer});
  ObjectIndex[VD] = Idx;

  Event Ev;
  Ev.K = Event::Start;
  Ev.Obj = Idx;
  Ev.Site = DS;
  Ev.Loc = VD->getLocation();
  const Expr *Init = VD->getInit();
  if (IsThread) {
    valueOf(Init, Ev);
  } else {
    // Containers start empty unless built from an initializer list holding
    // started threads, or from another container (unknown).
    Ev.Bits = NotStarted;
    if (const auto *IL =
            dyn_cast_or_null<InitListExpr>(Init ? skipTemps(Init) : nullptr)) {
      for (const Expr *Elt : IL->inits())
        if (const auto *CE = dyn_cast<CXXConstructExpr>(skipTemps(Elt)))
          if (Threads.startedCallable(CE))
            Ev.Bits = Joinable;
    } else if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
                   Init ? skipTemps(Init) : nullptr)) {
      for (const Expr *Arg : CE->arguments())
        if (Threads.isAnyThread(Arg->getType()) ||
            Threads.isContainerOfTerminatingThreads(Arg->getType()) ||
            Arg->getType()->isRecordType())
          Ev.Bits = Unknown;
    } else if (Init) {
      Ev.Bits = Unknown;
    }
  }
  DeclEvents[VD] = Ev;
}

/// `return x;` moves x through an implicit move constructor.
static bool isImplicitMoveToReturn(const Stmt *P, const ParentMap &PM) {
  const auto *CE = dyn_cast_or_null<CXXConstructExpr>(P);
  if (!CE || CE->getNumArgs() != 1 || !CE->getConstructor() ||
      !CE->getConstructor()->isCopyOrMoveConstructor())
    return false;
  return isa_and_nonnull<ReturnStmt>(
      PM.getParentIgnoreParenImpCasts(const_cast<CXXConstructExpr *>(CE)));
}

void FunctionAnalysis::classifyThreadUse(const DeclRefExpr *DRE, unsigned O) {
  Object &Obj = Objects[O];
  const Stmt *P = parent(DRE);
  if (!P) {
    Obj.Escaped = true;
    return;
  }
  if (isImplicitMoveToReturn(P, PM))
    P = parent(P);
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(parent(ME));
    if (!Call || Call->getCallee()->IgnoreParens() != ME)
      return; // a data member or a method named without calling it
    Event Ev;
    Ev.Obj = O;
    Ev.Site = Call;
    switch (classifyThreadMemberCall(Call)) {
    case ThreadOp::Detach:
      Obj.Detached = true;
      [[fallthrough]];
    case ThreadOp::Join:
      Ev.K = Event::Release;
      StmtEvents[Call].push_back(Ev);
      return;
    case ThreadOp::Swap: {
      Obj.Moved = true;
      int W = Call->getNumArgs() ? objectOf(Call->getArg(0)) : -1;
      Ev.K = W >= 0 ? Event::Swap : Event::MakeUnknown;
      Ev.From = W;
      StmtEvents[Call].push_back(Ev);
      return;
    }
    case ThreadOp::Joinable:
    case ThreadOp::None:
      return;
    case ThreadOp::Other:
      // native_handle() lets pthread_join/pthread_detach in.
      if (const CXXMethodDecl *M = Call->getMethodDecl();
          M && M->getIdentifier() && M->getName() == "native_handle")
        Obj.Escaped = true;
      return;
    }
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(P)) {
    if (isStdMove(Call)) {
      Obj.Moved = true;
      if (!ConsumedMoves.count(Call)) {
        addRelease(Call, O, Call);
      }
      return;
    }
    if (const auto *OC = asOperatorCall(Call, OO_Equal);
        OC && skipTemps(OC->getArg(0)) == DRE) {
      Obj.Assigned = true; // the event is made where the assignment is seen
      return;
    }
    if (isStdFunctionNamed(Call->getDirectCallee(), {"swap"}) &&
        Call->getNumArgs() == 2) {
      Obj.Moved = true;
      int A = objectOf(Call->getArg(0)), B = objectOf(Call->getArg(1));
      Event Ev;
      Ev.Obj = O;
      Ev.Site = Call;
      if (A >= 0 && B >= 0) {
        if (unsigned(A) != O)
          return; // recorded once, for the first argument
        Ev.K = Event::Swap;
        Ev.From = B;
      } else {
        Ev.K = Event::MakeUnknown;
      }
      StmtEvents[Call].push_back(Ev);
      return;
    }
    // Passed where a std::thread is required: a std::jthread would not do.
    Obj.PassedAsThread = true;
    if (isMutableByReference(paramForArg(Call, DRE)))
      Obj.Escaped = true;
    return;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(P)) {
    Obj.PassedAsThread = true;
    const ParmVarDecl *Param = nullptr;
    for (unsigned I = 0, N = CE->getNumArgs(); I != N; ++I)
      if (skipTemps(CE->getArg(I)) == DRE && CE->getConstructor() &&
          I < CE->getConstructor()->getNumParams())
        Param = CE->getConstructor()->getParamDecl(I);
    if (!isMutableByReference(Param))
      return;
    if (isThreadJoinerClass(CE->getType()->getAsCXXRecordDecl(), Threads)) {
      addRelease(CE, O, CE);
      return;
    }
    Obj.Escaped = true;
    return;
  }
  if (isa<ReturnStmt>(P)) {
    Obj.Moved = true;
    addRelease(P, O, P);
    return;
  }
  Obj.Escaped = true;
}

void FunctionAnalysis::elementUse(const Expr *Element, unsigned C) {
  const Stmt *P = parent(Element);
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(P)) {
    const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(parent(ME));
    if (!Call || !isJoinOrDetach(Call, Threads))
      return;
    // Joining one element counts for the whole container only inside a loop.
    for (const Stmt *S = parent(Call); S && S != Body; S = parent(S)) {
      if (isa<LambdaExpr>(S))
        return;
      if (isLoopStmt(S)) {
        LoopReleases[S].push_back(C);
        return;
      }
    }
    return;
  }
  if (const auto *OC = asOperatorCall(P, OO_Equal);
      OC && skipTemps(OC->getArg(0)) == skipTemps(Element) &&
      !isDefaultThreadValue(OC->getArg(1))) {
    Event Ev;
    Ev.K = Event::Fill;
    Ev.Obj = C;
    Ev.Site = OC;
    Ev.Loc = OC->getBeginLoc();
    StmtEvents[OC].push_back(Ev);
  }
}

void FunctionAnalysis::classifyContainerUse(const DeclRefExpr *DRE,
                                            unsigned O) {
  Object &Obj = Objects[O];
  if (RangeInits.count(DRE))
    return;
  const Stmt *P = parent(DRE);
  if (!P) {
    Obj.Escaped = true;
    return;
  }
  if (isImplicitMoveToReturn(P, PM))
    P = parent(P);
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(parent(ME));
    const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
    if (!M || !M->getIdentifier())
      return;
    llvm::StringRef Name = M->getName();
    bool Fills = false;
    if (Name == "emplace_back" || Name == "emplace_front")
      Fills = Call->getNumArgs() >= 1;
    else if (Name == "emplace" || Name == "emplace_hint")
      Fills = Call->getNumArgs() >= 2;
    else if (Name == "push_back" || Name == "push_front" || Name == "insert")
      Fills = Call->getNumArgs() >= 1 &&
              !isDefaultThreadValue(Call->getArg(Call->getNumArgs() - 1));
    else if (Name == "at" || Name == "front" || Name == "back")
      elementUse(Call, O);
    else if (Name == "swap")
      Obj.Escaped = true;
    if (Fills) {
      Event Ev;
      Ev.K = Event::Fill;
      Ev.Obj = O;
      Ev.Site = Call;
      Ev.Loc = Call->getExprLoc();
      StmtEvents[Call].push_back(Ev);
    }
    return;
  }
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(P)) {
    elementUse(ASE, O);
    return;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P);
      OC && skipTemps(OC->getArg(0)) == DRE) {
    if (OC->getOperator() == OO_Subscript)
      elementUse(OC, O);
    else if (OC->getOperator() == OO_Equal)
      Obj.Assigned = true;
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(P)) {
    if (isStdMove(Call)) {
      Obj.Moved = true;
      addRelease(Call, O, Call);
      return;
    }
    if (isForEachCall(Call) ||
        isStdFunctionNamed(Call->getDirectCallee(),
                           {"begin", "end", "cbegin", "cend", "size", "empty",
                            "rbegin", "rend", "data"}))
      return;
    if (isMutableByReference(paramForArg(Call, DRE)))
      Obj.Escaped = true;
    return;
  }
  if (isa<ReturnStmt>(P)) {
    Obj.Moved = true;
    addRelease(P, O, P);
    return;
  }
  if (isa<CXXConstructExpr>(P) || isa<CXXForRangeStmt>(P))
    return;
  Obj.Escaped = true;
}

void FunctionAnalysis::walk(const Stmt *S) {
  if (!S)
    return;
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D)) {
        declare(VD, DS);
        // it = C.begin() / std::begin(C): an iterator into C.
        if (const Expr *Init = VD->getInit(); Init && !ObjectIndex.count(VD)) {
          const Expr *E = skipTemps(Init);
          const Expr *Base = nullptr;
          if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
            Base = MC->getImplicitObjectArgument();
          else if (const auto *C = dyn_cast<CallExpr>(E);
                   C && C->getNumArgs() == 1 &&
                   isStdFunctionNamed(C->getDirectCallee(),
                                      {"begin", "rbegin"}))
            Base = C->getArg(0);
          int Cont = objectOf(Base);
          if (Cont >= 0 && Objects[Cont].IsContainer)
            IteratorOf[VD] = Cont;
        }
      }
  } else if (const auto *FR = dyn_cast<CXXForRangeStmt>(S)) {
    int Cont = objectOf(FR->getRangeInit());
    if (Cont >= 0 && Objects[Cont].IsContainer) {
      RangeInits.insert(skipTemps(FR->getRangeInit()));
      LoopVarOf[FR->getLoopVariable()] = Cont;
    }
  } else if (const auto *OC = asOperatorCall(S, OO_Equal)) {
    int O = objectOf(OC->getArg(0));
    if (O >= 0 && !Objects[O].IsContainer) {
      Event Ev;
      Ev.K = Event::Assign;
      Ev.Obj = O;
      Ev.Site = OC;
      Ev.Loc = OC->getBeginLoc();
      valueOf(OC->getArg(1), Ev);
      StmtEvents[OC].push_back(Ev);
    }
  } else if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    auto It = ObjectIndex.find(DRE->getDecl());
    if (It != ObjectIndex.end()) {
      if (Objects[It->second].IsContainer)
        classifyContainerUse(DRE, It->second);
      else
        classifyThreadUse(DRE, It->second);
    } else {
      int C = containerOfElementVar(DRE, LoopVarOf);
      if (C >= 0) {
        elementUse(DRE, C);
      } else if ((C = containerOfElementVar(DRE, IteratorOf)) >= 0) {
        // it->join(), (*it).join()
        const Stmt *P = parent(DRE);
        if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P);
            OC &&
            (OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star))
          elementUse(OC, C);
        else if (const auto *UO = dyn_cast_or_null<UnaryOperator>(P);
                 UO && UO->getOpcode() == UO_Deref)
          elementUse(UO, C);
      }
    }
  } else if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    for (const LambdaCapture &Cap : L->captures())
      if (Cap.capturesVariable() && Cap.getCaptureKind() == LCK_ByRef)
        if (auto It = ObjectIndex.find(Cap.getCapturedVar());
            It != ObjectIndex.end())
          Objects[It->second].Escaped = true;
  } else if (const auto *AO = dyn_cast<UnaryOperator>(S);
             AO && AO->getOpcode() == UO_AddrOf) {
    if (int O = objectOf(AO->getSubExpr()); O >= 0)
      Objects[O].Escaped = true;
  }

  if (const auto *Call = dyn_cast<CallExpr>(S);
      Call && isForEachCall(Call) && Call->getNumArgs() >= 2) {
    // for_each(C.begin(), C.end(), joiner), ranges::for_each(C, joiner)
    unsigned Last = Call->getNumArgs() - 1;
    while (Last > 0 && isa<CXXDefaultArgExpr>(Call->getArg(Last)))
      --Last; // ranges::for_each's projection
    if (Last > 0 && mentionsJoinOrDetach(Call->getArg(Last), Threads)) {
      llvm::SmallVector<const Stmt *, 8> Work;
      for (unsigned I = 0; I < Last; ++I)
        Work.push_back(Call->getArg(I));
      while (!Work.empty()) {
        const Stmt *W = Work.pop_back_val();
        if (!W)
          continue;
        if (int C = objectOf(dyn_cast<Expr>(W));
            C >= 0 && Objects[C].IsContainer) {
          addRelease(Call, C, Call);
          continue;
        }
        llvm::append_range(Work, W->children());
      }
    }
  }

  if (ModelThrows && isa<Expr>(S) && Throws.mayThrow(S)) {
    // Thread operations themselves are not modelled as throwing: a thread
    // constructor or join() fails only when the system is out of resources.
    bool ThreadOp = false;
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
      ThreadOp = Threads.isAnyThread(CE->getType());
    else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      ThreadOp = Threads.isAnyThread(MC->getObjectType());
    if (!ThreadOp) {
      Event Ev;
      Ev.K = Event::MayThrow;
      Ev.Site = S;
      StmtEvents[S].push_back(Ev);
    }
  }

  for (const Stmt *C : S->children())
    walk(C);
}

bool FunctionAnalysis::prepare() {
  walk(Body);
  return llvm::any_of(Objects, [](const Object &O) { return !O.Escaped; });
}

bool FunctionAnalysis::throwIsHandledFor(const Stmt *Site, unsigned O) const {
  const VarDecl *V = Objects[O].Var;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const CXXTryStmt *Try : enclosingTryBlocks(Site, PM, Body)) {
    // A thread declared inside the try block is destroyed by the unwinding
    // before any handler runs.
    const Stmt *TryBlock = Try->getTryBlock();
    if (SM.isPointWithin(V->getLocation(), TryBlock->getBeginLoc(),
                         TryBlock->getEndLoc()))
      break;
    if (hasSwallowingHandler(*Try))
      return true;
    for (unsigned I = 0, N = Try->getNumHandlers(); I != N; ++I) {
      llvm::SmallVector<const Stmt *, 16> Work{Try->getHandler(I)};
      while (!Work.empty()) {
        const Stmt *W = Work.pop_back_val();
        if (!W)
          continue;
        if (const auto *Call = dyn_cast<CXXMemberCallExpr>(W))
          if (isJoinOrDetach(Call, Threads))
            if (const auto *DRE = dyn_cast<DeclRefExpr>(
                    skipTemps(Call->getImplicitObjectArgument()));
                DRE && DRE->getDecl() == V)
              return true;
        llvm::append_range(Work, W->children());
      }
    }
  }
  return false;
}

void FunctionAnalysis::apply(const Event &Ev, State &S, bool Report) {
  switch (Ev.K) {
  case Event::Assign:
    if (Report && !Objects[Ev.Obj].Escaped && reportable(S.Bits[Ev.Obj]) &&
        Reported.insert({Ev.Obj, Ev.Site->getBeginLoc().getRawEncoding()})
            .second)
      Findings.push_back({Finding::Reassigned, Ev.Obj, Ev.Site->getBeginLoc(),
                          ScopeExitKind::ScopeEnd, false, S.StartLoc[Ev.Obj]});
    [[fallthrough]];
  case Event::Start:
    if (Ev.From >= 0) {
      S.Bits[Ev.Obj] = S.Bits[Ev.From];
      S.StartLoc[Ev.Obj] = S.StartLoc[Ev.From];
      S.Bits[Ev.From] = Done;
    } else {
      S.Bits[Ev.Obj] = Ev.Bits;
      S.StartLoc[Ev.Obj] = (Ev.Bits & Joinable) ? Ev.Loc : SourceLocation();
    }
    return;
  case Event::Release:
    S.Bits[Ev.Obj] = Done;
    return;
  case Event::MakeUnknown:
    S.Bits[Ev.Obj] = Unknown;
    return;
  case Event::Swap:
    std::swap(S.Bits[Ev.Obj], S.Bits[Ev.From]);
    std::swap(S.StartLoc[Ev.Obj], S.StartLoc[Ev.From]);
    return;
  case Event::Fill:
    S.Bits[Ev.Obj] = Joinable;
    if (S.StartLoc[Ev.Obj].isInvalid())
      S.StartLoc[Ev.Obj] = Ev.Loc;
    return;
  case Event::MayThrow:
    if (!Report)
      return;
    for (unsigned O = 0, N = Objects.size(); O != N; ++O) {
      if (Objects[O].IsContainer || Objects[O].Escaped ||
          !reportable(S.Bits[O]) || throwIsHandledFor(Ev.Site, O))
        continue;
      SourceLocation Loc = Ev.Site->getBeginLoc();
      auto [It, Inserted] = ThrowFinding.try_emplace(O, Findings.size());
      if (Inserted) {
        Findings.push_back({Finding::Thrown, O, Loc, ScopeExitKind::ScopeEnd,
                            isa<CXXThrowExpr>(Ev.Site), S.StartLoc[O]});
      } else if (Ctx.getSourceManager().isBeforeInTranslationUnit(
                     Loc, Findings[It->second].Loc)) {
        Findings[It->second] = {Finding::Thrown,
                                O,
                                Loc,
                                ScopeExitKind::ScopeEnd,
                                isa<CXXThrowExpr>(Ev.Site),
                                S.StartLoc[O]};
      }
    }
    return;
  }
}

void FunctionAnalysis::transfer(const CFGBlock &B, State &S, bool Report) {
  for (const CFGElement &E : B) {
    if (auto CS = E.getAs<CFGStmt>()) {
      const Stmt *St = CS->getStmt();
      if (const auto *DS = dyn_cast<DeclStmt>(St)) {
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            if (auto It = DeclEvents.find(VD); It != DeclEvents.end())
              apply(It->second, S, Report);
        continue;
      }
      auto It = StmtEvents.find(St);
      if (It == StmtEvents.end())
        continue;
      // An element's own effect (an RAII joiner adopting the thread, ...)
      // comes before the question whether it throws.
      for (const Event &Ev : It->second)
        if (Ev.K != Event::MayThrow)
          apply(Ev, S, Report);
      for (const Event &Ev : It->second)
        if (Ev.K == Event::MayThrow)
          apply(Ev, S, Report);
      continue;
    }
    if (auto Dtor = E.getAs<CFGAutomaticObjDtor>()) {
      auto It = ObjectIndex.find(Dtor->getVarDecl());
      if (It == ObjectIndex.end())
        continue;
      unsigned O = It->second;
      if (Report && !Objects[O].Escaped && reportable(S.Bits[O])) {
        ScopeExit Exit = scopeExitOf(*Dtor);
        if (Reported.insert({O, Exit.Loc.getRawEncoding()}).second)
          Findings.push_back({Finding::Destroyed, O, Exit.Loc, Exit.Kind, false,
                              S.StartLoc[O]});
      }
      S.Bits[O] = NotStarted;
      S.StartLoc[O] = SourceLocation();
    }
  }
  if (const Stmt *T = B.getTerminatorStmt())
    if (auto It = LoopReleases.find(T); It != LoopReleases.end())
      for (unsigned C : It->second)
        S.Bits[C] = Done;
}

void FunctionAnalysis::refineEdge(const CFGBlock &B, unsigned SuccIndex,
                                  State &S) const {
  const Expr *Cond = branchCondition(B);
  if (!Cond)
    return;
  bool Negated = false;
  for (;;) {
    Cond = Cond->IgnoreParenImpCasts();
    const auto *UO = dyn_cast<UnaryOperator>(Cond);
    if (!UO || UO->getOpcode() != UO_LNot)
      break;
    Negated = !Negated;
    Cond = UO->getSubExpr();
  }
  const auto *Call = dyn_cast<CXXMemberCallExpr>(Cond);
  if (!Call || classifyThreadMemberCall(Call) != ThreadOp::Joinable)
    return;
  int O = objectOf(Call->getImplicitObjectArgument());
  if (O < 0)
    return;
  bool JoinableOnEdge = (SuccIndex == 0) != Negated;
  uint8_t &Bits = S.Bits[O];
  if (JoinableOnEdge) {
    Bits &= ~(NotStarted | Done);
  } else if (Bits & Joinable) {
    Bits = (Bits & ~Joinable) | Done;
  }
}

void FunctionAnalysis::run() {
  std::unique_ptr<CFG> G = buildDataflowCFG(Fn, Ctx);
  if (!G)
    return;
  auto Order = reversePostOrder(*G);
  llvm::DenseMap<const CFGBlock *, unsigned> RPOIndex;
  for (unsigned I = 0, N = Order.size(); I != N; ++I)
    RPOIndex[Order[I]] = I;

  std::vector<State> In(G->getNumBlockIDs());
  State Init;
  Init.Reached = true;
  Init.Bits.assign(Objects.size(), NotStarted);
  Init.StartLoc.assign(Objects.size(), SourceLocation());
  In[G->getEntry().getBlockID()] = Init;

  // Worklist ordered by reverse post-order.
  llvm::BitVector Pending(Order.size());
  Pending.set(0);
  for (int Next = Pending.find_first(); Next != -1;
       Next = Pending.find_first()) {
    Pending.reset(Next);
    const CFGBlock *B = Order[Next];
    State Out = In[B->getBlockID()];
    if (!Out.Reached)
      continue;
    transfer(*B, Out, /*Report=*/false);
    unsigned SuccIndex = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      unsigned ThisIndex = SuccIndex++;
      const CFGBlock *SB = Succ.getReachableBlock();
      if (!SB)
        continue;
      State Edge = Out;
      refineEdge(*B, ThisIndex, Edge);
      if (In[SB->getBlockID()].mergeFrom(Edge))
        if (auto It = RPOIndex.find(SB); It != RPOIndex.end())
          Pending.set(It->second);
    }
  }

  for (const CFGBlock *B : Order) {
    State S = In[B->getBlockID()];
    if (S.Reached)
      transfer(*B, S, /*Report=*/true);
  }
}

//===----------------------------------------------------------------------===//
// Fix-it helpers
//===----------------------------------------------------------------------===//

/// The replacement `std::jthread` for a type written exactly `std::thread`
/// (or `::std::thread`), or an empty hint.
std::optional<FixItHint> jthreadFix(const DeclaratorDecl *D,
                                    const ASTContext &Ctx) {
  if (!Ctx.getLangOpts().CPlusPlus20)
    return std::nullopt;
  const TypeSourceInfo *TSI = D->getTypeSourceInfo();
  if (!TSI)
    return std::nullopt;
  SourceRange R = TSI->getTypeLoc().getSourceRange();
  if (R.isInvalid() || R.getBegin().isMacroID() || R.getEnd().isMacroID())
    return std::nullopt;
  QualType T = D->getType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->isInStdNamespace() || !RD->getIdentifier() ||
      RD->getName() != "thread" || T.hasQualifiers())
    return std::nullopt;
  llvm::StringRef Text =
      Lexer::getSourceText(CharSourceRange::getTokenRange(R),
                           Ctx.getSourceManager(), Ctx.getLangOpts());
  if (Text != "std::thread" && Text != "::std::thread")
    return std::nullopt;
  return FixItHint::CreateReplacement(CharSourceRange::getTokenRange(R),
                                      Text.starts_with("::") ? "::std::jthread"
                                                             : "std::jthread");
}

} // namespace

//===----------------------------------------------------------------------===//
// The check
//===----------------------------------------------------------------------===//

UnjoinedThreadCheck::UnjoinedThreadCheck(llvm::StringRef Name,
                                         tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      ThreadTypesOption(Options.get("ThreadTypes", DefaultThreadTypes)),
      Threads(ThreadTypesOption) {}

void UnjoinedThreadCheck::storeOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ThreadTypes", ThreadTypesOption);
}

void UnjoinedThreadCheck::registerMatchers(MatchFinder *Finder) {
  auto InUserCode = unless(isExpansionInSystemHeader());
  // Locals are found by walking the user's functions: a varDecl() matcher
  // would be tried on every variable and parameter of every header.
  Finder->addMatcher(functionDecl(InUserCode, isDefinition()).bind("def"),
                     this);
  // A lambda at namespace scope is a function of its own.
  Finder->addMatcher(lambdaExpr(InUserCode).bind("lambda"), this);
  // The record is taken from the field in check(): hasParent() would build
  // the whole translation unit's parent map.
  Finder->addMatcher(fieldDecl(InUserCode, ownsThreads(&Threads)).bind("field"),
                     this);
}

void UnjoinedThreadCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *Def = Result.Nodes.getNodeAs<FunctionDecl>("def");
  if (const auto *L = Result.Nodes.getNodeAs<LambdaExpr>("lambda"))
    Def = L->getLambdaClass()->getDeclContext()->isFunctionOrMethod()
              ? nullptr // walked with its function
              : L->getCallOperator();
  if (Def) {
    // The functions (a lambda's call operator included) with a local that
    // owns threads.
    forEachSpelledStmt(Def, [&](const Stmt *S, const FunctionDecl *) {
      const auto *DS = dyn_cast<DeclStmt>(S);
      if (!DS)
        return;
      for (const Decl *D : DS->decls()) {
        const auto *VD = dyn_cast<VarDecl>(D);
        if (!VD || !VD->hasLocalStorage() || !ownsThreads(*VD, Threads))
          continue;
        const auto *Fn = dyn_cast<FunctionDecl>(VD->getDeclContext());
        if (Fn && Fn->doesThisDeclarationHaveABody() &&
            AnalyzedFunctions.insert(Fn).second)
          checkFunction(Fn, *Result.Context);
      }
    });
    return;
  }
  const auto *F = Result.Nodes.getNodeAs<FieldDecl>("field");
  const auto *RD = F ? dyn_cast<CXXRecordDecl>(F->getParent()) : nullptr;
  if (RD && RD->isThisDeclarationADefinition() && !RD->isLambda() &&
      !RD->isUnion() && AnalyzedRecords.insert(RD).second)
    checkRecord(RD, *Result.Context);
}

void UnjoinedThreadCheck::onEndOfTranslationUnit() {
  AnalyzedFunctions.clear();
  AnalyzedRecords.clear();
  Throws.clear();
}

void UnjoinedThreadCheck::checkFunction(const FunctionDecl *Fn,
                                        ASTContext &Ctx) {
  FunctionAnalysis A(Fn, Ctx, Threads, Throws);
  if (!A.prepare())
    return;
  A.run();
  if (A.Findings.empty())
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::sort(A.Findings, [&](const Finding &L, const Finding &R) {
    if (L.Loc != R.Loc)
      return SM.isBeforeInTranslationUnit(L.Loc, R.Loc);
    return L.Obj < R.Obj;
  });
  llvm::DenseSet<unsigned> Fixed;
  for (const Finding &F : A.Findings) {
    const Object &Obj = A.Objects[F.Obj];
    const VarDecl *V = Obj.Var;
    if (Obj.IsContainer) {
      diag(F.Loc, "threads in %0 are destroyed while joinable (std::terminate "
                  "is called) %select{when it goes out of scope here|when the "
                  "function returns here|when control leaves its scope here}1")
          << V << static_cast<int>(F.Exit);
      if (F.StartLoc.isValid())
        diag(F.StartLoc, "thread added to %0 here", DiagnosticIDs::Note) << V;
      diag(F.Loc, "join or detach every element of %0 before this point",
           DiagnosticIDs::Note)
          << V;
      continue;
    }
    std::optional<FixItHint> Fix;
    if (F.K != Finding::Reassigned && !Obj.Detached && !Obj.Moved &&
        !Obj.Assigned && !Obj.PassedAsThread && !Fixed.count(F.Obj))
      Fix = jthreadFix(V, Ctx);
    bool FixAvailable = Fix || Fixed.count(F.Obj);
    {
      auto D = [&] {
        switch (F.K) {
        case Finding::Destroyed:
          return diag(F.Loc, "thread %0 is destroyed while joinable "
                             "(std::terminate is called) %select{when it goes "
                             "out of scope here|when the function returns "
                             "here|when control leaves its scope here}1")
                 << V << static_cast<int>(F.Exit);
        case Finding::Thrown:
          return diag(F.Loc, "thread %0 is destroyed while joinable "
                             "(std::terminate is called) if this "
                             "%select{call throws|throws}1")
                 << V << F.IsThrowExpr;
        case Finding::Reassigned:
          break;
        }
        return diag(F.Loc, "thread %0 is assigned to while it may be joinable "
                           "(std::terminate is called)")
               << V;
      }();
      if (Fix) {
        D << *Fix;
        Fixed.insert(F.Obj);
      }
    }
    if (F.StartLoc.isValid())
      diag(F.StartLoc, "thread %0 started here", DiagnosticIDs::Note) << V;
    if (!FixAvailable)
      diag(F.Loc, "join or detach %0 before this point", DiagnosticIDs::Note)
          << V;
  }
}

namespace {

/// How a class starts and handles one thread member, from its member
/// function bodies and constructor initializers.
struct MemberFacts {
  SourceLocation Start;
  bool StartedOnlyInInitializer = true;
  bool Detached = false;
  bool MovedOrAssigned = false;
};

void scanMemberUses(const Stmt *S, const FieldDecl *F, bool IsContainer,
                    ParentMap &PM, const ThreadTypes &Threads,
                    MemberFacts &Facts) {
  if (!S)
    return;
  if (const auto *ME = dyn_cast<MemberExpr>(S);
      ME && ME->getMemberDecl() == F) {
    const Stmt *P =
        PM.getParentIgnoreParenImpCasts(const_cast<MemberExpr *>(ME));
    auto NoteStart = [&](SourceLocation L) {
      if (Facts.Start.isInvalid())
        Facts.Start = L;
      Facts.StartedOnlyInInitializer = false;
    };
    if (const auto *OC = asOperatorCall(P, OO_Equal);
        OC && skipTemps(OC->getArg(0)) == ME) {
      Facts.MovedOrAssigned = true;
      const auto *RHS = dyn_cast<CXXConstructExpr>(skipTemps(OC->getArg(1)));
      if (!IsContainer && !(RHS && RHS->getConstructor() &&
                            RHS->getConstructor()->isDefaultConstructor()))
        NoteStart(OC->getBeginLoc());
    } else if (const auto *Outer = dyn_cast_or_null<MemberExpr>(P)) {
      const auto *M = dyn_cast<CXXMethodDecl>(Outer->getMemberDecl());
      llvm::StringRef N = M && M->getIdentifier() ? M->getName() : "";
      const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(
          PM.getParent(const_cast<MemberExpr *>(Outer)));
      if (N == "detach")
        Facts.Detached = true;
      else if (N == "swap")
        Facts.MovedOrAssigned = true;
      else if (IsContainer && Call &&
               (((N == "emplace_back" || N == "emplace_front") &&
                 Call->getNumArgs() >= 1) ||
                ((N == "emplace" || N == "emplace_hint") &&
                 Call->getNumArgs() >= 2) ||
                N == "push_back" || N == "push_front" || N == "insert"))
        NoteStart(Call->getExprLoc());
    } else if (isa_and_nonnull<CallExpr, CXXConstructExpr>(P)) {
      // Moved out, or passed where a std::thread is required.
      Facts.MovedOrAssigned = true;
    }
  }
  for (const Stmt *C : S->children())
    scanMemberUses(C, F, IsContainer, PM, Threads, Facts);
}

} // namespace

void UnjoinedThreadCheck::checkRecord(const CXXRecordDecl *Record,
                                      ASTContext &Ctx) {
  const FieldDecl *LastField = nullptr;
  for (const FieldDecl *F : Record->fields())
    LastField = F;
  const CXXDestructorDecl *Dtor = Record->getDestructor();
  bool ImplicitDtor = !Dtor || Dtor->isImplicit() || Dtor->isDefaulted();

  for (const FieldDecl *F : Record->fields()) {
    QualType T = F->getType();
    if (T->isReferenceType() || T->isPointerType())
      continue;
    bool IsThread = Threads.isTerminatingThread(T);
    bool IsContainer = !IsThread && Threads.isContainerOfTerminatingThreads(T);
    if (!IsThread && !IsContainer)
      continue;
    bool Known = true;
    if (destructorReleasesField(Record, F, Known) || !Known ||
        destructorMentionsField(Record, F) ||
        serviceShutdownMentionsField(Record, F) || isThreadWrapper(Record, F))
      continue;

    MemberFacts Facts;
    auto ScanBody = [&](const FunctionDecl *FD) {
      const FunctionDecl *Def = nullptr;
      if (!FD->hasBody(Def) || !Def->getBody())
        return;
      ParentMap PM(Def->getBody());
      scanMemberUses(Def->getBody(), F, IsContainer, PM, Threads, Facts);
    };
    for (const Decl *Member : Record->decls()) {
      const auto *M = dyn_cast<CXXMethodDecl>(Member);
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(Member))
        M = dyn_cast<CXXMethodDecl>(FT->getTemplatedDecl());
      if (!M || isa<CXXDestructorDecl>(M))
        continue;
      if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(M)) {
        const FunctionDecl *Def = nullptr;
        if (Ctor->hasBody(Def))
          for (const CXXCtorInitializer *Init :
               cast<CXXConstructorDecl>(Def)->inits()) {
            if (Init->getMember() != F || !Init->isWritten())
              continue;
            const auto *CE =
                dyn_cast_or_null<CXXConstructExpr>(skipTemps(Init->getInit()));
            if (IsContainer || !CE)
              continue;
            if (Threads.startedCallable(CE)) {
              if (Facts.Start.isInvalid())
                Facts.Start = Init->getSourceLocation();
            } else if (CE->getNumArgs() > 0 &&
                       !isa<CXXDefaultArgExpr>(CE->getArg(0))) {
              // Moved in from elsewhere: this class now owns it.
              if (Facts.Start.isInvalid())
                Facts.Start = Init->getSourceLocation();
              Facts.StartedOnlyInInitializer = false;
            }
          }
      }
      ScanBody(M);
    }
    if (Facts.Start.isInvalid())
      continue; // never started by this class

    std::optional<FixItHint> Fix;
    if (IsThread && F == LastField && Facts.StartedOnlyInInitializer &&
        !Facts.Detached && !Facts.MovedOrAssigned)
      Fix = jthreadFix(F, Ctx);

    SourceLocation Loc =
        ImplicitDtor ? Record->getLocation() : Dtor->getLocation();
    {
      auto D = diag(Loc, "the %select{|implicit }0destructor of %1 does not "
                         "join or detach thread member %2 (std::terminate is "
                         "called if it is joinable)")
               << ImplicitDtor << Record << F;
      if (Fix)
        D << *Fix;
    }
    diag(Facts.Start,
         IsContainer ? "thread added to %0 here" : "thread %0 started here",
         DiagnosticIDs::Note)
        << F;
    if (!Fix)
      diag(Loc, "join or detach %0 in the destructor", DiagnosticIDs::Note)
          << F;
  }
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(UnjoinedThreadCheck)
