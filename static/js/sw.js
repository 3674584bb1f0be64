// Advisory's service worker. advisory/pwa/views.py serves it with VERSION (a hash of the
// static files), PRECACHE (their URLs, the offline pages, the manifest) and ROUTES (the
// URLs it calls and the patterns of the pages it keeps, made from the app's routes)
// defined above this line.
//  - static assets: precached under a versioned cache, served cache-first;
//  - pages: network-first; the last good copy of the due list and of each advisor page
//    is kept and shown when offline, marked with the time it was saved, and so is a copy
//    of each log form and prep page they link to ("Log…", "Prepare"), so the full form
//    and the prep page of everyone due this week work offline too;
//  - people's photos (at their versioned address, ?v=) are kept with the pages: the ones a
//    saved page shows are fetched with it, and any photo seen is served cache-first;
//  - contacts logged offline (outbox.js) are sent by Background Sync where there is one;
//  - once the server answers that this device is signed out, the saved pages and the
//    waiting contacts are deleted, and the offline page says why the board is gone.
"use strict";
importScripts(ROUTES.outboxScript);
// Push notifications and their actions: a self-contained section in sw-push.js.
importScripts(ROUTES.pushScript);

const STATIC_CACHE = `advisory-static-${VERSION}`;
const PAGES_CACHE = "advisory-pages";
// While a cache of this name exists, this device was signed out since it last saved a
// page (a flag in Cache Storage outlives the worker, unlike a variable).
const SIGNED_OUT_FLAG = "advisory-signed-out";
const ADVISOR_PAGE = new RegExp(ROUTES.patterns.advisorPage);
const BELOW_ADVISOR_PAGE = new RegExp(ROUTES.patterns.belowAdvisorPage);
const LOG_FORM = new RegExp(ROUTES.patterns.log);
const PREP_PAGE = new RegExp(ROUTES.patterns.prep);
const PHOTO = new RegExp(ROUTES.patterns.photo);
// By path: a script bundle's address carries its version (?v=), the cache holds one.
const PRECACHED = new Set(PRECACHE.map(url => new URL(url, self.location).pathname));
// A kept log form older than this is fetched afresh when a page linking to it is saved
// (one changed on this device is dropped at once: see post).
const LOG_FORM_MAX_AGE = 6 * 60 * 60 * 1000;
// How many times this worker has forgotten the account: a copy fetched before that must
// not be kept after it.
let forgotten = 0;

/** The pages kept for offline use: the due list, each advisor's page and prep page. */
const isSavedPage = path => path === ROUTES.dueList || ADVISOR_PAGE.test(path) || PREP_PAGE.test(path);

/** The advisor whose log form or prep page `path` is (pages kept because a saved page links
 *  to them), or undefined. */
const linkedAdvisor = path => (path.match(LOG_FORM) || path.match(PREP_PAGE))?.[1];

/** Where the copy shown offline for `url` is kept, or null: the due list and an advisor's
 *  page under their path (whatever the query), a log form under its path and query (which
 *  says where it returns to). A page is kept only from `url` equal to its key. */
function savedKey(url) {
  if (LOG_FORM.test(url.pathname)) return url.pathname + url.search;
  return isSavedPage(url.pathname) ? url.pathname : null;
}

self.addEventListener("install", event => {
  event.waitUntil((async () => {
    const cache = await caches.open(STATIC_CACHE);
    // Revalidated (a 304 for what the page just loaded), and without the session: the
    // offline page is the same for everyone.
    await cache.addAll(PRECACHE.map(url => new Request(url, {cache: "no-cache", credentials: "omit"})));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", event => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter(name => name.startsWith("advisory-static-") && name !== STATIC_CACHE)
                           .map(name => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", event => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    if (url.pathname === ROUTES.signOut) {
      // The saved pages and waiting contacts belong to the account signing out.
      event.waitUntil(forgetAccount());
    }
    if (request.mode === "navigate" && AdvisoryOutbox.logAction(url.pathname)) {
      event.respondWith(postOrKeep(request));
    } else if (request.mode === "navigate") {
      event.respondWith(post(request).catch(offlinePage));
    } else if (BELOW_ADVISOR_PAGE.test(url.pathname)) {
      event.respondWith(postAndRefresh(event, url));
    }
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  } else if (PHOTO.test(url.pathname) && url.searchParams.has("v")) {
    event.respondWith(photo(request));
  } else if (PRECACHED.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

async function cacheFirst(request) {
  const cached = await caches.match(request, {cacheName: STATIC_CACHE, ignoreSearch: true});
  return cached || fetch(request);
}

async function page(event, url) {
  const key = savedKey(url);
  let response;
  try {
    response = await fetch(event.request);
  } catch (error) {
    const copy = await savedCopy(url);
    return copy ? markedOffline(copy) : offlinePage();
  }
  if (isSignedOut(response)) {
    // Forgotten before the sign-in page shows, so its scripts find no waiting contacts.
    // A device that kept nothing (never signed in) is not told it was signed out.
    await forgetAccount({evenIfNothingKept: false}).catch(() => {});
  } else if (key && key === url.pathname + url.search) {
    event.waitUntil(save(key, response.clone()));
  }
  return response;
}

/** The saved copy to show offline for `url`, if there is one. A log form or prep page is shown only
 *  beside a saved due list or advisor page of the same account: it was fetched in the
 *  background, and a copy that arrived as its account signed out must never reach the next. */
async function savedCopy(url) {
  const key = savedKey(url);
  const copy = key && await caches.match(key, {cacheName: PAGES_CACHE});
  const advisor = copy && linkedAdvisor(url.pathname);
  if (!advisor) return copy;
  const account = await accountOf(copy);
  for (const path of [ROUTES.dueList, ROUTES.advisorPage.replace("{id}", advisor)]) {
    const linking = await caches.match(path, {cacheName: PAGES_CACHE});
    if (linking && await accountOf(linking) === account) return copy;
  }
  return undefined;
}

/** The account a saved page was made for (<body data-account>). */
async function accountOf(copy) {
  return (await copy.clone().text()).match(/<body\b[^>]*\sdata-account="(\d+)"/)?.[1];
}

async function offlinePage() {
  const url = await caches.has(SIGNED_OUT_FLAG) ? ROUTES.signedOut : ROUTES.offline;
  return (await caches.match(url, {cacheName: STATIC_CACHE}))
    || new Response("You are offline.", {status: 503, headers: {"Content-Type": "text/plain"}});
}

/** Whether the server answered as it does to a device that is not signed in: a 401 (to
 *  htmx and to the sync), or the sign-in form, which a signed-in device is never shown.
 *  A page asked for by navigation comes back as a redirect the worker cannot read, and
 *  the browser then asks for the sign-in form: that request is the one recognised. */
function isSignedOut(response) {
  return response.status === 401
    || (response.status === 200 && Boolean(response.url)
        && new URL(response.url).pathname === ROUTES.signIn);
}

/** This device is signed out (from another device, by a password change or reset, by
 *  deleting the account or by signing out here): delete the saved pages and the contacts
 *  waiting to be sent, which belong to that account, and have the offline page say so. */
async function forgetAccount({evenIfNothingKept = true} = {}) {
  forgotten += 1;
  const [pages, contacts] = await Promise.all([caches.delete(PAGES_CACHE), AdvisoryOutbox.clear()]);
  if (pages || contacts || evenIfNothingKept) await caches.open(SIGNED_OUT_FLAG);
}

/** Keep a page as the last good copy: a full 200 HTML page, not a redirect to sign in
 *  (that one means the copies kept so far must go); then the log forms and prep pages it
 *  links to.
 *  `since`: the count of forgetAccount when the page was asked for; if the account was
 *  forgotten meanwhile, the page belongs to it and is not kept. */
async function save(path, response, since = forgotten) {
  if (isSignedOut(response)) return forgetAccount();
  const type = response.headers.get("Content-Type") || "";
  if (response.status !== 200 || response.redirected || !type.startsWith("text/html")) return;
  const headers = new Headers(response.headers);
  headers.delete("Content-Encoding");  // the body below is already decoded
  headers.delete("Content-Length");
  headers.set("X-Saved-At", String(Date.now()));
  const html = await response.text();
  const cache = await caches.open(PAGES_CACHE);
  if (since !== forgotten) return;
  await cache.put(path, new Response(html, {status: 200, headers}));
  if (since !== forgotten) return cache.delete(path);  // forgotten while it was being put
  await caches.delete(SIGNED_OUT_FLAG);  // signed in again
  await keepPhotos(html, since);
  if (!linkedAdvisor(new URL(path, self.location.origin).pathname)) await keepLogForms(html, since);
}

/** A person's photo at one version (?v=): from the saved pages' cache, else fetched and
 *  kept there in place of the versions before it. It goes with the pages at sign-out. */
async function photo(request, since = forgotten) {
  const cache = await caches.open(PAGES_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const path = new URL(request.url).pathname;
  let response;
  try {
    response = await fetch(request);
  } catch (error) {  // offline, on a page saved before the photo changed: the one kept
    const kept = (await cache.keys()).find(key => new URL(key.url).pathname === path);
    if (kept) return cache.match(kept);
    throw error;
  }
  // (A sign-in page, where a signed-out device was sent instead, is not a photo.)
  if (response.status === 200 && !response.redirected && since === forgotten) {
    for (const key of await cache.keys()) {
      if (new URL(key.url).pathname === path) await cache.delete(key);
    }
    await cache.put(request, response.clone());
    if (since !== forgotten) await cache.delete(request);  // forgotten while it was being put
  }
  return response;
}

/** Keep the photos a saved page shows, so that it shows them offline too. */
async function keepPhotos(html, since) {
  for (const [, src] of html.matchAll(/\ssrc="([^"]*)(?=")/g)) {
    const url = new URL(src.replaceAll("&amp;", "&"), self.location.origin);
    if (url.origin !== self.location.origin || !PHOTO.test(url.pathname)) continue;
    if (since !== forgotten) return;
    try {
      await photo(new Request(url, {credentials: "same-origin"}), since);
    } catch (error) {
      return;  // offline again: keep the copies we have
    }
  }
}

/** Keep a copy of each log form and prep page a saved page links to ("Log…" and "Prepare"
 *  on the due list and on an advisor's page): one that is missing or older than
 *  LOG_FORM_MAX_AGE is fetched, one at a time, so logging with a note works offline for
 *  anyone the person can reach, and preparing for anyone due this week. */
async function keepLogForms(html, since) {
  const cache = await caches.open(PAGES_CACHE);
  for (const path of logFormLinks(html)) {
    const copy = await cache.match(path);
    if (copy && Date.now() - Number(copy.headers.get("X-Saved-At")) < LOG_FORM_MAX_AGE) continue;
    if (since !== forgotten) return;
    try {
      await save(path, await fetch(path, {credentials: "same-origin"}), since);
    } catch (error) {
      return;  // offline again: keep the copies we have
    }
  }
}

/** The log forms (as path and query: the due list's say "from the due list") and prep
 *  pages a page links to. */
function logFormLinks(html) {
  const links = new Set();
  for (const [, href] of html.matchAll(/\shref="([^"]*)(?=")/g)) {
    const url = new URL(href.replaceAll("&amp;", "&"), self.location.origin);
    if (url.origin === self.location.origin && LOG_FORM.test(url.pathname)) {
      links.add(url.pathname + url.search);
    } else if (url.origin === self.location.origin && PREP_PAGE.test(url.pathname)) {
      links.add(url.pathname);
    }
  }
  return links;
}

/** Post `request` to the server. A post under an advisor's page may change their log form
 *  and prep page (their name, usual kind, agenda): once the server has it, the copies kept
 *  of those go, and the next page saved that links to them fetches them afresh. */
async function post(request) {
  const response = await fetch(request);
  const advisor = new URL(request.url).pathname.match(BELOW_ADVISOR_PAGE)?.[1];
  if (advisor) await dropLogForms(advisor).catch(() => {});
  return response;
}

async function dropLogForms(advisor) {
  if (!(await caches.has(PAGES_CACHE))) return;
  const cache = await caches.open(PAGES_CACHE);
  for (const request of await cache.keys()) {
    if (linkedAdvisor(new URL(request.url).pathname) === advisor) await cache.delete(request);
  }
}

/** The saved copy, with the time it was saved on <html> for offline-banner.js to show. */
async function markedOffline(copy) {
  const savedAt = Number(copy.headers.get("X-Saved-At")) || 0;
  const html = (await copy.text()).replace(/<html\b/i, `<html data-offline-since="${savedAt}"`);
  const headers = new Headers(copy.headers);
  headers.set("Cache-Control", "no-store");
  return new Response(html, {status: 200, headers});
}

/** An htmx action on an advisor changed what the saved pages show: refresh them. */
async function postAndRefresh(event, url) {
  const response = await post(event.request);
  if (isSignedOut(response)) {
    event.waitUntil(forgetAccount());
  } else if (response.ok) {
    const advisor = ROUTES.advisorPage.replace("{id}", url.pathname.match(BELOW_ADVISOR_PAGE)[1]);
    event.waitUntil(refresh([ROUTES.dueList, advisor]));
  }
  return response;
}

async function refresh(paths) {
  const cache = await caches.open(PAGES_CACHE);
  for (const path of paths) {
    if (!(await cache.match(path))) continue;
    try {
      await save(path, await fetch(path, {credentials: "same-origin"}));
    } catch (error) { /* offline again: keep the copy we have */ }
  }
}

/** A log form posted as a page (no htmx) on a connection that fails: keep the contact in the
 *  outbox and go where the post would have gone; the page there shows it waiting. */
async function postOrKeep(request) {
  const fields = await request.clone().formData();
  try {
    return await post(request);
  } catch (error) {
    const record = AdvisoryOutbox.fromFields(new URL(request.url).pathname, fields, "");
    await AdvisoryOutbox.put(record);
    await self.registration.sync?.register("outbox").catch(() => {});
    return Response.redirect(AdvisoryOutbox.returnTo(record), 303);
  }
}

// A page loaded before this worker controlled it asks for its copy to be kept.
self.addEventListener("message", event => {
  if (event.data?.type === "claim") {  // a page loaded while this worker was activating
    event.waitUntil(self.clients.claim());
    return;
  }
  const path = event.data?.type === "save" && event.data.path;
  const url = path && new URL(path, self.location.origin);
  if (url && url.origin === self.location.origin && savedKey(url) === path) {
    event.waitUntil(fetch(path, {credentials: "same-origin"}).then(r => save(path, r), () => {}));
  }
});

self.addEventListener("sync", event => {
  if (event.tag === "outbox") event.waitUntil(syncOutbox());
});

async function syncOutbox() {
  const outcomes = await AdvisoryOutbox.flush();
  if (!outcomes.length) return;
  // The contacts are gone already (flush deletes them on that answer); the pages follow.
  if (outcomes.some(outcome => outcome.state === "signed-out")) await forgetAccount();
  const windows = await self.clients.matchAll({type: "window"});
  windows.forEach(client => client.postMessage({type: "outbox", outcomes}));
}
