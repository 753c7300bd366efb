"""A private PostgreSQL server for the tests: Debian's binaries (installed by `make test`: Makefile
`postgres`), a cluster made by initdb in a temporary directory, on a free loopback port, stopped and
removed afterwards. PostgreSQL refuses to run as root, so under root the cluster belongs to the
`postgres` user Debian's package creates (`nobody` without it) and its commands run through runuser."""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile

USER = "djlog"              # the cluster's superuser (trust authentication, loopback only)


class Unavailable(Exception):
    """PostgreSQL cannot run as a service here; the message says why."""


def binaries():
    """The directory of initdb/pg_ctl: Debian keeps them out of PATH, in /usr/lib/postgresql/<major>/bin."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[-3]))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(os.path.realpath(initdb))
    raise Unavailable("no initdb: install Debian's postgresql package (`make test` does)")


def _owner():
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise Unavailable("running as root and no unprivileged user (postgres, nobody) to run the server as")


def _traversable(path):
    """Whether every directory down to `path` lets other users through (o+x)."""
    path = os.path.abspath(path)
    while True:
        if not os.stat(path).st_mode & 0o001:
            return False
        parent = os.path.dirname(path)
        if parent == path:
            return True
        path = parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self):
        self.bin = binaries()
        self.owner = _owner()
        base = tempfile.gettempdir()
        if self.owner is not None and not _traversable(base):     # a root-only TMPDIR: the owner must get in
            base = "/tmp"
        self.root = tempfile.mkdtemp(prefix="djlog-pg-", dir=base)
        self.data = os.path.join(self.root, "data")
        self.port = free_port()
        if self.owner is not None:
            os.chown(self.root, self.owner.pw_uid, self.owner.pw_gid)

    def _run(self, *args):
        command = [os.path.join(self.bin, args[0])] + list(args[1:])
        if self.owner is not None:
            command = ["runuser", "-u", self.owner.pw_name, "--"] + command
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120,
                              cwd=self.root)
        if done.returncode != 0:
            raise Unavailable("%s failed:\n%s" % (args[0], done.stdout[-2000:]))

    def start(self):
        # --no-sync: a throw-away cluster need not be on disk before it starts; the server itself keeps
        # fsync on, so the load test measures commits as a production server makes them.
        self._run("initdb", "-D", self.data, "-U", USER, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
        options = "-c listen_addresses=127.0.0.1 -p %d -c unix_socket_directories='' -c max_connections=200" % self.port
        self._run("pg_ctl", "-D", self.data, "-o", options, "-l", os.path.join(self.root, "server.log"),
                  "-w", "-t", "60", "start")
        return self

    def stop(self):
        try:
            if os.path.exists(os.path.join(self.data, "postmaster.pid")):
                self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")   # thrown away
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def database(self):
        """Django's DATABASES entry for the cluster's own `postgres` database (a private cluster: no
        CREATE DATABASE, which costs a checkpoint)."""
        return {"ENGINE": "django.db.backends.postgresql", "NAME": "postgres", "USER": USER,
                "HOST": "127.0.0.1", "PORT": str(self.port)}


def start_in_background():
    """Start a server on a thread, so initdb runs while other tests do; `.result()` waits for it and
    returns the Server, or raises Unavailable."""
    import concurrent.futures
    pool = concurrent.futures.ThreadPoolExecutor(1)
    future = pool.submit(lambda: Server().start())
    pool.shutdown(wait=False)
    return future
