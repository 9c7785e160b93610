// Bench corpus: Boost.Fiber channels and fibers (libboost-fiber-dev).
#include <boost/fiber/all.hpp>

#include <vector>

int pipeline(int n) {
  boost::fibers::buffered_channel<int> ch(8);
  boost::fibers::unbuffered_channel<int> out;
  boost::fibers::fiber producer([&] {
    for (int i = 0; i < n; ++i)
      if (ch.push(i) == boost::fibers::channel_op_status::closed)
        break;
    ch.close();
  });
  boost::fibers::fiber consumer([&] {
    int v;
    while (ch.pop(v) == boost::fibers::channel_op_status::success)
      out.push(v * 2);
    out.close();
  });
  int sum = 0;
  for (int v : out)
    sum += v;
  producer.join();
  consumer.join();
  return sum;
}
