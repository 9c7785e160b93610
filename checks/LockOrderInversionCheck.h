//===--- LockOrderInversionCheck.h - pitfall-lock-order-inversion ---------===//
#ifndef PITFALL_CHECKS_LOCKORDERINVERSIONCHECK_H
#define PITFALL_CHECKS_LOCKORDERINVERSIONCHECK_H

#include "PitfallCheck.h"

#include <memory>

namespace pitfall {

class LockOrder;
struct LockOrderCycle;

/// Flags two mutexes that threads acquire in opposite orders (or three in a
/// cycle): each thread can hold one and wait for the other forever (the
/// flow layer's LockOrder analysis).
/// Documentation: docs/checks/lock-order-inversion.md
class LockOrderInversionCheck : public PitfallCheck {
public:
  LockOrderInversionCheck(llvm::StringRef Name,
                          clang::tidy::ClangTidyContext *Context);
  ~LockOrderInversionCheck() override;

private:
  void checkFunction(const clang::FunctionDecl *FD, FlowContext &Flow) override;
  void endOfTranslationUnit(FlowContext &Flow) override;

  void report(const LockOrderCycle &C);

  std::unique_ptr<LockOrder> Analysis;
};

} // namespace pitfall

#endif
