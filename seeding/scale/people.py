"""Employers and workers at campaign scale, planned in memory before anything is written.

Enterprises get valid unified social credit codes and sizes with a long tail (most have a few
dozen workers, a few have thousands); workers get a common Chinese name, a valid resident ID
number whose birth date, sex digit and birthplace code agree (the birthplace code existed in
the birth year, as ``stdnum.cn.ric`` checks), a unique 199 mobile number and an employer.
"""

import functools
import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from .clock import DAY, Clock
from .reference import Reference

# Scale rows are told from everything else by these: usernames are ``scale00000001`` and so on,
# mobile numbers are +86 199 xxxx xxxx.
USERNAME_PREFIX = "scale"
PHONE_PREFIX = "+86199"
# The organisation-code part of a scale enterprise's credit code starts with this; the demo's
# start with MA2H.
USCC_ORG_PREFIX = "MA7"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
USCC_SPREAD = 7_777_777

WORKERS_PER_ENTERPRISE = 40
# Pareto shape of enterprise sizes: 1.6 puts the largest of 25,000 firms near 8,000 workers.
SIZE_TAIL = 1.6
LIVES_IN_EMPLOYERS_DISTRICT = 0.93
MALE_SHARE = 0.62  # the trades that need special-operations certificates are mostly male

# The demo's surnames are in order of frequency; later ones are drawn less often.
SURNAME_FREQUENCY_DECAY = 0.9
MALE_GIVEN = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林阳建国志文海东峰成亮新永春德振兴坤昊博晨"
FEMALE_GIVEN = "芳娜敏静丽艳娟霞秀英兰玲婷雪慧洁琳燕红梅萍莉倩颖佳丹琴云月欣雨桐思怡彤晶媛蓉"
SINGLE_CHARACTER_GIVEN = 0.3

# Birthplace codes (GB/T 2260): Hangzhou's old and new ones, and counties many migrant workers
# come from. Each is used only for birth years in which it existed.
HOME_BIRTHPLACES = (
    "330102", "330103", "330104", "330105", "330106", "330108", "330109", "330110",
    "330122", "330127", "330181", "330182", "330183", "330184", "330185",
)  # fmt: skip
MIGRANT_BIRTHPLACES = (
    "341222", "341221", "412722", "411522", "511322", "510722", "522427", "362329",
    "432524", "360428", "330381", "330481", "330421", "342221", "500233",
)  # fmt: skip
HOME_BORN = 0.55

# Enterprise names: <place><brand><trade>有限公司.
BRANDS = (
    "恒达", "鑫源", "华鼎", "盛通", "宏远", "金龙", "瑞丰", "嘉诚", "永安", "泰和", "新星", "天成",
    "中联", "正泰", "东方", "明珠", "宝利", "伟业", "兴隆", "九洲", "海越", "天马", "长运", "通达",
    "顺发", "利民", "安泰", "博远", "汇丰", "双林", "金帆", "银河", "华东", "长兴", "鸿运", "众合",
    "联创", "协和", "德力", "振华", "国泰", "同心", "启明", "光华", "飞跃", "精工", "宏达", "远航",
    "华立", "三鑫", "百合", "春晖", "江南", "湖畔",
)  # fmt: skip
TRADES = {
    "A": "农业开发 生态农业 茶业 苗木",
    "B": "矿业 石材 砂石",
    "C": "机械制造 精细化工 纺织印染 电子科技 食品 新材料 五金制品 塑业 服饰 汽车零部件 包装印刷 家具",
    "D": "电力工程 燃气 热电 水务",
    "E": "建设集团 建筑工程 市政工程 装饰工程 钢结构工程 安装工程",
    "F": "商贸 贸易 超市 医药连锁 建材",
    "G": "物流 运输 快递 仓储 客运",
    "H": "酒店管理 餐饮管理 大酒店",
    "I": "网络科技 信息技术 软件 数据科技",
    "J": "金融服务 融资租赁",
    "K": "房地产开发 物业管理 置业",
    "L": "商务服务 人力资源 会展服务",
    "M": "检测技术 工程设计 环境科技",
    "N": "环境工程 园林绿化 环卫服务",
    "O": "家政服务 汽车维修 洗涤服务",
    "P": "教育科技 职业技能培训",
    "Q": "医疗管理 养老服务 康复医疗",
    "R": "文化传媒 体育发展 影视",
    "S": "社区服务 公共事务服务",
    "T": "国际交流服务",
}
# How many enterprises of each industry (GB/T 4754 section), relative: manufacturing and
# construction dominate the campaign.
INDUSTRY_WEIGHTS = {
    "C": 34, "E": 14, "F": 9, "G": 7, "H": 6, "I": 4, "L": 4, "D": 3, "K": 3, "M": 3,
    "N": 3, "O": 3, "A": 2, "B": 1, "Q": 2, "P": 1, "R": 1, "J": 1, "S": 1, "T": 0.1,
}  # fmt: skip
HAZARDOUS_CHEMICALS_SHARE = {"C": 0.12, "B": 0.3, "D": 0.1, "G": 0.05}
ROADS = (
    "文一西路", "江南大道", "建设一路", "金城路", "良睦路", "文三路", "莫干山路", "解放路", "石祥路", "东湖路",
    "新安江路", "钱王街", "富春路", "迎宾路", "人民路", "工业大道", "科技园路", "临江路", "鸿达路", "兴业街",
)  # fmt: skip


@dataclass(slots=True)
class EnterprisePlan:
    id: int
    district: int
    industry: int
    industry_code: str
    hazardous_chemicals: bool
    workers: int
    headcount: int
    created: float


@dataclass(slots=True)
class WorkerPlan:
    """A worker: the login (``user_id``) and the real-name profile (``profile_id``)."""

    user_id: int
    profile_id: int
    created: float
    employer: EnterprisePlan
    district: int
    real_name: str
    id_number: str
    birth_date: date
    sex: str
    large_text: bool
    last_seen: float  # the worker's last activity, for last_login


def enterprise_sizes(rng, *, workers: int) -> list[int]:
    """Workers per enterprise: at least one each, ``WORKERS_PER_ENTERPRISE`` on average, a
    Pareto tail; the sizes add up to ``workers`` exactly (largest remainders)."""
    count = max(1, round(workers / WORKERS_PER_ENTERPRISE))
    weights = [rng.paretovariate(SIZE_TAIL) for _ in range(count)]
    spare = workers - count
    total = sum(weights)
    shares = [spare * weight / total for weight in weights]
    sizes = [1 + math.floor(share) for share in shares]
    short = workers - sum(sizes)
    by_remainder = sorted(range(count), key=lambda i: math.floor(shares[i]) - shares[i])
    for index in by_remainder[:short]:
        sizes[index] += 1
    return sizes


def credit_code(district_code: str, number: int) -> str:
    """A unified social credit code of a company (91) in the district; ``number`` makes the
    organisation code (``USCC_ORG_PREFIX`` + six characters) and the check digit comes last."""
    places = len(USCC_ALPHABET) ** 6
    # Spread consecutive numbers over the code space (a bijection: the multiplier is prime to
    # 31), so the codes do not all start MA7000.
    number = number * USCC_SPREAD % places
    digits = []
    for _ in range(6):
        number, digit = divmod(number, len(USCC_ALPHABET))
        digits.append(USCC_ALPHABET[digit])
    body = f"91{district_code}{USCC_ORG_PREFIX}{''.join(reversed(digits))}"
    return body + uscc.calc_check_digit(body)


def enterprises_plan(
    rng, *, sizes: list[int], reference: Reference, clock: Clock, first_id: int, taken_codes: set
) -> tuple[list[EnterprisePlan], list[tuple]]:
    """Plans and the rows of ``accounts.Enterprise`` (fields: see ``ENTERPRISE_FIELDS``)."""
    districts = reference.districts
    district_weights = [district.weight for district in districts]
    codes = [code for code in INDUSTRY_WEIGHTS if code in reference.industries]
    codes += sorted(set(reference.industries) - set(codes))
    industry_weights = [INDUSTRY_WEIGHTS.get(code, 1) for code in codes]
    plans: list[EnterprisePlan] = []
    rows: list[tuple] = []
    names: set[str] = set()
    number = 0
    for offset, size in enumerate(sizes):
        district = rng.choices(districts, district_weights)[0]
        industry_code = rng.choices(codes, industry_weights)[0]
        hazardous = rng.random() < HAZARDOUS_CHEMICALS_SHARE.get(industry_code, 0.01)
        code = credit_code(district.code, number)
        while code in taken_codes:
            number += 1
            code = credit_code(district.code, number)
        number += 1
        # Firms registered up to two months before the campaign window, or during its first half.
        created = clock.start - 8 * 7 * DAY + rng.random() * (8 * 7 * DAY + clock.span / 2)
        plan = EnterprisePlan(
            id=first_id + offset,
            district=district.id,
            industry=reference.industries[industry_code],
            industry_code=industry_code,
            hazardous_chemicals=hazardous,
            workers=size,
            headcount=math.ceil(size * rng.uniform(1.05, 1.6)),
            created=created,
        )
        plans.append(plan)
        rows.append(
            (
                plan.id,
                clock.datetime(created),
                clock.now_datetime,
                _enterprise_name(rng, district.name, industry_code, plan.headcount, names),
                code,
                district.id,
                plan.industry,
                f"杭州市{district.name}{rng.choice(ROADS)}{rng.randint(1, 2999)}号",
                person_name(rng, male=rng.random() < MALE_SHARE),
                f"0571-8{rng.randrange(10**7):07d}",
                plan.headcount,
                hazardous,
            )
        )
    return plans, rows


ENTERPRISE_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "name",
    "uscc",
    "district",
    "industry",
    "address",
    "contact_name",
    "contact_phone",
    "headcount",
    "uses_hazardous_chemicals",
)


def _enterprise_name(rng, district_name: str, industry_code: str, headcount: int, taken) -> str:
    place = "杭州" if rng.random() < 0.3 else district_name.rstrip("区县市")
    trades = TRADES.get(industry_code, "实业").split()
    suffix = "集团有限公司" if headcount >= 2000 else "有限公司"
    for _attempt in range(8):
        name = f"{place}{rng.choice(BRANDS)}{rng.choice(trades)}{suffix}"
        if name not in taken:
            break
    else:  # the common names are used up: a branch of one of them
        name = f"{name.removesuffix(suffix)}第{len(taken)}分公司"
    taken.add(name)
    return name


@functools.cache
def _surname_weights() -> tuple[str, tuple[float, ...]]:
    from seeding.demo.accounts import SURNAMES

    weights, total = [], 0.0
    for rank in range(len(SURNAMES)):
        total += 1 / (rank + 2) ** SURNAME_FREQUENCY_DECAY
        weights.append(total)
    return SURNAMES, tuple(weights)


def person_name(rng, *, male: bool) -> str:
    surnames, cumulative = _surname_weights()
    surname = rng.choices(surnames, cum_weights=cumulative)[0]
    pool = MALE_GIVEN if male else FEMALE_GIVEN
    if rng.random() < SINGLE_CHARACTER_GIVEN:
        return surname + rng.choice(pool)
    return surname + rng.choice(pool) + rng.choice(pool)


@functools.cache
def _birthplaces(year: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The home and migrant birthplace codes that existed in ``year``."""

    def existed(code: str) -> bool:
        try:
            ric.get_birth_place(f"{code}{year}01010000")
        except ValidationError:
            return False
        return True

    home = tuple(code for code in HOME_BIRTHPLACES if existed(code))
    migrant = tuple(code for code in MIGRANT_BIRTHPLACES if existed(code))
    return home or migrant, migrant or home


def id_number(rng, *, birth: date, male: bool, taken: set) -> str:
    """A resident ID number nobody has yet: birthplace code, birth date, a sequence whose last
    digit is odd for men and even for women, and the check digit from ``stdnum.cn.ric``."""
    home, migrant = _birthplaces(birth.year)
    place = rng.choice(home if rng.random() < HOME_BORN else migrant)
    sequence = rng.randrange(500) * 2 + (1 if male else 0)
    stem = f"{place}{birth:%Y%m%d}"
    for _attempt in range(500):
        first17 = f"{stem}{sequence:03d}"
        if first17 not in taken:
            break
        sequence = (sequence + 2) % 1000
    else:
        raise RuntimeError(f"every ID number of {stem} is taken")
    taken.add(first17)
    return first17 + ric.calc_check_digit(first17 + "0")  # it expects the full 18 characters


def workers_plan(
    rng,
    *,
    enterprises: list[EnterprisePlan],
    reference: Reference,
    clock: Clock,
    first_id: int,
    first_profile_id: int,
    taken_id_numbers: set,
) -> list[WorkerPlan]:
    """Every worker, in the order they registered (ids grow with time, as in real tables)."""
    joined = []
    for enterprise in enterprises:
        earliest = max(clock.start, enterprise.created)
        for _ in range(enterprise.workers):
            # Registrations pick up as the campaign goes on.
            joined.append((earliest + (clock.horizon - earliest) * rng.random() ** 0.8, enterprise))
    joined.sort(key=lambda pair: pair[0])

    districts = reference.districts
    district_weights = [district.weight for district in districts]
    workers = []
    for offset, (created, employer) in enumerate(joined):
        male = rng.random() < MALE_SHARE
        age_days = int(rng.triangular(18, 60, 36) * 365.2425)
        birth = clock.local_date(created) - timedelta(days=age_days)
        district = (
            employer.district
            if rng.random() < LIVES_IN_EMPLOYERS_DISTRICT
            else rng.choices(districts, district_weights)[0].id
        )
        workers.append(
            WorkerPlan(
                user_id=first_id + offset,
                profile_id=first_profile_id + offset,
                created=created,
                employer=employer,
                district=district,
                real_name=person_name(rng, male=male),
                id_number=id_number(rng, birth=birth, male=male, taken=taken_id_numbers),
                birth_date=birth,
                sex="M" if male else "F",
                large_text=age_days > 50 * 365 and rng.random() < 0.3,  # 适老化: older eyes
                last_seen=created,
            )
        )
    return workers


USER_FIELDS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "phone",
    "phone_verified",
    "large_text",
)
# Any hash that starts with UNUSABLE_PASSWORD_PREFIX ("!") is unusable: scale workers cannot
# sign in, so they never need a real hash (hashing a million passwords would take hours).
UNUSABLE_PASSWORD = UNUSABLE_PASSWORD_PREFIX + "seed_scale"


def scale_username(number: int) -> str:
    """The username of the ``number``-th scale worker (from 1): ``scale00000001``."""
    return f"{USERNAME_PREFIX}{number:08d}"


def user_rows(workers: list[WorkerPlan], *, clock: Clock, taken_phones: set):
    phone_number = 0
    for number, worker in enumerate(workers, start=1):
        phone = f"{PHONE_PREFIX}{phone_number:08d}"
        while phone in taken_phones:  # someone signed up with it: skip it
            phone_number += 1
            phone = f"{PHONE_PREFIX}{phone_number:08d}"
        phone_number += 1
        yield (
            worker.user_id,
            UNUSABLE_PASSWORD,
            clock.datetime(worker.last_seen) if worker.last_seen > worker.created else None,
            False,
            scale_username(number),
            "",
            "",
            "",
            False,
            True,
            clock.datetime(worker.created),
            phone,
            True,
            worker.large_text,
        )


PROFILE_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "user",
    "real_name",
    "id_number",
    "birth_date",
    "sex",
    "photo",
    "employer",
    "district",
    "industry",
)


def profile_rows(workers: list[WorkerPlan], *, clock: Clock):
    now = clock.now_datetime
    for worker in workers:
        yield (
            worker.profile_id,
            clock.datetime(worker.created),
            now,
            worker.user_id,
            worker.real_name,
            worker.id_number,
            worker.birth_date,
            worker.sex,
            "",
            worker.employer.id,
            worker.district,
            worker.employer.industry,
        )


TARGET_FIELDS = ("id", "created_at", "updated_at", "district", "enterprise", "target")
# Enterprises this large get a target of their own (the demo gives one to every named firm).
ENTERPRISE_TARGET_FROM = 100
DISTRICT_TARGET_FACTOR = 1.2  # districts aim beyond who has registered so far


def district_targets(rng, workers: list[WorkerPlan]) -> dict[int, int]:
    """Per district: the workers registered there times 1.2, give or take a tenth."""
    registered: dict[int, int] = {}
    for worker in workers:
        registered[worker.district] = registered.get(worker.district, 0) + 1
    return {
        district: max(1, round(count * DISTRICT_TARGET_FACTOR * rng.uniform(0.9, 1.1)))
        for district, count in sorted(registered.items())
    }


def enterprise_target_rows(enterprises: list[EnterprisePlan], *, clock: Clock, first_id: int):
    large = [plan for plan in enterprises if plan.headcount >= ENTERPRISE_TARGET_FROM]
    now = clock.now_datetime
    return [
        (first_id + offset, clock.datetime(plan.created), now, None, plan.id, plan.headcount)
        for offset, plan in enumerate(large)
    ]
