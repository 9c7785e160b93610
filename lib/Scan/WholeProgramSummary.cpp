//===--- WholeProgramSummary.cpp - a translation unit's summary -----------===//
//
// Reads, per function of the translation unit, what the link step needs
// (WholeProgram.h): the flow layer's lock analysis gives the acquisitions
// and the locks held at each call and container access (classified as the
// per-TU pitfall-unlocked-container-access check classifies them),
// FlowContext::taskStarts and the happens-before analysis the tasks and
// where they may run.
//
//===----------------------------------------------------------------------===//
#include "pitfall/Scan/WholeProgram.h"

#include "pitfall/Core/ActiveObjects.h"
#include "pitfall/Core/AtomicWaits.h"
#include "pitfall/Core/Containers.h"
#include "pitfall/Core/Escape.h"
#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/LocalObjects.h"
#include "pitfall/Core/Locks.h"
#include "pitfall/Core/ScopeLoops.h"
#include "pitfall/Core/UserDefinitions.h"
#include "pitfall/Flow/Callables.h"
#include "pitfall/Flow/ClassReach.h"
#include "pitfall/Flow/Effects.h"
#include "pitfall/Flow/Factories.h"
#include "pitfall/Flow/FlowContext.h"
#include "pitfall/Flow/FreshObjects.h"
#include "pitfall/Flow/HappensBefore.h"
#include "pitfall/Flow/LockAnalysis.h"
#include "pitfall/Flow/ThreadMembers.h"
#include "llvm/ADT/SmallPtrSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/Analyses/Dominators.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

#include <algorithm>
#include <map>
#include <set>

using namespace clang;

namespace pitfall {
namespace scan {

namespace {

class StmtOrder;

class Summarizer {
public:
  Summarizer(FlowContext &Flow, const SummaryOptions &Options)
      : Flow(Flow), SM(Flow.astContext().getSourceManager()), Options(Options),
        Containers(Options.ContainerTypes) {}

  void add(const FunctionDecl *FD);
  std::vector<std::string> hookChain(const FunctionDecl *FD);
  /// Records the functions \p Root (a function's body, a variable's or
  /// field's initialiser) names otherwise than as the callee of a direct
  /// call (TUSummary::Referenced).
  template <class Node> void noteReferences(const Node *Root);
  /// The sites of the task starts of the functions added.
  llvm::ArrayRef<const Expr *> taskSites() const { return TaskSites; }
  /// Records what \p R read of which classes' objects other threads may
  /// reach (TUSummary::ClassHolds, SharedClasses).
  void classReach(const ClassReach &R) {
    std::set<std::pair<std::string, std::string>> Holds;
    for (const auto &[Holder, Held] : R.holds()) {
      std::string A = usr(Holder), B = usr(Held);
      if (!A.empty() && !B.empty() && A != B)
        Holds.emplace(std::move(A), std::move(B));
    }
    S.ClassHolds.assign(Holds.begin(), Holds.end());
    for (const CXXRecordDecl *RD : R.shared())
      if (std::string U = usr(RD); !U.empty())
        S.SharedClasses.push_back(std::move(U));
    llvm::sort(S.SharedClasses);
    S.SharedClasses.erase(
        std::unique(S.SharedClasses.begin(), S.SharedClasses.end()),
        S.SharedClasses.end());
  }
  /// The main file, as locations name it.
  std::string mainFile() const {
    return loc(SM.getLocForStartOfFile(SM.getMainFileID())).File;
  }
  TUSummary take() {
    for (SummaryFunction &F : S.Functions)
      F.Handler = Handlers.contains(F.USR);
    // The pointer and reference members to a mutex of the classes the TU
    // constructs: what every construction gives them, for the link.
    for (const CXXRecordDecl *RD : Flow.constructedClasses())
      for (const FieldDecl *Field : RD->fields()) {
        QualType T = Field->getType();
        if (!(T->isPointerType() || T->isReferenceType()) ||
            !Flow.locks().isMutexType(T.getNonReferenceType()))
          continue;
        const ValueDecl *Alias = mutexAliasOf(Flow, Field);
        if (std::string U = usr(Field); !U.empty())
          MutexAliases.try_emplace(U, Alias == Field ? std::string()
                                                     : mutex(Alias));
      }
    // The reference and pointer members to an io_context of the classes
    // the TU constructs: the io_context every construction gives them.
    for (const CXXRecordDecl *RD : Flow.constructedClasses())
      for (const FieldDecl *Field : RD->fields()) {
        QualType T = Field->getType();
        if (T->isPointerType())
          T = T->getPointeeType();
        else if (T->isReferenceType())
          T = T.getNonReferenceType();
        else
          continue;
        if (!isIoContext(T))
          continue;
        if (std::string U = usr(Field); !U.empty())
          S.ContextAliases.emplace_back(U, contextAliasOf(RD, Field));
      }
    llvm::sort(S.ContextAliases);
    for (auto &[USR, Name] : MutexNames)
      S.MutexNames.emplace_back(USR, Name);
    for (auto &[USR, Target] : MutexAliases)
      S.MutexAliases.emplace_back(USR, Target);
    for (auto &[USR, Name] : ObjectNames)
      S.ObjectNames.emplace_back(USR, Name);
    recordConstructed(Flow.astContext().getTranslationUnitDecl());
    llvm::sort(S.Constructed);
    for (auto &[USR, C] : Classes)
      if (C)
        S.Classes.push_back(std::move(*C));
    for (const auto &R : Referenced)
      S.Referenced.push_back(R.getKey().str());
    llvm::sort(S.Referenced);
    for (const auto &H : BoundHandlers)
      S.BoundHandlers.push_back(H.getKey().str());
    llvm::sort(S.BoundHandlers);
    return std::move(S);
  }

private:
  /// Records \p F's stores to atomics (SummaryFunction::Stores) and returns
  /// its loops that wait for an atomic to hold a value.
  llvm::SmallVector<std::pair<const Stmt *, AtomicSpin>, 1>
  atomicHandshakes(StmtOrder &Order, const FunctionDecl *FD,
                   llvm::ArrayRef<const Stmt *> CallStmts,
                   llvm::ArrayRef<const Stmt *> AccessStmts,
                   SummaryFunction &F);

  /// Records \p F's waits in \p Spins for an atomic of an object one of
  /// its calls makes or is made on before them (SummaryFunction::CallWaits).
  void callWaits(StmtOrder &Order, const FlowGraph &G, const FunctionDecl *FD,
                 llvm::ArrayRef<std::pair<const Stmt *, AtomicSpin>> Spins,
                 llvm::ArrayRef<const Stmt *> CallStmts,
                 llvm::ArrayRef<const Stmt *> AccessStmts, SummaryFunction &F);

  /// Records in TUSummary::Constructed the classes of the user's code in
  /// \p DC, its namespaces and classes, the specializations of its class
  /// templates, whose objects the TU may make.
  void recordConstructed(const DeclContext *DC) {
    for (const Decl *D : DC->decls()) {
      if (SM.isInSystemHeader(D->getLocation()))
        continue;
      if (isa<NamespaceDecl, LinkageSpecDecl>(D)) {
        recordConstructed(cast<DeclContext>(D));
      } else if (const auto *CT = dyn_cast<ClassTemplateDecl>(D)) {
        for (const ClassTemplateSpecializationDecl *Spec :
             CT->specializations())
          if (Spec->isThisDeclarationADefinition() &&
              !isa<ClassTemplatePartialSpecializationDecl>(Spec)) {
            recordIfConstructed(Spec);
            recordConstructed(Spec);
          }
      } else if (const auto *RD = dyn_cast<CXXRecordDecl>(D);
                 RD && RD->isThisDeclarationADefinition() &&
                 !isa<ClassTemplateSpecializationDecl>(RD)) {
        recordIfConstructed(RD);
        recordConstructed(RD);
      }
    }
  }
  void recordIfConstructed(const CXXRecordDecl *RD) {
    if (RD->isDependentContext() || !RD->isPolymorphic() || RD->isAbstract() ||
        llvm::none_of(RD->ctors(), [](const CXXConstructorDecl *C) {
          return C->isUsed() || C->isReferenced();
        }))
      return;
    std::string U = recordClass(RD);
    if (auto It = Classes.find(U); It != Classes.end() && It->second)
      S.Constructed.push_back(std::move(U));
  }

  /// The USR of the class of \p FD's `this` (thisClassOf()), its bases
  /// recorded (SummaryClass) when they are all known; "" for none.
  std::string thisClass(const FunctionDecl *FD) {
    const CXXRecordDecl *RD = thisClassOf(FD);
    return RD ? recordClass(RD) : std::string();
  }
  /// The USR of \p RD, its bases recorded (SummaryClass) when they are all
  /// known.
  std::string recordClass(const CXXRecordDecl *RD) {
    RD = RD->getDefinition();
    std::string U = RD ? usr(RD) : std::string();
    if (U.empty() || Classes.count(U))
      return U;
    std::optional<SummaryClass> &C = Classes[U];
    SummaryClass Out;
    Out.USR = U;
    llvm::SmallVector<const CXXRecordDecl *, 4> Work{RD};
    llvm::SmallPtrSet<const CXXRecordDecl *, 8> Seen;
    while (!Work.empty()) {
      const CXXRecordDecl *D = Work.pop_back_val();
      for (const CXXMethodDecl *M : D->methods()) {
        llvm::SmallVector<const CXXMethodDecl *, 2> Over(
            M->overridden_methods());
        while (!Over.empty()) {
          const CXXMethodDecl *O = Over.pop_back_val();
          std::string OU = usr(O->getCanonicalDecl());
          if (!OU.empty() && !llvm::is_contained(Out.Overridden, OU))
            Out.Overridden.push_back(OU);
          llvm::append_range(Over, O->overridden_methods());
        }
      }
      for (const CXXBaseSpecifier &B : D->bases()) {
        const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl();
        Base = Base ? Base->getDefinition() : nullptr;
        std::string BU = Base ? usr(Base) : std::string();
        if (BU.empty())
          return U; // a base not known: related to any class
        if (Seen.insert(Base).second) {
          Out.Bases.push_back(BU);
          Work.push_back(Base);
        }
      }
    }
    for (const CXXBaseSpecifier &B : RD->vbases())
      if (const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl())
        Out.VirtualBases.push_back(usr(Base->getCanonicalDecl()));
    llvm::sort(Out.Bases);
    llvm::sort(Out.VirtualBases);
    llvm::sort(Out.Overridden);
    C = std::move(Out);
    return U;
  }

  /// The declaration's USR; for one clang gives none (a lambda's call
  /// operator, a local class), its place: the same in every TU.
  std::string usr(const Decl *D) {
    auto [It, New] = USRs.try_emplace(D);
    if (New) {
      llvm::SmallString<128> Buf;
      if (!index::generateUSRForDecl(D, Buf)) {
        It->second = std::string(Buf) + lambdaPlaces(D);
      } else {
        Location L = loc(D->getLocation());
        if (!L.File.empty())
          It->second = "pitfall@" + L.File + ":" + std::to_string(L.Line) +
                       ":" + std::to_string(L.Column);
      }
    }
    return It->second;
  }

  /// clang names every lambda class of a function alike (`...@Sa`): a
  /// function of a lambda class (its call operator), or a template
  /// instantiation over one (`bind<lambda>`), gets the places of those
  /// lambdas after its USR, so that two lambdas' do not meet. The same in
  /// every TU: a lambda is defined once.
  std::string lambdaPlaces(const Decl *D) const {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD)
      return {};
    std::string Out;
    auto Add = [&](const CXXRecordDecl *RD) {
      if (!RD || !RD->isLambda())
        return;
      Location L = loc(RD->getLocation());
      if (!L.File.empty())
        Out += "@" + L.File + ":" + std::to_string(L.Line) + ":" +
               std::to_string(L.Column);
    };
    auto AddArgs = [&](llvm::ArrayRef<TemplateArgument> Args) {
      for (const TemplateArgument &A : Args)
        if (A.getKind() == TemplateArgument::Type)
          Add(A.getAsType()->getAsCXXRecordDecl());
    };
    const auto *Parent = dyn_cast<CXXRecordDecl>(FD->getDeclContext());
    Add(Parent);
    if (const auto *Spec =
            dyn_cast_or_null<ClassTemplateSpecializationDecl>(Parent))
      AddArgs(Spec->getTemplateArgs().asArray());
    if (const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs())
      AddArgs(Args->asArray());
    return Out;
  }

  Location loc(SourceLocation Loc) const {
    Location L;
    if (Loc.isInvalid())
      return L;
    PresumedLoc P = SM.getPresumedLoc(SM.getFileLoc(Loc),
                                      /*UseLineDirectives=*/false);
    if (P.isInvalid())
      return L;
    llvm::SmallString<256> Path(P.getFilename());
    llvm::sys::fs::make_absolute(Path);
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    return {std::string(Path), P.getLine(), P.getColumn()};
  }

  /// The mutex's USR, or "" for a parameter's (not linkable). A pointer or
  /// reference member that is an alias of one mutex (mutexAliasOf()) is
  /// that mutex.
  std::string mutex(const ValueDecl *Key) {
    if (!Key || isa<ParmVarDecl>(Key))
      return {};
    Key = mutexAliasOf(Flow, Key);
    std::string U = usr(Key);
    if (!U.empty())
      MutexNames.try_emplace(U, Key->getNameAsString());
    return U;
  }

  /// A flag claimed under a lock, held like a mutex (claimName()). A
  /// hand-over (HeldLock::HandedOver) has no free value to name it by: not
  /// linked.
  std::string claim(const HeldLock &L) {
    if (L.HandedOver)
      return {};
    std::string U = usr(L.Mutex);
    return U.empty() ? U : claimName(U, L.FreeValue);
  }

  /// \p Locks with the thread confinements (HeldLock::ClaimState::Thread)
  /// that confine the object \p E names only: a current-thread test on
  /// `this->loop_` confines `this->events_` and the member functions called
  /// on `this`, not a global nor another object (none without \p E).
  static LockSet confining(const LockSet &Locks, const Expr *E) {
    std::optional<ObjectPath> P = E ? objectPathOf(E) : std::nullopt;
    if (!P) {
      P.emplace();
      P->Kind = RootKind::Local; // confined by nothing
    }
    LockSet Out = Locks;
    Out.keepThreadClaimsOf(*P);
    return Out;
  }

  /// The shared container \p St names, as the link step names it: a
  /// namespace-scope or static variable (or a field of one) by USR, a data
  /// member reached through `this` by its field's USR (fields of fields
  /// joined); "" for any other object (a local, a parameter's: not shared
  /// across TUs by name) and for a const variable (read-only).
  std::string container(const Stmt *St, bool &ThroughThis, bool &Owned) {
    const Expr *E = nullptr;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(St)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (VD && !VD->isImplicit() && VD->hasGlobalStorage() &&
          VD->getTLSKind() == VarDecl::TLS_None &&
          !VD->getType()->isReferenceType() &&
          !VD->getType().isConstQualified() &&
          Containers.isContainerType(VD->getType()))
        E = DRE;
    } else if (const auto *ME = dyn_cast<MemberExpr>(St)) {
      if (isa<FieldDecl>(ME->getMemberDecl()) &&
          Containers.isContainerType(ME->getMemberDecl()->getType()))
        E = ME;
    }
    // A getter's call names the member it returns, of its object.
    const CXXMemberCallExpr *Getter = Containers.getterCall(St);
    std::optional<ObjectPath> P = Getter ? pointeePathOf(Getter)
                                  : E    ? objectPathOf(E)
                                         : std::nullopt;
    if (!P || !((P->Kind == RootKind::Global && !P->ThroughPointer) ||
                (P->Kind == RootKind::This && !P->Fields.empty())))
      return {};
    ThroughThis = P->Kind == RootKind::This;
    if (ThroughThis) {
      auto Chain =
          ownedMemberChain(Getter ? Getter->getImplicitObjectArgument() : E);
      if (Chain && Getter)
        Chain->push_back(P->Fields.back());
      Owned = Chain && llvm::equal(*Chain, P->Fields);
    }
    std::string Key = pathKey(*P);
    if (!Key.empty())
      ObjectNames.try_emplace(Key, P->leaf()->getNameAsString());
    return Key;
  }

  /// The link's name of the object \p P (a global's USR, then each field's,
  /// joined by '.'); "" when a field has no USR.
  std::string pathKey(const ObjectPath &P) {
    std::string Key;
    if (P.Kind == RootKind::Global)
      Key = usr(P.Root->getCanonicalDecl());
    for (const FieldDecl *F : P.Fields) {
      std::string U = usr(F);
      if (U.empty())
        return {};
      if (!Key.empty())
        Key += '.';
      Key += U;
    }
    return Key;
  }

  /// The io_context \p Executor (a task start's) sends the task to, as the
  /// link names it when one thread alone runs io_contexts (SummaryTask::
  /// Serial, contextExecutorKey()): a global or a data member reached
  /// through `this` (`ctx_`, `ctx_.get_executor()`), as serialExecutor()
  /// names a strand; or the io_context a project's member function without
  /// arguments returns by reference (`ses->get_context()`), named by the
  /// virtual function it overrides, if any (a handle that reaches the
  /// implementation through its interface calls the same function). ""
  /// for any other executor and any other object.
  std::string contextExecutor(const Expr *Executor, unsigned Depth = 0) {
    const Expr *E = Executor ? Executor->IgnoreParenImpCasts() : nullptr;
    if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E);
        MC && MC->getNumArgs() == 0 && MC->getMethodDecl() &&
        MC->getMethodDecl()->getIdentifier() &&
        MC->getMethodDecl()->getName() == "get_executor" &&
        isAsioDecl(MC->getMethodDecl()) &&
        isIoContext(MC->getImplicitObjectArgument()->getType()))
      E = MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
    if (!E || !isIoContext(E->getType()))
      return {};
    return contextKey(E, Depth);
  }

  /// \p E without its dereferences (`*p`, `p->` of a raw or smart pointer):
  /// the pointer, when it is one.
  static const Expr *pointerOf(const Expr *E) {
    for (;;) {
      E = E->IgnoreParenImpCasts();
      if (const auto *U = dyn_cast<UnaryOperator>(E);
          U && U->getOpcode() == UO_Deref)
        E = U->getSubExpr();
      else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
               Op && Op->getNumArgs() == 1 &&
               (Op->getOperator() == OO_Star || Op->getOperator() == OO_Arrow))
        E = Op->getArg(0);
      else
        return E;
    }
  }

  /// The key of the io_context \p E (its expression, or a pointer or smart
  /// pointer to it) as contextExecutor() names it; "" when it has none.
  std::string contextKey(const Expr *E, unsigned Depth) {
    // `*ctx_`, `ctx_->`: the pointer names it.
    E = pointerOf(E);
    if (std::optional<ObjectPath> P = objectPathOf(E))
      return P->Kind == RootKind::Global ||
                     (P->Kind == RootKind::This && !P->Fields.empty())
                 ? pathKey(*P)
                 : std::string();
    const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    if (!M || MC->getNumArgs() != 0 || isAsioDecl(M) ||
        !M->getReturnType()->isLValueReferenceType() ||
        SM.isInSystemHeader(M->getLocation()))
      return {};
    // A non-virtual getter of a data member (`return ctx_;`) names it.
    const FunctionDecl *Def = nullptr;
    if (!M->isVirtual() && Depth < 2 && M->hasBody(Def))
      if (const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
          Body && Body->size() == 1)
        if (const auto *R = dyn_cast<ReturnStmt>(Body->body_front());
            R && R->getRetValue())
          if (std::string K = contextExecutor(R->getRetValue(), Depth + 1);
              !K.empty())
            return K;
    for (unsigned D = 0; D != 8 && M->size_overridden_methods(); ++D)
      M = *M->begin_overridden_methods();
    return "getter:" + usr(M->getCanonicalDecl());
  }

  /// The io_context the reference or pointer data member \p Field of \p RD
  /// stands for, as contextKey() names it: the one every construction of
  /// RD the TU makes gives the constructor parameter every constructor
  /// initialises the member from; "" when the TU sees a constructor's
  /// initialisers not, or the constructions give none or several.
  std::string contextAliasOf(const CXXRecordDecl *RD, const FieldDecl *Field) {
    std::optional<unsigned> Param;
    for (const CXXConstructorDecl *Ctor : RD->ctors()) {
      if (Ctor->isCopyOrMoveConstructor() || Ctor->isDeleted())
        continue;
      const FunctionDecl *Def = nullptr;
      if (!Ctor->isDefined(Def))
        return {};
      std::optional<unsigned> From;
      for (const CXXCtorInitializer *Init :
           cast<CXXConstructorDecl>(Def)->inits())
        if (Init->getMember() == Field)
          if (const auto *DRE =
                  dyn_cast<DeclRefExpr>(Init->getInit()->IgnoreParenImpCasts()))
            if (const auto *PV = dyn_cast<ParmVarDecl>(DRE->getDecl()))
              From = PV->getFunctionScopeIndex();
      if (!From || (Param && *Param != *From))
        return {};
      Param = From;
    }
    llvm::ArrayRef<const Expr *> Made = Flow.constructionsOf(RD);
    if (!Param || Made.empty())
      return {};
    std::string Key;
    for (const Expr *E : Made) {
      const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E);
      const auto *Call = dyn_cast_or_null<CallExpr>(E);
      const Expr *Arg = CE && *Param < CE->getNumArgs() ? CE->getArg(*Param)
                        : Call && *Param < Call->getNumArgs()
                            ? Call->getArg(*Param)
                            : nullptr;
      std::string K = Arg ? contextKey(Arg, 0) : std::string();
      if (K.empty() || (!Key.empty() && K != Key))
        return {};
      Key = std::move(K);
    }
    return Key;
  }

  /// The io_context a run of which is made on \p Object, as
  /// SummaryFunction::DrivenContexts names it: "" for a local io_context
  /// variable (no other code names it), "?" when the link cannot name it.
  std::string drivenContext(const Expr *Object) {
    const Expr *E = Object->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
          V && V->hasLocalStorage() && !isa<ParmVarDecl>(V) &&
          isIoContext(V->getType()) && !V->getType()->isReferenceType() &&
          onlyAsioUses(V))
        return {};
    std::string K = contextKey(E, 0);
    return K.empty() ? "?" : K;
  }

  /// The I/O object of \p Call to \p Callee when it is an async operation:
  /// the object of a member `async_*` call (`sock_.async_read_some(...)`,
  /// `timer_.async_wait(...)`), the stream or socket a free `async_*`
  /// function is given first (`asio::async_read(sock_, ...)`); null
  /// otherwise.
  static const Expr *asyncOperationObject(const CallExpr *Call,
                                          const FunctionDecl *Callee) {
    if (!Callee->getIdentifier() || !Callee->getName().starts_with("async_"))
      return nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      return MC->getImplicitObjectArgument();
    if (isa<CXXMethodDecl>(Callee) || Call->getNumArgs() < 2)
      return nullptr;
    return Call->getArg(0);
  }

  /// The io_context the I/O object \p Object (a socket, a timer, a stream:
  /// the object of an async operation) was made with, as
  /// SummaryFunction::DrivenContexts names it: for a data member of `this`
  /// (or the object a pointer member points to), the io_context or its
  /// executor that the TU's every construction of it is given first (its
  /// default member initializer, its constructors' initializers, `m = new
  /// T(ctx)`, `m.reset(new T(ctx))`, `m = std::make_shared<T>(ctx)` in
  /// its class's member functions), when they agree; for a local variable,
  /// its initializer's. "" otherwise.
  std::string ioObjectContext(const Expr *Object) {
    const Expr *E = pointerOf(Object);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V) ||
          V->getType()->isReferenceType() || V->getType()->isPointerType())
        return {};
      return constructionContext(V->getInit());
    }
    const FieldDecl *FD = thisField(E);
    if (!FD)
      return {};
    auto [It, New] = FieldContexts.try_emplace(FD);
    if (New)
      It->second = fieldContext(FD);
    return It->second;
  }

  /// ioObjectContext() of a data member.
  std::string fieldContext(const FieldDecl *FD) {
    const auto *RD = dyn_cast<CXXRecordDecl>(FD->getParent());
    if (!RD || !RD->hasDefinition())
      return {};
    std::string Key;
    bool Agree = true, Any = false;
    auto Made = [&](const Expr *Init) {
      // `T *m_ = nullptr;`, `m_ = nullptr;`, `m_.reset();`: none made.
      if (Init->IgnoreParenImpCasts()->isNullPointerConstant(
              FD->getASTContext(), Expr::NPC_ValueDependentIsNotNull))
        return;
      std::string K = constructionContext(Init);
      Agree = Agree && !K.empty() && (!Any || K == Key);
      Key = std::move(K);
      Any = true;
    };
    if (const Expr *Init = FD->getInClassInitializer())
      Made(Init);
    for (const CXXMethodDecl *M : RD->methods()) {
      const FunctionDecl *Def = nullptr;
      if (!M->hasBody(Def) || !Def->getBody())
        continue;
      if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
        for (const CXXCtorInitializer *I : Ctor->inits())
          if (I->getMember() == FD && I->isWritten())
            Made(I->getInit());
      llvm::SmallVector<const Stmt *, 64> Work{Def->getBody()};
      while (!Work.empty()) {
        const Stmt *S = Work.pop_back_val();
        for (const Stmt *C : S->children())
          if (C)
            Work.push_back(C);
        const Expr *Value = nullptr;
        if (const auto *B = dyn_cast<BinaryOperator>(S);
            B && B->getOpcode() == BO_Assign && thisField(B->getLHS()) == FD)
          Value = B->getRHS();
        else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
                 Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
                 thisField(Op->getArg(0)) == FD)
          Value = Op->getArg(1);
        else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
                 MC && MC->getNumArgs() == 1 && MC->getMethodDecl() &&
                 MC->getMethodDecl()->getIdentifier() &&
                 MC->getMethodDecl()->getName() == "reset" &&
                 thisField(MC->getImplicitObjectArgument()) == FD)
          Value = MC->getArg(0);
        if (Value)
          Made(Value);
      }
    }
    return Any && Agree ? Key : std::string();
  }

  /// The io_context the object \p Init constructs (`T(ctx)`, `T{ctx}`,
  /// `new T(ctx)`, `std::make_shared<T>(ctx)`, `std::make_unique<T>(ctx)`)
  /// is given first, or its executor, as contextKey() names it; "" for
  /// anything else.
  std::string constructionContext(const Expr *Init) {
    if (!Init)
      return {};
    const Expr *E = Init->IgnoreImplicit();
    if (const auto *N = dyn_cast<CXXNewExpr>(E))
      E = N->getConstructExpr();
    const Expr *First = nullptr;
    if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E)) {
      if (CE->getNumArgs() == 0)
        return {};
      First = CE->getArg(0);
      // A copy or move of another object: not a construction with one.
      if (CE->getConstructor()->isCopyOrMoveConstructor()) {
        const Expr *Inner = First->IgnoreImplicit();
        if (isa<CXXConstructExpr, CallExpr, CXXNewExpr>(Inner) &&
            !isIoContext(Inner->getType()))
          return constructionContext(Inner);
        return {};
      }
    } else if (const auto *Call = dyn_cast_or_null<CallExpr>(E);
               Call && constructorMadeBy(Call) && Call->getNumArgs() != 0) {
      First = Call->getArg(0);
    }
    if (!First)
      return {};
    return contextExecutor(First);
  }

  /// True if the local variable \p V is named, in its function's body and
  /// the lambdas there, only as the object or an argument (`v`, `&v`) of
  /// asio's own functions and constructors (its I/O objects, work guards,
  /// `post`): no project code is handed it, nor can name it.
  bool onlyAsioUses(const VarDecl *V) {
    const auto *FD =
        dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod());
    const Stmt *Body = FD ? FD->getBody() : nullptr;
    if (!Body)
      return false;
    auto Names = [&](const Expr *A) {
      A = A->IgnoreParenImpCasts();
      if (const auto *U = dyn_cast<UnaryOperator>(A);
          U && U->getOpcode() == UO_AddrOf)
        A = U->getSubExpr()->IgnoreParenImpCasts();
      const auto *R = dyn_cast<DeclRefExpr>(A);
      return R && R->getDecl() == V;
    };
    unsigned Uses = 0, Asio = 0;
    llvm::SmallVector<const Stmt *, 64> Work{Body};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      for (const Stmt *C : S->children()) // a lambda's body among them
        if (C)
          Work.push_back(C);
      if (const auto *R = dyn_cast<DeclRefExpr>(S))
        Uses += R->getDecl() == V;
      // A lambda's capture of it: what its body does with it counts.
      if (const auto *L = dyn_cast<LambdaExpr>(S))
        for (const Expr *Init : L->capture_inits())
          Asio += Init && Names(Init);
      const FunctionDecl *Callee = nullptr;
      llvm::ArrayRef<const Expr *> Args;
      if (const auto *Call = dyn_cast<CallExpr>(S)) {
        Callee = Call->getDirectCallee();
        Args = llvm::ArrayRef(Call->getArgs(), Call->getNumArgs());
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
            MC && Callee && isAsioDecl(Callee) &&
            Names(MC->getImplicitObjectArgument()))
          ++Asio;
      } else if (const auto *CE = dyn_cast<CXXConstructExpr>(S)) {
        Callee = CE->getConstructor();
        Args = llvm::ArrayRef(CE->getArgs(), CE->getNumArgs());
      }
      if (Callee && isAsioDecl(Callee))
        Asio += llvm::count_if(Args, Names);
    }
    return Uses == Asio;
  }

  /// The serial executor \p Executor (a task start's) names, as the link
  /// names it (SummaryTask::Serial): an active object or a strand that is a
  /// global (by USR, and fields) or a data member reached through `this`
  /// (by its fields' USRs: it stands for every object's, as a mutex member
  /// does); "" for any other executor and any other object (a local, a
  /// parameter's: two calls of the function may have two).
  std::string serialExecutor(const Expr *Executor) {
    if (std::string K = contextExecutor(Executor); !K.empty())
      return contextExecutorKey(K);
    if (!Executor || !(isSerialExecutor(Executor->getType()) ||
                       isActiveObjectType(Executor->getType(), Flow.threads())))
      return {};
    std::optional<ObjectPath> P = objectPathOf(Executor);
    // `worker_.get()` of a smart pointer.
    if (const auto *MC =
            dyn_cast<CXXMemberCallExpr>(Executor->IgnoreParenImpCasts());
        !P && MC && MC->getNumArgs() == 0 && MC->getMethodDecl() &&
        MC->getMethodDecl()->getIdentifier() &&
        MC->getMethodDecl()->getName() == "get")
      P = objectPathOf(MC->getImplicitObjectArgument());
    if (!P || !((P->Kind == RootKind::Global) ||
                (P->Kind == RootKind::This && !P->Fields.empty())))
      return {};
    return pathKey(*P);
  }

  /// The serial executor the callable a project's spawner is given runs on
  /// when the spawner keeps it in an object it builds (`auto sink =
  /// std::make_shared<Sink<T>>(std::move(real), call)`, or `Sink<T>(real,
  /// call)`; the spawner's parameter used nowhere else): a constructor of
  /// the object's class stores the parameter in a data member
  /// (`call_(std::bind(call, real_.get(), _1))`), which the class's member
  /// functions only call inside lambdas they send to one serial executor
  /// the link names (`bg_->send([this, msg] { call_(msg); })`,
  /// storedCallableSerial()). The data member stands for every object's, as
  /// in serialExecutor(). "" otherwise.
  std::string storedSerial(const TaskStart &TS) {
    const FunctionDecl *Callee = callSiteOf(TS.Site).Callee;
    const FunctionDecl *Def = nullptr;
    if (!Callee || !Callee->hasBody(Def) || !Def->getBody() ||
        SM.isInSystemHeader(Def->getLocation()))
      return {};
    // The spawner's parameter the callable is bound to.
    unsigned Index = ~0u;
    if (const auto *Call = dyn_cast<CallExpr>(TS.Site)) {
      for (unsigned I = firstCallArgument(Call), N = Call->getNumArgs(); I < N;
           ++I)
        if (Call->getArg(I) == TS.Callable)
          Index = I - firstCallArgument(Call);
    } else if (const auto *CE = dyn_cast<CXXConstructExpr>(TS.Site)) {
      for (unsigned I = 0, N = CE->getNumArgs(); I != N; ++I)
        if (CE->getArg(I) == TS.Callable)
          Index = I;
    }
    if (Index >= Def->getNumParams())
      return {};
    const ParmVarDecl *Param = Def->getParamDecl(Index);
    std::string Key;
    unsigned Stored = 0;
    bool Ok = walkOutsideLambdas(
        Def->getBody(), LambdaBodies::CapturesOnly, [&](const Stmt *S) {
          const auto *E = dyn_cast<Expr>(S);
          if (!E || !isa<CallExpr, CXXConstructExpr>(E))
            return true;
          llvm::SmallVector<const CXXConstructorDecl *, 2> Ctors;
          llvm::ArrayRef<const Expr *> Args;
          if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
            const FunctionDecl *CD = nullptr;
            if (CE->getConstructor()->isDefined(CD) &&
                !SM.isInSystemHeader(CD->getLocation()))
              Ctors.push_back(cast<CXXConstructorDecl>(CD));
            Args = llvm::ArrayRef(CE->getArgs(), CE->getNumArgs());
          } else {
            const auto *Call = cast<CallExpr>(E);
            const FunctionDecl *FD = Call->getDirectCallee();
            const TemplateArgumentList *TA =
                FD && isStdFunction(FD, {"make_shared", "make_unique"})
                    ? FD->getTemplateSpecializationArgs()
                    : nullptr;
            Args = llvm::ArrayRef(Call->getArgs(), Call->getNumArgs());
            if (TA && TA->size() > 0 &&
                TA->get(0).getKind() == TemplateArgument::Type)
              constructorsTaking(TA->get(0).getAsType()->getAsCXXRecordDecl(),
                                 Args.size(), Ctors);
          }
          for (unsigned I = 0, N = Args.size(); I != N; ++I) {
            const auto *DRE =
                dyn_cast<DeclRefExpr>(skipMovesAndCopies(Args[I]));
            if (!DRE || DRE->getDecl() != Param)
              continue;
            // Every constructor it may be (make_shared's overload
            // resolution is not seen) stores it where one executor runs it.
            if (Ctors.empty())
              return false;
            for (const CXXConstructorDecl *C : Ctors) {
              std::string K = constructorStoredSerial(C, I);
              if (K.empty() || (!Key.empty() && K != Key))
                return false;
              Key = std::move(K);
            }
            ++Stored;
          }
          return true;
        });
    // The parameter goes nowhere else.
    return Ok && Stored && Stored == mentionsOf(Def->getBody(), Param) ? Key
                                                                       : "";
  }

  /// The statements under \p Root, lambda bodies included, that \p Counts.
  static unsigned countUnder(const Stmt *Root,
                             llvm::function_ref<bool(const Stmt *)> Counts) {
    unsigned N = 0;
    llvm::SmallVector<const Stmt *, 32> Work{Root};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      N += Counts(S);
      llvm::append_range(Work, S->children());
    }
    return N;
  }

  /// The statements under \p Root, lambda bodies included, that name \p D.
  static unsigned mentionsOf(const Stmt *Root, const ValueDecl *D) {
    return countUnder(Root, [D](const Stmt *S) {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
        return DRE->getDecl() == D;
      const auto *ME = dyn_cast<MemberExpr>(S);
      return ME && ME->getMemberDecl() == D;
    });
  }

  /// The constructors of \p RD defined in the translation unit (those of
  /// its constructor templates too) that may take \p NumArgs arguments,
  /// copy and move constructors left out.
  static void
  constructorsTaking(const CXXRecordDecl *RD, unsigned NumArgs,
                     llvm::SmallVectorImpl<const CXXConstructorDecl *> &Out) {
    if (!RD || !RD->hasDefinition())
      return;
    auto Add = [&](const CXXConstructorDecl *C) {
      const FunctionDecl *D = nullptr;
      if (C && !C->isCopyOrMoveConstructor() && C->isDefined(D) &&
          C->getMinRequiredArguments() <= NumArgs &&
          (C->isVariadic() || C->getNumParams() >= NumArgs))
        Out.push_back(cast<CXXConstructorDecl>(D));
    };
    for (const Decl *D : RD->decls()) {
      if (const auto *C = dyn_cast<CXXConstructorDecl>(D))
        Add(C);
      else if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
        if (isa<CXXConstructorDecl>(FT->getTemplatedDecl()))
          for (const FunctionDecl *S : FT->specializations())
            Add(dyn_cast<CXXConstructorDecl>(S));
    }
  }

  /// The serial executor that runs what the constructor \p Ctor stores from
  /// its parameter \p Index: the parameter is used only in the
  /// initialisers of data members of the class (`call_(std::bind(call,
  /// ...))`), each a callable the class runs only on one executor
  /// (storedCallableSerial()), the same for all. "" otherwise.
  std::string constructorStoredSerial(const CXXConstructorDecl *Ctor,
                                      unsigned Index) {
    if (Index >= Ctor->getNumParams() || !Ctor->getBody())
      return {};
    const ParmVarDecl *Param = Ctor->getParamDecl(Index);
    if (mentionsOf(Ctor->getBody(), Param))
      return {};
    std::string Key;
    for (const CXXCtorInitializer *Init : Ctor->inits()) {
      if (!mentionsOf(Init->getInit(), Param))
        continue;
      const FieldDecl *F = Init->getMember();
      if (!F || F->getParent() != Ctor->getParent())
        return {}; // a base, or a member of an anonymous union
      std::string K = storedCallableSerial(F);
      if (K.empty() || (!Key.empty() && K != Key))
        return {};
      Key = std::move(K);
    }
    return Key;
  }

  /// The callable \p E hands on: a lambda, through the library's
  /// conversion of it (to a std::function parameter); null otherwise.
  static const LambdaExpr *sentLambda(const Expr *E) {
    while (E) {
      E = skipImplicit(E);
      if (const auto *L = dyn_cast<LambdaExpr>(E))
        return L;
      const auto *CE = dyn_cast<CXXConstructExpr>(E);
      if (!CE || CE->getNumArgs() != 1)
        return nullptr;
      E = CE->getArg(0);
    }
    return nullptr;
  }

  /// The serial executor the link names on which the callable data member
  /// \p F of its class runs: every member function of the class (its
  /// constructors' bodies and its destructor included; the implicit copies
  /// copy it into another object of the class, which runs it the same way)
  /// names \p F only to call it, inside a lambda it sends to that one
  /// executor (`bg_->send([this, msg] { call_(msg); })`); a member of a
  /// class template not instantiated here does not name it as written, nor
  /// does a member function template; no function of the translation unit
  /// outside the class names it unless it is private; and a member function
  /// whose body is not in the translation unit makes it unknown. "" if not.
  std::string storedCallableSerial(const FieldDecl *F) {
    auto Found = StoredSerials.find(F);
    if (Found != StoredSerials.end())
      return Found->second;
    return StoredSerials[F] = computeStoredCallableSerial(F);
  }

  std::string computeStoredCallableSerial(const FieldDecl *F) {
    const auto *RD = dyn_cast<CXXRecordDecl>(F->getParent());
    if (!RD || RD->isLambda())
      return {};
    const CXXRecordDecl *Pattern = RD;
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
      if (const CXXRecordDecl *P = Spec->getTemplateInstantiationPattern())
        Pattern = P;
    // The name as the class template's code writes it.
    auto NamesField = [&](const Stmt *Body) {
      return usesOf(Body, F, /*ByName=*/true) != 0;
    };
    std::string Key;
    // Member function templates: their code as written.
    for (const Decl *D : Pattern->decls())
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
        if (const FunctionDecl *TD = FT->getTemplatedDecl();
            !isa<CXXConstructorDecl>(TD) && TD->getBody() &&
            NamesField(TD->getBody()))
          return {};
    for (const CXXMethodDecl *M : RD->methods()) {
      // The implicit members copy it into another object of the class (which
      // runs it the same way) or destroy it.
      if (M->isImplicit() || M->isDeleted() || M->isDefaulted())
        continue;
      const FunctionDecl *Def = nullptr;
      if (!M->isDefined(Def) || !Def->getBody()) {
        // Not instantiated here: as the class template writes it.
        const FunctionDecl *P = M->getTemplateInstantiationPattern();
        if (RD == Pattern || !P || (P->getBody() && NamesField(P->getBody())))
          return {};
        continue;
      }
      const Stmt *Body = Def->getBody();
      unsigned Named = usesOf(Body, F, /*ByName=*/false);
      if (const auto *C = dyn_cast<CXXConstructorDecl>(Def))
        for (const CXXCtorInitializer *Init : C->inits())
          if (Init->getMember() != F)
            Named += usesOf(Init->getInit(), F, /*ByName=*/false);
      if (!Named)
        continue;
      if (isa<CXXConstructorDecl, CXXDestructorDecl>(Def))
        return {};
      // The lambdas it sends to a serial executor, and their calls of F.
      unsigned Called = 0;
      bool Ok = walkOutsideLambdas(
          Body, LambdaBodies::CapturesOnly, [&](const Stmt *S) {
            const auto *E = dyn_cast<Expr>(S);
            if (!E || !isa<CallExpr, CXXConstructExpr>(E))
              return true;
            for (const TaskStart &TS : Flow.taskStarts(E)) {
              const LambdaExpr *L = sentLambda(TS.Callable);
              if (!L || !mentionsOf(L->getBody(), F))
                continue;
              std::string K = serialExecutor(TS.Executor);
              if (K.empty() || (!Key.empty() && K != Key))
                return false;
              Key = std::move(K);
              unsigned Calls = callsOf(L->getBody(), F);
              if (Calls != mentionsOf(L->getBody(), F))
                return false;
              Called += Calls;
            }
            return true;
          });
      if (!Ok || Called != Named)
        return {};
    }
    if (Key.empty() || (F->getAccess() != AS_private && namedOutside(F, RD)))
      return {};
    return Key;
  }

  /// The mentions of the data member \p F under \p Root, lambda bodies
  /// included, but those it is assigned by (`f_ = g`: a store, which runs
  /// nothing); by its name when \p ByName (a class template's code as
  /// written, dependent member accesses included).
  static unsigned usesOf(const Stmt *Root, const FieldDecl *F, bool ByName) {
    unsigned N = 0;
    llvm::SmallPtrSet<const Expr *, 4> Stores;
    llvm::SmallVector<const Stmt *, 32> Work{Root};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      if (const auto *BO = dyn_cast<BinaryOperator>(S);
          BO && BO->getOpcode() == BO_Assign)
        Stores.insert(BO->getLHS()->IgnoreParenImpCasts());
      else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
               OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
        Stores.insert(OC->getArg(0)->IgnoreParenImpCasts());
      bool Named = false;
      if (const auto *ME = dyn_cast<MemberExpr>(S))
        Named = ByName ? ME->getMemberDecl()->getDeclName() == F->getDeclName()
                       : ME->getMemberDecl() == F;
      else if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(S))
        Named = ByName && DM->getMember() == F->getDeclName();
      if (Named && !Stores.count(cast<Expr>(S)))
        ++N;
      llvm::append_range(Work, S->children());
    }
    return N;
  }

  /// The calls of the callable data member \p F under \p Root (`f_(x)`).
  static unsigned callsOf(const Stmt *Root, const FieldDecl *F) {
    return countUnder(Root, [F](const Stmt *S) {
      const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
      if (!OC || OC->getOperator() != OO_Call || OC->getNumArgs() == 0)
        return false;
      const auto *ME = dyn_cast<MemberExpr>(skipImplicit(OC->getArg(0)));
      return ME && ME->getMemberDecl() == F;
    });
  }

  /// True if a function of the translation unit that is not a member of
  /// \p RD names its data member \p F.
  bool namedOutside(const FieldDecl *F, const CXXRecordDecl *RD) {
    for (const UserDefinition &U : Flow.userDefinitions()) {
      const auto *FD = U.dyn_cast<const FunctionDecl *>();
      if (!FD || !FD->getBody())
        continue;
      // A lambda's body is its enclosing function's.
      const FunctionDecl *Outer = FD;
      while (const auto *L = dyn_cast<CXXMethodDecl>(Outer)) {
        if (!L->getParent()->isLambda())
          break;
        const auto *Up =
            dyn_cast_or_null<FunctionDecl>(L->getParent()->getDeclContext());
        if (!Up)
          break;
        Outer = Up;
      }
      const auto *M = dyn_cast<CXXMethodDecl>(Outer);
      if (M && M->getParent() == RD)
        continue;
      if (mentionsOf(FD->getBody(), F))
        return true;
    }
    return false;
  }

  /// The callable arguments of \p Call: (parameter index, the USR of the
  /// function each runs, empty when not known).
  std::vector<std::pair<unsigned, std::string>>
  callableArgs(const CallExpr *Call) {
    std::vector<std::pair<unsigned, std::string>> Out;
    for (unsigned I = 0, N = Call->getNumArgs(); I != N; ++I) {
      const Expr *Arg = Call->getArg(I);
      const ParmVarDecl *P = paramForArg(Call, I);
      if (!P || isa<CXXDefaultArgExpr>(Arg) || !isCallableArgument(Arg))
        continue;
      const FunctionDecl *Fn = Flow.callables().resolve(Arg).Fn;
      Out.push_back({P->getFunctionScopeIndex(),
                     Fn ? usr(Fn->getCanonicalDecl()) : std::string()});
    }
    return Out;
  }

  /// For a start \p TS taken by the name of the function the callable is
  /// handed to (EscapeFunctions), a function of the project this TU has no
  /// definition of: that function and the parameter (SummaryTask::Via). The
  /// link asks the function's own TU whether it only calls it.
  void viaName(const TaskStart &TS, SummaryTask &Task) {
    const auto *Call = dyn_cast_or_null<CallExpr>(TS.Site);
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    if (!Callee || Callee->hasBody() ||
        SM.isInSystemHeader(SM.getExpansionLoc(Callee->getLocation())) ||
        !Flow.escapes().isEscapeFunction(Callee))
      return;
    for (unsigned I = 0, N = Call->getNumArgs(); I != N; ++I)
      if (Call->getArg(I) == TS.Callable)
        if (const ParmVarDecl *P = paramForArg(Call, I)) {
          Task.Via = usr(Callee->getCanonicalDecl());
          Task.ViaParam = static_cast<int>(P->getFunctionScopeIndex());
        }
  }

  /// The serial executor a project's spawner called at \p Site sends its
  /// callable to, when every task start its body makes (a helper's own,
  /// followed three helpers deep) is sent to one serial executor the link
  /// names by a data member or a global (`handle->call(f)`, whose body
  /// calls `sink->async(f)`, which calls `spawn(f, _bg.get())`): a data
  /// member stands for every object's, so the name holds in the caller.
  std::string forwardedSerial(const Expr *Site, unsigned Depth) {
    const FunctionDecl *Callee = callSiteOf(Site).Callee;
    const FunctionDecl *Def = nullptr;
    if (Depth > 3 || !Callee || !Callee->hasBody(Def) ||
        SM.isInSystemHeader(Def->getLocation()))
      return {};
    std::string Key;
    bool Complete = walkOutsideLambdas(
        Def->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
          const auto *E = dyn_cast<Expr>(S);
          if (!E || !isa<CallExpr, CXXConstructExpr>(E))
            return true;
          for (const TaskStart &TS : Flow.taskStarts(E)) {
            std::string K = serialExecutor(TS.Executor);
            if (K.empty() && TS.Kind == TaskKind::Spawner)
              K = forwardedSerial(TS.Site, Depth + 1);
            if (K.empty() || (!Key.empty() && K != Key))
              return false;
            Key = std::move(K);
          }
          return true;
        });
    return Complete ? Key : std::string();
  }

  /// SummaryCall::OnThis and Members of \p Call, the call \p E of the
  /// member function \p Callee: the members of the caller's object it runs
  /// on, when its object is one (ownedMemberChain()).
  void ownerChain(const Expr *E, const FunctionDecl *Callee,
                  SummaryCall &Call) {
    const auto *M = dyn_cast<CXXMethodDecl>(Callee);
    const Expr *Object = memberCallObject(E);
    if (!M || !M->isInstance() || !Object)
      return;
    Call.Virtual = virtualDispatch(E);
    // Called through `->`: on `this`, or on what a std::unique_ptr member
    // owns (its operator->) or a raw pointer member that owns its object
    // (Core ownsPointee()), not on another raw pointer's target.
    const MemberExpr *OwnedPointer = nullptr;
    if (const Expr *P = Object->IgnoreParenImpCasts();
        Object->getType()->isPointerType() && !isa<CXXThisExpr>(P) &&
        !holdsThis(P) && !isa<CXXOperatorCallExpr>(P) &&
        !(OwnedPointer = ownedPointerOf(P)))
      return;
    auto Chain = ownedMemberChain(OwnedPointer ? OwnedPointer : Object);
    if (!Chain)
      return;
    std::vector<std::string> Members;
    for (const FieldDecl *Field : *Chain) {
      Members.push_back(usr(Field));
      if (Members.back().empty())
        return;
    }
    Call.OnThis = true;
    Call.Members = std::move(Members);
  }

  /// Whether \p E calls a virtual member function by virtual dispatch
  /// (SummaryCall::Virtual).
  static bool virtualDispatch(const Expr *E) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    const auto *ME =
        MC ? dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens()) : nullptr;
    return M && M->isVirtual() && ME && !ME->hasQualifier();
  }

  /// Whose object the call \p E in \p FD's body runs a member function on
  /// (see Receiver).
  /// The object a member call or member operator call \p E is made on.
  static const Expr *memberCallObject(const Expr *E) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      return MC->getImplicitObjectArgument();
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
        OC && isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee()) &&
        OC->getNumArgs() > 0)
      return OC->getArg(0);
    return nullptr;
  }

  /// SummaryCall::Anchor, AnchorParam and FixedArgs of the call \p E.
  static void anchor(const Expr *E, bool Lambda, SummaryCall &Call) {
    const ParmVarDecl *P = nullptr;
    if (const Expr *Object = memberCallObject(E); Object && !Lambda)
      switch (objectOrigin(Object, &P)) {
      case ObjectOrigin::Fixed:
        break;
      case ObjectOrigin::Param:
        Call.Anchor = ObjectAnchor::Param;
        Call.AnchorParam = static_cast<int>(P->getFunctionScopeIndex());
        break;
      case ObjectOrigin::Unknown:
        Call.Anchor = ObjectAnchor::None;
        break;
      }
    const auto *CE = dyn_cast<CallExpr>(E);
    if (!CE)
      return;
    for (unsigned I = firstCallArgument(CE), N = CE->getNumArgs(); I != N;
         ++I) {
      const ParmVarDecl *Callee = paramForArg(CE, I);
      if (!Callee || !(Callee->getType()->isReferenceType() ||
                       isPointerLike(Callee->getType())))
        continue;
      const ParmVarDecl *Source = nullptr;
      switch (objectOrigin(CE->getArg(I), &Source)) {
      case ObjectOrigin::Fixed:
        Call.FixedArgs.push_back({Callee->getFunctionScopeIndex(), -1});
        break;
      case ObjectOrigin::Param:
        Call.FixedArgs.push_back(
            {Callee->getFunctionScopeIndex(),
             static_cast<int>(Source->getFunctionScopeIndex())});
        break;
      case ObjectOrigin::Unknown:
        break;
      }
    }
  }

  static Receiver receiverOf(const Expr *E, const FunctionDecl *FD) {
    // A constructor's object is being made: nobody else sees it yet.
    if (isa<CXXConstructExpr>(E))
      return Receiver::Owned;
    const Expr *Object = memberCallObject(E);
    if (!Object)
      return Receiver::Other;
    Receiver Kind = objectKind(Object);
    return Kind == Receiver::Other && isPerRunObject(Object, FD)
               ? Receiver::Task
               : Kind;
  }

  /// The object \p E names, through `.` member accesses and calls of
  /// member functions that return part of their object by reference
  /// (`Logger().stream()`), down to its root: `this`, a temporary (or any
  /// object returned by value), or anything else.
  static Receiver objectKind(const Expr *E) {
    for (;;) {
      E = E->IgnoreParenImpCasts();
      if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E)) {
        E = M->getSubExpr();
        continue;
      }
      if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E)) {
        E = B->getSubExpr();
        continue;
      }
      break;
    }
    // `this`, or a pointer holding it (`self->`, `self = shared_from_this()`).
    if (isa<CXXThisExpr>(E) || holdsThis(E))
      return Receiver::This;
    // `*this`, as a base class's part too: an implicit assignment's call of
    // its base's, `static_cast<Base &>(*this).operator=(other)`.
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_Deref) {
      const Expr *P = U->getSubExpr()->IgnoreParenImpCasts();
      if (isa<CXXThisExpr>(P) || holdsThis(P))
        return Receiver::This;
    }
    if (E->isPRValue() && E->getType()->isRecordType())
      return Receiver::Owned; // a temporary
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      // A reference member's object is not part of the object.
      if (ME->getMemberDecl()->getType()->isReferenceType())
        return Receiver::Other;
      if (!ME->isArrow())
        return objectKind(ME->getBase());
      // A raw pointer member the call goes through that its constructor's
      // caller gave it (`Cursor(Tally *t) : t_(t)`, `t_->f()`): its target
      // is the caller's object, not part of this one.
      if (const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
          Field && pointsIntoCaller(Field) && !ownedPointerOf(ME))
        return Receiver::Other;
      const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
      // Through a std::unique_ptr member (a pimpl, `_p->signal`): what it
      // owns is part of the object that owns it.
      if (const MemberExpr *Owner = owningMemberOf(Base))
        return objectKind(Owner);
      // So is what a raw pointer member owns (Core ownsPointee()), also
      // reached through a call returning it (`impl(p_)->sem_`).
      if (const MemberExpr *Owner = ownedPointerOf(Base))
        return objectKind(Owner);
      return isa<CXXThisExpr>(Base) || holdsThis(Base) ? Receiver::This
                                                       : Receiver::Other;
    }
    // What a std::unique_ptr member owns, called through its `->`
    // (`pimpl_->SetUrl(url)`), or a raw pointer member that owns its
    // object: part of the object, as above.
    if (const MemberExpr *Owner = owningMemberOf(E))
      return objectKind(Owner);
    if (const MemberExpr *Owner = ownedPointerOf(E))
      return objectKind(Owner);
    // A member function returning a reference into its own object (or
    // itself: `stream << a << b`).
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
        MC && MC->getMethodDecl() &&
        MC->getMethodDecl()->getReturnType()->isLValueReferenceType())
      return objectKind(MC->getImplicitObjectArgument());
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      const auto *M = dyn_cast_or_null<CXXMethodDecl>(OC->getDirectCallee());
      if (M && OC->getNumArgs() > 0 &&
          M->getReturnType()->isLValueReferenceType())
        return objectKind(OC->getArg(0));
    }
    return Receiver::Other;
  }

  std::vector<HeldMutex> held(const LockSet &Locks) {
    std::vector<HeldMutex> Out;
    for (const HeldLock &L : Locks.locks()) {
      std::string M = L.isClaim() ? claim(L) : mutex(L.Mutex);
      if (M.empty())
        continue;
      Out.push_back(
          {std::move(M), L.Site ? loc(L.Site->getBeginLoc()) : Location()});
      Out.back().ModeArm = L.ModeArm;
    }
    return Out;
  }

  FlowContext &Flow;
  const SourceManager &SM;
  /// storedCallableSerial(), per data member.
  std::map<const FieldDecl *, std::string> StoredSerials;
  const SummaryOptions &Options;
  ContainerRecognizer Containers;
  TUSummary S;
  llvm::DenseMap<const Decl *, std::string> USRs;
  std::map<std::string, std::string> MutexNames, ObjectNames, MutexAliases;
  std::vector<const Expr *> TaskSites;
  /// thisClass(): the classes, each with its bases when all are known.
  std::map<std::string, std::optional<SummaryClass>> Classes;
  /// The lambdas and functions handed to asio calls
  /// (SummaryFunction::Handler).
  llvm::StringSet<> Handlers;
  /// The functions among them handed bound (TUSummary::BoundHandlers).
  llvm::StringSet<> BoundHandlers;
  /// ioObjectContext() of each data member asked.
  llvm::DenseMap<const FieldDecl *, std::string> FieldContexts;
  /// TUSummary::HandlerContexts, once each.
  std::set<std::string> HandlerContextsSeen;
  /// noteReferences(): TUSummary::Referenced.
  llvm::StringSet<> Referenced;
};

/// Marks one function's \p Accesses that are unlocked emptiness tests only
/// deciding whether to take the lock (lockingDecisions), as the per-TU check
/// sees them.
void markLockingDecisions(std::vector<SummaryAccess> &Accesses,
                          llvm::ArrayRef<ContainerUse> Uses) {
  llvm::SmallVector<bool, 8> Decides =
      lockingDecisions(Uses, [&](unsigned I, unsigned J) {
        return Accesses[I].Object == Accesses[J].Object;
      });
  for (unsigned I = 0, N = Accesses.size(); I != N; ++I)
    Accesses[I].DecidesLocking = Decides[I];
}

/// Which statements of a function may run after which: reachability on
/// its flow graph (normal edges, and from each call to where an exception
/// it throws goes).
class StmtOrder {
public:
  explicit StmtOrder(const FlowGraph &G) : G(G) {
    Blocks.resize(G.cfg().getNumBlockIDs());
    for (const CFGBlock *B : G.cfg())
      Blocks[B->getBlockID()] = B;
    for (const CFGBlock *B : G.order())
      for (unsigned I = 0, N = B->size(); I != N; ++I)
        if (auto CS = (*B)[I].getAs<CFGStmt>()) {
          At.try_emplace(CS->getStmt(), B->getBlockID(), I);
          if (isa<CallExpr, CXXConstructExpr>(CS->getStmt()))
            if (const CFGBlock *T = G.throwTarget(CS->getStmt()))
              Throws[B->getBlockID()].push_back(T);
        }
  }

  /// True if \p To may run after \p From in one run of the function (also
  /// when it is \p From, repeated by a loop); true when either is not
  /// found.
  bool mayFollow(const Stmt *From, const Stmt *To) {
    std::optional<std::pair<unsigned, unsigned>> P = where(From), Q = where(To);
    return !P || !Q || (P->first == Q->first && P->second < Q->second) ||
           reachFrom(P->first).test(Q->first);
  }

  /// True if \p To may run after \p From on a path that does not pass the
  /// declaration of \p V (where a loop makes the object anew): in the same
  /// lifetime of \p V. As mayFollow() when any is not found.
  bool mayFollowWithin(const Stmt *From, const Stmt *To, const VarDecl *V) {
    std::optional<std::pair<unsigned, unsigned>> P = where(From), Q = where(To),
                                                 D = declared(V);
    if (!P || !Q || !D)
      return mayFollow(From, To);
    // The path from an element to a later one of its block passes the
    // declaration when it is between them.
    auto Passes = [&](unsigned Block, unsigned Begin, unsigned End) {
      return D->first == Block && Begin < D->second && D->second <= End;
    };
    if (P->first == Q->first && P->second < Q->second)
      return !Passes(P->first, P->second, Q->second);
    if (Passes(P->first, P->second, ~0u))
      return false;
    bool Found = false;
    walkFrom(P->first, [&](unsigned B) {
      // Entered at its first element.
      Found = Found ||
              (B == Q->first && !(D->first == B && D->second <= Q->second));
      return !Found && D->first != B;
    });
    return Found;
  }

  /// A point of the function: its block and the index of the first element
  /// after it.
  struct Point {
    unsigned Block, Index;
  };
  /// Where \p S is evaluated, as the point just after it.
  std::optional<Point> after(const Stmt *S) const {
    std::optional<std::pair<unsigned, unsigned>> P = where(S);
    if (!P)
      return std::nullopt;
    return Point{P->first, P->second + 1};
  }
  /// The start of the block a loop \p Loop leaves to when its condition is
  /// false.
  std::optional<Point> loopExit(const Stmt *Loop) const {
    for (const CFGBlock *B : Blocks)
      if (B && B->getTerminatorStmt() == Loop && B->succ_size() == 2)
        if (const CFGBlock *Exit = (B->succ_begin() + 1)->getReachableBlock())
          return Point{Exit->getBlockID(), 0};
    return std::nullopt;
  }
  /// True if every path of the function to \p To (its normal exit when
  /// null) passes \p From.
  bool passes(Point From, const Stmt *To) {
    unsigned ToBlock = G.cfg().getExit().getBlockID(), ToIndex = 0;
    if (To) {
      std::optional<std::pair<unsigned, unsigned>> Q = where(To);
      if (!Q)
        return false;
      ToBlock = Q->first;
      ToIndex = Q->second;
    }
    if (ToBlock == From.Block)
      return ToIndex >= From.Index;
    if (!Dom) {
      Dom.emplace();
      Dom->buildDominatorTree(const_cast<CFG *>(&G.cfg()));
    }
    return Blocks[From.Block] && Blocks[ToBlock] &&
           Dom->dominates(Blocks[From.Block], Blocks[ToBlock]);
  }

private:
  std::optional<CFGDomTree> Dom;

  std::optional<std::pair<unsigned, unsigned>> where(const Stmt *S) const {
    for (; S; S = G.parent(S))
      if (auto It = At.find(S); It != At.end())
        return It->second;
    return std::nullopt;
  }

  /// Where the object of \p V is made: its initialiser, evaluated before
  /// the declaration (or the flow graph's own declaration statement for it
  /// when it has none).
  std::optional<std::pair<unsigned, unsigned>> declared(const VarDecl *V) {
    auto [It, New] = Declared.try_emplace(V);
    if (!New)
      return It->second;
    if (const Expr *Init = V->getInit())
      if (auto I = At.find(Init->IgnoreImplicit()); I != At.end())
        return It->second = I->second;
    for (const auto &[S, Pos] : At)
      if (const auto *DS = dyn_cast<DeclStmt>(S);
          DS && llvm::is_contained(DS->decls(), V))
        It->second = Pos;
    return It->second;
  }

  /// The blocks reachable from \p Block's successors (Block itself when a
  /// loop returns to it).
  const llvm::BitVector &reachFrom(unsigned Block) {
    auto [It, New] = Reach.try_emplace(Block);
    if (!New)
      return It->second;
    llvm::BitVector Seen(Blocks.size());
    walkFrom(Block, [&](unsigned B) {
      Seen.set(B);
      return true;
    });
    return It->second = std::move(Seen);
  }

  /// Visits once each block reachable from \p Block's successors (normal
  /// edges, and to where an exception a call throws goes; Block itself
  /// when a loop returns to it), going on from those \p Visit returns true
  /// for.
  void walkFrom(unsigned Block, llvm::function_ref<bool(unsigned)> Visit) {
    llvm::BitVector Seen(Blocks.size());
    llvm::SmallVector<const CFGBlock *, 16> Work;
    auto Push = [&](unsigned From) {
      for (const CFGBlock::AdjacentBlock &S : Blocks[From]->succs())
        if (const CFGBlock *SB = S.getReachableBlock())
          Work.push_back(SB);
      if (auto T = Throws.find(From); T != Throws.end())
        llvm::append_range(Work, T->second);
    };
    Push(Block);
    while (!Work.empty()) {
      unsigned B = Work.pop_back_val()->getBlockID();
      if (Seen.test(B))
        continue;
      Seen.set(B);
      if (Visit(B))
        Push(B);
    }
  }

  const FlowGraph &G;
  /// The graph's blocks by ID.
  std::vector<const CFGBlock *> Blocks;
  /// Where each statement is evaluated: its block and its element's index.
  llvm::DenseMap<const Stmt *, std::pair<unsigned, unsigned>> At;
  llvm::DenseMap<unsigned, llvm::SmallVector<const CFGBlock *, 2>> Throws;
  llvm::DenseMap<unsigned, llvm::BitVector> Reach;
  llvm::DenseMap<const VarDecl *, std::optional<std::pair<unsigned, unsigned>>>
      Declared;
};

/// Whether \p Start, made by \p FD, runs its task on FD's own object once
/// per run of FD: FD is a member function, the `this` of the task's entry
/// is FD's `this` (the member function pointer's bound object, a lambda's
/// captured `this`), and the start cannot follow itself in FD's flow graph
/// (no loop repeats it). A constructor's (SummaryTask::OnOwnObject) runs
/// once per object; another member function's (SummaryTask::OnStarterThis)
/// once per call, which the link judges from the calls.
bool startsOnThisOnce(const FunctionDecl *FD, const TaskStart &Start,
                      StmtOrder &Order) {
  const auto *M = dyn_cast<CXXMethodDecl>(FD);
  if (!M || M->isStatic() || !Start.Site)
    return false;
  return runsOnStartersObject(Start) &&
         !Order.mayFollow(Start.Site, Start.Site);
}

/// For each call made on, or constructing, an object a loop makes anew in
/// each iteration (\p CallObjects, per call), which of the calls that may
/// run before it do so in the object's lifetime: IterAfter (for the calls
/// on it, SummaryCall::Fresh) the calls that may run between the object's
/// making and the call; Renewed the calls on the same object that reach it
/// only through its making anew (on an earlier iteration's object).
void markIterationOrder(StmtOrder &Order,
                        llvm::ArrayRef<const Stmt *> CallStmts,
                        llvm::ArrayRef<const VarDecl *> CallObjects,
                        SummaryFunction &F) {
  if (!F.Ordered || CallObjects.size() != F.Calls.size())
    return;
  for (unsigned I = 0, N = F.Calls.size(); I != N; ++I)
    if (const VarDecl *V = CallObjects[I])
      for (unsigned J : F.Calls[I].After) {
        bool Within = Order.mayFollowWithin(CallStmts[J], CallStmts[I], V);
        if (Within && J != I && F.Calls[I].Fresh)
          F.Calls[I].IterAfter.push_back(J);
        if (!Within && CallObjects[J] == V)
          F.Calls[I].Renewed.push_back(J);
      }
}

/// Sets each call's and access's After (SummaryCall::After): the calls of
/// \p F, evaluated at \p CallStmts, that may run before it.
void orderCalls(StmtOrder &Order, llvm::ArrayRef<const Stmt *> CallStmts,
                llvm::ArrayRef<const Stmt *> AccessStmts, SummaryFunction &F) {
  if (F.Calls.size() != CallStmts.size() ||
      F.Accesses.size() != AccessStmts.size())
    return;
  auto Before = [&](const Stmt *S) {
    std::vector<unsigned> Out;
    for (unsigned J = 0, N = CallStmts.size(); J != N; ++J)
      if (Order.mayFollow(CallStmts[J], S))
        Out.push_back(J);
    return Out;
  };
  for (unsigned I = 0, N = F.Calls.size(); I != N; ++I)
    F.Calls[I].After = Before(CallStmts[I]);
  for (unsigned I = 0, N = F.Accesses.size(); I != N; ++I)
    F.Accesses[I].After = Before(AccessStmts[I]);
  F.Ordered = true;
}

/// Sets the gates and the calls behind each call and access, and at the
/// return (SummaryFunction::ReturnGates): a wait with a predicate is passed
/// after it returns, one without in a loop where the loop is left by its
/// condition (`while (queue.empty()) cv.wait(lock);`); a wait without a
/// predicate outside a loop may wake spuriously and gates nothing.
void markGates(StmtOrder &Order, const FlowGraph &G,
               llvm::ArrayRef<std::pair<const Stmt *, std::string>> Waits,
               llvm::ArrayRef<bool> HasPredicate,
               llvm::ArrayRef<const Stmt *> CallStmts,
               llvm::ArrayRef<const Stmt *> AccessStmts, SummaryFunction &F) {
  if (F.Calls.size() != CallStmts.size() ||
      F.Accesses.size() != AccessStmts.size())
    return;
  llvm::SmallVector<std::pair<StmtOrder::Point, llvm::StringRef>, 1> Passed;
  for (unsigned I = 0, N = Waits.size(); I != N; ++I) {
    std::optional<StmtOrder::Point> P;
    if (HasPredicate[I]) {
      P = Order.after(Waits[I].first);
    } else {
      const Stmt *Loop = G.parent(Waits[I].first);
      while (Loop && !isa<WhileStmt, DoStmt, ForStmt, LambdaExpr>(Loop))
        Loop = G.parent(Loop);
      const Expr *Cond = nullptr;
      if (const auto *W = dyn_cast_or_null<WhileStmt>(Loop))
        Cond = W->getCond();
      else if (const auto *D = dyn_cast_or_null<DoStmt>(Loop))
        Cond = D->getCond();
      else if (const auto *Fo = dyn_cast_or_null<ForStmt>(Loop))
        Cond = Fo->getCond();
      if (Cond)
        P = Order.loopExit(Loop);
    }
    if (P)
      Passed.push_back({*P, Waits[I].second});
  }
  // Calls behind: bounded, a long function's calls are not listed.
  constexpr unsigned MaxCallsBehind = 128;
  auto Mark = [&](const Stmt *S, std::vector<std::string> &Gates,
                  std::vector<unsigned> &Behind) {
    for (const auto &[P, Mx] : Passed)
      if (!llvm::is_contained(Gates, Mx) && Order.passes(P, S))
        Gates.push_back(Mx.str());
    if (CallStmts.size() > MaxCallsBehind)
      return;
    for (unsigned J = 0, N = CallStmts.size(); J != N; ++J)
      if (CallStmts[J] != S) {
        std::optional<StmtOrder::Point> P = Order.after(CallStmts[J]);
        if (P && Order.passes(*P, S))
          Behind.push_back(J);
      }
  };
  for (unsigned I = 0, N = F.Calls.size(); I != N; ++I)
    Mark(CallStmts[I], F.Calls[I].Gates, F.Calls[I].Behind);
  for (unsigned I = 0, N = F.Accesses.size(); I != N; ++I)
    Mark(AccessStmts[I], F.Accesses[I].Gates, F.Accesses[I].Behind);
  Mark(nullptr, F.ReturnGates, F.ReturnBehind);
}

/// The thread data member of `this` (a thread, or a pointer or smart
/// pointer to one) whose join ends where \p St waits for its thread on
/// every path (its own `join()`, a callee's that joins it: Flow/Effects.h).
void joinedMembers(FlowContext &Flow, const Stmt *St,
                   llvm::SmallVectorImpl<const FieldDecl *> &Out) {
  llvm::SmallVector<EffectEvent, 4> Events;
  effectsOf(Flow, St, ThreadFamily | SyncFamily, Events);
  for (const EffectEvent &Ev : Events)
    if ((Ev.Effect & JoinsThread) && (Ev.Effect & Waits) &&
        !(Ev.Effect & (MayJoinThread | DetachesThread)) &&
        Ev.Path.Kind == RootKind::This && Ev.Path.Fields.size() == 1 &&
        !Ev.Path.Element && !llvm::is_contained(Out, Ev.Path.Fields.front()))
      Out.push_back(Ev.Path.Fields.front());
}

/// The thread data member of `this` that holds no thread on the edge from
/// \p B to its successor number \p Succ: the branch of `t.joinable()` (or
/// its negation) where it is not joinable, the branch of a pointer member
/// tested (`if (thread_)`) where it is null. Null for any other edge.
const FieldDecl *emptyThreadOnEdge(const CFGBlock &B, unsigned Succ) {
  auto Member = [](const Expr *E) -> const FieldDecl * {
    std::optional<ObjectPath> P = E ? objectPathOf(E) : std::nullopt;
    return P && P->Kind == RootKind::This && P->Fields.size() == 1 &&
                   !P->Element
               ? P->Fields.front()
               : nullptr;
  };
  if (const Expr *T = notJoinableOnEdge(B, Succ))
    return Member(T);
  const Stmt *Term = B.getTerminatorStmt();
  const auto *If = dyn_cast_or_null<IfStmt>(Term);
  if (!If || If->getConditionVariable() || Succ != 1 || B.succ_size() != 2)
    return nullptr;
  const Expr *C = If->getCond()->IgnoreParenImpCasts();
  // `if (thread_)` of a smart pointer: its conversion to bool.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C);
      MC && isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()))
    C = MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
  const auto *ME = dyn_cast<MemberExpr>(C);
  if (!ME || !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
    return nullptr;
  const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
  QualType T = F ? F->getType() : QualType();
  return F && isPointerLike(T) ? F : nullptr;
}

/// Sets SummaryAccess::JoinedBefore and SummaryCall::JoinedBefore of a
/// member function's accesses and calls on its own object, evaluated at
/// \p AccessStmts and \p CallStmts: the thread members of `this` joined
/// on every path to each (a path where the member holds no thread, the
/// false branch of `if (t.joinable())`, joins nothing and needs none).
void markJoins(FlowContext &Flow, const FlowGraph &G, const FunctionDecl *FD,
               llvm::ArrayRef<const Stmt *> CallStmts,
               llvm::ArrayRef<const Stmt *> AccessStmts, SummaryFunction &F,
               llvm::function_ref<std::string(const Decl *)> Usr) {
  if (!isa<CXXMethodDecl>(FD) || F.Calls.size() != CallStmts.size() ||
      F.Accesses.size() != AccessStmts.size())
    return;
  // Only a function that may join a thread member of `this` (its summary
  // says so) is walked.
  const FunctionSummary *Sum =
      Flow.summaries().get(FD, ThreadFamily | SyncFamily);
  if (!Sum || llvm::none_of(Sum->Slots, [](const SlotEffect &E) {
        return E.Slot.Kind == RootKind::This && E.Slot.Fields.size() == 1 &&
               (E.Effects & (JoinsThread | MayJoinThread));
      }))
    return;
  llvm::SmallVector<const FieldDecl *, 2> Members;
  for (const CFGBlock *B : G.cfg())
    for (const CFGElement &El : *B)
      if (std::optional<CFGStmt> CS = El.getAs<CFGStmt>())
        joinedMembers(Flow, CS->getStmt(), Members);
  if (Members.empty())
    return;
  // The statements reached from the entry, not passing a join of \p M
  // (none: any path).
  auto Reached = [&](const FieldDecl *M) {
    llvm::DenseSet<const Stmt *> Out;
    const CFGBlock *Entry = &G.cfg().getEntry();
    llvm::SmallVector<const CFGBlock *, 16> Work{Entry};
    llvm::DenseSet<const CFGBlock *> Seen{Entry};
    llvm::SmallVector<const FieldDecl *, 2> Joined;
    while (!Work.empty()) {
      const CFGBlock *B = Work.pop_back_val();
      bool Stop = false;
      for (const CFGElement &El : *B) {
        std::optional<CFGStmt> CS = El.getAs<CFGStmt>();
        if (!CS)
          continue;
        Out.insert(CS->getStmt());
        if (const CFGBlock *T = G.throwTarget(CS->getStmt());
            T && Seen.insert(T).second)
          Work.push_back(T);
        Joined.clear();
        if (M && (joinedMembers(Flow, CS->getStmt(), Joined),
                  llvm::is_contained(Joined, M))) {
          Stop = true;
          break;
        }
      }
      if (Stop)
        continue;
      unsigned I = 0;
      for (const CFGBlock *Succ : B->succs()) {
        bool Empty = M && emptyThreadOnEdge(*B, I) == M;
        ++I;
        if (!Empty && Succ && Seen.insert(Succ).second)
          Work.push_back(Succ);
      }
    }
    return Out;
  };
  llvm::DenseSet<const Stmt *> Any = Reached(nullptr);
  for (const FieldDecl *M : Members) {
    std::string U = Usr(M);
    if (U.empty())
      continue;
    llvm::DenseSet<const Stmt *> Before = Reached(M);
    auto After = [&](const Stmt *S) {
      for (; S; S = G.parent(S))
        if (Any.contains(S))
          return !Before.contains(S);
      return false;
    };
    for (unsigned I = 0, N = F.Accesses.size(); I != N; ++I)
      if (F.Accesses[I].ThroughThis && After(AccessStmts[I]))
        F.Accesses[I].JoinedBefore.push_back(U);
    for (unsigned I = 0, N = F.Calls.size(); I != N; ++I)
      if (F.Calls[I].Object == Receiver::This && F.Calls[I].OnThis &&
          F.Calls[I].Members.empty() && After(CallStmts[I]))
        F.Calls[I].JoinedBefore.push_back(U);
  }
}

/// The indices of \p Stmts that satisfy \p Pred.
std::vector<unsigned>
indicesWhere(llvm::ArrayRef<const Stmt *> Stmts,
             llvm::function_ref<bool(const Stmt *)> Pred) {
  std::vector<unsigned> Out;
  for (unsigned J = 0, N = Stmts.size(); J != N; ++J)
    if (Pred(Stmts[J]))
      Out.push_back(J);
  return Out;
}

/// True if \p P is a bool parameter of \p FD passed by value that \p FD
/// only reads: every mention of it outside lambda bodies is read as a value
/// (never assigned, bound to a reference or its address taken).
bool readOnlyBool(const ParmVarDecl *P, const FunctionDecl *FD) {
  if (!P || P->getDeclContext() != FD || !P->getType()->isBooleanType())
    return false;
  llvm::SmallPtrSet<const Expr *, 4> Read;
  unsigned Mentions = 0;
  walkOutsideLambdas(FD, LambdaBodies::CapturesOnly, [&](const Stmt *St) {
    if (const auto *C = dyn_cast<ImplicitCastExpr>(St);
        C && C->getCastKind() == CK_LValueToRValue)
      Read.insert(C->getSubExpr()->IgnoreParens());
    else if (const auto *D = dyn_cast<DeclRefExpr>(St); D && D->getDecl() == P)
      ++Mentions;
    return true;
  });
  unsigned Reads = 0;
  for (const Expr *E : Read)
    if (const auto *D = dyn_cast<DeclRefExpr>(E); D && D->getDecl() == P)
      ++Reads;
  return Reads == Mentions;
}

/// The bool arguments of \p CE (in \p FD) that are known
/// (SummaryCall::BoolArgs): a constant, a default argument's constant, or
/// a read-only bool parameter of FD passed on.
std::vector<std::pair<unsigned, int>>
boolArgs(const CallExpr *CE, const FunctionDecl *FD, const ASTContext &Ctx) {
  std::vector<std::pair<unsigned, int>> Out;
  for (unsigned I = 0, N = CE->getNumArgs(); I != N; ++I) {
    const ParmVarDecl *Into = paramForArg(CE, I);
    if (!Into || !Into->getType()->isBooleanType())
      continue;
    const Expr *Arg = CE->getArg(I);
    if (const auto *D = dyn_cast<CXXDefaultArgExpr>(Arg))
      Arg = D->getExpr();
    bool Value = false;
    if (!Arg->isValueDependent() && !Arg->isTypeDependent() &&
        Arg->EvaluateAsBooleanCondition(Value, Ctx))
      Out.push_back({Into->getFunctionScopeIndex(), Value ? 1 : 0});
    else if (const auto *P = dyn_cast_or_null<ParmVarDecl>(
                 namedVariable(Arg->IgnoreParenImpCasts()));
             P && readOnlyBool(P, FD))
      Out.push_back({Into->getFunctionScopeIndex(),
                     -1 - static_cast<int>(P->getFunctionScopeIndex())});
  }
  return Out;
}

/// For a wait \p Loop under `if (p)`, p a read-only bool parameter of
/// \p FD (readOnlyBool()), and nothing else in the branch: the if
/// statement and p; null otherwise.
std::pair<const IfStmt *, const ParmVarDecl *>
waitUnderFlag(const FlowGraph &G, const Stmt *Loop, const FunctionDecl *FD) {
  const Stmt *Branch = Loop;
  const Stmt *Up = G.parent(Loop);
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Up);
      CS && CS->size() == 1) {
    Branch = CS;
    Up = G.parent(CS);
  }
  const auto *If = dyn_cast_or_null<IfStmt>(Up);
  if (!If || If->getThen() != Branch || If->getElse() || If->getInit() ||
      If->getConditionVariable())
    return {nullptr, nullptr};
  const auto *P = dyn_cast_or_null<ParmVarDecl>(
      namedVariable(If->getCond()->IgnoreParenImpCasts()));
  if (!readOnlyBool(P, FD))
    return {nullptr, nullptr};
  return {If, P};
}

/// The condition of the loop \p Loop, or null.
const Expr *loopCondition(const Stmt *Loop) {
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    return W->getCond();
  if (const auto *D = dyn_cast<DoStmt>(Loop))
    return D->getCond();
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    return F->getCond();
  return nullptr;
}

/// The wait \p Loop is for the task started at \p Site, when every path to
/// the loop passes the start: with the calls and accesses every path to
/// which passes the loop's exit (SummaryWait; its atomic and condition are
/// the caller's to set).
std::optional<SummaryWait> waitAfter(StmtOrder &Order, const FlowGraph &G,
                                     const FunctionDecl *FD, const Stmt *Site,
                                     const Stmt *Loop,
                                     llvm::ArrayRef<const Stmt *> CallStmts,
                                     llvm::ArrayRef<const Stmt *> AccessStmts) {
  SummaryWait W;
  // Under `if (p)`: on the paths where p is true, passing the if statement
  // is passing the wait.
  auto [If, Flag] = waitUnderFlag(G, Loop, FD);
  const Expr *Cond = If ? If->getCond() : loopCondition(Loop);
  std::optional<StmtOrder::Point> Started = Order.after(Site),
                                  Exit = If ? Order.after(Cond)
                                            : Order.loopExit(Loop);
  if (!Cond || !Started || !Exit || !Order.passes(*Started, Cond))
    return std::nullopt;
  if (Flag)
    W.Param = static_cast<int>(Flag->getFunctionScopeIndex());
  const Stmt *Guard = If ? static_cast<const Stmt *>(If) : Loop;
  auto Inside = [&](const Stmt *S) {
    for (; S; S = G.parent(S))
      if (S == Guard)
        return true;
    return false;
  };
  W.AtReturn = Order.passes(*Exit, nullptr);
  auto After = [&](const Stmt *S) {
    return !Inside(S) && Order.passes(*Exit, S);
  };
  W.Calls = indicesWhere(CallStmts, After);
  W.Accesses = indicesWhere(AccessStmts, After);
  return W;
}

llvm::SmallVector<std::pair<const Stmt *, AtomicSpin>, 1>
Summarizer::atomicHandshakes(StmtOrder &Order, const FunctionDecl *FD,
                             llvm::ArrayRef<const Stmt *> CallStmts,
                             llvm::ArrayRef<const Stmt *> AccessStmts,
                             SummaryFunction &F) {
  const ASTContext &Ctx = Flow.astContext();
  llvm::SmallVector<std::pair<const Stmt *, AtomicSpin>, 1> Spins;
  llvm::SmallVector<std::pair<const Stmt *, AtomicStore>, 2> Stores;
  auto StoreIn = [&](const Stmt *St) -> std::optional<AtomicStore> {
    if (!isa<CXXOperatorCallExpr, CXXMemberCallExpr>(St))
      return std::nullopt;
    return atomicStore(cast<Expr>(St), Ctx);
  };
  walkOutsideLambdas(FD, LambdaBodies::CapturesOnly, [&](const Stmt *St) {
    if (const auto *L = dyn_cast<LambdaExpr>(St)) {
      // Its body runs after its creation, wherever it runs.
      walkOutsideLambdas(L->getBody(), LambdaBodies::Skip, [&](const Stmt *In) {
        if (std::optional<AtomicStore> A = StoreIn(In))
          Stores.push_back({L, *A});
        return true;
      });
    } else if (std::optional<AtomicStore> A = StoreIn(St)) {
      Stores.push_back({St, *A});
    } else if (std::optional<AtomicSpin> W = atomicSpinWait(St, Ctx)) {
      Spins.push_back({St, *W});
    }
    return true;
  });
  for (const auto &[St, A] : Stores) {
    SummaryStore Store;
    Store.Atomic = usr(A.Object);
    if (Store.Atomic.empty())
      continue;
    Store.Value = A.Value;
    Store.Releases = A.Releases;
    auto Later = [&, St = St](const Stmt *S) { return Order.mayFollow(St, S); };
    Store.LaterCalls = indicesWhere(CallStmts, Later);
    Store.LaterAccesses = indicesWhere(AccessStmts, Later);
    F.Stores.push_back(std::move(Store));
  }
  return Spins;
}

/// SummaryFunction::Hook of \p FD: for a virtual member, its USR and those
/// of the methods it overrides, when each method that introduces it is
/// non-public and none is declared in a system header; for any other
/// function (a member, public or not, a free function), its own USR; empty
/// for a lambda, a constructor or destructor, `main` and a function
/// declared in a system header.
std::vector<std::string> Summarizer::hookChain(const FunctionDecl *FD) {
  const auto *M = dyn_cast<CXXMethodDecl>(FD);
  if (FD->isMain() || (M && M->getParent()->isLambda()) ||
      isa<CXXConstructorDecl, CXXDestructorDecl>(FD) ||
      SM.isInSystemHeader(FD->getLocation()))
    return {};
  if (!M || !M->isVirtual()) {
    std::string U = usr(FD->getCanonicalDecl());
    return U.empty() ? std::vector<std::string>{}
                     : std::vector<std::string>{std::move(U)};
  }
  llvm::SmallVector<const CXXMethodDecl *, 4> Chain{M->getCanonicalDecl()};
  std::vector<std::string> Out;
  for (unsigned I = 0; I != Chain.size(); ++I) {
    const CXXMethodDecl *C = Chain[I];
    if ((C->size_overridden_methods() == 0 && C->getAccess() == AS_public) ||
        SM.isInSystemHeader(C->getLocation()))
      return {};
    std::string U = usr(C);
    if (U.empty())
      return {};
    Out.push_back(std::move(U));
    for (const CXXMethodDecl *O : C->overridden_methods())
      if (!llvm::is_contained(Chain, O->getCanonicalDecl()))
        Chain.push_back(O->getCanonicalDecl());
  }
  return Out;
}

template <class Node> void Summarizer::noteReferences(const Node *Root) {
  // A call's callee is visited after the call.
  llvm::SmallPtrSet<const Expr *, 16> Callees;
  walkOutsideLambdas(Root, LambdaBodies::CapturesOnly, [&](const Stmt *S) {
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      if (const Expr *Callee = Call->getCallee())
        Callees.insert(skipImplicit(Callee));
      return true;
    }
    const ValueDecl *Named = namedDecl(S);
    const auto *Fn = dyn_cast_or_null<FunctionDecl>(Named);
    if (!Fn || Callees.count(cast<Expr>(S)))
      return true;
    std::string U = usr(Fn->getCanonicalDecl());
    if (!U.empty())
      Referenced.insert(U);
    return true;
  });
}

void Summarizer::add(const FunctionDecl *FD) {
  std::string U = usr(FD);
  if (U.empty() || SM.isInSystemHeader(FD->getLocation()))
    return;
  SummaryFunction F;
  F.USR = U;
  F.Name = FD->getNameAsString();
  // The unshared locals its calls are made on (SummaryCall::Local).
  llvm::DenseMap<const VarDecl *, unsigned> Locals;
  // The locals and reference parameters the function keeps while handing
  // them to callees by reference (ownedLocal(), keptParam()): the calls
  // that must take them (Required), and those recorded doing so (Handed).
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<const CallExpr *, 2>>
      Required;
  llvm::DenseMap<const VarDecl *, bool> Keeps;
  llvm::DenseMap<const VarDecl *, llvm::SmallPtrSet<const CallExpr *, 2>>
      Handed;
  auto Judge = [&](const VarDecl *V, const Expr *E) {
    auto [It, New] = Keeps.try_emplace(V, false);
    if (New) {
      llvm::SmallVector<const CallExpr *, 2> Calls;
      It->second = isa<ParmVarDecl>(V)
                       ? keptParam(cast<ParmVarDecl>(V), FD, Calls)
                       : ownedLocal(E, FD, Calls) == V;
      Required[V] = std::move(Calls);
    }
    return It->second;
  };
  // The object \p E names when it is a local of FD's own it keeps.
  auto OwnedVar = [&](const Expr *E) -> const VarDecl * {
    const VarDecl *V = E ? namedVariable(E) : nullptr;
    if (!V || isa<ParmVarDecl>(V) || !V->hasLocalStorage() ||
        V->getDeclContext() != FD || !isPerRunObject(E, FD) || !Judge(V, E))
      return nullptr;
    return V;
  };
  // The reference parameter of FD's own \p E names, when FD keeps it.
  auto KeptVar = [&](const Expr *E) -> const ParmVarDecl * {
    const auto *P =
        dyn_cast_or_null<ParmVarDecl>(E ? namedVariable(E) : nullptr);
    if (!P || P->getDeclContext() != FD || !Judge(P, E))
      return nullptr;
    return P;
  };
  const auto *M = dyn_cast<CXXMethodDecl>(FD);
  F.External = FD->isExternallyVisible() && !(M && M->getParent()->isLambda());
  F.Unique = F.External && !FD->isInlined() &&
             !isTemplateInstantiation(FD->getTemplateSpecializationKind());
  F.OwnsThis = isa<CXXConstructorDecl, CXXDestructorDecl>(FD);
  // A function with an executor's name that only calls the callable it is
  // given: the starts other TUs take it for by its name are calls.
  if (Flow.escapes().isEscapeFunction(FD))
    for (unsigned I = 0, N = FD->getNumParams(); I != N; ++I)
      if (Flow.onlyCallsParam(FD, I))
        F.CallsOnly.push_back(I);
  if (Options.Accesses) {
    F.ThisClass = thisClass(FD);
    F.Hook = hookChain(FD);
    noteReferences(FD);
  }
  if (M && M->isVirtual() && !M->getParent()->isLambda()) {
    llvm::SmallVector<const CXXMethodDecl *, 4> Work(
        M->overridden_methods().begin(), M->overridden_methods().end());
    llvm::SmallPtrSet<const CXXMethodDecl *, 4> Seen;
    while (!Work.empty()) {
      const CXXMethodDecl *O = Work.pop_back_val()->getCanonicalDecl();
      if (!Seen.insert(O).second)
        continue;
      if (std::string U = usr(O); !U.empty())
        F.Overrides.push_back(std::move(U));
      Work.append(O->overridden_methods().begin(),
                  O->overridden_methods().end());
    }
    llvm::sort(F.Overrides);
  }
  if (const auto *Enclosing =
          dyn_cast_or_null<FunctionDecl>(FD->getParentFunctionOrMethod()))
    F.Within = usr(Enclosing);
  const FlowGraph *G = Flow.graph(FD);
  // The statement of each acquisition, call and access, for the tasks
  // below.
  llvm::SmallVector<const Stmt *, 8> AcqStmts, CallStmts, AccessStmts;
  // Per call, the object a loop makes anew in each iteration that it is
  // made on or constructs (iterationObject()), or null.
  llvm::SmallVector<const VarDecl *, 8> CallObjects;
  // The declaration statement around \p Init (a variable's initialiser).
  auto DeclarationOf = [&](const Expr *Init) -> const Stmt * {
    const Stmt *S = Init;
    for (unsigned Depth = 0; G && S && isa<Expr>(S) && Depth != 6; ++Depth)
      S = G->parent(S);
    return S;
  };
  auto MadeObject = [&](const Expr *Init) -> const VarDecl * {
    const Stmt *S = DeclarationOf(Init);
    return S ? iterationObjectMadeBy(Init, S, FD) : nullptr;
  };
  // The constructions of F's locals (call index, variable): a local's
  // constructor is a call on it too (a pool whose constructor starts its
  // worker on `this`), numbered once the local is.
  llvm::SmallVector<std::pair<unsigned, const VarDecl *>, 4> Constructions;
  llvm::SmallVector<ContainerUse, 8> AccessUses;
  // The waits for work of its body (SummaryFunction::ReturnGates): the wait
  // and the mutex its lock holds.
  llvm::SmallVector<std::pair<const Stmt *, std::string>, 1> Waits;
  llvm::SmallVector<bool, 1> WaitHasPredicate;
  // The objects it makes and sets up before showing them to other code.
  FreshObjectCalls NewObjects;
  if (G && Options.Accesses)
    NewObjects = freshObjectCalls(*G);
  // The holders given their object by a factory: what the factories may
  // run (for the link to judge), or not new at all (absent from the map).
  llvm::DenseMap<unsigned, FactoryTargets> Factories;
  for (const auto &[H, Calls] : NewObjects.Factories) {
    FactoryTargets All;
    All.Known = true;
    for (const CallExpr *Call : Calls) {
      FactoryTargets T = factoryTargets(Flow, Call);
      All.Known = All.Known && T.Known;
      llvm::append_range(All.Elsewhere, T.Elsewhere);
      llvm::append_range(All.Params, T.Params);
    }
    Factories[H] = std::move(All);
  }
  // The object of the holder \p H is new (as far as the TU knows), with
  // what the link must check on \p Call.
  auto NewObjectOf = [&](unsigned H, SummaryCall &Call) {
    auto It = Factories.find(H);
    if (It == Factories.end())
      return true;
    if (!It->second.Known)
      return false;
    for (const FunctionDecl *Fn : It->second.Elsewhere)
      if (std::string U = usr(Fn);
          !U.empty() && !llvm::is_contained(Call.NewIf, U))
        Call.NewIf.push_back(std::move(U));
    for (const auto &[Fn, Param] : It->second.Params)
      Call.NewIfArgs.push_back({usr(Fn), Param});
    return true;
  };
  if (Options.Accesses) {
    F.ReturnsNew = returnsFreshObject(FD);
    // What it does to thread-local pointers: `gCur = this;`.
    for (const ThreadLocalStores &T : threadLocalStores(FD->getBody()))
      if (std::string V = usr(T.Var); !V.empty()) {
        if (!T.CurrentOnly)
          F.SetsOther.push_back(V);
        else if (T.StoresThis)
          F.SetsCurrent.push_back(std::move(V));
      }
    // The thread members it joins, and those it hands to another owner.
    ThreadMemberEnds Ends = threadMemberEnds(Flow, FD);
    for (const FieldDecl *Field : Ends.Joined)
      if (std::string J = usr(Field); !J.empty())
        F.Joins.push_back(std::move(J));
    for (const FieldDecl *Field : Ends.HandedOff)
      if (std::string H = usr(Field); !H.empty())
        F.HandsOff.push_back(std::move(H));
  }
  LockSetAnalysis A(Flow);
  auto OnAcquire = [&](const Stmt *St, const HeldLock &L,
                       const LockSet &Before) {
    std::string Mx = Options.Acquisitions || Options.Accesses ? mutex(L.Mutex)
                                                              : std::string();
    if (Mx.empty())
      return;
    if (Options.Accesses && !llvm::is_contained(F.Takes, Mx))
      F.Takes.push_back(Mx);
    if (!Options.Acquisitions)
      return;
    // The lock-order facts are the function's own acquisitions: not the
    // locks it is entered with (its callers' acquisitions hold them).
    LockSet Taken;
    for (const HeldLock &H : Before.locks())
      if (H.Site || H.isClaim())
        Taken.add(H);
    F.Acquisitions.push_back(
        {std::move(Mx), loc(St->getBeginLoc()), held(Taken)});
    AcqStmts.push_back(St);
  };
  A.onAcquire(OnAcquire);
  A.trackClaims();
  // Accesses on the unlocked arm of a mode flag hold the lock the other arm
  // takes, as in the check.
  A.modeLocks(Options.Accesses && !Options.ReportModeConditionalLocks);
  // The locks the function's own code says it is entered with (a
  // thread-safety attribute, a mutex it releases without taking it): held
  // at its accesses and calls whoever calls it.
  // A getter's `return m_queue;` stays a read here: its callers in other
  // translation units may not see its body (the link maps their calls to
  // it); a caller that sees it also records its own use of the result.
  A.run(
      FD, locksRequiredOnEntry(Flow, FD),
      [&](const Stmt *St, const LockSet &Before) {
        if (Options.Accesses && G &&
            (isa<DeclRefExpr, MemberExpr>(St) || Containers.getterCall(St))) {
          bool ThroughThis = false, Owned = false;
          std::string Object = container(St, ThroughThis, Owned);
          if (Object.empty() && !isa<CallExpr>(St))
            return;
          ContainerAccess Kind =
              Object.empty()
                  ? ContainerAccess::None
                  : Containers.classifyUse(cast<Expr>(St), G->parents());
          if (Kind != ContainerAccess::None) {
            F.Accesses.push_back({std::move(Object), loc(St->getBeginLoc()),
                                  Kind == ContainerAccess::Write,
                                  held(confining(Before, cast<Expr>(St))),
                                  ThroughThis});
            F.Accesses.back().Owned = Owned;
            AccessStmts.push_back(St);
            AccessUses.push_back(
                {Containers.emptinessUse(cast<Expr>(St), G->parents()),
                 Before.identities()});
          }
          // A getter's call is a call as well.
          if (!isa<CallExpr>(St))
            return;
        }
        const auto *E = dyn_cast<Expr>(St);
        if (!E || !isa<CallExpr, CXXConstructExpr>(E))
          return;
        bool Predicate = false;
        if (const Expr *Lock =
                Options.Accesses
                    ? conditionWaitLock(dyn_cast<CXXMemberCallExpr>(E),
                                        Predicate)
                    : nullptr)
          for (const HeldLock &L : Before.locks())
            if (!L.isClaim() && L.Mode == LockMode::Exclusive && L.Guard &&
                L.Guard == namedVariable(Lock))
              if (std::string Mx = mutex(L.Mutex); !Mx.empty()) {
                Waits.push_back({St, std::move(Mx)});
                WaitHasPredicate.push_back(Predicate);
              }
        const FunctionDecl *Callee = callSiteOf(E).Callee;
        if (Callee && isAsioDecl(Callee)) {
          // An io_context run here; lambdas handed to asio as handlers.
          if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
              MC && classifyExecutorCall(MC) == ExecutorOp::Drive) {
            F.Drives = true;
            if (std::string K = drivenContext(MC->getImplicitObjectArgument());
                !K.empty() && !llvm::is_contained(F.DrivenContexts, K))
              F.DrivenContexts.push_back(std::move(K));
          }
          if (const auto *Call = dyn_cast<CallExpr>(E)) {
            // An async operation's I/O object: its handler runs where its
            // io_context is run.
            std::string Context;
            if (const Expr *Object = asyncOperationObject(Call, Callee))
              Context = ioObjectContext(Object);
            for (const Expr *Arg : Call->arguments()) {
              std::string H;
              if (const LambdaExpr *L = lambdaBehind(Arg)) {
                H = usr(L->getCallOperator());
              } else {
                // A function bound to its object (`std::bind(&C::on_read,
                // this, _1)`), which may be defined in another TU.
                CallableTarget Bound = Flow.callables().resolve(Arg);
                if (Bound && !Bound.Lambda &&
                    !SM.isInSystemHeader(Bound.Fn->getLocation()))
                  H = usr(Bound.Fn->getCanonicalDecl());
                if (!H.empty())
                  BoundHandlers.insert(H);
              }
              if (H.empty())
                continue;
              Handlers.insert(H);
              if (!Context.empty() &&
                  HandlerContextsSeen.insert(H + '\x1f' + Context).second)
                S.HandlerContexts.push_back(
                    {H, Context, loc(Call->getBeginLoc())});
            }
          }
        }
        // `std::make_shared<T>(...)` runs T's constructor on a new object
        // (which may start a thread).
        const CXXConstructorDecl *Made =
            constructorMadeBy(dyn_cast<CallExpr>(E));
        if (Made)
          Callee = Made;
        if (!Callee || SM.isInSystemHeader(Callee->getLocation()))
          return;
        std::string C = usr(Callee->getCanonicalDecl());
        if (C.empty())
          return;
        // A lambda's body reaches its creator's object through the captured
        // `this`, whatever object the closure is.
        bool Lambda = isa<CXXMethodDecl>(Callee) &&
                      cast<CXXMethodDecl>(Callee)->getParent()->isLambda();
        F.Calls.push_back({std::move(C), loc(E->getBeginLoc()),
                           held(confining(Before, memberCallObject(E))),
                           Made     ? Receiver::Owned
                           : Lambda ? Receiver::Other
                                    : receiverOf(E, FD)});
        SummaryCall &Call = F.Calls.back();
        if (auto It = NewObjects.Makers.find(E);
            It != NewObjects.Makers.end()) {
          if (NewObjectOf(It->second, Call)) {
            Call.NewObject = static_cast<int>(It->second);
            Call.Makes = true;
          }
        } else if (auto It = NewObjects.SetUp.find(E);
                   It != NewObjects.SetUp.end() && !Lambda) {
          if (NewObjectOf(It->second, Call))
            Call.NewObject = static_cast<int>(It->second);
        }
        if (const auto *CE = dyn_cast<CallExpr>(E); CE && Options.Accesses)
          Call.CallableArgs = callableArgs(CE);
        if (Made) {
          CallStmts.push_back(St);
          CallObjects.push_back(MadeObject(E));
          return;
        }
        if (Call.Object == Receiver::Other && !Lambda &&
            capturedLocal(memberCallObject(E), FD))
          Call.Object = Receiver::Captured;
        if (Call.Object == Receiver::Task) {
          if (const VarDecl *V = unsharedLocal(memberCallObject(E), FD))
            Call.Local = static_cast<int>(
                Locals.try_emplace(V, Locals.size()).first->second);
          else if (const VarDecl *V = OwnedVar(memberCallObject(E)))
            Call.Local = static_cast<int>(
                Locals.try_emplace(V, Locals.size()).first->second);
        }
        if (const ParmVarDecl *P = KeptVar(memberCallObject(E)))
          Call.Param = static_cast<int>(P->getFunctionScopeIndex());
        if (Options.Accesses)
          anchor(E, Lambda, Call);
        const VarDecl *IterObject =
            isa<CXXConstructExpr>(E) ? MadeObject(E) : nullptr;
        if (isa<CXXConstructExpr>(E))
          if (const VarDecl *V = varInitialisedBy(DeclarationOf(E), E);
              V && V->getDeclContext() == FD && V->hasLocalStorage())
            Constructions.push_back({F.Calls.size() - 1, V});
        if (const Expr *Object = memberCallObject(E)) {
          IterObject = Lambda ? nullptr : iterationObject(Object, FD);
          Call.Fresh = IterObject != nullptr;
          if (const auto *P =
                  dyn_cast_or_null<ParmVarDecl>(namedVariable(Object));
              P && P->getDeclContext() == FD &&
              (P->getType()->isReferenceType() ||
               P->getType()->isPointerType()))
            Call.OnParam = static_cast<int>(P->getFunctionScopeIndex());
        }
        if (const auto *CE = dyn_cast<CallExpr>(E); CE && Options.Accesses)
          Call.BoolArgs = boolArgs(CE, FD, Flow.astContext());
        if (Options.Accesses && !Lambda)
          ownerChain(E, Callee, Call);
        if (Options.Accesses)
          if (const VarDecl *V =
                  threadLocalPointer(memberCallObject(E), FD->getBody());
              V && (!V->getInit() ||
                    isNullPointerValue(V->getInit(), Flow.astContext())))
            Call.Current = usr(V);
        if (const auto *CE = dyn_cast<CallExpr>(E))
          for (unsigned I = 0, N = CE->getNumArgs(); I != N; ++I) {
            const ParmVarDecl *Into = paramForArg(CE, I);
            if (!Into)
              continue;
            // `*this` or a part of it, or `this` itself.
            const Expr *Arg = CE->getArg(I)->IgnoreParenImpCasts();
            if (Into->getType()->isReferenceType()
                    ? objectKind(Arg) == Receiver::This
                    : Into->getType()->isPointerType() && isa<CXXThisExpr>(Arg))
              Call.ThisArgs.push_back(Into->getFunctionScopeIndex());
            const Expr *Given = handedObject(CE->getArg(I), Into);
            if (!Given)
              continue;
            if (const ParmVarDecl *P = KeptVar(Given)) {
              Call.Args.push_back(
                  {Into->getFunctionScopeIndex(),
                   -1 - static_cast<int>(P->getFunctionScopeIndex())});
              Handed[P].insert(CE);
            } else if (const VarDecl *V = OwnedVar(Given)) {
              Call.Args.push_back(
                  {Into->getFunctionScopeIndex(),
                   static_cast<int>(
                       Locals.try_emplace(V, Locals.size()).first->second)});
              Handed[V].insert(CE);
            }
          }
        CallStmts.push_back(St);
        CallObjects.push_back(IterObject);
      });

  for (const auto &[I, V] : Constructions)
    if (auto L = Locals.find(V); L != Locals.end())
      F.Calls[I].Local = static_cast<int>(L->second);

  // A local or parameter handed by reference to a call the summary does
  // not list (a library function, a task start) is not kept: its number
  // and its parameter index are dropped.
  for (const auto &[V, Calls] : Required) {
    auto It = Handed.find(V);
    if (Keeps.lookup(V) && llvm::all_of(Calls, [&](const CallExpr *C) {
          return It != Handed.end() && It->second.contains(C);
        })) {
      if (const auto *P = dyn_cast<ParmVarDecl>(V))
        F.KeptParams.push_back(P->getFunctionScopeIndex());
      continue;
    }
    int Source = 0;
    if (const auto *P = dyn_cast<ParmVarDecl>(V))
      Source = -1 - static_cast<int>(P->getFunctionScopeIndex());
    else if (auto L = Locals.find(V); L != Locals.end())
      Source = static_cast<int>(L->second);
    else
      continue;
    for (SummaryCall &C : F.Calls) {
      if (Source >= 0 && C.Local == Source)
        C.Local = -1;
      if (Source < 0 && C.Param == -1 - Source)
        C.Param = -1;
      llvm::erase_if(C.Args, [&](const std::pair<unsigned, int> &A) {
        return A.second == Source;
      });
    }
  }
  llvm::sort(F.KeptParams);

  if (!Options.ReportEmptinessTests)
    markLockingDecisions(F.Accesses, AccessUses);
  std::optional<StmtOrder> Order;
  if (G) {
    Order.emplace(*G);
    orderCalls(*Order, CallStmts, AccessStmts, F);
    markIterationOrder(*Order, CallStmts, CallObjects, F);
    if (Options.Accesses) {
      markGates(*Order, *G, Waits, WaitHasPredicate, CallStmts, AccessStmts, F);
      markJoins(Flow, *G, FD, CallStmts, AccessStmts, F,
                [&](const Decl *D) { return usr(D); });
    }
  } else if (FD->isImplicit()) {
    // An implicit constructor, destructor or assignment: straight-line
    // member-wise calls, in the order they were visited.
    for (unsigned I = 0, N = F.Calls.size(); I != N; ++I)
      for (unsigned J = 0; J != I; ++J)
        F.Calls[I].After.push_back(J);
    F.Ordered = F.Accesses.empty();
  }

  // Its stores to atomics (its body's, and those of the lambdas it creates,
  // at their creation) and its waits for an atomic to hold a value.
  llvm::SmallVector<std::pair<const Stmt *, AtomicSpin>, 1> Spins;
  if (Options.Accesses && G && Order)
    Spins = atomicHandshakes(*Order, FD, CallStmts, AccessStmts, F);

  // Tasks: the starts of this body, and where each may still run.
  if (G) {
    TaskTracker T(Flow, *G);
    for (unsigned I = 0, N = T.tasks().size(); I != N; ++I) {
      TaskSites.push_back(T.tasks()[I].Site);
      // The entry may be defined in another TU: named by its declaration.
      const FunctionDecl *Entry = T.tasks()[I].Target.Fn;
      std::string E = Entry ? usr(Entry->getCanonicalDecl()) : std::string();
      if (E.empty())
        continue;
      SummaryTask Task;
      Task.Starter = U;
      Task.Entry = std::move(E);
      Task.Loc = loc(T.tasks()[I].Site->getBeginLoc());
      Task.Serial = serialExecutor(T.tasks()[I].Executor);
      if (Task.Serial.empty() && T.tasks()[I].Kind == TaskKind::Spawner)
        Task.Serial = storedSerial(T.tasks()[I]);
      if (Task.Serial.empty() && T.tasks()[I].Kind == TaskKind::Spawner)
        Task.Serial = forwardedSerial(T.tasks()[I].Site, 0);
      Task.Ended = T.valid() && !T.mayRunAfterReturn(I, /*Exceptional=*/false);
      Task.OnStarterThread =
          runsOnStartersThread(T.tasks()[I], FD->getBody(), Flow.threads());
      for (const Stmt *S = G->parent(T.tasks()[I].Site); S && !Task.Repeated;
           S = G->parent(S))
        Task.Repeated = isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S) &&
                        repeats(S, Flow.astContext());
      if (T.tasks()[I].Kind == TaskKind::Executor)
        viaName(T.tasks()[I], Task);
      // The thread member the start stores the task's thread in.
      if (const std::optional<ObjectPath> &H = T.handleOf(I);
          Options.Accesses && T.tasks()[I].Kind == TaskKind::Thread && H &&
          H->Kind == RootKind::This && H->Fields.size() == 1 && !H->Element &&
          T.handleMovesOf(I).empty())
        Task.Handle = usr(H->Fields.front());
      // The thread member of the starter's object holding a thread started
      // on that object: the owner thread of its current-thread tests.
      if (std::optional<ObjectPath> H = threadHolderOf(T, I, *G);
          Options.Accesses && H && H->Kind == RootKind::This &&
          H->Fields.size() == 1) {
        if (runsOnStartersObject(T.tasks()[I]))
          Task.Owner = usr(H->Fields.front());
        // A pointer member given the thread made (`thread_ = new
        // std::thread(...)`, `thread_.reset(new ...)`): its `thread_->join()`
        // ends the task.
        if (Task.Handle.empty() &&
            isPointerLike(H->Fields.front()->getType()) && !T.handleOf(I) &&
            T.handleMovesOf(I).empty())
          Task.Handle = usr(H->Fields.front());
      }
      if (Options.Accesses && Order &&
          startsOnThisOnce(FD, T.tasks()[I], *Order)) {
        bool Ctor = isa<CXXConstructorDecl>(FD);
        Task.OnOwnObject = Ctor;
        Task.OnStarterThis =
            !Ctor && !cast<CXXMethodDecl>(FD)->getParent()->isLambda();
      }
      for (unsigned J = 0, NA = AcqStmts.size(); J != NA; ++J)
        if (T.mayBeRunningAt(I, AcqStmts[J]))
          Task.ConcurrentAcquisitions.push_back(J);
      for (unsigned J = 0, NC = CallStmts.size(); J != NC; ++J)
        if (T.mayBeRunningAt(I, CallStmts[J]))
          Task.ConcurrentCalls.push_back(J);
      for (unsigned J = 0, NX = AccessStmts.size(); J != NX; ++J)
        if (T.mayBeRunningAt(I, AccessStmts[J]))
          Task.ConcurrentAccesses.push_back(J);
      for (const auto &[Loop, W] : Spins)
        if (std::optional<SummaryWait> Wait =
                waitAfter(*Order, *G, FD, T.tasks()[I].Site, Loop, CallStmts,
                          AccessStmts)) {
          Wait->Atomic = usr(W.Object);
          Wait->Op = W.Op;
          Wait->Value = W.Value;
          Task.Waits.push_back(std::move(*Wait));
        }
      // The calls and accesses its start may come before.
      if (F.Ordered) {
        Task.Ordered = true;
        const Stmt *Site = T.tasks()[I].Site;
        for (unsigned J = 0, NC = CallStmts.size(); J != NC; ++J)
          if (Order->mayFollow(Site, CallStmts[J]))
            Task.LaterCalls.push_back(J);
        for (unsigned J = 0, NX = AccessStmts.size(); J != NX; ++J)
          if (Order->mayFollow(Site, AccessStmts[J]))
            Task.LaterAccesses.push_back(J);
      }
      S.Tasks.push_back(std::move(Task));
    }
  }
  if (G && Order)
    callWaits(*Order, *G, FD, Spins, CallStmts, AccessStmts, F);
  S.Functions.push_back(std::move(F));
}

void Summarizer::callWaits(
    StmtOrder &Order, const FlowGraph &G, const FunctionDecl *FD,
    llvm::ArrayRef<std::pair<const Stmt *, AtomicSpin>> Spins,
    llvm::ArrayRef<const Stmt *> CallStmts,
    llvm::ArrayRef<const Stmt *> AccessStmts, SummaryFunction &F) {
  // The object a call makes (the variable a construction initialises) or is
  // made on.
  auto ObjectOf = [&](const Stmt *Call) -> std::optional<ObjectPath> {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      return objectPathOf(MC->getImplicitObjectArgument());
    if (!isa<CXXConstructExpr>(Call))
      return std::nullopt;
    for (const Stmt *P = G.parent(Call); P; P = G.parent(P))
      if (isa<DeclStmt>(P)) {
        const VarDecl *V = varInitialisedBy(P, cast<Expr>(Call));
        if (!V || V->getType()->isReferenceType())
          return std::nullopt;
        ObjectPath Path;
        Path.Kind = RootKind::Local;
        Path.Root = V;
        return Path;
      } else if (!isa<Expr>(P)) {
        break;
      }
    return std::nullopt;
  };
  for (const auto &[Loop, Spin] : Spins) {
    std::optional<ObjectPath> Owner =
        Spin.Owner ? objectPathOf(Spin.Owner) : std::nullopt;
    std::string Atomic = usr(Spin.Object);
    if (!Owner || Atomic.empty())
      continue;
    for (unsigned J = 0, NC = CallStmts.size(); J != NC; ++J) {
      std::optional<ObjectPath> Made = ObjectOf(CallStmts[J]);
      if (!Made || *Made != *Owner)
        continue;
      std::optional<SummaryWait> W =
          waitAfter(Order, G, FD, CallStmts[J], Loop, CallStmts, AccessStmts);
      if (!W || W->Param >= 0)
        continue;
      W->Atomic = Atomic;
      W->Op = Spin.Op;
      W->Value = Spin.Value;
      F.CallWaits.push_back({J, std::move(*W)});
    }
  }
}

} // namespace

namespace {

/// The function definitions of the translation unit outside system headers:
/// functions, methods, lambdas' call operators, template instantiations.
class Definitions : public RecursiveASTVisitor<Definitions> {
public:
  explicit Definitions(const SourceManager &SM) : SM(SM) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBody() const { return true; }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    add(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    add(L->getCallOperator());
    return true;
  }
  /// The implicit special members the translation unit defines (those it
  /// uses): member-wise copies, moves, constructions and destructions of
  /// the object they run on, whose callers' context the link needs (a
  /// test's local assigned through them). The visitor skips implicit
  /// declarations.
  bool VisitCXXRecordDecl(CXXRecordDecl *RD) {
    if (!RD->isLambda() && RD->hasDefinition() &&
        RD->isThisDeclarationADefinition())
      for (const CXXMethodDecl *M : RD->methods())
        if (M->isImplicit() &&
            (isa<CXXConstructorDecl, CXXDestructorDecl>(M) ||
             M->isCopyAssignmentOperator() || M->isMoveAssignmentOperator()))
          add(M);
    return true;
  }

  std::vector<const FunctionDecl *> Found;

private:
  void add(const FunctionDecl *FD) {
    if (FD && FD->doesThisDeclarationHaveABody() && FD->getBody() &&
        !FD->isDependentContext() && !SM.isInSystemHeader(FD->getLocation()) &&
        Seen.insert(FD).second)
      Found.push_back(FD);
  }
  const SourceManager &SM;
  llvm::DenseSet<const FunctionDecl *> Seen;
};

/// \p Main and the files of \p S's locations where a linked finding may be
/// reported (acquisitions, calls, accesses) that the header filter accepts.
std::vector<std::string> reportedFiles(const TUSummary &S,
                                       const std::string &Main,
                                       const SummaryOptions &Options) {
  std::vector<std::string> Out{Main};
  if (!Options.HeaderFilter || Options.HeaderFilter->empty())
    return Out;
  llvm::Regex Filter(*Options.HeaderFilter);
  std::optional<llvm::Regex> Exclude;
  if (Options.ExcludeHeaderFilter && !Options.ExcludeHeaderFilter->empty())
    Exclude.emplace(*Options.ExcludeHeaderFilter);
  llvm::StringSet<> Seen{Main};
  auto Add = [&](const Location &L) {
    if (!L.File.empty() && Seen.insert(L.File).second && Filter.match(L.File) &&
        !(Exclude && Exclude->match(L.File)))
      Out.push_back(L.File);
  };
  for (const SummaryFunction &F : S.Functions) {
    for (const SummaryAcquisition &A : F.Acquisitions)
      Add(A.Loc);
    for (const SummaryCall &C : F.Calls)
      Add(C.Loc);
    for (const SummaryAccess &A : F.Accesses)
      Add(A.Loc);
  }
  std::sort(Out.begin() + 1, Out.end());
  return Out;
}

} // namespace

TUSummary summarize(FlowContext &Flow, const SummaryOptions &Options) {
  ASTContext &Ctx = Flow.astContext();
  Definitions D(Ctx.getSourceManager());
  D.TraverseDecl(Ctx.getTranslationUnitDecl());
  return summarize(Flow, D.Found, Options);
}

TUSummary summarize(FlowContext &Flow,
                    llvm::ArrayRef<const FunctionDecl *> Functions,
                    const SummaryOptions &Options) {
  Summarizer S(Flow, Options);
  for (const FunctionDecl *FD : Functions)
    S.add(FD);
  // A function named in a table outside functions (`{"name", &parse}`) runs
  // from wherever the table is read.
  if (Options.Accesses)
    for (const UserDefinition &D : Flow.userDefinitions()) {
      const Expr *Init = nullptr;
      if (const auto *V = D.dyn_cast<const VarDecl *>())
        Init = V->getAnyInitializer();
      else if (const auto *Fd = D.dyn_cast<const FieldDecl *>())
        Init = Fd->getInClassInitializer();
      if (Init)
        S.noteReferences(Init);
    }
  if (Options.Accesses) {
    ClassReach R(Flow.astContext());
    R.collect();
    for (const Expr *Site : S.taskSites())
      R.taskStart(Site);
    S.classReach(R);
  }
  TUSummary Out = S.take();
  const SourceManager &SM = Flow.astContext().getSourceManager();
  if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
    Out.File = Main->getName().str();
  Out.Reported = reportedFiles(Out, S.mainFile(), Options);
  Out.ReportUnguarded = Options.Accesses && Options.ReportUnguardedMembers;
  return Out;
}

} // namespace scan
} // namespace pitfall
