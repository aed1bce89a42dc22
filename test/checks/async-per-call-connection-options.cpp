// RUN: %check_corotidy --config=%inputs/per-call-connection-options.yaml %s async-per-call-connection %t

#include <asyncrt/task.hpp>

#include <string>
#include <vector>

namespace acme {
// A connection the rules learn from the config (Rules: Connections).
class DbPool {
public:
  explicit DbPool(const std::string &dsn);
  int query(const std::string &sql);
};
} // namespace acme

struct Request {};
struct HandlerCtx {};

// RequestTypes: 'Ctx$': a HandlerCtx parameter marks a handler, Request no longer does.
asyncrt::task<int> handler(HandlerCtx &ctx) {
  acme::DbPool pool("dsn");
  // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'acme::DbPool' (a database pool) is created and dropped on every call of coroutine 'handler', which runs once per request; {{.*}}
  co_return pool.query("SELECT 1");
}

// AnyCoroutine: false: a coroutine neither a handler nor called in a loop is
// not per call.
asyncrt::task<int> not_a_handler(const Request &req) {
  acme::DbPool pool("dsn");
  co_return pool.query("SELECT 1");
}

// ReusedInNestedLoop: false: a reconnect loop around a session loop is flagged too.
asyncrt::task<void> reconnecting(std::vector<std::string> queries, bool &stop) {
  while (!stop) {
    acme::DbPool pool("dsn");
    // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'acme::DbPool' (a database pool) is created and dropped on every iteration of this loop in coroutine 'reconnecting'; {{.*}}
    for (const std::string &q : queries)
      pool.query(q);
  }
  co_return;
}
