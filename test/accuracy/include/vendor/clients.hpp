// Declarations (only) of the synchronous client libraries the corpus's
// services use, with their real names and signatures: cpp-httplib, cpr,
// libpqxx, hiredis, sqlite3, gRPC. The real headers are not Debian-packaged
// in the build image; the corpus is only parsed, never linked.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace httplib {
struct Response {
  int status = -1;
  std::string body;
};
class Result {
public:
  explicit operator bool() const { return res_ != nullptr; }
  const Response &value() const { return *res_; }
  const Response *operator->() const { return res_.get(); }

private:
  std::unique_ptr<Response> res_;
};
class Client {
public:
  explicit Client(const std::string &scheme_host_port);
  Client(Client &&) = default;
  Result Get(const std::string &path);
  Result Post(const std::string &path, const std::string &body, const std::string &content_type);
  void set_connection_timeout(std::chrono::seconds s);
};
} // namespace httplib

namespace cpr {
struct Url {
  std::string url;
};
struct Body {
  std::string body;
};
class Response {
public:
  long status_code{};
  std::string text;
};
template <typename... Ts> Response Get(Ts &&...ts);
template <typename... Ts> Response Post(Ts &&...ts);
class Session {
public:
  Session();
  void SetUrl(const Url &url);
  void SetBody(const Body &body);
  Response Get();
  Response Post();
};
} // namespace cpr

namespace pqxx {
class row {
public:
  template <class T> T get(int) const;
};
class result {
public:
  std::size_t size() const;
  row operator[](std::size_t) const;
};
class connection {
public:
  explicit connection(const std::string &options);
  ~connection();
};
class transaction_base {
public:
  result exec(const std::string &query);
  template <class... Args> result exec_params(const std::string &query, Args &&...args);
  void commit();
};
// As in libpqxx 7: work and read_transaction are specialisations of the
// transaction template; nontransaction sends nothing until exec.
enum class isolation_level { read_committed, repeatable_read, serializable };
enum class write_policy { read_only, read_write };
class dbtransaction : public transaction_base {
protected:
  explicit dbtransaction(connection &c);
};
template <isolation_level ISOLATION = isolation_level::read_committed,
          write_policy READWRITE = write_policy::read_write>
class transaction : public dbtransaction {
public:
  explicit transaction(connection &c);
  transaction(connection &c, const std::string &name);
};
using work = transaction<>;
using read_transaction = transaction<isolation_level::read_committed, write_policy::read_only>;
class nontransaction : public transaction_base {
public:
  explicit nontransaction(connection &c);
};
} // namespace pqxx

extern "C" {
typedef struct redisContext {
  int err;
} redisContext;
redisContext *redisConnect(const char *ip, int port);
void *redisCommand(redisContext *c, const char *format, ...);
void redisFree(redisContext *c);
void freeReplyObject(void *reply);

typedef struct sqlite3 sqlite3;
int sqlite3_open(const char *filename, sqlite3 **ppDb);
int sqlite3_exec(sqlite3 *, const char *sql, int (*callback)(void *, int, char **, char **),
                 void *, char **errmsg);
int sqlite3_close(sqlite3 *);
}

namespace grpc {
class ChannelCredentials {};
std::shared_ptr<ChannelCredentials> InsecureChannelCredentials();
class Channel {};
std::shared_ptr<Channel> CreateChannel(const std::string &target,
                                       const std::shared_ptr<ChannelCredentials> &creds);
class ClientContext {};
class Status {
public:
  bool ok() const;
};
} // namespace grpc

namespace inventory {
struct StockRequest {
  std::string sku;
};
struct StockReply {
  int available = 0;
};
class Inventory {
public:
  class Stub {
  public:
    grpc::Status GetStock(grpc::ClientContext *ctx, const StockRequest &req, StockReply *reply);
  };
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> channel);
};
} // namespace inventory
