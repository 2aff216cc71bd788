// The `envelope` command. The only try/catch in Envelope (style.md B3): commands throw CliError
// carrying the exit code and one line for stderr.
#include <cstdio>
#include <exception>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

int main(int argc, char** argv) {
  try {
    return envelope::cli::Run(envelope::cli::ParseArgs(argc, argv));
  } catch (const envelope::cli::CliError& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "%s\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "envelope: internal error: %s\n", e.what());
    return envelope::cli::kExitInternal;
  }
}
