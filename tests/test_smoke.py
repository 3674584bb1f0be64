from conftest import add_advisor


def test_due_list_shows_advisor(session, user):
    add_advisor(user, name="Dana Reyes")
    html = session.get("/").get_data(as_text=True)
    assert "Dana Reyes" in html
