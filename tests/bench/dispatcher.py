"""`make bench`'s dispatcher section: the reminders of a whole installation due at once.

BENCH_REMINDER_ACCOUNTS accounts (100,000; 5,000 with BENCH_QUICK=1) are bulk-loaded, each
with a daily digest at 08:00 in a zone where it is about noon now (so the digest is due,
and stays due while the wave is sent), one overdue advisor, and its stored moment set to
"the next pass". Their digests go to an SMTP server on loopback (aiosmtpd, in a process of
its own so that it keeps up; it counts the messages to each address and keeps no body):
1. the whole wave in one pass of one dispatcher (run_once in this process; the time spent
   in plan() is shown apart), then, after the deliveries are deleted and every account is
   due again, BENCH_DISPATCHERS=4 dispatchers started together as processes
   (`flask --app app reminders send`): time, messages a second, duplicates (messages to an
   address that already got one), accounts missed (no message), each process's share;
2. a pass with nothing due at that size (every digest sent) against a pass on the empty
   installation (migrated, before the load): the median of BENCH_IDLE_PASSES=20 each.
"""
import collections
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone

from aiosmtpd.controller import Controller
from peewee import fn
from bench import CONFIG, QUICK, ROOT, free_port, scratch_postgres  # bench.py's sys.path first
import load

from advisory import create_app, migrations
from advisory.database import utcnow
from advisory.models import Advisor, Delivery, User
from advisory.models.accounts import REMIND_AT_NEXT_PASS
from advisory.reminders import dispatcher as dispatch

ACCOUNTS = int(os.environ.get("BENCH_REMINDER_ACCOUNTS", 5000 if QUICK else 100_000))
DISPATCHERS = int(os.environ.get("BENCH_DISPATCHERS", 4))
IDLE_PASSES = int(os.environ.get("BENCH_IDLE_PASSES", 20))
ROWS_PER_INSERT = 1000
WAVE_TIMEOUT = 3600  # seconds the dispatcher processes may take before they are stopped


class Recipients:
    """aiosmtpd handler counting the messages to each address (bodies are dropped)."""

    def __init__(self):
        self.counts = collections.Counter()

    async def handle_DATA(self, server, session, envelope):
        self.counts.update(envelope.rcpt_tos)
        return "250 OK"


def receive(pipe) -> None:
    """The SMTP server's process: sends its port, then answers "counts" (messages per
    address, which also starts counting afresh) until "stop"."""
    handler = Recipients()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    pipe.send(port)
    while pipe.recv() != "stop":
        counts, handler.counts = handler.counts, collections.Counter()
        pipe.send(dict(counts))
    controller.stop()


class SmtpReceiver:
    def __init__(self):
        self.pipe, theirs = multiprocessing.Pipe()
        self.process = multiprocessing.get_context("spawn").Process(target=receive,
                                                                    args=(theirs,))
        self.process.start()
        self.port = self.pipe.recv()

    def counts(self) -> dict:
        """Messages per address since the last call."""
        self.pipe.send("counts")
        return self.pipe.recv()

    def stop(self) -> None:
        self.pipe.send("stop")
        self.process.join(30)


def noon_zone() -> str:
    """A zone whose clock shows about noon now (Etc/GMT-3 is UTC+3): its 08:00 digest is
    due, and local midnight, which would end that day's digest, is hours away."""
    offset = 12 - datetime.now(timezone.utc).hour
    return f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"


def load_accounts(database, count: int, zone: str) -> float:
    """`count` accounts with a daily digest due and one overdue advisor each; seconds."""
    started = time.perf_counter()
    stamp, today, rng = utcnow(), date.today(), random.Random(4)
    with database.atomic():
        for start in range(0, count, ROWS_PER_INSERT):
            User.insert_many([
                {"email": f"reader{n}@example.com", "password_hash": "", "timezone": zone,
                 "digest": "daily", "reminder_time": "08:00",
                 "reminder_due_at": REMIND_AT_NEXT_PASS, "created_at": stamp,
                 "feed_changed_at": stamp}
                for n in range(start, min(start + ROWS_PER_INSERT, count))]).execute()
        ids = [user_id for (user_id,) in User.select(User.id).order_by(User.id).tuples()]
        for start in range(0, len(ids), ROWS_PER_INSERT):
            Advisor.insert_many([load.advisor_row(user_id, 0, today, rng)
                                 for user_id in ids[start:start + ROWS_PER_INSERT]]).execute()
    load.analyse(database)
    return time.perf_counter() - started


def due_again(database) -> None:
    """As before the wave: no delivery stored, every account due at the next pass."""
    with database.atomic():
        Delivery.delete().execute()
        User.update(reminder_due_at=REMIND_AT_NEXT_PASS).execute()
    load.analyse(database)


def idle_pass_ms(app) -> float:
    """The median of IDLE_PASSES dispatcher passes, in ms."""
    times = []
    with app.test_request_context(base_url=CONFIG["BASE_URL"]):
        for _ in range(IDLE_PASSES):
            begin = time.perf_counter()
            lines = dispatch.run_once(datetime.now(timezone.utc))
            times.append((time.perf_counter() - begin) * 1000)
            assert not lines, lines[:3]
    return statistics.median(times)


def one_dispatcher(app) -> dict:
    """The whole wave in one pass of one dispatcher, in this process."""
    planning = []
    plan = dispatch.plan

    def timed_plan(*args, **kwargs):
        begin = time.perf_counter()
        try:
            return plan(*args, **kwargs)
        finally:
            planning.append(time.perf_counter() - begin)

    dispatch.plan = timed_plan  # run_once looks it up in its module at each batch
    try:
        with app.test_request_context(base_url=CONFIG["BASE_URL"]):
            begin = time.perf_counter()
            lines = dispatch.run_once(datetime.now(timezone.utc))
            seconds = time.perf_counter() - begin
    finally:
        dispatch.plan = plan
    return {"seconds": seconds, "shares": [count_sent(lines)], "problems": others(lines),
            "planning": (sum(planning), len(planning))}


def dispatcher_processes(database_url: str, port: int) -> dict:
    """The whole wave with DISPATCHERS processes of `reminders send` started together."""
    env = {**os.environ, "DATABASE_URL": database_url, "MAIL_SERVER": "127.0.0.1",
           "MAIL_PORT": str(port), "BASE_URL": CONFIG["BASE_URL"]}
    command = [sys.executable, "-m", "flask", "--app", "app", "reminders", "send"]
    outputs = [tempfile.TemporaryFile(mode="w+") for _ in range(DISPATCHERS)]
    begin = time.perf_counter()
    runs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                             text=True) for out in outputs]
    for run in runs:
        try:
            run.wait(timeout=max(1.0, begin + WAVE_TIMEOUT - time.perf_counter()))
        except subprocess.TimeoutExpired:
            run.kill()  # reported below by its exit status
            run.wait()
    seconds = time.perf_counter() - begin
    shares, problems = [], []
    for run, out in zip(runs, outputs):
        out.seek(0)
        lines = out.read().splitlines()
        shares.append(count_sent(lines))
        problems += others(lines)
        if run.returncode:
            problems.append(f"exit status {run.returncode}: {' | '.join(lines[-3:])}")
    return {"seconds": seconds, "shares": shares, "problems": problems}


def count_sent(lines: list[str]) -> int:
    return sum(line.startswith("sent:") for line in lines)


def others(lines: list[str]) -> list[str]:
    """What a dispatcher said besides "sent:" lines (and "Nothing due.")."""
    return [line for line in lines if not line.startswith("sent:") and line != "Nothing due."]


def outcome(wave: dict, counts: dict) -> dict:
    """A wave's figures from what the SMTP server received and the deliveries stored."""
    messages = sum(counts.values())
    states = (Delivery.select(Delivery.state, fn.COUNT(Delivery.id))
              .group_by(Delivery.state).tuples())
    return {**wave, "messages": messages, "rate": messages / wave["seconds"],
            "duplicates": messages - len(counts),
            "missed": ACCOUNTS - sum(1 for address in counts if address.startswith("reader")),
            "states": dict(states)}


def run(label: str, database_url: str) -> None:
    load_average = os.getloadavg()[0]  # other work on the machine when the section starts
    receiver = SmtpReceiver()
    try:
        app = create_app({**CONFIG, "DATABASE_URL": database_url, "MAIL_SERVER": "127.0.0.1",
                          "MAIL_PORT": receiver.port})
        database = app.config["DATABASE"]
        if not database_url.startswith("sqlite"):
            scratch_postgres(database_url, database)
        migrations.upgrade(database)
        empty_ms = idle_pass_ms(app)
        zone = noon_zone()
        load_seconds = load_accounts(database, ACCOUNTS, zone)
        database.close()
        waves = {"1 dispatcher": outcome(one_dispatcher(app), receiver.counts())}
        due_again(database)
        database.close()  # nothing of this process holds the database while they run
        waves[f"{DISPATCHERS} dispatchers"] = outcome(
            dispatcher_processes(database_url, receiver.port), receiver.counts())
        busy_ms = idle_pass_ms(app)
        database.close()
    finally:
        receiver.stop()
    report(label, zone, load_seconds, waves, empty_ms, busy_ms, load_average)


def report(label, zone, load_seconds, waves, empty_ms, busy_ms, load_average) -> None:
    print(f"\n{label}: dispatcher, {ACCOUNTS:,} accounts with a daily digest due "
          f"(08:00 in {zone}, one overdue advisor each; loaded in {load_seconds:.0f} s; "
          f"SMTP server on loopback; load average {load_average:.1f} on "
          f"{os.cpu_count()} cores)")
    print(f"{'wave':<16}{'seconds':>9}{'messages/s':>12}{'messages':>10}"
          f"{'duplicates':>12}{'missed':>8}  sent by each dispatcher")
    for name, wave in waves.items():
        shares = " / ".join(f"{share:,} ({share / ACCOUNTS:.0%})" for share in wave["shares"])
        print(f"{name:<16}{wave['seconds']:9.1f}{wave['rate']:12.1f}{wave['messages']:10,}"
              f"{wave['duplicates']:12,}{wave['missed']:8,}  {shares}")
    for name, wave in waves.items():
        states = ", ".join(f"{state} {count:,}" for state, count in sorted(wave["states"].items()))
        print(f"{name}: deliveries stored: {states or 'none'}")
        if "planning" in wave:
            seconds, batches = wave["planning"]
            print(f"{name}: of its {wave['seconds']:.1f} s, {seconds:.1f} s in plan() "
                  f"({batches:,} calls, batches of up to {dispatch.BATCH})")
        problems = collections.Counter(line.split(" to ")[0] for line in wave["problems"])
        for line, count in problems.most_common(5):
            print(f"{name}: said {count:,}x: {line[:160]}")
    print(f"pass with nothing due, median of {IDLE_PASSES}: empty installation "
          f"{empty_ms:.2f} ms; {ACCOUNTS:,} accounts, every digest sent {busy_ms:.2f} ms "
          f"({busy_ms / empty_ms:.2f}x)")
