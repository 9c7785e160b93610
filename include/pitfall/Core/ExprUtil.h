//===--- ExprUtil.h - what an expression is, under the implicit nodes -----===//
//
// The small AST questions every analysis asks, answered once:
//   * the expression under the implicit nodes the front end wraps around it
//     (parentheses, implicit casts, temporaries, cleanups), with or without
//     looking through std::move / std::forward and copies;
//   * whether a call is a given function of the standard library;
//   * which parameter an argument is bound to;
//   * the object an expression names, as a path from a root (a local, a
//     parameter, `this`, a global) through fields: `t`, `this->worker_`,
//     `p->mu`, `*sp`, `self.jobs_`;
//   * the statements of a function outside its lambdas' bodies.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_EXPRUTIL_H
#define PITFALL_CORE_EXPRUTIL_H

#include "clang/AST/Stmt.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <initializer_list>
#include <optional>
#include <string>

namespace clang {
class ASTContext;
class CallExpr;
class CXXConstructorDecl;
class CXXDestructorDecl;
class CXXRecordDecl;
class Decl;
class Expr;
class FieldDecl;
class FunctionDecl;
class ParmVarDecl;
class MemberExpr;
class SourceManager;
class ValueDecl;
class VarDecl;
} // namespace clang

namespace pitfall {

/// True for `for`, range-for, `while` and `do` statements.
bool isLoopStmt(const clang::Stmt *S);

/// Skips parentheses, implicit casts, ExprWithCleanups, temporary
/// materialization and binding, functional casts and ConstantExpr: the
/// expression as written, whatever the traversal mode shows. Does not look
/// through std::move or copies.
const clang::Expr *skipImplicit(const clang::Expr *E);

/// The declaration \p S names as written: a DeclRefExpr's declaration or a
/// MemberExpr's member; null for any other statement.
const clang::ValueDecl *namedDecl(const clang::Stmt *S);

/// The object a built-in assignment (`=`, `+=`, ...), increment or
/// decrement \p S stores into, as written; null if \p S is none of them.
const clang::Expr *builtinStoreTarget(const clang::Stmt *S);

/// The operands of a plain assignment \p S, built-in (`a = b`) or
/// overloaded (`operator=` called with two arguments, the object first),
/// as written; nullopt if \p S is no such assignment (compound ones, `+=`,
/// included).
struct AssignmentOperands {
  const clang::Expr *Target;
  const clang::Expr *Value;
};
std::optional<AssignmentOperands> assignmentOperands(const clang::Stmt *S);

/// The operand whose truth value \p E, a condition, has: \p E without
/// parentheses, casts and the branch-prediction hints `__builtin_expect(e, c)`
/// and `__builtin_expect_with_probability(e, c, p)` (the `likely` /
/// `unlikely` macros), which return their operand's value.
const clang::Expr *skipTruthPreserving(const clang::Expr *E);

/// skipImplicit(), and also std::move / std::forward calls and copy or move
/// constructions of a single argument: the value an expression passes on.
const clang::Expr *skipMovesAndCopies(const clang::Expr *E);

/// True if \p FD is a function (or function template specialization) of
/// namespace std (inline namespaces included) named one of \p Names.
bool isStdFunction(const clang::FunctionDecl *FD,
                   std::initializer_list<llvm::StringRef> Names);

/// std::move(x) or std::forward<T>(x).
bool isStdMove(const clang::Expr *E);

/// True if \p T (its qualifiers aside) is a std::unique_ptr: the one owner
/// of what it points to.
bool isStdUniquePtr(clang::QualType T);

/// The operand of std::move(x) / std::forward(x) under implicit nodes, or
/// null if \p E is not such a call.
const clang::Expr *movedOperand(const clang::Expr *E);

/// The index of the first argument of \p Call that is a real argument of the
/// callee: 1 for a member operator call (argument 0 is the object), else 0.
unsigned firstCallArgument(const clang::CallExpr *Call);

/// The parameter argument \p ArgIndex of \p Call is bound to (member
/// operator calls and variadic arguments accounted for), or null.
const clang::ParmVarDecl *paramForArg(const clang::CallExpr *Call,
                                      unsigned ArgIndex);
/// The same, finding the argument by identity (after skipImplicit()).
const clang::ParmVarDecl *paramForArg(const clang::CallExpr *Call,
                                      const clang::Expr *Arg);

/// The parameter as written: for a parameter of a template instantiation
/// (a function template specialization, a member of a class template), the
/// parameter of the pattern it was instantiated from, whose type shows how
/// the declaration takes the argument (`T &&` stays a forwarding reference
/// whatever T is deduced as; a pack `Args &...` is one parameter). \p Param
/// itself when it is not instantiated.
const clang::ParmVarDecl *writtenParam(const clang::ParmVarDecl *Param);

/// True if binding an argument to \p Param lets the callee change or keep
/// the object (a non-const reference or a pointer, a forwarding reference),
/// or if the parameter is unknown.
bool mayModifyThrough(const clang::ParmVarDecl *Param);

/// Where an object path starts.
enum class RootKind : uint8_t {
  Local,  ///< an automatic variable of the function (not a parameter)
  Param,  ///< a parameter
  This,   ///< the object a member function is called on
  Global, ///< a namespace-scope, static or thread_local variable
};

/// The object an expression names: a root and a chain of fields. Pointers
/// and smart pointers are looked through (`p->x` and `(*p).x` are the same
/// path as `p.x`), so a path names the object a variable designates, not
/// the variable's own storage when it is a pointer.
struct ObjectPath {
  RootKind Kind = RootKind::Local;
  /// The root variable or parameter; null for This.
  const clang::ValueDecl *Root = nullptr;
  llvm::SmallVector<const clang::FieldDecl *, 2> Fields;
  /// True if a pointer or smart pointer was dereferenced on the way.
  bool ThroughPointer = false;
  /// True if an element was selected on the way (`threads[i]`, `*it`): the
  /// path then names the container, standing for one of its elements.
  bool Element = false;

  /// Equality ignores how the object was reached (ThroughPointer, Element).
  bool operator==(const ObjectPath &O) const {
    return Kind == O.Kind && Root == O.Root && Fields == O.Fields;
  }
  bool operator!=(const ObjectPath &O) const { return !(*this == O); }
  /// True if this path is \p Prefix or lies under it (a field of it).
  bool startsWith(const ObjectPath &Prefix) const;
  /// The last declaration of the path: the last field, or the root.
  const clang::ValueDecl *leaf() const;
  /// `t`, `this->worker_`, `p->mu`: for messages.
  std::string str() const;
  /// For the parameter root: its index; -1 otherwise.
  int paramIndex() const;
};

llvm::hash_code hash_value(const ObjectPath &P);

/// Sets of objects as small vectors (few objects per function): the
/// lattices of the flow analyses.
using PathSet = llvm::SmallVector<ObjectPath, 4>;
void insertPath(llvm::SmallVectorImpl<ObjectPath> &S, const ObjectPath &P);
void erasePath(llvm::SmallVectorImpl<ObjectPath> &S, const ObjectPath &P);
/// Keeps in \p Into the objects that are also in \p From.
void intersectPaths(llvm::SmallVectorImpl<ObjectPath> &Into,
                    llvm::ArrayRef<ObjectPath> From);
void unitePaths(llvm::SmallVectorImpl<ObjectPath> &Into,
                llvm::ArrayRef<ObjectPath> From);
/// The same objects, in any order.
bool samePaths(llvm::ArrayRef<ObjectPath> A, llvm::ArrayRef<ObjectPath> B);

/// The object \p E hands on by reference or by address: the operand of
/// `std::ref(x)`, `std::cref(x)`, `std::addressof(x)` or `&x` (through
/// implicit nodes and copies of the wrapper); null for anything else. A
/// task's start given it shares x with the task.
const clang::Expr *referencedOperand(const clang::Expr *E);

/// True if \p Body (outside its lambdas) changes variable \p V: assigns
/// it (`=`, compound assignments, an overloaded operator=), increments or
/// decrements it.
bool changesVariable(const clang::Stmt *Body, const clang::VarDecl *V);

/// The integer value of \p E (a bool, an enumerator, an integer) when the
/// parameters it reads have the values \p Param gives (nullopt for one it
/// does not know): literals, `true`/`false`, enumerators and other constant
/// expressions, the parameters, `!`, unary `-` and `~`, comparisons,
/// arithmetic, bitwise operators and `&&`/`||` (decided by one operand when
/// it decides them), `?:`, through parentheses and casts. nullopt when it
/// reads anything else (a member, a call, a local).
std::optional<int64_t> evaluateInteger(
    const clang::Expr *E, const clang::ASTContext &Ctx,
    llvm::function_ref<std::optional<int64_t>(const clang::ParmVarDecl *)>
        Param);

/// The data member \p E names directly through `this` (`f_`, `this->f_`,
/// through implicit nodes), or null: no deeper path, no pointee.
const clang::FieldDecl *thisField(const clang::Expr *E);

/// The data member \p S writes, if \p S is a write of one: the left side
/// of an assignment (compound ones and an overloaded operator= included),
/// the operand of `++` / `--`, the object of a non-const member call
/// (`flag.store(true)`), or the operand of `&` (\p AddressTaken: whoever
/// holds the pointer may write). \p Value is what a plain `=` stores, null
/// otherwise. Through any object (`this->f`, `p->f`).
const clang::MemberExpr *writtenMember(const clang::Stmt *S,
                                       const clang::Expr *&Value,
                                       bool &AddressTaken);

/// Calls \p Fn for every data member of `this` that \p Body writes (its
/// lambdas included): assigned, incremented, or the object of a non-const
/// member call (`flag.store()`).
void forEachWrittenField(const clang::Stmt *Body,
                         llvm::function_ref<void(const clang::FieldDecl *)> Fn);

/// The object \p E names, or nullopt: through parentheses, implicit nodes,
/// `&`, `*`, `->`, `.`, operator* and operator-> of smart pointers and
/// iterators (the pointee), std::ref / std::move, element accesses
/// (`a[i]`, `c.front()`, `c.back()`, `c.at(i)`, `s.top()`: the container,
/// with Element set — a deliberate approximation), and reference
/// variables initialised from another named object (`auto &l = latch_;`,
/// init-captures `[&l = latch_]`). At most \p MaxFields fields deep.
std::optional<ObjectPath> objectPathOf(const clang::Expr *E,
                                       unsigned MaxFields = 3);

/// The object \p E names, as objectPathOf() names it, except that the
/// target of a local pointer is named by where the pointer's value comes
/// from. The pointer is a variable of automatic storage (an init-capture, a
/// variable a lambda captures by copy; not a parameter) of raw or smart
/// pointer type (`std::shared_ptr`, `std::weak_ptr`, `std::unique_ptr`,
/// Boost's), that the function declaring it (its lambdas included) never
/// assigns, resets, swaps, binds to a non-const reference or takes the
/// address of, and whose initialiser copies or moves another pointer
/// (`auto m = mtx_;`, `std::weak_ptr<M> w(mtx_);`, `w.lock()`, `p.get()`),
/// takes an object's address (`&mu_`) or is the function's own object
/// (`shared_from_this()`, `this`): `*m` then names what `*mtx_` names,
/// `self->mu_` the `mu_` of `this`. Followed through at most four such
/// variables. The result of a getter's call (memberReturnedBy()) names the
/// member the getter returns, of the object it is called on. One object
/// under two names: the lock analyses name a mutex with it.
std::optional<ObjectPath> pointeePathOf(const clang::Expr *E,
                                        unsigned MaxFields = 3);

/// The value \p FD returns when its body is its one `return`, after
/// statements that cannot return at most: calls (`MarkChecked();`) and
/// declarations of static locals (`static Meta *m = new Meta;`); null
/// otherwise. What a status class's success test or an accessor answers.
const clang::Expr *soleReturnValue(const clang::FunctionDecl *FD);

/// The data member of `*this` that the member function \p FD returns by
/// reference or pointer, named as `this`'s (`Spin &lockRef() { return
/// spin_; }`, `M *mutexPtr() { return &mu_; }`, `return this->a.mu;`): a
/// getter, whose body is that one return statement. Nullopt for a function
/// that does anything else, returns through a pointer member or an element,
/// or is virtual and not final (an override may return another object).
/// pointeePathOf() names the result of a getter's call `obj.lockRef()` as
/// `obj.spin_`.
std::optional<ObjectPath> memberReturnedBy(const clang::FunctionDecl *FD);

/// True if the member function \p FD returns a part of the object it is
/// called on: a getter of a data member (memberReturnedBy()), or one whose
/// body is only `return *p_;` or `return p_;` with `p_` a pointer data
/// member of `*this` (a pimpl: `Impl &impl() { return *_pImpl; }`), not
/// virtual (or final).
bool returnsPartOfObject(const clang::FunctionDecl *FD);

/// The root declaration of objectPathOf(E)'s path when it has no fields (a
/// variable or parameter named directly), or null.
const clang::VarDecl *namedVariable(const clang::Expr *E);

/// The variable a declaration statement declares when it declares exactly
/// one (`T v(...);`), or null. Use this, not DeclStmt::getSingleDecl(): on
/// a group (`T a(x), b(y);`) that returns a tagged DeclGroup pointer, not a
/// declaration, and a cast of it reads garbage.
const clang::VarDecl *singleVarDecl(const clang::Stmt *S);

/// The variable of \p S (a declaration statement, single or a group) whose
/// initialiser is \p Init, implicit wrappers skipped on both sides, or null.
const clang::VarDecl *varInitialisedBy(const clang::Stmt *S,
                                       const clang::Expr *Init);

/// True if \p Object, the object of a member call in \p FD's body, is one
/// that each run of \p FD has to itself: a local object of \p FD (not a
/// reference, not static), an object \p FD (a lambda's call operator)
/// captures by copy, or the target of such a pointer (raw or smart, through
/// `->` or `*`) whose variable is initialised with a fresh allocation
/// (`new`, `std::make_shared`, `std::make_unique`, `std::allocate_shared`,
/// a smart pointer built from `new`). Each start of a task whose lambda
/// captures `auto c = std::make_shared<Conn>()` by copy has its own `Conn`.
/// Whether the object escapes afterwards is not followed.
bool isPerRunObject(const clang::Expr *Object, const clang::FunctionDecl *FD);

/// The expression of \p Value (a pointer's initialiser or the value
/// assigned to it) that allocates a new object the pointer is its only
/// holder of: a `new` expression (also inside a smart pointer built from
/// it), a call of `std::make_shared`, `std::make_unique`,
/// `std::allocate_shared` (and the `_for_overwrite` forms), or any call
/// returning a `std::unique_ptr` by value (a factory, a builder called
/// through a std::function). Null otherwise.
const clang::Expr *freshAllocation(const clang::Expr *Value);

/// The call \p Value (a pointer's initialiser or the value assigned to it)
/// is when it may return a new object by what its callee does, not by what
/// it is: a call returning a pointer or a smart pointer by value that
/// freshAllocation() does not take for new by itself, of a function of the
/// project (`State::create()`, `pool.acquire()`) or through a callable
/// object (`factory_()`, a `std::function`). Whether its result is new is
/// its callee's body's (returnsFreshObject()). Null otherwise.
const clang::CallExpr *factoryCall(const clang::Expr *Value);

/// True if \p FD's body returns a pointer to a new object on every path
/// that returns one: each `return` (outside lambdas) returns a fresh
/// allocation (freshAllocation(), a placement `new` included), a null
/// pointer, or the result of a direct call of a function whose body does
/// so in turn (six functions deep: a pool allocator's `T *t =
/// construct<T>(p); return t;` behind a pimpl's `make()`), directly or
/// through a local pointer it was initialised with and never changed; at
/// least one returns an object.
bool returnsFreshObject(const clang::FunctionDecl *FD);

/// The initialiser of the local pointer variable \p V names (`T *t =
/// construct<T>(p); return t;`) when \p Body never assigns the variable nor
/// takes its address; null otherwise.
const clang::Expr *unchangedLocalInit(const clang::Expr *V,
                                      const clang::Stmt *Body);

/// The thread-local pointer variable (`thread_local`, `__thread`) whose
/// value \p Object is: the variable itself (`gCur->f()`), or a local
/// pointer of \p Body initialised from it and never changed (`auto s =
/// gCur; if (s) s->f();`). Each thread has its own; null otherwise.
const clang::VarDecl *threadLocalPointer(const clang::Expr *Object,
                                         const clang::Stmt *Body);

/// What \p Body (outside lambdas) does to thread-local pointer variables:
/// for each one it names, whether it only reads it or gives it `this` or a
/// null pointer (CurrentOnly: the thread's current object of the
/// function's class), and whether it gives it `this`. Any other store, a
/// reference bound to it or its address taken is not CurrentOnly.
struct ThreadLocalStores {
  const clang::VarDecl *Var = nullptr;
  bool CurrentOnly = true;
  bool StoresThis = false;
};
llvm::SmallVector<ThreadLocalStores, 1>
threadLocalStores(const clang::Stmt *Body);

/// True if \p Value, a pointer's initialiser or the value assigned to it,
/// is a null pointer: `nullptr`, `NULL`, `0`, `{}`, a smart pointer
/// default-constructed or built from one of these.
bool isNullPointerValue(const clang::Expr *Value, clang::ASTContext &Ctx);

/// True if \p T is a raw pointer or a smart pointer of the standard library
/// or Boost (`shared_ptr`, `weak_ptr`, `unique_ptr`).
bool isPointerLike(clang::QualType T);

/// The class an object of type \p T points or refers to: a raw pointer's or
/// a reference's pointee, a standard or Boost smart pointer's element
/// (isPointerLike()); null for anything else, or a pointee that is no class.
const clang::CXXRecordDecl *pointeeClass(clang::QualType T);

/// True if \p T is a handle class: a class whose state is shared by its
/// copies because every non-static data member (its bases' included) is a
/// `std::shared_ptr` / `boost::shared_ptr` or itself a handle, and there is
/// at least one; or because its state is behind raw pointers its copies
/// share: its data members are raw pointers (at least one), shared pointers
/// or handles, none `mutable`, no member function but the special ones
/// points them elsewhere, and its copy constructor copies them (implicit or
/// defaulted, a visible one initialising each from the source's, or one out
/// of sight when every other member function is const: coost's
/// co::wait_group). A copy of a handle designates the same object as the
/// original (a WaitGroup or an event whose copies share one counter).
/// A smart pointer alone is not a handle: a copy of it is another pointer to
/// the same object, not the same object.
bool isSharedHandle(clang::QualType T);

/// True if \p Pointer (`self`, or the `self.operator->()` of a smart
/// pointer) is a variable initialised with its function's own object:
/// `auto self = shared_from_this();`, `T *self = this;`, also where a lambda
/// that function creates captures it by copy (`[self] { self->f(); }`).
bool holdsThis(const clang::Expr *Pointer);

/// The `std::unique_ptr` data member whose `->` or `*` \p Op calls (`p_->`,
/// `*p_`): what it owns is part of the member's object (a pimpl). Null for
/// anything else.
const clang::MemberExpr *owningMemberOf(const clang::Expr *Op);

/// The argument \p Call hands back: a call of a function each of whose
/// `return`s returns one and the same pointer or reference parameter,
/// converted (casts, `&` and `*` of its conversions: cpp-ipc's `impl(p_)`,
/// which returns `p_` itself or the object kept in its bytes). Null for
/// anything else.
const clang::Expr *returnedArgument(const clang::CallExpr *Call);

/// True if the raw pointer data member \p Field owns what it points to, as
/// a std::unique_ptr member would (a pimpl): it is private, its class has
/// no friends, no member templates and no implicit or defaulted copy or
/// move (which would copy the pointer), every member function of its class
/// is defined in the translation unit, and they name it only to reach what
/// it points to (`p_->x`, `*p_`, through calls returning it:
/// returnedArgument()), to compare, test or delete it, or to give it a new
/// object: a null pointer, a fresh allocation (freshAllocation()) or a
/// factory whose body returns a new object on every path
/// (returnsFreshObject()), as the constructors' initialisers and its
/// default member initialiser do too. Never copied, returned, handed to
/// another call or given an object that exists elsewhere (a registry's).
bool ownsPointee(const clang::FieldDecl *Field);

/// True if the raw pointer data member \p Field is given, by a constructor's
/// initialiser, an object the constructor's caller hands it (a pointer
/// parameter, or the address of a reference parameter): its target is the
/// caller's object, no part of the one that holds the pointer.
bool pointsIntoCaller(const clang::FieldDecl *Field);

/// The raw pointer data member of `this` that \p Ptr names (directly,
/// through casts or calls that return it: returnedArgument()) when it owns
/// its object (ownsPointee()); null otherwise.
const clang::MemberExpr *ownedPointerOf(const clang::Expr *Ptr);

/// The data members through which \p E names a part of its function's own
/// object, outermost first: `this` (or a pointer holdsThis() accepts) gives
/// none, `this->a_.b_` gives a_ and b_. Every step keeps to that object: a
/// member that is not a reference, reached with `.` or `->` on the object,
/// or with `->` / `*` on a `std::unique_ptr` member or on a raw pointer
/// member that owns its object (ownsPointee(), also through a call that
/// returns it: `impl(p_)->sem_`); what it owns is part of its owner: a
/// pimpl. Nothing for anything else: a member reached through another raw
/// or a shared pointer member or a reference member (two owners may share
/// it), an element of a container, an object a call returns, a local.
std::optional<llvm::SmallVector<const clang::FieldDecl *, 4>>
ownedMemberChain(const clang::Expr *E);

/// Where the object a member call is made on comes from, as far as its
/// expression \p Object says (objectOrigin()).
enum class ObjectOrigin {
  /// One object whoever runs the code on the same `this`: `this` (or a
  /// pointer holdsThis() accepts), a global, a static data member or a
  /// static local, a variable a lambda captures (what the code that made
  /// the lambda handed it), and what these reach through data members of
  /// any kind, `*` and `->` of a smart pointer, and getters (a member
  /// function of no arguments returning a pointer or a reference).
  Fixed,
  /// The same, from a parameter of the function.
  Param,
  /// Anything else: a local, a container's element, an object a call
  /// returns by value or from arguments.
  Unknown,
};
/// \p Param, when given, is set to the parameter of an ObjectOrigin::Param.
ObjectOrigin objectOrigin(const clang::Expr *Object,
                          const clang::ParmVarDecl **Param = nullptr);

/// The class of the object `this` points to in \p FD's body: a non-static
/// member function's class; for a lambda's call operator, that of the
/// function that defines the lambda (the `this` it may capture), or the
/// class whose member initialiser holds it. Null for a function without
/// one (a free or static function, a lambda of one).
const clang::CXXRecordDecl *thisClassOf(const clang::FunctionDecl *FD);

/// True if \p Root (a body or any statement, lambdas included) names the
/// data member \p Field.
bool mentionsField(const clang::Stmt *Root, const clang::FieldDecl *Field);

/// True if \p FD is a member function that assigns or exchanges its whole
/// object with another object of its class, by what it does: it has a
/// parameter of its own class's type (by reference or by value), and its
/// body assigns a data member of `this` from the same member of that
/// parameter (`items_ = std::move(other.items_)`, `items_ = other.items_`),
/// swaps the two (`swap(items_, other.items_)`, `items_.swap(other.items_)`),
/// or hands the parameter to such a member function of `this` (copy and
/// swap: `swap(other)`). A copy or move assignment operator and a `swap`
/// member; another object's member read element by element is not one.
bool isWholeObjectAssignment(const clang::FunctionDecl *FD);

/// True if \p FD is an assignment operator that drops what it is given, by
/// what it does: its class has no data members (nor bases that have), and
/// its body (a template's pattern for an instantiation) never names its
/// parameter: `std::ignore = f()` (libstdc++'s `_Swallow_assign`, libc++'s
/// `__ignore_type`), a project's own sink. Assigning to such an object
/// stores nothing.
bool discardsAssignedValue(const clang::FunctionDecl *FD);

/// The definition of \p FD when it has a body in the translation unit, or
/// null.
const clang::FunctionDecl *definitionOf(const clang::FunctionDecl *FD);

/// \p RD's destructor: CXXRecordDecl::getDestructor(), or in a class
/// template (a dependent class) the one written, which lookup does not
/// return (C++20 selects among prospective destructors only when a
/// specialization is instantiated). Null when none is declared (implicit).
const clang::CXXDestructorDecl *destructorOf(const clang::CXXRecordDecl *RD);

/// The functions of the user's code that destroying an object of type \p T
/// runs on what it owns: its class's destructor, and for a
/// `std::unique_ptr<P, D>` the call operators of its deleter class `D`
/// (they receive the owned pointer: libcuckoo's `AllUnlocker`).
llvm::SmallVector<const clang::FunctionDecl *, 2>
destructionCallees(clang::QualType T);

/// The constructor `std::make_shared<T>(args)`, `std::make_unique<T>(args)`
/// or `std::allocate_shared<T>(alloc, args)` runs (inside the library, where
/// a call graph of the user's code does not see it): the one constructor of
/// the class T, copy and move constructors aside, that takes that many
/// arguments, or among several the one whose parameters have the
/// arguments' types. Null when \p Call is none of these or none is known.
const clang::CXXConstructorDecl *constructorMadeBy(const clang::CallExpr *Call);

/// True if \p RD itself declares an operator(), a template one included
/// (std::function's, std::bind's result, a functor); its bases are not
/// searched.
bool declaresCallOperator(const clang::CXXRecordDecl *RD);

/// Sorts \p Fns by where they are written, keeping the given order among
/// those written at one place (the instantiations of one template): a
/// deterministic order for analyses that run over a translation unit.
void sortInSourceOrder(llvm::MutableArrayRef<const clang::FunctionDecl *> Fns,
                       const clang::SourceManager &SM);

/// True if the source text of \p Inner lies within that of \p Outer, both
/// taken where they are expanded: a loop a macro writes (a test framework's
/// `for (auto s = section(); s; s.leave()) { body }`) contains what its
/// body declares. SourceRange::fullyContains() compares raw encodings,
/// which are not ordered across macro expansions and files.
bool sourceContains(const clang::SourceManager &SM, clang::SourceRange Outer,
                    clang::SourceRange Inner);

/// What walkOutsideLambdas does with a lambda expression: its body is a
/// function of its own, run when the lambda is called.
enum class LambdaBodies {
  /// Neither the lambda nor anything in it is visited.
  Skip,
  /// The lambda is visited, then the initialisers of its captures (which
  /// run where the lambda is written); its body is not.
  CapturesOnly,
};

/// Visits \p Root and the statements under it, depth first with an explicit
/// stack (a statement is visited before its children, which are visited
/// last child first), leaving out the bodies of lambdas as \p Lambdas says.
/// \p Visit returns false to stop the walk. Returns false if the walk was
/// stopped, true if it visited everything.
bool walkOutsideLambdas(const clang::Stmt *Root, LambdaBodies Lambdas,
                        llvm::function_ref<bool(const clang::Stmt *)> Visit);

/// As above over the body of \p D (a function, a block) and, for a
/// constructor, the initialisers of its members and bases (visited before the
/// body, the last one first).
bool walkOutsideLambdas(const clang::Decl *D, LambdaBodies Lambdas,
                        llvm::function_ref<bool(const clang::Stmt *)> Visit);

} // namespace pitfall

#endif // PITFALL_CORE_EXPRUTIL_H
