"""The command line: accounts, set-up link, migrations."""
from advisory.cli import link_base
from advisory.models import SetupToken, User
from support import add_advisor, make_user


def test_user_create_with_password(runner):
    result = runner.invoke(args=["user", "create", "Ada@Example.com", "--password", "s3cret-passphrase",
                                 "--timezone", "Europe/Paris"])
    assert result.exit_code == 0, result.output
    user = User.get()
    assert (user.email, user.timezone) == ("ada@example.com", "Europe/Paris")
    assert user.check_password("s3cret-passphrase")


def test_user_create_prompts_for_hidden_password(runner):
    result = runner.invoke(args=["user", "create", "ada@example.com"],
                           input="s3cret-passphrase\ns3cret-passphrase\n")
    assert result.exit_code == 0, result.output
    assert "s3cret-passphrase" not in result.output
    assert User.get().check_password("s3cret-passphrase")


def test_user_create_refuses_duplicates_and_bad_input(runner):
    make_user("ada@example.com")
    duplicate = runner.invoke(args=["user", "create", "ADA@example.com", "--password", "s3cret-passphrase"])
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    short = runner.invoke(args=["user", "create", "b@example.com", "--password", "short"])
    assert short.exit_code != 0 and "between 12 and 200" in short.output
    zone = runner.invoke(args=["user", "create", "c@example.com", "--password", "s3cret-passphrase",
                               "--timezone", "Mars/Base"])
    assert zone.exit_code != 0 and "unknown time zone" in zone.output
    assert User.select().count() == 1


def test_set_password(runner):
    make_user("ada@example.com")
    result = runner.invoke(args=["user", "set-password", "ADA@example.com"],
                           input="new-passphrase\nnew-passphrase\n")
    assert result.exit_code == 0, result.output
    assert User.get().check_password("new-passphrase")
    missing = runner.invoke(args=["user", "set-password", "nobody@example.com",
                                  "--password", "new-passphrase"])
    assert missing.exit_code != 0 and "No account" in missing.output


def test_user_list(runner):
    user = make_user("ada@example.com", tz="Asia/Tokyo")
    add_advisor(user)
    output = runner.invoke(args=["user", "list"]).output
    assert "ada@example.com" in output and "Asia/Tokyo" in output and "1 advisors" in output


def test_setup_url_only_while_no_account(runner):
    result = runner.invoke(args=["setup-url", "--base", "http://localhost:8000"])
    url = result.output.split()[-1]
    assert url.startswith("http://advisory.test/setup?token=")  # BASE_URL wins when set
    assert SetupToken.is_valid(url.split("token=")[1])
    make_user()
    assert runner.invoke(args=["setup-url"]).output == ""


def test_db_upgrade_is_idempotent(runner):
    assert "up to date" in runner.invoke(args=["db", "upgrade"]).output


def test_setup_url_on_every_interface_prints_addresses_a_browser_opens(app, runner):
    app.config["BASE_URL"] = ""
    output = runner.invoke(args=["setup-url", "--base", "http://0.0.0.0:8000"]).output
    links = [word for word in output.split() if "/setup?token=" in word]
    assert links[0].startswith("http://127.0.0.1:8000/setup?token=")
    assert not any("0.0.0.0" in link for link in links)
    assert len({link.split("token=")[1] for link in links}) == 1  # one token, several hosts


def test_emails_never_link_to_every_interface(app, runner):
    """`HOST=0.0.0.0 make run` passes that as the dispatcher's base: emailed links must
    open on a phone, so they use an address a browser can reach."""
    app.config["BASE_URL"] = ""
    with app.app_context():
        base = link_base("http://0.0.0.0:8000")
        assert "0.0.0.0" not in base and base.startswith("http://") and base.endswith(":8000")
        app.config["BASE_URL"] = "https://advisory.example.com"
        assert link_base("http://0.0.0.0:8000") == "https://advisory.example.com"
