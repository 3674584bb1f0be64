"""The installable app: manifest, service worker, offline page and offline sync."""
