//===--- Containers.h - containers that are unsafe to share, and writes ---===//
//
// Which types are standard (or configured) containers whose concurrent
// structural modification corrupts memory, and whether a use of such a
// container is a read or a structural write (insert, erase, clear, resize,
// assignment, operator[] on a map). Element access through
// vector::operator[] or at() is a read of the container's structure.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_CONTAINERS_H
#define PITFALL_CORE_CONTAINERS_H

#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Core/NameList.h"

#include "clang/AST/Type.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace clang {
class ASTContext;
class CXXMemberCallExpr;
class CXXRecordDecl;
class FunctionDecl;
class Expr;
class ParentMap;
class Stmt;
class VarDecl;
} // namespace clang

namespace pitfall {

/// Containers that are always recognised; the ContainerTypes option adds to
/// them.
inline constexpr const char *StandardContainerTypes =
    "::std::map;::std::unordered_map;::std::multimap;"
    "::std::unordered_multimap;::std::set;::std::unordered_set;"
    "::std::multiset;::std::unordered_multiset;::std::vector;::std::deque;"
    "::std::list;::std::forward_list;::std::basic_string";

enum class ContainerAccess {
  None,  ///< not an access of the container (unevaluated, or unknown use)
  Read,  ///< lookup, iteration, size, element access
  Write, ///< structural modification
};

class ContainerRecognizer {
public:
  explicit ContainerRecognizer(llvm::StringRef ContainerTypesOption = "")
      : Extra(ContainerTypesOption) {}

  /// True if \p T (through references and typedefs, not pointers) is a
  /// container type: a standard or configured one, or an adapter
  /// (isAdapter()).
  bool isContainerType(clang::QualType T) const;

  /// True if \p RD is a container adapter, read off its declarations: it
  /// declares a member type `container_type` that is a container (or a
  /// template parameter, in a pattern) and holds a data member of that type
  /// or another container (a wrapper around a std::priority_queue over its
  /// container_type, RxCpp's schedulable_queue), and no member is lockable (a
  /// class with `lock()` and `unlock()`: a queue that guards itself).
  /// std::queue, std::stack, std::priority_queue, and a project's own adapters.
  bool isAdapter(const clang::CXXRecordDecl *RD) const;

  /// Classifies the use \p Ref (a DeclRefExpr or MemberExpr naming a
  /// container) by the expression that consumes it; \p Parents is the
  /// parent map of the body around \p Ref (a flow graph's parents()).
  ContainerAccess classifyUse(const clang::Expr *Ref,
                              const clang::ParentMap &Parents) const;

  /// How the use \p Ref (as for classifyUse) bears on the container's
  /// emptiness: a test of it (`c.empty()`, `c.size()`), a use that needs an
  /// element (`front()`, `back()`, `top()`, `pop_front()`, `pop_back()`,
  /// `pop()`), or neither.
  enum class EmptinessUse { Other, Test, NeedsElement };
  EmptinessUse emptinessUse(const clang::Expr *Ref,
                            const clang::ParentMap &Parents) const;

  /// True if the use \p Ref (as for classifyUse, or a use of an iterator
  /// into a container) leaves the contents of the container's elements alone,
  /// which are objects of their own: a size query or a lookup (`size()`,
  /// `count(k)`, `contains(k)`); an iterator obtained and kept, compared or
  /// dropped (`auto it = c.find(k)`, `c.find(k) != c.end()`), or stepped
  /// (`++it`); an element selected and bound to a reference, whose uses are
  /// the element's accesses (`auto &e = c.at(k)`, `update(m[k])` with a
  /// reference parameter), or dropped; and, in a node-based container
  /// (isNodeBasedContainer()), an insertion (`insert`, `emplace`,
  /// `try_emplace`, `push_back`, `m[k]` bound or dropped), which neither moves
  /// nor touches the elements already there. Not: an erasure, `clear()`, an
  /// assignment or a swap (they destroy elements), an element used in place
  /// (`m[k].push_back(x)`, `*it = v`, `it->second.clear()`, a copy of it), a
  /// vector's insertion (it may move every element).
  bool leavesElementsAlone(const clang::Expr *Ref,
                           const clang::ParentMap &Parents) const;

  /// The container expression whose iterator \p Init (a variable's
  /// initializer) is: `c.begin()`, `c.cbegin()`, `c.rbegin()`, `c.find(k)`,
  /// `c.lower_bound(k)`, `c.upper_bound(k)`, `std::begin(c)`, and those
  /// plus or minus an offset or through `std::next` / `std::prev`; or null.
  const clang::Expr *iteratorSource(const clang::Expr *Init) const;

  /// \p S when it is the call of a getter that returns a container data
  /// member by reference (memberReturnedBy(): `std::deque<T> &getQueue() {
  /// return m_queue; }`, not a lambda's): the call names that member of its
  /// object (pointeePathOf()), and the caller's use of the result is an
  /// access of it, classified as a use of the member would be; null
  /// otherwise.
  const clang::CXXMemberCallExpr *getterCall(const clang::Stmt *S) const;

  /// The container data member the getter \p FD hands out by reference
  /// (`return m_queue;` is its whole body, as getterCall() requires), named
  /// as `this`'s: its `return` is no access (its callers' uses are); nullopt
  /// for any other function.
  std::optional<ObjectPath>
  containerReturnedBy(const clang::FunctionDecl *FD) const;

private:
  NameList Extra;
  /// Canonical type -> is a container (name matching is not free, and the
  /// same few types are asked about for every variable reference).
  mutable llvm::DenseMap<const clang::Type *, bool> Cache;
};

/// True if \p T (through references) is a built-in array or a standard
/// sequence or map (nested ones included: a vector of arrays) one of whose
/// element types satisfies \p IsElement: a pool of threads, a stripe of
/// mutexes.
bool isElementContainerOf(clang::QualType T,
                          llvm::function_ref<bool(clang::QualType)> IsElement);

/// True if \p T (through references) is a standard node-based container:
/// std::list, std::forward_list, the ordered and unordered maps and sets and
/// their multi forms. Inserting into one neither moves nor touches the
/// elements it holds: a reference to an element stays valid, and names an
/// object of its own, until that element is erased.
bool isNodeBasedContainer(clang::QualType T);

/// True if \p T (through references) is a standard associative container
/// with unique keys (std::map, std::set, std::unordered_map,
/// std::unordered_set): iterating it visits each key once.
bool isUniqueKeyContainer(clang::QualType T);

/// How an expression names an element of a container: the container
/// expression when known, and what selects the element — the key or index
/// of `c[k]`, `c.at(k)`, `c.find(k)->second`, `*c.find(k)`, `a[i]` of a
/// built-in array, or the iterator of `*it` and `it->second` (members of the
/// element are looked through: `c[k].x`). Key is null when the expression
/// names no element, or one selected by position (`c.front()`).
struct ElementSelection {
  const clang::Expr *Container = nullptr;
  const clang::Expr *Key = nullptr;
};
ElementSelection elementSelection(const clang::Expr *E);

/// The local reference variable bound to an element of a container through
/// which \p E reaches the object it names (`auto &e = m[k]; e.clear();`:
/// `e`, also inside a lambda that captured `e`), the one nearest the
/// outermost container when there are several (`auto &v = e.second;`, the
/// loop variable of `for (auto &e : m)`); null if none.
const clang::VarDecl *elementReference(const clang::Expr *E);

/// True if a member function named \p Name modifies a container's structure
/// (insert, erase, clear, push_back, resize, reserve, assign, swap, ...; an
/// adapter's push and pop).
bool isStructuralWriteMethod(llvm::StringRef Name);

/// One use of a container in a function: how it bears on the container's
/// emptiness, and the locks it holds (each mutex's identity, opaque here).
struct ContainerUse {
  ContainerRecognizer::EmptinessUse Use;
  llvm::SmallVector<const void *, 2> Held;

  /// True if this use holds a lock \p Other does not.
  bool holdsMoreThan(const ContainerUse &Other) const;
};

/// For each of \p Uses (the container uses of one function), whether it is
/// an emptiness test, unlocked or under other locks than the container's,
/// that only decides whether to take the lock: every other use of its
/// container (\p SameContainer(I, J)) in the function holds a lock the test
/// does not hold (`lock(a); if (i < v.size()) { lock(b); use(v); }`), and a
/// locked use that needs an element comes with a test made again under a
/// lock (`if (!q.empty()) { lock; if (!q.empty())
/// q.pop_front(); }`, `if (q.empty()) return; lock; q.swap(taken);`, a status
/// query `return q.empty();`). A race by the letter that maintainers keep on
/// purpose; pitfall-unlocked-container-access reports such tests only with
/// ReportUnlockedEmptinessChecks.
llvm::SmallVector<bool, 8>
lockingDecisions(llvm::ArrayRef<ContainerUse> Uses,
                 llvm::function_ref<bool(unsigned, unsigned)> SameContainer);

} // namespace pitfall

#endif
