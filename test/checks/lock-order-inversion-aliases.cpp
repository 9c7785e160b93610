// RUN: %check_tidy %s pitfall-lock-order-inversion -- -std=c++17
// Lock identity through aliases and a release before a re-acquisition. A
// pointer member every constructor of its class sets from one parameter,
// given the address of one mutex by every construction in the translation
// unit, names that mutex (rocksdb's DB mutex, reached as DBImpl::mutex_,
// ErrorHandler::db_mutex_ and the blob callback's mutex_). A helper that
// releases a mutex its caller holds and takes it again takes what it
// acquires in between without it.
#include <mutex>
#include <thread>

// --- rocksdb's DB mutex under three names: one mutex, no order ---------------
namespace rocksdb_shape {
class Mutex {
public:
  void Lock() { M.lock(); }
  void Unlock() { M.unlock(); }

private:
  std::mutex M;
};

class MutexLock {
public:
  explicit MutexLock(Mutex *M) : M(M) { M->Lock(); }
  ~MutexLock() { M->Unlock(); }

private:
  Mutex *const M;
};

class DB;

class ErrorHandler {
public:
  ErrorHandler(DB *Db, Mutex *DbMutex) : Db(Db), DbMutex(DbMutex) {}
  // Called with the db mutex held.
  void setBGError() {
    if (Recovery) {
      DbMutex->Unlock();
      Recovery->join();
      DbMutex->Lock();
    }
    delete Recovery;
    Recovery = new std::thread(&ErrorHandler::recover, this);
  }
  void recover();
  ~ErrorHandler() {
    if (Recovery) {
      Recovery->join();
      delete Recovery;
    }
  }

private:
  DB *Db;
  Mutex *DbMutex;
  std::thread *Recovery = nullptr;
};

class Callback {
public:
  Callback(Mutex *M, ErrorHandler *EH) : EH(EH) { Mu = M; }
  void onFileCompleted() {
    MutexLock L(Mu);
    EH->setBGError();
  }

private:
  Mutex *Mu;
  ErrorHandler *EH;
};

class DB {
public:
  DB() : EH(this, &Mu), CB(&Mu, &EH) {}
  void flush() { CB.onFileCompleted(); }
  // Called with Mu held; releases it while it flushes.
  void resume() {
    Mu.Unlock();
    flush();
    Mu.Lock();
  }

private:
  Mutex Mu;
  ErrorHandler EH;
  Callback CB;
};

void ErrorHandler::recover() {
  MutexLock L(DbMutex);
  Db->resume();
}

int main() {
  DB D;
  D.flush();
  return 0;
}
} // namespace rocksdb_shape

// --- an alias of one of two mutexes: a genuine inversion ---------------------
namespace alias_inversion {
class Holder {
public:
  explicit Holder(std::mutex &M) : Mu(M) {}
  void lock() { Mu.lock(); } // CHECK-NOTE: 'B' is acquired here, in 'lock'
  void unlock() { Mu.unlock(); }

private:
  std::mutex &Mu;
};

class Owner {
public:
  Owner() : H(B) {}
  void one() {
    std::lock_guard<std::mutex> a(A); // CHECK-NOTE: 'A' acquired here
    H.lock(); // CHECK-WARN: mutex 'B' is acquired while holding 'A', and another thread acquires them in the opposite order
    H.unlock();
  }
  void two() {
    std::lock_guard<std::mutex> b(B);
    std::lock_guard<std::mutex> a(A); // CHECK-NOTE: 'A' is acquired while holding 'B' here
  }
  void run() {
    std::thread t1(&Owner::one, this); // CHECK-NOTE: on the thread started here
    std::thread t2(&Owner::two, this); // CHECK-NOTE: on the thread started here
    t1.join();
    t2.join();
  }

private:
  std::mutex A, B;
  Holder H;
};
} // namespace alias_inversion

// --- two constructions given two mutexes: the member stays its own node ------
namespace two_targets {
std::mutex A, B, G;

class Holder {
public:
  explicit Holder(std::mutex *M) : Mu(M) {}
  void lockThenG() {
    std::lock_guard<std::mutex> m(*Mu); // CHECK-NOTE: 'Mu' acquired here
    std::lock_guard<std::mutex> g(G); // CHECK-WARN: mutex 'G' is acquired while holding 'Mu', and another thread acquires them in the opposite order
  }
  void lockAfterG() {
    std::lock_guard<std::mutex> g(G);
    std::lock_guard<std::mutex> m(*Mu); // CHECK-NOTE: 'Mu' is acquired while holding 'G' here
  }

private:
  std::mutex *Mu;
};

Holder HA(&A), HB(&B);

void takeGThenA() {
  std::lock_guard<std::mutex> g(G);
  std::lock_guard<std::mutex> a(A); // not 'Mu': HA's is A, HB's is B
}

void run() {
  std::thread t1([] { HA.lockThenG(); }); // CHECK-NOTE: on the thread started here
  std::thread t2(takeGThenA);
  std::thread t3([] { HB.lockAfterG(); }); // CHECK-NOTE: on the thread started here
  t1.join();
  t2.join();
  t3.join();
}
} // namespace two_targets

// --- released around another lock: not taken while holding it ---------------
namespace release_between {
class Store {
public:
  // Called with M held: releases it while it takes N.
  void flushUnlocked() {
    M.unlock();
    {
      std::lock_guard<std::mutex> n(N);
      ++Flushed;
    }
    M.lock();
  }
  void write() {
    std::lock_guard<std::mutex> m(M);
    flushUnlocked();
  }
  void read() {
    std::lock_guard<std::mutex> n(N);
    std::lock_guard<std::mutex> m(M);
  }
  void run() {
    std::thread t1(&Store::write, this);
    std::thread t2(&Store::read, this);
    t1.join();
    t2.join();
  }

private:
  std::mutex M, N;
  int Flushed = 0;
};
} // namespace release_between

// --- released, N taken, M taken again while N is held: an inversion ----------
namespace release_reacquire_under {
class Store {
public:
  // Called with M held: gives it up, takes N, and takes M back under N.
  void swapToN() {
    M.unlock();
    N.lock(); // CHECK-NOTE: 'N' acquired here
    M.lock(); // CHECK-WARN: mutex 'M' is acquired while holding 'N', and another thread acquires them in the opposite order
    N.unlock();
  }
  void write() {
    std::lock_guard<std::mutex> m(M);
    swapToN();
  }
  void read() {
    std::lock_guard<std::mutex> m(M);
    std::lock_guard<std::mutex> n(N); // CHECK-NOTE: 'N' is acquired while holding 'M' here
  }
  void run() {
    std::thread t1(&Store::write, this); // CHECK-NOTE: on the thread started here
    std::thread t2(&Store::read, this); // CHECK-NOTE: on the thread started here
    t1.join();
    t2.join();
  }

private:
  std::mutex M, N;
};
} // namespace release_reacquire_under
