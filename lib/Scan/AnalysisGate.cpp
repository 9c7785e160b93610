//===--- AnalysisGate.cpp - the analyzer, on the functions that matter ----===//
#include "pitfall/Scan/AnalysisGate.h"
#include "pitfall/AnalyzerRegistration.h"
#include "pitfall/Scan/AnalysisFilter.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/StaticAnalyzer/Core/AnalyzerOptions.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ExprEngine.h"
#include "clang/StaticAnalyzer/Frontend/AnalysisConsumer.h"
#include "clang/StaticAnalyzer/Frontend/CheckerRegistry.h"

#include <optional>

using namespace clang;
using namespace clang::ento;

namespace pitfall {
namespace scan {
namespace {

constexpr llvm::StringLiteral GateCheckerName = "pitfallscan.AnalysisGate";

/// The filter and budget of the TU under analysis, while the analyzer runs
/// on it. A worker process analyses one TU; the checker, registered through
/// a plain function, finds them here.
struct ActiveGate {
  const ASTContext *Ctx;
  AnalysisFilter *Filter; ///< null: every function may reach one
  uint64_t NodeBudget;    ///< 0: no budget
  /// Whether calls the filter finds need no inlining are inlined anyway.
  bool SystemInlining;
  TUStats *Stats;
  /// The top-level function being explored.
  const Decl *TopLevel = nullptr;
  /// Whether the top-level function being analysed is explored (not ended
  /// by the gate at its start).
  bool Exploring = false;
};
ActiveGate *Active = nullptr;

/// Ends the path-sensitive analysis of a top-level function before it
/// starts (the analyzer's one initial node becomes a sink) when it cannot
/// reach a thread or channel operation, or when the TU's exploded graphs
/// have used up the node budget. Counts the nodes of each explored
/// function's graph. Inside an explored function, evaluates the calls the
/// filter finds need no inlining (AnalysisFilter::mayEvaluateWithoutInlining)
/// as the engine evaluates a call it does not inline, unless that would
/// change what pitfall's checkers track (a thread or channel the call's
/// arguments reach, which they would forget): those are inlined as before.
class AnalysisGateChecker
    : public Checker<check::BeginFunction, check::EndAnalysis, eval::Call> {
public:
  void checkBeginFunction(CheckerContext &C) const {
    if (!C.inTopFrame() || !Active || Active->Ctx != &C.getASTContext())
      return;
    TUStats &Stats = *Active->Stats;
    Active->Exploring = false;
    Active->TopLevel = C.getLocationContext()->getDecl();
    if (Active->Filter && !Active->Filter->mayReachTrackedOperation(
                              C.getLocationContext()->getDecl()))
      ++Stats.FunctionsSkipped;
    else if (Active->NodeBudget && Stats.AnalyzerNodes >= Active->NodeBudget)
      ++Stats.FunctionsOverBudget;
    else
      Active->Exploring = true;
    if (Active->Exploring) {
      ++Stats.FunctionsAnalysed;
      return;
    }
    C.generateSink(C.getState(), C.getPredecessor());
  }

  bool evalCall(const CallEvent &Call, CheckerContext &C) const {
    if (!Active || !Active->Exploring || !Active->Filter ||
        Active->SystemInlining || Active->Ctx != &C.getASTContext())
      return false;
    RuntimeDefinition Def = Call.getRuntimeDefinition();
    const auto *Callee = dyn_cast_or_null<FunctionDecl>(Def.getDecl());
    if (!Callee || Def.mayHaveOtherDefinitions() ||
        !Active->Filter->mayEvaluateWithoutInlining(Callee, Active->TopLevel))
      return false;
    // What the engine does with a call it does not inline: the contents of
    // what the arguments and globals reach are unknown after it, its value
    // is a new symbol.
    ProgramStateRef Before = C.getState();
    ProgramStateRef After = Call.invalidateRegions(C.blockCount(), Before);
    if (!sameTrackedObjects(Before, After))
      return false;
    After = C.getStateManager().getOwningEngine().bindReturnValue(
        Call, C.getLocationContext(), After);
    C.addTransition(After);
    ++Active->Stats->CallsNotInlined;
    return true;
  }

  /// After each top-level function: the nodes its exploded graph holds
  /// (those the engine reclaimed as it went are not counted), the same
  /// for the same input on any machine.
  void checkEndAnalysis(ExplodedGraph &G, BugReporter &, ExprEngine &) const {
    if (!Active || !Active->Exploring)
      return;
    Active->Stats->AnalyzerNodes += G.size();
    Active->Exploring = false;
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

/// Runs the analysis with the gate active: with the filter, only if some
/// top-level function may reach a thread or channel operation.
class GatedAnalysis : public MultiplexConsumer {
public:
  GatedAnalysis(std::unique_ptr<ASTConsumer> Analysis, ThreadTypes Threads,
                ChannelRecognizer Channels, const GateOptions &Gate,
                TUStats &Stats)
      : MultiplexConsumer(one(std::move(Analysis))),
        Threads(std::move(Threads)), Channels(std::move(Channels)), Gate(Gate),
        Stats(Stats) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    // The analyzer does not run on a TU with errors.
    if (Ctx.getDiagnostics().hasErrorOccurred()) {
      MultiplexConsumer::HandleTranslationUnit(Ctx);
      return;
    }
    // Objective-C dispatches on selectors and blocks are values: not
    // followed by the filter.
    std::optional<AnalysisFilter> Filter;
    if (Gate.Filter && !Ctx.getLangOpts().ObjC && !Ctx.getLangOpts().Blocks) {
      Filter.emplace(Ctx, Threads, Channels);
      if (!Filter->anyTopLevelFunctionMayReach()) {
        ++Stats.AnalyzerSkippedTUs;
        return;
      }
    } else {
      ++Stats.AnalyzerUnfilteredTUs;
    }
    ActiveGate Gated{&Ctx, Filter ? &*Filter : nullptr, Gate.NodeBudget,
                     Gate.SystemInlining, &Stats};
    Active = &Gated;
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
  const GateOptions Gate;
  TUStats &Stats;
};

} // namespace

std::unique_ptr<ASTConsumer>
gateAnalysis(std::unique_ptr<AnalysisASTConsumer> Analysis,
             AnalyzerOptions &Options, const GateOptions &Gate,
             TUStats &Stats) {
  Analysis->AddCheckerRegistrationFn([](CheckerRegistry &Registry) {
    Registry.addChecker(registerAnalysisGate, shouldRegisterAnalysisGate,
                        GateCheckerName,
                        "Skips top-level functions that cannot reach a thread "
                        "or channel operation, or over the TU's node budget "
                        "(pitfall-scan)",
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
  return std::make_unique<GatedAnalysis>(std::move(Analysis),
                                         std::move(Threads),
                                         std::move(Channels), Gate, Stats);
}

} // namespace scan
} // namespace pitfall
