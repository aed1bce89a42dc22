// A web crawler on asyncrt: reads seed URLs, fetches pages concurrently,
// extracts links, and stores results.
#include <asyncrt/asyncrt.hpp>

#include <cstdio>
#include <fstream>
#include <future>
#include <set>
#include <string>
#include <vector>

namespace crawler {

struct Page {
  std::string url;
  std::string body;
  int status = 0;
};

asyncrt::task<Page> fetch(std::string url);
asyncrt::task<void> store(Page page);
asyncrt::task<std::vector<std::string>> extract_links(const Page &page);
asyncrt::task<bool> allowed_by_robots(std::string host);
asyncrt::task<void> fetch_and_store(std::string url);
std::string host_of(const std::string &url);
int checksum(const std::string &body);

std::vector<std::string> read_seeds(const std::string &path) {
  std::vector<std::string> seeds;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty())
      seeds.push_back(line);
  return seeds;
}

asyncrt::task<void> crawl_all(std::vector<std::string> urls) {
  std::vector<asyncrt::task<Page>> fetches;
  for (const auto &url : urls)                                    // expect: async-unbounded-fanout
    fetches.push_back(fetch(url));
  auto pages = co_await asyncrt::when_all(std::move(fetches));
  for (auto &page : pages)
    co_await store(std::move(page));
}

asyncrt::task<void> crawl_politely(std::vector<std::string> urls) {
  asyncrt::semaphore per_host{8};
  asyncrt::task_group group;
  for (const auto &url : urls) {
    auto permit = co_await per_host.acquire();
    group.spawn(fetch_and_store(url));
  }
  co_await group.join();
}

asyncrt::task<void> crawl_in_batches(std::vector<std::string> urls) {
  for (std::size_t i = 0; i < urls.size(); i += 32) {
    std::vector<asyncrt::task<Page>> batch;
    for (std::size_t j = i; j < urls.size() && j < i + 32; ++j)
      batch.push_back(fetch(urls[j]));
    auto pages = co_await asyncrt::when_all(std::move(batch));
    (void)pages;
  }
}

asyncrt::task<void> fetch_and_store(std::string url) {
  auto page = co_await fetch(url);
  co_await store(page);
}

asyncrt::task<void> crawl_from_file(std::string seeds_path) {
  auto seeds = read_seeds(seeds_path);                            // expect: async-blocking-call
  asyncrt::task_group group;
  for (const auto &url : seeds)                                   // expect: async-unbounded-fanout
    group.spawn(fetch_and_store(url));
  co_await group.join();
}

asyncrt::task<void> crawl_seeds_offloaded(std::string seeds_path) {
  auto seeds = co_await asyncrt::to_thread([&] { return read_seeds(seeds_path); });
  co_await asyncrt::when_all_bounded([&] {
    std::vector<asyncrt::task<void>> jobs;
    for (const auto &url : seeds)
      jobs.push_back(fetch_and_store(url));
    return jobs;
  }(), 16);
}

asyncrt::task<int> follow_links(std::string start) {
  auto page = co_await fetch(start);
  auto links = co_await extract_links(page);
  int followed = 0;
  for (const auto &link : links) {                                // expect: async-unbounded-fanout
    if (!co_await allowed_by_robots(host_of(link)))
      continue;
    asyncrt::spawn(fetch_and_store(link));                        // expect: async-dropped-exception
    ++followed;
  }
  co_return followed;
}

asyncrt::task<void> checksum_pages(std::vector<Page> pages) {
  std::vector<std::future<int>> sums;
  for (const auto &p : pages)                                     // expect: async-unbounded-fanout
    sums.push_back(std::async(std::launch::async, checksum, p.body));
  int total = 0;
  for (auto &s : sums)
    total += s.get();                                             // expect: async-blocking-call
  std::async(std::launch::async, checksum, std::string("done"));  // expect: async-dropped-exception
  co_return;
}

asyncrt::task<void> log_progress(int done, int total) {
  std::FILE *f = std::fopen("/var/log/crawler.log", "a");        // expect: async-blocking-call
  std::fprintf(f, "%d/%d\n", done, total);                        // expect: async-blocking-call
  std::fclose(f);                                                 // expect: async-blocking-call
  co_return;
}

asyncrt::task<void> refetch(std::string url) {
  fetch(url);                                                     // expect: async-unawaited-task
  auto again = fetch(url);
  co_await store(co_await std::move(again));
}

asyncrt::task<void> seed_fixed_hosts() {
  static constexpr const char *mirrors[] = {"https://a.example", "https://b.example",
                                            "https://c.example"};
  std::vector<asyncrt::task<Page>> fetches;
  for (const char *m : mirrors)
    fetches.push_back(fetch(m));
  auto pages = co_await asyncrt::when_all(std::move(fetches));
  (void)pages;
}

} // namespace crawler

int main(int argc, char **argv) {
  std::vector<std::string> seeds(argv + 1, argv + argc);
  asyncrt::run(crawler::crawl_all(seeds));
}
