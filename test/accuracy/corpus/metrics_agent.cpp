// A metrics agent: scrapes local exporters on an "acme" (lazy, home-made)
// event loop and ships samples through "nimbus" (eager, home-made) uploads.
#include "acme/acme.hpp"
#include "nimbus/future.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace agent {

struct Sample {
  std::string name;
  double value = 0;
};
struct Target {
  std::string url;
  std::string job;
};

acme::task<std::vector<Sample>> scrape(Target t);
acme::task<std::map<std::string, std::string>> host_labels();
acme::task<std::string> agent_version();
acme::task<void> record_scrape_duration(std::string job, double ms);
acme::task<std::vector<Target>> discover_targets();
nimbus::future<bool> ship(std::vector<Sample> batch);
nimbus::future<void> ship_heartbeat();

class Scraper {
public:
  acme::task<void> scrape_all() {
    auto targets = co_await discover_targets();
    std::vector<acme::task<std::vector<Sample>>> jobs;
    for (const auto &t : targets)                                 // expect: async-unbounded-fanout
      jobs.emplace_back(scrape(t));
    auto all = co_await acme::when_all(std::move(jobs));
    for (auto &samples : all)
      buffer_.insert(buffer_.end(), samples.begin(), samples.end());
  }

  acme::task<void> scrape_limited() {
    auto targets = co_await discover_targets();
    acme::semaphore slots(4);
    acme::task_group group;
    for (const auto &t : targets) {
      auto permit = co_await slots.acquire();
      group.spawn(scrape_one(t, std::move(permit)));
    }
    co_await group.join();
  }

  // The permit is given back when the scrape is done.
  acme::task<void> scrape_one(Target t, acme::semaphore::permit permit) {
    auto samples = co_await scrape(t);
    std::lock_guard<std::mutex> lock(buffer_mutex_);
    buffer_.insert(buffer_.end(), samples.begin(), samples.end());
  }

  acme::task<std::string> describe() {
    auto labels = co_await host_labels();
    auto version = co_await agent_version();                       // expect: async-sequential-await
    co_return version + " on " + labels["host"];
  }

  acme::task<void> timed_scrape(Target t) {
    auto start = std::chrono::steady_clock::now();
    auto samples = co_await scrape(t);
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    record_scrape_duration(t.job, ms);                            // expect: async-unawaited-task
    co_await record_scrape_duration(t.job + ":samples", static_cast<double>(samples.size()));
  }

  nimbus::future<int> flush() {
    std::vector<Sample> batch;
    {
      std::lock_guard<std::mutex> lock(buffer_mutex_);
      batch.swap(buffer_);
    }
    bool ok = co_await ship(std::move(batch));
    ship_heartbeat();                                             // expect: async-unawaited-task
    co_return ok ? 1 : 0;
  }

  nimbus::future<void> flush_and_forget() {
    nimbus::detach(ship_heartbeat());                             // expect: async-dropped-exception
    auto shipped = ship(std::move(buffer_));
    co_await shipped;
  }

  acme::task<void> spool_to_disk() {
    std::FILE *f = std::fopen("/var/spool/agent/samples", "a");  // expect: async-blocking-call
    for (const auto &s : buffer_)
      std::fprintf(f, "%s %f\n", s.name.c_str(), s.value);        // expect: async-blocking-call
    std::fclose(f);                                               // expect: async-blocking-call
    co_return;
  }

  acme::task<void> shutdown() {
    auto last = nimbus::block_on(ship(std::move(buffer_)));       // expect: async-blocking-call
    (void)last;
    co_return;
  }

  acme::task<void> sequential_jobs(std::vector<Target> targets) {
    for (const auto &t : targets) {
      auto samples = co_await scrape(t);                          // expect: async-sequential-await
      std::lock_guard<std::mutex> lock(buffer_mutex_);
      buffer_.insert(buffer_.end(), samples.begin(), samples.end());
    }
  }

private:
  std::mutex buffer_mutex_;
  std::vector<Sample> buffer_;
};

acme::task<void> run_agent() {
  Scraper s;
  acme::spawn(s.scrape_all(), [](std::exception_ptr e) {
    if (e)
      std::fputs("scrape failed\n", stderr);
  });
  co_await acme::sleep_for(15000ms);
  acme::spawn(s.scrape_limited());                                // expect: async-dropped-exception
}

} // namespace agent

int main() { acme::sync_wait(agent::run_agent()); }
