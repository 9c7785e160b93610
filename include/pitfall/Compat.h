//===--- Compat.h - differences between the supported LLVM versions -------===//
//
// pitfall builds against LLVM 19 and LLVM 22. Every source-level difference
// between them lives here, so that checks never test PITFALL_LLVM_MAJOR.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_COMPAT_H
#define PITFALL_COMPAT_H

#ifndef PITFALL_LLVM_MAJOR
#error "PITFALL_LLVM_MAJOR must be defined by the build"
#endif

// In LLVM 22, ClangTidyModuleRegistry.h is deprecated and its contents moved
// into ClangTidyModule.h.
#if PITFALL_LLVM_MAJOR >= 22
#include "clang-tidy/ClangTidyModule.h"
#else
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif

// pitfall-scan's uses of clang-tidy's library and the analyzer (included by
// lib/Scan only: checks do not pay for these headers).

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

namespace pitfall {
namespace compat {

/// The type the qualifier of a dependent name names (`M` of `typename
/// M::X`, a DependentNameType; `State` of `State::init` in a class
/// template, a DependentScopeDeclRefExpr), or null when it names none (a
/// namespace, the global scope). LLVM 22 made NestedNameSpecifier a value
/// with a kind.
template <class DependentName>
inline const clang::Type *qualifierType(const DependentName *N) {
  if (!N)
    return nullptr;
#if PITFALL_LLVM_MAJOR >= 22
  clang::NestedNameSpecifier Q = N->getQualifier();
  return Q && Q.getKind() == clang::NestedNameSpecifier::Kind::Type
             ? Q.getAsType()
             : nullptr;
#else
  const clang::NestedNameSpecifier *Q = N->getQualifier();
  return Q ? Q->getAsType() : nullptr;
#endif
}

/// The (canonical) type of a class declaration. LLVM 22 deleted
/// TagDecl::getTypeForDecl() in favour of ASTContext::getCanonicalTagType().
inline clang::QualType recordType(const clang::CXXRecordDecl *RD) {
#if PITFALL_LLVM_MAJOR >= 22
  return RD->getASTContext().getCanonicalTagType(RD);
#else
  return clang::QualType(RD->getTypeForDecl(), 0);
#endif
}

} // namespace compat
} // namespace pitfall

#ifdef PITFALL_COMPAT_SCAN
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/StaticAnalyzer/Core/AnalyzerOptions.h"
#include "clang/StaticAnalyzer/Frontend/AnalysisConsumer.h"

#include <memory>

namespace pitfall {
namespace compat {

/// Creates the DiagnosticsEngine a ClangTidyContext reports through and
/// attaches it (LLVM 21 made DiagnosticOptions a reference owned by the
/// caller; the context keeps it).
inline std::unique_ptr<clang::DiagnosticsEngine>
attachDiagnosticsEngine(clang::tidy::ClangTidyContext &Context,
                        clang::DiagnosticConsumer &Consumer) {
#if PITFALL_LLVM_MAJOR >= 21
  auto Options = std::make_unique<clang::DiagnosticOptions>();
  auto Engine = std::make_unique<clang::DiagnosticsEngine>(
      llvm::makeIntrusiveRefCnt<clang::DiagnosticIDs>(), *Options, &Consumer,
      /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(std::move(Options), Engine.get());
#else
  auto Engine = std::make_unique<clang::DiagnosticsEngine>(
      llvm::makeIntrusiveRefCnt<clang::DiagnosticIDs>(),
      llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>(), &Consumer,
      /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(Engine.get());
#endif
  return Engine;
}

/// The clang-tidy checks \p Options enable.
inline std::vector<std::string>
tidyCheckNames(const clang::tidy::ClangTidyOptions &Options) {
#if PITFALL_LLVM_MAJOR >= 22
  return clang::tidy::getCheckNames(
      Options,
      /*AllowEnablingAnalyzerAlphaCheckers=*/false,
      /*ExperimentalCustomChecks=*/false);
#else
  return clang::tidy::getCheckNames(
      Options,
      /*AllowEnablingAnalyzerAlphaCheckers=*/false);
#endif
}

/// Analyzer setting clang-tidy uses: assume both outcomes of a comparison
/// eagerly (a config option, on by default, since LLVM 20).
inline void setEagerlyAssume(clang::AnalyzerOptions &Options) {
#if PITFALL_LLVM_MAJOR >= 20
  Options.ShouldEagerlyAssume = true;
#else
  Options.eagerlyAssumeBinOpBifurcation = true;
#endif
}

/// Hands \p Consumer to the analysis (owned by it since LLVM 21).
inline void addPathDiagnosticConsumer(
    clang::ento::AnalysisASTConsumer &Analysis,
    std::unique_ptr<clang::ento::PathDiagnosticConsumer> Consumer) {
#if PITFALL_LLVM_MAJOR >= 21
  Analysis.AddDiagnosticConsumer(std::move(Consumer));
#else
  Analysis.AddDiagnosticConsumer(Consumer.release());
#endif
}

} // namespace compat
} // namespace pitfall
#endif // PITFALL_COMPAT_SCAN

#endif // PITFALL_COMPAT_H
