// Declarations (only) of the synchronous service clients the rules know, in
// their real shapes: gRPC stubs, Boost.Beast's file body, hiredis and
// redis-plus-plus, mongocxx, MySQL Connector/C++ and libpqxx.
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace grpc {
class Status {
public:
  bool ok() const;
};
class ClientContext {};
class ChannelCredentials {};
std::shared_ptr<ChannelCredentials> InsecureChannelCredentials();
class Channel {};
std::shared_ptr<Channel> CreateChannel(const std::string &target,
                                       const std::shared_ptr<ChannelCredentials> &creds);
template <typename R> class ClientReader {
public:
  bool Read(R *msg);
  Status Finish();
};
template <typename R> class ClientAsyncResponseReader {};
class CompletionQueue {};
} // namespace grpc

// What protoc generates for `service Greeter { rpc SayHello (...) }`.
namespace helloworld {
struct HelloRequest { std::string name; };
struct HelloReply { std::string message; };
class Greeter {
public:
  class Stub {
  public:
    explicit Stub(std::shared_ptr<grpc::Channel> channel);
    grpc::Status SayHello(grpc::ClientContext *context, const HelloRequest &request,
                          HelloReply *response);
    std::unique_ptr<grpc::ClientAsyncResponseReader<HelloReply>>
    AsyncSayHello(grpc::ClientContext *context, const HelloRequest &request,
                  grpc::CompletionQueue *cq);
    std::unique_ptr<grpc::ClientReader<HelloReply>>
    ListGreetings(grpc::ClientContext *context, const HelloRequest &request);
  };
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> channel);
};
} // namespace helloworld

namespace boost::beast {
enum class file_mode { read, scan, write };
namespace http {
template <typename File> struct basic_file_body {
  class value_type {
  public:
    template <typename ErrorCode> void open(const char *path, file_mode mode, ErrorCode &ec);
    bool is_open() const;
  };
};
struct file_posix {};
using file_body = basic_file_body<file_posix>;
} // namespace http
} // namespace boost::beast

extern "C" {
typedef struct redisContext redisContext;
typedef struct redisReply redisReply;
redisContext *redisConnect(const char *ip, int port);
void *redisCommand(redisContext *c, const char *format, ...);
void redisFree(redisContext *c);
}

namespace sw::redis {
class Redis {
public:
  explicit Redis(const std::string &uri);
  std::optional<std::string> get(const std::string &key);
  bool set(const std::string &key, const std::string &value);
};
} // namespace sw::redis

namespace mongocxx {
class cursor {};
class collection {
public:
  cursor find(const std::string &filter);
  std::optional<std::string> find_one(const std::string &filter);
};
class database {
public:
  collection operator[](const std::string &name);
};
class uri {
public:
  explicit uri(const std::string &s);
};
class client {
public:
  client();
  explicit client(const uri &u);
  database operator[](const std::string &name);
};
} // namespace mongocxx

namespace sql {
class ResultSet {};
class Statement {
public:
  virtual ~Statement() = default;
  virtual ResultSet *executeQuery(const std::string &sql);
};
class Connection {
public:
  virtual ~Connection() = default;
  virtual Statement *createStatement();
};
class Driver {
public:
  virtual ~Driver() = default;
  virtual Connection *connect(const std::string &host, const std::string &user,
                              const std::string &password);
};
Driver *get_driver_instance();
} // namespace sql

namespace pqxx {
class connection {
public:
  connection();
  explicit connection(const std::string &options);
};
class result {};
class transaction_base {
public:
  result exec(const std::string &query);
  template <typename... T> result query(const std::string &query);
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
