//===--- ExprUtilTest.cpp - object paths and the throw model -------------===//
#include "FlowTestUtil.h"

#include "pitfall/Core/ExprUtil.h"
#include "pitfall/Flow/Throws.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace pitfall {
namespace test {
namespace {

/// The object path of the argument of the call to `probe` in \p Fn.
std::string pathOfProbe(TestAST &T, llvm::StringRef Fn) {
  const auto *Call = T.find<CallExpr>(T.function(Fn), [](const CallExpr *C) {
    return C->getDirectCallee() && C->getDirectCallee()->getName() == "probe";
  });
  if (!Call)
    return "<no call>";
  std::optional<ObjectPath> P = objectPathOf(Call->getArg(0));
  if (!P)
    return "<none>";
  std::string S = P->str();
  if (P->Element)
    S += "[]";
  return S;
}

TEST(ExprUtilTest, ObjectPaths) {
  TestAST T(R"cpp(
    #include <memory>
    #include <mutex>
    #include <vector>
    template <typename T> void probe(T &&);
    struct Inner { std::mutex mu; };
    struct S {
      Inner in;
      std::vector<int> v;
      static int counter;
      void member() { probe(in.mu); }
      void element() { probe(v[0]); }
      void front() { probe(v.front()); }
      void stat() { probe(counter); }
    };
    void param(S &s) { probe(s.in.mu); }
    void pointer(S *p) { probe(p->in); }
    void smart(std::unique_ptr<S> &u) { probe(u->v); }
    void alias(S &s) { auto &r = s.in; probe(r.mu); }
    void moved(S s) { probe(std::move(s.v)); }
    void iter(std::vector<int> &v) { auto it = v.begin(); probe(*it); }
    int global;
    void glob() { probe(&global); }
    void notAnObject() { probe(1 + 2); }
  )cpp");
  ASSERT_TRUE(T.ok());
  EXPECT_EQ(pathOfProbe(T, "S::member"), "this->in.mu");
  EXPECT_EQ(pathOfProbe(T, "S::element"), "this->v[]");
  EXPECT_EQ(pathOfProbe(T, "S::front"), "this->v[]");
  EXPECT_EQ(pathOfProbe(T, "S::stat"), "counter");
  EXPECT_EQ(pathOfProbe(T, "param"), "s.in.mu");
  EXPECT_EQ(pathOfProbe(T, "pointer"), "p->in");
  EXPECT_EQ(pathOfProbe(T, "smart"), "u->v");
  EXPECT_EQ(pathOfProbe(T, "alias"), "s.in.mu");
  EXPECT_EQ(pathOfProbe(T, "moved"), "s.v");
  EXPECT_EQ(pathOfProbe(T, "iter"), "v[]");
  EXPECT_EQ(pathOfProbe(T, "glob"), "global");
  EXPECT_EQ(pathOfProbe(T, "notAnObject"), "<none>");
}

ThrowKind kindOfCallIn(TestAST &T, llvm::StringRef Fn, llvm::StringRef Callee) {
  const auto *Call = T.find<CallExpr>(T.function(Fn), [&](const CallExpr *C) {
    return C->getDirectCallee() && C->getDirectCallee()->getName() == Callee;
  });
  if (!Call) {
    ADD_FAILURE() << "no call to " << Callee.str();
    return ThrowKind::None;
  }
  return T.flow().throws().classify(Call, T.ctx());
}

/// The names the DeclRefExprs visited by walkOutsideLambdas refer to, in
/// visiting order, and "[]" for each lambda visited.
std::string walked(const Decl *D, LambdaBodies Lambdas) {
  std::string Out;
  walkOutsideLambdas(D, Lambdas, [&](const Stmt *S) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      Out += " " + Ref->getDecl()->getNameAsString();
    else if (isa<LambdaExpr>(S))
      Out += " []";
    return true;
  });
  return Out;
}

TEST(ExprUtilTest, WalkOutsideLambdas) {
  TestAST T(R"cpp(
    void f(int p, int q) {
      auto l = [p, r = q] { return p + r; };
      int c = p;
    }
    struct W {
      int a, b;
      W(int x, int y, int z) : a(x), b(y) { int c = z; }
    };
  )cpp");
  ASSERT_TRUE(T.ok());
  const FunctionDecl *F = T.function("f");
  // Children last first; a lambda's body is never walked.
  EXPECT_EQ(walked(F, LambdaBodies::Skip), " p");
  EXPECT_EQ(walked(F, LambdaBodies::CapturesOnly), " p [] q p");
  // A constructor's initialisers come before its body, the last one first.
  EXPECT_EQ(walked(T.function("W::W"), LambdaBodies::Skip), " y x z");
  // Visit stops the walk by returning false.
  unsigned Visited = 0;
  EXPECT_FALSE(walkOutsideLambdas(F->getBody(), LambdaBodies::CapturesOnly,
                                  [&](const Stmt *S) {
                                    ++Visited;
                                    return !isa<LambdaExpr>(S);
                                  }));
  EXPECT_TRUE(walkOutsideLambdas(F->getBody(), LambdaBodies::Skip,
                                 [](const Stmt *) { return true; }));
  unsigned All = 0;
  walkOutsideLambdas(F->getBody(), LambdaBodies::CapturesOnly,
                     [&](const Stmt *) { return ++All, true; });
  EXPECT_LT(Visited, All);
}

TEST(ThrowsTest, KindsOfExceptions) {
  TestAST T(R"cpp(
    #include <memory>
    #include <stdexcept>
    #include <string>
    #include <vector>
    void opaque();
    void quiet() noexcept;
    void thrower() { throw std::runtime_error("x"); }
    void allocates(std::vector<int> &v) { v.push_back(1); }
    void catches() { try { thrower(); } catch (...) {} }
    #define REQUIRE(x) check(x)
    void check(bool);
    void f(std::vector<int> &v) {
      opaque();
      quiet();
      thrower();
      allocates(v);
      catches();
      auto p = std::make_shared<int>(1);
      REQUIRE(true);
      (void)v.at(0);
    }
  )cpp");
  ASSERT_TRUE(T.ok());
  EXPECT_EQ(kindOfCallIn(T, "f", "opaque"), ThrowKind::User);
  EXPECT_EQ(kindOfCallIn(T, "f", "quiet"), ThrowKind::None);
  EXPECT_EQ(kindOfCallIn(T, "f", "thrower"), ThrowKind::User);
  EXPECT_EQ(kindOfCallIn(T, "f", "allocates"), ThrowKind::Resource);
  EXPECT_EQ(kindOfCallIn(T, "f", "catches"), ThrowKind::None);
  EXPECT_EQ(kindOfCallIn(T, "f", "make_shared"), ThrowKind::Resource);
  EXPECT_EQ(kindOfCallIn(T, "f", "check"), ThrowKind::Assertion);
  EXPECT_EQ(kindOfCallIn(T, "f", "at"), ThrowKind::User);
}

// The model keeps its own copy of the AssertionMacros option: a GlobPattern
// refers into the text it was made from, and the options a check reads are a
// temporary (this was a use-after-free seen as a rare crash).
TEST(ThrowsTest, AssertionMacrosOutliveTheOptions) {
  TestAST T(R"cpp(
    #define PROJECT_VERIFY_THAT(x) verify(x)
    void verify(bool);
    void f() { PROJECT_VERIFY_THAT(true); }
  )cpp");
  ASSERT_TRUE(T.ok());
  auto Opts = std::make_unique<FlowOptions>();
  Opts->AssertionMacros = "PROJECT_VERIFY_*;SOME_OTHER_LONG_MACRO_NAME";
  FlowContext &Flow = T.flow(*Opts);
  Opts.reset();
  // Reuse the freed memory with other text of the same length.
  std::vector<std::string> Noise(64, std::string(43, 'x'));
  const auto *Call =
      T.find<CallExpr>(T.function("f"), [](const CallExpr *) { return true; });
  ASSERT_TRUE(Call);
  EXPECT_EQ(Flow.throws().classify(Call, T.ctx()), ThrowKind::Assertion);
}

// DeclStmt::getSingleDecl() on a declaration group returns a tagged pointer;
// the helpers answer for groups without it.
// The branch conditions a call's constant arguments decide: the value of a
// condition given some of the parameters' values.
TEST(ExprUtilTest, EvaluateIntegerWithParameters) {
  TestAST T(R"cpp(
    enum Mode { Read, Write };
    void c0(bool);
    void c1(bool);
    void c2(bool);
    void c3(bool);
    void c4(bool);
    void f(long timeout, bool write, Mode m, int other, int *p) {
      c0(timeout == 0);
      c1(!write && timeout > 0);
      c2(m == Write || other);
      c3(other != 0);
      c4(p != nullptr);
    }
  )cpp");
  ASSERT_TRUE(T.ok());
  const FunctionDecl *F = T.function("f");
  auto Cond = [&](llvm::StringRef Name) -> const Expr * {
    const auto *Call = T.find<CallExpr>(F, [&](const CallExpr *C) {
      return C->getDirectCallee() && C->getDirectCallee()->getName() == Name;
    });
    return Call ? Call->getArg(0) : nullptr;
  };
  auto Bound = [&](const ParmVarDecl *P) -> std::optional<int64_t> {
    if (P->getName() == "timeout")
      return 0;
    if (P->getName() == "write")
      return 1;
    if (P->getName() == "m")
      return 1; // Write
    return std::nullopt;
  };
  const ASTContext &Ctx = F->getASTContext();
  EXPECT_EQ(evaluateInteger(Cond("c0"), Ctx, Bound), 1);
  EXPECT_EQ(evaluateInteger(Cond("c1"), Ctx, Bound), 0); // decided by `!write`
  EXPECT_EQ(evaluateInteger(Cond("c2"), Ctx, Bound), 1); // by `m == Write`
  EXPECT_EQ(evaluateInteger(Cond("c3"), Ctx, Bound), std::nullopt);
  EXPECT_EQ(evaluateInteger(Cond("c4"), Ctx, Bound), std::nullopt);
}

TEST(ExprUtilTest, DeclarationGroups) {
  TestAST T(R"cpp(
    int g(int);
    void f() {
      int single = g(0);
      int a = g(1), b = g(2), c;
      (void)single; (void)a; (void)b; (void)c;
    }
  )cpp");
  ASSERT_TRUE(T.ok());
  const FunctionDecl *F = T.function("f");
  const auto *Single = T.find<DeclStmt>(
      F, [](const DeclStmt *DS) { return DS->isSingleDecl(); });
  const auto *Group = T.find<DeclStmt>(
      F, [](const DeclStmt *DS) { return !DS->isSingleDecl(); });
  ASSERT_TRUE(Single && Group);
  ASSERT_TRUE(singleVarDecl(Single));
  EXPECT_EQ(singleVarDecl(Single)->getName(), "single");
  EXPECT_EQ(singleVarDecl(Group), nullptr);
  EXPECT_EQ(singleVarDecl(nullptr), nullptr);
  const auto *CallOf2 = T.find<CallExpr>(F, [](const CallExpr *C) {
    const auto *Lit = dyn_cast<IntegerLiteral>(C->getArg(0));
    return Lit && Lit->getValue() == 2;
  });
  ASSERT_TRUE(CallOf2);
  const VarDecl *B = varInitialisedBy(Group, CallOf2);
  ASSERT_TRUE(B);
  EXPECT_EQ(B->getName(), "b");
  EXPECT_EQ(varInitialisedBy(Single, CallOf2), nullptr);
  EXPECT_EQ(varInitialisedBy(Group, nullptr), nullptr);
}

// A raw pointer member owns its object when its class only gives it new
// objects and never hands it out; a call that only returns its argument
// (`impl(p_)`) names the member.
TEST(ExprUtilTest, OwnedPointerMembers) {
  TestAST T(R"cpp(
    #include <new>
    void *poolAlloc(unsigned long n);
    template <typename T> T *construct(void *p) { return ::new (p) T(); }
    template <typename T> T *allocate() {
      T *t = construct<T>(poolAlloc(sizeof(T)));
      return t;
    }
    template <typename T> T *impl(T *const &p) { return p; }
    struct Data { int x; };
    Data *makeData() { return allocate<Data>(); }
    Data shared;
    Data *lookUp() { return &shared; }
    class Owner {
      Owner(const Owner &) = delete;
      Owner &operator=(const Owner &) = delete;
    public:
      Owner() : p_(allocate<Data>()) {}
      ~Owner() { delete p_; }
      int use() { return impl(p_)->x + (p_ ? p_->x : 0); }
    private:
      Data *p_;
    };
    class Leaky {
      Leaky(const Leaky &) = delete;
      Leaky &operator=(const Leaky &) = delete;
    public:
      Leaky() : p_(new Data) {}
      Data *get() { return p_; }
      int use() { return p_->x; }
    private:
      Data *p_;
    };
    class Copied {
    public:
      Copied() : p_(new Data) {}
      int use() { return p_->x; }
    private:
      Data *p_;
    };
    class Registered {
      Registered(const Registered &) = delete;
      Registered &operator=(const Registered &) = delete;
    public:
      Registered() : p_(lookUp()) {}
      int use() { return impl(p_)->x; }
    private:
      Data *p_;
    };
  )cpp",
            "-std=c++17");
  ASSERT_TRUE(T.ok());
  auto FieldOf = [&](llvm::StringRef Use) -> const FieldDecl * {
    const auto *ME =
        T.find<MemberExpr>(T.function(Use), [](const MemberExpr *M) {
          return M->getMemberDecl()->getName() == "p_";
        });
    return ME ? cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  };
  EXPECT_TRUE(ownsPointee(FieldOf("Owner::use")));
  EXPECT_FALSE(ownsPointee(FieldOf("Leaky::use")));      // returned
  EXPECT_FALSE(ownsPointee(FieldOf("Copied::use")));     // implicit copy
  EXPECT_FALSE(ownsPointee(FieldOf("Registered::use"))); // not new
  const auto *Impl =
      T.find<CallExpr>(T.function("Owner::use"), [](const CallExpr *C) {
        return C->getDirectCallee() &&
               C->getDirectCallee()->getName() == "impl";
      });
  ASSERT_TRUE(Impl);
  const MemberExpr *Owned = ownedPointerOf(Impl);
  ASSERT_TRUE(Owned);
  EXPECT_EQ(Owned->getMemberDecl()->getName(), "p_");
  EXPECT_TRUE(returnsFreshObject(T.function("makeData")));
  EXPECT_FALSE(returnsFreshObject(T.function("lookUp")));
}

/// The origin of the object of the call of `touch()` in \p Fn.
std::string originOfTouch(TestAST &T, llvm::StringRef Fn) {
  const auto *Call =
      T.find<CXXMemberCallExpr>(T.function(Fn), [](const CXXMemberCallExpr *C) {
        return C->getMethodDecl() && C->getMethodDecl()->getName() == "touch";
      });
  if (!Call)
    return "<no call>";
  switch (objectOrigin(Call->getImplicitObjectArgument())) {
  case ObjectOrigin::Fixed:
    return "fixed";
  case ObjectOrigin::Param:
    return "param";
  case ObjectOrigin::Unknown:
    return "unknown";
  }
  return "?";
}

TEST(ExprUtilTest, ObjectOrigins) {
  TestAST T(R"cpp(
    #include <memory>
    #include <vector>
    struct Obj { void touch(); };
    struct Holder {
      Obj own;
      Obj *ptr;
      std::shared_ptr<Obj> sp;
      std::vector<Obj> all;
      static Obj shared;
      Obj &get();
      Obj make();
      Obj &at(int i);
      void self() { own.touch(); }
      void viaPointer() { ptr->touch(); }
      void viaSmart() { sp->touch(); }
      void viaGetter() { get().touch(); }
      void viaStatic() { shared.touch(); }
      void element() { all[0].touch(); }
      void byValue() { make().touch(); }
      void withArgument() { at(1).touch(); }
      void captured() { auto f = [this] { ptr->touch(); }; f(); }
    };
    Holder global;
    void glob() { global.sp->touch(); }
    void param(Holder &h) { h.own.touch(); }
    void local() { Holder h; h.own.touch(); }
    void localPointer(std::vector<Obj *> &q) { Obj *o = q.front(); o->touch(); }
    void capture() { Obj o; auto f = [&o] { o.touch(); }; f(); }
    void alias(void *arg) { auto *o = static_cast<Obj *>(arg); o->touch(); }
    void reseated(Obj *a, Obj *b) { Obj *o = a; o = b; o->touch(); }
    void made() { Obj *o = new Obj; o->touch(); }
  )cpp",
            "-std=c++17");
  ASSERT_TRUE(T.ok());
  EXPECT_EQ(originOfTouch(T, "Holder::self"), "fixed");
  EXPECT_EQ(originOfTouch(T, "Holder::viaPointer"), "fixed");
  EXPECT_EQ(originOfTouch(T, "Holder::viaSmart"), "fixed");
  EXPECT_EQ(originOfTouch(T, "Holder::viaGetter"), "fixed");
  EXPECT_EQ(originOfTouch(T, "Holder::viaStatic"), "fixed");
  EXPECT_EQ(originOfTouch(T, "Holder::element"), "unknown");
  EXPECT_EQ(originOfTouch(T, "Holder::byValue"), "unknown");
  EXPECT_EQ(originOfTouch(T, "Holder::withArgument"), "unknown");
  EXPECT_EQ(originOfTouch(T, "Holder::captured"), "fixed");
  EXPECT_EQ(originOfTouch(T, "glob"), "fixed");
  EXPECT_EQ(originOfTouch(T, "param"), "param");
  EXPECT_EQ(originOfTouch(T, "local"), "unknown");
  EXPECT_EQ(originOfTouch(T, "localPointer"), "unknown");
  EXPECT_EQ(originOfTouch(T, "capture"), "fixed");
  EXPECT_EQ(originOfTouch(T, "alias"), "param");
  EXPECT_EQ(originOfTouch(T, "reseated"), "unknown");
  EXPECT_EQ(originOfTouch(T, "made"), "unknown");
}

} // namespace
} // namespace test
} // namespace pitfall
