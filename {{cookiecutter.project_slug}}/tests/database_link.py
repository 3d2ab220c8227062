"""A database outage on demand: a TCP relay to the test database that a test can cut."""

import contextlib
import socket
import threading
import urllib.parse

from devdb.server import HOST, free_port


class DatabaseLink:
    """A TCP relay between a server process and the database: ``cut()`` takes the database away.

    To the process a cut is the database server dying: every connection it holds is closed
    and new ones are refused, until ``restore()`` listens on the same port again. The data
    stays where it was, so the tests need neither a database server of their own (a start,
    a migrate, a restart: seconds) nor one to stop.
    """

    def __init__(self, database_uri: str):
        parts = urllib.parse.urlsplit(database_uri)
        self.target = (parts.hostname, parts.port)
        self.port = free_port()
        # directConnection: SecantusDB answers as a one-member replica set naming its own
        # address, which the driver would otherwise use instead of this relay. 1 s to find a
        # server: a 503 within a second, and more than pymongo's 0.5 s between two looks at a
        # server, so the first request after restore() finds it back.
        query = "directConnection=true&serverSelectionTimeoutMS=1000"
        netloc = f"{HOST}:{self.port}"
        self.uri = urllib.parse.urlunsplit(parts._replace(netloc=netloc, query=query))
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()

    def restore(self) -> "DatabaseLink":
        """Accept connections again, on the same port."""
        listener = socket.create_server((HOST, self.port))  # SO_REUSEADDR: the port comes back
        with self._lock:
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def cut(self) -> None:
        """Refuse new connections and close every open one, both ways."""
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        if listener is not None:
            listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            listener.close()
        for sock in sockets:
            self._close(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            upstream = socket.create_connection(self.target)
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    self._close(client)
                    self._close(upstream)
                    return
                self._sockets.update((client, upstream))
            for sock in (client, upstream):  # as the driver does: no Nagle delay on replies
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._close(source)
            self._close(sink)

    @staticmethod
    def _close(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # closed already
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
