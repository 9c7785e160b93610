//===--- Registration.cpp - registers pitfall's analyzer checkers ---------===//
#include "pitfall/AnalyzerRegistration.h"
#include "pitfall/Core/Channels.h"
#include "pitfall/Core/TestMacros.h"
#include "pitfall/Core/Threads.h"

#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramState.h"
#include "clang/StaticAnalyzer/Frontend/CheckerRegistry.h"

namespace pitfall {

#define PITFALL_ANALYZER_CHECKER(Class, FullName, Description, DocPath)        \
  void register##Class(clang::ento::CheckerManager &Mgr);                      \
  bool shouldRegister##Class(const clang::ento::CheckerManager &Mgr);
#include "pitfall/AnalyzerCheckers.def"

void registerAnalyzerCheckers(clang::ento::CheckerRegistry &Registry) {
  (void)Registry;
#define PITFALL_ANALYZER_CHECKER(Class, FullName, Description, DocPath)        \
  Registry.addChecker(register##Class, shouldRegister##Class, FullName,        \
                      Description, DocPath, /*IsHidden=*/false);
#define PITFALL_ANALYZER_CHECKER_OPTION(FullName, Type, Option, Default,       \
                                        Description)                           \
  Registry.addCheckerOption(Type, FullName, Option, Default, Description,      \
                            "released");
#include "pitfall/AnalyzerCheckers.def"
}

bool threadJoinTracksSame(clang::ento::ProgramStateRef A,
                          clang::ento::ProgramStateRef B);
bool channelCloseTracksSame(clang::ento::ProgramStateRef A,
                            clang::ento::ProgramStateRef B);

bool sameTrackedObjects(clang::ento::ProgramStateRef A,
                        clang::ento::ProgramStateRef B) {
  return threadJoinTracksSame(A, B) && channelCloseTracksSame(A, B);
}

} // namespace pitfall
