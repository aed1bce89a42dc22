// An IoT gateway written against "acme", the team's own lazy coroutine
// library: devices report telemetry, the gateway batches it upstream and
// pushes firmware updates.
#include "acme/acme.hpp"
#include "vendor/clients.hpp"

#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace gateway {

struct Reading {
  std::string device;
  double value = 0;
};
struct Device {
  std::string id;
  std::string firmware;
};
struct Config {
  int batch_size = 100;
  std::string upstream;
};

acme::task<std::vector<Reading>> poll_device(Device d);
acme::task<void> upload(std::vector<Reading> batch);
acme::task<void> push_firmware(Device d, std::string image);
acme::task<Config> load_config();
acme::task<std::string> firmware_image(std::string version);
acme::task<std::vector<Device>> registered_devices();
acme::task<double> calibration(std::string device);
acme::task<void> flush_metrics();
acme::task<void> heartbeat(std::string device);

class Gateway {
public:
  acme::task<void> poll_all(std::vector<Device> devices) {
    std::vector<acme::task<std::vector<Reading>>> polls;
    for (const auto &d : devices)                                 // expect: async-unbounded-fanout
      polls.push_back(poll_device(d));
    auto results = co_await acme::when_all(std::move(polls));
    for (auto &r : results)
      pending_.insert(pending_.end(), r.begin(), r.end());
  }

  acme::task<void> poll_bounded(std::vector<Device> devices) {
    std::vector<acme::task<std::vector<Reading>>> polls;
    for (const auto &d : devices)
      polls.push_back(poll_device(d));
    auto results = co_await acme::when_all_limited(std::move(polls), 32);
    (void)results;
  }

  acme::task<void> roll_out(std::string version) {
    auto image = co_await firmware_image(version);
    auto devices = co_await registered_devices();                  // expect: async-sequential-await
    acme::task_group group;
    for (const auto &d : devices)                                 // expect: async-unbounded-fanout
      group.spawn(push_firmware(d, image));
    co_await group.join();
  }

  acme::task<void> calibrate(std::string a, std::string b) {
    auto ca = co_await calibration(a);
    auto cb = co_await calibration(b);                             // expect: async-sequential-await
    offsets_[a] = ca;
    offsets_[b] = cb;
  }

  acme::task<void> record(Reading r) {
    // acme::mutex is async: its lock() orders the critical section and is
    // never part of a run.
    auto guard = co_await summary_lock_.lock();
    auto ca = co_await calibration(r.device);
    auto limit = co_await calibration("limit:" + r.device);       // expect: async-sequential-await
    pending_.push_back({r.device, r.value - ca});
    if (r.value > limit)
      co_await flush_metrics();
  }

  acme::task<void> on_tick() {
    acme::spawn(flush_metrics());                                 // expect: async-dropped-exception
    acme::spawn(heartbeat("gateway"), [](std::exception_ptr e) {
      if (e)
        std::rethrow_exception(e);
    });
    acme::spawn(heartbeat("backup"), [](std::exception_ptr) {});  // expect: async-dropped-exception
    co_return;
  }

  acme::task<Config> reload() {
    auto cfg = acme::sync_wait(load_config());                    // expect: async-blocking-call
    co_return cfg;
  }

  acme::task<void> persist_offsets() {
    std::ofstream out("/var/lib/gateway/offsets");               // expect: async-blocking-call
    for (const auto &[device, offset] : offsets_)
      out << device << ' ' << offset << '\n';
    co_return;
  }

  acme::task<void> backoff(int attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100 * attempt)); // expect: async-blocking-call
    co_await acme::sleep_for(std::chrono::milliseconds(100 * attempt));
  }

  acme::task<int> queued() {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    co_return static_cast<int>(pending_.size());
  }

  acme::task<void> report_device(std::string device) {
    std::lock_guard<std::mutex> lock(stats_mutex_);               // expect: async-lock-across-await, async-blocking-call
    co_await heartbeat(device);
    ++reports_;
  }

  acme::task<void> forward(Reading r) {
    // One Redis connection per reading.
    redisContext *redis = redisConnect("127.0.0.1", 6379);        // expect: async-per-call-connection, async-blocking-call
    redisCommand(redis, "LPUSH readings %s", r.device.c_str());   // expect: async-blocking-call
    redisFree(redis);
    co_return;
  }

  acme::task<void> restart_all(std::vector<Device> devices) {
    for (const auto &d : devices)
      heartbeat(d.id);                                            // expect: async-unawaited-task
    co_return;
  }

private:
  acme::mutex summary_lock_;
  std::mutex stats_mutex_;
  std::vector<Reading> pending_;
  std::map<std::string, double> offsets_;
  int reports_ = 0;
};

acme::task<void> upload_in_chunks(std::vector<Reading> readings) {
  const std::size_t chunk_count{8};
  std::vector<acme::task<void>> uploads;
  for (std::size_t i = 0; i < chunk_count; ++i) {
    std::vector<Reading> chunk(readings.begin() + i * readings.size() / chunk_count,
                               readings.begin() + (i + 1) * readings.size() / chunk_count);
    uploads.push_back(upload(std::move(chunk)));
  }
  co_await acme::when_all(std::move(uploads));
}

} // namespace gateway

int main() {
  gateway::Gateway gw;
  acme::sync_wait(gw.poll_all({}));
}
