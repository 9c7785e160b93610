//===--- Channels.cpp -----------------------------------------------------===//
#include "pitfall/Core/Channels.h"
#include "pitfall/Core/ExprUtil.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSwitch.h"

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

/// Whether \p M closes its own object: it needs no argument, the same rule
/// as classifyMethod's for a close() call. A close() that needs an operand
/// closes what it is given (a service's `close(implementation_type &)`),
/// not its object.
static bool closesItself(const CXXMethodDecl *M) {
  return M->getMinRequiredArguments() == 0;
}

/// The data members of its object that \p M's body writes or deletes.
static llvm::SmallPtrSet<const FieldDecl *, 4>
releasedFields(const FunctionDecl *M) {
  llvm::SmallPtrSet<const FieldDecl *, 4> Out;
  forEachWrittenField(M->getBody(), [&](const FieldDecl *F) { Out.insert(F); });
  walkOutsideLambdas(M->getBody(), LambdaBodies::Skip, [&](const Stmt *S) {
    if (const auto *Del = dyn_cast<CXXDeleteExpr>(S))
      if (const FieldDecl *F = thisField(Del->getArgument()))
        Out.insert(F);
    return true;
  });
  return Out;
}

/// Whether \p Open, a no-argument `open()` / `reopen()` of a channel class
/// (a resource its own close() releases and open() makes again: Poco's
/// FileChannel), opens its object again. When the bodies of both and of
/// the class's close() are in the translation unit, it must re-create what
/// close() releases: write (or delete) a data member close() writes or
/// deletes. When either is elsewhere, the pair of the class's own names is
/// all there is to go on.
static bool reopensItself(const CXXMethodDecl *Open) {
  if (Open->getMinRequiredArguments() != 0 || Open->isConst())
    return false;
  const FunctionDecl *OpenDef = nullptr;
  for (const CXXMethodDecl *Close : Open->getParent()->methods()) {
    const FunctionDecl *CloseDef = nullptr;
    if (!Close->getIdentifier() || Close->getName() != "close" ||
        !closesItself(Close))
      continue;
    if (!Open->hasBody(OpenDef) || !Close->hasBody(CloseDef))
      return true;
    llvm::SmallPtrSet<const FieldDecl *, 4> Released = releasedFields(CloseDef);
    return llvm::any_of(releasedFields(OpenDef), [&](const FieldDecl *F) {
      return Released.contains(F);
    });
  }
  // close() inherited: nothing to compare with.
  return true;
}

static bool hasCloseMethod(const CXXRecordDecl *RD) {
  auto IsClose = [](const CXXRecordDecl *R) {
    for (const CXXMethodDecl *M : R->methods())
      if (M->getIdentifier() && M->getName() == "close" && closesItself(M))
        return true;
    // Member templates and using-declarations.
    for (const Decl *D : R->decls()) {
      const auto *ND = dyn_cast<NamedDecl>(D);
      if (!ND || !ND->getIdentifier() || ND->getName() != "close")
        continue;
      if (const auto *FT = dyn_cast<FunctionTemplateDecl>(ND)) {
        if (const auto *M = dyn_cast<CXXMethodDecl>(FT->getTemplatedDecl());
            M && closesItself(M))
          return true;
      } else if (isa<UsingDecl>(ND)) {
        return true;
      }
    }
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
  if (Op == ChannelOp::None && (Name == "open" || Name == "reopen") &&
      reopensItself(M))
    return ChannelOp::Reset;
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

} // namespace pitfall
