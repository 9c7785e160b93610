//===--- UnjoinedThreadCheck.cpp - pitfall-unjoined-thread ----------------===//
//
// Locals: the flow layer's ThreadStates analysis (lib/Flow/ThreadStates)
// returns where a joinable thread is destroyed, assigned over, or unwound
// by an exception; this check words the findings and offers the
// std::jthread fix-it where it is safe.
//
// Data members: the destructor (written or implicit) must join, detach or
// hand off every thread member the class starts; what the destructor does is
// its summary (helpers it calls included) or any non-query use.
//
//===----------------------------------------------------------------------===//
#include "UnjoinedThreadCheck.h"
#include "CheckFactory.h"

#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/ThreadOwnership.h"
#include "pitfall/Core/Threads.h"
#include "pitfall/Flow/DetachedTasks.h"
#include "pitfall/Flow/ThreadMembers.h"
#include "pitfall/Flow/ThreadStates.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ParentMap.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace pitfall {
namespace {

/// A local's finding: a note on the path of a failed test assertion or an
/// allocation failure (reported only with ReportThrowPaths=all), a warning
/// on a user exception's path; otherwise an error when the thread is
/// joinable on every path that reaches the place (each execution through it
/// calls std::terminate), a warning when on some only.
Severity localSeverity(const ThreadFinding &F) {
  if (F.Throw == ThrowKind::Assertion || F.Throw == ThrowKind::Resource)
    return Severity::Note;
  if (F.K == ThreadFinding::Thrown)
    return Severity::Warning;
  return F.OnEveryPath ? Severity::Error : Severity::Warning;
}

/// The replacement `std::jthread` for a type written exactly `std::thread`
/// (or `::std::thread`), or nothing.
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

UnjoinedThreadCheck::UnjoinedThreadCheck(llvm::StringRef Name,
                                         tidy::ClangTidyContext *Context)
    : PitfallCheck(Name, Context,
                   {FlowOption::ThreadTypes, FlowOption::AssertionMacros,
                    FlowOption::TestCaseMacros, FlowOption::TestPaths}),
      MinThrow(
          parseThrowPaths(Options.get("ReportThrowPaths", "user-exceptions"))),
      ReportProcessLifetimeThreads(
          Options.get("ReportProcessLifetimeThreads", false)) {}

void UnjoinedThreadCheck::storeCheckOptions(
    tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ReportThrowPaths", throwPathsName(MinThrow));
  Options.store(Opts, "ReportProcessLifetimeThreads",
                ReportProcessLifetimeThreads);
}

bool UnjoinedThreadCheck::runsForProcessLifetime(const FunctionDecl *Fn,
                                                 const VarDecl *V,
                                                 FlowContext &Flow,
                                                 bool ThrowPath) {
  if (!Loops)
    Loops.emplace(Flow, Cancel);
  return Loops->runsForProcessLifetime(Fn, V, ThrowPath);
}

void UnjoinedThreadCheck::checkFunction(const FunctionDecl *Fn,
                                        FlowContext &Flow) {
  if (const auto *M = dyn_cast<CXXMethodDecl>(Fn)) {
    const CXXRecordDecl *RD = M->getParent();
    if (!RD->isLambda() && !RD->isUnion() && Records.insert(RD).second)
      checkRecord(RD, Flow);
  }
  checkOwnedThreads(Fn, Flow);
  checkDetachedUses(Fn, Flow);
  ThreadStates R = analyzeThreadLocals(Flow, Fn, MinThrow);
  const ASTContext &Ctx = Flow.astContext();
  llvm::DenseSet<unsigned> Fixed;
  for (const ThreadFinding &F : R.Findings) {
    const ThreadObject &Obj = R.Objects[F.Object];
    const VarDecl *V = Obj.Var;
    if (Obj.IsContainer) {
      if (!firstReport(F.Loc, "container destroyed"))
        continue;
      reportFinding(
          F.Loc,
          "threads in %0 are destroyed while joinable (std::terminate "
          "is called) %select{when it goes out of scope here|when the "
          "function returns here|when control leaves its scope here}1",
          localSeverity(F))
          << V << static_cast<int>(F.Exit);
      if (F.StartLoc.isValid())
        diag(F.StartLoc, "thread added to %0 here", DiagnosticIDs::Note) << V;
      diag(F.Loc, "join or detach every element of %0 before this point",
           DiagnosticIDs::Note)
          << V;
      continue;
    }
    // Dismissible: reported only with ReportProcessLifetimeThreads, as a
    // note.
    bool ProcessLifetime =
        runsForProcessLifetime(Fn, V, Flow, F.K == ThreadFinding::Thrown);
    if (ProcessLifetime && !ReportProcessLifetimeThreads)
      continue;
    if (!firstReport(F.Loc, V->getName()))
      continue;
    std::optional<FixItHint> Fix;
    if (F.K != ThreadFinding::Reassigned && !Obj.Detached && !Obj.Moved &&
        !Obj.Assigned && !Obj.PassedAsThread && !Fixed.count(F.Object))
      Fix = jthreadFix(V, Ctx);
    bool FixAvailable = Fix || Fixed.count(F.Object);
    {
      Severity S = ProcessLifetime ? Severity::Note : localSeverity(F);
      auto D = [&] {
        switch (F.K) {
        case ThreadFinding::Destroyed:
          return reportFinding(
                     F.Loc,
                     "thread %0 is destroyed while joinable "
                     "(std::terminate is called) %select{when it goes "
                     "out of scope here|when the function returns "
                     "here|when control leaves its scope here}1",
                     S)
                 << V << static_cast<int>(F.Exit);
        case ThreadFinding::Thrown:
          return reportFinding(F.Loc,
                               "thread %0 is destroyed while joinable "
                               "(std::terminate is called) if this "
                               "%select{call throws|throws}1",
                               S)
                 << V << F.IsThrowExpr;
        case ThreadFinding::Reassigned:
          break;
        }
        return reportFinding(
                   F.Loc,
                   "thread %0 is assigned to while it may be joinable "
                   "(std::terminate is called)",
                   S)
               << V;
      }();
      if (Fix) {
        D << *Fix;
        Fixed.insert(F.Object);
      }
    }
    if (F.StartLoc.isValid())
      diag(F.StartLoc, "thread %0 started here", DiagnosticIDs::Note) << V;
    if (!FixAvailable)
      diag(F.Loc, "join or detach %0 before this point", DiagnosticIDs::Note)
          << V;
  }
}

void UnjoinedThreadCheck::checkOwnedThreads(const FunctionDecl *Fn,
                                            FlowContext &Flow) {
  llvm::SmallVector<OwnedThreadFinding, 2> Found;
  analyzeOwnedThreads(Flow, Fn, Found);
  for (const OwnedThreadFinding &F : Found) {
    if (!firstReport(F.Loc, F.Field->getName()))
      continue;
    // The thread may have been joined elsewhere before: likely, not certain.
    reportFinding(F.Loc,
                  "thread owned by %0 is destroyed while joinable "
                  "(std::terminate is called) when it is %select{deleted|reset|"
                  "replaced}1 here",
                  Severity::Warning)
        << F.Field << static_cast<int>(F.K);
    if (F.StartLoc.isValid())
      diag(F.StartLoc, "thread owned by %0 started here", DiagnosticIDs::Note)
          << F.Field;
    diag(F.Loc, "join or detach the thread owned by %0 before this point",
         DiagnosticIDs::Note)
        << F.Field;
  }
}

void UnjoinedThreadCheck::checkDetachedUses(const FunctionDecl *Fn,
                                            FlowContext &Flow) {
  llvm::SmallVector<DetachedUse, 2> Found;
  findDetachedUses(Flow, Fn, Found);
  for (const DetachedUse &U : Found) {
    if (!U.Object) {
      // A use after the object's end only if the thread is still running
      // then: an interleaving.
      reportFinding(U.Detach,
                    "thread detached in the destructor of %0 keeps using the "
                    "object, which is destroyed when the destructor returns",
                    Severity::Warning)
          << cast<CXXMethodDecl>(Fn)->getParent();
      diag(U.Use, "the object used by the detached thread here",
           DiagnosticIDs::Note);
      continue;
    }
    reportFinding(U.Detach,
                  "detached thread uses %0 by reference, which is destroyed "
                  "at the end of its scope while the thread may still run",
                  Severity::Warning)
        << U.Object;
    diag(U.Use, "%0 used by the detached thread here", DiagnosticIDs::Note)
        << U.Object;
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
                    bool IsOwned, const ThreadTypes &Threads, ParentMap &PM,
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
    const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P);
    if (OC && OC->getOperator() == OO_Equal &&
        skipImplicit(OC->getArg(0)) == ME) {
      Facts.MovedOrAssigned = true;
      const auto *RHS = dyn_cast<CXXConstructExpr>(skipImplicit(OC->getArg(1)));
      if (IsOwned ? makesStartedThread(OC->getArg(1), Threads)
                  : !IsContainer &&
                        !(RHS && RHS->getConstructor() &&
                          RHS->getConstructor()->isDefaultConstructor()))
        NoteStart(OC->getBeginLoc());
    } else if (const auto *Outer = dyn_cast_or_null<MemberExpr>(P)) {
      const auto *M = dyn_cast<CXXMethodDecl>(Outer->getMemberDecl());
      llvm::StringRef N = M && M->getIdentifier() ? M->getName() : "";
      const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(
          PM.getParent(const_cast<MemberExpr *>(Outer)));
      if (N == "detach")
        Facts.Detached = true;
      else if (IsOwned && Call && N == "reset" && Call->getNumArgs() == 1 &&
               makesStartedThread(Call->getArg(0), Threads))
        NoteStart(Call->getExprLoc());
      else if (N == "swap")
        Facts.MovedOrAssigned = true;
      else if (IsContainer && Call &&
               isContainerFillName(N, Call->getNumArgs()))
        NoteStart(Call->getExprLoc());
    } else if (isa_and_nonnull<CallExpr, CXXConstructExpr>(P)) {
      Facts.MovedOrAssigned = true; // moved out, or passed on
    }
  }
  for (const Stmt *C : S->children())
    scanMemberUses(C, F, IsContainer, IsOwned, Threads, PM, Facts);
}

/// A thread member the destructor leaves alone: error when the class starts
/// it only in constructor initializers and nothing else can end it — it is
/// not public, the class has no friends and no member templates, and no
/// member function (all defined in this translation unit) joins, detaches,
/// moves or replaces it by its summary: every object
/// so constructed calls std::terminate when destroyed. Otherwise a warning
/// (users may call a stop() first).
Severity memberSeverity(const CXXRecordDecl *Record, const FieldDecl *Field,
                        bool IsThread, const MemberFacts &Facts,
                        FlowContext &Flow) {
  if (!IsThread || !Facts.StartedOnlyInInitializer || Facts.Detached ||
      Facts.MovedOrAssigned || Field->getAccess() == AS_public ||
      !Record->friends().empty() ||
      llvm::any_of(Record->decls(), llvm::IsaPred<FunctionTemplateDecl>))
    return Severity::Warning;
  ObjectPath P;
  P.Kind = RootKind::This;
  P.Fields.push_back(Field);
  for (const CXXMethodDecl *M : Record->methods()) {
    if (isa<CXXConstructorDecl, CXXDestructorDecl>(M) || M->isDeleted() ||
        M->isDefaulted())
      continue;
    if (!M->hasBody())
      return Severity::Warning; // defined elsewhere: it may join
    const FunctionSummary *S = Flow.summaries().get(M, ThreadFamily);
    if (!S || S->has(P, JoinsThread | MayJoinThread | DetachesThread))
      return Severity::Warning;
  }
  return Severity::Error;
}

/// What \p Record's destructor does to \p Field by its summary (helpers
/// included): JoinsThread (every path), MayJoinThread (some), or nothing.
uint32_t destructorSummaryReleases(const CXXRecordDecl *Record,
                                   const FieldDecl *Field, FlowContext &Flow) {
  const CXXDestructorDecl *Dtor = destructorOf(Record);
  const FunctionSummary *S =
      Dtor ? Flow.summaries().get(Dtor, ThreadFamily) : nullptr;
  if (!S)
    return NoEffect;
  ObjectPath P;
  P.Kind = RootKind::This;
  P.Fields.push_back(Field);
  if (S->has(P, JoinsThread | DetachesThread))
    return JoinsThread;
  return S->has(P, MayJoinThread) ? MayJoinThread : NoEffect;
}

} // namespace

bool UnjoinedThreadCheck::joinedByOwner(const FieldDecl *F, FlowContext &Flow) {
  if (!OwnerJoined)
    OwnerJoined = threadFieldsJoinedByOwners(Flow);
  return OwnerJoined->contains(F);
}

void UnjoinedThreadCheck::checkRecord(const CXXRecordDecl *Record,
                                      FlowContext &Flow) {
  const ThreadTypes &Threads = Flow.threads();
  const FieldDecl *LastField = nullptr;
  for (const FieldDecl *F : Record->fields())
    LastField = F;
  const CXXDestructorDecl *Dtor = destructorOf(Record);
  bool ImplicitDtor = !Dtor || Dtor->isImplicit() || Dtor->isDefaulted();

  for (const FieldDecl *F : Record->fields()) {
    QualType T = F->getType();
    if (T->isReferenceType() || T->isPointerType() || T->isDependentType())
      continue;
    bool IsThread = Threads.isTerminatingThread(T);
    bool IsOwned = !IsThread && ownsThreadThroughPointer(T, Threads);
    bool IsContainer =
        !IsThread && !IsOwned && Threads.isContainerOfTerminatingThreads(T);
    if (!IsThread && !IsOwned && !IsContainer)
      continue;
    if (uint32_t E = destructorSummaryReleases(Record, F, Flow)) {
      if (E == MayJoinThread)
        reportPartialJoin(Record, F, Flow);
      continue;
    }
    bool Known = true;
    if (destructorReleasesField(Record, F, Known) || !Known ||
        destructorMentionsField(Record, F) ||
        serviceShutdownMentionsField(Record, F) || isThreadWrapper(Record, F) ||
        startersReleaseField(Flow, Record, F) ||
        // An exception between the start and the join is reported with
        // ReportThrowPaths: all.
        (MinThrow > ThrowKind::Assertion &&
         startersJoinBeforeReturning(Flow, Record, F)) ||
        lifecycleHookReleasesField(Flow, Record, F) ||
        opaqueBaseCallMayRunHook(Flow, Record, F) || joinedByOwner(F, Flow))
      continue;

    MemberFacts Facts;
    auto ScanBody = [&](const FunctionDecl *FD) {
      const FunctionDecl *Def = nullptr;
      if (!FD->hasBody(Def) || !Def->getBody())
        return;
      ParentMap PM(Def->getBody());
      scanMemberUses(Def->getBody(), F, IsContainer, IsOwned, Threads, PM,
                     Facts);
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
            const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
                skipImplicit(Init->getInit()));
            if (IsOwned) {
              if (makesStartedThread(Init->getInit(), Threads) &&
                  Facts.Start.isInvalid())
                Facts.Start = Init->getSourceLocation();
              continue;
            }
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

    SourceLocation Loc =
        ImplicitDtor ? Record->getLocation() : Dtor->getLocation();
    if (!firstReport(Loc, F->getName()))
      continue;
    std::optional<FixItHint> Fix;
    if (IsThread && F == LastField && Facts.StartedOnlyInInitializer &&
        !Facts.Detached && !Facts.MovedOrAssigned)
      Fix = jthreadFix(F, Flow.astContext());
    {
      auto D =
          reportFinding(Loc,
                        "the %select{|implicit }0destructor of %1 does not "
                        "join or detach thread member %2 (std::terminate is "
                        "called if it is joinable)",
                        memberSeverity(Record, F, IsThread, Facts, Flow))
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

void UnjoinedThreadCheck::reportPartialJoin(const CXXRecordDecl *Record,
                                            const FieldDecl *F,
                                            FlowContext &Flow) {
  std::optional<SourceLocation> Guard = unsafeJoinGuard(Flow, Record, F);
  const CXXDestructorDecl *Dtor = destructorOf(Record);
  if (!Guard || !Dtor || !firstReport(Dtor->getLocation(), F->getName()))
    return;
  reportFinding(
      Dtor->getLocation(),
      "the destructor of %0 joins thread member %1 only on some paths "
      "(std::terminate is called if it is joinable on the others)",
      Severity::Warning)
      << Record << F;
  diag(*Guard,
       "the join is skipped when this condition does not hold, which does "
       "not show that %0 was never started",
       DiagnosticIDs::Note)
      << F;
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(UnjoinedThreadCheck)
