// Simulated services for async-sequential-await's tests: the guides'
// dashboard, user-report and profile/orders/preferences examples.
#pragma once

#include <asyncrt/task.hpp>

#include <memory>
#include <string>
#include <vector>

struct User { int id = 0; std::string name; };
struct Weather { double celsius = 0; };
struct Page { std::vector<int> items; std::string next; bool last = false; };
struct Config { int retries = 0; };

asyncrt::task<User> fetch_user(int id);
asyncrt::task<std::vector<std::string>> fetch_notifications(int id);
asyncrt::task<Weather> fetch_weather(std::string city);
asyncrt::task<std::string> get_profile(int id);
asyncrt::task<std::vector<int>> get_orders(int id);
asyncrt::task<std::string> get_preferences(int id);
asyncrt::task<int> fetch(int id);
asyncrt::task<int> fetch_ref(const int &id);
asyncrt::task<int> score(const User &u);
asyncrt::task<int> with_config(const Config &c);
asyncrt::task<int> fill(std::vector<int> &out);
asyncrt::task<int> fill_ptr(std::vector<int> *out);
asyncrt::task<Page> fetch_page(std::string token);
asyncrt::task<void> notify(int id);
asyncrt::task<int &> cached(int id);
asyncrt::task<std::unique_ptr<int>> make_box(int v);
asyncrt::task<int> consume(std::unique_ptr<int> p);
int log_line(const std::string &s);

struct Db {
  asyncrt::task<int> query(int id);
  asyncrt::task<int> count() const;
};
struct Pool { // safe to share between concurrent calls (see the config tests)
  asyncrt::task<int> query(int id);
};
