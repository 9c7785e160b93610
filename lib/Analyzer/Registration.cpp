//===--- Registration.cpp - registers pitfall's analyzer checkers ---------===//
#include "pitfall/AnalyzerRegistration.h"

#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Frontend/CheckerRegistry.h"

namespace pitfall {

#define PITFALL_ANALYZER_CHECKER(Class, FullName, Description, DocPath)        \
  void register##Class(clang::ento::CheckerManager &Mgr);                     \
  bool shouldRegister##Class(const clang::ento::CheckerManager &Mgr);
#include "pitfall/AnalyzerCheckers.def"

void registerAnalyzerCheckers(clang::ento::CheckerRegistry &Registry) {
  (void)Registry;
#define PITFALL_ANALYZER_CHECKER(Class, FullName, Description, DocPath)        \
  Registry.addChecker(register##Class, shouldRegister##Class, FullName,       \
                      Description, DocPath, /*IsHidden=*/false);
#include "pitfall/AnalyzerCheckers.def"
}

} // namespace pitfall
