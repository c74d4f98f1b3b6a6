"""Editorial workflow pieces: scheduled publishing, registration export, rich-text sanitising."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import Role
from cms.models import ArticlePage
from cms.tasks import publish_scheduled_pages
from tests.cms import builders
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_page_scheduled_to_go_live_is_published_by_the_beat_task(client):
    article = builders.article(title="定时发布的文章")
    article.unpublish()
    revision = article.save_revision(approved_go_live_at=timezone.now() + timedelta(minutes=5))
    publish_scheduled_pages.delay()
    assert not ArticlePage.objects.get(pk=article.pk).live
    revision.approved_go_live_at = timezone.now() - timedelta(seconds=1)
    revision.save()
    publish_scheduled_pages.delay()
    assert ArticlePage.objects.get(pk=article.pk).live
    assert client.get(article.url).status_code == 200


def test_an_expired_page_is_taken_down(client):
    article = builders.article(title="限时发布的文章")
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - timedelta(seconds=1)
    )
    publish_scheduled_pages.delay()
    assert not ArticlePage.objects.get(pk=article.pk).live
    assert client.get(article.url).status_code == 404


def test_an_editor_exports_an_events_registrations(client):
    event = builders.event(capacity=10)
    client.post(event.url, {"name": "李晓梅", "phone": "13911112222", "attendees": "2"})
    editor = UserFactory()
    services.role_grant(user=editor, role=Role.PUBLICITY_EDITOR, actor=None)
    client.force_login(editor)
    response = client.get(f"/admin/forms/submissions/{event.pk}/", {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[1][1:4] == ["李晓梅", "+8613911112222", "2"]


def test_a_worker_cannot_see_registrations(client):
    from tests.factories import WorkerProfileFactory

    event = builders.event(capacity=10)
    client.force_login(WorkerProfileFactory().user)
    response = client.get(f"/admin/forms/submissions/{event.pk}/")
    assert response.status_code in (302, 403)


def test_rich_text_from_the_editor_cannot_carry_script():
    from wagtail.admin.rich_text import DraftailRichTextArea

    widget = DraftailRichTextArea(features=["bold", "link"])
    contentstate = {
        "blocks": [
            {
                "key": "a1",
                "type": "unstyled",
                "text": "<script>alert(1)</script> 安全",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [],
                "data": {},
            }
        ],
        "entityMap": {},
    }
    html = widget.value_from_datadict({"body": json.dumps(contentstate)}, {}, "body")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_registration_answers_cannot_run_as_formulas_in_the_csv(client):
    from cms.models import EventFormField

    event = builders.event(capacity=10)
    EventFormField.objects.create(page=event, label="备注", field_type="singleline", required=False)
    clean_name = EventFormField.objects.get().clean_name
    client.post(
        event.url,
        {"name": "李晓梅", "phone": "13911112222", "attendees": "1", clean_name: "=HYPERLINK(1)"},
    )
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(f"/admin/forms/submissions/{event.pk}/", {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in content


def test_editors_keep_topics_and_only_moderators_keep_site_settings():
    editor, moderator = UserFactory(), UserFactory()
    services.role_grant(user=editor, role=Role.PUBLICITY_EDITOR, actor=None)
    services.role_grant(user=moderator, role=Role.PUBLICITY_MODERATOR, actor=None)
    assert editor.has_perm("cms.add_topic") and editor.has_perm("cms.change_topic")
    assert not editor.has_perm("cms.delete_topic")
    assert not editor.has_perm("cms.change_sitesettings")
    moderator = type(moderator).objects.get(pk=moderator.pk)
    assert moderator.has_perm("cms.change_sitesettings")
