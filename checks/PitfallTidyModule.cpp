//===--- PitfallTidyModule.cpp - the clang-tidy module --------------------===//
#include "CheckFactory.h"

#include "pitfall/Compat.h"

using namespace clang::tidy;

namespace pitfall {

void registerTidyChecks(ClangTidyCheckFactories &Factories) {
#define PITFALL_CHECK(Class, Name, Hazard, Analyzer)                           \
  Factories.registerCheckFactory(Name,                                         \
                                 [](llvm::StringRef N, ClangTidyContext *C) {  \
                                   return create##Class(N, C);                 \
                                 });
#include "pitfall/Checks.def"
}

namespace {
class PitfallModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    registerTidyChecks(Factories);
  }
};
} // namespace

} // namespace pitfall

static ClangTidyModuleRegistry::Add<pitfall::PitfallModule>
    PitfallModuleRegistration(
        "pitfall-module", "Go-style concurrency and error-handling hazards");

// Referenced by the module entry and by pitfall-scan so that the static
// registration above is linked in.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables)
volatile int PitfallModuleAnchorSource = 0;
