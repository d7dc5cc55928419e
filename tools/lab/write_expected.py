#!/usr/bin/env python3
"""Write a scenario's expected.json for the sshlogwhy lab.

Usage:
  write_expected.py OUT.json SCENARIO DESCRIPTION COMMAND CAPTURED_WITH CAPTURED_AT \
      CASE [CASE...]

Each CASE is "input1,input2|verdict" or "input1,input2|verdict|pending note",
optionally followed by "|user:verdict;user:verdict;..." (the verdict of every
connection in the server log, in order; an empty user for a connection that
never named one), written as the case's "connections" list.
Cases whose inputs do not all exist next to OUT.json are dropped (a capture
that was not produced cannot be tested).
"""
import json
import os
import sys


def main():
    if len(sys.argv) < 8:
        sys.exit(__doc__)
    out, scenario, description, command, captured_with, captured_at = sys.argv[1:7]
    base = os.path.dirname(os.path.abspath(out))
    cases = []
    for spec in sys.argv[7:]:
        parts = spec.split("|", 3)
        if len(parts) < 2 or not parts[0] or not parts[1]:
            sys.exit("bad case spec: " + spec)
        inputs = parts[0].split(",")
        if not all(os.path.isfile(os.path.join(base, name)) for name in inputs):
            continue
        case = {"input": inputs, "verdict": parts[1]}
        if len(parts) >= 3 and parts[2]:
            case["pending"] = parts[2]
        if len(parts) == 4 and parts[3]:
            conns = []
            for item in parts[3].split(";"):
                user, sep, verdict = item.rpartition(":")
                if not sep or not verdict:
                    sys.exit("bad connection spec: " + item)
                conns.append({"user": user, "verdict": verdict})
            case["connections"] = conns
        cases.append(case)
    doc = {
        "scenario": scenario,
        "description": description,
        "command": command,
        "captured_with": captured_with,
        "captured_at": captured_at,
        "cases": cases,
    }
    with open(out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
