"""The outreach site on PostgreSQL: Chinese search and simultaneous registrations."""

import threading

import pytest
from django.db import connection
from django.test import Client

from cms.models import EventRegistration
from tests.cms import builders

# serialized_rollback: the home page made by a migration survives each test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_chinese_search_finds_words_inside_words_on_postgresql():
    inside = builders.article(title="开展3·19森林消防日宣传活动", text="各地开展森林消防日宣传。")
    builders.article(title="有限空间作业指引", text="先通风、再检测、后作业。")
    response = Client().get("/search/", {"q": "消防"})
    assert [p.pk for _, group in response.context["groups"] for p in group] == [inside.pk]


def test_simultaneous_registrations_never_exceed_capacity():
    event = builders.event(capacity=5)
    url = event.url
    barrier = threading.Barrier(12)
    statuses: list[str] = []
    lock = threading.Lock()

    def register(n: int):
        try:
            barrier.wait(timeout=10)
            html = Client().post(
                url, {"name": "李晓梅", "phone": f"1391111{n:04d}", "attendees": "1"}
            )
            outcome = "ok" if "报名成功" in html.content.decode() else "refused"
        except Exception as error:  # noqa: BLE001  (a crash is what we look for)
            outcome = f"crash: {error!r}"
        finally:
            connection.close()
        with lock:
            statuses.append(outcome)

    threads = [threading.Thread(target=register, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == ["ok"] * 5 + ["refused"] * 7
    assert EventRegistration.objects.filter(page=event).count() == 5
