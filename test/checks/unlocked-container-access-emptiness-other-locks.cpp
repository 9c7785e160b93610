// An emptiness test (size(), empty()) made under other locks than the
// container's, that only decides whether to take the container's lock: a
// background loop holding its own lock compares an index with a table's
// size() before taking the table's lock to encode the entries past the index
// (the locked uses do not depend on the unlocked size: at() checks its
// index, the encoder reads the size again). The same decision as the
// unlocked test `if (!q.empty()) { lock; ... }`: not reported by default
// (ReportUnlockedEmptinessChecks), reported with the option (the REPORT
// run). Still reported: a locked use that needs an element
// (front(), pop_front()) with no test made again under the lock, and a use
// under no more locks than the test.
// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// RUN: %scan_one %s pitfall-unlocked-container-access \
// RUN:   --option pitfall-unlocked-container-access.ReportUnlockedEmptinessChecks=true \
// RUN:   -- -std=c++17 | FileCheck %s --check-prefix=REPORT
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

void encode(std::size_t From, const std::vector<std::string> &Sites);

class Logger {
public:
  std::size_t registerSite(std::string S) {
    std::lock_guard<std::mutex> G(RegistrationMutex);
    Sites.push_back(std::move(S));
    return Sites.size() - 1;
  }
  std::size_t siteCount() {
    std::lock_guard<std::mutex> G(RegistrationMutex);
    return Sites.size();
  }
  void reset() {
    std::lock_guard<std::mutex> G(RegistrationMutex);
    Sites.clear();
  }

  // The background loop: its own lock held for the round; the table's lock
  // only when the unlocked size() says there are new entries.
  void compressRound() {
    std::unique_lock<std::mutex> Round(BufferMutex);
    if (Persisted < Sites.size()) { // decides whether to lock: not reported
      std::lock_guard<std::mutex> G(RegistrationMutex);
      encode(Persisted, Sites);
      for (std::size_t I = Shadow.size(); I < Sites.size(); ++I)
        Shadow.push_back(Sites.at(I));
      Persisted = Shadow.size();
    }
  }

  // A locked use that needs an element, and no test made again under the
  // lock: the unlocked size() is what makes front() valid.
  std::string firstSite() {
    std::unique_lock<std::mutex> Round(BufferMutex);
    if (Sites.size() > 0) { // CHECK-WARN: container 'Sites' is read without holding 'RegistrationMutex', which guards its other accesses
      std::lock_guard<std::mutex> G(RegistrationMutex);
      return Sites.front();
    }
    return {};
  }

  // A use under no more locks than the test: unlocked too.
  std::string lastSite() {
    std::unique_lock<std::mutex> Round(BufferMutex);
    if (Sites.empty()) // CHECK-WARN: container 'Sites' is read without holding 'RegistrationMutex', which guards its other accesses
      return {};
    return Sites.back(); // CHECK-WARN: container 'Sites' is read without holding 'RegistrationMutex', which guards its other accesses
  }

private:
  std::mutex BufferMutex, RegistrationMutex;
  std::vector<std::string> Sites;
  std::vector<std::string> Shadow;
  std::size_t Persisted = 0;
};

// Notes of the findings above.
// CHECK-NOTE@-52: 'Sites' is modified under 'RegistrationMutex' here
// CHECK-NOTE@-53: 'Sites' is modified under 'RegistrationMutex' here
// CHECK-NOTE@-54: 'Sites' is modified under 'RegistrationMutex' here

// REPORT: emptiness-other-locks.cpp:43:{{[0-9]+}}: warning: container 'Sites' is read without holding 'RegistrationMutex'
// REPORT: emptiness-other-locks.cpp:56:{{[0-9]+}}: warning: container 'Sites' is read without holding 'RegistrationMutex'
