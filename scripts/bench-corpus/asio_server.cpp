// Bench corpus: standalone asio (Debian's libasio-dev): an echo server with
// coroutines, strands, timers and error codes. asio 1.22 enables co_await
// under clang only with -DASIO_HAS_CO_AWAIT=1 -DASIO_HAS_STD_COROUTINE=1.
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/channel.hpp>

#include <array>
#include <iostream>

using asio::ip::tcp;

asio::awaitable<void> echo(tcp::socket socket) {
  std::array<char, 1024> data;
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(
        asio::buffer(data), asio::experimental::as_tuple(asio::use_awaitable));
    if (ec)
      co_return;
    co_await asio::async_write(socket, asio::buffer(data, n), asio::use_awaitable);
  }
}

asio::awaitable<void> listener(tcp::acceptor acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::experimental::as_tuple(asio::use_awaitable));
    if (ec)
      co_return;
    asio::co_spawn(acceptor.get_executor(), echo(std::move(socket)), asio::detached);
  }
}

int serve(unsigned short port) {
  asio::io_context io;
  asio::error_code ec;
  tcp::acceptor acceptor(io);
  acceptor.open(tcp::v4(), ec);
  if (ec)
    return 1;
  acceptor.bind({tcp::v4(), port}, ec);
  if (ec)
    return 1;
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return 1;
  asio::co_spawn(io, listener(std::move(acceptor)), asio::detached);
  asio::steady_timer timer(io, std::chrono::seconds(1));
  timer.async_wait([&](const asio::error_code &) { io.stop(); });
  auto strand = asio::make_strand(io);
  asio::post(strand, [] { std::cout << "tick\n"; });
  asio::experimental::channel<void(asio::error_code, int)> ch(io, 4);
  ch.try_send(asio::error_code{}, 1);
  ch.close();
  io.run();
  return 0;
}
