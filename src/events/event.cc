#include "events/event.h"

namespace sshlogwhy {

void EventFields::add(std::string_view name, std::string_view value) {
  Ref r;
  r.name_offset = static_cast<uint32_t>(data_.size());
  r.name_size = static_cast<uint32_t>(name.size());
  data_.append(name);
  r.value_offset = static_cast<uint32_t>(data_.size());
  r.value_size = static_cast<uint32_t>(value.size());
  data_.append(value);
  if (count_ < kInline) inline_[count_] = r;
  else overflow_.push_back(r);
  ++count_;
}

std::string_view EventFields::get(std::string_view name) const {
  for (size_t i = 0; i < count_; ++i) {
    const Ref& r = ref(i);
    if (r.name_size == name.size() && view(r.name_offset, r.name_size) == name) return view(r.value_offset, r.value_size);
  }
  return {};
}

void EventFields::clear() {
  data_.clear();
  overflow_.clear();
  count_ = 0;
}

}  // namespace sshlogwhy
