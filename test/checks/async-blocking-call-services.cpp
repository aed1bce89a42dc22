// RUN: %check_corotidy %s async-blocking-call %t

#include <asyncrt/task.hpp>
#include "service-clients.hpp"
// CHECK-FIXES: {{^}}#include <asyncrt/offload.hpp>{{$}}

// Synchronous service clients in coroutines: gRPC stubs (recognised by
// signature: generated names are the user's), Beast file bodies, Redis,
// MongoDB, MySQL, PostgreSQL.

asyncrt::task<std::string> greet(helloworld::Greeter::Stub &stub, std::string name) {
  grpc::ClientContext ctx;
  helloworld::HelloRequest req{name};
  helloworld::HelloReply reply;
  grpc::Status status = stub.SayHello(&ctx, req, &reply);
  // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: 'helloworld::Greeter::Stub::SayHello' blocks the thread (a synchronous RPC) inside coroutine 'greet'; every task on this executor thread stalls until it returns [async-blocking-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:25: note: alternative: the async stub (stub->async()->Method(ctx, &req, &resp, callback)) or a completion queue, or co_await asyncrt::to_thread(...)
  // CHECK-FIXES: {{^}}  grpc::Status status = co_await asyncrt::to_thread([&] { return stub.SayHello(&ctx, req, &reply); });{{$}}
  auto stream = stub.ListGreetings(&ctx, req); // starts the call: returns at once
  helloworld::HelloReply next;
  while (stream->Read(&next))
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'grpc::ClientReader::Read' blocks the thread (a synchronous RPC) {{.*}}
    reply.message += next.message;
  co_return status.ok() ? reply.message : "";
}

// grpc::CreateChannel connects lazily and the async stub returns at once.
asyncrt::task<void> lazy_channel(grpc::CompletionQueue &cq) {
  auto channel = grpc::CreateChannel("localhost:50051", grpc::InsecureChannelCredentials());
  auto stub = helloworld::Greeter::NewStub(channel);
  grpc::ClientContext ctx;
  auto pending = stub->AsyncSayHello(&ctx, helloworld::HelloRequest{"x"}, &cq);
  co_return;
}

asyncrt::task<bool> serve_file(const char *path) {
  boost::beast::http::file_body::value_type body;
  int ec = 0;
  body.open(path, boost::beast::file_mode::scan, ec);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'boost::beast::http::basic_file_body::value_type::open' blocks the thread (file I/O) inside coroutine 'serve_file'; {{.*}}
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: alternative: open the file on a worker (asio::post to a thread_pool, or co_await asyncrt::to_thread(...)) before building the response
  // CHECK-FIXES: {{^}}  co_await asyncrt::to_thread([&] { return body.open(path, boost::beast::file_mode::scan, ec); });{{$}}
  co_return body.is_open();
}

asyncrt::task<std::string> redis(sw::redis::Redis &shared) {
  redisContext *c = redisConnect("127.0.0.1", 6379);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: '::redisConnect' blocks the thread (a synchronous database call) inside coroutine 'redis'; {{.*}}
  // CHECK-MESSAGES: :[[@LINE-2]]:21: note: alternative: redisAsyncConnect with an event-loop adapter, or a connection made once at start-up
  // CHECK-FIXES: {{^}}  redisContext *c = co_await asyncrt::to_thread([&] { return redisConnect("127.0.0.1", 6379); });{{$}}
  redisFree(c);
  auto v = shared.get("k");
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'sw::redis::Redis::get' blocks the thread (a synchronous database call) {{.*}}
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: alternative: sw::redis::AsyncRedis::get
  // CHECK-FIXES: {{^}}  auto v = co_await asyncrt::to_thread([&] { return shared.get("k"); });{{$}}
  co_return v.value_or("");
}

asyncrt::task<void> mongo_mysql_pg(mongocxx::collection &orders, sql::Driver &driver) {
  mongocxx::client client{mongocxx::uri{"mongodb://db"}};
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: the constructor of 'mongocxx::client' blocks the thread (a synchronous database call) {{.*}}
  auto first = orders.find_one("{}");
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'mongocxx::collection::find_one' blocks the thread (a synchronous database call) {{.*}}
  // CHECK-FIXES: {{^}}  auto first = co_await asyncrt::to_thread([&] { return orders.find_one("{}"); });{{$}}
  sql::Connection *conn = driver.connect("tcp://db", "app", "secret");
  // CHECK-MESSAGES: :[[@LINE-1]]:27: warning: 'sql::Driver::connect' blocks the thread (a synchronous database call) {{.*}}
  // CHECK-FIXES: {{^}}  sql::Connection *conn = co_await asyncrt::to_thread([&] { return driver.connect("tcp://db", "app", "secret"); });{{$}}
  sql::Statement *stmt = conn->createStatement();
  stmt->executeQuery("SELECT 1");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'sql::Statement::executeQuery' blocks the thread (a synchronous database call) {{.*}}
  // CHECK-FIXES: {{^}}  co_await asyncrt::to_thread([&] { return stmt->executeQuery("SELECT 1"); });{{$}}
  pqxx::connection pg("dbname=app");
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: the constructor of 'pqxx::connection' blocks the thread (a synchronous database call) {{.*}}
  pqxx::work tx(pg);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: the constructor of 'pqxx::work' (a 'pqxx::transaction') blocks the thread (a synchronous database call) {{.*}}
  pqxx::read_transaction ro(pg);
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: the constructor of 'pqxx::read_transaction' (a 'pqxx::transaction') blocks the thread {{.*}}
  pqxx::transaction<pqxx::isolation_level::serializable> strict(pg, "transfer");
  // CHECK-MESSAGES: :[[@LINE-1]]:58: warning: the constructor of 'pqxx::transaction' blocks the thread {{.*}}
  // nontransaction sends nothing until exec: not a finding.
  pqxx::nontransaction plain(pg);
  tx.exec("SELECT 1");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'pqxx::transaction_base::exec' blocks the thread (a synchronous database call) {{.*}}
  // CHECK-FIXES: {{^}}  co_await asyncrt::to_thread([&] { return tx.exec("SELECT 1"); });{{$}}
  (void)first;
  co_return;
}
