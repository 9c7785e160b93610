//===--- ClassReachTest.cpp - which classes' objects other threads reach --===//
#include "FlowTestUtil.h"

#include "pitfall/Flow/ClassReach.h"

#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/StringSet.h"

#include <deque>
#include <map>

using namespace clang;

namespace pitfall {
namespace test {
namespace {

const char *Code = R"cpp(
  #include <any>
  #include <functional>
  #include <memory>
  #include <new>
  #include <thread>
  #include <vector>
  struct Item { std::vector<int> v; };
  struct Parser { std::vector<int> v; Item *item; };       // confined
  struct Token { std::vector<int> v; };                     // confined
  struct Owner { std::unique_ptr<Token> tok; };             // confined
  struct Global { std::vector<int> v; };
  Global theGlobal;                                         // shared
  struct Held { std::vector<int> v; };
  struct Registry { std::vector<std::shared_ptr<Held>> all; };
  Registry *registry() { static Registry r; return &r; }    // shared
  struct Base { virtual ~Base() = default; };
  struct Derived : Base { std::vector<int> v; };
  struct Keeper { Base *b = nullptr; };
  struct Captured { std::vector<int> v; };
  struct Erased { std::vector<int> v; };
  struct Stored { std::vector<std::function<void()>> hooks; };
  struct Untyped { std::vector<int> v; };
  struct Placed { std::vector<int> v; };
  struct Started { std::vector<int> v; void run() {} };
  struct Queued { std::vector<int> v; };
  struct Board { std::vector<std::any> slots; };
  void keep(void *);
  void work() {
    Parser p;
    Token t;
    Owner o;
    Item i;
    p.item = &i;
    std::function<void(const Parser *)> cb = [&](const Parser *q) { (void)q; };
    cb(&p);
    Keeper k;
    Derived d;
    k.b = &d;                                 // Derived held as a Base
    Captured c;
    std::thread th([&c] { c.v.push_back(1); }); // started: its closure shared
    th.join();
    Erased e;
    Stored *s = new Stored;
    s->hooks.push_back([&e] { e.v.clear(); });  // erased into std::function
    Untyped u;
    keep(&u);                                   // a void *
    alignas(Placed) static unsigned char buf[sizeof(Placed)];
    new (buf) Placed;                           // built in place
    Started st;
    std::thread t2(&Started::run, &st);         // a task start's argument
    t2.join();
    Queued qd;
    Board bd;
    bd.slots.emplace_back(&qd);                 // into a std::any
  }
  struct Chain { Stored *s; Board *b; Keeper *k; };
  Chain theChain;                               // shares Stored, Board, Keeper
)cpp";

/// The names of the classes a chain of holds leads to from a shared class.
llvm::StringSet<> sharedNames(const ClassReach &R) {
  std::map<const CXXRecordDecl *, std::vector<const CXXRecordDecl *>> Holds;
  for (const auto &[Holder, Held] : R.holds())
    Holds[Holder].push_back(Held);
  std::deque<const CXXRecordDecl *> Work(R.shared().begin(), R.shared().end());
  llvm::DenseSet<const CXXRecordDecl *> Seen;
  llvm::StringSet<> Out;
  while (!Work.empty()) {
    const CXXRecordDecl *C = Work.front();
    Work.pop_front();
    if (!Seen.insert(C).second)
      continue;
    if (!C->getName().empty())
      Out.insert(C->getName());
    for (const CXXRecordDecl *H : Holds[C])
      Work.push_back(H);
  }
  return Out;
}

TEST(ClassReachTest, ConfinedAndShared) {
  TestAST T(Code);
  ASSERT_TRUE(T.ok());
  ClassReach R(T.ctx());
  R.collect();
  // The task starts, as pitfall-scan's summary hands them over.
  llvm::SmallVector<const Stmt *, 32> Work{T.function("work")->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *E = dyn_cast<Expr>(S))
      for (const TaskStart &TS : T.flow().taskStarts(E))
        R.taskStart(TS.Site);
    llvm::append_range(Work, S->children());
  }
  llvm::StringSet<> Shared = sharedNames(R);
  // Each run's own: held by a local, handed to a callback, held by a
  // confined object.
  for (const char *Name : {"Parser", "Token", "Owner", "Item"})
    EXPECT_FALSE(Shared.contains(Name)) << Name;
  // A global, a static local's holdings, a base pointer's derived object,
  // a started closure's capture, a closure erased into a shared
  // std::function, a void *, placement new, a task start's argument, an
  // object erased into a shared std::any.
  for (const char *Name :
       {"Global", "Registry", "Held", "Keeper", "Derived", "Captured", "Stored",
        "Erased", "Untyped", "Placed", "Started", "Board", "Queued"})
    EXPECT_TRUE(Shared.contains(Name)) << Name;
}

} // namespace
} // namespace test
} // namespace pitfall
