//===--- CheckFactory.h - one factory per check, declared from Checks.def -===//
#ifndef PITFALL_CHECKS_CHECKFACTORY_H
#define PITFALL_CHECKS_CHECKFACTORY_H

#include "pitfall/Compat.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/StringRef.h"

#include <memory>

namespace pitfall {

#define PITFALL_CHECK(Class, Name, Hazard, Analyzer)                           \
  std::unique_ptr<clang::tidy::ClangTidyCheck> create##Class(                  \
      llvm::StringRef CheckName, clang::tidy::ClangTidyContext *Context);
#include "pitfall/Checks.def"

/// Registers every check of Checks.def.
void registerTidyChecks(clang::tidy::ClangTidyCheckFactories &Factories);

} // namespace pitfall

/// Put once at namespace scope in <Class>.cpp, after the class is complete.
#define PITFALL_DEFINE_CHECK_FACTORY(Class)                                    \
  std::unique_ptr<clang::tidy::ClangTidyCheck> pitfall::create##Class(         \
      llvm::StringRef CheckName, clang::tidy::ClangTidyContext *Context) {     \
    return std::make_unique<Class>(CheckName, Context);                        \
  }

#endif
