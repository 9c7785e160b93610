//===--- Errors.cpp - which results carry errors --------------------------===//
#include "pitfall/Core/Errors.h"

#include "pitfall/Core/ExprUtil.h"

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
