#pragma once
// A cheap look into a request body for the quota engine: one top-level string member of a JSON
// object, found by a linear scan that skips nested values, with no allocation unless the member
// is present. It lets the engine charge the right quota before (and without) the full parse; the
// dispatcher still parses and validates the body itself.
#include <optional>
#include <string>
#include <string_view>

namespace envelope::kms::server {

// The value of the top-level member `name` when it is a JSON string (unescaped). nullopt when the
// text is not an object, the member is absent or not a string, or the text is malformed before
// the member is reached. Member names are compared as written (names with escapes never match).
std::optional<std::string> TopLevelJsonString(std::string_view json, std::string_view name);

}  // namespace envelope::kms::server
