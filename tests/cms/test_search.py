import pytest

from cms.search import cjk_terms
from tests.cms import builders


def test_chinese_runs_become_bigrams_and_other_words_stay():
    assert cjk_terms("森林消防日") == "森林 林消 消防 防日"
    assert cjk_terms("3·19森林消防日 PPE") == "3·19 森林 林消 消防 防日 PPE"
    assert cjk_terms("火") == "火"
    assert cjk_terms("") == ""


@pytest.mark.django_db
class TestSiteSearch:
    @pytest.fixture
    def pages(self):
        inside = builders.article(
            title="开展3·19森林消防日宣传活动", text="各地开展森林消防日宣传。"
        )
        other = builders.article(title="有限空间作业指引", text="先通风、再检测、后作业。")
        return inside, other

    def test_a_chinese_word_inside_a_longer_word_is_found(self, client, pages):
        inside, _other = pages
        response = client.get("/search/", {"q": "消防"})
        results = [p.pk for _, group in response.context["groups"] for p in group]
        assert results == [inside.pk]
        assert "开展3·19森林消防日宣传活动" in response.content.decode()

    def test_multi_word_queries_need_every_word(self, client, pages):
        _inside, other = pages

        def found(q):
            return [p.pk for _, g in client.get("/search/", {"q": q}).context["groups"] for p in g]

        assert found("通风 检测") == [other.pk]
        assert found("通风 消防") == []

    def test_results_are_grouped_by_page_type_and_counted(self, client, pages):
        builders.event(title="森林消防知识讲座")
        response = client.get("/search/", {"q": "森林消防"})
        labels = [label for label, _ in response.context["groups"]]
        assert sorted(labels) == sorted(["文章", "宣传活动"])
        assert "找到 2 条" in response.content.decode()

    def test_drafts_are_not_found(self, client, pages):
        inside, _ = pages
        inside.unpublish()
        assert client.get("/search/", {"q": "消防"}).context["groups"] == []

    def test_an_empty_query_shows_the_form(self, client):
        response = client.get("/search/")
        assert response.status_code == 200
        assert response.context["groups"] == []
