"""Where a page's time goes: pyinstrument over many requests of one page, signed in as an
account with a full board (BENCH_ADVISORS x BENCH_CONTACTS), on a scratch SQLite file.

    .venv/bin/python tests/bench/profile_page.py /            # the due list (the default)
    .venv/bin/python tests/bench/profile_page.py /board 500   # another page, 500 requests
"""
import sys
import tempfile

import bench
from pyinstrument import Profiler


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "/"
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    import load
    with tempfile.TemporaryDirectory(prefix="advisory-profile-") as scratch:
        app = bench.add_bare_route(bench.create_app(
            {**bench.CONFIG, "DATABASE_URL": f"sqlite:///{scratch}/profile.db"}))
        bench.migrations.upgrade(app.config["DATABASE"])
        load.measured_account(app.config["DATABASE"], bench.ADVISORS, bench.CONTACTS)
        client = bench.signed_in_client(app, load)
        for _ in range(20):  # warm up: templates compiled, caches filled
            client.get(path)
        profiler = Profiler(interval=0.0002)
        with profiler:
            for _ in range(requests):
                assert client.get(path).status_code == 200
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
