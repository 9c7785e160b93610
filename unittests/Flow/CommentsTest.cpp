//===--- CommentsTest.cpp - the comments that belong to a statement -------===//
#include "FlowTestUtil.h"

#include "pitfall/Core/Comments.h"

#include "clang/AST/Expr.h"

using namespace clang;

namespace pitfall {
namespace test {
namespace {

/// The comments of the call of \p Callee in \p Fn, joined by '|'.
std::string commentsOfCall(TestAST &T, llvm::StringRef Fn,
                           llvm::StringRef Callee) {
  const FunctionDecl *F = T.function(Fn);
  const CallExpr *Call =
      F ? T.find<CallExpr>(F,
                           [&](const CallExpr *C) {
                             const FunctionDecl *D = C->getDirectCallee();
                             return D && D->getName() == Callee;
                           })
        : nullptr;
  if (!Call)
    return "<no call>";
  std::string Out;
  for (llvm::StringRef C :
       commentsOf(Call, T.ctx().getSourceManager(), T.ctx().getLangOpts()))
    Out += (Out.empty() ? "" : "|") + C.str();
  return Out;
}

TEST(CommentsTest, WhichCommentsBelongToAStatement) {
  TestAST T(R"cpp(
    int a(); int b(); int c(); int d(); int e(); int g(int); int h();
    #define CALL_H() h()
    void f(const char *&s) {
      a(); // after a
      // above b, first
      /* above b, second */
      b();

      // separated by a blank line
      s = "// in a string"; c();
      // above d
      int x = 0; d();
      /* before e */ e();
      CALL_H(); // after the macro
      g(
        x); // after g's last line
    }
  )cpp");
  ASSERT_TRUE(T.ok());
  EXPECT_EQ(commentsOfCall(T, "f", "a"), "// after a");
  EXPECT_EQ(commentsOfCall(T, "f", "b"),
            "// above b, first|/* above b, second */");
  EXPECT_EQ(commentsOfCall(T, "f", "c"), "");
  EXPECT_EQ(commentsOfCall(T, "f", "d"), "");
  EXPECT_EQ(commentsOfCall(T, "f", "e"), "/* before e */");
  EXPECT_EQ(commentsOfCall(T, "f", "h"), "// after the macro");
  EXPECT_EQ(commentsOfCall(T, "f", "g"), "// after g's last line");
}

TEST(CommentsTest, SaysDroppedOnPurpose) {
  EXPECT_TRUE(saysDroppedOnPurpose("// Ignore error"));
  EXPECT_TRUE(saysDroppedOnPurpose("// Ignoring errors on purpose"));
  EXPECT_TRUE(saysDroppedOnPurpose("/* result ignored */"));
  EXPECT_TRUE(saysDroppedOnPurpose("// best-effort cleanup"));
  EXPECT_TRUE(saysDroppedOnPurpose("// Deliberately unchecked"));
  EXPECT_TRUE(saysDroppedOnPurpose("// intentionally not checked"));
  EXPECT_FALSE(saysDroppedOnPurpose("// In case it does not exist"));
  EXPECT_FALSE(saysDroppedOnPurpose("// an ignorant comment"));
  EXPECT_FALSE(saysDroppedOnPurpose("// or assign it to std::ignore"));
  EXPECT_FALSE(saysDroppedOnPurpose("// TODO: skip if it does not overlap"));
}

} // namespace
} // namespace test
} // namespace pitfall
