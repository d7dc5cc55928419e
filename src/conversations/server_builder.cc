#include "conversations/server_builder.h"

#include <algorithm>
#include <cstdlib>

#include "logs/vis_decode.h"

namespace sshlogwhy {
namespace {

using K = EventKind;

int64_t to_pid(std::string_view s) {
  if (s.empty() || s.size() > 18) return -1;
  int64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return -1;
    v = v * 10 + (ch - '0');
  }
  return v;
}

// Events that open a connection of their own, even for a pid that already
// has one (pid reuse) or in a pid-less log.
bool starts_connection(K kind) { return kind == K::sshd_connection_from; }

// Listener lines about a connection that was never handed to a child, or
// that describe one already gone: they make a connection of their own.
bool is_standalone(K kind) {
  return kind == K::sshd_drop_connection || kind == K::sshd_refused_connect;
}

// Lines that do not belong to any client connection.
bool is_daemon_line(K kind) { return kind == K::sshd_listening; }

bool closes(K kind) {
  switch (kind) {
    case K::sshd_connection_closed:
    case K::sshd_connection_reset:
    case K::sshd_disconnected:
    case K::sshd_disconnecting:
    case K::sshd_negotiation_failed:
    case K::sshd_timeout_preauth:
    case K::sshd_drop_connection:
    case K::sshd_refused_connect:
    case K::sshd_chroot_bad_modes:
    case K::sshd_pam_access_denied:
      return true;
    default:
      return false;
  }
}

size_t mix(size_t seed, size_t value) { return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)); }

}  // namespace

size_t ServerConnectionBuilder::KeyHash::operator()(const PidKey& k) const {
  size_t h = std::hash<std::string>()(std::get<1>(k));
  h = mix(h, std::get<0>(k));
  return mix(h, static_cast<size_t>(std::get<2>(k)));
}

size_t ServerConnectionBuilder::KeyHash::operator()(const AddrKey& k) const {
  size_t h = std::hash<std::string>()(std::get<2>(k));
  h = mix(h, std::hash<std::string>()(std::get<3>(k)));
  h = mix(h, std::hash<std::string>()(std::get<1>(k)));
  return mix(h, std::get<0>(k));
}

size_t ServerConnectionBuilder::KeyHash::operator()(const HostKey& k) const {
  return mix(std::hash<std::string>()(k.second), k.first);
}

ServerConnectionBuilder::ServerConnectionBuilder(Sink sink, ServerBuilderOptions options)
    : sink_(std::move(sink)), options_(options) {}

uint64_t ServerConnectionBuilder::open_connection(const ServerEvent& e) {
  auto c = std::make_unique<ServerConnection>();
  c->id = next_id_++;
  c->file_index = e.event.file_index;
  c->host = e.meta.host;
  c->program = e.meta.program;
  c->pid = e.meta.pid;
  uint64_t id = c->id;
  open_[id] = std::move(c);
  if (open_.size() > options_.max_open) emit(open_.begin()->first);
  return id;
}

void ServerConnectionBuilder::emit(uint64_t id) {
  auto it = open_.find(id);
  if (it == open_.end()) return;
  std::unique_ptr<ServerConnection> c = std::move(it->second);
  open_.erase(it);
  closed_at_.erase(id);
  last_time_.erase(id);
  // Drop the index entries that still point at this connection (a reused
  // pid or address may already point at a newer one).
  auto keys = keys_.find(id);
  if (keys != keys_.end()) {
    for (const PidKey& k : keys->second.pids) {
      auto it = by_pid_.find(k);
      if (it != by_pid_.end() && it->second == id) by_pid_.erase(it);
    }
    for (const AddrKey& k : keys->second.addrs) {
      auto it = by_addr_.find(k);
      if (it != by_addr_.end() && it->second == id) by_addr_.erase(it);
    }
    keys_.erase(keys);
  }
  auto host = last_on_host_.find({c->file_index, c->host});
  if (host != last_on_host_.end() && host->second == id) last_on_host_.erase(host);
  sink_(std::move(*c));
}

uint64_t ServerConnectionBuilder::route(const ServerEvent& e) {
  const Event& ev = e.event;
  uint32_t file = ev.file_index;
  std::string ip(ev.get("source_ip"));
  std::string port(ev.get("source_port"));

  // 1. A listener line that names the connection's pid.
  if (ev.kind == K::sshd_timeout_preauth) {
    int64_t pid = to_pid(ev.get("pid"));
    if (pid >= 0) {
      auto it = by_pid_.find({file, e.meta.host, pid});
      if (it != by_pid_.end()) return it->second;
    }
    if (!ip.empty() && !port.empty()) {
      auto it = by_addr_.find({file, e.meta.host, ip, port});
      if (it != by_addr_.end()) return it->second;
    }
    if (e.meta.pid < 0) {
      // sshd -E with no pids: the most recent connection from that address.
      auto h = last_on_host_.find({file, e.meta.host});
      if (h != last_on_host_.end() && open_.count(h->second) && open_[h->second]->source_ip == ip) return h->second;
    }
    return 0;  // a connection of its own
  }
  if (is_standalone(ev.kind)) return 0;

  if (e.meta.pid >= 0) {
    // 2. The logging process.
    auto it = by_pid_.find({file, e.meta.host, e.meta.pid});
    if (it != by_pid_.end()) {
      ServerConnection& c = *open_[it->second];
      // The same pid naming another client: the pid was reused and the old
      // connection ended without a line we know.
      if (!ip.empty() && !c.source_ip.empty() && (ip != c.source_ip || (!port.empty() && !c.source_port.empty() &&
                                                                         port != c.source_port))) {
        return 0;
      }
      // A new "Connection from" on a pid whose connection already ended is
      // pid reuse: a new connection.
      if (starts_connection(ev.kind) && (c.closed || !c.source_port.empty())) return 0;
      return it->second;
    }
    // 3. A pid not seen before, for a client address already known: the
    // post-auth child of that connection.
    if (!starts_connection(ev.kind) && !ip.empty() && !port.empty()) {
      auto a = by_addr_.find({file, e.meta.host, ip, port});
      if (a != by_addr_.end()) return a->second;
    }
    return 0;
  }

  // 4. sshd -E / -e output: no pid at all.
  if (starts_connection(ev.kind)) return 0;
  if (!ip.empty() && !port.empty()) {
    auto a = by_addr_.find({file, e.meta.host, ip, port});
    if (a != by_addr_.end()) return a->second;
    return 0;  // first line of a connection logged without "Connection from" (LogLevel INFO)
  }
  auto h = last_on_host_.find({file, e.meta.host});
  if (h != last_on_host_.end()) return h->second;
  return 0;
}

void ServerConnectionBuilder::file_pid(const PidKey& key, uint64_t id) {
  by_pid_[key] = id;
  std::vector<PidKey>& pids = keys_[id].pids;
  if (std::find(pids.begin(), pids.end(), key) == pids.end()) pids.push_back(key);
}

void ServerConnectionBuilder::add(ServerEvent e) {
  ++events_seen_;
  // Idle connections are looked for every 4096 events, not on every one:
  // the scan walks every open connection (bench/RESULTS.md: calling it per
  // event cost 40% of a scan).
  if (e.meta.time_us != INT64_MIN && (events_seen_ & 4095) == 0) expire(e.meta.time_us);
  if (is_daemon_line(e.event.kind)) return;

  uint64_t id = route(e);
  // The daemon's own lines (version banner, bind or host key fatals) join a
  // connection only when one is already there; they never open one.
  bool daemon = e.event.kind == K::sshd_version ||
                (e.event.kind == K::sshd_fatal && e.event.get("source_ip").empty());
  if (id == 0 && daemon) return;
  if (id == 0) {
    // A pid that is reused while its old connection is still open: that
    // old connection ended without a closing line we know.
    if (e.meta.pid >= 0) {
      auto old = by_pid_.find({e.event.file_index, e.meta.host, e.meta.pid});
      if (old != by_pid_.end()) emit(old->second);
    }
    id = open_connection(e);
  }
  ServerConnection& c = *open_[id];

  // Index the connection under every pid and address it shows.
  uint32_t file = e.event.file_index;
  if (e.meta.pid >= 0) {
    file_pid(PidKey{file, e.meta.host, e.meta.pid}, id);
    if (c.pid < 0) c.pid = e.meta.pid;
    else if (e.meta.pid != c.pid &&
             std::find(c.other_pids.begin(), c.other_pids.end(), e.meta.pid) == c.other_pids.end()) {
      c.other_pids.push_back(e.meta.pid);
    }
  }
  if (e.event.kind == K::sshd_child_pid) {
    int64_t child = to_pid(e.event.get("pid"));
    if (child >= 0) {
      file_pid(PidKey{file, e.meta.host, child}, id);
      c.other_pids.push_back(child);
    }
  }
  std::string ip(e.event.get("source_ip"));
  std::string port(e.event.get("source_port"));
  if (!ip.empty() && !port.empty()) {
    AddrKey key{file, e.meta.host, ip, port};
    by_addr_[key] = id;
    std::vector<AddrKey>& addrs = keys_[id].addrs;
    if (std::find(addrs.begin(), addrs.end(), key) == addrs.end()) addrs.push_back(key);
  }
  last_on_host_[{file, e.meta.host}] = id;
  if (e.meta.time_us != INT64_MIN) last_time_[id] = e.meta.time_us;

  bool closing = closes(e.event.kind);
  apply(c, std::move(e));
  if (closing) {
    c.closed = true;
    closed_at_[id] = events_seen_;
  }
  if (c.outcome == ServerOutcome::kDropped) {
    emit(id);
    return;
  }

  // Connections closed a while ago can no longer receive lines.
  for (auto it = closed_at_.begin(); it != closed_at_.end();) {
    if (events_seen_ - it->second > options_.closed_grace_events) {
      uint64_t done = it->first;
      ++it;
      emit(done);
    } else {
      ++it;
    }
  }
}

void ServerConnectionBuilder::expire(int64_t now_us) {
  std::vector<uint64_t> idle;
  for (const auto& [id, t] : last_time_) {
    if (now_us - t > options_.idle_timeout_us) idle.push_back(id);
  }
  std::sort(idle.begin(), idle.end());  // oldest first, whatever the hash order
  for (uint64_t id : idle) emit(id);
}

void ServerConnectionBuilder::finish() {
  while (!open_.empty()) emit(open_.begin()->first);
  by_pid_.clear();
  by_addr_.clear();
  keys_.clear();
  last_on_host_.clear();
  closed_at_.clear();
  last_time_.clear();
}

void ServerConnectionBuilder::apply(ServerConnection& c, ServerEvent se) {
  const Event& e = se.event;
  if (c.first_line == 0) c.first_line = e.line_number;
  c.last_line = e.line_number;
  if (se.meta.time_us != INT64_MIN) {
    if (c.start_us == INT64_MIN) c.start_us = se.meta.time_us;
    c.time_zoned = se.meta.time_zoned;
    c.end_us = se.meta.time_us;
  }
  if (e.level > 0) c.debug_seen = true;
  auto set_if = [](std::string& field, std::string_view v) {
    if (!v.empty()) field.assign(v);
  };
  // sshd writes user names through strnvis, once or twice escaped
  // ("j\303\266hn"); the connection keeps the name the admin knows, so
  // --user, the join with a client trace and the reports all agree.
  auto set_user = [&c](std::string_view v) {
    if (!v.empty()) c.user = decode_vis_user(v);
  };
  set_if(c.source_ip, e.get("source_ip"));
  set_if(c.source_port, e.get("source_port"));
  switch (e.kind) {
    case K::sshd_connection_from:
      set_if(c.server_ip, e.get("server_ip"));
      set_if(c.server_port, e.get("server_port"));
      c.verbose_seen = true;
      break;
    case K::sshd_version:
      set_if(c.sshd_version, e.get("version"));
      break;
    case K::sshd_accepted:
    case K::sshd_failed:
    case K::sshd_partial:
    case K::sshd_postponed: {
      ServerAuthAttempt a;
      a.method = std::string(e.get("method"));
      a.result = e.kind == K::sshd_accepted ? "accepted"
                 : e.kind == K::sshd_failed ? "failed"
                 : e.kind == K::sshd_partial ? "partial"
                                             : "postponed";
      a.key_type = std::string(e.get("key_type"));
      a.fingerprint = std::string(e.get("fingerprint"));
      a.event_index = c.events.size();  // this event is appended below
      set_user(e.get("user"));
      if (!e.get("invalid").empty()) c.invalid_user = true;
      // auth_log() logs a valid user's failed or postponed key at VERBOSE.
      if ((e.kind == K::sshd_failed && a.method == "publickey" && !c.invalid_user) || e.kind == K::sshd_postponed) {
        c.verbose_seen = true;
      }
      if (e.kind == K::sshd_accepted) c.outcome = ServerOutcome::kAuthenticated;
      c.attempts.push_back(std::move(a));
      break;
    }
    case K::sshd_accepted_key_found:
      c.verbose_seen = true;
      break;
    case K::sshd_invalid_user:
      set_user(e.get("user"));
      c.invalid_user = true;
      break;
    case K::sshd_user_not_allowed:
    case K::sshd_max_auth_exceeded:
    case K::sshd_pam_auth_failure:
    case K::sshd_pam_account:
    case K::sshd_pam_access_denied:
    case K::sshd_password_change_required:
    case K::sshd_key_option_refused:
    case K::sshd_authorized_keys_unreadable:
      set_user(e.get("user"));
      if (!e.get("invalid").empty()) c.invalid_user = true;
      break;
    case K::sshd_session_opened:
    case K::sshd_session_started:
      set_user(e.get("user"));
      if (c.outcome == ServerOutcome::kUnknown) c.outcome = ServerOutcome::kAuthenticated;
      break;
    case K::sshd_received_disconnect:
      c.disconnect_code = std::string(e.get("code"));
      c.disconnect_reason = std::string(e.get("reason"));
      break;
    case K::sshd_disconnecting:
      set_if(c.disconnect_reason, e.get("reason"));
      [[fallthrough]];
    case K::sshd_connection_closed:
    case K::sshd_connection_reset:
    case K::sshd_disconnected: {
      std::string_view state = e.get("state");
      set_user(e.get("user"));
      if (state.find("invalid") != std::string_view::npos) c.invalid_user = true;
      // The post-auth preamble "user U" (not "authenticating user U"): this
      // client had logged in, even when the Accepted line is not in the log.
      if (state == "user" && c.outcome == ServerOutcome::kUnknown) c.outcome = ServerOutcome::kAuthenticated;
      // "Disconnected from A port P" with no preamble is a logout of an
      // older sshd, or of a session whose login is not in this log.
      if (e.kind == K::sshd_disconnected && state.empty() && c.attempts.empty()) break;
      if (c.outcome == ServerOutcome::kUnknown) {
        bool tried = !c.attempts.empty() || !c.user.empty() || !state.empty();
        c.outcome = tried ? ServerOutcome::kFailed : ServerOutcome::kClosedPreauth;
      }
      break;
    }
    case K::sshd_negotiation_failed:
      if (c.outcome == ServerOutcome::kUnknown) c.outcome = ServerOutcome::kNegotiationFailed;
      break;
    case K::sshd_banner_error:
      if (c.outcome == ServerOutcome::kUnknown || c.outcome == ServerOutcome::kClosedPreauth) {
        c.outcome = ServerOutcome::kBannerError;
      }
      break;
    case K::sshd_timeout_preauth:
      if (c.outcome != ServerOutcome::kAuthenticated) c.outcome = ServerOutcome::kTimedOut;
      break;
    case K::sshd_root_refused:
      set_if(c.user, "root");
      break;
    case K::sshd_fatal:
      // A fatal that names the client ends that connection (sshd exits).
      if (!e.get("source_ip").empty()) c.closed = true;
      break;
    case K::sshd_drop_connection:
    case K::sshd_refused_connect:
      c.outcome = ServerOutcome::kDropped;
      c.closed = true;
      break;
    case K::sshd_chroot_bad_modes:
      // Authentication worked, the session could not start.
      if (c.outcome == ServerOutcome::kUnknown) c.outcome = ServerOutcome::kFailed;
      break;
    default:
      break;
  }
  c.events.push_back(std::move(se));
}

}  // namespace sshlogwhy
