"""Demo site: the home page at the root of the default Wagtail site."""

from wagtail.models import Page, Site

from .models import HomePage

HERO_TITLE = "企业百万员工安全大培训"
HERO_TEXT = (
    "学安全、考证书、即考即领。在线学习安全生产知识，参加理论考试，"
    "预约考点实操考试，考试通过当场领取证书，手机扫码即可验证真伪。"
)


def seed(*, stdout):
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="安训首页", slug="anxun-home", hero_title=HERO_TITLE, hero_text=HERO_TEXT
            )
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="安训"
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "安训"
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!" placeholder
    stdout.write("Home page ready.")
    return []
