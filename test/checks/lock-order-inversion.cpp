// RUN: %check_tidy %s pitfall-lock-order-inversion -- -std=c++20
// Two threads acquiring the same mutexes in opposite orders, a cycle of
// three, and an order taken through a helper; with the safe shapes beside
// them.
#include <mutex>
#include <thread>

// --- two orders of a pair, on two threads ---------------------------------
namespace pair {
std::mutex accounts, audit;

void transfer() {
  std::lock_guard<std::mutex> a(accounts); // CHECK-NOTE: 'accounts' acquired here
  std::lock_guard<std::mutex> b(audit); // CHECK-WARN: mutex 'audit' is acquired while holding 'accounts', and another thread acquires them in the opposite order
}

void report() {
  std::lock_guard<std::mutex> b(audit);
  std::lock_guard<std::mutex> a(accounts); // CHECK-NOTE: 'accounts' is acquired while holding 'audit' here
}

void run() {
  std::thread t1(transfer); // CHECK-NOTE: on the thread started here
  std::thread t2(report); // CHECK-NOTE: on the thread started here
  t1.join();
  t2.join();
}
} // namespace pair

// --- lambdas sharing two local mutexes ------------------------------------
int lambdas() {
  std::mutex m1, m2;
  int n = 0;
  std::thread t([&] { // CHECK-NOTE: on the thread started here
    std::lock_guard<std::mutex> g1(m1); // CHECK-NOTE: 'm1' acquired here
    std::unique_lock<std::mutex> g2(m2); // CHECK-WARN: mutex 'm2' is acquired while holding 'm1', and another thread acquires them in the opposite order
    ++n;
  });
  {
    std::lock_guard<std::mutex> g2(m2);
    m1.lock(); // CHECK-NOTE: 'm1' is acquired while holding 'm2' here
    ++n;
    m1.unlock();
  }
  t.join();
  return n;
}

// --- the starting thread takes the other order only after the join: safe --
int joined_first() {
  std::mutex m1, m2;
  int n = 0;
  std::thread t([&] {
    std::lock_guard<std::mutex> g1(m1);
    std::lock_guard<std::mutex> g2(m2);
    ++n;
  });
  t.join();
  std::lock_guard<std::mutex> g2(m2);
  std::lock_guard<std::mutex> g1(m1);
  return n;
}

// --- a cycle of three ------------------------------------------------------
namespace cycle {
std::mutex a, b, c;

void ab() {
  std::lock_guard<std::mutex> la(a); // CHECK-NOTE: 'a' acquired here
  std::lock_guard<std::mutex> lb(b); // CHECK-WARN: mutex 'b' is acquired while holding 'a', and other threads complete a cycle of lock acquisitions ('a' -> 'b' -> 'c' -> 'a')
}
void bc() {
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> lc(c); // CHECK-NOTE: 'c' is acquired while holding 'b' here
}
void ca() {
  std::lock_guard<std::mutex> lc(c);
  std::lock_guard<std::mutex> la(a); // CHECK-NOTE: 'a' is acquired while holding 'c' here
}

void run() {
  std::jthread t1(ab); // CHECK-NOTE: on the thread started here
  std::jthread t2(bc); // CHECK-NOTE: on the thread started here
  std::jthread t3(ca); // CHECK-NOTE: on the thread started here
}
} // namespace cycle

// --- one order through a helper --------------------------------------------
namespace helper {
class Cache {
public:
  void start() {
    worker_ = std::thread(&Cache::evict, this); // CHECK-NOTE: on the thread started here
  }
  void stop() { worker_.join(); }

  // Called from any thread.
  void put(int k) {
    std::lock_guard<std::mutex> l(index_mu_); // CHECK-NOTE: 'index_mu_' acquired here
    touch(k); // CHECK-WARN: mutex 'lru_mu_' is acquired while holding 'index_mu_', and another thread acquires them in the opposite order
  }

private:
  void touch(int k) {
    std::lock_guard<std::mutex> l(lru_mu_); // CHECK-NOTE: 'lru_mu_' is acquired here, in 'touch'
    last_ = k;
  }
  void evict() {
    std::lock_guard<std::mutex> l(lru_mu_);
    std::lock_guard<std::mutex> i(index_mu_); // CHECK-NOTE: 'index_mu_' is acquired while holding 'lru_mu_' here
    last_ = -1;
  }

  std::mutex index_mu_, lru_mu_;
  int last_ = 0;
  std::thread worker_;
};
} // namespace helper

// --- the same order everywhere ---------------------------------------------
namespace consistent {
std::mutex a, b;
void f() {
  std::lock_guard<std::mutex> la(a);
  std::lock_guard<std::mutex> lb(b);
}
void g() {
  std::lock_guard<std::mutex> la(a);
  std::unique_lock<std::mutex> lb(b);
  lb.unlock();
}
void run() {
  std::jthread t1(f), t2(g);
}
} // namespace consistent

// --- both at once: std::scoped_lock and std::lock avoid the deadlock --------
namespace together {
std::mutex a, b;
void f() { std::scoped_lock l(a, b); }
void g() { std::scoped_lock l(b, a); }
void h() {
  std::lock(b, a);
  std::lock_guard<std::mutex> lb(b, std::adopt_lock);
  std::lock_guard<std::mutex> la(a, std::adopt_lock);
}
void run() {
  std::jthread t1(f), t2(g), t3(h);
}
} // namespace together

// --- a recursive mutex locked again while held is no new acquisition -------
namespace recursive {
std::recursive_mutex r;
std::mutex a;
void log() { std::lock_guard<std::recursive_mutex> l(r); }
void f() {
  std::lock_guard<std::recursive_mutex> l(r);
  std::lock_guard<std::mutex> la(a);
  log();
}
void g() {
  std::lock_guard<std::recursive_mutex> l(r);
  std::lock_guard<std::mutex> la(a);
}
void run() {
  std::jthread t1(f), t2(g);
}
} // namespace recursive

// --- try_lock: the thread backs off instead of waiting ----------------------
namespace backoff {
std::mutex a, b;
void f() {
  std::lock_guard<std::mutex> la(a);
  std::lock_guard<std::mutex> lb(b);
}
void g() {
  std::lock_guard<std::mutex> lb(b);
  if (a.try_lock()) {
    a.unlock();
  }
}
void h() {
  std::unique_lock<std::mutex> lb(b);
  std::unique_lock<std::mutex> la(a, std::try_to_lock);
  if (!la.owns_lock())
    return;
}
void run() {
  std::jthread t1(f), t2(g), t3(h);
}
} // namespace backoff

// --- both orders under a common lock, one taken through a helper: safe -------
namespace gate {
std::mutex outer, a, b;
void lockOuter() { outer.lock(); }
void unlockOuter() { outer.unlock(); }
void ba() {
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
}
void f() {
  std::lock_guard<std::mutex> g(outer);
  std::lock_guard<std::mutex> la(a);
  std::lock_guard<std::mutex> lb(b);
}
void g() {
  lockOuter();
  ba();
  unlockOuter();
}
void run() {
  std::jthread t1(f), t2(g);
}
} // namespace gate
