//===--- FlowContext.cpp --------------------------------------------------===//
#include "pitfall/Flow/FlowContext.h"

#include "pitfall/Core/ActiveObjects.h"
#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Flow/Blocking.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"

#include <functional>
#include <map>
#include <mutex>
#include <vector>

using namespace clang;

namespace pitfall {

std::string FlowOptions::key() const {
  std::string K;
  for (const std::string *S :
       {&ThreadTypes, &EscapeFunctions, &LockTypes, &ChannelTypes, &SendMethods,
        &WaitGroupTypes, &ErrorTypes, &CheckedFunctions, &AssertionMacros,
        &TestCaseMacros, &TestPaths, &ExamplePaths}) {
    K += *S;
    K += '\x1f';
  }
  K += MatchChannelNames ? '1' : '0';
  K += StatusHeuristic ? '1' : '0';
  return K;
}

FlowOptions FlowOptions::read(
    llvm::function_ref<std::optional<std::string>(llvm::StringRef)> Get) {
  FlowOptions O;
  auto Str = [&](llvm::StringRef Key, std::string &Field) {
    if (std::optional<std::string> V = Get(Key))
      Field = std::move(*V);
  };
  // As clang-tidy reads a boolean option: true/false or an integer.
  auto Bool = [&](llvm::StringRef Key, bool &Field) {
    std::optional<std::string> V = Get(Key);
    if (!V)
      return;
    llvm::StringRef T = llvm::StringRef(*V).trim();
    long long N;
    if (T.equals_insensitive("true"))
      Field = true;
    else if (T.equals_insensitive("false"))
      Field = false;
    else if (!T.getAsInteger(10, N))
      Field = N != 0;
  };
  Str("ThreadTypes", O.ThreadTypes);
  Str("EscapeFunctions", O.EscapeFunctions);
  Str("LockTypes", O.LockTypes);
  Str("ChannelTypes", O.ChannelTypes);
  Str("SendMethods", O.SendMethods);
  Str("WaitGroupTypes", O.WaitGroupTypes);
  Str("ErrorTypes", O.ErrorTypes);
  Str("CheckedFunctions", O.CheckedFunctions);
  Str("AssertionMacros", O.AssertionMacros);
  Str("TestCaseMacros", O.TestCaseMacros);
  Str("TestPaths", O.TestPaths);
  Str("ExamplePaths", O.ExamplePaths);
  Bool("MatchChannelNames", O.MatchChannelNames);
  Bool("StatusHeuristic", O.StatusHeuristic);
  return O;
}

/// The arguments of a start site, and the index of the callable among them.
static llvm::ArrayRef<const Expr *> startArguments(const TaskStart &T,
                                                   unsigned &CallableIndex) {
  llvm::ArrayRef<const Expr *> Args;
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(T.Site))
    Args = llvm::ArrayRef(CE->getArgs(), CE->getNumArgs());
  else if (const auto *Call = dyn_cast_or_null<CallExpr>(T.Site))
    Args = llvm::ArrayRef(Call->getArgs(), Call->getNumArgs());
  CallableIndex = Args.size();
  for (unsigned I = 0, N = Args.size(); I != N; ++I)
    if (Args[I] == T.Callable) {
      CallableIndex = I;
      break;
    }
  return Args;
}

const Expr *taskArgument(const TaskStart &T, unsigned ParamIndex) {
  unsigned CallableIndex = 0;
  llvm::ArrayRef<const Expr *> Args = startArguments(T, CallableIndex);
  unsigned I = CallableIndex + 1;
  if (T.Target.BoundObject && I < Args.size() &&
      Args[I] == T.Target.BoundObject)
    ++I; // the object of a member function pointer
  I += ParamIndex;
  if (I >= Args.size() || isa<CXXDefaultArgExpr>(Args[I]))
    return nullptr;
  return Args[I];
}

/// True if \p L captures \p V by copy (its body then sees its own copy).
static bool capturesByCopy(const LambdaExpr *L, const ValueDecl *V) {
  for (const LambdaCapture &C : L->captures())
    if (C.capturesVariable() && C.getCapturedVar() == V)
      return C.getCaptureKind() == LCK_ByCopy;
  return false;
}

std::optional<ObjectPath> mapTaskSlot(const TaskStart &T,
                                      const ObjectPath &Slot) {
  switch (Slot.Kind) {
  case RootKind::Global:
    return Slot;
  case RootKind::Local:
    if (std::optional<ObjectPath> Source = copyOfHandle(Slot))
      return Source;
    if (T.Target.Lambda && capturesByCopy(T.Target.Lambda, Slot.Root) &&
        !sharedThroughCopy(Slot))
      return std::nullopt;
    return Slot;
  case RootKind::This: {
    std::optional<ObjectPath> Base;
    if (T.Target.BoundObject)
      Base = objectPathOf(T.Target.BoundObject);
    else if (T.Target.Lambda && llvm::any_of(T.Target.Lambda->captures(),
                                             [](const LambdaCapture &C) {
                                               return C.capturesThis();
                                             })) {
      Base.emplace();
      Base->Kind = RootKind::This;
    }
    if (!Base)
      return std::nullopt;
    for (const FieldDecl *F : Slot.Fields)
      Base->Fields.push_back(F);
    return Base;
  }
  case RootKind::Param: {
    // A lambda's capture of a parameter of the function around it: the
    // caller's own object, shared when captured by reference.
    if (T.Target.Fn && Slot.Root->getDeclContext() != T.Target.Fn)
      return T.Target.Lambda && capturesByCopy(T.Target.Lambda, Slot.Root) &&
                     !sharedThroughCopy(Slot)
                 ? std::nullopt
                 : std::optional<ObjectPath>(Slot);
    const Expr *Arg = taskArgument(T, Slot.paramIndex());
    if (!Arg)
      return std::nullopt;
    // Only a reference wrapper, a pointer or a copy of a handle shares the
    // caller's object.
    const auto *Call = dyn_cast<CallExpr>(skipImplicit(Arg));
    bool Shared =
        (Call && isStdFunction(Call->getDirectCallee(), {"ref", "cref"})) ||
        cast<ParmVarDecl>(Slot.Root)->getType()->isPointerType() ||
        sharedThroughCopy(Slot);
    if (!Shared)
      return std::nullopt;
    std::optional<ObjectPath> Base = objectPathOf(skipMovesAndCopies(Arg));
    if (!Base)
      return std::nullopt;
    for (const FieldDecl *F : Slot.Fields)
      Base->Fields.push_back(F);
    return Base;
  }
  }
  return std::nullopt;
}

namespace {

/// The contexts of the live ASTContexts. clangd builds several ASTs at
/// once, so the registry is locked; each context is destroyed with its
/// ASTContext (ASTContext::addDestruction).
struct Registry {
  std::mutex Lock;
  std::map<std::pair<const ASTContext *, std::string>,
           std::unique_ptr<FlowContext>>
      Contexts;
};

Registry &registry() {
  static Registry *R = new Registry; // outlives every ASTContext
  return *R;
}

void forgetContext(void *Ctx) {
  Registry &R = registry();
  std::vector<std::unique_ptr<FlowContext>> Doomed; // destroyed unlocked
  std::lock_guard<std::mutex> Guard(R.Lock);
  for (auto It = R.Contexts.begin(); It != R.Contexts.end();) {
    if (It->first.first == Ctx) {
      Doomed.push_back(std::move(It->second));
      It = R.Contexts.erase(It);
    } else {
      ++It;
    }
  }
}

/// The executor a call hands \p Callable to: the object of a member call
/// (`pool.submit(f)`), else the first argument of a free function when it is
/// an object and not the callable (`asio::post(io, f)`,
/// `co_spawn(ctx, task(), detached)`); null for `schedule(f)`.
const Expr *executorOf(const Expr *Site, const Expr *Callable) {
  if (const Expr *Object = callSiteOf(Site).Object)
    return Object;
  const auto *Call = dyn_cast<CallExpr>(Site);
  if (!Call || Call->getNumArgs() < 2 || Call->getArg(0) == Callable)
    return nullptr;
  const Expr *First = Call->getArg(0);
  if (!First->getType()->isRecordType() || isCallableArgument(First))
    return nullptr;
  return First;
}

} // namespace

FlowContext &FlowContext::get(ASTContext &Ctx, const FlowOptions &Opts) {
  Registry &R = registry();
  std::lock_guard<std::mutex> Guard(R.Lock);
  bool FirstForCtx = true;
  auto Lower = R.Contexts.lower_bound({&Ctx, std::string()});
  if (Lower != R.Contexts.end() && Lower->first.first == &Ctx)
    FirstForCtx = false;
  std::unique_ptr<FlowContext> &Slot = R.Contexts[{&Ctx, Opts.key()}];
  if (!Slot) {
    Slot.reset(new FlowContext(Ctx, Opts));
    if (FirstForCtx)
      Ctx.AddDeallocation(&forgetContext, &Ctx);
  }
  return *Slot;
}

FlowContext::FlowContext(ASTContext &Ctx, const FlowOptions &Opts)
    : Ctx(Ctx), Opts(Opts), Escapes(Opts.ThreadTypes, Opts.EscapeFunctions),
      Locks(Opts.LockTypes),
      Channels(Opts.ChannelTypes, Opts.SendMethods, Opts.MatchChannelNames),
      Sync(Opts.WaitGroupTypes),
      Errors(Opts.ErrorTypes, Opts.CheckedFunctions, Opts.StatusHeuristic),
      Throws(Opts.AssertionMacros, Opts.TestCaseMacros), Summaries(*this),
      Examples(Opts.ExamplePaths) {}

FlowContext::~FlowContext() = default;

llvm::ArrayRef<UserDefinition> FlowContext::userDefinitions() {
  if (!Definitions)
    Definitions = collectUserDefinitions(Ctx);
  return *Definitions;
}

llvm::ArrayRef<const Expr *>
FlowContext::constructionsOf(const CXXRecordDecl *RD) {
  collectConstructions();
  auto It = Constructions->find(RD->getCanonicalDecl());
  if (It == Constructions->end())
    return {};
  return It->second;
}

llvm::SmallVector<const CXXRecordDecl *, 8> FlowContext::constructedClasses() {
  collectConstructions();
  llvm::SmallVector<const CXXRecordDecl *, 8> Out;
  for (const auto &[RD, Made] : *Constructions)
    if (const CXXRecordDecl *Def = RD->getDefinition())
      Out.push_back(Def);
  return Out;
}

void FlowContext::collectConstructions() {
  if (!Constructions) {
    Constructions.emplace();
    auto Add = [&](const CXXConstructorDecl *Ctor, const Expr *E,
                   unsigned NumArgs) {
      if (!Ctor || Ctor->isCopyOrMoveConstructor())
        return;
      (*Constructions)[Ctor->getParent()->getCanonicalDecl()].push_back(
          NumArgs == Ctor->getNumParams() ? E : nullptr);
    };
    std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
      if (!S)
        return;
      if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
        Add(CE->getConstructor(), CE, CE->getNumArgs());
      else if (const auto *Call = dyn_cast<CallExpr>(S))
        Add(constructorMadeBy(Call), Call, Call->getNumArgs());
      for (const Stmt *C : S->children())
        Walk(C);
    };
    for (UserDefinition D : userDefinitions()) {
      if (const auto *FD = D.dyn_cast<const FunctionDecl *>()) {
        if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
          for (const CXXCtorInitializer *Init : Ctor->inits())
            Walk(Init->getInit());
        Walk(FD->getBody());
      } else if (const auto *F = D.dyn_cast<const FieldDecl *>()) {
        Walk(F->getInClassInitializer());
      } else if (const auto *V = D.dyn_cast<const VarDecl *>()) {
        Walk(V->getInit());
      }
    }
  }
}

const TestCode &FlowContext::tests() {
  if (!Tests) {
    Tests.emplace(Opts.TestCaseMacros, Opts.TestPaths);
    std::vector<const FunctionDecl *> Functions;
    for (UserDefinition D : userDefinitions())
      if (const auto *Fn = D.dyn_cast<const FunctionDecl *>())
        Functions.push_back(Fn);
    Tests->addFunctions(Functions, Ctx.getSourceManager());
  }
  return *Tests;
}

bool FlowContext::isTestCode(const FunctionDecl *FD) {
  return tests().contains(FD, Ctx.getSourceManager());
}

bool FlowContext::isTestCase(const FunctionDecl *FD) {
  return tests().isTestCase(FD, Ctx.getSourceManager());
}

bool FlowContext::isExampleCode(const FunctionDecl *FD) const {
  FD = outsideLambdas(FD);
  return FD &&
         Examples.containsLocation(FD->getLocation(), Ctx.getSourceManager());
}

const FlowGraph *FlowContext::graph(const Decl *D) {
  if (!D || !D->hasBody())
    return nullptr;
  auto [It, Inserted] = Graphs.try_emplace(D);
  if (Inserted)
    It->second = FlowGraph::build(D, Ctx);
  return It->second.get();
}

llvm::SmallVector<TaskStart, 1> FlowContext::taskStarts(const Expr *E) {
  llvm::SmallVector<TaskStart, 1> Out;
  if (!E)
    return Out;
  for (const EscapeSite &ES : Escapes.escapes(E)) {
    // An executor's name on a function of the translation unit that only
    // calls the callable it is given, or on one whose body is not seen that
    // is lent a local object holding it: a call.
    if (ES.Kind == EscapeKind::ExecutorCall)
      if (const auto *Call = dyn_cast<CallExpr>(ES.Site)) {
        const FunctionDecl *Def = nullptr;
        const FunctionDecl *Callee = Call->getDirectCallee();
        const ParmVarDecl *P = nullptr;
        bool Lent = false;
        for (unsigned I = 0, N = Call->getNumArgs(); I != N && !P; ++I)
          if (Call->getArg(I) == ES.Callable) {
            P = paramForArg(Call, I);
            Lent = lendsLocalToOpaqueCall(Call, I);
          }
        if (Lent || (P && Callee && Callee->hasBody(Def) &&
                     onlyCallsParam(Def, P->getFunctionScopeIndex())))
          continue;
      }
    TaskStart T;
    T.Site = ES.Site;
    T.Callable = ES.Callable;
    switch (ES.Kind) {
    case EscapeKind::ThreadConstructor: {
      QualType Thread = ES.Site->getType();
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(ES.Site))
        Thread = MC->getImplicitObjectArgument()->getType();
      else if (const auto *Call = dyn_cast<CallExpr>(ES.Site))
        threads().madeCallable(Call, &Thread);
      T.Kind = threads().isSelfJoiningThread(Thread) ||
                       threads().isContainerOfSelfJoiningThreads(Thread)
                   ? TaskKind::JoiningThread
                   : TaskKind::Thread;
      break;
    }
    case EscapeKind::Async:
      T.Kind = TaskKind::Async;
      break;
    case EscapeKind::ExecutorCall:
      T.Kind = TaskKind::Executor;
      T.Executor = executorOf(ES.Site, ES.Callable);
      if (!T.Executor)
        T.Executor = activeObjectArgument(ES.Site, callSiteOf(ES.Site).Callee,
                                          threads());
      break;
    }
    // The object of a member function pointer: the argument after it.
    const Expr *Next = nullptr;
    if (const auto *CE = dyn_cast<CXXConstructExpr>(ES.Site)) {
      for (unsigned I = 0; I + 1 < CE->getNumArgs(); ++I)
        if (CE->getArg(I) == ES.Callable)
          Next = CE->getArg(I + 1);
    } else if (const auto *Call = dyn_cast<CallExpr>(ES.Site)) {
      for (unsigned I = 0; I + 1 < Call->getNumArgs(); ++I)
        if (Call->getArg(I) == ES.Callable)
          Next = Call->getArg(I + 1);
    }
    T.Target = Callables.resolve(ES.Callable, Next);
    Out.push_back(T);
  }
  if (!Out.empty())
    return Out;
  // A user function that runs its callable argument on another thread. Only
  // a call that passes a callable can (the summary is not computed for the
  // others).
  llvm::ArrayRef<const Expr *> Args;
  if (const auto *Call = dyn_cast<CallExpr>(E))
    Args = llvm::ArrayRef(Call->getArgs(), Call->getNumArgs());
  else if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    Args = llvm::ArrayRef(CE->getArgs(), CE->getNumArgs());
  if (llvm::none_of(Args, [](const Expr *A) {
        return !isa<CXXDefaultArgExpr>(A) && isCallableArgument(A);
      }))
    return Out;
  CallSite Site = callSiteOf(E);
  const FunctionDecl *Def = nullptr;
  if (!Site.Callee || !Site.Callee->hasBody(Def) ||
      Ctx.getSourceManager().isInSystemHeader(Def->getLocation()))
    return Out;
  const FunctionSummary *S = Summaries.get(Def, CallableFamily);
  if (!S)
    return Out;
  for (const SlotEffect &SE : S->Slots) {
    if (SE.Slot.Kind != RootKind::Param || !SE.Slot.Fields.empty() ||
        !(SE.Effects & RunsElsewhere))
      continue;
    unsigned Index = SE.Slot.paramIndex();
    const Expr *Arg = nullptr;
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      unsigned I = Index + firstCallArgument(Call);
      Arg = I < Call->getNumArgs() ? Call->getArg(I) : nullptr;
    } else if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      Arg = Index < CE->getNumArgs() ? CE->getArg(Index) : nullptr;
    }
    if (!Arg || isa<CXXDefaultArgExpr>(Arg))
      continue;
    TaskStart T;
    T.Kind = TaskKind::Spawner;
    T.Site = E;
    T.Callable = Arg;
    T.Executor = executorOf(E, Arg);
    // A helper that sends the callable to the active object it is given
    // (`spawn(f, worker)`): that object is the executor.
    if (!T.Executor)
      T.Executor = activeObjectArgument(E, Def, threads());
    T.Target = Callables.resolve(Arg);
    Out.push_back(T);
  }
  return Out;
}

bool FlowContext::onlyCallsParam(const FunctionDecl *Def, unsigned Index) {
  if (!Def || !Def->hasBody() || Index >= Def->getNumParams() ||
      Ctx.getSourceManager().isInSystemHeader(Def->getLocation()))
    return false;
  const FunctionSummary *S = Summaries.get(Def, CallableFamily);
  if (!S)
    return false;
  for (const SlotEffect &SE : S->Slots)
    if (SE.Slot.Kind == RootKind::Param && SE.Slot.Fields.empty() &&
        SE.Slot.paramIndex() == static_cast<int>(Index))
      return (SE.Effects & RunsHere) &&
             !(SE.Effects & (RunsElsewhere | StoresCallable));
  return false;
}

bool FlowContext::blocksCaller(const FunctionDecl *FD) {
  FD = FD ? definitionOf(FD) : nullptr;
  if (!FD)
    return false;
  auto [It, New] = Blocking.try_emplace(FD, false);
  if (!New)
    return It->second;
  bool Blocks = computeBlocksCaller(*this, FD);
  Blocking[FD] = Blocks;
  return Blocks;
}

} // namespace pitfall
