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

#endif // PITFALL_COMPAT_H
