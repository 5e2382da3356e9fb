"""`trainbook console` in a pseudo-terminal against ipykernel: completion, multi-line input,
history, Ctrl-C interrupting a running cell and abandoning a line, Ctrl-D quitting."""

from __future__ import annotations

import os
import time

import pexpect


def spawn_console() -> pexpect.spawn:
    return pexpect.spawn(
        os.environ["TRAINBOOK_BIN"], ["console", "--kernel", "python3"], encoding="utf-8", timeout=60,
        env=dict(os.environ), dimensions=(40, 200),
    )


def test_console_session_on_ipykernel():
    child = spawn_console()
    child.expect(r"In \[1\]: ")
    child.send("impor\t")
    child.expect("import")  # completed by the kernel
    child.send(" time\r")
    child.expect(r"In \[2\]: ")
    child.send("for i in range(2):\r")
    child.expect(r"\.\.\.: ")
    child.send("print('row', i)\r")
    child.expect(r"\.\.\.: ")
    child.send("\r")
    child.expect("row 1")
    child.expect(r"In \[3\]: ")
    child.send("while True: time.sleep(0.01)\r")
    time.sleep(1)
    start = time.monotonic()
    child.sendintr()
    child.expect("KeyboardInterrupt")
    assert time.monotonic() - start < 1.5
    child.expect(r"In \[4\]: ")
    child.send("\x1b[A")  # up arrow recalls the loop
    child.expect("while True")
    child.send("\x03")  # Ctrl-C at the prompt abandons the line
    child.expect(r"In \[4\]: ")
    child.send("6 * 7\r")
    child.expect(r"Out\[4\]: 42")
    child.send("name = input('who? ')\r")
    child.expect("who\\? ")
    child.send("Ada\r")
    child.expect(r"In \[6\]: ")
    child.send("name\r")
    child.expect(r"Out\[6\]: 'Ada'")
    child.send("\x04")  # Ctrl-D quits and shuts the kernel down
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
