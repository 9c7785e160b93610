//===--- Callables.cpp ----------------------------------------------------===//
#include "pitfall/Flow/Callables.h"

#include "pitfall/Core/Escape.h"
#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/Lifetimes.h"
#include "pitfall/Core/NameList.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace pitfall {

/// The specialization of a function template \p FT when there is exactly
/// one (a generic lambda called with one set of argument types), else the
/// pattern.
static const FunctionDecl *onlySpecialization(const FunctionTemplateDecl *FT) {
  const FunctionDecl *Only = nullptr;
  for (const FunctionDecl *Spec : FT->specializations()) {
    if (Only)
      return FT->getTemplatedDecl();
    Only = Spec;
  }
  return Only ? Only : FT->getTemplatedDecl();
}

const FunctionDecl *callOperatorOf(const CXXRecordDecl *RD) {
  if (!RD || !RD->hasDefinition())
    return nullptr;
  RD = RD->getDefinition();
  if (RD->isLambda()) {
    if (const FunctionTemplateDecl *FT = RD->getDependentLambdaCallOperator())
      return onlySpecialization(FT);
    return RD->getLambdaCallOperator();
  }
  const FunctionDecl *Found = nullptr;
  for (const Decl *D : RD->decls()) {
    const FunctionDecl *Candidate = nullptr;
    if (const auto *M = dyn_cast<CXXMethodDecl>(D))
      Candidate = M;
    else if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D))
      Candidate = onlySpecialization(FT);
    if (!Candidate || Candidate->getOverloadedOperator() != OO_Call)
      continue;
    if (Found)
      return nullptr; // overloaded: which one runs depends on the arguments
    Found = Candidate;
  }
  return Found;
}

/// std::function, std::move_only_function, std::copyable_function,
/// std::packaged_task, boost::function: wrappers that run what they hold.
static bool isCallableWrapper(const CXXRecordDecl *RD) {
  static const NameList Wrappers(
      "::std::function;::std::move_only_function;::std::copyable_function;"
      "::std::packaged_task;::boost::function;::std::function_ref");
  return RD && Wrappers.matches(RD);
}

static bool sameTarget(const CallableTarget &A, const CallableTarget &B) {
  return A.Fn == B.Fn;
}

/// True for an empty callable wrapper: `std::function<void()> f;`,
/// `f = nullptr;`. It runs nothing, so it does not compete with the values
/// assigned later.
static bool isEmptyWrapper(const Expr *E) {
  E = skipImplicit(E);
  if (isa<CXXNullPtrLiteralExpr>(E))
    return true;
  const auto *CE = dyn_cast<CXXConstructExpr>(E);
  if (!CE || !isCallableWrapper(CE->getType()->getAsCXXRecordDecl()))
    return false;
  return CE->getNumArgs() == 0 || isa<CXXDefaultArgExpr>(CE->getArg(0)) ||
         isa<CXXNullPtrLiteralExpr>(skipImplicit(CE->getArg(0)));
}

/// The coroutine a call starts, when the callee is one: its frame holds the
/// arguments (and a lambda's captures) and its body runs when the returned
/// object is resumed, awaited or spawned.
static const FunctionDecl *coroutineCallee(const CallExpr *Call) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  const FunctionDecl *Def = nullptr;
  if (!Callee || !Callee->hasBody(Def) ||
      !isa_and_nonnull<CoroutineBodyStmt>(Def->getBody()))
    return nullptr;
  return Def;
}

CallableTarget CallableResolver::resolve(const Expr *E,
                                         const Expr *NextArg) const {
  return resolve(E, NextArg, MaxCallableHops);
}

CallableTarget CallableResolver::resolve(const Expr *E, const Expr *NextArg,
                                         unsigned Hops) const {
  for (unsigned Steps = 0; E && Steps != 16; ++Steps) {
    E = skipImplicit(E);
    if (const Expr *Moved = movedOperand(E)) {
      E = Moved;
      continue;
    }
    if (const Expr *Packaged = packagedCallable(E)) {
      E = Packaged;
      continue;
    }
    if (const auto *L = dyn_cast<LambdaExpr>(E)) {
      CallableTarget T;
      T.Lambda = L;
      T.Fn = callOperatorOf(L->getLambdaClass());
      return T;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      const CXXConstructorDecl *Ctor = CE->getConstructor();
      const CXXRecordDecl *RD = CE->getType()->getAsCXXRecordDecl();
      if (Ctor && Ctor->isCopyOrMoveConstructor() && CE->getNumArgs() >= 1) {
        E = CE->getArg(0);
        continue;
      }
      if (isCallableWrapper(RD)) {
        if (CE->getNumArgs() == 0 || isa<CXXDefaultArgExpr>(CE->getArg(0)))
          return {};
        E = CE->getArg(0);
        continue;
      }
      // A function object built on the spot: `std::thread t(Worker{});`.
      CallableTarget T;
      T.Fn = callOperatorOf(RD);
      return T;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (Call->getNumArgs() >= 1 &&
          isStdFunction(Callee, {"ref", "cref", "mem_fn"})) {
        E = Call->getArg(0);
        continue;
      }
      if (Call->getNumArgs() >= 1 &&
          isStdFunction(Callee, {"bind", "bind_front", "bind_back"})) {
        NextArg = Call->getNumArgs() >= 2 ? Call->getArg(1) : nullptr;
        E = Call->getArg(0);
        continue;
      }
      // A coroutine called on the spot: `[&]() -> task<> { ... }()`.
      if (const FunctionDecl *Coro = coroutineCallee(Call)) {
        CallableTarget T;
        if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call);
            OC && OC->getOperator() == OO_Call && OC->getNumArgs() > 0)
          T = resolve(OC->getArg(0), nullptr, Hops);
        if (T.Fn != Coro && T.Fn != Coro->getTemplateInstantiationPattern())
          T = CallableTarget();
        T.Fn = Coro;
        return T;
      }
      // std::make_shared<std::packaged_task<R()>>(f) and friends.
      if (Call->getNumArgs() >= 1 &&
          isStdFunction(Callee,
                        {"make_shared", "make_unique", "allocate_shared"})) {
        const CXXRecordDecl *Made =
            recordOf(Call->getType(), /*ThroughPointers=*/true);
        const auto *Spec =
            dyn_cast_or_null<ClassTemplateSpecializationDecl>(Made);
        const CXXRecordDecl *Pointee = nullptr;
        if (Spec && Spec->getTemplateArgs().size() >= 1 &&
            Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
          Pointee =
              Spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl();
        if (!isCallableWrapper(Pointee))
          return {};
        E = Call->getArg(0);
        continue;
      }
      return {};
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_AddrOf && UO->getOpcode() != UO_Deref)
        return {};
      E = UO->getSubExpr();
      continue;
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *M = dyn_cast<CXXMethodDecl>(Ref->getDecl());
          M && !M->isStatic()) {
        CallableTarget T;
        T.Fn = M;
        T.BoundObject = NextArg;
        return T;
      }
      if (const auto *FD = dyn_cast<FunctionDecl>(Ref->getDecl())) {
        CallableTarget T;
        T.Fn = FD;
        return T;
      }
      if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
          V && V->hasLocalStorage() && !isa<ParmVarDecl>(V) && Hops > 0) {
        if (CallableTarget T = ofVariable(V))
          return T;
      }
      break;
    }
    break;
  }
  // A ParenListExpr (dependent code) has no type.
  if (!E || E->getType().isNull())
    return {};
  // An element of a local container: `for (auto &job : jobs) std::thread(job)`.
  if (std::optional<ObjectPath> P = objectPathOf(E);
      P && P->Element && P->Fields.empty() && P->Kind == RootKind::Local &&
      Hops > 0)
    if (const auto *V = dyn_cast<VarDecl>(P->Root))
      if (CallableTarget T = ofElements(V))
        return T;
  // An object of a class with one operator(): `Worker w; std::thread t(w);`.
  CallableTarget T;
  T.Fn = callOperatorOf(
      recordOf(E->getType().getNonReferenceType(), /*ThroughPointers=*/true));
  if (const auto *M = dyn_cast_or_null<CXXMethodDecl>(T.Fn);
      M && isCallableWrapper(M->getParent()))
    T.Fn = nullptr;
  return T;
}

CallableTarget CallableResolver::ofVariable(const VarDecl *V) const {
  if (auto It = Vars.find(V); It != Vars.end())
    return It->second;
  Vars[V] = {}; // cycles: `f = g; g = f;`
  CallableTarget Result;
  bool Conflict = false;
  auto Consider = [&](const Expr *Value) {
    if (isEmptyWrapper(Value))
      return;
    CallableTarget T = resolve(Value, nullptr, MaxCallableHops - 1);
    if (!T) {
      Conflict = true;
      return;
    }
    if (Result && !sameTarget(Result, T))
      Conflict = true;
    else
      Result = T;
  };
  if (V->getInit())
    Consider(V->getInit());
  // Assignments in the function that declares it.
  const auto *Owner = dyn_cast<FunctionDecl>(V->getDeclContext());
  if (const Stmt *Body = Owner ? Owner->getBody() : nullptr) {
    llvm::SmallVector<const Stmt *, 32> Work{Body};
    while (!Work.empty() && !Conflict) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      if (std::optional<AssignmentOperands> A = assignmentOperands(S);
          A && namedVariable(A->Target) == V)
        Consider(A->Value);
      llvm::append_range(Work, S->children());
    }
  }
  if (Conflict)
    Result = {};
  Vars[V] = Result;
  return Result;
}

CallableTarget CallableResolver::ofElements(const VarDecl *C) const {
  if (auto It = Elements.find(C); It != Elements.end())
    return It->second;
  Elements[C] = {}; // cycles
  CallableTarget Result;
  bool Conflict = false, Any = false;
  auto Consider = [&](const Expr *Value) {
    Any = true;
    CallableTarget T = resolve(Value, nullptr, MaxCallableHops - 1);
    if (!T || (Result && !sameTarget(Result, T)))
      Conflict = true;
    else
      Result = T;
  };
  // What the function that declares the container puts into it: the
  // callable arguments of its storing members (push_back, emplace, insert,
  // ...) and the values assigned to its elements.
  const auto *Owner = dyn_cast<FunctionDecl>(C->getDeclContext());
  if (const Stmt *Body = Owner ? Owner->getBody() : nullptr) {
    llvm::SmallVector<const Stmt *, 32> Work{Body};
    while (!Work.empty() && !Conflict) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      llvm::append_range(Work, S->children());
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
        const CXXMethodDecl *M = MC->getMethodDecl();
        if (!M || !M->getIdentifier() || !isStoringMemberName(M->getName()) ||
            namedVariable(MC->getImplicitObjectArgument()) != C)
          continue;
        for (const Expr *Arg : MC->arguments())
          if (isCallableArgument(Arg))
            Consider(Arg);
      } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
                 OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
        std::optional<ObjectPath> P = objectPathOf(OC->getArg(0));
        if (P && P->Element && P->Fields.empty() && P->Root == C)
          Consider(OC->getArg(1));
      }
    }
  }
  if (Conflict || !Any)
    Result = {};
  Elements[C] = Result;
  return Result;
}

CallableTarget CallableResolver::indirectCallee(const CallExpr *Call) const {
  CallableTarget T;
  // What a dependent call runs is known in the instantiations only.
  if (!Call || Call->getCallee()->isTypeDependent())
    return T;
  const FunctionDecl *Callee = Call->getDirectCallee();
  // f(args) on a std::function, a std::packaged_task, ...
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Call)) {
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(Callee);
    if (OC->getOperator() != OO_Call || !M || OC->getNumArgs() == 0 ||
        !isCallableWrapper(M->getParent()))
      return T;
    T = resolve(OC->getArg(0));
    T.ArgumentsAligned = !T.BoundObject;
    return T;
  }
  // (obj.*pmf)(args), (ptr->*pmf)(args).
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    const auto *BO = dyn_cast<BinaryOperator>(MC->getCallee()->IgnoreParens());
    if (!BO || !BO->isPtrMemOp())
      return T;
    T = resolve(BO->getRHS());
    T.BoundObject = BO->getLHS();
    T.ArgumentsAligned = true;
    return T;
  }
  // std::invoke(f, args...), std::invoke_r<R>(f, args...).
  if (isStdFunction(Callee, {"invoke", "invoke_r"})) {
    if (Call->getNumArgs() == 0)
      return T;
    T = resolve(Call->getArg(0),
                Call->getNumArgs() > 1 ? Call->getArg(1) : nullptr);
    T.ArgumentsAligned = false;
    return T;
  }
  // A function pointer: fp(args).
  if (!Callee && !isa<CXXMemberCallExpr>(Call)) {
    T = resolve(Call->getCallee());
    T.ArgumentsAligned = !T.BoundObject;
  }
  return T;
}

} // namespace pitfall
