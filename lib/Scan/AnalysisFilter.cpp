//===--- AnalysisFilter.cpp - which functions the analyzer must explore ---===//
#include "pitfall/Scan/AnalysisFilter.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/AnalysisDeclContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/AnalysisManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace pitfall {
namespace scan {

/// The key of a function or variable: its canonical declaration.
static const Decl *keyOf(const Decl *D) {
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    return FD->getCanonicalDecl();
  if (const auto *VD = dyn_cast<VarDecl>(D))
    return VD->getCanonicalDecl();
  return D;
}

AnalysisFilter::AnalysisFilter(ASTContext &Ctx, ThreadTypes Threads,
                               ChannelRecognizer Channels)
    : Ctx(Ctx), Threads(std::move(Threads)), Channels(std::move(Channels)) {}

bool AnalysisFilter::isThreadClass(const CXXRecordDecl *RD) const {
  auto [It, Inserted] = ThreadClasses.try_emplace(RD, false);
  if (Inserted)
    It->second = Threads.terminating().matches(RD);
  return It->second;
}

bool AnalysisFilter::startsTrackedThread(const CXXConstructExpr *E) const {
  // pitfall.ThreadJoin tracks a thread from a constructor that starts it,
  // outside the system headers (a std::vector<std::thread> element, made
  // in the library, is never tracked), and from there on through its moves,
  // joins and detaches: without such a start on the paths of a top-level
  // function, none of them can change what it reports.
  const CXXRecordDecl *RD = E->getType()->getAsCXXRecordDecl();
  if (!RD || !isThreadClass(RD) || !Threads.startedCallable(E))
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  return !SM.isInSystemHeader(E->getBeginLoc());
}

bool AnalysisFilter::isTrackedOperation(const FunctionDecl *FD,
                                        const CallExpr *Call) const {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(FD);
  if (!M)
    return false;
  const CXXRecordDecl *Class = M->getParent();
  // A thread object is tracked only from a start the checker sees (see
  // startsTrackedThread); its other operations matter only after one.
  if (isThreadClass(Class))
    return false;
  bool Special = isa<CXXConstructorDecl>(M) || M->isCopyAssignmentOperator() ||
                 M->isMoveAssignmentOperator();
  if (Special && Channels.isChannelClass(Class))
    return true;
  if (!M->getIdentifier() || M->getName() != "close")
    return false;
  int ChannelArg = -1;
  return Channels.classifyFunction(M, ChannelArg, Call) == ChannelOp::Close;
}

//===----------------------------------------------------------------------===//
// What a body may call
//===----------------------------------------------------------------------===//

/// Collects what one body touches and may call into a Node.
class AnalysisFilter::BodyWalker {
public:
  BodyWalker(const AnalysisFilter &Filter, Node &N) : Filter(Filter), N(N) {}

  void walk(const Stmt *Root) {
    if (Root)
      Stack.push_back(Root);
    while (!Stack.empty()) {
      const Stmt *S = Stack.pop_back_val();
      if (S)
        visit(S);
    }
  }

  void addFunction(const FunctionDecl *FD, const CallExpr *Call = nullptr) {
    if (!FD)
      return;
    if (Filter.isTrackedOperation(FD, Call))
      N.Touches = true;
    addCallee(FD);
  }

  /// \p FD may also be called through a pointer, or by a virtual call, from
  /// wherever its address or an object of its class goes.
  void addIndirectTarget(const FunctionDecl *FD) {
    if (!FD)
      return;
    addFunction(FD);
    const Decl *Key = keyOf(FD);
    if (Targets.insert(Key).second)
      N.IndirectTargets.push_back(Key);
  }

  /// A function named in the body: called directly, or taken by address.
  void addNamedFunction(const FunctionDecl *FD, const Expr *Name) {
    if (DirectCallees.contains(Name))
      addFunction(FD);
    else
      addIndirectTarget(FD);
  }

  /// The destructor an object of type \p T ends with (arrays: of their
  /// elements).
  void addDestructorOf(QualType T) {
    if (T.isNull())
      return;
    const CXXRecordDecl *RD =
        Filter.Ctx.getBaseElementType(T)->getAsCXXRecordDecl();
    if (!RD || !RD->hasDefinition())
      return;
    addFunction(RD->getDestructor());
  }

private:
  void addCallee(const Decl *D) {
    D = keyOf(D);
    if (Added.insert(D).second)
      N.Callees.push_back(D);
  }

  /// An object whose class is \p T (through pointers and references) may be
  /// the one a virtual call dispatches on: every virtual member function of
  /// its class and bases may be called.
  void addVirtualMembersOf(QualType T) {
    const CXXRecordDecl *RD = recordOf(T, /*ThroughPointers=*/true);
    if (!RD || !(RD = RD->getDefinition()) || !RD->isPolymorphic() ||
        !Classes.insert(RD).second)
      return;
    auto AddVirtuals = [&](const CXXRecordDecl *C) {
      for (const CXXMethodDecl *M : C->methods())
        if (M->isVirtual())
          addIndirectTarget(M);
      return true;
    };
    AddVirtuals(RD);
    RD->forallBases(AddVirtuals);
  }

  /// Every member function of a lambda's class: its call operator (each
  /// instantiation of a generic one), conversion and static invoker.
  void addMembersOf(const CXXRecordDecl *RD) {
    if (!RD)
      return;
    for (const Decl *D : RD->decls()) {
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D)) {
        for (const FunctionDecl *Spec : FT->specializations())
          addIndirectTarget(Spec);
        continue;
      }
      if (const auto *FD = dyn_cast<FunctionDecl>(D))
        addIndirectTarget(FD);
    }
  }

  void addVariable(const VarDecl *VD) {
    // A global's initializer may hold a function pointer the analyzer
    // reads; a static local's initializer is in the body being walked.
    if (VD->hasGlobalStorage() && !VD->isStaticLocal())
      addCallee(VD);
  }

  void visit(const Stmt *S) {
    if (const auto *E = dyn_cast<Expr>(S))
      if (!E->getType().isNull() && !E->getType()->isBuiltinType() &&
          !E->isTypeDependent())
        addVirtualMembersOf(E->getType());

    switch (S->getStmtClass()) {
    case Stmt::DeclRefExprClass: {
      const ValueDecl *D = cast<DeclRefExpr>(S)->getDecl();
      if (const auto *FD = dyn_cast<FunctionDecl>(D))
        addNamedFunction(FD, cast<Expr>(S));
      else if (const auto *VD = dyn_cast<VarDecl>(D))
        addVariable(VD);
      break;
    }
    case Stmt::MemberExprClass: {
      const ValueDecl *D = cast<MemberExpr>(S)->getMemberDecl();
      if (const auto *FD = dyn_cast<FunctionDecl>(D))
        addNamedFunction(FD, cast<Expr>(S));
      else if (const auto *VD = dyn_cast<VarDecl>(D))
        addVariable(VD);
      break;
    }
    case Stmt::CallExprClass:
    case Stmt::CXXMemberCallExprClass:
    case Stmt::CXXOperatorCallExprClass:
    case Stmt::UserDefinedLiteralClass: {
      // The callee is named by a child; the call gives a close() the class
      // of its object (a channel inheriting close() from its base).
      const auto *Call = cast<CallExpr>(S);
      if (const FunctionDecl *Callee = Call->getDirectCallee()) {
        if (Filter.isTrackedOperation(Callee, Call))
          N.Touches = true;
        if (const auto *M = dyn_cast<CXXMethodDecl>(Callee);
            !M || !M->isVirtual())
          DirectCallees.insert(Call->getCallee()->IgnoreParenImpCasts());
      }
      break;
    }
    case Stmt::CXXConstructExprClass:
    case Stmt::CXXTemporaryObjectExprClass: {
      const auto *CE = cast<CXXConstructExpr>(S);
      if (Filter.startsTrackedThread(CE))
        N.Touches = true;
      addFunction(CE->getConstructor());
      addDestructorOf(CE->getType());
      break;
    }
    case Stmt::CXXInheritedCtorInitExprClass:
      addFunction(cast<CXXInheritedCtorInitExpr>(S)->getConstructor());
      break;
    case Stmt::CXXNewExprClass: {
      const auto *NE = cast<CXXNewExpr>(S);
      addFunction(NE->getOperatorNew());
      addFunction(NE->getOperatorDelete());
      break;
    }
    case Stmt::CXXDeleteExprClass: {
      const auto *DE = cast<CXXDeleteExpr>(S);
      addFunction(DE->getOperatorDelete());
      addDestructorOf(DE->getDestroyedType());
      break;
    }
    case Stmt::CXXBindTemporaryExprClass:
      addFunction(
          cast<CXXBindTemporaryExpr>(S)->getTemporary()->getDestructor());
      break;
    case Stmt::MaterializeTemporaryExprClass:
      addDestructorOf(cast<MaterializeTemporaryExpr>(S)->getType());
      break;
    case Stmt::DeclStmtClass:
      for (const Decl *D : cast<DeclStmt>(S)->decls()) {
        const auto *VD = dyn_cast<VarDecl>(D);
        if (!VD)
          continue;
        addDestructorOf(VD->getType());
        if (const auto *Cleanup = VD->getAttr<CleanupAttr>())
          addFunction(Cleanup->getFunctionDecl());
      }
      break;
    case Stmt::LambdaExprClass: {
      // The captures are initialized here; the body is the call operator's.
      const auto *LE = cast<LambdaExpr>(S);
      addMembersOf(LE->getLambdaClass());
      for (const Expr *Init : LE->capture_inits())
        Stack.push_back(Init);
      return;
    }
    case Stmt::BlockExprClass:
      Stack.push_back(cast<BlockExpr>(S)->getBody());
      return;
    case Stmt::CXXDefaultArgExprClass:
      Stack.push_back(cast<CXXDefaultArgExpr>(S)->getExpr());
      return;
    case Stmt::CXXDefaultInitExprClass:
      Stack.push_back(cast<CXXDefaultInitExpr>(S)->getExpr());
      return;
    case Stmt::OpaqueValueExprClass: {
      const Expr *Source = cast<OpaqueValueExpr>(S)->getSourceExpr();
      if (Source && SeenOpaque.insert(S).second)
        Stack.push_back(Source);
      return;
    }
    default:
      break;
    }
    for (const Stmt *Child : S->children())
      Stack.push_back(Child);
  }

  const AnalysisFilter &Filter;
  Node &N;
  llvm::SmallVector<const Stmt *, 64> Stack;
  llvm::SmallPtrSet<const Decl *, 16> Added;
  llvm::SmallPtrSet<const Decl *, 4> Targets;
  /// The callee expressions of the direct calls seen (a call is visited
  /// before the name it calls).
  llvm::SmallPtrSet<const Expr *, 16> DirectCallees;
  llvm::SmallPtrSet<const CXXRecordDecl *, 8> Classes;
  llvm::SmallPtrSet<const Stmt *, 4> SeenOpaque;
};

AnalysisFilter::Node &AnalysisFilter::node(const Decl *D) {
  auto [It, Inserted] = Nodes.try_emplace(D);
  if (!Inserted)
    return It->second;
  Node N;
  BodyWalker W(*this, N);
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    const FunctionDecl *Def = nullptr;
    if (FD->hasBody(Def)) {
      W.walk(Def->getBody());
      if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
        for (const CXXCtorInitializer *Init : Ctor->inits())
          W.walk(Init->getInit());
    }
    // A destructor ends its members and bases (implicit calls).
    if (const auto *Dtor = dyn_cast<CXXDestructorDecl>(FD)) {
      const CXXRecordDecl *RD = Dtor->getParent();
      for (const FieldDecl *F : RD->fields())
        W.addDestructorOf(F->getType());
      for (const CXXBaseSpecifier &B : RD->bases())
        W.addDestructorOf(B.getType());
      for (const CXXBaseSpecifier &B : RD->vbases())
        W.addDestructorOf(B.getType());
    }
  } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
    const VarDecl *Def = nullptr;
    if (const Expr *Init = VD->getAnyInitializer(Def))
      W.walk(Init);
  } else if (const auto *BD = dyn_cast<BlockDecl>(D)) {
    W.walk(BD->getBody());
  } else {
    N.Touches = true; // not understood: analysed
  }
  // The walk does not touch Nodes: It is still valid.
  It->second = std::move(N);
  return It->second;
}

//===----------------------------------------------------------------------===//
// Reachability
//===----------------------------------------------------------------------===//

bool AnalysisFilter::mayReachTrackedOperation(const Decl *Function) {
  if (!Function)
    return true;
  const Decl *Start = keyOf(Function);
  {
    Node &N = node(Start);
    if (N.Result != Reach::Unknown)
      return N.Result == Reach::Yes;
    if (N.Touches) {
      N.Result = Reach::Yes;
      return true;
    }
  }
  // Every function reachable from Start whose answer is not known yet.
  llvm::SmallVector<const Decl *, 64> Stack{Start};
  llvm::SmallVector<const Decl *, 64> Open;
  llvm::DenseSet<const Decl *> Seen;
  while (!Stack.empty()) {
    const Decl *D = Stack.pop_back_val();
    if (!Seen.insert(D).second)
      continue;
    Node &N = node(D);
    if (N.Result != Reach::Unknown)
      continue;
    Open.push_back(D);
    for (const Decl *Callee : N.Callees)
      if (!Seen.count(Callee))
        Stack.push_back(Callee);
  }
  // Propagate "reaches" from callees to callers within the open set.
  llvm::DenseMap<const Decl *, llvm::SmallVector<const Decl *, 4>> Callers;
  llvm::SmallVector<const Decl *, 64> Work;
  for (const Decl *D : Open) {
    Node &N = Nodes.find(D)->second;
    bool Yes = N.Touches;
    for (const Decl *Callee : N.Callees) {
      const Node &C = Nodes.find(Callee)->second;
      if (C.Result == Reach::Yes)
        Yes = true;
      else if (C.Result == Reach::Unknown)
        Callers[Callee].push_back(D);
    }
    if (Yes) {
      N.Result = Reach::Yes;
      Work.push_back(D);
    }
  }
  while (!Work.empty()) {
    const Decl *D = Work.pop_back_val();
    auto It = Callers.find(D);
    if (It == Callers.end())
      continue;
    for (const Decl *Caller : It->second) {
      Node &N = Nodes.find(Caller)->second;
      if (N.Result == Reach::Yes)
        continue;
      N.Result = Reach::Yes;
      Work.push_back(Caller);
    }
  }
  for (const Decl *D : Open) {
    Node &N = Nodes.find(D)->second;
    if (N.Result == Reach::Unknown)
      N.Result = Reach::No;
  }
  return Nodes.find(Start)->second.Result == Reach::Yes;
}

//===----------------------------------------------------------------------===//
// Calls the analyzer need not inline
//===----------------------------------------------------------------------===//

bool AnalysisFilter::indirectTargetsMayReach(const Decl *TopLevel) {
  TopLevel = keyOf(TopLevel);
  auto Known = IndirectReach.find(TopLevel);
  if (Known != IndirectReach.end())
    return Known->second;
  // The functions the exploration of TopLevel may run: their bodies name
  // every function whose address, or whose class's objects, it may meet.
  llvm::SmallVector<const Decl *, 64> Stack{TopLevel};
  llvm::DenseSet<const Decl *> Seen;
  llvm::SmallVector<const Decl *, 64> Targets;
  while (!Stack.empty()) {
    const Decl *D = Stack.pop_back_val();
    if (!Seen.insert(D).second)
      continue;
    const Node &N = node(D);
    llvm::append_range(Targets, N.IndirectTargets);
    for (const Decl *Callee : N.Callees)
      if (!Seen.count(Callee))
        Stack.push_back(Callee);
  }
  bool Reaches = llvm::any_of(
      Targets, [&](const Decl *T) { return mayReachTrackedOperation(T); });
  IndirectReach[TopLevel] = Reaches;
  return Reaches;
}

bool AnalysisFilter::mayDesignateTrackedObject(QualType T) {
  T = T.getNonReferenceType();
  while (!T.isNull() && (T->isAnyPointerType() || T->isArrayType()))
    T = T->isArrayType() ? QualType(T->getArrayElementTypeNoTypeQual(), 0)
                         : T->getPointeeType().getNonReferenceType();
  return mayDesignateTrackedObject(T.isNull() ? nullptr
                                              : T->getAsCXXRecordDecl());
}

bool AnalysisFilter::mayDesignateTrackedObject(const CXXRecordDecl *RD) {
  if (!RD || !(RD = RD->getDefinition()))
    return false;
  auto [It, Inserted] = HoldsTracked.try_emplace(RD, false);
  if (!Inserted)
    return It->second;
  bool Holds = isThreadClass(RD) || Channels.isChannelClass(RD);
  for (const FieldDecl *F : RD->fields())
    Holds = Holds || mayDesignateTrackedObject(F->getType());
  for (const CXXBaseSpecifier &B : RD->bases())
    Holds = Holds || mayDesignateTrackedObject(B.getType());
  HoldsTracked[RD] = Holds;
  return Holds;
}

/// Whether \p D is declared in libstdc++'s namespace __gnu_cxx.
static bool isInGnuCxxNamespace(const Decl *D) {
  const DeclContext *DC = D->getDeclContext();
  while (DC->getParent() && !DC->getParent()->isTranslationUnit())
    DC = DC->getParent();
  const auto *NS = dyn_cast<NamespaceDecl>(DC);
  return NS && NS->getIdentifier() && NS->getName() == "__gnu_cxx";
}

bool AnalysisFilter::mayEvaluateWithoutInlining(const FunctionDecl *Callee,
                                                const Decl *TopLevel) {
  const FunctionDecl *Def = nullptr;
  if (!Callee || !TopLevel || !Callee->hasBody(Def))
    return false;
  // The user's code, and the standard library (which the analyzer inlines
  // only when asked to; libstdc++'s iterators, in __gnu_cxx, it inlines
  // always), are left to the analyzer.
  const SourceManager &SM = Ctx.getSourceManager();
  if (!SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())) ||
      AnalysisDeclContext::isInStdNamespace(Def) || isInGnuCxxNamespace(Def))
    return false;
  // A thread or channel it is given, or returns, would not be the one the
  // checkers track after the call (a reference to it stored in an object,
  // a member of it called), nor would a member of theirs be modelled.
  if (const auto *M = dyn_cast<CXXMethodDecl>(Def))
    if (!M->isStatic() && mayDesignateTrackedObject(M->getParent()))
      return false;
  if (mayDesignateTrackedObject(Def->getReturnType()) ||
      llvm::any_of(Def->parameters(), [&](const ParmVarDecl *P) {
        return mayDesignateTrackedObject(P->getType());
      }))
    return false;
  // Evaluated without inlining, the call would not leave behind the
  // function pointers and dynamic types it stores for a later call to use.
  return !mayReachTrackedOperation(Def) && !indirectTargetsMayReach(TopLevel);
}

//===----------------------------------------------------------------------===//
// The functions the analyzer starts from
//===----------------------------------------------------------------------===//

namespace {

/// Finds the definitions the analyzer would analyse as top-level functions:
/// those whose body starts in the main file (AnalysisManager::isInCodeFile),
/// template instantiations included, and the initializers of variables
/// defined there (a lambda in one). Declaration contexts lying entirely in
/// other files are not entered.
class TopLevelFunctions {
public:
  explicit TopLevelFunctions(const SourceManager &SM) : SM(SM) {}

  /// Calls \p Found for each; stops when it returns true. Returns false if
  /// some definition could not be followed to its instantiations (the
  /// caller must then assume the worst).
  bool forEach(const DeclContext *DC,
               llvm::function_ref<bool(const Decl *)> Found) {
    this->Found = Found;
    Complete = true;
    visitContext(DC);
    return Complete;
  }

  bool stopped() const { return Stop; }

private:
  bool inCodeFile(SourceLocation Loc) const {
    Loc = SM.getExpansionLoc(Loc);
    return Loc.isValid() && !SM.isInSystemHeader(Loc) &&
           ento::AnalysisManager::isInCodeFile(Loc, SM);
  }

  bool touchesCodeFile(const Decl *D) const {
    return inCodeFile(D->getBeginLoc()) || inCodeFile(D->getEndLoc());
  }

  void report(const Decl *D) {
    if (!Stop && Found(D))
      Stop = true;
  }

  void visitFunction(const FunctionDecl *FD) {
    if (!FD->doesThisDeclarationHaveABody() || !FD->getBody())
      return;
    if (FD->isDependentContext()) {
      visitPattern(FD);
      return;
    }
    if (inCodeFile(FD->getBody()->getBeginLoc()))
      report(FD);
  }

  /// A template's body in the main file: its instantiations are analysed.
  void visitPattern(const FunctionDecl *FD) {
    if (const FunctionTemplateDecl *FT = FD->getDescribedFunctionTemplate()) {
      for (const FunctionDecl *Spec : FT->specializations())
        visitFunction(Spec);
      if (!isa<CXXMethodDecl>(FD) ||
          !cast<CXXMethodDecl>(FD)->getParent()->isDependentContext())
        return;
    }
    // A member of a class template, defined out of line here: its
    // instantiations live in the class's specializations.
    const auto *M = dyn_cast<CXXMethodDecl>(FD);
    const ClassTemplateDecl *CT =
        M ? M->getParent()->getDescribedClassTemplate() : nullptr;
    if (!CT || M->getDescribedFunctionTemplate()) {
      if (inCodeFile(FD->getBody()->getBeginLoc()))
        Complete = false;
      return;
    }
    for (const ClassTemplateSpecializationDecl *Spec : CT->specializations())
      for (const CXXMethodDecl *Inst : Spec->methods())
        if (Inst->getTemplateInstantiationPattern() &&
            Inst->getTemplateInstantiationPattern()->getCanonicalDecl() ==
                FD->getCanonicalDecl())
          visitFunction(Inst);
  }

  void visitContext(const DeclContext *DC) {
    for (const Decl *D : DC->decls()) {
      if (Stop)
        return;
      if (!touchesCodeFile(D) || isa<ClassTemplatePartialSpecializationDecl>(D))
        continue; // a partial specialization's instantiations: below
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D)) {
        visitFunction(FT->getTemplatedDecl());
        continue;
      }
      if (const auto *CT = dyn_cast<ClassTemplateDecl>(D)) {
        // The pattern's members are analysed as their instantiations.
        for (const ClassTemplateSpecializationDecl *Spec :
             CT->specializations())
          visitContext(Spec);
        continue;
      }
      if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
        visitFunction(FD);
        if (!FD->isDependentContext())
          visitContext(FD); // local classes
        continue;
      }
      if (const auto *VD = dyn_cast<VarDecl>(D)) {
        if (VD->getInit() && !VD->isLocalVarDeclOrParm())
          report(VD);
        continue;
      }
      if (isa<NamespaceDecl, LinkageSpecDecl, ExportDecl, CXXRecordDecl>(D))
        visitContext(cast<DeclContext>(D));
    }
  }

  const SourceManager &SM;
  llvm::function_ref<bool(const Decl *)> Found = nullptr;
  bool Complete = true;
  bool Stop = false;
};

} // namespace

bool AnalysisFilter::anyTopLevelFunctionMayReach() {
  // Objective-C dispatches on selectors and blocks are values: not
  // followed here.
  if (Ctx.getLangOpts().ObjC || Ctx.getLangOpts().Blocks)
    return true;
  TopLevelFunctions Tops(Ctx.getSourceManager());
  bool Complete =
      Tops.forEach(Ctx.getTranslationUnitDecl(),
                   [&](const Decl *D) { return mayReachTrackedOperation(D); });
  return Tops.stopped() || !Complete;
}

} // namespace scan
} // namespace pitfall
