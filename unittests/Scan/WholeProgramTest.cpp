//===--- WholeProgramTest.cpp - TU summaries and the link step ------------===//
#include "FlowTestUtil.h"

#include "pitfall/Scan/WholeProgram.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Path.h"

#include <chrono>
#include <cstdio>
#include <map>

using namespace clang;

namespace pitfall {
namespace scan {
namespace {

using test::TestAST;

/// The summary of \p Code compiled as \p File.
TUSummary summary(llvm::StringRef Code, llvm::StringRef File) {
  TestAST T(Code, "-std=c++20", File);
  EXPECT_TRUE(T.ok()) << File.str();
  return summarize(T.flow());
}

/// The summary of \p Code compiled as \p File, with the accesses of shared
/// containers (pitfall-unlocked-container-access enabled).
TUSummary accessSummary(llvm::StringRef Code, llvm::StringRef File) {
  TestAST T(Code, "-std=c++20", File);
  EXPECT_TRUE(T.ok()) << File.str();
  SummaryOptions O;
  O.Accesses = true;
  return summarize(T.flow(), O);
}

/// "file:line" of \p L (the file's name only).
std::string at(const Location &L) {
  return llvm::sys::path::filename(L.File).str() + ":" + std::to_string(L.Line);
}

/// "file:line message" of each note of \p F.
std::vector<std::string> notes(const Finding &F) {
  std::vector<std::string> Out;
  for (const Event &E : F.Notes)
    Out.push_back(at(E.Loc) + " " + E.Message);
  std::sort(Out.begin(), Out.end());
  return Out;
}

/// Declarations every TU of a test program shares (its header).
constexpr llvm::StringLiteral Header = R"cpp(
#include <mutex>
#include <thread>
extern std::mutex a, b, c, outer;
void ab();
void ba();
void takeB();
void bc();
void ca();
)cpp";

std::string tu(llvm::StringRef Body) { return (Header + Body).str(); }

// Line numbers below count from the last line of Header: the line after a
// test's opening `R"cpp(` is line 1.
constexpr unsigned H = 10;
std::string line(llvm::StringRef File, unsigned L) {
  return File.str() + ":" + std::to_string(H + L);
}

/// one.cpp: defines the mutexes and ab(), which takes a, then b.
TUSummary abTU() {
  return summary(tu(R"cpp(
std::mutex a, b, c, outer;
void ab() {
  std::lock_guard<std::mutex> la(a);
  std::lock_guard<std::mutex> lb(b);
}
)cpp"),
                 "one.cpp");
}

TEST(WholeProgramTest, InversionOverTwoTUs) {
  std::vector<TUSummary> S = {abTU(), summary(tu(R"cpp(
void ba() {
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
}
int main() {
  std::thread t1(ab), t2(ba);
  t1.join();
  t2.join();
}
)cpp"),
                                              "two.cpp")};
  std::vector<Finding> F = linkLockOrder(S);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Check, "pitfall-lock-order-inversion");
  EXPECT_EQ(at(F[0].Loc), line("one.cpp", 4));
  EXPECT_EQ(F[0].Message,
            "mutex 'b' is acquired while holding 'a', and another thread "
            "acquires them in the opposite order: the threads can deadlock");
  EXPECT_EQ(notes(F[0]),
            (std::vector<std::string>{
                line("one.cpp", 3) + " 'a' acquired here",
                line("two.cpp", 3) + " 'a' is acquired while holding 'b' here",
                line("two.cpp", 6) + " on the thread started here",
                line("two.cpp", 6) + " on the thread started here"}));
  EXPECT_FALSE(F[0].Flow.empty());
}

// What a call acquires does not depend on which caller asked first: x()'s
// thread reaches c2() at the depth bound, where d3()'s lock of b is cut
// off; y()'s thread calls c2() directly and still takes b under a.
TEST(WholeProgramTest, AcquisitionsCutAtDepthAreFollowedFromShallower) {
  std::vector<TUSummary> S = {abTU(), summary(tu(R"cpp(
void d3() { std::lock_guard<std::mutex> lb(b); }
void c2() { d3(); }
void c1() { c2(); }
void x() {
  std::lock_guard<std::mutex> lo(outer);
  c1();
}
void y() {
  std::lock_guard<std::mutex> la(a);
  c2();
}
void ba() {
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
}
int main() {
  std::thread t1(x), t2(y), t3(ba);
  t1.join();
  t2.join();
  t3.join();
}
)cpp"),
                                              "two.cpp")};
  LinkLimits Shallow;
  Shallow.MaxDepth = 2;
  std::vector<Finding> F = linkLockOrder(S, Shallow);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Message,
            "mutex 'b' is acquired while holding 'a', and another thread "
            "acquires them in the opposite order: the threads can deadlock");
}

/// The three TUs of a program whose thread 1 takes b in a helper of a third
/// TU while holding a; \p BA is the body of ba().
std::vector<TUSummary> threeTUs(llvm::StringRef BA) {
  return {summary(tu(R"cpp(
std::mutex a, b, c, outer;
void ab() {
  std::lock_guard<std::mutex> la(a);
  takeB();
}
)cpp"),
                  "one.cpp"),
          summary(tu(("void ba() {\n" + BA + "}\n" + R"cpp(
int main() {
  std::thread t1(ab), t2(ba);
  t1.join();
  t2.join();
}
)cpp")
                         .str()),
                  "two.cpp"),
          summary(tu(R"cpp(
void takeB() {
  std::lock_guard<std::mutex> lb(b);
}
)cpp"),
                  "three.cpp")};
}

TEST(WholeProgramTest, InversionThroughAHelperInAThirdTU) {
  std::vector<Finding> F = linkLockOrder(threeTUs(R"cpp(
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
)cpp"));
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(at(F[0].Loc), line("one.cpp", 4));
  EXPECT_EQ(notes(F[0]),
            (std::vector<std::string>{
                line("one.cpp", 3) + " 'a' acquired here",
                line("three.cpp", 2) + " 'b' is acquired here, in 'takeB'",
                line("two.cpp", 3) + " 'a' is acquired while holding 'b' here",
                line("two.cpp", 7) + " on the thread started here",
                line("two.cpp", 7) + " on the thread started here"}));
}

TEST(WholeProgramTest, ConsistentOrderAndGateLockAreSafe) {
  // The same order as ab().
  EXPECT_TRUE(linkLockOrder(threeTUs(R"cpp(
  std::lock_guard<std::mutex> la(a);
  std::lock_guard<std::mutex> lb(b);
)cpp"))
                  .empty());
  // Both orders, each thread under `outer` (here taken by a helper of the
  // TU): they cannot wait for each other.
  std::vector<TUSummary> S = {summary(tu(R"cpp(
std::mutex a, b, c, outer;
void ab() {
  std::lock_guard<std::mutex> g(outer);
  std::lock_guard<std::mutex> la(a);
  std::lock_guard<std::mutex> lb(b);
}
)cpp"),
                                      "one.cpp"),
                              summary(tu(R"cpp(
static void lockOuter() { outer.lock(); }
void ba() {
  lockOuter();
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
  outer.unlock();
}
int main() {
  std::thread t1(ab), t2(ba);
  t1.join();
  t2.join();
}
)cpp"),
                                      "two.cpp")};
  EXPECT_TRUE(linkLockOrder(S).empty());
}

TEST(WholeProgramTest, GateHeldAroundTheCallsOfAnotherTU) {
  // ab() and ba() of one.cpp take both orders; two.cpp calls each under
  // `outer` (held at the call, not in the helpers).
  TUSummary Helpers = summary(tu(R"cpp(
std::mutex a, b, c, outer;
void ab() {
  std::lock_guard<std::mutex> la(a);
  std::lock_guard<std::mutex> lb(b);
}
void ba() {
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
}
)cpp"),
                              "one.cpp");
  auto Program = [&](llvm::StringRef G2) {
    return std::vector<TUSummary>{Helpers, summary(tu(R"cpp(
void g1() {
  std::lock_guard<std::mutex> g(outer);
  ab();
}
)cpp" + G2.str() + R"cpp(
int main() {
  std::jthread t1(g1), t2(g2);
}
)cpp"),
                                                   "two.cpp")};
  };
  EXPECT_TRUE(linkLockOrder(Program(R"cpp(
void g2() {
  std::lock_guard<std::mutex> g(outer);
  ba();
}
)cpp"))
                  .empty());
  // Without the gate on one side, the orders in one.cpp meet.
  std::vector<Finding> F = linkLockOrder(Program(R"cpp(
void g2() { ba(); }
)cpp"));
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(at(F[0].Loc), line("one.cpp", 4));
  // The calls from the threads' entries to the orders are notes.
  EXPECT_EQ(notes(F[0]),
            (std::vector<std::string>{
                line("one.cpp", 3) + " 'a' acquired here",
                line("one.cpp", 8) + " 'a' is acquired while holding 'b' here",
                line("two.cpp", 3) + " 'ab' called here",
                line("two.cpp", 6) + " 'ba' called here",
                line("two.cpp", 9) + " on the thread started here",
                line("two.cpp", 9) + " on the thread started here"}));
}

TEST(WholeProgramTest, AcrossTUsOnlyLeavesAOneTUCycleToItsCheck) {
  std::vector<TUSummary> One = {summary(tu(R"cpp(
std::mutex a, b, c, outer;
void ab() {
  std::lock_guard<std::mutex> la(a);
  std::lock_guard<std::mutex> lb(b);
}
void ba() {
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
}
void run() { std::jthread t1(ab), t2(ba); }
)cpp"),
                                        "one.cpp")};
  LinkLimits Across;
  Across.AcrossTUsOnly = true;
  EXPECT_EQ(linkLockOrder(One).size(), 1u);
  EXPECT_TRUE(linkLockOrder(One, Across).empty());
  // Split over two TUs, it is the link step's.
  EXPECT_EQ(linkLockOrder(threeTUs(R"cpp(
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
)cpp"),
                          Across)
                .size(),
            1u);
}

TEST(WholeProgramTest, SingleThreadedProgramAndJoinedTask) {
  std::vector<TUSummary> S = threeTUs(R"cpp(
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
)cpp");
  // Without its main (no thread started): nothing.
  std::vector<TUSummary> NoThreads = {S[0], S[2],
                                      summary(tu(R"cpp(
void ba() {
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
}
int main() {
  ab();
  ba();
}
)cpp"),
                                              "two.cpp")};
  EXPECT_TRUE(linkLockOrder(NoThreads).empty());
  // The thread is joined before main takes the other order.
  std::vector<TUSummary> Joined = {S[0], S[2],
                                   summary(tu(R"cpp(
int main() {
  std::thread t(ab);
  t.join();
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
}
)cpp"),
                                           "two.cpp")};
  EXPECT_TRUE(linkLockOrder(Joined).empty());
  // Not joined first: main's order runs alongside the thread.
  std::vector<TUSummary> Running = {S[0], S[2],
                                    summary(tu(R"cpp(
int main() {
  std::thread t(ab);
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
  t.join();
}
)cpp"),
                                            "two.cpp")};
  EXPECT_EQ(linkLockOrder(Running).size(), 1u);
}

TEST(WholeProgramTest, CycleOfThreeOverThreeTUs) {
  std::vector<TUSummary> S = {abTU(),
                              summary(tu(R"cpp(
void bc() {
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> lc(c);
}
void ca() {
  std::lock_guard<std::mutex> lc(c);
  std::lock_guard<std::mutex> la(a);
}
)cpp"),
                                      "two.cpp"),
                              summary(tu(R"cpp(
int main() {
  std::jthread t1(ab), t2(bc), t3(ca);
}
)cpp"),
                                      "three.cpp")};
  std::vector<Finding> F = linkLockOrder(S);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Message,
            "mutex 'b' is acquired while holding 'a', and other threads "
            "complete a cycle of lock acquisitions ('a' -> 'b' -> 'c' -> "
            "'a'): the threads can deadlock");
}

/// The JSON text of \p S.
std::string json(const TUSummary &S, llvm::StringRef Root) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << toJSON(S, Root);
  return Out;
}

/// \p S written and read back (as a cache replays it, or a shard hands it
/// to merge): the same summaries, files relative to the root in the JSON.
std::vector<TUSummary> roundTrip(const std::vector<TUSummary> &S) {
  llvm::SmallString<128> Root;
  llvm::sys::fs::current_path(Root);
  std::vector<TUSummary> Read;
  for (const TUSummary &T : S) {
    std::string Text = json(T, Root);
    EXPECT_EQ(Text.find(std::string(Root) + "/"), std::string::npos) << Text;
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
    if (!V) {
      ADD_FAILURE() << llvm::toString(V.takeError());
      return {};
    }
    TUSummary Back;
    std::string Error;
    if (!fromJSON(*V, Back, Root, Error)) {
      ADD_FAILURE() << Error;
      return {};
    }
    EXPECT_EQ(json(Back, Root), Text);
    Read.push_back(std::move(Back));
  }
  return Read;
}

TEST(WholeProgramTest, SummariesRoundTripAndShardsLinkAsOneRun) {
  std::vector<TUSummary> S = threeTUs(R"cpp(
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
)cpp");
  llvm::SmallString<128> Root;
  llvm::sys::fs::current_path(Root);
  std::vector<TUSummary> Read = roundTrip(S);
  ASSERT_EQ(Read.size(), S.size());
  // Shards: the summaries in another order, linked together, give what one
  // run gives.
  std::vector<TUSummary> Shuffled = {Read[2], Read[0], Read[1]};
  std::vector<Finding> One = linkLockOrder(S), Merged = linkLockOrder(Shuffled);
  ASSERT_EQ(One.size(), 1u);
  ASSERT_EQ(Merged.size(), 1u);
  EXPECT_EQ(at(One[0].Loc), at(Merged[0].Loc));
  EXPECT_EQ(One[0].Message, Merged[0].Message);
  EXPECT_EQ(notes(One[0]), notes(Merged[0]));

  // Another version is refused.
  llvm::json::Value V = toJSON(S[0], Root);
  (*V.getAsObject())["version"] = WholeProgramVersion + 1;
  TUSummary Back;
  std::string Error;
  EXPECT_FALSE(fromJSON(V, Back, Root, Error));
  EXPECT_NE(Error.find("version"), std::string::npos);
}

/// A call site or finding of pitfall-ignored-error's convention records.
ErrorUseSite useSite(llvm::StringRef Callee, llvm::StringRef File,
                     unsigned Line, bool Dropped) {
  return {Callee.str(), Location{File.str(), Line, 3}, Dropped};
}

TEST(WholeProgramTest, ErrorConventionOverTheProgram) {
  llvm::SmallString<128> Root;
  llvm::sys::fs::current_path(Root);
  auto In = [&](llvm::StringRef Name) { return (Root + "/" + Name).str(); };
  // a.cpp drops Append once and Remove twice; b.cpp uses Append twice and
  // Remove once; both include h.h, whose one use of Remove is counted once
  // (twice, Remove would be used at more sites than dropped).
  TUSummary A, B;
  A.File = In("a.cpp");
  B.File = In("b.cpp");
  A.Errors.Sites = {useSite("c:@F@Append", In("a.cpp"), 1, true),
                    useSite("c:@F@Remove", In("a.cpp"), 2, true),
                    useSite("c:@F@Remove", In("a.cpp"), 3, true),
                    useSite("c:@F@Remove", In("h.h"), 1, false)};
  A.Errors.Findings = {{"c:@F@Append", Location{In("a.cpp"), 1, 3}, false},
                       {"c:@F@Remove", Location{In("a.cpp"), 2, 3}, false},
                       {"c:@F@Remove", Location{In("a.cpp"), 3, 3}, true}};
  B.Errors.Sites = {useSite("c:@F@Append", In("b.cpp"), 1, false),
                    useSite("c:@F@Append", In("b.cpp"), 2, false),
                    useSite("c:@F@Remove", In("b.cpp"), 3, false),
                    useSite("c:@F@Remove", In("h.h"), 1, false)};
  std::vector<TUSummary> Read = roundTrip({A, B});
  ASSERT_EQ(Read.size(), 2u);
  ASSERT_EQ(Read[0].Errors.Sites.size(), 4u);
  EXPECT_TRUE(Read[0].Errors.Findings[2].ReportAsNote);

  ScanResult R;
  for (const TUSummary &S : Read)
    R.Summaries.push_back(std::make_shared<TUSummary>(S));
  auto Drop = [&](unsigned Line, llvm::StringRef Callee) {
    Finding F;
    F.Check = "pitfall-ignored-error";
    F.Message = ("error result of type 'Status' returned by '" + Callee +
                 "' is discarded")
                    .str();
    F.Loc = Location{In("a.cpp"), Line, 3};
    return F;
  };
  R.Findings = {Drop(1, "Append"), Drop(2, "Remove"), Drop(3, "Remove")};
  applyErrorConvention(R);
  // Append: dropped once, used twice: kept. Remove: dropped twice, used
  // twice: the first left out, the second (its check's option) a note.
  ASSERT_EQ(R.Findings.size(), 2u);
  EXPECT_EQ(R.Findings[0].Loc.Line, 1u);
  EXPECT_EQ(R.Findings[0].Level, Severity::Warning);
  EXPECT_EQ(R.Findings[1].Loc.Line, 3u);
  EXPECT_EQ(R.Findings[1].Level, Severity::Note);
}

/// Declarations the TUs of the race tests share.
constexpr llvm::StringLiteral RaceHeader = R"cpp(
#include <map>
#include <mutex>
#include <thread>
#include <vector>
extern std::vector<int> v;
extern std::mutex g;
void w(); void wl(); void r(); void rl();
struct Cache {
  std::map<int, int> m_;
  void put(int k);
  int get(int k);
};
)cpp";

std::string raceTU(llvm::StringRef Body) { return (RaceHeader + Body).str(); }

/// writes.cpp: w() writes v unlocked, wl() under g.
TUSummary writesTU() {
  return accessSummary(raceTU(R"cpp(
std::vector<int> v;
std::mutex g;
void w() { v.push_back(1); }
void wl() { std::lock_guard<std::mutex> l(g); v.push_back(1); }
)cpp"),
                       "writes.cpp");
}

/// reads.cpp: r() reads v unlocked, rl() under g.
TUSummary readsTU() {
  return accessSummary(raceTU(R"cpp(
void r() { (void)v.size(); }
void rl() { std::lock_guard<std::mutex> l(g); (void)v.size(); }
)cpp"),
                       "reads.cpp");
}

/// main.cpp: \p Body in main(), after calls of the four functions (before
/// any thread starts: no race; and a function nothing calls or starts is
/// external code, which may run on any thread).
TUSummary mainTU(llvm::StringRef Body) {
  return accessSummary(
      raceTU(("int main() { w(); wl(); r(); rl(); " + Body + "}\n").str()),
      "main.cpp");
}

TEST(WholeProgramTest, RaceOverThreeTUs) {
  std::vector<TUSummary> S = {writesTU(), readsTU(),
                              mainTU("std::jthread t1(w), t2(r);")};
  std::vector<Finding> F = linkContainerRaces({&S[0], &S[1], &S[2]});
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Check, "pitfall-unlocked-container-access");
  EXPECT_EQ(F[0].Message, "container 'v' is modified without a lock while "
                          "another thread reads it");
  EXPECT_EQ(at(F[0].Loc), "writes.cpp:17");
  EXPECT_EQ(notes(F[0]),
            (std::vector<std::string>{
                "main.cpp:14 on the thread started here",
                "main.cpp:14 on the thread started here",
                "reads.cpp:15 conflicting read on another thread"}));
  // The codeFlows: each thread's start, the write, the read.
  EXPECT_EQ(F[0].Flow.size(), 4u);
  // Written and read back, the same race.
  std::vector<TUSummary> Read = roundTrip(S);
  ASSERT_EQ(Read.size(), S.size());
  std::vector<Finding> Again =
      linkContainerRaces({&Read[2], &Read[0], &Read[1]});
  ASSERT_EQ(Again.size(), 1u);
  EXPECT_EQ(notes(Again[0]), notes(F[0]));
}

TEST(WholeProgramTest, RaceNegatives) {
  TUSummary W = writesTU(), R = readsTU();
  auto Link = [&](llvm::StringRef Main) {
    TUSummary M = mainTU(Main);
    return linkContainerRaces({&W, &R, &M}).size();
  };
  // A common lock on both sides.
  EXPECT_EQ(Link("std::jthread t1(wl), t2(rl);"), 0u);
  // Only one side locked: a race.
  EXPECT_EQ(Link("std::jthread t1(w), t2(rl);"), 1u);
  // Reads only.
  EXPECT_EQ(Link("std::jthread t1(r), t2(rl);"), 0u);
  // One thread touches v.
  EXPECT_EQ(Link("std::jthread t1(w); std::jthread t2([] {});"), 0u);
  // No thread.
  EXPECT_EQ(Link("w(); r();"), 0u);
  // main's own calls before the start and after the join.
  EXPECT_EQ(Link("w(); { std::jthread t(r); } w();"), 0u);
  EXPECT_EQ(Link("std::jthread t(r); w();"), 1u);
}

TEST(WholeProgramTest, MemberRaceThroughThis) {
  TUSummary A = accessSummary(raceTU(R"cpp(
void Cache::put(int k) { m_[k] = 1; }
)cpp"),
                              "put.cpp");
  TUSummary B = accessSummary(raceTU(R"cpp(
int Cache::get(int k) { return m_.count(k); }
void run(Cache &c) {
  std::jthread t([&] { c.put(1); });
  c.get(1);
}
)cpp"),
                              "get.cpp");
  std::vector<Finding> F = linkContainerRaces({&A, &B});
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(at(F[0].Loc), "put.cpp:15");
  EXPECT_EQ(F[0].Message, "container 'm_' is modified without a lock while "
                          "another thread reads it");
  // Through a local object: not `this`, not linked.
  TUSummary C = accessSummary(raceTU(R"cpp(
void local() { std::map<int, int> m; m[1] = 2; std::jthread t([&] { (void)m.size(); }); }
)cpp"),
                              "local.cpp");
  EXPECT_TRUE(C.ObjectNames.empty());
}

namespace synthetic {

std::string fn(llvm::StringRef Kind, unsigned I) {
  return ("c:@F@" + Kind + "_" + llvm::Twine(I) + "#").str();
}
std::string mutex(unsigned I) { return "c:@m_" + std::to_string(I); }
std::string queue(unsigned I) { return "c:@q_" + std::to_string(I); }

/// TU \p I of an \p N-TU program: worker_I holds m_I and calls helper_{I+1}
/// (defined in the next TU), which takes m_{I+1}; every 100th TU also has
/// rev_I, taking m_{I+1} then m_I (an inversion with worker_I); start_I
/// starts them; 20 fillers per TU call each other and take m_I alone.
TUSummary tu(unsigned I, unsigned N) {
  TUSummary S;
  S.File = "/src/tu" + std::to_string(I) + ".cpp";
  auto L = [&](unsigned Line) { return Location{S.File, Line, 3}; };
  unsigned Next = (I + 1) % N;
  SummaryFunction Worker{fn("worker", I),
                         "worker_" + std::to_string(I),
                         true,
                         {{mutex(I), L(2), {}}},
                         {{fn("helper", Next), L(3), {{mutex(I), L(2)}}}}};
  SummaryFunction Helper{fn("helper", I),
                         "helper_" + std::to_string(I),
                         true,
                         {{mutex(I), L(6), {}}},
                         {}};
  // q_I is guarded by m_I: written by worker_I, read by helper_I.
  Worker.Accesses.push_back({queue(I), L(2), true, {{mutex(I), L(2)}}});
  Helper.Accesses.push_back({queue(I), L(6), false, {{mutex(I), L(6)}}});
  SummaryFunction Start{
      fn("start", I), "start_" + std::to_string(I), true, {}, {}};
  S.Tasks.push_back({Start.USR, Worker.USR, L(10), {}, {}});
  if (I % 100 == 50) {
    // race_I writes q_{I+1} unlocked while worker_I's call of helper_{I+1}
    // reads it.
    S.Functions.push_back({fn("race", I),
                           "race_" + std::to_string(I),
                           true,
                           {},
                           {},
                           {{queue(Next), L(25), true, {}}}});
    S.Tasks.push_back({Start.USR, fn("race", I), L(12), {}, {}});
  }
  if (I % 100 == 0) {
    S.Functions.push_back(
        {fn("rev", I),
         "rev_" + std::to_string(I),
         true,
         {{mutex(Next), L(20), {}}, {mutex(I), L(21), {{mutex(Next), L(20)}}}},
         {}});
    S.Tasks.push_back({Start.USR, fn("rev", I), L(11), {}, {}});
  }
  for (unsigned K = 0; K != 20; ++K)
    S.Functions.push_back(
        {fn("filler" + std::to_string(K), I),
         "filler",
         true,
         {{mutex(I), L(30 + K), {}}},
         {{fn("filler" + std::to_string((K + 1) % 20), I), L(30 + K), {}}}});
  S.Functions.push_back(std::move(Worker));
  S.Functions.push_back(std::move(Helper));
  S.Functions.push_back(std::move(Start));
  S.MutexNames.emplace_back(mutex(I), "m_" + std::to_string(I));
  S.ObjectNames.emplace_back(queue(I), "q_" + std::to_string(I));
  if (I % 100 == 50)
    S.ObjectNames.emplace_back(queue(Next), "q_" + std::to_string(Next));
  return S;
}

} // namespace synthetic

// The link step on a synthetic 1,000-TU program: the inversions it holds
// and no others; the summary's size and the link's time are printed (the
// figures of docs/scan.md).
TEST(WholeProgramTest, ThousandTUs) {
  constexpr unsigned N = 1000;
  std::vector<TUSummary> S;
  size_t Bytes = 0;
  for (unsigned I = 0; I != N; ++I) {
    // Through JSON, as the driver reads them back.
    std::string Text = json(synthetic::tu(I, N), "/src");
    Bytes += Text.size();
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
    ASSERT_TRUE(bool(V));
    TUSummary Back;
    std::string Error;
    ASSERT_TRUE(fromJSON(*V, Back, "/src", Error)) << Error;
    S.push_back(std::move(Back));
  }
  auto Begin = std::chrono::steady_clock::now();
  std::vector<Finding> F = linkLockOrder(S);
  auto Ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - Begin)
                .count();
  ASSERT_EQ(F.size(), N / 100);
  EXPECT_EQ(F[0].Message,
            "mutex 'm_1' is acquired while holding 'm_0', and another thread "
            "acquires them in the opposite order: the threads can deadlock");
  std::vector<const TUSummary *> Ptrs;
  for (const TUSummary &T : S)
    Ptrs.push_back(&T);
  Begin = std::chrono::steady_clock::now();
  std::vector<Finding> Races = linkContainerRaces(Ptrs);
  auto RaceMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - Begin)
                    .count();
  ASSERT_EQ(Races.size(), N / 100);
  EXPECT_EQ(at(Races[0].Loc), "tu150.cpp:25");
  // The read holds m_150 (worker_150's, around the call) and m_151.
  EXPECT_EQ(Races[0].Message, "container 'q_151' is modified without holding "
                              "'m_150' while another thread reads it");
  std::printf("[ figures  ] %u TUs: %zu bytes of summary per TU, link %lld ms "
              "(inversions), %lld ms (races)\n",
              N, Bytes / N, static_cast<long long>(Ms),
              static_cast<long long>(RaceMs));
}

TEST(WholeProgramTest, SummaryRecordsThreadMemberJoins) {
  // stop() joins the member the start stores the thread in on every path;
  // stopIf() on one branch only; release() detaches it and handOff() moves
  // it out to another owner.
  TUSummary S = accessSummary(R"cpp(
#include <thread>
#include <utility>
#include <vector>
class Socket {
public:
  void start() { thread_ = std::thread(&Socket::run, this); }
  void stop() {
    if (thread_.joinable())
      thread_.join();
  }
  ~Socket() { stop(); }
  void stopIf(bool now) {
    if (now)
      thread_.join();
  }
  void release() { thread_.detach(); }
  void handOff(std::vector<std::thread> &to) {
    to.push_back(std::move(thread_));
  }
private:
  void run() {}
  std::thread thread_;
};
void use(std::vector<std::thread> &v) {
  Socket s;
  s.start();
  s.stopIf(true);
  s.release();
  s.handOff(v);
  s.stop();
}
)cpp",
                              "socket.cpp");
  std::vector<TUSummary> Read = roundTrip({S});
  ASSERT_EQ(Read.size(), 1u);
  std::map<std::string, const SummaryFunction *> ByName;
  for (const SummaryFunction &F : Read[0].Functions)
    ByName[F.Name] = &F;
  ASSERT_TRUE(ByName.count("stop") && ByName.count("~Socket") &&
              ByName.count("stopIf") && ByName.count("release") &&
              ByName.count("handOff"));
  ASSERT_EQ(ByName["stop"]->Joins.size(), 1u);
  EXPECT_NE(ByName["stop"]->Joins[0].find("thread_"), std::string::npos);
  EXPECT_EQ(ByName["~Socket"]->Joins, ByName["stop"]->Joins);
  EXPECT_TRUE(ByName["stopIf"]->Joins.empty());
  EXPECT_TRUE(ByName["stopIf"]->HandsOff.empty());
  EXPECT_TRUE(ByName["release"]->Joins.empty());
  EXPECT_EQ(ByName["release"]->HandsOff, ByName["stop"]->Joins);
  EXPECT_EQ(ByName["handOff"]->HandsOff, ByName["stop"]->Joins);
  ASSERT_EQ(Read[0].Tasks.size(), 1u);
  EXPECT_EQ(Read[0].Tasks[0].Handle, ByName["stop"]->Joins[0]);
}

} // namespace
} // namespace scan
} // namespace pitfall
