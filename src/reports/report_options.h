#pragma once

namespace sshlogwhy {

struct ReportOptions {
  bool color = false;    // ANSI colour (the CLI decides: TTY, --color)
  bool verbose = false;  // add the rebuilt conversation as a timeline
};

}  // namespace sshlogwhy
