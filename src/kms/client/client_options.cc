#include "kms/client/client_options.h"

#include <string>

namespace envelope::kms {

Result<RetryMode> ParseRetryMode(std::string_view text) {
  if (text == "legacy") {
    return RetryMode::kLegacy;
  }
  if (text == "standard") {
    return RetryMode::kStandard;
  }
  if (text == "adaptive") {
    return RetryMode::kAdaptive;
  }
  return InvalidArgument("invalid retry mode '" + std::string(text) +
                         "': expected legacy, standard or adaptive");
}

std::string_view RetryModeName(RetryMode mode) {
  switch (mode) {
    case RetryMode::kLegacy:
      return "legacy";
    case RetryMode::kStandard:
      return "standard";
    case RetryMode::kAdaptive:
      return "adaptive";
  }
  return "unknown";
}

}  // namespace envelope::kms
