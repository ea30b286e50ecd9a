"""Campus news (issue 23): the newest announcement posts in the original widget's shape, bounded, in
one statement whatever the page size."""

import pytest
from helpers import statements_for
from platform_helpers import create


@pytest.fixture
def faculty(app, client):
    from platform_helpers import signed_in

    return signed_in(app, client, "prof@test.edu", role="faculty")


def test_news_is_the_newest_announcements(client, faculty):
    create(client, faculty, title="Just talk")  # a discussion: not news
    exam = create(client, faculty, title="Mid-term exam schedule", type="announcement", tags="Academic")
    fest = create(client, faculty, title="Hackathon registration open", type="announcement", tags="Event")
    notice = create(client, faculty, title="Library closed Sunday", type="announcement")
    news = client.get("/news/").get_json()
    assert [(item["id"], item["type"], item["color"]) for item in news] == [
        (notice["id"], "Notice", "bg-yellow-100 text-yellow-700"),
        (fest["id"], "Event", "bg-blue-100 text-blue-700"),
        (exam["id"], "Academic", "bg-red-100 text-red-700")]
    assert set(news[0]) == {"id", "title", "date", "type", "color"} and news[0]["title"] == "Library closed Sunday"
    month, day = news[0]["date"].split()
    assert len(month) == 3 and day.isdigit()
    assert [item["id"] for item in client.get("/news?limit=1").get_json()] == [notice["id"]]


@pytest.mark.parametrize("limit", ["0", "21", "x"])
def test_the_page_is_bounded(client, limit):
    assert client.get(f"/news/?limit={limit}").status_code == 422


def test_news_costs_one_statement_for_one_item_or_twenty(app, client, faculty):
    for number in range(20):
        create(client, faculty, title=f"Notice {number}", type="announcement")
    counts = {limit: statements_for(app, client, f"/news/?limit={limit}", {})[0] for limit in (1, 20)}
    assert counts[1] == counts[20] == 1
