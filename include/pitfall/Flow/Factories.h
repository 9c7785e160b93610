//===--- Factories.h - what may make the object a factory call returns ----===//
//
// A pointer given its object by a factory (`state = factory_()`, a
// `std::function` data member; `State::create()`) holds a new object when
// every function the call may run returns one on every path (Core
// returnsFreshObject()): IXWebSocket's accept loop, which makes each
// connection's state with its `_connectionStateFactory`, by default
// `ConnectionState::createConnectionState` (a `std::make_shared`), or the
// one a test sets with `setConnectionStateFactory([] { return
// std::make_shared<...>(); })`. What the translation unit cannot see (a
// function defined in another TU, the callables the callers of a setter
// hand it) is named for the link step to judge with the other TUs'
// summaries. Read off what the functions do, not off names.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_FACTORIES_H
#define PITFALL_FLOW_FACTORIES_H

#include "llvm/ADT/SmallVector.h"

#include <utility>

namespace clang {
class CallExpr;
class FunctionDecl;
} // namespace clang

namespace pitfall {

class FlowContext;

/// What the factory call may run, as far as its translation unit knows.
struct FactoryTargets {
  /// False when the result may be an object that is not new: a function
  /// defined here that does not return a new object on every path, a
  /// callable not followed, a `std::function` member given a value that
  /// cannot be followed (or assigned where the TU cannot see).
  bool Known = false;
  /// Functions the TU has no definition of: their own TU's summary says
  /// whether they return a new object.
  llvm::SmallVector<const clang::FunctionDecl *, 2> Elsewhere;
  /// A function's parameter (a setter) whose argument the `std::function`
  /// member called is given: the callables its callers hand it decide.
  llvm::SmallVector<std::pair<const clang::FunctionDecl *, unsigned>, 1> Params;
};

/// What \p Call (a Core factoryCall()) may run: its callee, the target of a
/// callable variable (CallableResolver), or every value of the private
/// `std::function` data member it calls through, as the members of its
/// class write it (the class's initialisers and assignments, every member
/// function defined in the translation unit; any other use of the member
/// than a call, a test or an assignment gives up).
FactoryTargets factoryTargets(FlowContext &Flow, const clang::CallExpr *Call);

} // namespace pitfall

#endif // PITFALL_FLOW_FACTORIES_H
