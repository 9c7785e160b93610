// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A task started in a loop and handed, as an argument of its start, the
// element of a container the iteration's counter selects (`std::ref(v[i])`,
// `&v[i]`): the argument is evaluated by the starter when it starts the
// task, so each run has its own element (opentelemetry-cpp's
// circular_buffer_test: `threads[i] = std::thread{Generate, std::ref(buffer),
// std::ref(thread_numbers[i]), n}`). The tasks write distinct objects, not
// the vector, and the starter's `v[i]`, which only selects the element it
// hands on, reads the vector without touching the elements' contents.
// Forms: std::thread, std::jthread, emplace_back into a vector of threads,
// std::async, a pointer parameter.
// Still reported: one element (a constant key, or a key the loop does not
// step) handed to every run, the same element handed to two threads, and a
// vector's insertion while the tasks work on their elements.
#include <cstddef>
#include <future>
#include <thread>
#include <vector>

void generate(std::vector<int> &Out, int N) {
  for (int I = 0; I < N; ++I)
    Out.push_back(I);
}

void generateJ(std::vector<int> &Out, int N) {
  for (int I = 0; I < N; ++I)
    Out.push_back(I);
}

void generateAt(std::vector<int> *Out, int N) {
  for (int I = 0; I < N; ++I)
    Out->push_back(I);
}

void generateAsync(std::vector<int> &Out, int N) {
  for (int I = 0; I < N; ++I)
    Out.push_back(I);
}

void byRefArgument(int NumThreads, int N) {
  std::vector<std::vector<int>> PerThread(NumThreads);
  std::vector<std::thread> Threads(NumThreads);
  for (int I = 0; I < NumThreads; ++I)
    Threads[I] = std::thread{generate, std::ref(PerThread[I]), N};
  for (auto &T : Threads)
    T.join();
}

void jthreadArgument(std::size_t NumThreads) {
  std::vector<std::vector<int>> PerThread(NumThreads);
  {
    std::vector<std::jthread> Threads;
    for (std::size_t I = 0; I != NumThreads; ++I)
      Threads.emplace_back(generateJ, std::ref(PerThread[I]), 4);
  }
}

void pointerArgument(int NumThreads) {
  std::vector<std::vector<int>> PerThread(NumThreads);
  std::vector<std::thread> Threads;
  for (int I = 0; I < NumThreads; ++I)
    Threads.emplace_back(generateAt, &PerThread[I], 8);
  for (auto &T : Threads)
    T.join();
}

void asyncArgument(int NumTasks) {
  std::vector<std::vector<int>> PerTask(NumTasks);
  std::vector<std::future<void>> Results;
  for (int I = 0; I < NumTasks; ++I)
    Results.push_back(
        std::async(std::launch::async, generateAsync, std::ref(PerTask[I]), 2));
  for (auto &R : Results)
    R.get();
}

void fillRow(std::vector<int> &Row) {
  // CHECK-WARN@+1:3: container 'Rows' is modified without a lock while another thread modifies it
  Row.push_back(1);
}

// One element, selected by a key the loop does not step, for every run.
void sameKeyEveryRun(int NumThreads, int K) {
  std::vector<std::vector<int>> Rows(NumThreads);
  std::vector<std::thread> Threads;
  for (int I = 0; I < NumThreads; ++I)
    // CHECK-NOTE@+1:5: the thread is started in a loop and runs concurrently with itself
    Threads.emplace_back(fillRow, std::ref(Rows[K]));
  for (auto &T : Threads)
    T.join();
}

void fillCell(std::vector<int> &Cell) {
  // CHECK-WARN@+2:3: container 'Cells' is modified without a lock while another thread modifies it
  // CHECK-NOTE@+1:3: conflicting modification on another thread
  Cell.push_back(1);
}

// The same element handed to two threads.
void sameElementTwoThreads() {
  std::vector<std::vector<int>> Cells(2);
  std::thread A(fillCell, std::ref(Cells[0]));
  std::thread B(fillCell, std::ref(Cells[0]));
  A.join();
  B.join();
}

void fillSlot(std::vector<int> &Slot) {
  // CHECK-NOTE@+1:3: conflicting modification on another thread
  Slot.push_back(1);
}

// The starter grows the vector while the tasks work on their elements: the
// reallocation moves every element.
void growsWhileRunning(int NumThreads) {
  std::vector<std::vector<int>> Slots(NumThreads);
  std::vector<std::thread> Threads;
  for (int I = 0; I < NumThreads; ++I) {
    Threads.emplace_back(fillSlot, std::ref(Slots[I]));
    // CHECK-WARN@+1:5: container 'Slots' is modified without a lock while another thread modifies it
    Slots.emplace_back();
  }
  for (auto &T : Threads)
    T.join();
}
