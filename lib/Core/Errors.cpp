//===--- Errors.cpp - which results carry errors --------------------------===//
#include "pitfall/Core/Errors.h"

#include "pitfall/Core/ExprUtil.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace pitfall {

ErrorRecognizer::ErrorRecognizer(llvm::StringRef ErrorTypesOption,
                                 llvm::StringRef CheckedFunctionsOption,
                                 bool StatusHeuristic)
    : ErrorTypes(ErrorTypesOption), StatusHeuristic(StatusHeuristic) {
  NameList Checked(CheckedFunctionsOption);
  std::string Qualified;
  for (const std::string &P : Checked.patterns()) {
    llvm::StringRef S(P);
    if (S.contains("::")) {
      if (!Qualified.empty())
        Qualified += ';';
      Qualified += P;
    } else if (S.consume_back("*")) {
      PrefixChecked.push_back(S.str());
    } else {
      ExactChecked.push_back(P);
    }
  }
  QualifiedChecked = NameList(Qualified);
}

llvm::StringRef errorKindName(ErrorKind K) {
  switch (K) {
  case ErrorKind::None:
    return "value";
  case ErrorKind::ErrorCode:
    return "error code";
  case ErrorKind::Expected:
    return "error-or-value result";
  case ErrorKind::StatusLike:
    return "status";
  case ErrorKind::CharsResult:
    return "conversion result";
  case ErrorKind::AsyncFuture:
    return "future";
  case ErrorKind::CheckedInt:
    return "failure status";
  }
  llvm_unreachable("unknown ErrorKind");
}

/// std::error_code and friends, by their scope components.
static ErrorKind builtinKind(llvm::ArrayRef<llvm::StringRef> C) {
  if (C.size() == 2 && C[0] == "std")
    return llvm::StringSwitch<ErrorKind>(C[1])
        .Case("error_code", ErrorKind::ErrorCode)
        .Case("error_condition", ErrorKind::ErrorCode)
        .Case("from_chars_result", ErrorKind::CharsResult)
        .Case("to_chars_result", ErrorKind::CharsResult)
        .Default(ErrorKind::None);
  if (C.size() == 3 && C[0] == "boost" && C[1] == "system" &&
      (C[2] == "error_code" || C[2] == "error_condition"))
    return ErrorKind::ErrorCode;
  return ErrorKind::None;
}

/// Class names the status heuristic accepts: ...Status, ...Result, ...Error,
/// ...Expected, ...Outcome, in any case.
static bool hasStatusLikeName(llvm::StringRef Name) {
  return Name.ends_with_insensitive("status") ||
         Name.ends_with_insensitive("statusor") ||
         Name.ends_with_insensitive("result") ||
         Name.ends_with_insensitive("error") ||
         Name.ends_with_insensitive("expected") ||
         Name.ends_with_insensitive("outcome");
}

static bool isSuccessTestName(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Case("ok", true)
      .Case("is_ok", true)
      .Case("isOk", true)
      .Case("IsOk", true)
      .Case("Ok", true)
      .Case("has_value", true)
      .Case("hasValue", true)
      .Case("has_error", true)
      .Case("hasError", true)
      .Case("failed", true)
      .Case("succeeded", true)
      .Case("is_error", true)
      .Case("isError", true)
      .Case("has_failure", true)
      .Default(false);
}

/// True if \p RD (or a base) has a success test: a named test method or a
/// conversion to bool.
static bool hasSuccessTest(const CXXRecordDecl *RD, unsigned Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 4)
    return false;
  RD = RD->getDefinition();
  for (const CXXMethodDecl *M : RD->methods()) {
    if (const auto *Conv = dyn_cast<CXXConversionDecl>(M)) {
      if (Conv->getConversionType()->isBooleanType())
        return true;
      continue;
    }
    if (const IdentifierInfo *II = M->getIdentifier())
      if (isSuccessTestName(II->getName()))
        return true;
  }
  // Templated members (e.g. a templated operator bool) are rare; bases are
  // where Status classes usually keep their test.
  for (const CXXBaseSpecifier &B : RD->bases())
    if (hasSuccessTest(B.getType()->getAsCXXRecordDecl(), Depth + 1))
      return true;
  return false;
}

ErrorKind ErrorRecognizer::classifyRecord(const CXXRecordDecl *RD) const {
  auto Components = qualifiedComponents(RD);
  ErrorKind K = builtinKind(Components);
  if (K != ErrorKind::None)
    return K;
  if (ErrorTypes.matches(RD))
    return ErrorKind::Expected;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    if (ErrorTypes.matches(Spec->getSpecializedTemplate()))
      return ErrorKind::Expected;
  if (!StatusHeuristic || Components.empty() || Components.front() == "std")
    return ErrorKind::None;
  const IdentifierInfo *II = RD->getIdentifier();
  if (!II || !hasStatusLikeName(II->getName()))
    return ErrorKind::None;
  return hasSuccessTest(RD) ? ErrorKind::StatusLike : ErrorKind::None;
}

ErrorKind ErrorRecognizer::typeKind(QualType T) const {
  if (T.isNull() || T->isDependentType())
    return ErrorKind::None;
  T = T.getNonReferenceType();
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return ErrorKind::None;
  RD = RD->getCanonicalDecl();
  auto [It, Inserted] = RecordCache.try_emplace(RD, ErrorKind::None);
  if (Inserted)
    It->second = classifyRecord(RD);
  return It->second;
}

bool ErrorRecognizer::isErrorEnum(QualType T) {
  if (T.isNull())
    return false;
  const auto *ET = T.getNonReferenceType()->getAs<EnumType>();
  if (!ET)
    return false;
  auto C = qualifiedComponents(ET->getDecl());
  if (C.size() == 2 && C[0] == "std")
    return C[1] == "errc" || C[1] == "io_errc" || C[1] == "future_errc";
  return C.size() == 4 && C[0] == "boost" && C[1] == "system" &&
         C[2] == "errc" && C[3] == "errc_t";
}

/// Functions of the prefix entries that do not report failure.
static bool isPrefixException(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Case("pthread_equal", true)
      .Case("pthread_self", true)
      .Case("pthread_testcancel", true)
      .Default(false);
}

bool ErrorRecognizer::isCheckedFunction(const FunctionDecl *FD) const {
  if (!FD)
    return false;
  FD = FD->getCanonicalDecl();
  auto [It, Inserted] = CheckedCache.try_emplace(FD, false);
  if (!Inserted)
    return It->second;
  bool Result = false;
  if (!isa<CXXMethodDecl>(FD) && FD->getReturnType()->isIntegerType()) {
    if (QualifiedChecked.matches(FD)) {
      Result = true;
    } else if (const IdentifierInfo *II = FD->getIdentifier()) {
      const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
      bool CLevel =
          FD->isExternC() || DC->isTranslationUnit() || (DC->isStdNamespace());
      llvm::StringRef Name = II->getName();
      if (CLevel)
        Result = llvm::is_contained(ExactChecked, Name) ||
                 (llvm::any_of(
                      PrefixChecked,
                      [&](llvm::StringRef P) { return Name.starts_with(P); }) &&
                  !isPrefixException(Name));
    }
  }
  CheckedCache[FD] = Result;
  return Result;
}

/// The POSIX synchronisation functions that, with default attributes, fail
/// only on misuse whatever their arguments: 1; those that do so only when
/// given a null attributes pointer as their second argument: 2; others: 0.
static unsigned misuseOnlyForm(llvm::StringRef Name) {
  static constexpr llvm::StringLiteral Always[] = {
      "pthread_mutex_lock", "pthread_mutex_unlock", "pthread_mutex_destroy",
      "pthread_rwlock_rdlock", "pthread_rwlock_wrlock", "pthread_rwlock_unlock",
      "pthread_rwlock_destroy", "pthread_cond_signal", "pthread_cond_broadcast",
      "pthread_cond_wait", "pthread_cond_destroy", "pthread_spin_lock",
      "pthread_spin_unlock", "pthread_spin_destroy", "pthread_barrier_destroy",
      "pthread_key_delete", "pthread_attr_destroy", "pthread_mutexattr_destroy",
      "pthread_condattr_destroy", "pthread_rwlockattr_destroy",
      "pthread_barrierattr_destroy", "sem_post",
      // EINVAL (an invalid control or routine) is the one error POSIX
      // lists, and glibc never fails.
      "pthread_once",
      // EINVAL (a value that is no cancel state or type), ESRCH (a thread
      // that does not exist): the only errors POSIX lists.
      "pthread_setcancelstate", "pthread_setcanceltype", "pthread_cancel"};
  static constexpr llvm::StringLiteral WithDefaultAttributes[] = {
      "pthread_mutex_init", "pthread_cond_init", "pthread_rwlock_init"};
  if (llvm::is_contained(Always, Name))
    return 1;
  return llvm::is_contained(WithDefaultAttributes, Name) ? 2 : 0;
}

bool ErrorRecognizer::failsOnlyOnMisuse(const CallExpr *Call) const {
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier() || !isCheckedFunction(FD))
    return false;
  switch (misuseOnlyForm(FD->getName())) {
  case 1:
    return true;
  case 2:
    return Call->getNumArgs() == 2 &&
           Call->getArg(1)->IgnoreParenImpCasts()->isNullPointerConstant(
               FD->getASTContext(), Expr::NPC_ValueDependentIsNotNull);
  default:
    return false;
  }
}

bool ErrorRecognizer::failsOnlyWithoutMemory(const CallExpr *Call) const {
  static constexpr llvm::StringLiteral OutOfMemoryOnly[] = {
      "pthread_attr_init",
      "pthread_mutexattr_init",
      "pthread_condattr_init",
      "pthread_rwlockattr_init",
      "pthread_barrierattr_init",
      "pthread_setspecific",
      "pthread_atfork"};
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  return FD && FD->getIdentifier() && isCheckedFunction(FD) &&
         llvm::is_contained(OutOfMemoryOnly, FD->getName());
}

static bool isStdAsync(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier() || FD->getName() != "async")
    return false;
  return FD->getDeclContext()->getRedeclContext()->isStdNamespace();
}

ErrorKind ErrorRecognizer::callKind(const CallExpr *Call) const {
  if (!Call || Call->isTypeDependent() || !Call->isPRValue())
    return ErrorKind::None;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (isStdAsync(FD))
    return ErrorKind::AsyncFuture;
  QualType T = Call->getType();
  if (T->isVoidType())
    return ErrorKind::None;
  if (T->isIntegerType())
    return isCheckedFunction(FD) ? ErrorKind::CheckedInt : ErrorKind::None;
  return typeKind(T);
}

std::optional<ErrorRecognizer::ErrorTest>
ErrorRecognizer::errorTest(const Expr *Cond) const {
  bool Negated = false;
  for (;;) {
    if (!Cond)
      return std::nullopt;
    Cond = Cond->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
        UO && UO->getOpcode() == UO_LNot) {
      Negated = !Negated;
      Cond = UO->getSubExpr();
    } else if (const auto *Cast = dyn_cast<ExplicitCastExpr>(Cond);
               Cast && Cast->getType()->isBooleanType()) {
      Cond = Cast->getSubExpr();
    } else {
      break;
    }
  }
  // `if (ec)` is a call of error_code's explicit operator bool; boost's
  // error_code also has failed().
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  if (!M || !isErrorCode(MC->getImplicitObjectArgument()->getType()))
    return std::nullopt;
  bool Test =
      isa<CXXConversionDecl>(M)
          ? cast<CXXConversionDecl>(M)->getConversionType()->isBooleanType()
          : M->getIdentifier() && M->getName() == "failed";
  if (!Test)
    return std::nullopt;
  return ErrorTest{MC->getImplicitObjectArgument(), !Negated};
}

/// True if \p E, a member's initial value, is its null state: null, zero,
/// false, value-initialised, or a default-constructed class.
static bool isNullStateValue(const Expr *E, const ASTContext &Ctx) {
  E = E->IgnoreImplicit()->IgnoreParens();
  if (isa<CXXScalarValueInitExpr, ImplicitValueInitExpr, CXXNullPtrLiteralExpr,
          GNUNullExpr>(E))
    return true;
  if (const auto *IL = dyn_cast<InitListExpr>(E))
    return IL->getNumInits() == 0 ||
           (IL->getNumInits() == 1 && isNullStateValue(IL->getInit(0), Ctx));
  // A class default-constructed, or made from nullptr (a smart pointer, a
  // std::function: their empty state).
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return (CE->getNumArgs() == 0 &&
            CE->getConstructor()->isDefaultConstructor()) ||
           (CE->getNumArgs() == 1 &&
            isa<CXXNullPtrLiteralExpr>(
                CE->getArg(0)->IgnoreImplicit()->IgnoreParens()));
  if (E->isValueDependent())
    return false;
  if (E->isNullPointerConstant(const_cast<ASTContext &>(Ctx),
                               Expr::NPC_ValueDependentIsNotNull))
    return true;
  bool B = true;
  if (E->getType()->isBooleanType())
    return E->EvaluateAsBooleanCondition(B, Ctx) && !B;
  Expr::EvalResult R;
  return E->getType()->isIntegralOrEnumerationType() &&
         E->EvaluateAsInt(R, Ctx) && R.Val.getInt().isZero();
}

bool ErrorRecognizer::defaultIsNullState(const CXXConstructorDecl *Ctor,
                                         unsigned Depth) const {
  const FunctionDecl *Def = nullptr;
  if (!Ctor || Depth > 4)
    return false;
  const CXXRecordDecl *RD = Ctor->getParent();
  bool UserProvided = Ctor->isUserProvided();
  if (UserProvided) {
    if (!Ctor->hasBody(Def))
      return false;
    const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
    if (!Body || !Body->body_empty())
      return false;
    Ctor = cast<CXXConstructorDecl>(Def);
  }
  const ASTContext &Ctx = RD->getASTContext();
  // The written initialisers of a user-provided constructor.
  llvm::DenseMap<const FieldDecl *, const Expr *> Written;
  if (UserProvided)
    for (const CXXCtorInitializer *Init : Ctor->inits()) {
      if (!Init->isWritten())
        continue;
      if (Init->isBaseInitializer() || Init->isDelegatingInitializer())
        return false;
      if (const FieldDecl *F = Init->getMember())
        Written[F] = Init->getInit();
    }
  for (const CXXBaseSpecifier &B : RD->bases()) {
    const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl();
    if (!Base || !Base->hasDefinition())
      return false;
    const CXXConstructorDecl *BaseCtor = nullptr;
    for (const CXXConstructorDecl *C : Base->getDefinition()->ctors())
      if (C->isDefaultConstructor())
        BaseCtor = C;
    if (BaseCtor ? !defaultIsNullState(BaseCtor, Depth + 1)
                 : !Base->getDefinition()->isEmpty())
      return false;
  }
  for (const FieldDecl *F : RD->fields()) {
    const Expr *Init = Written.lookup(F);
    // Called as a default constructor, a parameter the initialiser names
    // has its default argument (`Status(int c = 0) : code_(c) {}`).
    if (const auto *Ref =
            Init ? dyn_cast<DeclRefExpr>(Init->IgnoreParenImpCasts()) : nullptr)
      if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl());
          P && P->getDeclContext() == Ctor && P->hasDefaultArg() &&
          !P->hasUninstantiatedDefaultArg() && !P->hasUnparsedDefaultArg())
        Init = P->getDefaultArg();
    if (!Init)
      Init = F->getInClassInitializer();
    if (Init) {
      if (!isNullStateValue(Init, Ctx))
        return false;
      continue;
    }
    // No initialiser: a class is default-constructed; a scalar is zeroed
    // only by the value-initialisation of a class without a user-provided
    // constructor.
    if (!F->getType()->isRecordType() && UserProvided)
      return false;
  }
  return true;
}

/// The value of \p E, a condition in a member function of a class, when
/// every field of the object is in its null state: `state_ == nullptr`,
/// `code_ != 0`, `!failed_`, `msg_.empty()`, and their negations and
/// conjunctions; none if it depends on anything else.
static std::optional<bool> valueOnNullState(const Expr *E,
                                            const ASTContext &Ctx) {
  E = E->IgnoreParenImpCasts();
  // A field of the object, read directly or through a getter of it
  // (`code() == kOk`).
  auto IsField = [](const Expr *X) {
    X = X->IgnoreParenImpCasts();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(X);
        MC && MC->getNumArgs() == 0 &&
        isa<CXXThisExpr>(
            MC->getImplicitObjectArgument()->IgnoreParenImpCasts()))
      if (const Expr *Ret = soleReturnValue(MC->getMethodDecl()))
        X = Ret->IgnoreParenImpCasts();
    const auto *ME = dyn_cast<MemberExpr>(X);
    return ME && isa<FieldDecl>(ME->getMemberDecl()) &&
           isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts());
  };
  if (IsField(E) && (E->getType()->isScalarType()))
    return false;
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_LNot) {
    if (std::optional<bool> V = valueOnNullState(UO->getSubExpr(), Ctx))
      return !*V;
    return std::nullopt;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->getOpcode() == BO_LAnd || BO->getOpcode() == BO_LOr) {
      std::optional<bool> L = valueOnNullState(BO->getLHS(), Ctx);
      std::optional<bool> R = valueOnNullState(BO->getRHS(), Ctx);
      if (!L || !R)
        return std::nullopt;
      return BO->getOpcode() == BO_LAnd ? *L && *R : *L || *R;
    }
    if (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE) {
      const Expr *L = BO->getLHS(), *R = BO->getRHS();
      if (!IsField(L))
        std::swap(L, R);
      if (!IsField(L) || !isNullStateValue(R, Ctx))
        return std::nullopt;
      return BO->getOpcode() == BO_EQ;
    }
    return std::nullopt;
  }
  // `msg_.empty()`: a default-constructed container or string is empty.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (const CXXMethodDecl *M = MC->getMethodDecl();
        M && M->getIdentifier() && M->getName() == "empty" &&
        MC->getNumArgs() == 0 && IsField(MC->getImplicitObjectArgument()))
      return true;
  return std::nullopt;
}

/// What \p RD's success test answers on an object whose fields are in
/// their null state: true (success), false (an error), or none (no test
/// whose one `return` can be read so).
static std::optional<bool> successOnNullState(const CXXRecordDecl *RD) {
  for (const CXXMethodDecl *M : RD->methods()) {
    bool Success;
    if (const auto *Conv = dyn_cast<CXXConversionDecl>(M)) {
      if (!Conv->getConversionType()->isBooleanType())
        continue;
      Success = true;
    } else if (M->getIdentifier() && isSuccessTestName(M->getName())) {
      llvm::StringRef N = M->getName();
      Success =
          !(N.contains_insensitive("fail") || N.contains_insensitive("error"));
    } else {
      continue;
    }
    const Expr *Ret = M->getNumParams() == 0 ? soleReturnValue(M) : nullptr;
    if (!Ret)
      continue;
    if (std::optional<bool> V = valueOnNullState(Ret, RD->getASTContext()))
      return Success ? *V : !*V;
  }
  return std::nullopt;
}

bool ErrorRecognizer::isSuccessByConstruction(
    const CXXConstructExpr *CE) const {
  if (!CE || !CE->getConstructor()->isDefaultConstructor() ||
      llvm::any_of(CE->arguments(),
                   [](const Expr *A) { return !isa<CXXDefaultArgExpr>(A); }))
    return false;
  switch (typeKind(CE->getType())) {
  case ErrorKind::ErrorCode:
    return true;
  case ErrorKind::Expected:
  case ErrorKind::StatusLike: {
    const CXXRecordDecl *RD = CE->getConstructor()->getParent();
    return defaultIsNullState(CE->getConstructor(), 0) &&
           successOnNullState(RD).value_or(false);
  }
  default:
    return false;
  }
}

llvm::SmallVector<ErrorRecognizer::OutArgument, 1>
ErrorRecognizer::errorOutArguments(const CallExpr *Call) const {
  llvm::SmallVector<OutArgument, 1> Out;
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD)
    return Out;
  // A member operator call passes the object as argument 0.
  unsigned Shift =
      isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD) ? 1 : 0;
  for (unsigned I = 0, N = FD->getNumParams(); I < N; ++I) {
    if (I + Shift >= Call->getNumArgs())
      break;
    const ParmVarDecl *Param = FD->getParamDecl(I);
    // As declared: a forwarding reference (`T &&`, std::make_pair,
    // std::tuple's constructors) deduced as `error_code &` takes the value to
    // read it, and `Args &...` (std::tie) is no error parameter.
    QualType PT = writtenParam(Param)->getType();
    const auto *Ref = PT->getAs<LValueReferenceType>();
    if (!Ref || Ref->getPointeeType().isConstQualified() ||
        !isErrorCode(Ref->getPointeeType()))
      continue;
    const Expr *Arg = Call->getArg(I + Shift);
    if (isa<CXXDefaultArgExpr>(Arg))
      continue;
    Out.push_back({Param, Arg});
  }
  return Out;
}

} // namespace pitfall
