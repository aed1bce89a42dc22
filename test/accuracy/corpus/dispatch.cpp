// Ride dispatch for a ride-hailing backend on asyncrt: matches riders to
// nearby drivers, sends offers, tracks trips and bills them.
#include <asyncrt/asyncrt.hpp>

#include <chrono>
#include <exception>
#include <future>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace dispatch {

struct Driver {
  std::string id;
  double distance_km = 0;
};
struct Trip {
  std::string id;
  std::string rider;
  std::optional<std::string> driver;
};

asyncrt::task<std::vector<Driver>> nearby_drivers(double lat, double lon);
asyncrt::task<bool> send_offer(Driver d, Trip t);
asyncrt::task<void> notify_rider(std::string rider, std::string text);
asyncrt::task<double> surge_multiplier(std::string zone);
asyncrt::task<double> base_fare(std::string zone);
asyncrt::task<void> charge(std::string rider, double amount);
asyncrt::task<void> log_event(std::string event);
asyncrt::task<Trip> load_trip(std::string id);
asyncrt::task<void> save_trip(Trip t);
asyncrt::task<void> refresh_zone(std::string zone);

void report(std::exception_ptr e) {
  try {
    if (e)
      std::rethrow_exception(e);
  } catch (const std::exception &ex) {
    std::cerr << "dispatch: " << ex.what() << '\n';
  }
}

asyncrt::task<void> offer_all(Trip trip, double lat, double lon) {
  auto drivers = co_await nearby_drivers(lat, lon);
  std::vector<asyncrt::task<bool>> offers;
  for (const auto &d : drivers)                                   // expect: async-unbounded-fanout
    offers.push_back(send_offer(d, trip));
  auto accepted = co_await asyncrt::when_all(std::move(offers));
  (void)accepted;
}

asyncrt::task<void> offer_closest(Trip trip, double lat, double lon) {
  auto drivers = co_await nearby_drivers(lat, lon);
  if (drivers.size() > 5)
    drivers.resize(5);
  std::vector<asyncrt::task<bool>> offers;
  for (const auto &d : drivers)
    offers.push_back(send_offer(d, trip));
  auto accepted = co_await asyncrt::when_all_bounded(std::move(offers), 5);
  (void)accepted;
}

asyncrt::task<double> quote(std::string zone) {
  auto surge = co_await surge_multiplier(zone);
  auto base = co_await base_fare(zone);                            // expect: async-sequential-await
  co_return surge * base;
}

asyncrt::task<double> quote_concurrently(std::string zone) {
  auto [surge, base] = co_await asyncrt::when_all(surge_multiplier(zone), base_fare(zone));
  co_return surge * base;
}

asyncrt::task<void> complete(std::string trip_id, std::string zone) {
  auto trip = co_await load_trip(trip_id);
  auto fare = co_await quote(zone);                               // expect: async-sequential-await
  co_await charge(trip.rider, fare);
  notify_rider(trip.rider, "Thanks for riding");                  // expect: async-unawaited-task
  asyncrt::spawn(log_event("trip completed"), report);
  asyncrt::spawn(save_trip(trip));                                // expect: async-dropped-exception
}

asyncrt::task<void> cancel(std::string trip_id) {
  auto trip = co_await load_trip(trip_id);
  trip.driver.reset();
  auto saving = save_trip(trip);
  co_await log_event("trip cancelled");
  co_await std::move(saving);
  asyncrt::task_group group;
  group.spawn(notify_rider(trip.rider, "Your trip was cancelled"));
  group.spawn(log_event("rider notified"));
  co_await group.join();
}

asyncrt::task<void> reassign(std::string trip_id) {
  auto trip = co_await load_trip(trip_id);
  save_trip(trip);                                                // expect: async-unawaited-task
  asyncrt::spawn(notify_rider(trip.rider, "Finding another driver"), [](std::exception_ptr) {}); // expect: async-dropped-exception
  co_return;
}

asyncrt::task<int> recompute_surge(std::vector<std::string> zones) {
  std::vector<std::future<double>> jobs;
  for (const auto &z : zones)                                     // expect: async-unbounded-fanout
    jobs.push_back(std::async(std::launch::async, [z] { return static_cast<double>(z.size()); }));
  int ready = 0;
  for (auto &j : jobs)
    ready += j.wait_for(0s) == std::future_status::ready;
  co_return ready;
}

asyncrt::task<void> heartbeat_loop() {
  for (;;) {
    co_await log_event("dispatch alive");
    co_await asyncrt::sleep_for(30s);
  }
}

asyncrt::task<void> start_background() {
  asyncrt::spawn(heartbeat_loop(), report);
  auto zones = std::vector<std::string>{"north", "south", "east", "west"};
  // Four fixed zones, spelled as a vector: a bounded fan-out.
  for (const auto &z : zones)
    asyncrt::spawn(refresh_zone(z), report);
  co_return;
}

} // namespace dispatch

int main() {
  asyncrt::run(dispatch::start_background());
}
