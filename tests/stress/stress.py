"""`make stress`: several devices write at once to gunicorn with two workers, then the
server is killed (kill -9) in the middle of writes, again and again. Prints figures.

Everything runs on loopback against a temporary SQLite file, every loop is bounded, and
the servers it starts are stopped before it ends. Not part of `make test`: it measures.

    python tests/stress/stress.py [--rounds 40] [--cycles 10]

Exit status 1 when anything acknowledged was lost, reverted or duplicated, or a 5xx seen.
"""
import argparse
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.live import Device  # noqa: E402  (after the path is set)

EMAIL, PASSWORD = "stress@example.com", "stress test password"
EDIT = {"role": "insight", "stage": "active", "cadence": "1m", "meeting_kind": "call"}


class Gunicorn:
    """`make run`'s server: gunicorn with two workers, in its own process group."""

    def __init__(self, database: Path, port: int):
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}",
               "SECRET_KEY": "stress-secret", "LOGIN_RATE_LIMIT": "1000 per minute"}
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--graceful-timeout", "1", "app:create_app()"],
            cwd=ROOT, env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.kill()
        raise SystemExit("gunicorn did not start")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill(self) -> None:
        """kill -9 the master and its workers at once (the group it leads)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(database: Path, advisors: int) -> list[int]:
    """A migrated database with one account and its advisors; their ids."""
    os.environ.update(DATABASE_URL=f"sqlite:///{database}", SECRET_KEY="stress-secret")
    from advisory import create_app, migrations
    from advisory.database import db
    from advisory.models import Advisor, User
    app = create_app()
    migrations.upgrade(app.config["DATABASE"])
    user = User.create_account(EMAIL, PASSWORD, "UTC")
    ids = [Advisor.create(user=user, name=f"Advisor {n}", role="insight", added_on=today(),
                          last_spoke_on=today() - timedelta(days=60)).id
           for n in range(advisors)]
    db.database.close()
    return ids


def read(database: Path, sql: str, *params) -> list[tuple]:
    with closing(sqlite3.connect(database, timeout=30)) as connection:
        return connection.execute(sql, params).fetchall()


def today():
    """Today in the account's time zone (UTC)."""
    return datetime.now(timezone.utc).date()


class Figures:
    """What every device saw, added up under a lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.acked_keys: dict[str, int] = {}  # key -> advisor
        self.undone = 0
        self.reverted_edits = self.reverted_snoozes = 0
        self.snoozes = self.refused_snoozes = 0  # acknowledged, and refused as earlier
        self.dropped = 0  # requests whose answer never came (a killed server)

    def answer(self, response) -> int:
        with self.lock:
            self.statuses[response.status_code] += 1
        return response.status_code


def key() -> str:
    return f"stress-{uuid.uuid4()}"


def log_contacts(figures: Figures, device: Device, advisor: int, rounds: int, rng,
                 sends: int = 2) -> None:
    """Logs by form, one tap and sync, each sent `sends` times (retries after lost answers)."""
    for number in range(rounds):
        sent, day = key(), today()
        how = number % 3
        for _ in range(sends):
            if how == 0:
                response = device.post(f"/advisors/{advisor}/log", {
                    "key": sent, "notes": "", "kind": rng.choice(["call", "message", "video"]),
                    "happened_on": str(day - timedelta(days=rng.randrange(30)))})
            elif how == 1:
                response = device.post(f"/advisors/{advisor}/spoke-today", {"key": sent})
            else:
                response = device.sync({"advisor": advisor, "key": sent,
                                        "at": int(time.time() * 1000)})
            if figures.answer(response) in (200, 303):
                with figures.lock:
                    figures.acked_keys[sent] = advisor


def edit(figures: Figures, device: Device, database: Path, advisor: int, rounds: int,
         name: str) -> None:
    """Edits nobody else makes: the stored agenda must stay the last one acknowledged."""
    acked = None
    for number in range(rounds + 1):
        if acked is not None:
            stored = read(database, "SELECT agenda FROM advisors WHERE id = ?", advisor)[0][0]
            if stored != acked:
                with figures.lock:
                    figures.reverted_edits += 1
        if number == rounds:
            return
        agenda = f"{name} agenda {number}"
        response = device.post(f"/advisors/{advisor}/edit",
                               {**EDIT, "name": name, "agenda": agenda})
        if figures.answer(response) == 303:
            acked = agenda


def snooze(figures: Figures, device: Device, database: Path, advisor: int, rounds: int) -> None:
    """Snoozes on an advisor nobody logs for: the stored one stays the last acknowledged."""
    acked = None
    for number in range(rounds + 1):
        if acked is not None:
            stored = read(database, "SELECT snoozed_until FROM advisors WHERE id = ?", advisor)
            if stored[0][0] != acked:
                with figures.lock:
                    figures.reverted_snoozes += 1
        if number == rounds:
            return
        # A date, not a number of days (days count from the due date once snoozed), each
        # later than the last: a date that would bring the reminder earlier is refused.
        until = str(today() + timedelta(days=1 + (number + 1) * 364 // (rounds + 1)))
        response = device.post(f"/advisors/{advisor}/snooze", {"until": until})
        snoozed = figures.answer(response) == 303 and "is snoozed until" in device.flash(response)
        with figures.lock:
            figures.snoozes += snoozed
            figures.refused_snoozes += not snoozed
        if snoozed:
            acked = until


def undo(figures: Figures, device: Device, advisor: int, rounds: int) -> None:
    for _ in range(rounds):
        response = device.post(f"/advisors/{advisor}/undo")
        if figures.answer(response) == 303 and "Removed the last" in device.flash(response):
            with figures.lock:
                figures.undone += 1


def run_all(jobs) -> None:
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)


def devices_phase(database: Path, ids: list[int], rounds: int) -> bool:
    """Several devices at once on three advisors: logs and replays with edits on the first,
    logs with undo and edits on the second, snoozes with edits on the third."""
    logged, undone, snoozed = ids[:3]
    server = Gunicorn(database, free_port())
    figures = Figures()
    try:
        device = lambda: Device(server.url, EMAIL, PASSWORD)  # noqa: E731
        started = time.monotonic()
        run_all([
            lambda d=device(): log_contacts(figures, d, logged, rounds, random.Random(1)),
            lambda d=device(): log_contacts(figures, d, logged, rounds, random.Random(2)),
            lambda d=device(): edit(figures, d, database, logged, rounds, "Logged"),
            # Sent once: a retry landing after an undo of the same contact stores it again.
            lambda d=device(): log_contacts(figures, d, undone, rounds, random.Random(3), 1),
            lambda d=device(): undo(figures, d, undone, rounds // 2),
            lambda d=device(): edit(figures, d, database, undone, rounds, "Undone"),
            lambda d=device(): snooze(figures, d, database, snoozed, rounds),
            lambda d=device(): edit(figures, d, database, snoozed, rounds, "Snoozed"),
        ])
        seconds = time.monotonic() - started
    finally:
        server.stop()

    stored = read(database, "SELECT idempotency_key, advisor_id FROM contacts")
    stored_keys = Counter(k for k, _ in stored)
    acked = figures.acked_keys
    lost = sum(1 for k, a in acked.items() if a == logged and k not in stored_keys)
    on_undone = sum(1 for k, a in acked.items() if a == undone)
    undo_mismatch = on_undone - figures.undone - sum(1 for _, a in stored if a == undone)
    duplicates = sum(n - 1 for n in stored_keys.values()) + sum(
        1 for k in stored_keys if k not in acked)
    requests = sum(figures.statuses.values())
    errors = sum(n for status, n in figures.statuses.items() if status >= 500)
    print(f"devices: 8 at once on 3 advisors, gunicorn with 2 workers, {seconds:.1f} s")
    print(f"  requests               {requests}  ({', '.join(f'{s}: {n}' for s, n in sorted(figures.statuses.items()))})")
    print(f"  5xx                    {errors}")
    print(f"  contacts acknowledged  {len(acked)}  ({len(acked) - on_undone} of them sent twice)")
    print(f"  contacts stored        {len(stored)}  (undone: {figures.undone})")
    print(f"  lost contacts          {lost}")
    print(f"  undo mismatches        {undo_mismatch}  (acknowledged - undone - stored)")
    print(f"  duplicates             {duplicates}")
    print(f"  reverted edits         {figures.reverted_edits}")
    print(f"  reverted snoozes       {figures.reverted_snoozes}  (of {figures.snoozes} acknowledged; "
          f"{figures.refused_snoozes} refused as earlier than the due date)")
    return not (errors or lost or undo_mismatch or duplicates or figures.reverted_edits
                or figures.reverted_snoozes)


def kill_phase(database: Path, advisor: int, cycles: int) -> bool:
    """Devices log contacts while the server (or one worker) is killed with SIGKILL;
    after each kill, the file must pass integrity_check and hold every acknowledged contact."""
    figures, rng = Figures(), random.Random(9)
    corrupt, missing = 0, set()
    for cycle in range(cycles):
        server = Gunicorn(database, free_port())
        whole_server = cycle % 2 == 0
        devices = [Device(server.url, EMAIL, PASSWORD) for _ in range(3)]
        stop = threading.Event()

        def keep_logging(device):
            for _ in range(500):  # bounded even if the kill never lands
                if stop.is_set():
                    return
                sent = key()
                try:
                    response = device.sync({"advisor": advisor, "key": sent,
                                            "at": int(time.time() * 1000)})
                except OSError:  # the connection died with the server: not acknowledged
                    with figures.lock:
                        figures.dropped += 1
                    time.sleep(0.05)
                    continue
                if figures.answer(response) == 200:
                    with figures.lock:
                        figures.acked_keys[sent] = advisor

        threads = [threading.Thread(target=keep_logging, args=(d,)) for d in devices]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.2, 0.8))
        if whole_server:
            server.kill()
        else:
            for worker in server.workers():
                os.kill(worker, signal.SIGKILL)
                break
        time.sleep(0.3)  # writes continue on the other worker and the respawned one
        stop.set()
        for thread in threads:
            thread.join(60)
        if not whole_server:
            server.kill()
        if read(database, "PRAGMA integrity_check") != [("ok",)]:
            corrupt += 1
        stored = {k for (k,) in read(database, "SELECT idempotency_key FROM contacts")}
        missing |= {k for k in figures.acked_keys if k not in stored}
    errors = sum(n for status, n in figures.statuses.items() if status >= 500)
    print(f"kill -9: {cycles} cycles (whole server and single worker in turn) during writes")
    print(f"  requests answered      {sum(figures.statuses.values())}  (cut by the kill: {figures.dropped})")
    print(f"  5xx                    {errors}")
    print(f"  contacts acknowledged  {len(figures.acked_keys)}")
    print(f"  acknowledged but lost  {len(missing)}")
    print(f"  integrity_check fails  {corrupt}")
    return not (errors or missing or corrupt)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40, help="actions per device")
    parser.add_argument("--cycles", type=int, default=10, help="kill -9 cycles")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="advisory-stress-") as tmp:
        database = Path(tmp, "stress.db")
        ids = prepare(database, advisors=4)
        ok = devices_phase(database, ids, args.rounds)
        ok = kill_phase(database, ids[3], args.cycles) and ok
    print("verdict: " + ("nothing lost, no 5xx, no duplicates" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
