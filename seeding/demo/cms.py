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
from seeding.demo.blocks import (
    bullets,
    cta,
    documents,
    faq,
    heading,
    para,
    quote,
    rich,
)
from seeding.demo.pictures import HEIGHT, SOURCE, WIDTH, draw_cover, draw_pdf
from seeding.loaders import articles_load

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
    articles = articles_load(
        campaigns=campaigns,
        current_campaign=campaigns["current"],
        current_is_winter=current_slug.startswith("winter"),
        images=pictures,
        documents=docs,
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
