// The vocabulary shared by pattern files and the conversation builders.
//
// A pattern in patterns/**/*.json names one `event` from this list and may
// only declare captures listed for that event. Many patterns (one per OpenSSH
// or PuTTY wording) map to one event, so the builders never see wording
// drift: they see an EventKind and named fields.
//
// Adding an event kind: add one X(...) line here, teach a builder what it
// means, and reference it from a pattern. The pattern loader rejects unknown
// kinds and undeclared capture names, so a typo fails `lint-patterns`.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sshlogwhy {

// X(name, "comma,separated,capture,names")
#define SSHLOGWHY_EVENT_KINDS(X)                                                          \
  /* ---- OpenSSH client: start-up and configuration ---- */                             \
  X(client_version, "version,tls")              /* OpenSSH_9.2p1 ..., OpenSSL 3.0 */     \
  X(config_read, "path")                        /* Reading configuration data P */      \
  X(config_applied, "path,line,host_pattern")   /* P line N: Applying options for H */   \
  X(config_bad_option, "path,line,option")      /* P: line N: Bad configuration option */\
  X(config_terminating, "path,count")           /* P: terminating, N bad options */      \
  X(config_bad_permissions, "path")             /* Bad owner or permissions on P */      \
  X(proxy_jump, "command")                      /* Setting implicit ProxyCommand ... */  \
  X(proxy_command, "command")                   /* Executing proxy command: ... */       \
  /* ---- reaching the server ---- */                                                    \
  X(connecting, "host,address,port")            /* Connecting to H [A] port P. */        \
  X(connect_attempt_failed, "address,port,reason") /* connect to address A port P: R */  \
  X(connection_established, "")                 /* Connection established. */            \
  X(dns_failed, "host,reason")                  /* ssh: Could not resolve hostname */    \
  X(connect_failed, "host,port,reason")         /* ssh: connect to host H port P: R */   \
  X(connect_timeout, "host,port")               /* Connection to H port P timed out */   \
  /* ---- banner exchange ---- */                                                        \
  X(local_version, "version")                   /* Local version string SSH-2.0-... */   \
  X(remote_version, "protocol,version")         /* Remote protocol version ... */       \
  X(banner_closed, "")                          /* kex_exchange_identification: closed */\
  X(banner_reset, "reason")                     /* ...: read: Connection reset by peer */\
  X(banner_timeout, "")                         /* Connection timed out during banner */ \
  X(banner_line, "index,text")                  /* banner line N: TEXT */                \
  X(banner_invalid, "host,port,text")           /* invalid format / Bad remote version */\
  X(authenticating_as, "host,port,user")        /* Authenticating to H:P as 'U' */       \
  /* ---- key exchange ---- */                                                           \
  X(kex_algorithm, "algorithm")                 /* kex: algorithm: A */                  \
  X(kex_host_key_algorithm, "algorithm")        /* kex: host key algorithm: A */         \
  X(kex_cipher, "direction,cipher,mac,compression")                                      \
  X(negotiation_failed, "host,port,what,offer") /* Unable to negotiate ... Their offer */\
  X(kex_proposal, "side")                       /* local client / peer server KEXINIT */ \
  X(kex_proposal_list, "name,algorithms")       /* debug2: KEX algorithms: ... */        \
  /* ---- host key ---- */                                                               \
  X(server_host_key, "type,fingerprint")        /* Server host key: T FP */              \
  X(host_key_known, "host,type")                /* Host 'H' is known and matches */      \
  X(host_key_found_in, "path,line")             /* Found key in P:N */                   \
  X(host_key_added, "host,type")                /* Permanently added 'H' (T) ... */      \
  X(host_key_changed_warning, "")               /* REMOTE HOST IDENTIFICATION CHANGED */ \
  X(host_key_dns_spoofing_warning, "")          /* POSSIBLE DNS SPOOFING DETECTED */     \
  X(host_key_offending, "type,path,line")       /* Offending T key in P:N */             \
  X(host_key_changed_strict, "host,type")       /* Host key for H has changed ... */     \
  X(host_key_unknown_strict, "type,host")       /* No T host key is known for H ... */   \
  X(host_key_prompt, "host")                    /* The authenticity of host ... */       \
  X(host_key_verification_failed, "")           /* Host key verification failed. */      \
  X(host_key_fingerprint_shown, "type,fingerprint") /* T key fingerprint is FP. */       \
  /* ---- user authentication ---- */                                                    \
  X(server_sig_algs, "algorithms")              /* server-sig-algs=<...> */              \
  X(auth_methods_can_continue, "methods")       /* Authentications that can continue */  \
  X(next_auth_method, "method")                 /* Next authentication method: M */      \
  X(auth_partial_success, "method")             /* Authenticated using M with partial */ \
  X(identity_file, "path,type_code")            /* identity file P type N */             \
  X(identity_not_accessible, "path,reason")     /* Identity file P not accessible: R */  \
  X(key_will_attempt, "path,type,fingerprint,flags")                                     \
  X(key_offering, "path,type,fingerprint,flags")                                         \
  X(key_accepted_by_server, "path,type,fingerprint,flags")                               \
  X(key_trying_private, "path")                 /* Trying private key: P */              \
  X(key_load_failed, "path,reason")             /* Load key "P": R */                    \
  X(key_permissions_too_open, "mode,path")      /* Permissions 0644 for 'P' are too open*/\
  X(key_unprotected_warning, "")                /* WARNING: UNPROTECTED PRIVATE KEY */   \
  X(key_skipped, "path,type,reason")            /* Skipping ... / ignoring ... key */    \
  X(key_no_mutual_signature_algorithm, "")      /* send_pubkey_test: no mutual sig alg */\
  X(key_passphrase_prompt, "path")              /* Enter passphrase for key 'P': */      \
  X(key_passphrase_failed, "reason")            /* bad/no passphrase given, try again */ \
  X(agent_identities, "count")                  /* agent returned N keys */              \
  X(agent_unavailable, "reason")                /* ssh_get_authentication_socket: R */   \
  X(agent_empty, "")                            /* agent contains no identities */       \
  X(agent_sign_failed, "type,path,reason")      /* signing failed ... agent refused */   \
  X(password_prompt, "user,host")               /* U@H's password: */                    \
  X(password_retry, "")                         /* Permission denied, please try again. */\
  X(kbdint_prompt, "text")                      /* keyboard-interactive prompt */        \
  X(auth_succeeded, "host,address,port,method") /* Authenticated to H (A:P) using "M". */\
  X(auth_no_more_methods, "")                   /* No more authentication methods ... */ \
  X(permission_denied, "user,host,methods")     /* U@H: Permission denied (M). */        \
  X(remote_debug, "text")                       /* Remote: TEXT */                       \
  X(certificate_offered, "path,type,fingerprint")                                        \
  /* ---- after authentication ---- */                                                   \
  X(session_started, "")                        /* Entering interactive session. */      \
  X(session_command, "command")                 /* Sending command: C */                 \
  X(exit_status, "status")                      /* Exit status N */                      \
  X(transferred, "sent,received")               /* Transferred: sent N, received M */    \
  X(channel_open_failed, "channel,reason")      /* channel 0: open failed: R */          \
  X(stdio_forwarding_failed, "")                /* stdio forwarding failed */            \
  X(killed_by_signal, "signal")                 /* Killed by signal N. */                \
  X(password_expired_notice, "")                /* Your password has expired */          \
  X(account_expired_notice, "")                 /* Your account has expired */           \
  X(nologin_notice, "text")                     /* This account is currently not avail.*/\
  X(sftp_only_notice, "")                       /* This service allows sftp only */      \
  X(nologin_file_notice, "text")                /* System is booting up ... */           \
  /* ---- PuTTY / plink only (shared meanings reuse the kinds above) ---- */            \
  X(putty_looking_up_host, "host")              /* Looking up host "H" */                \
  X(putty_connected, "address,port")            /* Connected to A / Connecting to A port P */\
  X(putty_username, "user")                     /* Using username "U". */                \
  X(putty_key_file_reading, "path")             /* Reading key file "P" */               \
  X(putty_agent_running, "")                    /* Pageant is running. Requesting keys. */\
  X(putty_key_not_in_agent, "")                 /* Configured key file not in Pageant */ \
  X(putty_agent_key_trying, "index")            /* Trying Pageant key #N */              \
  X(putty_agent_refused_signing, "")            /* Pageant refused signing request */    \
  X(putty_key_refused, "")                      /* Server refused our key */             \
  X(putty_signature_sent, "")                   /* Sent public key signature */          \
  X(putty_signature_refused, "")                /* refused public-key signature despite..*/\
  X(putty_password_sent, "")                    /* Sent password */                      \
  X(putty_wrong_passphrase, "")                 /* Wrong passphrase */                   \
  X(putty_access_denied, "")                    /* Access denied */                      \
  X(putty_no_supported_methods, "methods")      /* No supported authentication methods */\
  X(putty_host_key_mismatch, "")                /* host key does not match the cached */ \
  X(putty_network_error, "reason")              /* Network error: R */                   \
  X(putty_log_gap, "")                          /* the ".." line of a trimmed Event Log */\
  X(putty_weak_crypto_refused, "what,algorithm") /* below the configured warning threshold */\
  X(putty_batch_prompt_refused, "")             /* Cannot answer interactive prompts in batch mode */\
  /* ---- sshd (family "sshd"): the message body after the log prefix ---- */           \
  /* Common fields: source_ip/source_port = the client; state = "authenticating user",  */\
  /* "invalid user", "user" or ""; invalid = "invalid user " when present.              */\
  X(sshd_listening, "address,port")             /* Server listening on A port P. */      \
  X(sshd_version, "version")                    /* debug1: sshd version OpenSSH_x ... */ \
  X(sshd_connection_from, "source_ip,source_port,server_ip,server_port")                 \
  X(sshd_accepted, "method,invalid,user,source_ip,source_port,key_type,fingerprint,detail")\
  X(sshd_failed, "method,invalid,user,source_ip,source_port,key_type,fingerprint,detail")  \
  X(sshd_partial, "method,invalid,user,source_ip,source_port,key_type,fingerprint,detail") \
  X(sshd_postponed, "method,invalid,user,source_ip,source_port,key_type,fingerprint,detail")\
  X(sshd_accepted_key_found, "key_type,fingerprint,path,line") /* Accepted key T FP found at P:N */\
  X(sshd_invalid_user, "user,source_ip,source_port")  /* Invalid user U from A port P */   \
  X(sshd_user_not_allowed, "user,source_ip,reason,directive") /* User U from A not allowed because R */\
  X(sshd_root_refused, "source_ip,source_port")  /* ROOT LOGIN REFUSED FROM A port P */    \
  X(sshd_bad_modes, "path,kind")                /* Authentication refused: bad ownership or modes for K P */\
  X(sshd_authorized_keys_unreadable, "user,path,reason") /* Could not open user 'U' authorized keys 'P': R */\
  X(sshd_authorized_keys_debug, "path,reason")  /* debug: trying public key file P / not found */\
  X(sshd_key_algorithm_rejected, "algorithm,setting") /* key type/signature algorithm X not in S */\
  X(sshd_key_rejected_other, "reason")          /* refusing RSA key: Invalid key length ... */\
  X(sshd_certificate_rejected, "reason,user")   /* Certificate invalid: R / Refusing certificate ... */\
  X(sshd_key_option_refused, "user,reason,source_ip") /* correct key but not from a permitted host */\
  X(sshd_max_auth_exceeded, "invalid,user,source_ip,source_port") /* maximum authentication attempts exceeded */\
  X(sshd_disconnecting, "state,user,source_ip,source_port,reason") /* Disconnecting ... : R */\
  X(sshd_connection_closed, "state,user,source_ip,source_port") /* Connection closed by ... */\
  X(sshd_connection_reset, "state,user,source_ip,source_port")  /* Connection reset by ... */ \
  X(sshd_received_disconnect, "source_ip,source_port,code,reason") /* Received disconnect from A port P:C: R */\
  X(sshd_disconnected, "state,user,source_ip,source_port") /* Disconnected from [user U] A port P */\
  X(sshd_negotiation_failed, "source_ip,source_port,what,offer") /* Unable to negotiate with ... */\
  X(sshd_banner_error, "source_ip,source_port,reason") /* kex_exchange_identification / banner exchange */\
  X(sshd_timeout_preauth, "source_ip,source_port,server_ip,pid") /* Timeout before authentication ... */\
  X(sshd_drop_connection, "count,source_ip,source_port,server_ip,server_port,reason") /* drop connection #N ... */\
  X(sshd_refused_connect, "source_ip")          /* refused connect from A (tcp wrappers) */\
  X(sshd_pam_auth_failure, "user,source_ip")    /* pam_unix(sshd:auth): authentication failure */\
  X(sshd_pam_account, "user,reason")            /* pam_unix(sshd:account): account U has expired ... */\
  X(sshd_pam_access_denied, "user")             /* fatal: Access denied for user U by PAM account configuration */\
  X(sshd_password_change_required, "user")      /* password expired, change required */ \
  X(sshd_session_opened, "user")                /* pam_unix(sshd:session): session opened for user U */\
  X(sshd_session_closed, "user")                /* pam_unix(sshd:session): session closed for user U */\
  X(sshd_session_started, "kind,user,source_ip,source_port") /* Starting session: shell ... */\
  X(sshd_child_pid, "pid")                      /* User child is on pid N */             \
  X(sshd_chroot_bad_modes, "path")              /* fatal: bad ownership or modes for chroot directory P */\
  X(sshd_shell_missing, "user,path")            /* shell does not exist / not executable (also via not_allowed) */\
  X(sshd_forward_refused, "reason")             /* refused local port forward: ... (jump host) */\
  X(sshd_fatal, "text,source_ip,source_port")   /* other fatal: lines (with the client when named) */\
  /* ---- the end ---- */                                                                \
  X(received_disconnect, "host,port,code,reason") /* Received disconnect from H port P:C: R*/\
  X(disconnected_from, "host,port")             /* Disconnected from H port P */         \
  X(connection_closed_by, "host,port")          /* Connection closed by H port P */      \
  X(connection_reset_by, "host,port")           /* Connection reset by H port P */       \
  X(connection_closed_remote, "host")           /* Connection to H closed by remote host */\
  X(connection_closed_local, "host")            /* Connection to H closed. */            \
  X(broken_pipe, "")                            /* client_loop: send disconnect: Broken */\
  X(fatal_other, "text")                        /* any other fatal the client prints */

enum class EventKind : uint16_t {
#define SSHLOGWHY_EVENT_ENUM(name, fields) name,
  SSHLOGWHY_EVENT_KINDS(SSHLOGWHY_EVENT_ENUM)
#undef SSHLOGWHY_EVENT_ENUM
      kCount
};

// The stable text name ("key_offering") of a kind, as written in patterns.
std::string_view event_kind_name(EventKind kind);

// The comma-separated capture names a pattern of this kind may declare.
std::string_view event_kind_fields(EventKind kind);

// Looks a kind up by its text name; nullopt for unknown names.
std::optional<EventKind> event_kind_from_name(std::string_view name);

}  // namespace sshlogwhy
