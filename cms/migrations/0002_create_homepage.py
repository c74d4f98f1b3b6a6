"""Put the Anxun home page at the root of the default site (as Wagtail's project template does),
replacing Wagtail's "Welcome to your new Wagtail site!" placeholder, so every fresh install,
production included, opens on the campaign's front page."""

from django.db import migrations

HERO_TITLE = "企业百万员工安全大培训"
HERO_TEXT = (
    "学安全、考证书、即考即领。在线学习安全生产知识，参加理论考试，"
    "预约考点实操考试，考试通过当场领取证书，手机扫码即可验证真伪。"
)


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while number:
        number, remainder = divmod(number, 36)
        out = digits[remainder] + out
    return out or "0"


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    if HomePage.objects.exists():
        return
    Page.objects.filter(
        depth=2,
        numchild=0,
        content_type__app_label="wagtailcore",
        content_type__model="page",
    ).delete()
    taken = [int(path[4:], 36) for path in Page.objects.filter(depth=2).values_list("path", flat=True)]
    path = "0001" + _base36(max(taken, default=0) + 1).rjust(4, "0")
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    locale = Locale.objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="安训首页",
        draft_title="安训首页",
        slug="home",
        content_type=content_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
        hero_title=HERO_TITLE,
        hero_text=HERO_TEXT,
    )
    root = Page.objects.get(depth=1)
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="安训"
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
