"""Run one child command so that a stop signal reaches all of it and nothing outlives us.

Why this shape (each point was a bug of ``make run``):

- The handlers are installed before anything starts, so a SIGTERM or Ctrl-C that lands
  while the database or the child is starting is recorded and acted on, never lost.
- The child gets a process group of its own, and a stop signal is forwarded as the same
  signal to that whole group: ``sh -c "migrate && runserver"`` stops with its children,
  and a SIGTERM stays a SIGTERM.
- After a forwarded signal the wait is bounded: a child that ignores it is killed
  (SIGKILL to its group) after ``DEVDB_STOP_TIMEOUT`` seconds (default 10).
- On a terminal, the child's group is made the foreground one while it runs, so Ctrl-C and
  prompts (``createsuperuser``, ``shell``) reach it as they would without the wrapper.
"""

import os
import signal
import subprocess
import time
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
DEFAULT_STOP_TIMEOUT = 10.0


def stop_timeout() -> float:
    """Return the grace a child has after a forwarded signal (``DEVDB_STOP_TIMEOUT``)."""
    try:
        return max(0.0, float(os.environ.get("DEVDB_STOP_TIMEOUT", DEFAULT_STOP_TIMEOUT)))
    except ValueError:
        return DEFAULT_STOP_TIMEOUT


def signal_group(pgid: int, signum: int) -> bool:
    """Send ``signum`` to process group ``pgid``; tell whether anyone was there."""
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        return False
    except PermissionError:  # only a zombie or a foreign process left: nothing of ours to stop
        return False
    return True


def _foreground_terminal() -> int | None:
    """Return fd 0 when it is a terminal whose foreground process group is ours."""
    try:
        if os.isatty(0) and os.tcgetpgrp(0) == os.getpgrp():
            return 0
    except OSError:
        pass
    return None


def _hand_terminal_to(fd: int, pgid: int) -> None:
    """Make ``pgid`` the terminal's foreground group (SIGTTOU ignored, as shells do)."""
    previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(fd, pgid)
    except OSError:
        pass
    finally:
        signal.signal(signal.SIGTTOU, previous)


class Supervisor:
    """Own the stop signals for the life of the wrapper; start and stop one child group.

    Use as a context manager around everything the wrapper does (the database's start
    included): ``stopping`` tells whether a stop signal has arrived, ``run`` runs the child.
    """

    def __init__(self):
        self.signum: int | None = None
        self.deadline: float | None = None
        self.child: subprocess.Popen | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> "Supervisor":
        for signum in STOP_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._on_signal)
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    @property
    def stopping(self) -> bool:
        return self.signum is not None

    @property
    def exit_code(self) -> int:
        """The shell's convention for a command ended by the signal we received."""
        return 128 + self.signum if self.signum is not None else 0

    def _on_signal(self, signum, frame) -> None:
        if self.signum is None:
            self.signum = signum
            self.deadline = time.monotonic() + stop_timeout()
        if self.child is not None:
            signal_group(self.child.pid, signum)

    def run(self, command: list[str], env: dict[str, str]) -> int:
        """Run ``command`` (a shell line when one string); return its exit code, or 128+signal."""
        if self.stopping:
            return self.exit_code
        terminal = _foreground_terminal()

        def in_child() -> None:  # after setpgid (process_group=0), before exec
            if terminal is not None:
                _hand_terminal_to(terminal, os.getpgrp())

        child = subprocess.Popen(
            command,
            env=env,
            shell=len(command) == 1,
            process_group=0,
            preexec_fn=in_child if terminal is not None else None,
        )
        self.child = child
        try:
            if terminal is not None:
                _hand_terminal_to(terminal, child.pid)
            if self.signum is not None:  # arrived while the child was being created
                signal_group(child.pid, self.signum)
            code = self._wait(child)
        finally:
            self._reap_group(child.pid)
            if terminal is not None:
                _hand_terminal_to(terminal, os.getpgrp())
        if self.stopping:
            return self.exit_code
        return 128 - code if code < 0 else code

    def _wait(self, child: subprocess.Popen) -> int:
        """Wait for the child; once a stop signal came, only until the deadline, then kill."""
        while True:
            # Short slices, so a signal that sets the deadline is acted on; never past it.
            slice_ = 0.2
            if self.deadline is not None:
                slice_ = min(slice_, max(0.0, self.deadline - time.monotonic()))
            try:
                return child.wait(timeout=slice_)
            except subprocess.TimeoutExpired:
                if self.deadline is not None and time.monotonic() >= self.deadline:
                    signal_group(child.pid, signal.SIGKILL)
                    return child.wait()

    def _reap_group(self, pgid: int) -> None:
        """Stop whatever the child left in its group (a shell's background job, say)."""
        if not group_alive(pgid):
            return
        signal_group(pgid, signal.SIGTERM)
        deadline = time.monotonic() + min(stop_timeout(), 5.0)
        while time.monotonic() < deadline:
            if not group_alive(pgid):
                return
            time.sleep(0.05)
        signal_group(pgid, signal.SIGKILL)


def group_alive(pgid: int) -> bool:
    """Tell whether a process of group ``pgid`` still runs (zombies awaiting reaping don't)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return signal_group(pgid, 0)
    for stat in proc.glob("[0-9]*/stat"):
        try:
            # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ")".
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            return True
    return False
