//===--- AnalysisGate.cpp - the analyzer, on the functions that matter ----===//
#include "pitfall/Scan/AnalysisGate.h"
#include "pitfall/Scan/AnalysisFilter.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/StaticAnalyzer/Core/AnalyzerOptions.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Frontend/AnalysisConsumer.h"
#include "clang/StaticAnalyzer/Frontend/CheckerRegistry.h"

using namespace clang;
using namespace clang::ento;

namespace pitfall {
namespace scan {
namespace {

constexpr llvm::StringLiteral GateCheckerName = "pitfallscan.AnalysisGate";

/// The filter of the TU under analysis, while the analyzer runs on it. A
/// worker process analyses one TU; the checker, registered through a plain
/// function, finds the filter here.
struct ActiveGate {
  const ASTContext *Ctx;
  AnalysisFilter *Filter;
  TUStats *Stats;
};
ActiveGate *Active = nullptr;

/// Ends the path-sensitive analysis of a top-level function that cannot
/// reach a thread or channel operation before it starts: the analyzer's
/// one initial node becomes a sink. Functions analysed inline are not
/// affected.
class AnalysisGateChecker : public Checker<check::BeginFunction> {
public:
  void checkBeginFunction(CheckerContext &C) const {
    if (!C.inTopFrame() || !Active || Active->Ctx != &C.getASTContext())
      return;
    if (Active->Filter->mayReachTrackedOperation(
            C.getLocationContext()->getDecl())) {
      ++Active->Stats->FunctionsAnalysed;
      return;
    }
    ++Active->Stats->FunctionsSkipped;
    C.generateSink(C.getState(), C.getPredecessor());
  }
};

void registerAnalysisGate(CheckerManager &Mgr) {
  Mgr.registerChecker<AnalysisGateChecker>();
}

bool shouldRegisterAnalysisGate(const CheckerManager &) { return true; }

/// The value of a checker option as the checker will see it: set in the
/// configuration, or its default.
std::string checkerOption(const AnalyzerOptions &Options, llvm::StringRef Key,
                          llvm::StringRef Default) {
  auto It = Options.Config.find(Key);
  return It == Options.Config.end() ? Default.str() : It->second;
}

/// Runs the analysis only if some top-level function may reach a thread or
/// channel operation, with the gate active.
class GatedAnalysis : public MultiplexConsumer {
public:
  GatedAnalysis(std::unique_ptr<ASTConsumer> Analysis, ThreadTypes Threads,
                ChannelRecognizer Channels, TUStats &Stats)
      : MultiplexConsumer(one(std::move(Analysis))),
        Threads(std::move(Threads)), Channels(std::move(Channels)),
        Stats(Stats) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    // The analyzer does not run on a TU with errors.
    if (Ctx.getDiagnostics().hasErrorOccurred()) {
      MultiplexConsumer::HandleTranslationUnit(Ctx);
      return;
    }
    // Objective-C dispatches on selectors and blocks are values: not
    // followed by the filter.
    if (Ctx.getLangOpts().ObjC || Ctx.getLangOpts().Blocks) {
      ++Stats.AnalyzerUnfilteredTUs;
      MultiplexConsumer::HandleTranslationUnit(Ctx);
      return;
    }
    AnalysisFilter Filter(Ctx, Threads, Channels);
    if (!Filter.anyTopLevelFunctionMayReach()) {
      ++Stats.AnalyzerSkippedTUs;
      return;
    }
    ActiveGate Gate{&Ctx, &Filter, &Stats};
    Active = &Gate;
    MultiplexConsumer::HandleTranslationUnit(Ctx);
    Active = nullptr;
  }

private:
  static std::vector<std::unique_ptr<ASTConsumer>>
  one(std::unique_ptr<ASTConsumer> C) {
    std::vector<std::unique_ptr<ASTConsumer>> V;
    V.push_back(std::move(C));
    return V;
  }

  const ThreadTypes Threads;
  const ChannelRecognizer Channels;
  TUStats &Stats;
};

} // namespace

std::unique_ptr<ASTConsumer>
gateAnalysis(std::unique_ptr<AnalysisASTConsumer> Analysis,
             AnalyzerOptions &Options, TUStats &Stats) {
  Analysis->AddCheckerRegistrationFn([](CheckerRegistry &Registry) {
    Registry.addChecker(registerAnalysisGate, shouldRegisterAnalysisGate,
                        GateCheckerName,
                        "Skips top-level functions that cannot reach a thread "
                        "or channel operation (pitfall-scan)",
                        "", /*IsHidden=*/true);
  });
  Options.CheckersAndPackages.emplace_back(GateCheckerName.str(), true);
  ThreadTypes Threads(checkerOption(Options, "pitfall.ThreadJoin:ThreadTypes",
                                    DefaultThreadTypes));
  ChannelRecognizer Channels(
      checkerOption(Options, "pitfall.ChannelClose:ChannelTypes",
                    DefaultChannelTypes),
      checkerOption(Options, "pitfall.ChannelClose:SendMethods",
                    DefaultSendMethods),
      checkerOption(Options, "pitfall.ChannelClose:MatchChannelNames",
                    "true") != "false");
  return std::make_unique<GatedAnalysis>(
      std::move(Analysis), std::move(Threads), std::move(Channels), Stats);
}

} // namespace scan
} // namespace pitfall
