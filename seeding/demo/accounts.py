"""Demo data for accounts: enterprises across Hangzhou, real-name workers, one login per role.

Identity numbers and credit codes are generated with valid check digits (python-stdnum); they
belong to nobody. Everything is keyed by natural keys, so running the seed again changes nothing.
"""

import functools
import io
import random
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw
from stdnum.cn import ric, uscc

from accounts import services
from accounts.models import District, Enterprise, Industry, Role, User, WorkerProfile
from accounts.reference_data import reference_data_load

DEMO_PASSWORD = "Anxun@2026"

ENTERPRISES = [
    # name, district code, industry code, headcount, uses hazardous chemicals, address
    ("杭州钱江精细化工有限公司", "330114", "C", 420, True, "钱塘区江东大道 88 号"),
    ("杭州西湖建设集团有限公司", "330106", "E", 1300, False, "西湖区文三路 199 号"),
    ("萧山恒达机械制造有限公司", "330109", "C", 560, False, "萧山区经济技术开发区建设一路 66 号"),
    ("余杭绿源食品有限公司", "330110", "C", 230, False, "余杭区良渚街道好运街 12 号"),
    ("杭州滨江智联电子科技有限公司", "330108", "I", 380, False, "滨江区江南大道 3588 号"),
    ("杭州临平纺织印染有限公司", "330113", "C", 610, True, "临平区东湖街道顺达路 500 号"),
    ("富阳新峰纸业有限公司", "330111", "C", 290, False, "富阳区银湖街道富闲路 9 号"),
    ("杭州拱墅通达物流有限公司", "330105", "G", 180, False, "拱墅区石祥路 71 号"),
    ("杭州上城明珠酒店管理有限公司", "330102", "H", 150, False, "上城区解放路 88 号"),
    ("临安山川电力工程有限公司", "330112", "D", 210, False, "临安区锦城街道钱王街 360 号"),
    ("桐庐富春建材有限公司", "330122", "C", 140, False, "桐庐县城南街道白云源路 1 号"),
    ("建德新安江化工有限公司", "330182", "C", 520, True, "建德市洋溪街道新安江路 18 号"),
    ("淳安千岛湖旅游客运有限公司", "330127", "G", 260, False, "淳安县千岛湖镇新安东路 2 号"),
]

# One login per staff role: label, mobile number, e-mail, given name, role.
STAFF = [
    (
        _("Enterprise safety officer"),
        "+8613800000002",
        "officer@anxun.demo",
        "李安",
        Role.ENTERPRISE_ADMIN,
    ),
    (_("Exam-centre staff"), "+8613800000003", "centre@anxun.demo", "王考点", Role.CENTER_STAFF),
    (_("Examiner"), "+8613800000004", "examiner@anxun.demo", "赵考评", Role.EXAMINER),
    (_("Publicity editor"), "+8613800000005", "editor@anxun.demo", "陈宣", Role.PUBLICITY_EDITOR),
    (
        _("Publicity moderator"),
        "+8613800000006",
        "moderator@anxun.demo",
        "周审",
        Role.PUBLICITY_MODERATOR,
    ),
    (
        _("District officer (Xihu)"),
        "+8613800000007",
        "xihu@anxun.demo",
        "孙区",
        Role.DISTRICT_OFFICER,
    ),
    (_("Bureau officer"), "+8613800000008", "bureau@anxun.demo", "钱局", Role.BUREAU_OFFICER),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "建国",
    "志强",
    "海燕",
    "晓东",
    "文博",
    "子涵",
    "浩然",
    "雨桐",
    "国庆",
    "红梅",
    "立新",
    "春燕",
]


def demo_uscc(index: int, district_code: str) -> str:
    body = f"91{district_code}MA2H{index:04d}X"  # 工商 enterprise, region, 9-char org code
    return body + uscc.calc_check_digit(body)


# Birthplace codes for demo ID numbers: Hangzhou's and a few from where many workers come from.
BIRTHPLACE_CODES = ["330106", "330102", "330122", "330127", "330182", "341222", "511322", "412722"]


def demo_id_number(birth: date, sequence: int) -> str:
    """A made-up ID number that python-stdnum accepts (its birthplace code existed that year)."""
    for code in BIRTHPLACE_CODES[sequence % len(BIRTHPLACE_CODES) :] + BIRTHPLACE_CODES:
        first17 = f"{code}{birth:%Y%m%d}{sequence % 1000:03d}"
        number = first17 + ric.calc_check_digit(first17 + "0")  # it expects a full-length number
        if ric.is_valid(number):
            return number
    raise ValueError(f"no demo birthplace code is valid for {birth}")


@functools.cache
def _demo_password_hash() -> str:
    # One hash for every demo account: hashing 70 passwords one by one took most of the seed.
    return make_password(DEMO_PASSWORD)


def _user(*, phone: str, email: str = "", first_name: str = "", superuser: bool = False) -> User:
    user = User.objects.filter(phone=phone).first()
    if user is None:
        user = User(
            username=f"demo{phone[3:]}",
            phone=phone,
            phone_verified=True,
            email=email,
            first_name=first_name,
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.password = _demo_password_hash()
        user.save()
    if email:
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user


def demo_portrait(seed: int) -> bytes:
    """A drawn 3:4 ID-style photo (head and shoulders on blue): certificates are issued only
    to holders with a photo, so every demo worker has one."""
    rng = random.Random(seed)
    image = Image.new("RGB", (300, 400), "#4a7fc1")
    draw = ImageDraw.Draw(image)
    skin = rng.choice(["#f1c9a5", "#e8b894", "#f3d2b3", "#dcae8a"])
    jacket = rng.choice(["#223049", "#3b3b3b", "#5a2d2d", "#2f4a3a"])
    draw.ellipse((95, 70, 205, 200), fill=skin)
    draw.rectangle((60, 230, 240, 400), fill=jacket)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _worker(*, user: User, real_name: str, id_number: str, enterprise: Enterprise) -> None:
    if not WorkerProfile.objects.filter(user=user).exists():
        profile = services.worker_profile_create(
            user=user,
            real_name=real_name,
            id_number=id_number,
            district=enterprise.district,
            employer=enterprise,
            actor=None,
        )
        profile.photo.save("demo.jpg", ContentFile(demo_portrait(user.pk)), save=True)


def seed(*, stdout):
    reference_data_load(
        districts_file=settings.ANXUN_DISTRICTS_FILE,
        industries_file=settings.ANXUN_INDUSTRIES_FILE,
    )
    districts = {district.code: district for district in District.objects.all()}
    industries = {industry.code: industry for industry in Industry.objects.all()}

    enterprises = []
    for index, (name, district_code, industry_code, headcount, hazardous, address) in enumerate(
        ENTERPRISES, start=1
    ):
        code = demo_uscc(index, district_code)
        enterprise = Enterprise.objects.filter(uscc=code).first() or services.enterprise_create(
            name=name,
            uscc=code,
            district=districts[district_code],
            industry=industries[industry_code],
            address=address,
            contact_name=SURNAMES[index] + "经理",
            contact_phone=f"0571-8{index:03d}6{index:03d}",
            headcount=headcount,
            uses_hazardous_chemicals=hazardous,
            actor=None,
        )
        enterprises.append(enterprise)

    rng = random.Random(2026)
    worker_count = 0
    for index in range(60):
        enterprise = enterprises[index % len(enterprises)]
        birth = date(1984, 1, 1) + timedelta(days=rng.randrange(0, 365 * 20))
        name = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))]
        user = _user(phone=f"+86139{index:08d}")
        _worker(
            user=user,
            real_name=name,
            id_number=demo_id_number(birth, 100 + index),
            enterprise=enterprise,
        )
        worker_count += 1

    chemical = enterprises[0]
    west_lake = districts["330106"]

    worker = _user(phone="+8613800000001", email="worker@anxun.demo")
    _worker(
        user=worker,
        real_name="张建国",
        id_number=demo_id_number(date(1986, 5, 17), 31),
        enterprise=chemical,
    )
    staff = [(_("Worker"), worker, None)] + [
        (label, _user(phone=phone, email=email, first_name=name), role)
        for label, phone, email, name, role in STAFF
    ]
    for _label, user, role in staff:
        if role is None:
            continue
        services.role_grant(
            user=user,
            role=role,
            actor=None,
            enterprise=chemical if role == Role.ENTERPRISE_ADMIN else None,
            district=west_lake if role == Role.DISTRICT_OFFICER else None,
        )
    admin = _user(
        phone="+8613800000009", email="admin@anxun.demo", first_name="管理员", superuser=True
    )
    stdout.write(f"Seeded {len(enterprises)} enterprises and {worker_count + 1} workers.")
    logins = [_login(label, user) for label, user, _role in staff]
    logins.append(_login(_("Site administrator"), admin))
    return logins


def _login(label, user: User) -> tuple:
    """(who, the mobile number to sign in with, the password) for the demo's login list."""
    assert user.phone is not None  # every demo login is made with a mobile number
    return (label, user.phone[3:], DEMO_PASSWORD)
