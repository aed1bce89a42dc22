// Nightly report exports for a billing backend on asyncrt: reads CSV
// exports, aggregates them, writes archives and uploads them.
#include <asyncrt/asyncrt.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace reports {

struct Row {
  std::string customer;
  double amount = 0;
};

asyncrt::task<void> upload(std::string path);
asyncrt::task<std::vector<std::string>> pending_exports();
asyncrt::task<double> exchange_rate(std::string currency);
asyncrt::task<double> tax_rate(std::string region);

std::vector<Row> read_export(const std::string &path) {
  std::vector<Row> rows;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    Row r;
    std::getline(fields, r.customer, ',');
    fields >> r.amount;
    rows.push_back(r);
  }
  return rows;
}

int exports_written = 0;

void write_archive(const std::string &path, const std::vector<Row> &rows) {
  std::ofstream out(path);
  for (const auto &r : rows)
    out << r.customer << ',' << r.amount << '\n';
  ++exports_written;
}

double total_of(const std::vector<Row> &rows) {
  double t = 0;
  for (const auto &r : rows)
    t += r.amount;
  return t;
}

asyncrt::task<double> export_one(std::string path) {
  auto rows = read_export(path);                                  // expect: async-blocking-call
  write_archive(path + ".archive", rows);                         // expect: async-blocking-call
  co_await upload(path + ".archive");
  co_return total_of(rows);
}

asyncrt::task<double> export_one_offloaded(std::string path) {
  auto rows = co_await asyncrt::to_thread([&] { return read_export(path); });
  co_await asyncrt::to_thread([&] { write_archive(path + ".archive", rows); });
  co_await upload(path + ".archive");
  co_return total_of(rows);
}

asyncrt::task<std::size_t> count_lines(std::string path) {
  std::ifstream in(path);                                         // expect: async-blocking-call
  std::size_t n = 0;
  std::string line;
  while (std::getline(in, line))                                  // expect: async-blocking-call
    ++n;
  co_return n;
}

asyncrt::task<std::string> read_header(std::string path) {
  std::ifstream in;
  in.open(path);                                                  // expect: async-blocking-call
  char magic[8] = {};
  in.read(magic, sizeof magic);                                   // expect: async-blocking-call
  std::string version;
  in >> version;                                                  // expect: async-blocking-call
  co_return std::string(magic, 8) + version;
}

asyncrt::task<void> cleanup(std::string dir) {
  for (const auto &entry : std::filesystem::directory_iterator(dir)) // expect: async-blocking-call
    if (entry.path().extension() == ".tmp")
      std::filesystem::remove(entry.path());                      // expect: async-blocking-call
  co_return;
}

asyncrt::task<void> compress(std::string path) {
  std::string cmd = "gzip -9 " + path;
  std::system(cmd.c_str());                                       // expect: async-blocking-call
  co_return;
}

asyncrt::task<double> convert(double amount, std::string currency, std::string region) {
  auto rate = co_await exchange_rate(currency);
  auto tax = co_await tax_rate(region);                            // expect: async-sequential-await
  co_return amount * rate * (1 + tax);
}

asyncrt::task<double> convert_chain(double amount, std::string currency) {
  auto rate = co_await exchange_rate(currency);
  auto tax = co_await tax_rate(rate > 1 ? "eu" : "us");
  co_return amount * rate * (1 + tax);
}

class ExportQueue {
public:
  asyncrt::task<bool> try_take(std::future<std::string> &job, std::string &out) {
    if (job.wait_for(0s) != std::future_status::ready)
      co_return false;
    out = job.get();
    co_return true;
  }

  asyncrt::task<bool> expired(std::future<std::string> &job) {
    co_return job.wait_until(std::chrono::steady_clock::now()) == std::future_status::timeout;
  }

  asyncrt::task<std::string> take_blocking(std::future<std::string> &job) {
    job.wait();                                                   // expect: async-blocking-call
    co_return job.get();                                          // expect: async-blocking-call
  }

  asyncrt::task<void> wait_for_worker() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [this] { return done_; });                  // expect: async-blocking-call
    co_return;
  }

  asyncrt::task<bool> wait_briefly() {
    std::unique_lock<std::mutex> lock(mutex_);
    bool ok = ready_.wait_for(lock, 200ms, [this] { return done_; }); // expect: async-blocking-call
    co_return ok;
  }

private:
  std::mutex mutex_;
  std::condition_variable ready_;
  bool done_ = false;
};

asyncrt::task<void> export_all() {
  auto paths = co_await pending_exports();
  std::vector<asyncrt::task<double>> jobs;
  for (const auto &p : paths)                                     // expect: async-unbounded-fanout
    jobs.push_back(export_one_offloaded(p));
  auto totals = co_await asyncrt::when_all(std::move(jobs));
  (void)totals;
}

asyncrt::task<void> export_quarters() {
  std::vector<asyncrt::task<double>> jobs;
  for (int quarter = 1; quarter <= 4; ++quarter)
    jobs.push_back(export_one_offloaded("q" + std::to_string(quarter) + ".csv"));
  auto totals = co_await asyncrt::when_all(std::move(jobs));
  (void)totals;
}

} // namespace reports

int main() {
  asyncrt::run(reports::export_all());
  std::this_thread::sleep_for(1s);
}
