#!/usr/bin/env python3
"""Boots the dauys test image in QEMU (software emulation) and checks it.

The machine is a PC whose only disk is a USB stick (xHCI) holding
dauys-test.img (opened with snapshot=on: the image file is never changed),
with a USB keyboard, an HDA sound card recorded to a WAV file and three
serial ports:

  ttyS0  the kernel and systemd console  -> OUT/serial.log
  ttyS1  the test agent (images/test-agent/agent.sh, root, test image only)
  ttyS2  the speech log of dauys when the agent restarts it in speech mode
         -> OUT/speech.log

Keys are sent as a person would press them, through the QEMU monitor (QMP
send-key), to the USB keyboard; the agent reports what happened inside.
The staff journey (unconfigured, configured from a signed stick, staff
login, load, open, a voter, kill -9, close, the close-of-day report on the
stick) runs last on the image's own configuration; docs/appliance.md lists
every check. The production image (dauys.img) is checked without booting:
its root file system must not contain the agent. Every check prints "ok - ...",
"FAIL - ..." or "PENDING - ..." (a check that waits for a feature the tree
does not have yet); the last line counts them. Exit status 0 when nothing
failed. On failure the guest's journal is saved in OUT/journal.log.

usage: images/image-test.py IMAGEDIR [OUT]   (OUT default build/image-test)
"""
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
import base64

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOOT_TIMEOUT = int(os.environ.get("DAUYS_BOOT_TIMEOUT", "420"))
TOTAL_TIMEOUT = int(os.environ.get("DAUYS_IMAGE_TEST_TIMEOUT", "1500"))
# What the kiosk says about a full or unwritable data partition (po/).
DATA_FULL_KK = "Деректер бөлімі толып қалды"
DATA_FULL_RU = "Раздел данных заполнен"
DATA_RO_KK = "Деректер бөліміне жазу мүмкін емес"
DATA_RO_RU = "На раздел данных нельзя записать"
KAZAKH = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")


def speech_loud():
    """The sample value above which audio.wav counts as speech: 1000
    (about -30 dBFS, well under espeak-ng's peaks of about -7 dBFS) at
    level 10, lowered by the gain of the level the kiosk starts at
    ([speech] volume in data/dauys.conf, a percent: 50 is level 5;
    SPEECH_VOLUME_STEP_DB dB a level below SPEECH_VOLUME_MAX,
    accessibility/speech.h): 10 at the default level 5 (-40 dB). The emulated card adds no noise: silence is 0."""
    with open(os.path.join(TOP, "accessibility", "speech.h")) as f:
        h = dict(re.findall(r"^#define (SPEECH_VOLUME_\w+) (-?\d+)", f.read(),
                            re.M))
    level = int(h["SPEECH_VOLUME_DEFAULT"])
    section = None
    with open(os.path.join(TOP, "data", "dauys.conf")) as f:
        for line in f:
            line = line.split("#")[0].strip()
            if line.startswith("["):
                section = line
            elif section == "[speech]" and line.startswith("volume"):
                # A percent in steps of 10, one level each (50 = level 5).
                level = int(line.split("=", 1)[1]) // 10
    db = int(h["SPEECH_VOLUME_STEP_DB"]) * (level -
                                           int(h["SPEECH_VOLUME_MAX"]))
    return max(4, int(1000 * 10 ** (db / 20.0))), level, db


LOUD, LEVEL, LEVEL_DB = speech_loud()
CYRILLIC = re.compile("[А-Яа-яЁё]")

# evdev key names (keypad profiles) -> QEMU qcodes
QCODES = {"KEY_KP%d" % i: "kp_%d" % i for i in range(10)}
QCODES.update({
    "KEY_KPENTER": "kp_enter", "KEY_KPPLUS": "kp_add",
    "KEY_KPMINUS": "kp_subtract", "KEY_KPASTERISK": "kp_multiply",
    "KEY_KPSLASH": "kp_divide", "KEY_KPDOT": "kp_decimal",
    "KEY_NUMLOCK": "num_lock", "KEY_BACKSPACE": "backspace",
    "KEY_ENTER": "ret", "KEY_ESC": "esc", "KEY_UP": "up",
    "KEY_DOWN": "down", "KEY_LEFT": "left", "KEY_RIGHT": "right",
    "KEY_SPACE": "spc", "KEY_TAB": "tab",
})


# The console font draws some Cyrillic and Latin (and Greek) letters with
# one glyph, and /dev/vcsu gives back the first character of the glyph:
# texts are compared with those letters folded to one.
FOLD = str.maketrans("АВЕКМНОРСТХаеорсухіјКкФΦ", "ABEKMHOPCTXaeopcyxijKkФФ")


def fold(text):
    return text.translate(FOLD)


class Fail(Exception):
    pass


class Qemu:
    def __init__(self, image, out, firmware=None):
        self.out = out
        self.qmp_path = os.path.join(out, "qmp.sock")
        self.agent_path = os.path.join(out, "agent.sock")
        for p in (self.qmp_path, self.agent_path):
            if os.path.exists(p):
                os.unlink(p)
        args = [
            "qemu-system-x86_64", "-M", "pc", "-accel", "tcg", "-m", "1024",
            "-smp", "2", "-display", "none", "-vga", "std",
            # A network card (isolated from the host), which must stay down:
            # the test image is not configured to send applications.
            "-nic", "user,model=virtio-net-pci,restrict=on",
            "-no-reboot",
            "-drive", "if=none,id=stick,format=raw,snapshot=on,file=" + image,
            "-device", "qemu-xhci,id=xhci",
            "-device", "usb-storage,bus=xhci.0,drive=stick,bootindex=0",
            "-device", "usb-kbd,bus=xhci.0",
            "-audiodev", "wav,id=snd,path=" + os.path.join(out, "audio.wav"),
            "-device", "intel-hda", "-device", "hda-output,audiodev=snd",
            "-serial", "file:" + os.path.join(out, "serial.log"),
            "-chardev", "socket,id=agent,server=on,wait=off,path="
            + self.agent_path,
            "-serial", "chardev:agent",
            "-serial", "file:" + os.path.join(out, "speech.log"),
            "-qmp", "unix:%s,server=on,wait=off" % self.qmp_path,
        ]
        if firmware:
            args[1:1] = ["-bios", firmware]
        with open(os.path.join(out, "qemu.cmd"), "w") as f:
            f.write(" ".join(args) + "\n")
        self.log = open(os.path.join(out, "qemu.log"), "w")
        self.proc = subprocess.Popen(args, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        self.qmp = self._connect(self.qmp_path)
        self.qf = self.qmp.makefile("rw")
        self.qf.readline()
        self.command("qmp_capabilities")
        self.agent = self._connect(self.agent_path)
        self.abuf = b""
        self.seq = 0

    def _connect(self, path):
        deadline = time.time() + 30
        while True:
            if self.proc.poll() is not None:
                raise Fail("qemu exited at once (see %s/qemu.log)" % self.out)
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(path)
                return s
            except OSError:
                if time.time() > deadline:
                    raise Fail("cannot connect to " + path)
                time.sleep(0.2)

    def command(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.qf.write(json.dumps(msg) + "\n")
        self.qf.flush()
        while True:
            line = self.qf.readline()
            if not line:
                raise Fail("QEMU monitor closed")
            r = json.loads(line)
            if "return" in r:
                return r["return"]
            if "error" in r:
                raise Fail("QEMU monitor: %s: %s" % (name, r["error"]))

    def keys(self, *combo):
        """Presses the keys of COMBO together (qcodes), like a person."""
        self.command("send-key", keys=[{"type": "qcode", "data": k}
                                       for k in combo], **{"hold-time": 150})
        time.sleep(0.4)

    def screendump(self, path):
        self.command("screendump", filename=path, format="png")

    def ask(self, line, timeout=60, resend=0):
        """Sends LINE to the agent (again every RESEND seconds, when not
        0, until it answers); returns (status, output lines). Answers to
        earlier requests are skipped by their ID."""
        self.seq += 1
        req = ("%d %s\n" % (self.seq, line)).encode()
        self.agent.sendall(req)
        self.agent.settimeout(1)
        deadline = time.time() + timeout
        sent = time.time()
        while True:
            m = re.search(rb"@@END (\d+) (\d+)\r?\n", self.abuf)
            if m:
                text = self.abuf[:m.start()].decode("utf-8", "replace")
                self.abuf = self.abuf[m.end():]
                if int(m.group(2)) != self.seq:
                    continue
                return int(m.group(1)), [
                    l.rstrip("\r") for l in text.split("\n") if l.strip()]
            if time.time() > deadline:
                raise Fail("the agent did not answer '%s' in %d s"
                           % (line, timeout))
            if resend and time.time() - sent > resend:
                self.agent.sendall(req)
                sent = time.time()
            try:
                chunk = self.agent.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise Fail("the agent's serial port closed")
            self.abuf += chunk

    def close(self):
        if self.proc.poll() is None:
            try:
                self.command("quit")
            except (Fail, OSError):
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def kv(lines):
    d = {}
    for l in lines:
        if "=" in l:
            k, v = l.split("=", 1)
            d[k.strip()] = v.strip()
    return d


class Test:
    def __init__(self, imagedir, out):
        self.imagedir = imagedir
        self.out = out
        self.passed = self.failed = self.pending = 0
        self.q = None
        self.start = time.time()
        self.pin = "135790"

    def ok(self, name, detail=""):
        self.passed += 1
        print("ok - %s%s" % (name, " (%s)" % detail if detail else ""),
              flush=True)

    def fail(self, name, why):
        self.failed += 1
        print("FAIL - %s: %s" % (name, why), flush=True)

    def pend(self, name, why):
        self.pending += 1
        print("PENDING - %s: %s" % (name, why), flush=True)

    def check(self, name, cond, why, detail=""):
        if cond:
            self.ok(name, detail)
        else:
            self.fail(name, why)
        return cond

    def wait(self, what, pred, timeout):
        """Polls PRED until it returns a true value; returns it or None."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            v = pred()
            if v:
                return v
            time.sleep(1)
        return None

    # -- the production image, without booting ---------------------------
    def static_production(self):
        img = os.path.join(self.imagedir, "dauys.img")
        try:
            out = subprocess.run(["sfdisk", "-J", img], capture_output=True,
                                 check=True, text=True).stdout
            parts = json.loads(out)["partitiontable"]["partitions"]
            root = parts[1]
            tmp = os.path.join(self.out, "prod-root.ext4")
            subprocess.run(["dd", "if=" + img, "of=" + tmp, "bs=512",
                            "skip=%d" % root["start"],
                            "count=%d" % root["size"], "status=none"],
                           check=True)
            def debugfs(req):
                return subprocess.run(["debugfs", "-R", req, tmp],
                                      capture_output=True,
                                      text=True).stdout
            agent = debugfs("stat /usr/lib/dauys-test/agent.sh")
            unit = debugfs("cat /usr/lib/systemd/system/dauys.service")
            enabled = debugfs(
                "ls /etc/systemd/system/multi-user.target.wants")
            os.unlink(tmp)
        except (subprocess.CalledProcessError, KeyError, IndexError,
                ValueError) as e:
            self.fail("production image readable", str(e))
            return
        self.check("production image has no test agent",
                   "Inode:" not in agent,
                   "dauys.img contains /usr/lib/dauys-test/agent.sh")
        m = re.search(r"^ExecStart=(.*)$", unit, re.M)
        self.check("production unit runs --kiosk without test hooks",
                   m is not None and "--kiosk" in m.group(1)
                   and "--speech-log" not in unit,
                   "ExecStart is %r" % (m.group(1) if m else None))
        self.check("production image enables dauys.service",
                   "dauys.service" in enabled,
                   "not in multi-user.target.wants")

    # -- the booted test image --------------------------------------------
    def status(self):
        return kv(self.q.ask("status")[1])

    def screen(self):
        rc, lines = self.q.ask("screen")
        rows = cols = 0
        data = ""
        for l in lines:
            if l.startswith("size "):
                rows, cols = map(int, l.split()[1:3])
            elif l.strip():
                data = l.strip()
        cells = base64.b64decode(data) if data else b""
        text = cells.decode("utf-32-le", "replace")
        return rows, cols, [text[i:i + cols] for i in
                            range(0, len(text), cols)] if cols else []

    def speech(self):
        path = os.path.join(self.out, "speech.log")
        with open(path, "rb") as f:
            raw = f.read().decode("utf-8", "replace")
        return [l.rstrip("\r") for l in raw.split("\n") if l.strip("\r")]

    def running(self, st, pid=None):
        return (st.get("ActiveState") == "active" and
                st.get("MainPID", "0") != "0" and
                (pid is None or st.get("MainPID") == pid))

    def first_sound(self, t0):
        """Polls audio.wav from QEMU's start (T0) until loud samples
        appear (the kiosk's greeting, spoken by espeak-ng through the
        emulated sound card at boot); records the seconds taken."""
        path = os.path.join(self.out, "audio.wav")
        seen = 44
        while self.speech_at is None and time.time() - t0 < BOOT_TIMEOUT:
            try:
                with open(path, "rb") as f:
                    f.seek(seen)
                    pcm = f.read()
            except OSError:
                pcm = b""
            n = len(pcm) // 2
            if n:
                seen += n * 2
                v = struct.unpack("<%dh" % n, pcm[:n * 2])
                if any(abs(x) > LOUD for x in v):
                    self.speech_at = time.time() - t0
                    return
            time.sleep(0.25)

    def boot(self):
        img = os.path.join(self.imagedir, "dauys-test.img")
        if not os.path.exists(img):
            raise Fail("%s is missing: run make image" % img)
        t0 = self.t0 = time.time()
        self.q = Qemu(img, self.out)
        self.speech_at = None
        import threading
        self.sound = threading.Thread(target=self.first_sound, args=(t0,),
                                      daemon=True)
        self.sound.start()
        rc, lines = self.q.ask("hello", timeout=BOOT_TIMEOUT, resend=5)
        self.ok("boots from the USB stick (BIOS)",
                "%.0f s, %s" % (time.time() - t0, " ".join(lines)))

    def kiosk_on_tty1(self):
        st = self.wait("dauys", lambda: (lambda s: s if self.running(s)
                                         else None)(self.status()), 60)
        if not self.check("dauys runs", st is not None,
                          "dauys.service is not active: %s" % self.status()):
            return None
        self.check("dauys runs on tty1 as user dauys with --kiosk",
                   st.get("User") == "dauys" and st.get("Tty") == "/dev/tty1"
                   and "--kiosk" in st.get("Cmdline", "")
                   and "--speech-log" not in st.get("Cmdline", ""),
                   "user %s, tty %s, command %s" % (
                       st.get("User"), st.get("Tty"), st.get("Cmdline")))
        self.check("dauys is sandboxed (no capabilities, no new "
                   "privileges, seccomp)",
                   st.get("CapEff") == "0000000000000000" and
                   st.get("NoNewPrivs") == "1" and st.get("Seccomp") == "2",
                   "CapEff %s NoNewPrivs %s Seccomp %s" % (
                       st.get("CapEff"), st.get("NoNewPrivs"),
                       st.get("Seccomp")))
        return st

    def screen_checks(self, name):
        def shown():
            rows, cols, lines = self.screen()
            text = "\n".join(lines)
            return (rows, cols, lines) if (KAZAKH & set(text) and
                                           CYRILLIC.search(text)) else None
        r = self.wait("screen", shown, 60)
        rows, cols, lines = r if r else self.screen()
        with open(os.path.join(self.out, name + ".txt"), "w") as f:
            f.write("\n".join(l.rstrip() for l in lines) + "\n")
        png = os.path.join(self.out, name + ".png")
        self.q.screendump(png)
        self.check("tty1 shows Kazakh and Russian text", r is not None,
                   "no Kazakh letters and Cyrillic on tty1 (%s.txt)" % name)
        with open(png, "rb") as f:
            head = f.read(24)
        w, h = struct.unpack(">II", head[16:24])
        self.check("console font is 16x32 (Terminus CyrAsia bold 32x16)",
                   cols and rows and w == cols * 16 and h == rows * 32,
                   "%dx%d pixels for %dx%d cells" % (w, h, cols, rows),
                   "%dx%d cells on %dx%d pixels, %s" % (cols, rows, w, h,
                                                        png))
        return lines

    def lockdown_facts(self):
        lines = self.q.ask("lockdown")[1]
        d = kv(lines)
        units = {}
        for l in lines:
            if l.startswith("unit "):
                p = l.split()
                units[p[1]] = p[2] if len(p) > 2 else ""
        self.check("kernel.sysrq is 0", d.get("sysrq") == "0",
                   "sysrq=%s" % d.get("sysrq"))
        self.check("core dumps disabled",
                   d.get("core_pattern") == "|/bin/false",
                   "core_pattern=%s" % d.get("core_pattern"))
        self.check("ctrl-alt-del.target, gettys and debug shell masked",
                   all(v == "masked" for v in units.values()) and units,
                   "units: %s" % units)
        self.check("no login prompt runs anywhere", d.get("gettys") == "0",
                   "%s getty units active" % d.get("gettys"))
        self.check("no network service listening",
                   d.get("tcp_listen") == "0" and d.get("udp_bound") == "0",
                   "tcp listening %s, udp bound %s" % (
                       d.get("tcp_listen"), d.get("udp_bound")))
        self.check("no network without [sync]: interfaces down, networkd "
                   "and dauys-sync not running",
                   d.get("links_up") == "0" and d.get("networkd") != "active"
                   and d.get("sync") != "active",
                   "links up %s, networkd %s, dauys-sync %s" % (
                       d.get("links_up"), d.get("networkd"), d.get("sync")))
        self.check("root file system read-only",
                   d.get("root_opts", "").split(",")[0] == "ro",
                   "root mounted %s" % d.get("root_opts"))
        self.check("/var/lib/dauys writable ext4, 0700, owned by dauys",
                   d.get("data_mount", "").startswith("ext4 rw") and
                   d.get("data_dir") == "700 dauys",
                   "mount %s, dir %s" % (d.get("data_mount"),
                                         d.get("data_dir")))
        self.check("journal in memory only", d.get("journal") ==
                   "0 persistent", "persistent journals: %s" %
                   d.get("journal"))
        self.check("root cannot log in, dauys has no shell",
                   d.get("root_passwd") in ("*", "!", "!*") and
                   d.get("dauys_shell") == "/usr/sbin/nologin",
                   "root password field %r, dauys shell %r" % (
                       d.get("root_passwd"), d.get("dauys_shell")))
        self.check("no failed units", d.get("failed", "") == "",
                   "failed: %s" % d.get("failed"))

    def braille(self):
        """BRLTTY runs for a Braille display, reads no console (the kiosk
        owns tty1) and lets only the kiosk's user use its API."""
        def up():
            d = kv(self.q.ask("braille")[1])
            return d if d.get("active") == "active" else None
        d = self.wait("brltty", up, 60) or kv(self.q.ask("braille")[1])
        self.check("brltty installed, enabled and running",
                   d.get("installed") and d.get("enabled") == "enabled"
                   and d.get("active") == "active",
                   "installed %r, %s, %s" % (d.get("installed"),
                                             d.get("enabled"),
                                             d.get("active")),
                   "brltty %s" % d.get("installed"))
        vt = self.q.ask("vt")[1]
        st = self.status()
        cmd = d.get("cmdline", "")
        self.check("brltty has no screen driver; the kiosk keeps tty1",
                   d.get("screen_driver", "").startswith("no ") and
                   d.get("console_fds", "") == "" and
                   not re.search(r"(^| )(-x|--screen-driver)", cmd) and
                   vt == ["tty1"] and st.get("Tty") == "/dev/tty1",
                   "screen driver %r, console open %r, command %r, "
                   "active VT %s, dauys on %s" % (
                       d.get("screen_driver"), d.get("console_fds"), cmd,
                       vt, st.get("Tty")),
                   "screen driver %s" % d.get("screen_driver"))
        self.check("BrlAPI on its local socket for the kiosk's user only",
                   d.get("socket") == "socket" and
                   d.get("kiosk_api") == "0" and
                   d.get("other_api") not in (None, "0"),
                   "socket %r, kiosk's user %s, another user %s "
                   "(brltty-clip status)" % (d.get("socket"),
                                             d.get("kiosk_api"),
                                             d.get("other_api")),
                   "kiosk's user admitted, nobody refused with status %s"
                   % d.get("other_api"))

    def unmoved(self, name, keys, st, bootid, settle=3):
        """Presses each combination in KEYS, then checks that tty1 is still
        the active terminal, dauys still runs with the same PID and the
        machine did not reboot."""
        for combo in keys:
            self.q.keys(*combo)
        time.sleep(settle)
        vt = self.q.ask("vt")[1]
        now = self.status()
        bid = self.q.ask("bootid")[1]
        self.check(name + " does nothing",
                   vt == ["tty1"] and self.running(now, st["MainPID"]) and
                   now.get("NRestarts") == st.get("NRestarts") and
                   bid == bootid,
                   "active %s, dauys %s pid %s (was %s), restarts %s, "
                   "boot %s" % (vt, now.get("ActiveState"),
                                now.get("MainPID"), st["MainPID"],
                                now.get("NRestarts"),
                                "same" if bid == bootid else "changed"))

    def keys_locked(self, st):
        bootid = self.q.ask("bootid")[1]
        self.unmoved("Alt+F2, Alt+F3, Ctrl+Alt+F2, Alt+Right",
                     [("alt", "f2"), ("alt", "f3"), ("ctrl", "alt", "f2"),
                      ("alt", "right")], st, bootid)
        self.unmoved("Ctrl-C, Ctrl-\\, Ctrl-Z",
                     [("ctrl", "c"), ("ctrl", "backslash"), ("ctrl", "z")],
                     st, bootid)
        self.unmoved("SysRq (Alt+SysRq+B reboot, +H, +K)",
                     [("alt", "sysrq", "h"), ("alt", "sysrq", "k"),
                      ("alt", "sysrq", "b")], st, bootid)
        self.unmoved("Ctrl-Alt-Del, once and 8 times in a burst",
                     [("ctrl", "alt", "delete")] +
                     [("ctrl", "alt", "delete")] * 8, st, bootid, settle=10)

    def vtlock(self):
        return dict(l.split("=", 1) for l in self.q.ask("vtlock")[1]
                    if "=" in l)

    def restart_after_kill(self, st):
        old = st["MainPID"]
        lock0 = self.vtlock()
        rc, lines = self.q.ask("kill9")
        t0 = time.time()
        # While systemd brings the kiosk back, VT switching stays locked.
        for _ in range(3):
            self.q.keys("alt", "f2")
            time.sleep(0.4)
        vt = self.q.ask("vt")[1]
        new = self.wait("restart", lambda: (lambda s: s if self.running(s)
                        and s["MainPID"] != old else None)(self.status()),
                        30)
        took = time.time() - t0
        lock1 = self.vtlock()
        self.check("VT switching stays locked while dauys restarts",
                   vt == ["tty1"] and lock1.get("ActiveState") == "active"
                   and lock0 == lock1,
                   "Alt+F2 during the restart: active %s; "
                   "dauys-vtlock.service before %s, after %s"
                   % (vt, lock0, lock1))
        ok = (new is not None and new.get("Tty") == "/dev/tty1" and
              "--kiosk" in new.get("Cmdline", ""))
        self.check("kill -9 of dauys: systemd restarts it on tty1", ok,
                   "after kill -9 of %s: %s" % (old, new or self.status()),
                   "back in %.1f s as pid %s" % (took,
                                                 new and new["MainPID"]))
        return new

    def speech_mode(self, keypad=""):
        self.q.ask("mode speech " + keypad, timeout=90)
        st = self.wait("dauys", lambda: (lambda s: s if self.running(s)
                                         else None)(self.status()), 60)
        if st is None:
            raise Fail("dauys did not start in speech mode: %s"
                       % self.status())
        return st

    def says(self, before, timeout=30):
        """Waits for a new utterance after line BEFORE of the speech log;
        returns the new lines."""
        def new():
            lines = self.speech()
            later = lines[before:]
            return later if any(l.startswith("say\t") for l in later) \
                else None
        return self.wait("speech", new, timeout) or []

    def speaks(self):
        n0 = len(self.speech())
        st = self.speech_mode()
        said = self.says(n0)
        self.check("dauys speaks on tty1 (speech log on the serial port)",
                   any(re.match(r"say\t(kk|ru)\t.", l) for l in said),
                   "no kk/ru utterance in speech.log after start: %r"
                   % said[:5], "%d events, first %r" %
                   (len(said), said[0] if said else ""))
        self.audio()
        n1 = len(self.speech())
        self.q.keys("down")
        after = self.says(n1)
        self.check("a key press interrupts and speaks the next item",
                   after[:1] == ["stop"] and
                   any(l.startswith("say\t") for l in after),
                   "after Down: %r" % after[:5])
        n2 = len(self.speech())
        self.q.keys("f1")
        help_tty = [l for l in self.says(n2) if l.startswith("say\t")]
        return st, help_tty

    def audio(self):
        """The emulated HDA card is recorded to audio.wav (16-bit PCM):
        with the espeak engine, speech must reach it as sound."""
        path = os.path.join(self.out, "audio.wav")
        def loud():
            with open(path, "rb") as f:
                pcm = f.read()[44:]
            n = len(pcm) // 2
            v = struct.unpack("<%dh" % n, pcm[:n * 2])
            return sum(1 for x in v if abs(x) > LOUD)
        st = self.status()
        if "--speech none" in st.get("Cmdline", ""):
            return
        n = self.wait("audio", loud, 30)
        self.check("speech reaches the sound card (espeak-ng, ALSA, HDA)",
                   n, "audio.wav has no samples above %d (level %d, %d dB)"
                   % (LOUD, LEVEL, LEVEL_DB),
                   "%d samples above %d (level %d, %d dB) in %s"
                   % (n or 0, LOUD, LEVEL, LEVEL_DB, path))

    def numpad(self, help_tty):
        prof = os.path.join(TOP, "data", "keypad", "numpad.profile")
        if not os.path.exists(prof):
            self.pend("numpad profile through libinput on the USB keyboard",
                      "data/keypad/numpad.profile and dauys --keypad are "
                      "not in this tree yet (keypad work not merged)")
            return
        key = None
        with open(prof) as f:
            for l in f:
                p = l.split("#")[0].split()
                if len(p) >= 2 and p[1] == "help" and p[0] in QCODES:
                    key = p[0]
                    break
        if key is None:
            self.fail("numpad profile", "no key bound to help in " + prof)
            return
        inputs = self.q.ask("inputs")[1]
        dev = [i for i in inputs if "QEMU" in i and i.endswith("event-kbd")]
        if not dev:
            self.fail("numpad profile", "no USB keyboard in "
                      "/dev/input/by-id: %s" % inputs)
            return
        n0 = len(self.speech())
        self.speech_mode("/dev/input/by-id/" + dev[0])
        self.says(n0)
        n1 = len(self.speech())
        self.q.keys(QCODES[key])
        got = [l for l in self.says(n1) if l.startswith("say\t")]
        # The same help opens (its title), and its instructions name the keys of the input the
        # voter used: the keypad's, so not F1 as on the terminal.
        f1 = "say\ten\tF one"
        self.check("numpad profile through libinput: %s gives help like F1, "
                   "naming the keypad's keys" % key,
                   len(got) >= 2 and len(help_tty) >= 2 and
                   got[0] == help_tty[0] and f1 in help_tty and
                   f1 not in got,
                   "after %s: %r; F1 on the terminal said %r"
                   % (key, got[:6], help_tty[:6]),
                   "%r, %d utterances" % (got[0] if got else "", len(got)))

    def bench(self):
        """Right after the boot, before any restart of dauys: the time
        to the first loud samples is the production kiosk's greeting. A
        kiosk silent at boot is a voter who hears nothing (the card starts
        muted; the kiosk sets its mixer at start, kiosk/cmd_run.c)."""
        self.sound.join(120)
        if not self.check("the first kiosk after boot is heard (its "
                          "greeting reaches the sound card)",
                          self.speech_at is not None,
                          "no samples above %d in audio.wav %.0f s after "
                          "QEMU started (serial.log, journal.log)"
                          % (LOUD, time.time() - self.t0),
                          "%.1f s after QEMU started" % (self.speech_at or 0)):
            return
        print("BENCH boot_to_speech_s %.1f" % self.speech_at, flush=True)

    def make_stick(self):
        """A FAT USB stick image made without mounting anything
        (mkfs.vfat, mtools) holding the demo election package."""
        path = os.path.join(self.out, "stick.img")
        if os.path.exists(path):
            os.unlink(path)
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        subprocess.run(["truncate", "-s", "32M", path], check=True)
        subprocess.run(["mkfs.vfat", "-n", "DAUYSSTICK", path], check=True,
                       capture_output=True)
        pkg = os.path.join(TOP, "data", "demo", "election")
        subprocess.run(["mmd", "-i", path, "::/demo"], check=True, env=env)
        subprocess.run(["mcopy", "-i", path,
                        os.path.join(pkg, "election.json"),
                        os.path.join(pkg, "election.json.sig"), "::/demo/"],
                       check=True, env=env)
        with open(os.path.join(pkg, "election.json"), "rb") as f:
            import hashlib
            self.stick_hash = hashlib.sha256(f.read()).hexdigest()
        return path

    def media(self):
        return kv(self.q.ask("media")[1])

    def screen_text(self):
        return "\n".join(self.screen()[2])

    def screen_has(self, text, timeout=30):
        return self.wait("screen", lambda: fold(text) in
                         fold(self.screen_text()), timeout)

    def type_digits(self, digits):
        for d in digits:
            self.q.keys(d)

    def usb_stick(self):
        """Hot-plugs a USB stick (QMP: blockdev-add, device_add
        usb-storage on the xHCI bus; writes throttled): the helper mounts it read-only at
        /run/dauys/media, staff see the package listed, load it, write the
        stencils and the stick is pulled during the write: nothing is lost
        and the kiosk keeps working."""
        pin = self.pin
        self.q.ask("pin " + pin, timeout=60)
        self.q.ask("testconf")
        st = self.speech_mode()
        path = self.make_stick()
        # Writes to the stick are throttled (32 KiB/s: the stencils take
        # about 10 s), so that it can be pulled while the helper copies.
        self.q.command("object-add", **{
            "qom-type": "throttle-group", "id": "slowstick",
            "limits": {"bps-write": 32768}})
        self.q.command("blockdev-add", **{
            "node-name": "stickraw", "driver": "raw",
            "file": {"driver": "file", "filename": path}})
        self.q.command("blockdev-add", **{
            "node-name": "stick2", "driver": "throttle",
            "throttle-group": "slowstick", "file": "stickraw"})
        self.q.command("device_add", driver="usb-storage", bus="xhci.0",
                       drive="stick2", id="stick2", removable=True)
        d = self.wait("mount", lambda: (lambda m: m if m.get("mount")
                                        else None)(self.media()), 60)
        d = d or self.media()
        opts = d.get("mount", "").split(" ")
        flags = opts[2].split(",") if len(opts) > 2 else []
        self.check("USB stick mounted by dauys-media read-only, nosuid, "
                   "nodev, noexec at /run/dauys/media",
                   len(opts) == 3 and opts[1] == "vfat" and
                   all(f in flags for f in ("ro", "nosuid", "nodev",
                                            "noexec")),
                   "mount %r, units %s" % (d.get("mount"), d.get("units")),
                   d.get("mount"))
        self.check("the kiosk's user reads the stick",
                   "election.json" in d.get("list", ""),
                   "ls as dauys: %s" % d.get("list"))
        # Staff: F10, the PIN, the election menu, Load election package.
        self.q.keys("f10")
        time.sleep(1)
        self.type_digits(pin)
        self.q.keys("ret")
        time.sleep(1)
        self.q.keys("ret")
        time.sleep(1)
        self.q.keys("ret")
        short = self.stick_hash[:7]
        listed = self.screen_has(short, 30)
        text = self.screen_text()
        with open(os.path.join(self.out, "stick-list.txt"), "w") as f:
            f.write(text + "\n")
        self.check("the kiosk lists the package on the stick (id, date, "
                   "short hash)",
                   listed and "demo-2026-almaly-district-7" in text and
                   "2026-03-15" in text,
                   "stick-list.txt: %r" % text[:400], "hash " + short)
        if not listed:
            return
        self.q.keys("ret")
        loaded = self.wait("load", lambda: any(
            "package loaded id=demo-2026-almaly-district-7" in l
            for l in self.q.ask("journal", timeout=60)[1]), 60)
        self.check("the package loads from the stick", loaded,
                   "no 'package loaded' in the journal")
        # Write stencils: the 5th option of the election menu. First with
        # the stick in: the helper copies them, the stick is read on the
        # host (mtools) while still attached.
        self.q.keys("esc")
        time.sleep(1)
        for _ in range(4):
            self.q.keys("down")
        self.q.keys("ret")
        def written():
            m = self.media()
            return ("stencils-" in m.get("list", "") and
                    not m.get("spool", "").strip() and
                    m.get("writing") == "0")
        t0 = time.time()
        done = self.wait("written", written, 120)
        took = time.time() - t0
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        ls = subprocess.run(["mdir", "-b", "-i", path,
                             "::/stencils-demo-2026-almaly-district-7"],
                            capture_output=True, text=True, env=env).stdout
        names = sorted(os.path.basename(l.strip()) for l in ls.split("\n")
                       if l.strip())
        d = self.media()
        self.check("stencils written onto the stick through the helper "
                   "(read back on the host), the spool emptied",
                   done and len([n for n in names if n.endswith(
                       (".svg", ".pdf", ".png"))]) == 9 and
                   not any(n.endswith(".part") for n in names) and
                   not d.get("spool", "").strip() and
                   "ro," in d.get("mount", ""),
                   "on the stick %r, spool %r, mount %r" % (
                       names, d.get("spool"), d.get("mount")),
                   "%d files in %.0f s" % (len(names), took))
        self.q.keys("esc")
        time.sleep(1)
        # Again, and the stick is pulled while the helper copies.
        n0 = len(self.speech())
        self.q.keys("ret")
        t0 = time.time()
        during = self.wait("write", lambda: self.q.ask("writing")[1] not in
                           (["0"], []), 90)
        self.q.command("device_del", id="stick2")
        pulled = time.time() - t0
        gone = self.wait("unmount", lambda: not self.media().get("mount"),
                         30)
        self.check("the stick pulled: unmounted", gone,
                   "still mounted: %s" % self.media())
        self.says(n0, 60)
        time.sleep(2)
        d = self.media()
        now = self.status()
        kept = d.get("spool", "").strip() != ""
        shown = self.screen_text()
        with open(os.path.join(self.out, "stick-write.txt"), "w") as f:
            f.write(shown + "\n")
        rc, journal = self.q.ask("journal", timeout=60)
        with open(os.path.join(self.out, "stick-journal.log"), "w") as f:
            f.write("\n".join(journal) + "\n")
        if not kept:
            # The job leaves the spool only once the helper confirmed it.
            self.pend("the stick pulled mid-copy", "the copy finished "
                      "before the pull (%.1f s after Enter)" % pulled)
        elif not during:
            self.fail("the stick pulled mid-copy", "no write request "
                      "reached the helper in %.0f s and the write failed "
                      "(stick-write.txt, stick-journal.log): %r"
                      % (pulled, " ".join(shown.split())[:300]))
        else:
            self.check("the stick pulled during the write: the files stay "
                       "in the spool, the kiosk runs on and says so",
                       kept and self.running(now, st["MainPID"]),
                       "spool %r, dauys %s pid %s (was %s)" % (
                           d.get("spool"), now.get("ActiveState"),
                           now.get("MainPID"), st["MainPID"]),
                       "pulled %.1f s after Enter, spool %s" % (
                           pulled, d.get("spool")))
        n1 = len(self.speech())
        self.q.keys("esc")
        after = self.says(n1, 30)
        self.check("the terminal still answers keys after the pull",
                   any(l.startswith("say\t") for l in after),
                   "nothing spoken after Escape: %r" % after[:5])

    # -- the staff journey (issue 12, item 8) ------------------------------
    def attach_stick(self, path, name):
        """Hot-plugs the image file PATH as a USB stick (QMP blockdev-add,
        device_add usb-storage on the xHCI bus) with the id NAME."""
        self.q.command("blockdev-add", **{
            "node-name": name + "raw", "driver": "raw",
            "file": {"driver": "file", "filename": path}})
        self.q.command("device_add", driver="usb-storage", bus="xhci.0",
                       drive=name + "raw", id=name, removable=True)
        return self.wait("mount", lambda: (lambda m: m if m.get("mount")
                                           else None)(self.media()), 60)

    def focus(self, texts, tries=12):
        """Moves the selection (Down) to the option showing one of TEXTS
        (kk or ru); True when it is there."""
        for _ in range(tries):
            for line in self.screen()[2]:
                if "▶" in line and any(fold(t) in fold(line) for t in texts):
                    return True
            self.q.keys("down")
            time.sleep(0.5)
        return False

    def type_text(self, text):
        names = {"/": "slash", "-": "minus", ".": "dot", "_": "shift-minus"}
        for ch in text:
            k = names.get(ch, ch)
            if k.startswith("shift-"):
                self.q.keys("shift", k[6:])
            else:
                self.q.keys(k)

    def staff_stick(self):
        """A FAT stick image (mkfs.vfat, mtools; nothing mounted) with a
        terminal configuration signed with the test provisioning key
        (commission member and technician PINs, the demo election key)
        at its root and the demo election package in demo/."""
        work = os.path.join(self.out, "staff")
        os.makedirs(work, exist_ok=True)
        with open(os.path.join(TOP, "data", "demo", "demo.pub")) as f:
            ek = [l.strip() for l in f if l.strip() and
                  not l.startswith("#")][0]
        src = os.path.join(work, "source.json")
        with open(src, "w") as f:
            json.dump({
                "format": "dauys-terminal/1", "serial": 7,
                "terminal_id": "IMG-TEST-01",
                "location": {"kk": "Сынақ учаскесі", "ru": "Тестовый участок"},
                "mode": "voting", "default_language": "kk+ru",
                "staff": {"commission-member": None, "technician": None},
                "election_public_keys": [ek], "printer": "none",
                "idle": {"warning_s": 300, "grace_s": 45}}, f, indent=2)
        cfg = os.path.join(work, "cfg")
        dauys = os.path.join(TOP, "build", "dauys")
        if not os.path.exists(dauys):
            subprocess.run(["make", "-C", TOP, "build/dauys"], check=True,
                           capture_output=True)
        r = subprocess.run([dauys, "terminal",
                            "sign", src, "--secret",
                            os.path.join(TOP, "images", "test-provision.key"),
                            "--out", cfg,
                            "--pin", "commission-member=" + self.staff_pin,
                            "--pin", "technician=975310"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise Fail("dauys terminal sign: " + r.stderr.strip())
        path = os.path.join(self.out, "staff-stick.img")
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        subprocess.run(["truncate", "-s", "32M", path], check=True)
        subprocess.run(["mkfs.vfat", "-n", "DAUYSSTAFF", path], check=True,
                       capture_output=True)
        subprocess.run(["mcopy", "-i", path,
                        os.path.join(cfg, "terminal.json"),
                        os.path.join(cfg, "terminal.json.sig"), "::/"],
                       check=True, env=env)
        pkg = os.path.join(TOP, "data", "demo", "election")
        subprocess.run(["mmd", "-i", path, "::/demo"], check=True, env=env)
        subprocess.run(["mcopy", "-i", path,
                        os.path.join(pkg, "election.json"),
                        os.path.join(pkg, "election.json.sig"), "::/demo/"],
                       check=True, env=env)
        with open(os.path.join(pkg, "election.json"), "rb") as f:
            import hashlib
            self.stick_hash = hashlib.sha256(f.read()).hexdigest()
        return path

    def staff_journey(self):
        """Commission staff on the real appliance configuration (the
        image's dauys.conf: a signed terminal configuration required):
        the not-configured screen, configured from a stick signed with
        the test provisioning key, staff login with the configured PIN,
        the package loaded from the stick's list, voting opened, one voter
        session to "where to mark", kill -9 and voting still open, voting
        closed, the close-of-day report written to the stick and its
        audit head compared with `dauys audit verify`."""
        self.staff_pin = "246810"
        path = self.staff_stick()
        self.q.ask("untestconf")
        n0 = len(self.speech())
        st = self.speech_mode()
        unconf = ("Бұл терминал бапталмаған", "Этот терминал не настроен")
        shown = self.wait("unconfigured", lambda: any(
            fold(t) in fold(self.screen_text()) for t in unconf), 30)
        said = self.wait("unconfigured", lambda: any(
            any(t in l for t in unconf) for l in self.speech()[n0:]), 30)
        with open(os.path.join(self.out, "staff-unconfigured.txt"), "w") as f:
            f.write(self.screen_text() + "\n")
        if not self.check("staff journey: the image's configuration starts "
                          "on the not-configured screen (shown and spoken, "
                          "kk and ru)", shown and said,
                          "staff-unconfigured.txt; spoken %r"
                          % self.speech()[n0:n0 + 6]):
            return
        d = self.attach_stick(path, "staff")
        if not self.check("staff journey: the staff stick is mounted",
                          d is not None, "media: %s" % self.media()):
            return
        self.q.keys("ret")
        ok = self.screen_has("IMG-TEST-01", 60)
        with open(os.path.join(self.out, "staff-configured.txt"), "w") as f:
            f.write(self.screen_text() + "\n")
        if not self.check("staff journey: configured from the stick "
                          "(signed with the test provisioning key)", ok,
                          "staff-configured.txt: %r"
                          % " ".join(self.screen_text().split())[:300]):
            return
        if self.staff_journey2():
            self.staff_journey3(path)

    def dump(self, name):
        text = self.screen_text()
        with open(os.path.join(self.out, "staff-%s.txt" % name), "w") as f:
            f.write(text + "\n")
        return text

    def staff_login(self, pin):
        """F10, the PIN, Enter: True at the staff menu."""
        self.q.keys("f10")
        time.sleep(1)
        self.type_digits(pin)
        self.q.keys("ret")
        return self.screen_has("Қызметкер мәзірі", 30) or \
            self.screen_has("Меню сотрудника", 5)

    def staff_journey2(self):
        """Configured: staff, the package, voting open."""
        n0 = len(self.speech())
        self.q.keys("ret")
        back = self.wait("welcome", lambda: any(
            "Сәлеметсіз" in l for l in self.speech()[n0:]), 60)
        self.dump("welcome")
        if not self.check("staff journey: the kiosk starts again, "
                          "configured (the welcome is spoken)", back,
                          "staff-welcome.txt; spoken %r"
                          % self.speech()[n0:n0 + 6]):
            return False
        menu = self.staff_login(self.staff_pin)
        text = self.dump("menu")
        if not self.check("staff journey: staff login with the configured "
                          "PIN (commission member)", menu and
                          "IMG-TEST-01" in text,
                          "staff-menu.txt: %r" % " ".join(text.split())[:300]):
            return False
        self.focus(("Сайлау пакеті және дауыс беру",
                    "Пакет выборов и голосование"))
        self.q.keys("ret")
        time.sleep(1)
        self.focus(("Сайлау пакетін жүктеу", "Загрузить пакет выборов"))
        self.q.keys("ret")
        short = self.stick_hash[:7]
        listed = self.screen_has(short, 30)
        self.dump("list")
        self.q.keys("ret")
        loaded = self.wait("load", lambda: any(
            "package loaded id=demo-2026-almaly-district-7" in l
            for l in self.q.ask("journal", timeout=60)[1][-60:]), 60)
        self.dump("loaded")
        if not self.check("staff journey: the package loaded from the "
                          "stick's list", listed and loaded,
                          "listed %s, loaded %s (staff-list.txt, "
                          "staff-loaded.txt)" % (bool(listed), bool(loaded))):
            return False
        self.q.keys("esc")
        time.sleep(1)
        self.focus(("Дауыс беруге көмекті ашу",
                    "Открыть помощь в голосовании"))
        self.q.keys("ret")
        opened = self.screen_has("Дауыс беруге көмек ашық", 30) or \
            self.screen_has("Помощь в голосовании открыта", 5)
        self.dump("opened")
        if not self.check("staff journey: voting assistance opened", opened,
                          "staff-opened.txt: %r"
                          % " ".join(self.screen_text().split())[:300]):
            return False
        return True

    def staff_journey3(self, path):
        """A voter session, kill -9, voting still open, closed, the
        close-of-day report on the stick."""
        self.q.keys("esc")
        time.sleep(1)
        self.q.keys("esc")
        time.sleep(1)
        n0 = len(self.speech())
        self.q.keys("ret")          # welcome: Қазақша
        time.sleep(1)
        if self.screen_has("пернелерді үйренгіңіз", 3):
            self.focus(("Мәзірге өту",))
            self.q.keys("ret")
            time.sleep(1)
        self.q.keys("ret")          # home: voting assistance
        time.sleep(1)
        self.focus(("Дауыс беруді бастау",))
        self.q.keys("ret")
        time.sleep(1)
        for _ in range(3):          # the window, choose it, yes
            self.q.keys("ret")
            time.sleep(1)
        mark = "Белгіні қайда қою керек"
        said = self.wait("mark", lambda: any(
            mark in l for l in self.speech()[n0:]), 30)
        self.dump("voter")
        if not self.check("staff journey: one voter session to \"where to "
                          "mark\" (speech log)", said,
                          "staff-voter.txt; spoken %r" % [
                              l for l in self.speech()[n0:]
                              if l.startswith("say")][-6:]):
            return False
        old = self.status()["MainPID"]
        self.q.ask("kill9")
        new = self.wait("restart", lambda: (lambda s: s if self.running(s)
                        and s["MainPID"] != old else None)(self.status()),
                        30)
        time.sleep(3)
        menu = new is not None and self.staff_login(self.staff_pin)
        if menu:
            self.focus(("Сайлау пакеті және дауыс беру",
                        "Пакет выборов и голосование"))
            self.q.keys("ret")
        still = menu and (self.screen_has("Дауыс беруге көмек ашық", 30) or
                          self.screen_has("Помощь в голосовании открыта", 3))
        self.dump("after-kill")
        if not self.check("staff journey: kill -9 of dauys, and after the "
                          "restart voting is still open", still,
                          "restarted %s, staff menu %s; staff-after-kill.txt"
                          % (new is not None, menu)):
            return False
        self.focus(("Дауыс беруге көмекті жабу",
                    "Закрыть помощь в голосовании"))
        self.q.keys("ret")
        closed = self.screen_has("Дауыс беруге көмек жабық", 30) or \
            self.screen_has("Помощь в голосовании закрыта", 3)
        self.dump("closed")
        if not self.check("staff journey: voting assistance closed", closed,
                          "staff-closed.txt"):
            return False
        self.q.keys("esc")
        time.sleep(1)
        self.focus(("Күн соңындағы есеп", "Отчёт за день"))
        self.q.keys("ret")
        time.sleep(1)
        self.type_text("/run/dauys/media")
        self.q.keys("ret")
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        def on_stick():
            m = self.media()
            if "close-of-day-" not in m.get("list", "") or \
                    m.get("writing") != "0":
                return None
            ls = subprocess.run(["mdir", "-b", "-i", path, "::/"],
                                capture_output=True, text=True,
                                env=env).stdout
            pdfs = [os.path.basename(l.strip()) for l in ls.split("\n")
                    if "close-of-day-" in l and l.strip().endswith(".pdf")]
            return pdfs or None
        pdfs = self.wait("report", on_stick, 90)
        self.dump("report")
        rc, lines = self.q.ask("audit", timeout=60)
        head = kv(l.replace(":", "=", 1) for l in lines
                  if l.startswith("head:")).get("head", "")
        chain = [l.split(" ", 3)[1:] for l in lines
                 if l.startswith("entry ")]
        text = ""
        if pdfs:
            pdf = os.path.join(self.out, pdfs[0])
            subprocess.run(["mcopy", "-o", "-i", path, "::/" + pdfs[0], pdf],
                           check=True, env=env)
            text = subprocess.run(["pdftotext", "-layout", pdf, "-"],
                                  capture_output=True, text=True).stdout
            with open(pdf + ".txt", "w") as f:
                f.write(text)
        # The head on the report (its count and short hash) is the head of
        # the trail `dauys audit verify` accepted: nothing after it (the
        # copy onto the stick is audited only when it fails).
        at = None
        for k, e in enumerate(chain):
            if len(e) == 3 and re.search(r"\b%s\D{1,40}%s\b"
                                         % (e[0], e[1][:7]), text):
                at = k
        after = [e[2] for e in chain[at + 1:]] if at is not None else []
        self.check("staff journey: the close-of-day report written to the "
                   "stick, read back on the host: its audit head is the head "
                   "of the trail `dauys audit verify` accepts, one voter session",
                   rc == 0 and pdfs and head and at is not None and
                   not after and
                   "IMG-TEST-01" in text and
                   re.search(r"(сеанстары|сеансов[^:]*): 1\b", text),
                   "audit verify rc %d head %r; on the stick %r; entries "
                   "after the report's head %r; report text %r"
                   % (rc, head, pdfs, after, " ".join(text.split())[:500]),
                   "%s, report head %s, verify head %s, after it %r" % (
                       pdfs[0] if pdfs else "",
                       " ".join(chain[at][:2])[:40] if at is not None
                       else None, head[:30], after))
        return True

    def data_full(self):
        """The data partition filled up: after a restart the kiosk says
        (kk or ru, shown and spoken) that applications cannot be taken,
        still offers voting assistance, and staff see why on the
        Applications screen."""
        full = (DATA_FULL_KK, DATA_FULL_RU)
        df = self.q.ask("fill", timeout=120)[1]
        try:
            n0 = len(self.speech())
            st = self.speech_mode()
            shown = self.wait("notice", lambda: any(
                fold(t) in fold(self.screen_text()) for t in full), 30)
            said = self.wait("notice", lambda: any(
                any(t in l for t in full) for l in self.speech()[n0:]), 30)
            with open(os.path.join(self.out, "data-full.txt"), "w") as f:
                f.write(self.screen_text() + "\n")
            self.check("data partition full: the kiosk says applications "
                       "cannot be taken (shown and spoken)",
                       shown and said, "data-full.txt; spoken: %r" %
                       self.speech()[n0:n0 + 12], "df %s" % " ".join(df))
            self.q.keys("ret")
            voting = self.wait("voting", lambda: any(
                fold(t) in fold(self.screen_text())
                for t in ("Дауыс беруге көмек", "Помощь в голосовании")),
                               30)
            self.check("data partition full: voting assistance still "
                       "offered", voting, "home screen: %r"
                       % self.screen_text()[:300])
            self.q.keys("f10")
            time.sleep(1)
            self.type_digits(self.pin)
            self.q.keys("ret")
            time.sleep(1)
            self.q.keys("down")
            self.q.keys("ret")
            why = self.wait("staff", lambda: any(
                fold(t) in fold(self.screen_text()) for t in full), 30)
            self.check("data partition full: staff see why (Applications)",
                       why, "applications screen: %r"
                       % self.screen_text()[:300])
        finally:
            self.q.ask("unfill", timeout=60)

    def damaged_copy(self):
        """A copy of the test image whose data partition has its primary
        ext4 superblock zeroed: it is not found by its UUID, so its mount
        fails after the device timeout (fsck -p does not use backups)."""
        img = os.path.join(self.imagedir, "dauys-test.img")
        out = subprocess.run(["sfdisk", "-J", img], capture_output=True,
                             check=True, text=True).stdout
        data = json.loads(out)["partitiontable"]["partitions"][2]
        copy = os.path.join(self.out, "damaged.img")
        subprocess.run(["cp", "--sparse=always", img, copy], check=True)
        subprocess.run(["dd", "if=/dev/zero", "of=" + copy, "bs=512",
                        "seek=%d" % (data["start"] + 2), "count=8",
                        "conv=notrunc", "status=none"], check=True)
        return copy

    def save_journal(self, q, out):
        try:
            rc, lines = q.ask("journal", timeout=60)
            with open(os.path.join(out, "journal.log"), "w") as f:
                f.write("\n".join(lines) + "\n")
        except (Fail, OSError):
            pass

    def uefi(self):
        """Boots once more with OVMF (UEFI firmware), from a copy of the
        test image whose data partition is damaged: the kiosk must start
        and tell staff that nothing can be saved."""
        fw = "/usr/share/ovmf/OVMF.fd"
        if not os.path.exists(fw):
            self.fail("boots with UEFI", fw + " is missing (ovmf)")
            return
        out = os.path.join(self.out, "uefi")
        os.makedirs(out, exist_ok=True)
        img = self.damaged_copy()
        t0 = time.time()
        q = Qemu(img, out, firmware=fw)
        self.q, old = q, self.q
        try:
            q.ask("hello", timeout=BOOT_TIMEOUT, resend=5)
            efi = kv(q.ask("efi")[1]).get("efi")
            st = self.wait("dauys", lambda: (lambda s: s if self.running(s)
                                             else None)(self.status()), 60)
            self.check("boots with UEFI (OVMF, systemd-boot) into the kiosk",
                       efi == "1" and st is not None,
                       "efi=%s, dauys %s" % (efi, st or self.status()),
                       "%.0f s" % (time.time() - t0))
            bad = (DATA_RO_KK, DATA_RO_RU)
            told = self.wait("notice", lambda: any(
                fold(t) in fold(self.screen_text()) for t in bad), 60)
            d = kv(q.ask("data")[1])
            with open(os.path.join(self.out, "data-damaged.txt"), "w") as f:
                f.write(self.screen_text() + "\n")
            if not self.check("data partition damaged: not mounted, the "
                              "kiosk starts and tells staff",
                              not d.get("mount") and st is not None and told,
                              "data mount %r, dauys %s, kiosk's view %r, "
                              "kiosk can write: %r; data-damaged.txt, "
                              "uefi/journal.log" % (
                                  d.get("mount"), st is not None,
                                  d.get("kiosk_mount"),
                                  d.get("kiosk_write"))):
                rc, journal = q.ask("journal", timeout=60)
                with open(os.path.join(out, "journal.log"), "w") as f:
                    f.write("\n".join(journal) + "\n")
        finally:
            self.q = old
            q.close()
            os.unlink(img)

    def run(self):
        self.static_production()
        self.boot()
        st = self.kiosk_on_tty1()
        self.screen_checks("screen")
        self.bench()
        self.lockdown_facts()
        self.braille()
        if st:
            self.keys_locked(st)
            st = self.restart_after_kill(self.status())
            if st:
                self.screen_checks("screen-after-kill")
        # The voter's checks run on a configured terminal (the agent's
        # test configuration, as the stick's checks do): with the image's
        # require_terminal_config = yes, the kiosk would otherwise show
        # only the "not configured" screen.
        self.q.ask("pin " + self.pin, timeout=60)
        self.q.ask("testconf")
        st, help_tty = self.speaks()
        self.numpad(help_tty)
        self.usb_stick()
        self.data_full()
        self.staff_journey()
        self.q.ask("mode kiosk", timeout=90)
        if self.failed:
            self.save_journal(self.q, self.out)
        self.q.close()
        self.q = None
        self.uefi()


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip().split("\n")[-1], file=sys.stderr)
        return 2
    imagedir = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(TOP, "build",
                                                            "image-test")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    t = Test(imagedir, out)
    import signal

    def too_long(sig, frame):
        raise Fail("image-test took longer than %d s" % TOTAL_TIMEOUT)
    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(TOTAL_TIMEOUT)
    try:
        t.run()
    except (Fail, OSError) as e:
        t.fail("image-test", str(e))
    finally:
        signal.alarm(0)
        if t.q is not None:
            if t.failed:
                try:
                    rc, lines = t.q.ask("journal", timeout=60)
                    with open(os.path.join(out, "journal.log"), "w") as f:
                        f.write("\n".join(lines) + "\n")
                except (Fail, OSError):
                    pass
            t.q.close()
    print("image-test: %d passed, %d failed, %d pending in %.0f s; serial "
          "log, speech log and screenshots in %s"
          % (t.passed, t.failed, t.pending, time.time() - t.start, out))
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
