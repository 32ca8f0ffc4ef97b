// RFC 2782 "Usage rules": the order in which a client tries the targets of SRV records.
#include "net/srv_order.h"

#include <algorithm>
#include <memory>
#include <random>
#include <utility>

namespace starling::net {
namespace {

bool is_root(const SrvRecord& record) {
  return record.target.empty() || record.target == ".";
}

// RFC 2782: within one priority, put the weight-0 records first, draw a number between 0 and
// the sum of the remaining weights, and take the first record whose running sum reaches it;
// repeat with the records left.
void order_one_priority(std::vector<SrvRecord>& group, const SrvRandom& random,
                        std::vector<SrvRecord>& out) {
  std::stable_partition(group.begin(), group.end(),
                        [](const SrvRecord& record) { return record.weight == 0; });
  while (!group.empty()) {
    std::uint32_t sum = 0;
    for (const auto& record : group) {
      sum += record.weight;
    }
    const std::uint32_t drawn = std::min(random(sum), sum);
    std::uint32_t running = 0;
    auto chosen = group.begin();
    for (auto it = group.begin(); it != group.end(); ++it) {
      running += it->weight;
      if (running >= drawn) {
        chosen = it;
        break;
      }
    }
    out.push_back(std::move(*chosen));
    group.erase(chosen);
  }
}

} // namespace

SrvRandom make_srv_random() {
  // Shared by the copies of the function object, so copies do not repeat one sequence.
  auto engine = std::make_shared<std::mt19937>(std::random_device{}());
  return [engine](std::uint32_t upper) {
    return std::uniform_int_distribution<std::uint32_t>(0, upper)(*engine);
  };
}

bool srv_service_unavailable(const std::vector<SrvRecord>& records) {
  return !records.empty() && std::all_of(records.begin(), records.end(), is_root);
}

std::vector<SrvRecord> order_srv_records(std::vector<SrvRecord> records, const SrvRandom& random) {
  std::erase_if(records, is_root);
  std::stable_sort(records.begin(), records.end(),
                   [](const SrvRecord& a, const SrvRecord& b) { return a.priority < b.priority; });
  std::vector<SrvRecord> ordered;
  ordered.reserve(records.size());
  auto begin = records.begin();
  while (begin != records.end()) {
    auto end = std::find_if(begin, records.end(), [&](const SrvRecord& record) {
      return record.priority != begin->priority;
    });
    std::vector<SrvRecord> group(std::make_move_iterator(begin), std::make_move_iterator(end));
    order_one_priority(group, random, ordered);
    begin = end;
  }
  return ordered;
}

} // namespace starling::net
