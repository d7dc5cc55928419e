#!/usr/bin/env python3
"""Reconstructs PuTTY Event Log window copies and session logs from real plink captures.

PuTTY's Event Log window cannot be captured headless, so the corpus holds reconstructions,
labelled as such: for every corpus/lab/<scenario>/plink-v.txt (a real `plink -v -batch` capture)
this writes corpus/putty-reconstructed/<scenario>/ with

  eventlog-window.txt   the Event Log window's "Copy" output: "YYYY-MM-DD HH:MM:SS<TAB>message"
                        + CRLF (windows/dialog.c), event lines only
  sessionlog.log        a session log in "SSH packets" mode: the "=~=~=~ PuTTY log" header and
                        "Event Log: message" lines + CRLF (logging.c); packet dumps are not
                        reconstructed
  expected.json         the verdict of the plink capture, "reconstructed": true

Which lines are Event Log lines: plink writes Event Log entries with "\\n" and terminal-bound
messages with "\\r\\n", plus "FATAL ERROR: ..." for the fatal box (formats.md 2.1), so the event
lines are exactly the LF-terminated lines that are not the FATAL ERROR line. Timestamps are
synthetic (one second apart from the capture time in expected.json); the messages are real.

Usage: tools/putty/reconstruct_event_logs.py [REPO]   (rerun after tools/lab/run-lab.sh)
"""
import datetime
import json
import os
import shutil
import sys


def event_lines(raw: bytes):
    out = []
    for line in raw.split(b"\n"):
        if not line or line.endswith(b"\r"):
            continue  # empty, or a terminal-bound line
        if line.startswith(b"FATAL ERROR: "):
            continue  # the fatal box, not an Event Log entry
        if line.startswith(b" ") or line.startswith(b"\t"):
            continue  # indented host key prompt text
        out.append(line.decode("utf-8", "replace"))
    return out


def main():
    repo = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    lab = os.path.join(repo, "corpus", "lab")
    dest_root = os.path.join(repo, "corpus", "putty-reconstructed")
    shutil.rmtree(dest_root, ignore_errors=True)
    os.makedirs(dest_root)
    made = 0
    for scenario in sorted(os.listdir(lab)):
        src = os.path.join(lab, scenario)
        plink = os.path.join(src, "plink-v.txt")
        expected_path = os.path.join(src, "expected.json")
        if not os.path.isfile(plink) or not os.path.isfile(expected_path):
            continue
        expected = json.load(open(expected_path))
        verdict = next((c["verdict"] for c in expected["cases"]
                        if c["input"] == ["plink-v.txt"] and "pending" not in c), None)
        if verdict is None:
            continue
        lines = event_lines(open(plink, "rb").read())
        if not lines:
            continue
        start = datetime.datetime.strptime(expected["captured_at"], "%Y-%m-%dT%H:%M:%SZ")
        dest = os.path.join(dest_root, scenario)
        os.makedirs(dest)
        with open(os.path.join(dest, "eventlog-window.txt"), "wb") as f:
            for i, message in enumerate(lines):
                stamp = (start + datetime.timedelta(seconds=i)).strftime("%Y-%m-%d %H:%M:%S")
                f.write(f"{stamp}\t{message}\r\n".encode())
        with open(os.path.join(dest, "sessionlog.log"), "wb") as f:
            f.write(("=~=~=~=~=~=~=~=~=~=~=~= PuTTY log " + start.strftime("%Y.%m.%d %H:%M:%S") +
                     " =~=~=~=~=~=~=~=~=~=~=~=\r\n").encode())
            for message in lines:
                f.write(f"Event Log: {message}\r\n".encode())
        json.dump({
            "scenario": scenario,
            "reconstructed": True,
            "description": "RECONSTRUCTED (not a capture): the Event Log lines of the real plink capture "
                           f"corpus/lab/{scenario}/plink-v.txt, laid out as PuTTY's Event Log window copy and "
                           "as a session log (tools/putty/reconstruct_event_logs.py). " + expected["description"],
            "source_capture": f"corpus/lab/{scenario}/plink-v.txt",
            "captured_with": expected.get("captured_with", ""),
            "cases": [
                {"input": ["eventlog-window.txt"], "verdict": verdict},
                {"input": ["sessionlog.log"], "verdict": verdict},
            ],
        }, open(os.path.join(dest, "expected.json"), "w"), indent=2)
        made += 1
    with open(os.path.join(dest_root, "README.md"), "w") as f:
        f.write("# RECONSTRUCTED PuTTY Event Log copies and session logs\n\n"
                "Not captures. PuTTY's Event Log window cannot be captured headless, so each folder here is "
                "built by `tools/putty/reconstruct_event_logs.py` from a REAL plink capture in `corpus/lab/` "
                "(the same scenario name): the plink lines that go to the Event Log (LF-terminated, not "
                "`FATAL ERROR:`) laid out in the two documented formats, with synthetic timestamps. The "
                "expected verdict is the one of the plink capture.\n")
    print(f"reconstructed {made} scenarios into {dest_root}")


if __name__ == "__main__":
    main()
