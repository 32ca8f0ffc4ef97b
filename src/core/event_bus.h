// Publish/subscribe of state changes (registrations, calls, presence) between services
// that must not know each other: the registrar publishes, the web UI and XMPP listen.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace starling::core {

// Handlers run on the publisher's thread, in subscription order. A handler that needs its
// own thread posts the event there; it must not block.
class EventBus {
public:
  // Unsubscribes when destroyed, so a service's handlers never outlive it.
  class Subscription {
  public:
    Subscription() = default;
    Subscription(EventBus* bus, std::type_index type, std::size_t id)
        : bus_(bus), type_(type), id_(id) {}
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;
    Subscription(Subscription&& other) noexcept { *this = std::move(other); }
    Subscription& operator=(Subscription&& other) noexcept {
      reset();
      bus_ = std::exchange(other.bus_, nullptr);
      type_ = other.type_;
      id_ = other.id_;
      return *this;
    }
    ~Subscription() { reset(); }

    void reset() {
      if (bus_ != nullptr) {
        std::exchange(bus_, nullptr)->unsubscribe(type_, id_);
      }
    }

  private:
    EventBus* bus_ = nullptr;
    std::type_index type_ = typeid(void);
    std::size_t id_ = 0;
  };

  template <typename Event>
  [[nodiscard]] Subscription subscribe(std::function<void(const Event&)> handler) {
    const std::scoped_lock lock(mutex_);
    const std::size_t id = ++last_id_;
    auto erased = std::make_shared<const std::function<void(const void*)>>(
        [handler = std::move(handler)](const void* event) {
          handler(*static_cast<const Event*>(event));
        });
    handlers_[typeid(Event)].push_back({id, std::move(erased)});
    return {this, typeid(Event), id};
  }

  template <typename Event> void publish(const Event& event) const {
    // Copy the list so a handler may subscribe or unsubscribe without deadlocking.
    std::vector<std::shared_ptr<const std::function<void(const void*)>>> targets;
    {
      const std::scoped_lock lock(mutex_);
      const auto found = handlers_.find(typeid(Event));
      if (found == handlers_.end()) {
        return;
      }
      for (const auto& entry : found->second) {
        targets.push_back(entry.handler);
      }
    }
    for (const auto& target : targets) {
      (*target)(&event);
    }
  }

private:
  struct Entry {
    std::size_t id;
    std::shared_ptr<const std::function<void(const void*)>> handler;
  };

  void unsubscribe(std::type_index type, std::size_t id) {
    const std::scoped_lock lock(mutex_);
    std::erase_if(handlers_[type], [id](const Entry& entry) { return entry.id == id; });
  }

  mutable std::mutex mutex_;
  std::size_t last_id_ = 0;
  std::unordered_map<std::type_index, std::vector<Entry>> handlers_;
};

} // namespace starling::core
