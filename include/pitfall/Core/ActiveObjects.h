//===--- ActiveObjects.h - a project's own serial executors ---------------===//
//
// An active object runs the callables sent to it one after another on its
// one thread: a class with one thread member, started once on a member
// function of the class, whose loop takes callables from a queue member and
// calls them (`while (!done_) { f = q_.pop(); f(); }`). What is sent to one
// such object does not run concurrently with anything else sent to it, as
// with a strand (isSerialExecutor). Recognised by what the class does, not
// by its name.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_ACTIVEOBJECTS_H
#define PITFALL_CORE_ACTIVEOBJECTS_H

namespace clang {
class CXXMethodDecl;
class CXXRecordDecl;
class Expr;
class FunctionDecl;
class QualType;
} // namespace clang

namespace pitfall {

class ThreadTypes;

/// True if \p RD is an active object: exactly one of its data members is a
/// thread (\p Threads; none is a container of threads); its member
/// functions start exactly one thread on one of its own member functions
/// (`std::thread(&C::run, this)`, or a lambda calling one), outside any
/// loop; and that function has a loop which calls a local callable the
/// function takes from a data member of the class (the local passed to a
/// call on the member, `q_.wait_and_pop(f)`, or initialised or assigned
/// from one, `f = q_.pop()`).
bool isActiveObject(const clang::CXXRecordDecl *RD, const ThreadTypes &Threads);

/// The member function an active object's thread runs (the loop that calls
/// the queued callables), or null if \p RD is no active object.
const clang::CXXMethodDecl *activeObjectLoop(const clang::CXXRecordDecl *RD,
                                             const ThreadTypes &Threads);

/// For the call operator of a lambda that a member function of an active
/// object sends to its own object (`send([this] { done_ = true; })`: a call
/// on `this` of a member that hands its callable parameter to a data member
/// of the object, the queue), the loop that runs it: it runs on the
/// object's thread, between two turns of that loop. Null otherwise.
const clang::CXXMethodDecl *
loopRunningLambda(const clang::CXXMethodDecl *CallOperator,
                  const ThreadTypes &Threads);

/// The same for the class \p T names, through pointers, references and
/// smart pointers.
bool isActiveObjectType(clang::QualType T, const ThreadTypes &Threads);

/// The argument of the call \p Call of \p Callee (a project's function that
/// runs its callable argument elsewhere) that is the active object the
/// callee sends to: the callee's body calls a member function of an active
/// object, with a callable argument, on one of its parameters (`a->send(
/// [task] { (*task)(); })` in `spawn(F f, Active *a)`); null if none, or
/// several parameters are.
const clang::Expr *activeObjectArgument(const clang::Expr *Call,
                                        const clang::FunctionDecl *Callee,
                                        const ThreadTypes &Threads);

} // namespace pitfall

#endif // PITFALL_CORE_ACTIVEOBJECTS_H
