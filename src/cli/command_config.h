#pragma once
// `envelope config`: the resolved KMS client configuration, one setting per line with its source.
#include <string>

#ifdef ENVELOPE_HAVE_KMS_CLIENT
#include "kms/client/config/config_resolver.h"
#endif

namespace envelope::cli {

#ifdef ENVELOPE_HAVE_KMS_CLIENT
// "name = value  (source)" per setting ("<not set>" for an empty value), then a note when no
// credentials were found, then "warning: ..." lines.
std::string FormatConfigLines(const kms::config::ResolvedConfig& config);
#endif

}  // namespace envelope::cli
