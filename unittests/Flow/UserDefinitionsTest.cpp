//===--- UserDefinitionsTest.cpp - the user's definitions, headers skipped ===//
#include "FlowTestUtil.h"

#include "pitfall/Core/UserDefinitions.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

#include <algorithm>

using namespace clang;
using namespace clang::ast_matchers;

namespace pitfall {
namespace test {
namespace {

/// What the checks matched before collectUserDefinitions(): the finder's
/// matches of the four matchers over the whole translation unit, in the
/// finder's order.
class Matched : public MatchFinder::MatchCallback {
public:
  void run(const MatchFinder::MatchResult &R) override {
    if (const auto *FD = R.Nodes.getNodeAs<FunctionDecl>("fn"))
      Out.push_back(FD);
    else if (const auto *L = R.Nodes.getNodeAs<LambdaExpr>("lambda"))
      Out.push_back(L);
    else if (const auto *F = R.Nodes.getNodeAs<FieldDecl>("field"))
      Out.push_back(F);
    else if (const auto *V = R.Nodes.getNodeAs<VarDecl>("var"))
      Out.push_back(V);
  }
  std::vector<UserDefinition> Out;
};

std::vector<UserDefinition> matched(ASTContext &Ctx) {
  auto User = unless(isExpansionInSystemHeader());
  Matched M;
  MatchFinder F;
  F.addMatcher(functionDecl(User, isDefinition()).bind("fn"), &M);
  F.addMatcher(lambdaExpr(User).bind("lambda"), &M);
  F.addMatcher(fieldDecl(User, hasInClassInitializer(expr())).bind("field"),
               &M);
  F.addMatcher(varDecl(User, hasGlobalStorage(), unless(isStaticLocal()),
                       hasInitializer(expr()))
                   .bind("var"),
               &M);
  F.matchAST(Ctx);
  return M.Out;
}

std::string name(UserDefinition D) {
  if (isa<const LambdaExpr *>(D))
    return "lambda";
  const NamedDecl *N = nullptr;
  if (const auto *FD = dyn_cast<const FunctionDecl *>(D))
    N = FD;
  else if (const auto *F = dyn_cast<const FieldDecl *>(D))
    N = F;
  else
    N = cast<const VarDecl *>(D);
  return N->getQualifiedNameAsString();
}

SourceLocation beginOf(UserDefinition D) {
  if (const auto *L = dyn_cast<const LambdaExpr *>(D))
    return L->getBeginLoc();
  if (const auto *FD = dyn_cast<const FunctionDecl *>(D))
    return FD->getBeginLoc();
  if (const auto *F = dyn_cast<const FieldDecl *>(D))
    return F->getBeginLoc();
  return cast<const VarDecl *>(D)->getBeginLoc();
}

/// The definitions as `name@line`, for failure messages.
std::string names(const std::vector<UserDefinition> &Ds,
                  const SourceManager &SM) {
  std::string Out;
  for (UserDefinition D : Ds)
    Out += name(D) + "@" +
           std::to_string(SM.getPresumedLineNumber(beginOf(D))) + " ";
  return Out;
}

bool contains(const std::vector<UserDefinition> &Ds, llvm::StringRef Name) {
  return llvm::any_of(Ds, [&](UserDefinition D) { return name(D) == Name; });
}

TEST(UserDefinitionsTest, TheFindersNodesInItsOrder) {
  TestAST T(R"cpp(
    #include <functional>
    #include <thread>
    #include <vector>
    struct Item { int v = 1; };
    int counter = 0;
    static auto global_task = [] {
      auto inner = [] { return 1; };
      return inner();
    };
    template <typename T> T twice(T x) { return x + x; }
    template <typename T> struct Box {
      T value{};
      static inline int made = 0;
      T get() const { return value; }
    };
    struct Worker {
      std::thread t{[this] { run(); }};
      void run() {
        static int calls = 0;
        ++calls;
        std::vector<Item> items(3);
        auto generic = [](auto x) { return x; };
        generic(1);
        generic(2.0);
        std::function<int()> f = [] {
          auto nested = [](int x) { return twice(x); };
          return nested(2);
        };
        Box<int> b;
        f();
        b.get();
      }
      ~Worker() { t.join(); }
    };
  )cpp");
  ASSERT_TRUE(T.ok());
  std::vector<UserDefinition> Expected = matched(T.ctx());
  std::vector<UserDefinition> Got = collectUserDefinitions(T.ctx());
  // The same definitions; in the finder's order, except where the finder
  // visits the implicit members of a closure class (its destructor, its
  // conversion) before a lambda nested in the call operator's body and the
  // walk after: no check depends on that order.
  auto Sorted = [](std::vector<UserDefinition> Ds) {
    llvm::sort(Ds, [](UserDefinition A, UserDefinition B) {
      return A.getOpaqueValue() < B.getOpaqueValue();
    });
    return Ds;
  };
  EXPECT_EQ(Sorted(Got), Sorted(Expected));
  auto Explicit = [](std::vector<UserDefinition> Ds) {
    llvm::erase_if(Ds, [](UserDefinition D) {
      const auto *FD = dyn_cast<const FunctionDecl *>(D);
      return FD && FD->isImplicit();
    });
    return Ds;
  };
  EXPECT_EQ(Explicit(Got), Explicit(Expected))
      << names(Got, T.ctx().getSourceManager())
      << "\nexpected: " << names(Expected, T.ctx().getSourceManager());
  // The ones a check needs are there, and nothing of the headers.
  for (llvm::StringRef N :
       {"Item::v", "counter", "global_task", "twice", "Box::value", "Box::made",
        "Box::get", "Worker::t", "Worker::run", "Worker::~Worker"})
    EXPECT_TRUE(contains(Got, N)) << N.str();
  EXPECT_FALSE(contains(Got, "calls")); // a static local
  EXPECT_FALSE(contains(Got, "std::vector::vector"));
  const SourceManager &SM = T.ctx().getSourceManager();
  for (UserDefinition D : Got)
    EXPECT_FALSE(SM.isInSystemHeader(SM.getExpansionLoc(beginOf(D))))
        << name(D);
}

// std::hash<Key<int>> is instantiated from the user's partial
// specialization: located at the primary template in <functional>, with the
// user's operator() as a member. The finder reaches it through std::hash.
TEST(UserDefinitionsTest, InstantiationsOfTheUsersPartialSpecialization) {
  TestAST T(R"cpp(
    #include <functional>
    template <typename T> struct Key { T id; };
    namespace std {
    template <typename T> struct hash<Key<T>> {
      size_t operator()(const Key<T> &k) const { return k.id; }
    };
    } // namespace std
    std::size_t use(Key<int> k) { return std::hash<Key<int>>{}(k); }
  )cpp");
  ASSERT_TRUE(T.ok());
  std::vector<UserDefinition> Expected = matched(T.ctx());
  std::vector<UserDefinition> Got = collectUserDefinitions(T.ctx());
  auto Instantiated = [](UserDefinition D) {
    const auto *FD = dyn_cast<const FunctionDecl *>(D);
    return FD && FD->getNameAsString() == "operator()" &&
           FD->isTemplateInstantiation();
  };
  EXPECT_EQ(llvm::count_if(Expected, Instantiated), 1);
  EXPECT_EQ(llvm::count_if(Got, Instantiated), 1);
  auto Sorted = [](std::vector<UserDefinition> V) {
    llvm::sort(V, [](UserDefinition A, UserDefinition B) {
      return A.getOpaqueValue() < B.getOpaqueValue();
    });
    return V;
  };
  EXPECT_EQ(Sorted(Got), Sorted(Expected));
}

} // namespace
} // namespace test
} // namespace pitfall
