// sshd events -> ServerConnections, streaming.
//
// Events arrive in log order. Each is routed to its connection by, in order:
//  1. the pid it names (listener lines: "Timeout before authentication ...,
//     pid = N"), or "User child is on pid N" which links a child pid;
//  2. (host, pid) of the logging process, when that pid is known;
//  3. (host, client address, client port) for a pid not seen before (the
//     post-auth child of 9.x logs "Received disconnect"/"Disconnected from
//     user" under its own pid);
//  4. for sshd -E / -e output, which has no pid: the address and port, or
//     the connection that logged last.
// A connection is handed to the sink shortly after its closing line (a few
// trailing lines such as PAM's "session closed" still find it), when its
// pid is reused, when it has been idle too long in log time, or at finish().
// So memory is bounded by the connections open at once, not the file size.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "conversations/server_connection.h"

namespace sshlogwhy {

struct ServerBuilderOptions {
  int64_t idle_timeout_us = 6LL * 3600 * 1000000;  // log time without a line -> emitted as unknown
  size_t max_open = 200000;                         // beyond this, the oldest is emitted
  size_t closed_grace_events = 32;                  // events after a close that may still join it
};

class ServerConnectionBuilder {
 public:
  using Sink = std::function<void(ServerConnection&&)>;

  ServerConnectionBuilder(Sink sink, ServerBuilderOptions options = {});
  ServerConnectionBuilder(const ServerConnectionBuilder&) = delete;  // owns open connections
  ServerConnectionBuilder& operator=(const ServerConnectionBuilder&) = delete;

  void add(ServerEvent event);
  // Emits every open connection (input ended). The builder can be reused.
  void finish();

  size_t open_count() const { return open_.size(); }

 private:
  using PidKey = std::tuple<uint32_t, std::string, int64_t>;        // file, host, pid
  using AddrKey = std::tuple<uint32_t, std::string, std::string, std::string>;  // file, host, ip, port
  using HostKey = std::pair<uint32_t, std::string>;                            // file, host
  struct KeyHash {
    size_t operator()(const PidKey& k) const;
    size_t operator()(const AddrKey& k) const;
    size_t operator()(const HostKey& k) const;
  };

  uint64_t open_connection(const ServerEvent& e);
  void emit(uint64_t id);
  void file_pid(const PidKey& key, uint64_t id);  // by_pid_[key] = id, remembered in keys_
  void apply(ServerConnection& c, ServerEvent e);
  void expire(int64_t now_us);
  uint64_t route(const ServerEvent& e);

  Sink sink_;
  ServerBuilderOptions options_;
  uint64_t next_id_ = 1;
  uint64_t events_seen_ = 0;
  // Lookups are hashed (a scan does several per line); the maps whose order
  // decides which connection is emitted first stay ordered by id, so the
  // output order is the same whatever the hash.
  std::map<uint64_t, std::unique_ptr<ServerConnection>> open_;  // id -> connection, in id order
  std::unordered_map<PidKey, uint64_t, KeyHash> by_pid_;
  std::unordered_map<AddrKey, uint64_t, KeyHash> by_addr_;
  std::unordered_map<HostKey, uint64_t, KeyHash> last_on_host_;  // for pid-less logs
  // The index keys each open connection was filed under, so emit() removes
  // exactly those instead of walking the whole indexes.
  struct IndexKeys {
    std::vector<PidKey> pids;
    std::vector<AddrKey> addrs;
  };
  std::unordered_map<uint64_t, IndexKeys> keys_;
  std::map<uint64_t, uint64_t> closed_at_;            // id -> events_seen_ when it closed
  std::unordered_map<uint64_t, int64_t> last_time_;   // id -> time of its last event
};

}  // namespace sshlogwhy
