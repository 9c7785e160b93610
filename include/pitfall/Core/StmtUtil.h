//===--- StmtUtil.h - small statement predicates shared by the checks -----===//
#ifndef PITFALL_CORE_STMTUTIL_H
#define PITFALL_CORE_STMTUTIL_H

#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"

namespace pitfall {

/// True for `for`, range-for, `while` and `do` statements.
inline bool isLoopStmt(const clang::Stmt *S) {
  return llvm::isa_and_nonnull<clang::ForStmt, clang::CXXForRangeStmt,
                               clang::WhileStmt, clang::DoStmt>(S);
}

} // namespace pitfall

#endif
