"""Demo content for the outreach site: sections, campaigns, events, articles, halls, cases,
videos, documents and site settings, all written for the demo (cases are anonymised: 某化工企业).

Every cover image and every PDF is drawn by ``seeding.demo.pictures``, so seeding needs no
network. Pages are looked up by slug under their parent, images and documents by title, so
running the seed again changes nothing. Dates of the "current" campaign and of upcoming events
are computed from today, so a fresh demo always has a campaign on now and open registrations.
"""

import io
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypedDict, cast

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db.models import Q
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from accounts.models import District, Industry
from cms.models import (
    ArticleIndexPage,
    ArticlePage,
    CampaignIndexPage,
    CampaignPage,
    CaseIndexPage,
    CasePage,
    DocumentLibraryPage,
    EventFormField,
    EventIndexPage,
    EventPage,
    ExperienceHallIndexPage,
    ExperienceHallPage,
    HomePage,
    SiteSettings,
    Topic,
    VideoIndexPage,
    VideoPage,
)
from seeding.demo.pictures import HEIGHT, SOURCE, WIDTH, draw_cover, draw_pdf

EVENT_TAGS = {"lecture": "安全讲座", "live": "线上直播", "hands_on": "实操体验"}


class Images:
    """Wagtail images by title: drawn and saved the first time, found afterwards."""

    def __init__(self):
        self.model = get_image_model()
        self.created = 0

    def get(
        self,
        title: str,
        *,
        key: str,
        motif: str,
        palette: str,
        caption: str = "",
        tag: str = "",
        size=(WIDTH, HEIGHT),
    ):
        image = self.model.objects.filter(title=title).first()
        if image is None:
            jpeg = draw_cover(
                caption=caption or title, motif=motif, palette=palette, tag=tag, size=size
            )
            image = self.model(
                title=title, file=ImageFile(io.BytesIO(jpeg), name=f"anxun-demo-{key}.jpg")
            )
            image.save()
            self.created += 1
        return image


# --- StreamField blocks in their stored (JSON) form ------------------------------------------


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def para(*paragraphs: str) -> dict:
    return {"type": "paragraph", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}


def bullets(items: list[str], lead: str = "", ordered: bool = False) -> dict:
    tag = "ol" if ordered else "ul"
    html = (
        (f"<p>{lead}</p>" if lead else "")
        + f"<{tag}>"
        + "".join(f"<li>{i}</li>" for i in items)
        + f"</{tag}>"
    )
    return {"type": "paragraph", "value": html}


def picture(image, caption: str, attribution: str = SOURCE) -> dict:
    return {
        "type": "image",
        "value": {"image": image.pk, "caption": caption, "attribution": attribution},
    }


def quote(text: str, who: str = "") -> dict:
    return {"type": "quote", "value": {"text": text, "attribution": who}}


def table(caption: str, rows: list[list[str]]) -> dict:
    return {
        "type": "table",
        "value": {
            "data": rows,
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_caption": caption,
        },
    }


def faq(title: str, items: list[tuple[str, str]]) -> dict:
    return {
        "type": "faq",
        "value": {
            "title": title,
            "items": [{"question": q, "answer": f"<p>{a}</p>"} for q, a in items],
        },
    }


def cta(title: str, text: str, button: str, page) -> dict:
    return {
        "type": "call_to_action",
        "value": {"title": title, "text": text, "button_text": button, "page": page.pk, "url": ""},
    }


def documents(title: str, docs: list) -> dict:
    return {"type": "documents", "value": {"title": title, "documents": [d.pk for d in docs]}}


def rich(*paragraphs: str) -> str:
    return "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs)


# --- Pages -----------------------------------------------------------------------------------


class Pages:
    def __init__(self):
        self.created = 0

    def child(self, parent, slug: str, build):
        """The live child of ``parent`` with this slug, or ``build()`` added and published."""
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific
        page = build()
        page.slug = slug
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        return page


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# --- Content ---------------------------------------------------------------------------------

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "cms"


def _data(name: str) -> Any:
    """The parsed JSON file ``seeding/data/cms/<name>.json``."""
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


SECTION_MODELS: dict[str, type[Page]] = {
    model.__name__: model
    for model in (
        ArticleIndexPage,
        CampaignIndexPage,
        EventIndexPage,
        ExperienceHallIndexPage,
        CaseIndexPage,
        VideoIndexPage,
        DocumentLibraryPage,
    )
}

# Sections in menu order: (model, slug, title, intro); the file names the model by class name.
SECTIONS: list[tuple[type[Page], str, str, str]] = [
    (SECTION_MODELS[s["model"]], s["slug"], s["title"], s["intro"]) for s in _data("sections")
]

# (name, slug)
TOPICS: list[tuple[str, str]] = [(t["name"], t["slug"]) for t in _data("topics")]

# (collection, title, key, subtitle, lines); the key names the PDF file.
DOCUMENTS: list[tuple[str, str, str, str, list[str]]] = [
    (d["collection"], d["title"], d["key"], d["subtitle"], d["lines"]) for d in _data("documents")
]


def _season(today: date) -> dict:
    """The campaign that is on now: its name and words depend on the season."""
    year = today.year
    month = today.month
    if month in (11, 12, 1, 2):
        return {
            "slug": f"winter-fire-safety-{year}",
            "title": f"{year}年冬季消防安全宣传月",
            "theme": "防范火灾风险 共建平安杭州",
            "audiences": "企业员工、社区居民、老年人、中小学生",
            "intro": "冬季天干物燥，用火用电用气量增加，是火灾易发、多发季节。全市集中开展冬季消防安全宣传，聚焦电动自行车、出租房、“九小场所”和老旧小区等重点，推动消防安全知识进企业、进社区、进学校、进家庭。",
            "motif": "flame",
            "palette": "red",
            "focus": [
                "电动自行车“进楼入户”、飞线充电专项整治宣传；",
                "出租房、群租房和“九小场所”消防安全提示上门；",
                "高层建筑消防通道、疏散通道畅通“打通生命通道”行动；",
                "独居老人、留守儿童家庭“一老一小”用火用电安全入户指导。",
            ],
        }
    if month in (3, 4, 5):
        return {
            "slug": f"spring-safety-{year}",
            "title": f"{year}年春季复工复产安全宣传月",
            "theme": "复工复产 安全先行",
            "audiences": "企业主要负责人、安全管理人员、返岗员工",
            "intro": "春季是企业复工复产、建设项目集中开工的关键时期，也是新员工入职的高峰期。全市集中开展复工复产安全宣传，督促企业落实“开工第一课”，做好返岗员工安全教育培训。",
            "motif": "helmet",
            "palette": "teal",
            "focus": [
                "企业复工前安全条件自查，重点检查设备设施和消防设施；",
                "返岗和新入职员工“开工第一课”安全教育全覆盖；",
                "建筑施工项目开工前安全技术交底；",
                "春季森林防火和清明节期间祭扫用火安全宣传。",
            ],
        }
    if month in (6, 7, 8):
        return {
            "slug": f"summer-flood-typhoon-{year}",
            "title": f"{year}年夏季防汛防台安全宣传月",
            "theme": "防汛防台 有备无患",
            "audiences": "社区居民、户外作业人员、建筑施工企业、中小学生",
            "intro": "每年6至9月是我市梅汛期和台风多发期。全市集中开展防汛防台、防高温中暑和防溺水宣传，提醒企业和群众关注预警信息，掌握避险转移和自救互救知识。",
            "motif": "house",
            "palette": "teal",
            "focus": [
                "地下空间、低洼地带和在建工地防汛防台隐患排查；",
                "户外作业人员高温中暑防护宣传；",
                "中小学生暑期防溺水安全教育；",
                "台风来临前“人员转移到位、船只回港到位”避险宣传。",
            ],
        }
    return {
        "slug": f"autumn-safety-{year}",
        "title": f"{year}年秋季安全生产宣传月",
        "theme": "秋冬换季 安全不松",
        "audiences": "企业员工、社区居民、驾驶人、中小学生",
        "intro": "秋季是企业生产经营旺季，也是道路交通和火灾风险上升的时期。全市集中开展秋季安全生产宣传，围绕危险化学品、道路运输和消防安全等重点领域，推动风险隐患早发现、早处置。",
        "motif": "shield",
        "palette": "amber",
        "focus": [
            "危险化学品企业旺季生产安全风险提示；",
            "国庆假期和秋季出行道路交通安全宣传；",
            "秋冬换季电气线路和取暖设备安全检查；",
            "学校秋季开学“安全第一课”。",
        ],
    }


def _campaigns(today: date) -> list[dict]:
    season = _season(today)
    start = today - timedelta(days=14)
    return [
        {
            "slug": "forest-fire-day-2026",
            "title": "3·19森林消防日",
            "theme": "防范森林火灾 守护绿水青山",
            "start": date(2026, 3, 19),
            "end": date(2026, 3, 25),
            "audiences": "林区群众、景区游客、中小学生、护林员",
            "intro": "3月19日是森林消防日。我市森林覆盖率高，清明前后祭扫用火和春季农事用火增多，森林火灾风险上升。宣传周期间，各区县（市）在林区、景区和学校集中开展森林防灭火宣传。",
            "motif": "tree",
            "palette": "green",
            "paragraphs": [
                "杭州市森林覆盖率超过六成，西湖群山、临安天目山、淳安千岛湖周边林区与居民区、景区交错分布。每年3至4月，气温回升、降水偏少，加之清明祭扫和春耕备耕，野外用火明显增多，是森林火灾的高发期。",
                "森林消防日宣传周期间，全市组织护林员、森林消防队员和志愿者进村入户，发放《森林防火告知书》，在林区入口、景区游步道设置防火提示牌，并通过村广播、“村村响”每日播报防火提醒。",
            ],
            "quote": ("进山不带火，野外不用火，祭扫文明化，平安过清明。", "森林防火宣传口号"),
            "faq": [
                (
                    "在林区可以烧纸祭扫吗？",
                    "不可以。森林防火期内，林区及林缘一定范围内严禁烧纸、燃放鞭炮和点烛焚香。请选择鲜花祭扫、网络祭扫等文明方式。",
                ),
                (
                    "发现山火应该怎么办？",
                    "立即拨打119或12119森林火警电话，说清起火地点、火势大小和周边情况；不要贸然上山扑救，应向山下、逆风方向撤离。",
                ),
            ],
        },
        {
            "slug": "disaster-reduction-day-2026",
            "title": "5·12防灾减灾日",
            "theme": "人人讲安全、个个会应急——识别身边灾害风险",
            "start": date(2026, 5, 6),
            "end": date(2026, 5, 15),
            "audiences": "社区居民、学校师生、老年人、企业员工",
            "intro": "5月12日是全国防灾减灾日。宣传周期间，全市开展社区灾害风险隐患排查、应急避难场所开放日、学校疏散演练和家庭应急物资储备宣传等活动。",
            "motif": "house",
            "palette": "teal",
            "paragraphs": [
                "我市地处长江三角洲南翼，台风、暴雨、洪涝、地质灾害等自然灾害多发。防灾减灾宣传周以“识别身边灾害风险”为重点，引导社区居民查一查家中、楼道和小区里的风险点，学一学逃生避险和自救互救技能。",
                "宣传周期间，全市各应急避难场所同步开放，社区组织居民熟悉避难场所位置和疏散路线；中小学、幼儿园开展不少于一次的应急疏散演练；各体验馆推出防灾减灾主题体验课程。",
            ],
            "quote": (
                "防灾减灾，从认识身边的风险开始；应急避险，从准备一个家庭应急包开始。",
                "杭州市减灾委员会办公室",
            ),
            "faq": [
                (
                    "家庭应急包里应该准备什么？",
                    "建议准备饮用水、即食食品、手电筒、备用电池、哨子、常用药品、急救包、身份证件复印件和少量现金，并定期检查更换。",
                ),
                (
                    "怎样查询附近的应急避难场所？",
                    "可在“浙里办”App或地图软件中搜索“应急避难场所”，也可关注社区公告栏张贴的避难场所分布图。",
                ),
            ],
        },
        {
            "slug": "safety-month-2026",
            "title": "2026年安全生产月",
            "theme": "落实安全责任 推动安全发展——人人学安全、岗位保安全",
            "start": date(2026, 6, 1),
            "end": date(2026, 6, 30),
            "audiences": "企业主要负责人、安全管理人员、一线员工",
            "intro": "6月是全国第二十五个“安全生产月”。我市以“企业百万员工安全大培训”为主线，组织开展安全宣传咨询日、应急演练周、事故警示教育周和“安全生产万里行”等系列活动。",
            "motif": "shield",
            "palette": "navy",
            "paragraphs": [
                "安全生产月期间，全市各类企业要组织开展一次主要负责人安全讲话、一次全员安全培训、一次应急演练、一次隐患自查自改和一次事故警示教育，即“五个一”活动。",
                "6月16日为全国“安全宣传咨询日”，市、区两级设立主会场，设置法规咨询、隐患举报、应急体验和安全培训报名等服务台，现场解答企业和群众关心的安全问题。",
            ],
            "quote": (
                "安全生产责任重于泰山，每一名员工都是安全生产的第一道防线。",
                "杭州市安全生产委员会办公室",
            ),
            "faq": [
                (
                    "企业参加“安全大培训”需要做什么？",
                    "企业安全管理员登录“安训”平台完成企业认证，组织员工实名注册、在线学习，学时达标后预约理论和实操考试。",
                ),
                (
                    "发现安全隐患如何举报？",
                    "可拨打12350安全生产举报投诉热线，或在“安训”平台和“杭州应急管理”微信公众号提交举报，经查实的按规定给予奖励。",
                ),
            ],
        },
        {
            "slug": season["slug"],
            "title": season["title"],
            "theme": season["theme"],
            "start": start,
            "end": start + timedelta(days=44),
            "audiences": season["audiences"],
            "intro": season["intro"],
            "motif": season["motif"],
            "palette": season["palette"],
            "paragraphs": [
                "本次宣传月由杭州市安全生产委员会办公室统筹，各区、县（市）安委办和行业主管部门共同组织。宣传月期间重点开展以下工作：",
            ],
            "focus": season["focus"],
            "quote": ("隐患险于明火，防范胜于救灾，责任重于泰山。", "杭州市安全生产委员会办公室"),
            "faq": [
                (
                    "宣传月期间有哪些活动可以参加？",
                    "可在本站“宣传活动”栏目查看全市讲座、直播和体验活动，在线报名后凭短信到场签到；直播活动无需报名。",
                ),
                (
                    "企业如何申请送教上门？",
                    "企业可通过所在区、县（市）应急管理局或本站联系方式申请，宣讲团将根据企业行业特点安排专题课程。",
                ),
            ],
        },
    ]


# Events: slug, title, kind, audience, day offset from today (None: fixed date), fixed date,
# hours, district, place, capacity, campaign key ("current" or a slug), stream url, questions,
# intro, programme.
def _events(today: date) -> list[dict]:
    return [
        {
            "slug": "family-fire-safety-hubin",
            "title": "“一老一小”家庭防火安全课（湖滨街道）",
            "kind": EventPage.Kind.LECTURE,
            "audience": "elderly",
            "day": today + timedelta(days=3),
            "hours": ((9, 30), (11, 0)),
            "district": "330102",
            "place": "上城区湖滨街道社区文化家园二楼多功能厅",
            "capacity": 60,
            "campaign": "current",
            "motif": "flame",
            "palette": "orange",
            "intro": "消防站指导员走进社区，为老年人和孩子讲解家中用火用电用气安全，现场演示灭火器和灭火毯的使用方法。欢迎祖孙结伴参加。",
            "programme": [
                "9:30—10:00 家庭火灾案例分析：小火为什么会变成大灾；",
                "10:00—10:30 灭火器、灭火毯使用方法现场演示；",
                "10:30—11:00 祖孙互动：绘制家庭逃生路线图。",
            ],
            "questions": [
                ("所在社区", "singleline", True, "", "", "例如：东坡路社区"),
            ],
        },
        {
            "slug": "winter-fire-live-class",
            "title": "消防安全直播课：出租房与电动自行车火灾防范",
            "kind": EventPage.Kind.LIVE,
            "audience": "public",
            "day": today + timedelta(days=6),
            "hours": ((19, 30), (20, 30)),
            "district": None,
            "place": "线上直播",
            "capacity": 0,
            "campaign": "current",
            "stream_url": "https://live.example.gov.cn/anxun/fire-safety-live",
            "motif": "play",
            "palette": "red",
            "intro": "市消防救援支队防火监督员在线讲解出租房、群租房和电动自行车火灾防范要点，直播间设有答疑环节。无需报名，届时点击直播链接即可观看。",
            "programme": [
                "电动自行车火灾的特点：升温快、毒性大、易复燃；",
                "出租房“人员住宿与生产经营合用”的风险；",
                "房东和租客各自的消防安全责任；",
                "直播答疑：观众提问，专家现场解答。",
            ],
        },
        {
            "slug": "little-firefighters-xiaoshan",
            "title": "少儿消防安全体验日：小小消防员",
            "kind": EventPage.Kind.HANDS_ON,
            "audience": "children",
            "day": today + timedelta(days=10),
            "hours": ((14, 0), (16, 0)),
            "district": "330109",
            "place": "萧山区消防科普教育馆",
            "capacity": 40,
            "campaign": "current",
            "motif": "helmet",
            "palette": "orange",
            "intro": "面向6至12岁儿童及家长，在专业教员带领下体验烟雾逃生、119报警模拟和消防车参观，学习“小手拉大手”家庭防火知识。每名儿童须由一名家长陪同。",
            "programme": [
                "烟雾逃生通道体验：低姿弯腰、捂住口鼻；",
                "119报警电话模拟：说清地址、说清火情；",
                "参观消防车和消防员装备；",
                "领取“小小消防员”体验证书。",
            ],
            "questions": [
                ("孩子年龄", "number", True, "", "", "6至12周岁"),
                (
                    "参加场次",
                    "dropdown",
                    True,
                    "第一场 14:00—15:00\n第二场 15:00—16:00",
                    "第一场 14:00—15:00",
                    "",
                ),
            ],
        },
        {
            "slug": "safety-law-for-managers",
            "title": "企业主要负责人安全生产法专题讲座",
            "kind": EventPage.Kind.LECTURE,
            "audience": "managers",
            "day": today + timedelta(days=15),
            "hours": ((14, 0), (17, 0)),
            "district": "330106",
            "place": "西湖区应急安全体验中心一楼报告厅",
            "capacity": 200,
            "campaign": "current",
            "closes_days_before": 2,
            "motif": "shield",
            "palette": "navy",
            "intro": "邀请安全生产法律专家，结合我市行政执法典型案例，解读主要负责人的七项法定职责和常见违法行为的法律后果。参加讲座计入企业主要负责人年度再培训学时。",
            "programme": [
                "主要负责人的七项法定职责逐条解读；",
                "全员安全生产责任制和双重预防机制怎么建；",
                "典型执法案例：未履职的主要负责人被处罚；",
                "现场答疑。",
            ],
            "questions": [
                ("所在单位", "singleline", True, "", "", "请填写营业执照上的单位全称"),
                (
                    "职务",
                    "dropdown",
                    True,
                    "主要负责人\n分管安全负责人\n安全管理人员\n其他",
                    "",
                    "",
                ),
            ],
        },
        {
            "slug": "confined-space-drill-qiantang",
            "title": "危化品企业有限空间作业应急演练观摩",
            "kind": EventPage.Kind.HANDS_ON,
            "audience": "workers",
            "day": today + timedelta(days=25),
            "hours": ((9, 0), (11, 30)),
            "district": "330114",
            "place": "钱塘区危化品安全实训基地演练场",
            "capacity": 80,
            "campaign": "current",
            "motif": "manhole",
            "palette": "slate",
            "intro": "组织危险化学品和工贸企业安全管理人员、班组长观摩有限空间作业中毒窒息事故应急救援演练，现场学习气体检测仪、正压式空气呼吸器和三脚架救援装置的使用。",
            "programme": [
                "演练情景：储罐清洗作业人员昏倒，监护人员报警；",
                "处置流程：停止作业、报警、通风检测、佩戴防护装备后施救；",
                "装备实操：四合一气体检测仪、正压式空气呼吸器；",
                "专家点评。",
            ],
        },
        {
            "slug": "silver-age-home-safety",
            "title": "银龄安全课堂：居家用电用气安全",
            "kind": EventPage.Kind.LECTURE,
            "audience": "elderly",
            "day": today + timedelta(days=40),
            "hours": ((9, 30), (11, 0)),
            "district": "330105",
            "place": "拱墅区米市巷街道老年活动中心",
            "capacity": 50,
            "campaign": None,
            "motif": "bolt",
            "palette": "amber",
            "intro": "为社区老年人讲解电热毯、取暖器、燃气灶具的安全使用方法，免费检查燃气软管，并发放家用燃气报警器使用说明。",
            "programme": [
                "电热毯、取暖器使用“五不要”；",
                "燃气软管老化怎么看、多久换；",
                "燃气泄漏了怎么办：不开灯、不打电话、先开窗；",
                "现场免费检查燃气软管（请带照片）。",
            ],
        },
        {
            "slug": "safety-consultation-day-2026",
            "title": "2026年安全生产月“安全宣传咨询日”杭州主会场活动",
            "kind": EventPage.Kind.HANDS_ON,
            "audience": "public",
            "day": date(2026, 6, 16),
            "hours": ((9, 0), (11, 30)),
            "district": "330105",
            "place": "拱墅区武林广场",
            "capacity": 300,
            "campaign": "safety-month-2026",
            "motif": "shield",
            "palette": "navy",
            "intro": "市、区两级应急管理、消防救援、住建、交通等部门集中设台，提供法规咨询、隐患举报受理、应急救护体验和安全培训报名服务。",
            "programme": [
                "法规咨询台：安全生产法、消防法现场解答；",
                "应急救护体验区：心肺复苏和AED使用；",
                "VR安全体验区：高处坠落、触电、火灾逃生；",
                "“安训”平台现场注册指导。",
            ],
        },
        {
            "slug": "forest-fire-day-lin-an",
            "title": "3·19森林消防日进林区宣传活动（临安区）",
            "kind": EventPage.Kind.LECTURE,
            "audience": "public",
            "day": date(2026, 3, 20),
            "hours": ((9, 30), (11, 30)),
            "district": "330112",
            "place": "临安区天目山镇文化礼堂",
            "capacity": 100,
            "campaign": "forest-fire-day-2026",
            "motif": "tree",
            "palette": "green",
            "intro": "森林消防队员和护林员进村宣讲森林防火法规和野外用火规定，演示风力灭火机使用，并向村民发放《森林防火告知书》。",
            "programme": [
                "森林防火期野外用火“十不准”；",
                "清明文明祭扫倡议；",
                "风力灭火机操作演示；",
                "护林员巡山经验分享。",
            ],
        },
    ]


def _articles(*, campaigns: dict, images: dict, docs: dict, current_is_winter: bool) -> dict:
    """Articles by section slug. Each: slug, title, date, topic, tags, campaign, intro, body."""
    winter = campaigns["current"] if current_is_winter else None
    return {
        "news": [
            {
                "slug": "million-workers-training-launch",
                "title": "杭州启动2026年“企业百万员工安全大培训”行动",
                "date": date(2026, 2, 26),
                "topic": None,
                "tags": ["安全培训", "百万员工"],
                "campaign": None,
                "motif": "shield",
                "palette": "navy",
                "intro": "市安委办印发实施方案，力争年内完成全市重点行业领域企业一线员工安全培训全覆盖，做到“人人受培训、个个有证书”。",
                "body": [
                    para(
                        "2月26日，杭州市召开全市“企业百万员工安全大培训”行动部署会，市安委办印发《杭州市企业百万员工安全大培训行动实施方案》，明确以制造业、建筑业、交通运输业、危险化学品和住宿餐饮等行业为重点，全年培训企业一线员工100万人次。",
                        "实施方案提出，培训采用“线上学习＋理论考试＋实操考试”模式。员工通过“安训”平台实名注册、在线学习，学时达标后参加理论考试，再预约就近考点参加实操考试，考试通过即可当场领取电子证书，证书可扫码验证真伪。",
                    ),
                    heading("分区培训任务"),
                    table(
                        "2026年各区、县（市）培训任务分解（部分）",
                        [
                            ["区、县（市）", "重点企业数（家）", "培训任务（万人次）", "完成时限"],
                            ["萧山区", "2860", "14.5", "2026年11月底"],
                            ["余杭区", "2410", "12.0", "2026年11月底"],
                            ["钱塘区", "1580", "9.8", "2026年11月底"],
                            ["临平区", "1320", "7.6", "2026年11月底"],
                            ["西湖区", "960", "5.2", "2026年11月底"],
                        ],
                    ),
                    quote(
                        "安全培训不到位是最大的安全隐患。要让每一名一线员工都懂风险、会防范、能自救。",
                        "杭州市安全生产委员会办公室",
                    ),
                    heading("企业怎么参加"),
                    bullets(
                        [
                            "企业安全管理员登录“安训”平台，完成企业信息认证；",
                            "组织员工使用手机号实名注册并关联所在企业；",
                            "员工在线学习通用安全知识和本行业专业课程；",
                            "学时达标后参加理论考试，通过后预约实操考试；",
                            "实操考试通过，当场领取电子培训合格证书。",
                        ],
                        ordered=True,
                    ),
                    faq(
                        "常见问题",
                        [
                            (
                                "培训收费吗？",
                                "不收费。“企业百万员工安全大培训”所需课程、考试和证书均由政府统一提供，任何单位和个人不得以此名义收取费用。",
                            ),
                            (
                                "外地户籍员工能参加吗？",
                                "可以。在杭企业的所有从业人员，不论户籍，均可通过所在企业组织参加培训和考试。",
                            ),
                        ],
                    ),
                ],
            },
            {
                "slug": "forest-fire-day-2026-review",
                "title": "3·19森林消防日：我市集中开展森林防灭火宣传",
                "date": date(2026, 3, 20),
                "topic": "xiaofang",
                "tags": ["森林防火", "森林消防日"],
                "campaign": campaigns["forest-fire-day-2026"],
                "motif": "tree",
                "palette": "green",
                "intro": "森林消防日当天，全市13个区、县（市）同步开展宣传，走进林区村庄、景区和学校，发放森林防火告知书，提醒清明期间文明祭扫。",
                "body": [
                    para(
                        "3月19日是森林消防日。当天，我市在临安区天目山镇设立主会场，森林消防队员、护林员和志愿者走进林区村庄和景区，向村民和游客讲解野外用火规定，提醒“进山不带火、林区不吸烟”。",
                        "今年森林消防日宣传周期间，各地共设置宣传点230余个，发放《森林防火告知书》12万余份，组织森林火灾扑救演练46场。西湖风景名胜区在主要游步道入口增设了防火检查点，对进山游客开展火种劝收。",
                    ),
                    picture(images["forest"], "森林消防日宣传活动现场（示意图）"),
                    heading("清明期间防火提示"),
                    bullets(
                        [
                            "提倡鲜花祭扫、网络祭扫、植树祭扫；",
                            "林区及林缘一定范围内严禁烧纸、燃放鞭炮；",
                            "发现火情立即拨打119或12119，不要盲目扑救。",
                        ]
                    ),
                ],
            },
            {
                "slug": "disaster-reduction-week-2026",
                "title": "全市防灾减灾宣传周活动综述",
                "date": date(2026, 5, 15),
                "topic": "fangzai-jianzai",
                "tags": ["防灾减灾日", "应急避难场所"],
                "campaign": campaigns["disaster-reduction-day-2026"],
                "motif": "house",
                "palette": "teal",
                "intro": "宣传周期间，全市开放应急避难场所180余处，1200多所中小学、幼儿园开展应急疏散演练，社区排查整改灾害风险隐患3400余处。",
                "body": [
                    para(
                        "5月6日至15日，我市以“识别身边灾害风险”为主题开展防灾减灾宣传周活动。各区、县（市）组织社区居民对楼道、地下车库、低洼地带等进行风险排查，对发现的排水不畅、广告牌松动、堆物占道等问题建立清单、逐项整改。",
                        "宣传周期间，全市应急避难场所统一开放，居民可实地了解避难场所位置、功能分区和物资储备情况。各中小学、幼儿园结合地震、火灾等情景开展疏散演练，平均疏散用时比去年缩短约20秒。",
                    ),
                    table(
                        "防灾减灾宣传周主要数据",
                        [
                            ["项目", "数量", "单位"],
                            ["开放应急避难场所", "186", "处"],
                            ["开展学校疏散演练", "1243", "场"],
                            ["排查整改风险隐患", "3417", "处"],
                            ["发放家庭应急手册", "15.6", "万册"],
                        ],
                    ),
                    quote(
                        "防灾减灾是全社会的共同责任，每个家庭都应有一份应急预案、一个应急包。",
                        "杭州市减灾委员会办公室",
                    ),
                ],
            },
            {
                "slug": "safety-month-2026-launch",
                "title": "2026年安全生产月启动 聚焦“人人学安全、岗位保安全”",
                "date": date(2026, 6, 1),
                "topic": None,
                "tags": ["安全生产月", "安全宣传咨询日"],
                "campaign": campaigns["safety-month-2026"],
                "motif": "shield",
                "palette": "navy",
                "intro": "安全生产月期间，全市将开展安全宣传咨询日、应急演练周、事故警示教育周等系列活动，推动企业开展“五个一”活动。",
                "body": [
                    para(
                        "6月1日，杭州市2026年“安全生产月”活动正式启动。本届安全生产月以“落实安全责任 推动安全发展”为主题，突出“人人学安全、岗位保安全”，与“企业百万员工安全大培训”行动统筹推进。",
                    ),
                    heading("活动安排"),
                    table(
                        "2026年安全生产月主要活动",
                        [
                            ["时间", "活动", "组织单位"],
                            ["6月1日—7日", "主要负责人讲安全、企业“开工第一课”", "各行业主管部门"],
                            ["6月8日—14日", "应急演练周", "市安委办、各区县（市）"],
                            ["6月16日", "安全宣传咨询日", "市安委办"],
                            ["6月17日—23日", "事故警示教育周", "市应急管理局"],
                            ["6月24日—30日", "隐患排查“回头看”", "各区县（市）安委办"],
                        ],
                    ),
                    documents("宣传资料下载", [docs["2026安全生产月宣传海报"]]),
                    faq(
                        "企业“五个一”活动",
                        [
                            (
                                "“五个一”具体指什么？",
                                "一次主要负责人安全讲话、一次全员安全培训、一次应急演练、一次隐患自查自改、一次事故警示教育。",
                            ),
                            (
                                "活动材料需要上报吗？",
                                "各企业将活动开展情况留存备查，重点企业通过“安训”平台上传活动照片和签到表。",
                            ),
                        ],
                    ),
                ],
            },
            {
                "slug": "winter-fire-hazard-campaign",
                "title": "我市开展冬季消防安全隐患大排查大整治",
                "date": date(2026, 11, 18),
                "topic": "xiaofang",
                "tags": ["火灾隐患", "消防通道", "电动自行车"],
                "campaign": winter,
                "motif": "flame",
                "palette": "red",
                "intro": "即日起至明年2月底，全市对高层建筑、出租房、“九小场所”和电动自行车停放充电场所开展消防安全隐患大排查大整治。",
                "body": [
                    para(
                        "入冬以来，我市用火用电用气量明显增加，火灾风险上升。市消防安全委员会办公室部署开展冬季消防安全隐患大排查大整治，重点整治占用堵塞消防通道、电动自行车“进楼入户”和飞线充电、出租房违规住人等突出问题。",
                        "各街道、乡镇组织网格员对辖区出租房、沿街店铺逐户上门检查，对发现的隐患当场督促整改；消防救援部门对高层建筑消防设施运行情况开展抽查，对消防设施损坏、消防控制室值班不到位的依法处罚。",
                    ),
                    picture(images["extinguisher"], "灭火器使用“提、拔、握、压”四步法"),
                    heading("整治重点"),
                    bullets(
                        [
                            "高层住宅和商住楼：消防通道、楼梯间堆放杂物，常闭式防火门常开；",
                            "出租房、群租房：“三合一”场所违规住人，逃生出口被封堵；",
                            "电动自行车：楼道停放充电、私拉电线充电；",
                            "“九小场所”：电气线路老化、灭火器配置不足。",
                        ]
                    ),
                    quote(
                        "消防通道就是生命通道，占用一分钟，可能就耽误一条生命。",
                        "杭州市消防救援支队",
                    ),
                ],
            },
        ],
        "science": [
            {
                "slug": "confined-space-seven-rules",
                "title": "有限空间作业“七不准”，你记住了吗？",
                "date": date(2026, 4, 10),
                "topic": "youxian-kongjian",
                "tags": ["有限空间", "中毒窒息"],
                "campaign": None,
                "motif": "manhole",
                "palette": "slate",
                "intro": "污水井、化粪池、储罐、地下室……这些看似普通的地方，可能积聚有毒有害气体或缺氧。作业前记住“七不准”，才能平安进出。",
                "body": [
                    para(
                        "有限空间是指封闭或者部分封闭，与外界相对隔离，出入口较为狭窄，作业人员不能长时间在内工作，自然通风不良，易造成有毒有害、易燃易爆物质积聚或者氧含量不足的空间。",
                        "有限空间中毒窒息事故往往“一人遇险、多人遇难”：第一名作业人员倒下后，同伴在没有防护的情况下盲目下井施救，导致伤亡扩大。",
                    ),
                    heading("有限空间作业“七不准”"),
                    bullets(
                        [
                            "未经风险辨识不准作业；",
                            "未经通风和检测合格不准作业；",
                            "不佩戴劳动防护用品不准作业；",
                            "没有监护不准作业；",
                            "电气设备不符合规定不准作业；",
                            "未经审批不准作业；",
                            "未经培训演练不准作业。",
                        ],
                        ordered=True,
                    ),
                    picture(images["confined"], "有限空间作业流程：先通风、再检测、后作业"),
                    documents("延伸阅读", [docs["有限空间作业安全指引"]]),
                    faq(
                        "常见问题",
                        [
                            (
                                "气体检测合格后就可以一直作业吗？",
                                "不可以。作业过程中应持续检测或定时检测，气体浓度变化或作业中断后重新进入前，都应重新检测。",
                            ),
                            (
                                "同事倒在井下，我该怎么办？",
                                "立即呼救并拨打119、120，不要在没有防护的情况下下井施救。应在佩戴正压式空气呼吸器等防护装备、有人监护的前提下施救。",
                            ),
                        ],
                    ),
                ],
            },
            {
                "slug": "e-bike-fire-five-points",
                "title": "电动自行车火灾为何难以扑救？五个要点讲清楚",
                "date": date(2026, 9, 8),
                "topic": "xiaofang",
                "tags": ["电动自行车", "家庭防火"],
                "campaign": None,
                "motif": "flame",
                "palette": "orange",
                "intro": "锂电池一旦热失控，几秒钟内就会喷出火焰和大量有毒烟气。了解电动自行车火灾的特点，才能从源头防范。",
                "body": [
                    para(
                        "近年来，电动自行车火灾在居民住宅火灾中的占比持续上升。与普通火灾相比，电动自行车锂电池火灾具有升温快、毒性大、易复燃的特点，常规灭火器很难将其彻底扑灭，消防救援人员往往需要大量持续用水冷却。",
                    ),
                    heading("五个要点"),
                    bullets(
                        [
                            "<b>升温快：</b>电池热失控后，3至5秒内温度可升至上千摄氏度；",
                            "<b>毒性大：</b>燃烧产生一氧化碳、氟化氢等有毒气体，少量吸入就可能致人昏迷；",
                            "<b>蔓延快：</b>停在楼道的电动自行车起火，浓烟沿楼梯间迅速向上蔓延；",
                            "<b>易复燃：</b>表面火焰熄灭后，电池内部反应仍在继续；",
                            "<b>隐患在充电：</b>大部分电动自行车火灾发生在充电过程中，尤其是夜间充电。",
                        ]
                    ),
                    table(
                        "电动自行车安全使用对照表",
                        [
                            ["正确做法", "错误做法"],
                            ["在集中充电场所充电", "在楼道、门厅、室内充电"],
                            ["使用原厂充电器，充满即断电", "整夜充电、使用不匹配的充电器"],
                            ["购买有3C认证的整车和电池", "私自改装、加装电池"],
                        ],
                    ),
                    quote("车进楼、电入户，是最大的消防安全隐患。", "杭州市消防救援支队"),
                ],
            },
            {
                "slug": "hazardous-chemical-labels",
                "title": "危险化学品安全标签怎么看",
                "date": date(2026, 7, 15),
                "topic": "weihuapin",
                "tags": ["危险化学品", "安全标签", "GHS"],
                "campaign": None,
                "motif": "diamond",
                "palette": "amber",
                "intro": "红色菱形边框里的象形图、信号词和危险说明，告诉你这瓶化学品“危险在哪里、怎么防护、出事怎么办”。",
                "body": [
                    para(
                        "危险化学品安全标签是粘贴在化学品包装上、用于提示接触人员的一组文字和图形，主要包括化学品标识、象形图、信号词、危险性说明、防范说明、供应商信息和应急咨询电话等内容。",
                        "信号词分为“危险”和“警告”两级：“危险”用于较为严重的危险类别，“警告”用于较轻的危险类别。在使用化学品前，作业人员应先看标签、再看安全技术说明书（SDS）。",
                    ),
                    table(
                        "常见危险象形图及含义",
                        [
                            ["象形图", "含义", "常见物质举例"],
                            ["火焰", "易燃气体、易燃液体、自燃物质", "乙醇、丙酮、液化石油气"],
                            ["骷髅和交叉骨", "急性毒性（严重）", "氰化物、甲醇（高浓度）"],
                            ["腐蚀", "皮肤腐蚀、严重眼损伤、金属腐蚀", "硫酸、氢氧化钠"],
                            ["圆圈上方火焰", "氧化性物质", "过氧化氢、高锰酸钾"],
                            ["感叹号", "刺激性、致敏性、急性毒性（较轻）", "部分清洗剂、胶黏剂"],
                        ],
                    ),
                    picture(images["chemical"], "危险化学品安全标签示意"),
                    faq(
                        "常见问题",
                        [
                            (
                                "分装到小瓶里的化学品要贴标签吗？",
                                "要。分装后的容器同样应当粘贴安全标签，至少标明化学品名称和主要危险性，严禁使用饮料瓶分装化学品。",
                            ),
                            (
                                "标签看不清了怎么办？",
                                "应及时向供应商索取并重新粘贴，标签缺失或无法辨认的化学品不得使用。",
                            ),
                        ],
                    ),
                ],
            },
            {
                "slug": "heat-stroke-prevention",
                "title": "夏季高温作业，如何预防中暑",
                "date": date(2026, 7, 2),
                "topic": "zhiye-jiankang",
                "tags": ["高温作业", "职业健康"],
                "campaign": None,
                "motif": "cross",
                "palette": "orange",
                "intro": "杭州夏季高温持续时间长，建筑工地、物流仓库和户外作业人员要做好防暑降温，用人单位要合理调整作息时间。",
                "body": [
                    para(
                        "按照国家有关规定，日最高气温达到40℃以上，应当停止当日室外露天作业；日最高气温达到37℃以上、40℃以下时，全天安排劳动者室外露天作业时间累计不得超过6小时，且在气温最高时段3小时内不得安排室外露天作业。",
                    ),
                    table(
                        "中暑的症状与处置",
                        [
                            ["类型", "主要症状", "现场处置"],
                            ["先兆中暑", "头晕、口渴、多汗、乏力", "移至阴凉处休息，补充淡盐水"],
                            ["轻症中暑", "体温38℃以上、面色潮红、皮肤灼热", "降温、补液，密切观察"],
                            ["重症中暑", "高热、意识障碍、抽搐", "立即拨打120，边送医边降温"],
                        ],
                    ),
                    bullets(
                        [
                            "避开高温时段作业，实行“做两头、歇中间”；",
                            "作业现场设置遮阳棚和休息点，配备清凉饮料和防暑药品；",
                            "少量多次饮水，不要等口渴了再喝；",
                            "患有高血压、心脏病的员工不宜从事高温作业。",
                        ],
                        lead="用人单位和劳动者都要做好以下几点：",
                    ),
                ],
            },
            {
                "slug": "typhoon-home-preparation",
                "title": "台风来临前，家庭需要做好哪些准备",
                "date": date(2026, 8, 5),
                "topic": "fangzai-jianzai",
                "tags": ["台风", "防汛防台", "家庭应急"],
                "campaign": None,
                "motif": "house",
                "palette": "teal",
                "intro": "关注预警、加固门窗、备好物资、听从转移——台风来临前的四件事，每个家庭都应该提前做好。",
                "body": [
                    heading("一、关注预警信息"),
                    para(
                        "通过电视、广播、手机短信和“杭州应急管理”微信公众号及时了解台风路径和预警级别。台风预警分为蓝色、黄色、橙色、红色四级，红色最高。"
                    ),
                    heading("二、检查加固门窗"),
                    para(
                        "关好门窗，检查窗户玻璃是否松动；把阳台、窗台上的花盆和杂物搬进室内；居住在危旧房、工棚、低洼地带的居民要提前做好转移准备。"
                    ),
                    heading("三、准备应急物资"),
                    bullets(
                        [
                            "饮用水和方便食品，按家庭人数准备三天的量；",
                            "手电筒、充电宝、收音机和备用电池；",
                            "常用药品和急救包；",
                            "重要证件放入防水袋。",
                        ]
                    ),
                    heading("四、听从指挥转移"),
                    para(
                        "接到转移通知后，要服从安排、及时撤离，不要心存侥幸、擅自返回。台风过境期间不要外出，不要在广告牌、大树和临时建筑物下避雨。"
                    ),
                    quote("宁可十防九空，不可失防万一。", "防汛防台工作要求"),
                ],
            },
            {
                "slug": "home-electricity-for-elderly-and-children",
                "title": "“一老一小”居家用电安全提示",
                "date": date(2026, 10, 12),
                "topic": "dianqi",
                "tags": ["一老一小", "用电安全"],
                "campaign": None,
                "motif": "bolt",
                "palette": "amber",
                "intro": "老人记性差、孩子好奇心强，家中的插座、电热毯和取暖器都可能成为隐患。家人多提醒一句，安全就多一分。",
                "body": [
                    para(
                        "入秋以后，电热毯、取暖器等家用电器使用频率增加。独居老人对电器老化不敏感，孩子容易触摸插座、电线，“一老一小”是家庭用电安全需要特别关照的人群。",
                    ),
                    heading("给老人的提示"),
                    bullets(
                        [
                            "电热毯不要折叠使用，不要整夜通电；",
                            "取暖器远离窗帘、被褥等可燃物；",
                            "电器出现异味、冒烟，先断电再处理；",
                            "插线板不要串接，不要长期超负荷使用。",
                        ]
                    ),
                    heading("给孩子的提示"),
                    bullets(
                        [
                            "家中插座加装安全保护盖；",
                            "告诉孩子不用湿手触摸开关和插座；",
                            "不要在电线、变压器附近放风筝；",
                            "看到有人触电，先断电，不要直接用手去拉。",
                        ]
                    ),
                    faq(
                        "常见问题",
                        [
                            (
                                "家里需要安装漏电保护器吗？",
                                "需要。漏电保护器能在发生漏电时迅速切断电源，是防止触电事故的重要设备，应每月按一次试验按钮检查是否有效。",
                            ),
                        ],
                    ),
                ],
            },
        ],
        "warning": [
            {
                "slug": "confined-space-poisoning-lesson",
                "title": "一起有限空间中毒事故的深刻教训",
                "date": date(2026, 3, 5),
                "topic": "youxian-kongjian",
                "tags": ["有限空间", "事故警示", "盲目施救"],
                "campaign": None,
                "motif": "manhole",
                "palette": "slate",
                "intro": "某印染企业员工在未检测、无监护的情况下进入污水调节池作业，导致中毒，同伴盲目施救造成伤亡扩大。",
                "body": [
                    heading("事故经过"),
                    para(
                        "某日下午，某印染企业安排两名员工清理污水调节池底部淤泥。两人在未办理作业审批、未进行气体检测、未佩戴防护用品的情况下进入池内作业。约十分钟后，一名员工晕倒，另一名员工下池施救时也相继晕倒。后经消防救援人员救出，一人经抢救无效死亡，一人受伤。",
                    ),
                    heading("事故原因"),
                    bullets(
                        [
                            "作业人员未执行“先通风、再检测、后作业”的要求，池内硫化氢浓度严重超标；",
                            "企业未建立有限空间作业审批制度，现场无监护人员；",
                            "员工未经有限空间作业专项培训，缺乏自救互救知识，盲目施救；",
                            "企业未配备气体检测仪、正压式空气呼吸器等应急装备。",
                        ]
                    ),
                    quote(
                        "有限空间作业，一人倒下，多人跟进，是最常见也最惨痛的事故模式。",
                        "事故调查组",
                    ),
                    heading("警示"),
                    para(
                        "涉及有限空间作业的企业要对照本单位有限空间台账，逐一落实审批、通风、检测、监护和应急救援措施。员工发现同伴遇险时，第一时间呼救报警，切勿盲目施救。"
                    ),
                ],
            },
            {
                "slug": "fall-from-height-harness",
                "title": "高处坠落事故警示：安全带为什么必须“高挂低用”",
                "date": date(2026, 5, 28),
                "topic": "jianzhu-shigong",
                "tags": ["高处坠落", "安全带", "建筑施工"],
                "campaign": None,
                "motif": "helmet",
                "palette": "amber",
                "intro": "高处坠落是建筑施工中最常见的事故类型。一条正确系挂的安全带，就是作业人员的“生命线”。",
                "body": [
                    para(
                        "某建筑工地，一名架子工在12米高的外脚手架上拆除连墙件时，虽然佩戴了安全带，但未将挂钩系挂在牢固构件上，因脚下踩空坠落至地面，经抢救无效死亡。事故调查发现，该作业人员未取得特种作业操作证，现场也无专职安全员监督。",
                    ),
                    heading("什么是“高挂低用”"),
                    para(
                        "安全带的挂点应高于作业人员腰部，这样一旦坠落，下坠距离短、冲击力小。如果挂点低于腰部，坠落时的冲击距离和冲击力都会成倍增加，即使安全带没有断，也可能造成严重伤害。"
                    ),
                    table(
                        "高处作业安全检查要点",
                        [
                            ["检查项目", "要求"],
                            ["人员资格", "登高架设作业人员持特种作业操作证上岗"],
                            ["安全带", "全身式安全带，挂点牢固，高挂低用"],
                            ["作业平台", "脚手板铺满铺稳，设防护栏杆和挡脚板"],
                            ["临边洞口", "设置防护栏杆或盖板，挂设安全网"],
                        ],
                    ),
                    quote("安全带不是摆设，挂好了才是生命线。", "市建设工程安全监督站"),
                ],
            },
            {
                "slug": "blocked-fire-lane-tragedy",
                "title": "堵塞消防通道酿成的悲剧——某商住楼火灾事故剖析",
                "date": date(2026, 9, 22),
                "topic": "xiaofang",
                "tags": ["消防通道", "火灾事故", "疏散逃生"],
                "campaign": None,
                "motif": "flame",
                "palette": "red",
                "intro": "一场本可以迅速扑灭的火灾，因消防通道被占用、疏散楼梯堆满杂物，造成人员伤亡。这起事故再次警示我们：生命通道不容堵塞。",
                "body": [
                    heading("事故经过"),
                    para(
                        "某商住楼一层商铺夜间发生火灾。起火后，消防车因小区内消防车通道被私家车占用，无法靠近建筑展开救援，延误约十五分钟。同时，楼内疏散楼梯间堆放纸箱、旧家具等杂物，常闭式防火门被木楔固定在开启状态，浓烟迅速进入楼梯间并向上蔓延，造成多名住户被困。",
                    ),
                    heading("暴露的问题"),
                    bullets(
                        [
                            "物业服务企业未履行消防安全管理职责，长期放任占用消防车通道；",
                            "疏散楼梯间堆放可燃杂物，防火门失去阻烟作用；",
                            "一层商铺“前店后宅”，经营场所与住宿场所未进行防火分隔；",
                            "部分住户缺乏逃生常识，冒险穿越浓烟。",
                        ]
                    ),
                    picture(images["evacuation"], "保持消防通道和疏散通道畅通（示意图）"),
                    faq(
                        "遇到火灾怎么逃生",
                        [
                            (
                                "楼梯间有浓烟还能往下跑吗？",
                                "不要冒险穿越浓烟。应关闭房门，用湿毛巾塞住门缝，到靠近外窗的位置呼救，等待消防救援人员救援。",
                            ),
                            (
                                "可以乘坐电梯逃生吗？",
                                "不可以。火灾时电梯可能断电停运，电梯井还会成为烟囱，应通过疏散楼梯逃生。",
                            ),
                        ],
                    ),
                    quote("占用消防通道看似小事，关键时刻就是生死之隔。", "杭州市消防救援支队"),
                ],
            },
            {
                "slug": "truck-blind-spot-warning",
                "title": "货车盲区事故警示：大型车辆右转必停",
                "date": date(2026, 10, 28),
                "topic": "jiaotong",
                "tags": ["道路运输", "视觉盲区", "右转必停"],
                "campaign": None,
                "motif": "road",
                "palette": "slate",
                "intro": "大型货车右转时，右侧和前方存在大面积视觉盲区。一起物流企业货车右转碾压电动自行车骑行人的事故，再次敲响警钟。",
                "body": [
                    para(
                        "某物流企业驾驶人驾驶重型半挂牵引车在路口右转时，未停车观察，与同向直行的电动自行车发生碰撞，造成骑行人死亡。经调查，该车辆右侧盲区监测装置损坏未修，企业对驾驶人的安全教育流于形式。",
                    ),
                    table(
                        "大型车辆盲区分布",
                        [
                            ["盲区位置", "范围（约）", "风险"],
                            ["车头正前方", "1至2米", "起步时碰撞行人"],
                            ["右侧车身", "整车长度、宽约1.5米", "右转时碾压非机动车"],
                            ["车尾后方", "数米", "倒车时碰撞"],
                        ],
                    ),
                    bullets(
                        [
                            "驾驶人右转弯前必须停车观察，确认安全后再缓慢通过；",
                            "企业要定期检查盲区监测、右转语音提示等安全装置；",
                            "非机动车和行人要远离大型车辆，不要在其右侧并行；",
                            "道路运输企业每月至少开展一次驾驶人安全教育。",
                        ],
                        lead="警示与要求：",
                    ),
                ],
            },
        ],
    }


class HallSpec(TypedDict):
    slug: str
    title: str
    district: str  # a district's code
    designation: str  # ExperienceHallPage.Level
    address: str
    latitude: str
    longitude: str
    opening_hours: str
    phone: str
    motif: str
    palette: str
    intro: str
    zones: list[str]


HALLS: list[HallSpec] = _data("halls")


class CaseSpec(TypedDict):
    slug: str
    title: str
    industry: str  # an industry's code
    district: str  # a district's code
    decided_on: date  # ISO in the file
    motif: str
    palette: str
    intro: str
    violation: str
    penalty: str
    lesson: list[str]  # paragraphs


CASES: list[CaseSpec] = [
    cast(CaseSpec, {**case, "decided_on": date.fromisoformat(case["decided_on"])})
    for case in _data("cases")
]


class VideoSpec(TypedDict):
    slug: str
    title: str
    video_url: str
    duration: str
    motif: str
    palette: str
    intro: str
    transcript: list[str]  # paragraphs


VIDEOS: list[VideoSpec] = _data("videos")

SETTINGS: dict[str, str] = _data("settings")


# --- Seeding ---------------------------------------------------------------------------------


def _home() -> HomePage:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    return HomePage.objects.get(slug="home")


def _collection(name: str) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def _documents() -> tuple[dict, int]:
    Document = get_document_model()
    found, created = {}, 0
    for collection_name, title, key, subtitle, lines in DOCUMENTS:
        document = Document.objects.filter(title=title).first()
        if document is None:
            document = Document(
                title=title,
                collection=_collection(collection_name),
                file=ContentFile(draw_pdf(title, subtitle, lines), name=f"{key}.pdf"),
            )
            document.save()
            created += 1
        found[title] = document
    return found, created


def _topics() -> dict:
    topics = {}
    for name, slug in TOPICS:
        topic = Topic.objects.filter(Q(slug=slug) | Q(name=name)).first()
        if topic is None:
            topic = Topic.objects.create(name=name, slug=slug)
        topics[slug] = topic
    return topics


def _campaign_body(spec: dict, *, events_index, poster) -> list:
    body = [heading("活动背景"), para(*spec["paragraphs"])]
    if "focus" in spec:
        body.append(bullets(spec["focus"], ordered=True))
    body.append(quote(*spec["quote"]))
    if poster is not None:
        body.append(documents("宣传资料", [poster]))
    body += [
        faq("常见问题", spec["faq"]),
        cta(
            "参加活动",
            "全市讲座、直播和体验活动正在报名，名额有限，报满即止。",
            "查看活动并报名",
            events_index,
        ),
    ]
    return body


def seed(*, stdout) -> list:
    today = timezone.localdate()
    images = Images()
    pages = Pages()
    home = _home()
    districts = {d.code: d for d in District.objects.all()}
    industries = {i.code: i for i in Industry.objects.all()}

    docs, docs_created = _documents()
    topics = _topics()

    # Sections, in menu order.
    sections = {}
    for model, slug, title, intro in SECTIONS:
        sections[slug] = pages.child(
            home,
            slug,
            lambda model=model, title=title, intro=intro: model(
                title=title, intro=intro, show_in_menus=True
            ),
        )

    # Extra pictures for bodies.
    pictures = {
        "forest": images.get(
            "配图·森林防火宣传",
            key="body-forest",
            motif="tree",
            palette="green",
            caption="进山不带火 野外不用火",
            tag="森林防火",
        ),
        "extinguisher": images.get(
            "配图·灭火器使用四步法",
            key="body-extinguisher",
            motif="flame",
            palette="red",
            caption="提、拔、握、压：灭火器使用四步法",
            tag="消防安全",
        ),
        "confined": images.get(
            "配图·有限空间作业流程",
            key="body-confined",
            motif="manhole",
            palette="slate",
            caption="先通风 再检测 后作业",
            tag="有限空间",
        ),
        "chemical": images.get(
            "配图·危险化学品安全标签",
            key="body-chemical",
            motif="diamond",
            palette="amber",
            caption="看标签 查说明书 再作业",
            tag="危险化学品",
        ),
        "evacuation": images.get(
            "配图·保持消防通道畅通",
            key="body-evacuation",
            motif="road",
            palette="red",
            caption="生命通道 请勿占用",
            tag="消防通道",
        ),
    }

    # Campaigns.
    campaigns = {}
    specs = _campaigns(today)
    for spec in specs:
        cover = images.get(
            f"封面·{spec['title']}",
            key=f"campaign-{spec['slug']}",
            motif=spec["motif"],
            palette=spec["palette"],
            caption=spec["title"],
            tag="主题活动",
        )
        poster = docs["2026安全生产月宣传海报"] if spec["slug"] == "safety-month-2026" else None
        if spec["slug"] == specs[-1]["slug"] and spec["slug"].startswith("winter"):
            poster = docs["家庭消防安全“十不要”宣传单"]
        campaigns[spec["slug"]] = pages.child(
            sections["campaigns"],
            spec["slug"],
            lambda spec=spec, cover=cover, poster=poster: CampaignPage(
                title=spec["title"],
                theme=spec["theme"],
                start_date=spec["start"],
                end_date=spec["end"],
                audiences=spec["audiences"],
                intro=spec["intro"],
                cover=cover,
                body=_campaign_body(spec, events_index=sections["events"], poster=poster),
            ),
        )
    current_slug = specs[-1]["slug"]
    campaigns["current"] = campaigns[current_slug]

    # Events.
    for spec in _events(today):
        (start_h, start_m), (end_h, end_m) = spec["hours"]
        starts_at, ends_at = _at(spec["day"], start_h, start_m), _at(spec["day"], end_h, end_m)
        campaign = campaigns.get(spec["campaign"]) if spec["campaign"] else None
        cover = images.get(
            f"封面·{spec['title']}",
            key=f"event-{spec['slug']}",
            motif=spec["motif"],
            palette=spec["palette"],
            caption=spec["title"],
            tag=EVENT_TAGS[spec["kind"]],
        )

        def build(spec=spec, starts_at=starts_at, ends_at=ends_at, campaign=campaign, cover=cover):
            questions = [
                EventFormField(
                    label=label,
                    field_type=field_type,
                    required=required,
                    choices=choices,
                    default_value=default,
                    help_text=help_text,
                    sort_order=index,
                )
                for index, (label, field_type, required, choices, default, help_text) in enumerate(
                    spec.get("questions", [])
                )
            ]
            body = [
                heading("活动安排"),
                bullets(spec["programme"]),
            ]
            if spec["capacity"]:
                body.append(
                    faq(
                        "报名须知",
                        [
                            (
                                "怎样报名？",
                                f"在本页面下方填写姓名和手机号即可报名，每个手机号限报一次，每次最多5人。名额{spec['capacity']}个，报满即止。",
                            ),
                            (
                                "报名后不能参加怎么办？",
                                "请提前拨打12350热线告知，以便将名额让给其他市民。",
                            ),
                        ],
                    )
                )
            else:
                body.append(
                    para(
                        "本活动为线上直播，无需报名。直播开始前10分钟开放直播间，届时点击页面上方“观看直播”链接即可进入。错过直播的，可在“视频课堂”栏目观看回放。"
                    )
                )
            closes = spec.get("closes_days_before")
            return EventPage(
                title=spec["title"],
                kind=spec["kind"],
                audience=spec["audience"],
                starts_at=starts_at,
                ends_at=ends_at,
                place=spec["place"],
                district=districts.get(spec["district"]) if spec["district"] else None,
                stream_url=spec.get("stream_url", ""),
                capacity=spec["capacity"],
                registration_closes_at=starts_at - timedelta(days=closes) if closes else None,
                campaign=campaign,
                intro=spec["intro"],
                cover=cover,
                body=body,
                thank_you_text=rich(
                    f"您已成功报名“{spec['title']}”。",
                    f"请于{timezone.localtime(starts_at):%-m月%-d日 %H:%M}前15分钟到达{spec['place']}，凭报名短信签到。如有疑问请拨打12350。",
                ),
                form_fields=questions,
            )

        pages.child(sections["events"], spec["slug"], build)

    # Articles.
    articles = _articles(
        campaigns=campaigns,
        images=pictures,
        docs=docs,
        current_is_winter=current_slug.startswith("winter"),
    )
    for section_slug, specs_ in articles.items():
        for spec in specs_:
            topic = topics.get(spec["topic"]) if spec["topic"] else None
            cover = images.get(
                f"封面·{spec['title']}",
                key=f"article-{spec['slug']}",
                motif=spec["motif"],
                palette=spec["palette"],
                caption=spec["title"],
                tag=topic.name if topic else sections[section_slug].title,
            )

            def build_article(spec=spec, topic=topic, cover=cover):
                page = ArticlePage(
                    title=spec["title"],
                    date=spec["date"],
                    source=SOURCE,
                    topic=topic,
                    campaign=spec["campaign"],
                    intro=spec["intro"],
                    cover=cover,
                    body=spec["body"],
                )
                page.tags.add(*spec["tags"])
                return page

            pages.child(sections[section_slug], spec["slug"], build_article)

    # Experience halls.
    for hall in HALLS:
        cover = images.get(
            f"封面·{hall['title']}",
            key=f"hall-{hall['slug']}",
            motif=hall["motif"],
            palette=hall["palette"],
            caption=hall["title"],
            tag="安全体验馆",
        )
        pages.child(
            sections["halls"],
            hall["slug"],
            lambda hall=hall, cover=cover: ExperienceHallPage(
                title=hall["title"],
                district=districts[hall["district"]],
                designation=hall["designation"],
                address=hall["address"],
                latitude=hall["latitude"],
                longitude=hall["longitude"],
                opening_hours=hall["opening_hours"],
                phone=hall["phone"],
                intro=hall["intro"],
                cover=cover,
                how_to_book=rich(
                    "团体参观（10—40人）请至少提前3个工作日预约，个人和家庭参观可直接前往（节假日建议预约）。",
                    "<ol><li>拨打预约电话，或在“杭州应急管理”微信公众号“场馆预约”栏目提交申请；</li>"
                    "<li>填写单位名称、参观人数、联系人和期望日期；</li>"
                    "<li>收到确认短信后，按预约时间凭短信入馆。</li></ol>",
                    "参观免费。请穿着运动鞋等便于活动的服装，孕妇、心脏病患者等不宜参加剧烈体验项目。",
                ),
                body=[
                    heading("体验项目"),
                    bullets(hall["zones"]),
                    faq(
                        "参观须知",
                        [
                            (
                                "企业可以组织员工来做实操培训吗？",
                                "可以。场馆可根据企业行业特点定制培训课程，参加体验计入“企业百万员工安全大培训”学时。",
                            ),
                            (
                                "有停车位吗？",
                                "场馆停车位有限，建议乘坐公共交通前往；团体大巴请提前告知车牌号。",
                            ),
                        ],
                    ),
                ],
            ),
        )

    # Cases.
    for case in CASES:
        industry = industries[case["industry"]]
        cover = images.get(
            f"封面·{case['title']}",
            key=f"case-{case['slug']}",
            motif=case["motif"],
            palette=case["palette"],
            caption=case["title"],
            tag="以案说法",
        )
        pages.child(
            sections["cases"],
            case["slug"],
            lambda case=case, industry=industry, cover=cover: CasePage(
                title=case["title"],
                industry=industry,
                district=districts.get(case["district"]),
                decided_on=case["decided_on"],
                violation=case["violation"],
                penalty=case["penalty"],
                lesson=rich(*case["lesson"]),
                intro=case["intro"],
                cover=cover,
                body=[
                    quote(
                        "以案为鉴、以案促改。企业要对照案例开展自查自纠，举一反三消除同类隐患。",
                        SOURCE,
                    ),
                ],
            ),
        )

    # Videos.
    for video in VIDEOS:
        cover = images.get(
            f"封面·{video['title']}",
            key=f"video-{video['slug']}",
            motif=video["motif"],
            palette=video["palette"],
            caption=video["title"],
            tag=f"视频课堂 · {video['duration']}",
        )
        pages.child(
            sections["videos"],
            video["slug"],
            lambda video=video, cover=cover: VideoPage(
                title=video["title"],
                video_url=video["video_url"],
                duration=video["duration"],
                intro=video["intro"],
                cover=cover,
                transcript=rich(*video["transcript"]),
                body=[
                    cta(
                        "学完去考试",
                        "观看视频计入在线学习学时，学时达标后即可参加理论考试。",
                        "前往安全大培训",
                        sections["events"],
                    ),
                ],
            ),
        )

    # Site settings and the home page's picture.
    site = (
        Site.objects.filter(root_page=home).first()
        or Site.objects.filter(is_default_site=True).first()
    )
    if site is not None:
        settings_ = SiteSettings.for_site(site)
        changed = [name for name, value in SETTINGS.items() if getattr(settings_, name) != value]
        if changed or settings_.pk is None:
            for name, value in SETTINGS.items():
                setattr(settings_, name, value)
            settings_.save()
    hero = images.get(
        "首页主视觉·企业百万员工安全大培训",
        key="hero",
        motif="shield",
        palette="navy",
        caption="企业百万员工安全大培训",
        tag="学安全 考证书 即考即领",
        size=(1600, 900),
    )
    if home.hero_image_id is None:
        home.hero_image = hero
        home.save_revision().publish()

    live = Page.objects.live().descendant_of(home)
    counts = {
        "articles": ArticlePage.objects.live().count(),
        "campaigns": CampaignPage.objects.live().count(),
        "events": EventPage.objects.live().count(),
        "halls": ExperienceHallPage.objects.live().count(),
        "cases": CasePage.objects.live().count(),
        "videos": VideoPage.objects.live().count(),
    }
    stdout.write(
        f"Seeded the outreach site: {live.count()} pages under home ({pages.created} new; "
        + ", ".join(f"{n} {name}" for name, n in counts.items())
        + f"), {len(topics)} topics, {images.created} new images, {len(docs)} documents ({docs_created} new)."
    )
    return []
