//===--- SummaryTest.cpp - function summaries, read off what bodies do ---===//
#include "FlowTestUtil.h"

#include "pitfall/Flow/Summary.h"

using namespace clang;

namespace pitfall {
namespace test {
namespace {

/// The effects \p FD's summary gives its parameter \p Param (or `this`'s
/// field \p Field when Param < 0).
uint32_t effectsOn(TestAST &T, llvm::StringRef Fn, int Param,
                   llvm::StringRef Field, uint8_t Family) {
  const FunctionDecl *FD = T.function(Fn);
  const FunctionSummary *S = T.flow().summaries().get(FD, Family);
  if (!S)
    return 0;
  uint32_t E = 0;
  for (const SlotEffect &SE : S->Slots) {
    const ObjectPath &P = SE.Slot;
    if (Param >= 0 && P.Kind == RootKind::Param && P.paramIndex() == Param &&
        P.Fields.empty())
      E |= SE.Effects;
    if (Param < 0 && P.Kind == RootKind::This && P.Fields.size() == 1 &&
        P.Fields[0]->getName() == Field)
      E |= SE.Effects;
  }
  return E;
}

TEST(SummaryTest, ThreadJoinedOnEveryPathOrSome) {
  TestAST T(R"cpp(
    #include <thread>
    void joins(std::thread &t) { t.join(); }
    void maybe(std::thread &t, bool b) { if (b) t.join(); }
    void guarded(std::thread &t) { if (t.joinable()) t.join(); }
    void deep(std::thread &t) { joins(t); }
    void detaches(std::thread &t) { t.detach(); }
    void moves(std::thread &t) { std::thread other = std::move(t); other.join(); }
    void looks(std::thread &t) { (void)t.get_id(); }
    struct Pool {
      std::thread worker;
      void stop() { if (worker.joinable()) worker.join(); }
      ~Pool() { stop(); }
    };
  )cpp");
  ASSERT_TRUE(T.ok());
  EXPECT_TRUE(effectsOn(T, "joins", 0, "", ThreadFamily) & JoinsThread);
  uint32_t Maybe = effectsOn(T, "maybe", 0, "", ThreadFamily);
  EXPECT_FALSE(Maybe & JoinsThread);
  EXPECT_TRUE(Maybe & MayJoinThread);
  EXPECT_TRUE(effectsOn(T, "guarded", 0, "", ThreadFamily) & JoinsThread);
  EXPECT_TRUE(effectsOn(T, "deep", 0, "", ThreadFamily) & JoinsThread);
  EXPECT_TRUE(effectsOn(T, "detaches", 0, "", ThreadFamily) & DetachesThread);
  EXPECT_TRUE(effectsOn(T, "moves", 0, "", ThreadFamily) & JoinsThread);
  EXPECT_EQ(effectsOn(T, "looks", 0, "", ThreadFamily), 0u);
  EXPECT_TRUE(effectsOn(T, "Pool::~Pool", -1, "worker", ThreadFamily) &
              JoinsThread);
}

TEST(SummaryTest, LockWrappersAndGuardsByWhatTheyDo) {
  TestAST T(R"cpp(
    #include <mutex>
    struct Mutex {
      void acquire() { m_.lock(); }
      void release() { m_.unlock(); }
      std::mutex m_;
    };
    struct Hold {
      explicit Hold(std::mutex &m) : m_(m) { m_.lock(); }
      ~Hold() { m_.unlock(); }
      std::mutex &m_;
    };
    void takes(std::mutex &m) { m.lock(); }
    void scoped(std::mutex &m) { std::lock_guard<std::mutex> g(m); }
  )cpp");
  ASSERT_TRUE(T.ok());
  EXPECT_TRUE(effectsOn(T, "Mutex::acquire", -1, "m_", LockFamily) &
              AcquiresLock);
  EXPECT_TRUE(effectsOn(T, "Mutex::release", -1, "m_", LockFamily) &
              ReleasesLock);
  EXPECT_TRUE(effectsOn(T, "Hold::Hold", -1, "m_", LockFamily) & AcquiresLock);
  EXPECT_TRUE(effectsOn(T, "Hold::~Hold", -1, "m_", LockFamily) & ReleasesLock);
  const FunctionSummary *Ctor =
      T.flow().summaries().get(T.function("Hold::Hold"), LockFamily);
  ASSERT_TRUE(Ctor);
  ASSERT_EQ(Ctor->FieldAliases.size(), 1u);
  EXPECT_EQ(Ctor->FieldAliases[0].second, 0u);
  EXPECT_TRUE(effectsOn(T, "takes", 0, "", LockFamily) & AcquiresLock);
  // A scoped guard releases before the return: no net effect.
  EXPECT_EQ(effectsOn(T, "scoped", 0, "", LockFamily), 0u);
}

TEST(SummaryTest, ArrivalsCountedPerPath) {
  TestAST T(R"cpp(
    #include <latch>
    void once(std::latch &l) { l.count_down(); }
    void twice(std::latch &l) { l.count_down(); l.count_down(); }
    void sometimes(std::latch &l, bool b) { if (b) l.count_down(); }
    void loop(std::latch &l, int n) { for (int i = 0; i < n; ++i) l.count_down(); }
    void waits(std::latch &l) { l.wait(); }
  )cpp");
  ASSERT_TRUE(T.ok());
  auto Range = [&](llvm::StringRef Fn) {
    const FunctionSummary *S =
        T.flow().summaries().get(T.function(Fn), SyncFamily);
    for (const SlotEffect &SE : S->Slots)
      if (SE.Effects & Arrives)
        return std::make_pair(SE.MinArrivals, SE.MaxArrivals);
    return std::make_pair<int64_t, int64_t>(-1, -1);
  };
  using Counts = std::pair<int64_t, int64_t>;
  EXPECT_EQ(Range("once"), Counts(1, 1));
  EXPECT_EQ(Range("twice"), Counts(2, 2));
  EXPECT_EQ(Range("sometimes"), Counts(0, 1));
  EXPECT_EQ(Range("loop").first, 0);
  EXPECT_EQ(Range("loop").second, Unbounded);
  EXPECT_TRUE(effectsOn(T, "waits", 0, "", SyncFamily) & Waits);
}

TEST(SummaryTest, ErrorParametersReadOrOverwritten) {
  TestAST T(R"cpp(
    #include <system_error>
    void fill(std::error_code &ec) { ec = std::make_error_code(std::errc::io_error); }
    void check(std::error_code &ec) { if (ec) return; }
    void clearFirst(std::error_code &ec) { ec.clear(); if (ec) return; }
    void viaHelper(std::error_code &ec) { fill(ec); }
  )cpp");
  ASSERT_TRUE(T.ok());
  EXPECT_TRUE(effectsOn(T, "fill", 0, "", ErrorFamily) & OverwritesError);
  EXPECT_FALSE(effectsOn(T, "fill", 0, "", ErrorFamily) & ReadsError);
  EXPECT_TRUE(effectsOn(T, "check", 0, "", ErrorFamily) & ReadsError);
  EXPECT_FALSE(effectsOn(T, "clearFirst", 0, "", ErrorFamily) & ReadsError);
  EXPECT_TRUE(effectsOn(T, "viaHelper", 0, "", ErrorFamily) & OverwritesError);
}

TEST(SummaryTest, CallablesRunElsewhereByWhatThePoolDoes) {
  TestAST T(R"cpp(
    #include <condition_variable>
    #include <deque>
    #include <functional>
    #include <mutex>
    #include <thread>
    #include <vector>
    class Pool {
    public:
      Pool() { for (int i = 0; i < 2; ++i) workers_.emplace_back([this] { loop(); }); }
      void commit(std::function<void()> f) {
        std::lock_guard<std::mutex> g(m_);
        jobs_.push_back(std::move(f));
        cv_.notify_one();
      }
      template <typename F> void wrap(F f) { commit(std::move(f)); }
    private:
      void loop() {
        for (;;) {
          std::function<void()> job;
          { std::unique_lock<std::mutex> l(m_); cv_.wait(l); job = std::move(jobs_.front()); jobs_.pop_front(); }
          job();
        }
      }
      std::mutex m_;
      std::condition_variable cv_;
      std::deque<std::function<void()>> jobs_;
      std::vector<std::thread> workers_;
    };
    struct Queue {  // stores, but nothing runs what it stores
      void add(std::function<void()> f) { items_.push_back(std::move(f)); }
      std::vector<std::function<void()>> items_;
    };
    void direct(std::function<void()> f) { std::thread(std::move(f)).detach(); }
    void callNow(std::function<void()> f) { f(); }
    void use(Pool &p) { p.wrap([] {}); }
  )cpp");
  ASSERT_TRUE(T.ok());
  EXPECT_TRUE(effectsOn(T, "Pool::commit", 0, "", CallableFamily) &
              RunsElsewhere);
  uint32_t Q = effectsOn(T, "Queue::add", 0, "", CallableFamily);
  EXPECT_TRUE(Q & StoresCallable);
  EXPECT_FALSE(Q & RunsElsewhere);
  EXPECT_TRUE(effectsOn(T, "direct", 0, "", CallableFamily) & RunsElsewhere);
  uint32_t Now = effectsOn(T, "callNow", 0, "", CallableFamily);
  EXPECT_TRUE(Now & RunsHere);
  EXPECT_FALSE(Now & RunsElsewhere);
  // A call of the template recognised as a task start through two levels.
  const FunctionDecl *Use = T.function("use");
  const auto *Call =
      T.find<CXXMemberCallExpr>(Use, [](const auto *) { return true; });
  ASSERT_TRUE(Call);
  auto Starts = T.flow().taskStarts(Call);
  ASSERT_EQ(Starts.size(), 1u);
  EXPECT_EQ(Starts[0].Kind, TaskKind::Spawner);
  EXPECT_TRUE(Starts[0].Target.Lambda);
}

TEST(SummaryTest, RecursionIsBoundedAndMarkedIncomplete) {
  TestAST T(R"cpp(
    #include <thread>
    void a(std::thread &t, int n);
    void b(std::thread &t, int n) { a(t, n - 1); }
    void a(std::thread &t, int n) { if (n) b(t, n); else t.join(); }
  )cpp");
  ASSERT_TRUE(T.ok());
  const FunctionSummary *S =
      T.flow().summaries().get(T.function("a"), ThreadFamily);
  ASSERT_TRUE(S);
  EXPECT_FALSE(S->Complete);
}

// A chain one call longer than MaxSummaryDepth: asked for from below the top,
// a summary is cut short for depth; asked for again from the top, it must
// be what it would have been had it been asked there first.
constexpr const char *DeepChain = R"cpp(
    #include <mutex>
    #include <thread>
    std::mutex m;
    void e4(std::thread &t) { t.join(); m.lock(); m.unlock(); }
    void e3(std::thread &t) { e4(t); }
    void e2(std::thread &t) { e3(t); }
    void e1(std::thread &t) { e2(t); }
    void x1(std::thread &t) { e2(t); }
    void x0(std::thread &t) { x1(t); }
    void y0(std::thread &t) { e1(t); }
  )cpp";

TEST(SummaryTest, FamilyCutForDepthIsComputedAgainAfterAnotherFamily) {
  TestAST T(DeepChain);
  ASSERT_TRUE(T.ok());
  // e1's threads from y0: e1 at depth 1, e4 out of reach.
  EXPECT_FALSE(effectsOn(T, "y0", 0, "", ThreadFamily) & JoinsThread);
  // Another family of e1 from the top, reaching e4: not a reason to keep
  // the threads family cut short.
  (void)T.flow().summaries().get(T.function("e1"), LockFamily);
  EXPECT_TRUE(effectsOn(T, "e1", 0, "", ThreadFamily) & JoinsThread);
}

TEST(SummaryTest, CallerOfASummaryCutForDepthIsCutToo) {
  TestAST T(DeepChain);
  ASSERT_TRUE(T.ok());
  // e2 from x0, at depth 2: cut (e4 at depth 4).
  EXPECT_FALSE(effectsOn(T, "x0", 0, "", ThreadFamily) & JoinsThread);
  // e1 from y0, at depth 1: it reads e2's summary, cut, from the cache.
  EXPECT_FALSE(effectsOn(T, "y0", 0, "", ThreadFamily) & JoinsThread);
  // From the top, e1 reaches e4 (e2 at depth 1).
  EXPECT_TRUE(effectsOn(T, "e1", 0, "", ThreadFamily) & JoinsThread);
}

} // namespace
} // namespace test
} // namespace pitfall
