//===--- Plugin.cpp - entry points of PitfallAnalyzerPlugin.so ------------===//
//
// Loaded with  clang++ --analyze -Xclang -load -Xclang PitfallAnalyzerPlugin.so
//              -Xclang -analyzer-checker=pitfall
// The analyzer refuses a plugin whose API version string is not exactly the
// version of the clang that loads it.
//===----------------------------------------------------------------------===//
#include "pitfall/AnalyzerRegistration.h"

#include "clang/Basic/Version.h"
#include "clang/StaticAnalyzer/Frontend/CheckerRegistry.h"

// NOLINTBEGIN(readability-identifier-naming)
// `extern "C"` without braces gives the const array external linkage.
extern "C" LLVM_ATTRIBUTE_VISIBILITY_DEFAULT const char
    clang_analyzerAPIVersionString[] = CLANG_ANALYZER_API_VERSION_STRING;

extern "C" LLVM_ATTRIBUTE_VISIBILITY_DEFAULT void
clang_registerCheckers(clang::ento::CheckerRegistry &Registry) {
  pitfall::registerAnalyzerCheckers(Registry);
}
// NOLINTEND(readability-identifier-naming)
