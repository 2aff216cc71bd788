#pragma once
// Test-only: the usage error a command line gets from ParseArgs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/exit_codes.h"

namespace envelope::cli::testing {

// Runs ParseArgs and returns the CliError it throws (fails the test when none is thrown).
inline CliError ParseError(const std::vector<std::string>& args) {
  try {
    ParseArgs(args);
  } catch (const CliError& e) {
    return e;
  }
  ADD_FAILURE() << "no CliError";
  return CliError(0, "");
}

}  // namespace envelope::cli::testing
