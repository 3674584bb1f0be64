"""The private calendar feed and how to subscribe to it."""
