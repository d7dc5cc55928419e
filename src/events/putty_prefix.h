// Recognising PuTTY's line forms, by hand (no regex).
//
// Every PuTTY Event Log entry goes through logevent() (logging.c) and then
// reaches the user in one of these shapes (formats.md §2.1):
//
//   A  Event Log window, "Copy" button (Windows listbox; GTK alike):
//        2026-11-23 18:01:49<TAB>Looking up host "127.0.0.1" for SSH connection
//      strftime("%Y-%m-%d %H:%M:%S\t"), local time, no zone. A paste through a
//      chat or ticket system often turns the TAB into one or more spaces.
//      Once the window's ring buffer wrapped, one entry is the bare ".." (no
//      timestamp): events were lost there.
//   B  Session log file, "SSH packets" / "SSH packets and raw data" mode:
//        =~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2026.11.23 18:01:48 =~=~=~=~=~=~=~=~=~=~=~=
//        Event Log: Looking up host "127.0.0.1" for SSH connection
//        Outgoing packet #0x0, type 20 / 0x14 (SSH2_MSG_KEXINIT)
//          00000000  8d 63 f1 33 14 6f 01 29 60 26 dd 58 83 f8 98 5a  .c.3.o.)`&.X...Z
//          (123 bytes omitted)
//        Incoming raw data at 2020-02-16 22:36:38
//      The packet dump lines carry no event and are skipped.
//   C  Session log, "All session output" mode: same header, then terminal
//      text only (no "Event Log: " lines); those lines come out as kBare.
//   D  plink/pscp/psftp -v on stderr: bare messages, no timestamp, plus
//      terminal lines and "FATAL ERROR: <text>". All kBare.
//   E  GUI fatal box pasted as text: bare as well.
//
// classify_putty_line() looks at one line (CR already removed by the line
// stage) and returns its form, the message body the putty/ patterns are
// matched against, and the timestamp text, all as views into the input.
// Nothing here allocates except join_putty_message(); nothing throws or
// prints.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace sshlogwhy {

enum class PuttyLineForm : uint8_t {
  kEventLogWindow,    // "YYYY-MM-DD HH:MM:SS<TAB or spaces>message", or the ".." gap entry
  kSessionLogEvent,   // "Event Log: message"
  kSessionLogHeader,  // "=~=~=~=~=~=~=~=~=~=~=~= PuTTY log YYYY.MM.DD HH:MM:SS =~=...": body is
                      // empty
  kPacketDump,        // packet header, hex row, "(N bytes omitted)", raw-data header: skip it
  kBare,              // no PuTTY prefix: a plink -v line, terminal text, FATAL ERROR, continuation
  kOther,             // empty or only blanks: nothing to match
};

struct PuttyLine {
  PuttyLineForm form = PuttyLineForm::kOther;
  // What the putty/ patterns see: the text after the timestamp / "Event Log: "
  // prefix, with trailing blanks (space, TAB, stray CR) removed. For kBare it
  // is the whole line minus trailing blanks; leading blanks are kept, so the
  // indented lines of plink's host-key prompt ("  ssh-ed25519 255 SHA256:...")
  // never look like Event Log entries. Empty for kPacketDump and kOther.
  std::string_view body;
  // "2026-11-23 18:01:49" (form A) or "2026.11.23 18:01:49" (header); empty
  // when the line has none (also for a header whose stamp is malformed).
  std::string_view timestamp;
};

// Classifies one line. Stateless: a line such as "type 2 (protocol error):"
// that continues a multi-line message comes out as kBare. Leading blanks are
// allowed before a form-A timestamp, "Event Log: " and the header (indented
// pastes); a timestamp that is out of range or shaped differently (WinSCP's
// ". 2017-02-08 14:15:03.704 ...", syslog, ISO 'T') is not form A.
PuttyLine classify_putty_line(std::string_view text);

// Cheap auto-detection over the first lines of an input (any number; ~50 is
// plenty). True when the lines contain a session-log header, or an Event Log
// window / "Event Log: " line whose body starts like a PuTTY event, or a bare
// line with a PuTTY-only signature (Looking up host "H" for ..., We claim
// version: SSH-, Remote/Server version: SSH-, Using username "U"., Pageant is
// running, Trying Pageant key #, FATAL ERROR: + a PuTTY fatal text, ...).
// An OpenSSH trace ("debug1: ..."), syslog, journald or a WinSCP log gives
// false.
bool looks_like_putty_log(std::span<const std::string_view> first_lines);

// ---------------------------------------------------------------------------
// Duplicates in plink output.
//
// plink -v writes Event Log entries with "\n" and terminal (ppl_printf) lines
// with "\r\n" to the same stderr, and several failures are reported both ways,
// sometimes in different words. The line stage has removed the '\r' (it keeps
// kLineHadCarriageReturn in Line::flags, which on Unix plink marks the
// terminal copy; on Windows every line has it, so the flag is only a hint).
// Each pair below is one event and must be counted once:
//
//   Server refused our key\r\n          (terminal, key files only)
//   Server refused our key\n            (Event Log)
//   Further authentication required    (terminal, then Event Log: identical)
//   Server refused public-key signature despite accepting key!  (identical)
//   Password authentication failed      (Event Log) -> Access denied (terminal)
//   Keyboard-interactive authentication failed      -> Access denied
//   Unable to use this key file (R)     -> Unable to use key file "P" (R)
//   Unable to load key (R)              -> Unable to load key file "P" (R)
//   Offer of public key accepted        -> Authenticating with public key "C"
//   Pageant refused signing request     -> Pageant failed to provide a signature
//   <event text>                        -> FATAL ERROR: <event text>
//
// The builder keeps the previous PuTTY body of the same input and drops (or
// merges the captures of: the terminal copy of a key-file error has the path)
// a line for which is_terminal_echo(prev_body, body) is true. The rule is by
// content, not by CR flag, so it also holds for Windows plink and for the
// GUI's fatal box pasted after an Event Log copy. Genuine repeats that this
// also folds (sshd sends each "Remote debug message: ..." twice) carry no
// extra information. A multi-line FATAL ERROR text must be joined
// (join_putty_message) before the comparison.
bool is_terminal_echo(std::string_view prev_body, std::string_view body);

// ---------------------------------------------------------------------------
// Multi-line messages.
//
// PuTTY 0.71+ replaces every run of CR/LF inside an Event Log entry with one
// space (logevent() in logging.c), but three places still show the line
// breaks: PuTTY 0.70's own Event Log (window copy and session log), plink's
// "FATAL ERROR: " text in every version, and the GUI fatal box. The one
// message that matters is the SSH-2 disconnect:
//
//   FATAL ERROR: Remote side sent disconnect message      (0.70: "Server sent")
//   type 2 (protocol error):
//   "Too many authentication failures"
//
// putty_message_line_count(bodies) returns how many of bodies[0..] form one
// message (1 when bodies[0] starts none, 2 when the quoted text is missing);
// join_putty_message() glues them with single spaces, which is exactly the
// one-line form 0.71+ logs ("... message type 2 (protocol error): \"Too many
// authentication failures\""), so one pattern serves both.
size_t putty_message_line_count(std::span<const std::string_view> bodies);
std::string join_putty_message(std::span<const std::string_view> parts);

}  // namespace sshlogwhy
