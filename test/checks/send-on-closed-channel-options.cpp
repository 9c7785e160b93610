// RUN: %check_tidy %s pitfall-send-on-closed-channel -config="{CheckOptions: {pitfall-send-on-closed-channel.ChannelTypes: '::app::Pipe', pitfall-send-on-closed-channel.SendMethods: 'enqueue;send', pitfall-send-on-closed-channel.MatchChannelNames: false}}" -- -std=c++20
namespace app {
class Pipe {
public:
  bool enqueue(int);
  bool write(int);
  void close();
};
class EventChannel {
public:
  bool send(int);
  void close();
};
} // namespace app

void pipe(app::Pipe &p) {
  p.close(); // CHECK-NOTE: 'p' is closed here
  (void)p.enqueue(1); // CHECK-WARN: send on channel 'p' that may already be closed
}

// GOOD: write is not in SendMethods here.
void pipe_write(app::Pipe &p) {
  p.close();
  (void)p.write(1);
}

// GOOD: MatchChannelNames is off.
void event_channel(app::EventChannel &c) {
  c.close();
  (void)c.send(1);
}
