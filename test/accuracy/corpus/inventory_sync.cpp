// An inventory synchroniser on asyncrt: mirrors stock levels from a gRPC
// inventory service, a partner REST API and a local SQLite cache.
#include <asyncrt/asyncrt.hpp>

#include "vendor/clients.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace inventory_sync {

struct Stock {
  std::string sku;
  int available = 0;
};

asyncrt::task<Stock> partner_stock(std::string sku);
asyncrt::task<Stock> warehouse_stock(std::string sku);
asyncrt::task<void> publish(Stock s);
asyncrt::task<std::vector<std::string>> changed_skus();

// Shared clients, built once.
class Mirror {
public:
  Mirror()
      : channel_(grpc::CreateChannel("inventory:50051", grpc::InsecureChannelCredentials())),
        stub_(inventory::Inventory::NewStub(channel_)), partner_("https://partner.example") {}

  asyncrt::task<int> grpc_stock(std::string sku) {
    auto available = co_await asyncrt::to_thread([&] {
      grpc::ClientContext ctx;
      inventory::StockReply reply;
      stub_->GetStock(&ctx, {sku}, &reply);
      return reply.available;
    });
    co_return available;
  }

  asyncrt::task<int> grpc_stock_fresh_channel(std::string sku) {
    // Opens a channel for every lookup.
    auto channel = grpc::CreateChannel("inventory:50051", grpc::InsecureChannelCredentials()); // expect: async-per-call-connection
    auto stub = inventory::Inventory::NewStub(channel);
    grpc::ClientContext ctx;
    inventory::StockReply reply;
    co_await asyncrt::to_thread([&] { return stub->GetStock(&ctx, {sku}, &reply); });
    co_return reply.available;
  }

  asyncrt::task<std::string> partner_page(std::string path) {
    auto res = co_await asyncrt::to_thread([&] { return partner_.Get(path); });
    co_return res ? res.value().body : "";
  }

  asyncrt::task<std::string> partner_page_new_client(std::string path) {
    httplib::Client cli("https://partner.example");             // expect: async-per-call-connection
    auto res = cli.Get(path);                                     // expect: async-blocking-call
    co_return res ? res.value().body : "";
  }

private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<inventory::Inventory::Stub> stub_;
  httplib::Client partner_;
};

asyncrt::task<void> sync_one(std::string sku) {
  auto partner = co_await partner_stock(sku);
  auto warehouse = co_await warehouse_stock(sku);                  // expect: async-sequential-await
  co_await publish({sku, std::min(partner.available, warehouse.available)});
}

asyncrt::task<void> sync_changed() {
  auto skus = co_await changed_skus();
  std::vector<asyncrt::task<void>> jobs;
  for (const auto &sku : skus)                                    // expect: async-unbounded-fanout
    jobs.push_back(sync_one(sku));
  co_await asyncrt::when_all(std::move(jobs));
}

asyncrt::task<void> sync_changed_limited() {
  auto skus = co_await changed_skus();
  asyncrt::semaphore limit{10};
  asyncrt::task_group group;
  for (const auto &sku : skus)
    group.spawn([&limit](std::string s) -> asyncrt::task<void> {
      auto permit = co_await limit.acquire();
      co_await sync_one(s);
    }(sku));
  co_await group.join();
}

asyncrt::task<int> cached_stock(std::string sku) {
  sqlite3 *db = nullptr;
  sqlite3_open("/var/cache/inventory.db", &db);                 // expect: async-per-call-connection, async-blocking-call
  int available = 0;
  std::string sql = "select available from stock where sku = '" + sku + "'";
  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);      // expect: async-blocking-call
  sqlite3_close(db);                                              // expect: async-blocking-call
  co_return available;
}

asyncrt::task<void> sync_partners(std::vector<std::string> partners) {
  for (const auto &host : partners) {
    // A client per partner, inside the loop: built and dropped each time.
    httplib::Client cli(host);                                    // expect: async-per-call-connection
    auto res = co_await asyncrt::to_thread([&] { return cli.Get("/stock"); }); // expect: async-sequential-await
    (void)res;
  }
}

asyncrt::task<void> publish_all(std::vector<Stock> stocks) {
  for (auto &s : stocks)
    publish(s);                                                   // expect: async-unawaited-task
  co_return;
}

asyncrt::task<void> startup() {
  static httplib::Client health("https://partner.example");
  auto res = co_await asyncrt::to_thread([&] { return health.Get("/health"); });
  (void)res;
}

} // namespace inventory_sync

int main() {
  inventory_sync::Mirror mirror;
  return asyncrt::run(mirror.grpc_stock("sku-1")) > 0 ? 0 : 1;
}
