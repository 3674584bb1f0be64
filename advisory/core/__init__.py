"""Pure rules: plain Python, no Flask, no peewee, no models. Dates, vocabulary, wording, the due list, snoozing, the feed builder, reminder rules, parsers."""
