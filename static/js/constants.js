// What the server tells the page scripts, on <body data-constants> (script_constants in
// advisory/rendering.py), so that no script keeps a copy of it:
//  - ROUTES: the URLs they call and the patterns of the addresses they recognise, made from
//    the app's own routes ("{id}" in a URL stands for an advisor's id). The service worker
//    is given the same ROUTES above its code.
//  - KINDS: the label of each kind of contact, by key.
"use strict";
const {routes: ROUTES, kinds: KINDS} = JSON.parse(document.body.dataset.constants);
