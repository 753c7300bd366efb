"""A headless Chromium driven over the Chrome DevTools Protocol, through a pipe: the standard library only.

Chromium started with `--remote-debugging-pipe` reads protocol messages on its file descriptor 3 and writes
them on 4, each a JSON object ended by a NUL byte (what Puppeteer and Playwright use). Everything the audit
needs is DevTools anyway (every cookie with its flags, requests with their initiator, screenshots, a fresh
profile per state as a browser context), so it needs neither Selenium nor chromedriver, and the package
keeps no runtime dependency.

Which Chromium: `--chromium PATH`, else $CONSENT_BANNER_CHROMIUM, else Debian's /usr/bin/chromium (what
the test suite drives), else the first of chromium, chromium-browser, google-chrome-stable, google-chrome
on PATH. None: BrowserMissing, whose message names the Debian package.
"""

import fcntl
import json
import os
import shutil
import signal
import tempfile
import threading
import time

DEBIAN_CHROMIUM = "/usr/bin/chromium"
NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")
ENV = "CONSENT_BANNER_CHROMIUM"
FLAGS = ("--headless=new", "--remote-debugging-pipe", "--no-first-run", "--no-default-browser-check",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         "--disable-dev-shm-usage", "--disable-gpu", "--password-store=basic", "--use-mock-keychain",
         "--window-size=1280,900", "about:blank")


class BrowserMissing(Exception):
    """No Chromium to run: the message says what to install."""


class BrowserError(Exception):
    """Chromium stopped, or answered a command with an error."""


def find_chromium(explicit=None):
    """The Chromium executable to run (see the module's docstring)."""
    if explicit:
        if os.path.isfile(explicit) and os.access(explicit, os.X_OK):
            return explicit
        found = shutil.which(explicit)
        if found:
            return found
        raise BrowserMissing("no Chromium at %s (given with --chromium)" % explicit)
    if os.environ.get(ENV):
        path = os.environ[ENV]
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
        raise BrowserMissing("no Chromium at %s (given by $%s)" % (path, ENV))
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return DEBIAN_CHROMIUM
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserMissing(
        "Chromium is not installed (looked for %s, then %s on PATH). On Debian or Ubuntu: "
        "`sudo apt-get install chromium` (the audit drives it directly over DevTools: chromedriver is not "
        "needed); elsewhere give its path with --chromium PATH or $%s." % (DEBIAN_CHROMIUM, ", ".join(NAMES), ENV))


class Chromium:
    """One Chromium process and its DevTools connection. `send` waits for a command's answer; events go
    to the callable `on_event(message)`, run on the reader thread: it must not wait for answers itself
    (use `post`, which does not wait)."""

    def __init__(self, path, extra_flags=(), on_event=None, timeout=30):
        self.timeout = timeout
        self.on_event = on_event or (lambda message: None)
        self.profile = tempfile.mkdtemp(prefix="consent-banner-audit-")
        self.lock = threading.Lock()
        self.next_id = 0
        self.waiting = {}
        self.closed = None
        to_child, self._write = os.pipe()          # we write, Chromium reads on its fd 3
        self._read, from_child = os.pipe()         # Chromium writes on its fd 4, we read
        flags = list(FLAGS[:-1]) + ["--user-data-dir=" + self.profile] + list(extra_flags) + [FLAGS[-1]]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            flags.insert(0, "--no-sandbox")        # Chromium refuses to run as root with its sandbox
        self.log = tempfile.TemporaryFile()
        # Chromium's pipe must be its fds 3 and 4: set in the child by posix_spawn (no preexec_fn, which is
        # unsafe with threads; no shell). Moved above 9 first, so that no dup2 overwrites the other end.
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_child, from_child)]
        for fd in (to_child, from_child):
            os.close(fd)
        try:
            self.pid = os.posix_spawn(path, [path] + flags, dict(os.environ), file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                (os.POSIX_SPAWN_DUP2, self.log.fileno(), 2),
                (os.POSIX_SPAWN_DUP2, ends[0], 3),
                (os.POSIX_SPAWN_DUP2, ends[1], 4)])
        except OSError as error:
            raise BrowserMissing("cannot run %s: %s" % (path, error.strerror or error))
        finally:
            for fd in ends:
                os.close(fd)
        self.status = None
        self.reader = threading.Thread(target=self._reader, daemon=True)
        self.reader.start()
        try:
            self.version = self.send("Browser.getVersion")["product"]
        except BrowserError as error:
            self.close()
            raise BrowserMissing("%s did not start: %s" % (path, error))

    # -- transport -----------------------------------------------------------------------------------------
    def _reader(self):
        buffer = b""
        while True:
            try:
                chunk = os.read(self._read, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                try:
                    message = json.loads(raw.decode("utf-8"))
                except ValueError:
                    continue
                if "id" in message:
                    with self.lock:
                        slot = self.waiting.pop(message["id"], None)
                    if slot is not None:
                        slot[1] = message
                        slot[0].set()
                else:
                    try:
                        self.on_event(message)
                    except Exception:              # an event handler's fault must not stop the reader
                        pass
        with self.lock:
            self.closed = self._stderr_tail() or "Chromium closed its DevTools pipe"
            waiting, self.waiting = self.waiting, {}
        for slot in waiting.values():
            slot[0].set()

    def _stderr_tail(self):
        try:
            self.log.seek(0)
            lines = [line for line in self.log.read().decode("utf-8", "replace").splitlines() if line.strip()]
        except (OSError, ValueError):
            return ""
        return " / ".join(lines[-3:])

    def _write_message(self, message):
        data = json.dumps(message).encode("utf-8") + b"\0"
        try:
            while data:
                data = data[os.write(self._write, data):]
        except OSError as error:
            raise BrowserError("Chromium is gone (%s)" % (self.closed or error))

    def post(self, method, params=None, session=None):
        """Send a command without waiting for its answer."""
        with self.lock:
            if self.closed:
                raise BrowserError("Chromium is gone (%s)" % self.closed)
            self.next_id += 1
            message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._write_message(message)

    def send(self, method, params=None, session=None, timeout=None):
        """A command's result; BrowserError on an error answer, a timeout, or Chromium gone."""
        slot = [threading.Event(), None]
        with self.lock:
            if self.closed:
                raise BrowserError("Chromium is gone (%s)" % self.closed)
            self.next_id += 1
            ident = self.next_id
            self.waiting[ident] = slot
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._write_message(message)
        if not slot[0].wait(timeout or self.timeout):
            with self.lock:
                self.waiting.pop(ident, None)
            raise BrowserError("%s: no answer from Chromium within %d s" % (method, timeout or self.timeout))
        answer = slot[1]
        if answer is None:
            raise BrowserError("Chromium is gone (%s)" % self.closed)
        if "error" in answer:
            raise BrowserError("%s: %s" % (method, answer["error"].get("message", answer["error"])))
        return answer.get("result", {})

    def running(self):
        if self.status is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                pid, status = self.pid, 0
            if pid:
                self.status = status
        return self.status is None

    def _wait(self, timeout):
        deadline = time.monotonic() + timeout
        while self.running() and time.monotonic() < deadline:
            time.sleep(0.05)
        return not self.running()

    def close(self):
        """Close Chromium (Browser.close, then SIGKILL after 5 s), wait for it, remove its profile."""
        try:
            if self.running():
                try:
                    self.post("Browser.close")
                except BrowserError:
                    pass
                if not self._wait(5):
                    os.kill(self.pid, signal.SIGKILL)
                    self._wait(5)
        finally:
            self.reader.join(5)              # Chromium gone, its end of the pipe closed: the reader stops
            for fd in (self._write, self._read):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.log.close()
            shutil.rmtree(self.profile, ignore_errors=True)


def wait_until(condition, timeout, step=0.05):
    """condition()'s first truthy value within `timeout` seconds, else None."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(step)
