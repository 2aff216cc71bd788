#pragma once
// One caller at a time does the work for a key while the others wait for it: the caching CMM
// uses it so that when a cached data key runs out (or is first needed), N threads that all miss
// make one call to the KMS rather than N, which is what keeps a busy process under the KMS
// request quota. Thread-safe.
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

namespace envelope {

class SingleFlight {
 public:
  // Held by the caller doing the work for a key; the others are released when it is destroyed.
  class Lead {
   public:
    Lead(SingleFlight* owner, std::string key) : owner_(owner), key_(std::move(key)) {}
    Lead(Lead&& other) noexcept : owner_(other.owner_), key_(std::move(other.key_)) {
      other.owner_ = nullptr;
    }
    Lead(const Lead&) = delete;
    Lead& operator=(const Lead&) = delete;
    Lead& operator=(Lead&&) = delete;
    ~Lead() {
      if (owner_ != nullptr) owner_->Land(key_);
    }

   private:
    SingleFlight* owner_;
    std::string key_;
  };

  // Calls `look` (which returns an optional) until it finds something or the caller leads the
  // work for `key`. Returns what was found, and the Lead when the caller must do the work. The
  // leader looks once more after taking the lead: what it needs may have arrived between its
  // miss and its lead.
  template <class Look>
  auto LookOrLead(const std::string& key, Look look) {
    using Found = decltype(look());
    for (;;) {
      Found found = look();
      if (found) return std::pair<Found, std::optional<Lead>>(std::move(found), std::nullopt);
      if (std::optional<Lead> lead = LeadOrWait(key)) {
        return std::pair<Found, std::optional<Lead>>(look(), std::move(lead));
      }
    }
  }

  // Returns a Lead when nobody is working on `key`; otherwise waits until whoever is has
  // finished and returns nullopt.
  std::optional<Lead> LeadOrWait(const std::string& key) {
    std::unique_lock lock(mu_);
    if (flying_.insert(key).second) return std::optional<Lead>(std::in_place, this, key);
    landed_.wait(lock, [&] { return flying_.count(key) == 0; });
    return std::nullopt;
  }

 private:
  void Land(const std::string& key) {
    {
      std::lock_guard lock(mu_);
      flying_.erase(key);
    }
    landed_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable landed_;
  std::unordered_set<std::string> flying_;  // guarded by mu_
};

}  // namespace envelope
