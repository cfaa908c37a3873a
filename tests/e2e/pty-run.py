#!/usr/bin/python3
"""pty-run.py - run a command on a pseudo-terminal, answer a prompt.

Usage: pty-run.py [--answer PROMPT TEXT] -- COMMAND...
Prints everything the terminal showed (base64-free, as bytes decoded with
errors='replace') and exits with the command's status. Times out after 60 s.
"""
import os
import pty
import select
import sys
import time


def main():
    args = sys.argv[1:]
    prompt = answer = None
    if args[:1] == ["--answer"]:
        prompt, answer = args[1].encode(), args[2].encode()
        args = args[3:]
    if args[:1] == ["--"]:
        args = args[1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(args[0], args)
    seen = b""
    answered = False
    deadline = time.time() + 60
    while time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if prompt and not answered and prompt in seen:
            os.write(fd, answer + b"\n")
            answered = True
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(seen.decode("utf-8", "replace"))
    sys.exit(os.waitstatus_to_exitcode(status))


main()
