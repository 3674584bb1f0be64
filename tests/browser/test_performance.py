"""Fast on a phone: the first load of the due list is small and compressed, and Lighthouse's
mobile audit scores it 0.95+ for performance and 1.0 for accessibility and best practices."""
import json
import os
import subprocess

from .support import CHROMIUM, CHROMIUM_ARGS, sign_in

FIRST_LOAD_BUDGET = 60 * 1024  # bytes on the wire, compressed, for the whole first load


def board_of_five(server, user) -> None:
    for name, role, days in [("Dana Reyes", "insight", 40), ("Omar Haddad", "expertise", 14),
                             ("Priya Nair", "perspective", 2), ("Lena Park", "wisdom", 0),
                             ("Sam Okafor", "balance", 0)]:
        server.advisor(user, name, role=role, overdue_days=days,
                       agenda="Ask about the reorg; send the article I promised")


def test_first_load_is_small_and_compressed(browser, browser_context_args, page, live_server,
                                            account):
    board_of_five(live_server, account)
    sign_in(page, live_server)
    # A fresh context with only the session cookie: an empty cache, no service worker yet.
    fresh = browser.new_context(**browser_context_args, storage_state=page.context.storage_state())
    try:
        phone = fresh.new_page()
        cdp = fresh.new_cdp_session(phone)
        cdp.send("Network.enable")
        sizes, responses = {}, {}
        cdp.on("Network.responseReceived",
               lambda e: responses.__setitem__(e["requestId"], e["response"]))
        cdp.on("Network.loadingFinished",
               lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
        phone.goto(f"{live_server.url}/", wait_until="networkidle")
        assert phone.get_by_role("heading", name="Who's due").is_visible()
    finally:
        fresh.close()

    files = {responses[r]["url"].removeprefix(live_server.url): (size, responses[r])
             for r, size in sizes.items()
             if r in responses and not responses[r]["url"].startswith("data:")}
    total = sum(size for size, _ in files.values())
    min_size = live_server.app.config.get("COMPRESS_MIN_SIZE", 500)
    print(f"\nFirst load of the due list: {total / 1024:.1f} KB over the wire in {len(files)} requests")
    for url, (size, response) in sorted(files.items(), key=lambda f: -f[1][0]):
        headers = {k.lower(): v for k, v in response["headers"].items()}
        encoding = headers.get("content-encoding", "-")
        print(f"  {size / 1024:6.1f} KB  {encoding:5} {url}")
        # Flask-Compress leaves a body under its minimum size as it is: nothing to gain.
        small = int(headers.get("content-length", min_size)) < min_size
        if response["mimeType"].startswith(("text/", "application/javascript", "application/manifest")) and not small:
            assert encoding in ("br", "gzip"), f"{url} is sent uncompressed"
    assert total < FIRST_LOAD_BUDGET


def test_lighthouse_mobile_scores(page, live_server, account, tmp_path):
    from .support import node_tool
    cli = node_tool("lighthouse", "cli", "index.js")
    board_of_five(live_server, account)
    sign_in(page, live_server)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    headers = tmp_path / "headers.json"
    headers.write_text(json.dumps({"Cookie": cookie}))
    report = tmp_path / "report.json"
    result = subprocess.run(
        ["node", str(cli), f"{live_server.url}/", "--output=json", f"--output-path={report}",
         "--quiet", "--only-categories=performance,accessibility,best-practices",
         f"--chrome-flags={' '.join(CHROMIUM_ARGS)}", f"--extra-headers={headers}"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    lighthouse = json.loads(report.read_text())
    assert lighthouse["finalDisplayedUrl"] == f"{live_server.url}/", "not signed in"
    scores = {key: category["score"] for key, category in lighthouse["categories"].items()}
    print(f"\nLighthouse (mobile) on the due list: {scores}")
    failing = {audit["id"]: audit.get("displayValue", audit["title"])
               for audit in lighthouse["audits"].values()
               if audit.get("score") is not None and audit["score"] < 1
               and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")}
    print(f"Audits below 1: {failing}")
    audits = lighthouse["audits"]
    print(f"Total transfer during the audit (with the service worker's precache): "
          f"{audits['total-byte-weight']['numericValue'] / 1024:.1f} KB; "
          f"LCP {audits['largest-contentful-paint']['displayValue']}, "
          f"CLS {audits['cumulative-layout-shift']['displayValue']}")
    assert audits["cumulative-layout-shift"]["numericValue"] < 0.01  # nothing jumps about
    assert scores["performance"] >= 0.95
    assert scores["accessibility"] == 1
    assert scores["best-practices"] == 1
