//===--- AnalysisFilter.h - which functions the analyzer must explore -----===//
//
// pitfall's analyzer checkers track thread and channel objects from the
// operation that makes one interesting (a thread started, moved, joined or
// detached; a channel created or closed) onwards. Path-sensitive analysis
// of a top-level function can report something only if the paths explored
// from it reach such an operation, in the function itself or in a function
// the analyzer inlines into it. AnalysisFilter answers that question, over
// approximately, for the functions of one TU:
//
//   - a function *touches* a tracked object if its body (or, for a
//     constructor, its member initializers) calls, constructs or names such
//     an operation: a construction that starts a thread (ThreadTypes)
//     outside the system headers, a constructor or assignment of a channel
//     class, or a channel close(). A thread's moves, joins, detaches and
//     swaps are not: pitfall.ThreadJoin tracks a thread only from a start
//     it sees (one made inside the library, such as a
//     std::vector<std::thread> element, never), so they change nothing on
//     paths that reach no start;
//   - it *may reach* one if it touches one, or if anything it may call does.
//     "May call" is every function the analyzer could inline from it: each
//     function named in its body (called, or taken by address), the
//     constructors and destructors of the objects it creates, declares or
//     deletes (implicit destructor calls included), default arguments and
//     default member initializers, the member functions of each lambda it
//     creates, every virtual member function of the classes of the objects
//     it handles (the analyzer dispatches on the dynamic type it knows), and
//     the initializers of the global variables it names (a function pointer
//     kept in one).
//
// The call graph is built on demand, starting from the functions asked
// about, so headers' functions that nothing reaches are never walked.
//
// The same graph tells which calls, met while exploring a kept function,
// the analyzer need not inline (mayEvaluateWithoutInlining): a system
// header's function that reaches no tracked operation, when nothing the
// exploration may call through a pointer or virtually reaches one either.
// Everything here is syntactic, over the instantiated AST; it can later be
// backed by the flow layer's summaries.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_SCAN_ANALYSISFILTER_H
#define PITFALL_SCAN_ANALYSISFILTER_H

#include "pitfall/Core/Channels.h"
#include "pitfall/Core/Threads.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class ASTContext;
class CallExpr;
class CXXConstructExpr;
class Decl;
class FunctionDecl;
class QualType;
class Stmt;
} // namespace clang

namespace pitfall {
namespace scan {

class AnalysisFilter {
public:
  AnalysisFilter(clang::ASTContext &Ctx, ThreadTypes Threads,
                 ChannelRecognizer Channels);

  /// Whether path-sensitive analysis starting at \p Function (a function,
  /// block or global variable) may reach an operation on a thread or
  /// channel object. Conservative: true for anything not understood.
  bool mayReachTrackedOperation(const clang::Decl *Function);

  /// Whether any function the analyzer would start from in this TU (a
  /// definition whose body is in the main file) may reach one.
  bool anyTopLevelFunctionMayReach();

  /// Whether \p FD (called from \p Call, if given) creates or closes a
  /// tracked channel object (threads: startsTrackedThread).
  bool isTrackedOperation(const clang::FunctionDecl *FD,
                          const clang::CallExpr *Call = nullptr) const;

  /// Whether \p E starts a thread pitfall.ThreadJoin tracks: a thread
  /// type's constructor from a callable, outside the system headers.
  bool startsTrackedThread(const clang::CXXConstructExpr *E) const;

  /// Whether the analyzer, exploring the top-level function \p TopLevel,
  /// may evaluate a call to \p Callee without inlining it (as a call whose
  /// body it does not see) and miss nothing pitfall's checkers follow:
  /// \p Callee is defined in a system header outside namespaces std (the
  /// standard library is inlined only on request) and __gnu_cxx, takes (as
  /// an argument or as its object) and returns nothing that may designate a
  /// thread or channel, cannot reach a tracked operation, and no function
  /// whose address (or virtual dispatch) the exploration of \p TopLevel may
  /// meet can reach one (a function pointer the call would have stored, or
  /// called, could).
  bool mayEvaluateWithoutInlining(const clang::FunctionDecl *Callee,
                                  const clang::Decl *TopLevel);

private:
  enum class Reach : unsigned char { Unknown, Yes, No };
  struct Node {
    bool Touches = false; ///< performs a tracked operation itself
    Reach Result = Reach::Unknown;
    llvm::SmallVector<const clang::Decl *, 8> Callees;
    /// The callees named other than as the callee of a direct call: taken
    /// by address, virtual members, the members of a lambda's class.
    llvm::SmallVector<const clang::Decl *, 2> IndirectTargets;
  };
  class BodyWalker;

  /// The node of \p D, its body walked on first use.
  Node &node(const clang::Decl *D);
  /// Whether a function called through a pointer or virtually while
  /// exploring \p TopLevel may reach a tracked operation. Memoized.
  bool indirectTargetsMayReach(const clang::Decl *TopLevel);
  /// Whether a value of type \p T may designate a thread or channel object
  /// (is, points or refers to one, or to an object holding one). Memoized.
  bool mayDesignateTrackedObject(clang::QualType T);
  /// The same for an object of class \p RD.
  bool mayDesignateTrackedObject(const clang::CXXRecordDecl *RD);
  /// Whether \p RD is a thread type (ThreadTypes), memoized.
  bool isThreadClass(const clang::CXXRecordDecl *RD) const;

  clang::ASTContext &Ctx;
  const ThreadTypes Threads;
  const ChannelRecognizer Channels;
  llvm::DenseMap<const clang::Decl *, Node> Nodes;
  mutable llvm::DenseMap<const clang::CXXRecordDecl *, bool> ThreadClasses;
  llvm::DenseMap<const clang::Decl *, bool> IndirectReach;
  llvm::DenseMap<const clang::CXXRecordDecl *, bool> HoldsTracked;
};

} // namespace scan
} // namespace pitfall

#endif
