#pragma once
// Result<T>: a value or a non-OK Status, shaped like absl::StatusOr. Converts implicitly from T
// and from a non-OK Status, so functions write `return value;` or `return Corrupt("...");`.
#include <cstdlib>
#include <optional>
#include <utility>

#include "envelope/status.h"

namespace envelope {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) status_ = Status(Code::kInternal, "Result constructed from OK status");
  }
  template <typename U>
    requires std::is_constructible_v<T, U&&> && (!std::is_same_v<std::decay_t<U>, T>) &&
             (!std::is_same_v<std::decay_t<U>, Status>)
  Result(U&& value) : value_(std::forward<U>(value)) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // Precondition: ok(). Checked: a violation aborts rather than reading garbage.
  T& value() & { Check(); return *value_; }
  const T& value() const& { Check(); return *value_; }
  T&& value() && { Check(); return std::move(*value_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  void Check() const {
    if (!value_.has_value()) std::abort();
  }
  std::optional<T> value_;
  Status status_;
};

}  // namespace envelope

#define ENVELOPE_CONCAT_INNER_(a, b) a##b
#define ENVELOPE_CONCAT_(a, b) ENVELOPE_CONCAT_INNER_(a, b)

// ENVELOPE_ASSIGN_OR_RETURN(auto x, Foo()); declares x from Foo()'s value or returns its Status.
#define ENVELOPE_ASSIGN_OR_RETURN(lhs, expr) \
  ENVELOPE_ASSIGN_OR_RETURN_IMPL_(ENVELOPE_CONCAT_(envelope_result_, __LINE__), lhs, expr)
#define ENVELOPE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return tmp.status();                   \
  lhs = std::move(tmp).value()
