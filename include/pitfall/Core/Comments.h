//===--- Comments.h - what the comments next to a statement say -----------===//
//
// A maintainer who drops a result on purpose often says so where it happens
// (`env->RemoveDir(d); // Ignore error in case the dir is not empty`), as a
// cast to void would. The comments that belong to a statement are those
// after its last token on its last line, a block comment before it on its
// first line, and, when it starts its line, the block of comment-only lines
// right above it (no blank line or code between them). Trailing comments
// are found by the raw lexer, so a `//` inside a string literal is not one;
// a statement written by a macro has the comments of the macro's use.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_COMMENTS_H
#define PITFALL_CORE_COMMENTS_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

namespace clang {
class LangOptions;
class SourceManager;
class Stmt;
} // namespace clang

namespace pitfall {

/// The text of the comments that belong to \p S (see above), in source
/// order; empty for a statement written in a macro's body.
llvm::SmallVector<llvm::StringRef, 2> commentsOf(const clang::Stmt *S,
                                                 const clang::SourceManager &SM,
                                                 const clang::LangOptions &LO);

/// True if \p Comment says that a result is dropped on purpose: it speaks
/// of ignoring ("ignore", "ignored", "ignoring"; not the name
/// `std::ignore`), of doing so deliberately or intentionally, or of a best
/// effort.
bool saysDroppedOnPurpose(llvm::StringRef Comment);

} // namespace pitfall

#endif
