// One SSH client's attempt to log in, rebuilt from its events.
//
// A ClientConversation is what the verdict rules read: where the client
// connected, what it agreed on, which host key it saw and what known_hosts
// said, which keys it had and what happened to each, which methods the server
// allowed, and how it ended. Every fact keeps the events it came from so a
// verdict can cite the lines.
//
// The same model serves OpenSSH and PuTTY traces (`client` says which); the
// fields a client never prints simply stay empty.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "events/event.h"

namespace sshlogwhy {

// How far the connection got; ordered, so `a < b` means "earlier".
enum class Phase : uint8_t {
  kStart,    // nothing yet, or only version / configuration lines
  kConnect,  // resolving the name, opening TCP
  kBanner,   // TCP up, exchanging SSH version strings
  kKex,      // agreeing on algorithms, key exchange
  kHostKey,  // checking the server's host key against known_hosts
  kAuth,     // user authentication
  kSession,  // authenticated: channels, commands, shell
};

// What happened to one client key.
enum class KeyResult : uint8_t {
  kFound,         // the file or agent key exists; nothing more is known
  kNotFound,      // "identity file P type -1": no such file at a default path
  kMissing,       // explicitly named (-i / IdentityFile) and not accessible
  kLoadFailed,    // could not be loaded: bad permissions, format, passphrase
  kSkipped,       // not offered: algorithm not accepted, key too short ...
  kWillAttempt,   // listed by the client as a candidate (8.x+)
  kOffered,       // offered to the server, no answer seen yet
  kRefused,       // offered and the server said no
  kAccepted,      // the server accepts it (and, if signed, authentication went on)
  kSignFailed,    // accepted, but the agent/key could not sign
};

const char* key_result_name(KeyResult r);

struct ClientKey {
  std::string path;         // file path, or the agent key's comment
  std::string type;         // ED25519, RSA, ECDSA-SK, ED25519-CERT ...
  std::string fingerprint;  // SHA256:...
  std::string flags;        // "explicit", "agent" ...
  bool from_agent = false;
  KeyResult result = KeyResult::kFound;
  std::string reason;       // why it failed or was skipped, in the client's words
  std::vector<const Event*> evidence;
};

enum class KnownHosts : uint8_t {
  kNotSeen,        // the trace does not say
  kKnown,          // matched an entry
  kAdded,          // new, and the client added it
  kChanged,        // differs from the cached key (REMOTE HOST IDENTIFICATION HAS CHANGED)
  kUnknownStrict,  // not cached and the client may not ask (BatchMode, StrictHostKeyChecking)
  kPrompted,       // the client asked the user ("The authenticity of host ...")
  kFailed,         // "Host key verification failed." and nothing more specific
};

const char* known_hosts_name(KnownHosts k);

enum class Outcome : uint8_t {
  kUnknown,            // the trace ends without saying
  kAuthenticated,      // logged in
  kPermissionDenied,   // every method failed
  kDisconnected,       // the server sent a disconnect (code, reason)
  kConnectionClosed,   // the peer closed or reset the connection
  kConnectFailed,      // TCP did not connect (refused, timed out, unreachable)
  kDnsFailed,          // the name did not resolve
  kNegotiationFailed,  // no common algorithm
  kHostKeyRejected,    // host key verification failed
  kConfigError,        // ssh refused its own configuration
  kTimedOut,           // banner exchange or connect timed out
};

const char* outcome_name(Outcome o);

struct AuthRound {
  std::string methods;  // "publickey,password"
  const Event* event = nullptr;
};

struct ClientConversation {
  // --- identity of this conversation within the input ---
  std::string client;  // "openssh" or "putty"
  int hop = 0;         // 0 = the final target; 1 = the jump host before it ...
  std::string proxy_command;  // set on the conversation that used ProxyJump/ProxyCommand
  uint32_t file_index = 0;
  uint64_t first_line = 0, last_line = 0;

  // --- client and configuration ---
  std::string client_version, tls_library;
  std::string client_os;  // "windows", "unix", or "" when the trace does not show it
  std::vector<std::string> config_files;
  std::vector<const Event*> config_errors;  // bad option / bad permissions / terminating

  // --- where it connected ---
  std::string host, address, port, user;
  std::vector<const Event*> connect_errors;  // "connect to address ..." per address

  // --- banner and algorithms ---
  std::string local_version, remote_version;
  std::string kex, host_key_algorithm, cipher_ctos, cipher_stoc, mac_ctos, mac_stoc;
  std::string negotiation_what, negotiation_offer;
  std::vector<const Event*> banner_lines;  // non-SSH lines the server sent first

  // --- host key ---
  std::string host_key_type, host_key_fingerprint;
  KnownHosts known_hosts = KnownHosts::kNotSeen;
  std::string known_hosts_path, known_hosts_line;

  // --- authentication ---
  std::string server_sig_algs;
  std::vector<AuthRound> rounds;  // each "Authentications that can continue"
  std::vector<std::string> methods_tried;  // "Next authentication method: X", in order
  std::vector<ClientKey> keys;
  int agent_keys = -1;  // -1 = the trace does not say
  std::string agent_problem;
  int password_prompts = 0;
  int password_failures = 0;
  std::string partial_success_method;
  std::vector<std::string> remote_messages;  // "Remote: ..." (server debug sent after auth)
  std::string authenticated_method;
  bool signed_login_refused = false;  // a key was accepted, then the login with it refused

  // --- end ---
  Phase phase = Phase::kStart;
  Outcome outcome = Outcome::kUnknown;
  std::string final_methods;  // from "Permission denied (...)"
  std::string disconnect_code, disconnect_reason;
  std::string failure_reason;  // connect / dns failure text
  bool ended = false;          // a terminal event was seen

  // Every event of this conversation, in input order (for timelines and
  // for rules that look for a specific line).
  std::vector<const Event*> events;

  // First event of a kind, or nullptr.
  const Event* first(EventKind kind) const;
  const Event* last(EventKind kind) const;
  bool has(EventKind kind) const { return first(kind) != nullptr; }
  std::vector<const Event*> all(EventKind kind) const;
};

}  // namespace sshlogwhy
