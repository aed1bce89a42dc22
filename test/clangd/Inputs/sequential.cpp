// async-sequential-await's when_all rewrite brings its #include along.
#include <asyncrt/task.hpp>

asyncrt::task<int> fetch_a(int key) { co_return key + 1; }
asyncrt::task<int> fetch_b(int key) { co_return key * 2; }

asyncrt::task<int> sequential(int key) {
  auto a = co_await fetch_a(key);
  auto b = co_await fetch_b(key);
  co_return a + b;
}
