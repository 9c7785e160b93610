//===--- ClassReach.h - which classes' objects other threads may reach ---===//
//
// A thread reaches an object another thread made only through something
// both can reach: a global, what a task start hands the task (its
// arguments, the lambda's captures), or an object already reached that
// holds a pointer, reference or copy of it. ClassReach reads, per class,
// what a translation unit's code lets hold its objects, so the whole-program
// link can tell the classes no thread but the maker's ever reaches
// (confined classes: parsers, iterators, builders each run makes for
// itself) from the shared ones, by what the code does, not by names:
//
//   * holds: a class holds the classes its data members' types name (a
//     pointer, reference, smart pointer, value, container element: every
//     template argument, the parameters and result of a function type),
//     and its bases; a lambda's closure holds what it captures;
//   * a conversion holds: `B *b = d` (a base's holder may hold the derived
//     object, and a base-to-derived cast says the same), and a library
//     class that erases the type of what it is made from (a constructor
//     template taking one object of any type: `std::function`, `std::any`)
//     holds what it is made from;
//   * shared outright: the classes a global, a static or thread_local
//     variable's type names, those a task start's arguments name (the
//     closure of a lambda started, the object of `&C::run, this`), and
//     those whose pointers the code turns into or out of an untyped
//     pointer or an integer (`void *`, `uintptr_t`, `reinterpret_cast`),
//     or builds in place (placement new).
//
// A class no chain of holds leads to from a shared class is confined: each
// of its objects is seen by the thread that made it alone.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_CLASSREACH_H
#define PITFALL_FLOW_CLASSREACH_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallVector.h"

#include <utility>
#include <vector>

namespace clang {
class ASTContext;
class CXXRecordDecl;
class Expr;
class QualType;
} // namespace clang

namespace pitfall {

class ClassReach {
public:
  explicit ClassReach(clang::ASTContext &Ctx);

  /// Reads the translation unit: its classes' data members and bases, its
  /// globals, and the casts, conversions and placement news of its code
  /// outside system headers (template instantiations too).
  void collect();
  /// Adds what the task start \p Site (a thread's construction, an
  /// executor's call: FlowContext::taskStarts) hands the task.
  void taskStart(const clang::Expr *Site);

  /// (holder, held): an object of the first class may hold (point to,
  /// refer to, contain) an object of the second. Classes of system headers
  /// are left out but for the type-erasing ones.
  const std::vector<
      std::pair<const clang::CXXRecordDecl *, const clang::CXXRecordDecl *>> &
  holds() const {
    return Holds;
  }
  /// The classes the code lets any thread reach outright.
  llvm::ArrayRef<const clang::CXXRecordDecl *> shared() const {
    return Shared.getArrayRef();
  }

private:
  /// The classes \p T names (records of the user's, or type-erasing ones of
  /// the library), outermost first.
  void mentions(clang::QualType T,
                llvm::SmallVectorImpl<const clang::CXXRecordDecl *> &Out,
                unsigned Depth = 0);
  /// A class of a system header with a constructor template taking one
  /// object of any type (the rest defaulted): it stores what it is made
  /// from without naming its type.
  bool erasesType(const clang::CXXRecordDecl *RD);
  bool userClass(const clang::CXXRecordDecl *RD) const;
  void hold(const clang::CXXRecordDecl *Holder, clang::QualType Held);
  void share(clang::QualType T);
  void record(const clang::CXXRecordDecl *RD);
  void expression(const clang::Expr *E);

  friend class ClassReachVisitor;

  clang::ASTContext &Ctx;
  std::vector<
      std::pair<const clang::CXXRecordDecl *, const clang::CXXRecordDecl *>>
      Holds;
  llvm::SetVector<const clang::CXXRecordDecl *> Shared;
  llvm::DenseMap<const clang::CXXRecordDecl *, bool> Erasing;
};

} // namespace pitfall

#endif // PITFALL_FLOW_CLASSREACH_H
