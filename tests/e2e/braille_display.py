#!/usr/bin/env python3
"""A small fake Braille display for BRLTTY's Virtual driver (-b vr).

usage: braille_display.py SOCKET CELLS KEYS_FIFO OUT

Connects to the Unix socket on which `brltty -b vr -d server:SOCKET`
listens and speaks the driver's text protocol (docs/Virtual.README in the
brltty package): it announces CELLS cells ("cells N"), appends every line
of cells the driver sends ("Braille 1|12|3456| ...") to OUT as Unicode
Braille patterns (one line each, the full width, U+2800 for blank cells),
and sends every line written to the named pipe KEYS_FIFO as a command of
the display's keys ("LnDn", "FWinRt", "Route 3", "Escape"...). It exits
when BRLTTY closes the connection or on SIGTERM.
"""
import os
import select
import socket
import sys


def cells_to_unicode(dots):
    out = []
    for cell in dots.split("|"):
        bits = 0
        for d in cell.strip():
            bits |= 1 << (int(d) - 1)
        out.append(chr(0x2800 + bits))
    return "".join(out)


def main():
    sock_path, cells, fifo, out_path = sys.argv[1:5]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock_path)
    s.sendall(("cells %d\n" % int(cells)).encode())
    keys = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    buf = b""
    kbuf = b""
    with open(out_path, "a", encoding="utf-8") as out:
        while True:
            r, _, _ = select.select([s, keys], [], [])
            if s in r:
                data = s.recv(4096)
                if not data:
                    return
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    text = line.decode("utf-8", "replace").rstrip("\r")
                    if text.startswith("Braille "):
                        dots = text[len("Braille "):].strip().strip('"')
                        out.write(cells_to_unicode(dots) + "\n")
                        out.flush()
            if keys in r:
                kbuf += os.read(keys, 4096)
                while b"\n" in kbuf:
                    line, kbuf = kbuf.split(b"\n", 1)
                    if line.strip():
                        s.sendall(line.strip() + b"\n")


if __name__ == "__main__":
    main()
