"""Reminders in Chromium: the service worker shows a pushed notification, its "Spoke today"
logs once (also offline, through the outbox), and Settings subscribes this device."""
import json

from playwright.sync_api import expect

from advisory.models import PushSubscription
from support.peers import Subscriber

from .support import sign_in, until, wait_for_worker

NOTIFICATIONS = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
    .map(n => ({title: n.title, body: n.body, tag: n.tag, actions: n.actions.map(a => a.title)}))"""


def allow_notifications(page, live_server):
    page.context.grant_permissions(["notifications"], origin=live_server.url)


def test_a_pushed_reminder_is_shown_as_one_notification(signed_in, live_server, account):
    page = signed_in
    allow_notifications(page, live_server)
    wait_for_worker(page)
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    until(page, "() => true")  # let the registration event arrive
    page.wait_for_timeout(200)
    [registration] = [r for r in registrations if not r["isDeleted"]]
    payload = {"title": "Reach out to Dana Reyes", "body": "Dana Reyes is 5 weeks overdue.",
               "url": "/", "tag": "advisory-due", "account": str(account.id),
               "key": "notification-1", "advisors": [{"id": 1, "name": "Dana Reyes"}]}
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": live_server.url, "registrationId": registration["registrationId"],
        "data": json.dumps(payload)})
    until(page, f"async () => (await ({NOTIFICATIONS})()).length > 0")
    assert page.evaluate(NOTIFICATIONS) == [{
        "title": "Reach out to Dana Reyes", "body": "Dana Reyes is 5 weeks overdue.",
        "tag": "advisory-due", "actions": ["Spoke today", "Snooze a week"]}]
    # A newer reminder replaces the older one (same tag).
    payload.update(title="2 people to reach out to", advisors=[{"id": 1, "name": "Dana"},
                                                              {"id": 2, "name": "Omar"}])
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": live_server.url, "registrationId": registration["registrationId"],
        "data": json.dumps(payload)})
    until(page, f"""async () => (await ({NOTIFICATIONS})())
        .some(n => n.title === "2 people to reach out to")""")
    [shown] = page.evaluate(NOTIFICATIONS)
    assert shown["actions"] == []  # actions only when one person is listed


ACT = """async ({action, data}) => {
    const registration = await navigator.serviceWorker.ready;
    return new Promise(resolve => {
        navigator.serviceWorker.addEventListener("message", function done(event) {
            if (event.data?.type !== "notification-action-done") return;
            navigator.serviceWorker.removeEventListener("message", done);
            resolve(event.data.text);
        });
        registration.active.postMessage({type: "notification-action", action, data});
    });
}"""


def notification_for(advisor, account, key):
    return {"title": f"Reach out to {advisor.name}", "url": "/", "key": key,
            "account": str(account.id), "advisors": [{"id": advisor.id, "name": advisor.name}]}


def test_spoke_today_from_the_notification_logs_once_also_offline(context, signed_in,
                                                                   live_server, account):
    page = signed_in
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=40)
    omar = live_server.advisor(account, "Omar Haddad", role="expertise", overdue_days=3)
    allow_notifications(page, live_server)
    page.reload()
    wait_for_worker(page)

    data = notification_for(dana, account, "notification-11")
    assert page.evaluate(ACT, {"action": "spoke", "data": data}) == "Logged: Dana Reyes, today."
    # The same notification's action again (a retried tap): still one contact.
    page.evaluate(ACT, {"action": "spoke", "data": data})
    assert len(live_server.contacts(dana)) == 1
    assert any(n["body"] == "Logged: Dana Reyes, today." for n in page.evaluate(NOTIFICATIONS))

    context.set_offline(True)
    text = page.evaluate(ACT, {"action": "spoke",
                               "data": notification_for(omar, account, "notification-12")})
    assert text.startswith("Saved on this device: Omar Haddad")
    assert live_server.contacts(omar) == []
    context.set_offline(False)
    page.reload()  # the app opened again: its outbox sends what waited
    until(page, "async () => (await AdvisoryOutbox.all()).length === 0")
    assert len(live_server.contacts(omar)) == 1
    assert len(live_server.contacts(dana)) == 1


def test_snooze_a_week_from_the_notification(signed_in, live_server, account):
    page = signed_in
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=40)
    allow_notifications(page, live_server)
    wait_for_worker(page)
    text = page.evaluate(ACT, {"action": "snooze",
                               "data": notification_for(dana, account, "notification-13")})
    assert text.startswith("Dana Reyes is snoozed until")
    page.reload()
    expect(page.get_by_role("link", name="Dana Reyes")).to_be_visible()


def test_subscribe_and_stop_from_settings(page, live_server, account, screenshot):
    # The push service cannot be reached from here: only pushManager.subscribe is stubbed,
    # answering with a subscription on Google's push service and real keys.
    subscription = Subscriber("https://fcm.googleapis.com/fcm/send/browser-test").as_json()
    page.add_init_script(script=f"""
        PushManager.prototype.subscribe = async function (options) {{
            window.subscribedWith = options;
            const json = {json.dumps(subscription)};
            return {{endpoint: json.endpoint, toJSON: () => json, unsubscribe: async () => true}};
        }};""")
    sign_in(page, live_server)
    allow_notifications(page, live_server)
    page.goto(f"{live_server.url}/settings")
    page.get_by_role("link", name="Reminders").click()
    expect(page.get_by_text("No device gets notifications yet.")).to_be_visible()
    page.get_by_role("button", name="Notify me on this device").click()
    expect(page.get_by_text("Chrome on Android")).to_be_visible()
    screenshot(page, "reminders")
    assert page.evaluate("window.subscribedWith === undefined")  # reloaded after storing
    [stored] = PushSubscription.select()
    assert stored.endpoint == subscription["endpoint"] and stored.user.id == account.id
    page.get_by_role("button", name="Stop", exact=True).click()
    expect(page.get_by_text("That device gets no more notifications.")).to_be_visible()
    assert PushSubscription.select().count() == 0


def test_the_installed_app_offers_notifications_once(signed_in, live_server):
    page = signed_in
    # Headless Chromium cannot install the app, so this page answers as the installed app
    # would (display-mode: standalone); everything else is the browser's own.
    page.add_init_script(script="""
        const realMatchMedia = window.matchMedia.bind(window);
        window.matchMedia = query => query === "(display-mode: standalone)"
            ? {matches: true, media: query, addEventListener() {}, removeEventListener() {}}
            : realMatchMedia(query);""")
    page.reload()
    offer = page.get_by_role("complementary", name="Notifications")
    expect(offer).to_be_visible()
    offer.get_by_role("button", name="No thanks").click()
    expect(offer).to_have_count(0)
    page.reload()
    expect(page.get_by_role("link", name="Turn on notifications")).to_have_count(0)
