// Ownership claimed under a lock by a flag (a try-acquire by flag): a
// function takes the lock, returns if the flag is set, else sets it and
// owns the container after the locked block until it clears the flag under
// the lock again. Every other access tests the flag under the same lock
// first: the flag is a lock. Broken forms of the protocol stay reported.
// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
#include <mutex>
#include <string>
#include <thread>
#include <vector>

void write(const std::string &);
void writeAll(const std::vector<std::string> &);

// The protocol: flush() runs on any thread.
class Conn {
public:
  void push(std::string s) {
    std::lock_guard<std::mutex> lock(m_);
    queue_.push_back(std::move(s));
  }
  void flush() {
    {
      std::lock_guard<std::mutex> lock(m_);
      if (busy_)
        return;
      current_.swap(queue_);
      if (current_.empty())
        return;
      busy_ = true; // this call owns current_ until it clears busy_
    }
    for (const std::string &s : current_)
      write(s);
    std::lock_guard<std::mutex> lock(m_);
    current_.clear();
    busy_ = false;
  }

private:
  std::mutex m_;
  bool busy_ = false;
  std::vector<std::string> queue_, current_;
};

void flushEverywhere(Conn &c) {
  std::thread a(&Conn::flush, &c);
  std::thread b(&Conn::flush, &c);
  a.join();
  b.join();
}

// An enum state, claimed by `if (state_ != Idle) return; state_ = Busy;`,
// and the owned container handed to a helper.
class Sender {
public:
  enum State { Idle, Busy };
  void send() {
    std::unique_lock<std::mutex> lock(m_);
    if (state_ != Idle)
      return;
    state_ = Busy;
    lock.unlock();
    fill();
    lock.lock();
    buffer_.clear();
    state_ = Idle;
  }

private:
  void fill() { buffer_.push_back('x'); }
  std::mutex m_;
  State state_ = Idle;
  std::string buffer_;
};

// The flag is tested under the lock but never set: nothing is owned.
class TestedNotSet {
public:
  void flush() {
    {
      std::lock_guard<std::mutex> lock(m_);
      if (busy_)
        return;
      current_.swap(queue_); // CHECK-NOTE: 'current_' is modified under 'm_' here
    }
    writeAll(current_); // CHECK-WARN: container 'current_' is read without holding 'm_', which guards its other accesses
  }

private:
  std::mutex m_;
  bool busy_ = false;
  std::vector<std::string> queue_, current_;
};

// The flag is set after the lock is released: two callers may both see it
// clear.
class SetOutsideLock {
public:
  void flush() {
    {
      std::lock_guard<std::mutex> lock(m_);
      if (busy_)
        return;
      current_.swap(queue_); // CHECK-NOTE: 'current_' is modified under 'm_' here
    }
    busy_ = true;
    writeAll(current_); // CHECK-WARN: container 'current_' is read without holding 'm_', which guards its other accesses
    std::lock_guard<std::mutex> lock(m_);
    busy_ = false;
  }

private:
  std::mutex m_;
  bool busy_ = false;
  std::vector<std::string> queue_, current_;
};

// The flag is set without being tested: a second caller overwrites it.
class NotTested {
public:
  void flush() {
    {
      std::lock_guard<std::mutex> lock(m_);
      current_.swap(queue_); // CHECK-NOTE: 'current_' is modified under 'm_' here
      busy_ = true;
    }
    writeAll(current_); // CHECK-WARN: container 'current_' is read without holding 'm_', which guards its other accesses
    std::lock_guard<std::mutex> lock(m_);
    busy_ = false;
  }

private:
  std::mutex m_;
  bool busy_ = false;
  std::vector<std::string> queue_, current_;
};

// Another function touches the container under the lock without testing
// the flag: it races with the owner.
class OtherPath {
public:
  void reset() {
    std::lock_guard<std::mutex> lock(m_);
    current_.clear(); // CHECK-NOTE: 'current_' is modified under 'm_' here
  }
  void flush() {
    {
      std::lock_guard<std::mutex> lock(m_);
      if (busy_)
        return;
      current_.swap(queue_);
      busy_ = true;
    }
    writeAll(current_); // CHECK-WARN: container 'current_' is read without holding 'm_', which guards its other accesses
    std::lock_guard<std::mutex> lock(m_);
    busy_ = false;
  }

private:
  std::mutex m_;
  bool busy_ = false;
  std::vector<std::string> queue_, current_;
};

// The flag is cleared before the last access: another caller owns the
// container by then.
class ClearedEarly {
public:
  void flush() {
    {
      std::lock_guard<std::mutex> lock(m_);
      if (busy_)
        return;
      // CHECK-NOTE@+1: 'current_' is modified under 'm_' here
      current_.swap(queue_); // CHECK-NOTE: 'current_' is modified under 'm_' here
      busy_ = true;
    }
    writeAll(current_); // CHECK-WARN: container 'current_' is read without holding 'm_', which guards its other accesses
    {
      std::lock_guard<std::mutex> lock(m_);
      busy_ = false;
    }
    current_.clear(); // CHECK-WARN: container 'current_' is modified without holding 'm_', which guards its other accesses
  }

private:
  std::mutex m_;
  bool busy_ = false;
  std::vector<std::string> queue_, current_;
};
