#include "events/event_kind.h"

#include <array>

namespace sshlogwhy {
namespace {

struct KindInfo {
  std::string_view name;
  std::string_view fields;
};

constexpr std::array<KindInfo, static_cast<size_t>(EventKind::kCount)> kKinds = {{
#define SSHLOGWHY_EVENT_INFO(name, fields) {#name, fields},
    SSHLOGWHY_EVENT_KINDS(SSHLOGWHY_EVENT_INFO)
#undef SSHLOGWHY_EVENT_INFO
}};

}  // namespace

std::string_view event_kind_name(EventKind kind) {
  size_t i = static_cast<size_t>(kind);
  return i < kKinds.size() ? kKinds[i].name : std::string_view("unknown");
}

std::string_view event_kind_fields(EventKind kind) {
  size_t i = static_cast<size_t>(kind);
  return i < kKinds.size() ? kKinds[i].fields : std::string_view();
}

std::optional<EventKind> event_kind_from_name(std::string_view name) {
  for (size_t i = 0; i < kKinds.size(); ++i) {
    if (kKinds[i].name == name) return static_cast<EventKind>(i);
  }
  return std::nullopt;
}

}  // namespace sshlogwhy
