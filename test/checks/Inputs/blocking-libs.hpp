// Declarations (only) of the synchronous client libraries async-blocking-call
// knows, with their real signatures: sqlite3, libpq, libcurl, cpr, cpp-httplib.
#pragma once

#include <map>
#include <memory>
#include <string>

extern "C" {
typedef struct sqlite3 sqlite3;
int sqlite3_open(const char *filename, sqlite3 **ppDb);
int sqlite3_exec(sqlite3 *, const char *sql, int (*callback)(void *, int, char **, char **),
                 void *, char **errmsg);
int sqlite3_close(sqlite3 *);

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;
PGconn *PQconnectdb(const char *conninfo);
PGresult *PQexec(PGconn *conn, const char *query);
void PQclear(PGresult *res);

typedef void CURL;
typedef enum { CURLE_OK = 0, CURLE_FAILED_INIT = 2 } CURLcode;
CURL *curl_easy_init(void);
CURLcode curl_easy_perform(CURL *curl);
void curl_easy_cleanup(CURL *curl);
}

namespace cpr {
struct Url {
  std::string url;
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
  void SetUrl(const Url &url);
  Response Get();
};
} // namespace cpr

namespace httplib {
struct Response {
  int status = -1;
  std::string body;
};
enum class Error { Success = 0, Unknown };
class Result {
public:
  Result() = default;
  Result(std::unique_ptr<Response> &&res, Error err) : res_(std::move(res)), err_(err) {}
  explicit operator bool() const { return res_ != nullptr; }
  const Response &value() const { return *res_; }
  Error error() const { return err_; }

private:
  std::unique_ptr<Response> res_;
  Error err_ = Error::Unknown;
};
class Client {
public:
  explicit Client(const std::string &scheme_host_port);
  Result Get(const std::string &path);
  Result Post(const std::string &path, const std::string &body, const std::string &content_type);
};
} // namespace httplib
