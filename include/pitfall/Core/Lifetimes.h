//===--- Lifetimes.h - objects that outlive a loop iteration --------------===//
//
// Lifetime facts about local variables: whether a variable names an object
// that outlives any one loop iteration, which member functions store their
// argument in the object, and whether a type can be copied. (Which loop owns
// a variable: lib/Flow/LoopCaptures.)
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_LIFETIMES_H
#define PITFALL_CORE_LIFETIMES_H

#include "llvm/ADT/StringRef.h"

namespace clang {
class QualType;
class VarDecl;
} // namespace clang

namespace pitfall {

/// True if \p D (a variable) names an object that outlives any one loop
/// iteration even though it may be declared in one: globals, statics,
/// parameters, and reference variables not bound to a temporary.
bool refersToLongLivedObject(const clang::VarDecl *D);

/// Member functions that keep their argument in the object: push_back,
/// emplace_back, insert, push, emplace, try_emplace, ... (containers,
/// queues, optionals, task graphs).
bool isStoringMemberName(llvm::StringRef Name);

/// True if an object of type \p T can be copy-constructed (what a by-copy
/// lambda capture needs). Unknown or incomplete types count as copyable.
bool isCopyConstructible(clang::QualType T);

} // namespace pitfall

#endif
