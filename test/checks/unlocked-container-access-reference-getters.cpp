// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// A member function that only returns a reference to a container member
// (`std::deque<T> &getQueue() { return m_queue; }`) hands the container out:
// its `return` is no access. The accesses are made where its callers use the
// result, with their locks there (luanti's ClientInterface::getClientList()
// and MutexedQueue::getQueue(), whose callers hold the mutex first): a use
// under the guard is fine, a use without any lock is reported at the caller,
// as a direct access of the member would be.
#include <deque>
#include <map>
#include <mutex>
#include <thread>

// 1. A queue whose reference getter is used under the mutex a getter of the
// mutex hands to the caller's guard. Not reported.
template <typename T> class MutexedQueue {
public:
  void push_back(const T &t) {
    std::lock_guard<std::mutex> l(m_mutex);
    m_queue.push_back(t);
  }
  T pop() {
    std::lock_guard<std::mutex> l(m_mutex);
    T t = m_queue.front();
    m_queue.pop_front();
    return t;
  }
  bool contains(const T &v) {
    std::lock_guard<std::mutex> l(getMutex());
    for (const T &x : getQueue())
      if (x == v)
        return true;
    return false;
  }
  void dropAll() {
    std::lock_guard<std::mutex> l(getMutex());
    getQueue().clear();
  }

  std::mutex &getMutex() { return m_mutex; }
  std::deque<T> &getQueue() { return m_queue; }

private:
  std::deque<T> m_queue;
  std::mutex m_mutex;
};

void useQueue(MutexedQueue<int> &q) {
  q.push_back(1);
  (void)q.contains(1);
  q.dropAll();
  (void)q.pop();
}

// 2. A public reference getter the class's callers in other classes reach
// (its `return` alone, with no call seen here). Not reported.
class ClientInterface {
public:
  void add(int k) {
    std::lock_guard<std::recursive_mutex> l(m_clients_mutex);
    m_clients[k] = 1; // CHECK-NOTE: 'm_clients' is modified under 'm_clients_mutex' here
  } // CHECK-NOTE@-1: 'm_clients' is modified under 'm_clients_mutex' here
  void remove(int k) {
    std::lock_guard<std::recursive_mutex> l(m_clients_mutex);
    m_clients.erase(k);
  }
  std::map<int, int> &getClientList() { return m_clients; }
  const std::map<int, int> &clients() const { return m_clients; }

  // 3. Used under the guard in the class: not reported.
  int countLocked() {
    std::lock_guard<std::recursive_mutex> l(m_clients_mutex);
    int n = 0;
    for (auto &c : getClientList())
      n += c.second;
    return n;
  }

  // 4. Still reported: the same loop without any lock, at the caller.
  int countUnlocked() {
    int n = 0;
    for (auto &c : getClientList()) // CHECK-WARN: container 'm_clients' is read without holding 'm_clients_mutex', which guards its other accesses
      n += c.second;
    return n;
  }
  // And a modification through the getter.
  void wipe() {
    getClientList().clear(); // CHECK-WARN: container 'm_clients' is modified without holding 'm_clients_mutex', which guards its other accesses
  } // CHECK-NOTE@-1: hold 'm_clients_mutex' for this statement
  // CHECK-FIX: std::scoped_lock lock(m_clients_mutex); getClientList().clear();

private:
  std::recursive_mutex m_clients_mutex;
  std::map<int, int> m_clients;
};

// 5. The thread rule sees the uses too: a local object's container modified
// through its getter by a thread and by the function that started it.
class Box {
public:
  std::deque<int> &items() { return items_; }

private:
  std::deque<int> items_;
};
void shareBox() {
  Box b;
  std::thread t([&] { b.items().push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
  b.items().clear(); // CHECK-WARN: container 'items_' is modified without a lock while another thread modifies it
  t.join();
}
