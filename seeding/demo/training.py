"""Demo training: a course list, the general course, the hazardous-chemicals track and one
course per exam subject, with lessons and checkpoints; targets; a worker part-way through."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import District, Enterprise, User
from cms.models import HomePage
from training import services
from training.models import (
    CampaignTarget,
    CourseIndexPage,
    CoursePage,
    LessonCheckpoint,
    LessonPage,
)

P = "<p>{}</p>"

COURSES = [
    {
        "code": "general-safety",
        "title": "企业职工安全生产通用知识",
        "hours": "4.0",
        "hazchem": False,
        "intro": "面向全体企业职工的安全生产入门课程：法律责任、岗位风险辨识、个人防护和应急处置。",
        "lessons": [
            (
                "安全生产法律法规与从业人员权利义务",
                600,
                "《中华人民共和国安全生产法》规定，从业人员有权了解作业场所和工作岗位存在的危险因素、防范措施及事故应急措施，有权拒绝违章指挥和强令冒险作业；同时应当遵守本单位安全生产规章制度和操作规程，正确佩戴和使用劳动防护用品。",
                [
                    (
                        "从业人员发现直接危及人身安全的紧急情况时，有权怎样做？",
                        "继续作业，等待班组长指示\n停止作业或者在采取可能的应急措施后撤离作业场所\n先拍照上报，再决定是否撤离",
                        2,
                        "安全生产法赋予从业人员紧急避险权。",
                    )
                ],
            ),
            (
                "岗位风险辨识与隐患排查",
                600,
                "上岗前看一看、想一想：设备防护装置是否完好，作业环境有无积水油污，消防通道是否畅通。发现隐患要及时报告，不能“带病”作业。",
                [
                    (
                        "发现消防通道被堆放杂物堵塞，正确的做法是？",
                        "等有空再处理\n立即报告并清理，保持通道畅通\n只要不影响自己工作就可以",
                        2,
                        "消防通道是生命通道，必须时刻保持畅通。",
                    )
                ],
            ),
            (
                "个人防护用品与应急处置",
                600,
                "安全帽、防护眼镜、防护手套、安全带要按规定正确佩戴。发生事故时，先报警、再自救互救，按疏散路线有序撤离，不乘坐电梯。",
                [
                    (
                        "火灾发生时，以下哪种做法是错误的？",
                        "用湿毛巾捂住口鼻低姿撤离\n乘坐电梯快速下楼\n按照疏散指示标志撤离",
                        2,
                        "火灾时电梯可能断电或成为烟囱，严禁乘坐。",
                    )
                ],
            ),
        ],
    },
    {
        "code": "hazchem-special",
        "title": "危化使用企业安全专项培训",
        "hours": "6.0",
        "hazchem": True,
        "intro": "面向使用危险化学品企业的从业人员：危险特性、储存使用、动火与有限空间作业、泄漏应急。",
        "lessons": [
            (
                "危险化学品的危险特性与安全标签",
                900,
                "读懂安全技术说明书（SDS）和安全标签：象形图、信号词、危险性说明和防范说明是安全使用的第一道防线。",
                [
                    (
                        "危险化学品安全标签上的信号词“危险”表示？",
                        "较低的危险程度\n较高的危险程度\n仅为提示性文字",
                        2,
                        "“危险”用于较为严重的危险类别，“警告”用于较轻的类别。",
                    )
                ],
            ),
            (
                "储存、领用与动火作业管理",
                900,
                "危险化学品应分区分类储存，严禁混存禁忌物料。动火作业必须办理作业票，做到“票证不全不动火、检测不合格不动火、监护人不在场不动火”。",
                [
                    (
                        "动火作业前必须进行的是？",
                        "可燃气体检测\n口头告知班长即可\n只需准备灭火器",
                        1,
                        "未经检测合格严禁动火。",
                    )
                ],
            ),
            (
                "泄漏事故应急处置",
                900,
                "发生泄漏时，首先判断泄漏物性质，在上风向疏散人员，穿戴适当防护装备后切断泄漏源，用吸附材料围堵，严禁盲目施救。",
                [],
            ),
        ],
    },
    {
        "code": "low-voltage-electrician",
        "title": "低压电工作业安全培训",
        "hours": "8.0",
        "hazchem": False,
        "intro": "对应特种作业“低压电工作业”理论考试：电工基础、安全用电、电气防火与触电急救。",
        "lessons": [
            (
                "触电事故与安全用电",
                900,
                "停电、验电、装设接地线、悬挂标示牌和装设遮栏，是保证电气作业安全的技术措施。",
                [
                    (
                        "电气作业“停电”后下一步应当？",
                        "直接作业\n验电\n拆除接地线",
                        2,
                        "停电后必须验电，确认无电压。",
                    )
                ],
            ),
            (
                "触电急救与心肺复苏",
                900,
                "发现有人触电，应立即切断电源或用绝缘物使触电者脱离电源，再进行心肺复苏。",
                [],
            ),
        ],
    },
    {
        "code": "welding-cutting",
        "title": "焊接与热切割作业安全培训",
        "hours": "8.0",
        "hazchem": False,
        "intro": "对应特种作业“焊接与热切割作业”理论考试：焊接安全、防火防爆、职业危害防护。",
        "lessons": [
            (
                "焊接作业防火防爆",
                900,
                "焊接前清除周围10米范围内的可燃物，无法清除的要用防火毯覆盖，作业后检查确认无火种再离开。",
                [
                    (
                        "焊接作业点周围多少米内的可燃物应清除？",
                        "1米\n10米\n不需要清除",
                        2,
                        "规程要求清理动火点周围可燃物。",
                    )
                ],
            ),
            (
                "焊接烟尘与弧光防护",
                900,
                "焊接烟尘和弧光会损害呼吸系统和眼睛，必须佩戴焊接面罩、防尘口罩，保持良好通风。",
                [],
            ),
        ],
    },
    {
        "code": "work-at-height",
        "title": "高处作业安全培训",
        "hours": "6.0",
        "hazchem": False,
        "intro": "对应特种作业“高处作业”理论考试：坠落防护、脚手架与吊篮、安全带使用。",
        "lessons": [
            (
                "安全带的正确使用",
                600,
                "安全带应高挂低用，挂在牢固可靠的构件上，使用前检查织带、连接器有无损伤。",
                [
                    (
                        "安全带的正确挂法是？",
                        "低挂高用\n高挂低用\n挂在脚手架扣件上即可",
                        2,
                        "高挂低用可减小坠落距离和冲击力。",
                    )
                ],
            ),
            (
                "脚手架与临边防护",
                600,
                "临边、洞口必须设置防护栏杆和安全网，严禁在未验收的脚手架上作业。",
                [],
            ),
        ],
    },
    {
        "code": "hazchem-principal",
        "title": "危险化学品生产经营单位主要负责人安全培训",
        "hours": "8.0",
        "hazchem": True,
        "intro": "面向危险化学品生产经营单位主要负责人：安全生产主体责任、双重预防机制与应急管理。",
        "lessons": [
            (
                "主要负责人的安全生产职责",
                900,
                "主要负责人对本单位安全生产工作全面负责，须建立健全全员安全生产责任制，组织制定并实施安全生产规章制度和操作规程。",
                [
                    (
                        "对本单位安全生产工作全面负责的是？",
                        "安全管理人员\n主要负责人\n班组长",
                        2,
                        "安全生产法第五条。",
                    )
                ],
            ),
            (
                "风险分级管控与隐患排查治理",
                900,
                "构建双重预防机制：辨识评估风险、分级管控，定期排查隐患、闭环治理。",
                [],
            ),
        ],
    },
]

TARGETS = {
    "330102": 80000,
    "330105": 90000,
    "330106": 85000,
    "330108": 70000,
    "330109": 120000,
    "330110": 110000,
    "330111": 60000,
    "330112": 45000,
    "330113": 75000,
    "330114": 95000,
    "330122": 30000,
    "330127": 25000,
    "330182": 40000,
}


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _complete(profile, course, user, *, days_ago: int) -> None:
    """Study every lesson honestly (simulated heartbeats in the past) and answer its checkpoints."""
    enrollment = services.enrollment_create(worker=profile, course=course, actor=user)
    if enrollment.completed_at:
        return
    start = timezone.now() - timedelta(days=days_ago)
    for number, lesson in enumerate(course.lessons()):
        begin = start + timedelta(hours=number)
        for step in range(0, lesson.min_seconds + 16, 15):
            services.lesson_heartbeat(
                worker=profile, lesson=lesson, now=begin + timedelta(seconds=step)
            )
        answers = {c.pk: c.correct_choice for c in lesson.checkpoints.all()}
        services.lesson_checkpoints_answer(worker=profile, lesson=lesson, answers=answers)


def seed(*, stdout):
    home = HomePage.objects.get()
    index = CourseIndexPage.objects.first() or _publish(
        home,
        CourseIndexPage(
            title="在线课程",
            slug="courses",
            show_in_menus=True,
            intro="线上学习，学时自动记录。完成课程即可获得相应学时，作为参加理论考试的培训证明。",
        ),
    )
    for spec in COURSES:
        course = CoursePage.objects.filter(code=spec["code"]).first()
        if course is None:
            course = _publish(
                index,
                CoursePage(
                    title=spec["title"],
                    slug=spec["code"],
                    code=spec["code"],
                    credit_hours=Decimal(spec["hours"]),
                    intro=spec["intro"],
                    for_hazardous_chemicals=spec["hazchem"],
                    outline="<ul>"
                    + "".join(f"<li>{lesson[0]}</li>" for lesson in spec["lessons"])
                    + "</ul>",
                ),
            )
        for number, (title, seconds, text, checkpoints) in enumerate(spec["lessons"], start=1):
            if LessonPage.objects.child_of(course).filter(title=title).exists():
                continue
            lesson = LessonPage(
                title=title,
                slug=f"lesson-{number}",
                min_seconds=seconds,
                intro=text[:80],
                body=[("paragraph", P.format(text))],
            )
            for order, (question, choices, correct, explanation) in enumerate(checkpoints):
                lesson.checkpoints.add(
                    LessonCheckpoint(
                        sort_order=order,
                        question=question,
                        choices=choices,
                        correct_choice=correct,
                        explanation=explanation,
                    )
                )
            _publish(course, lesson)

    for code, target in TARGETS.items():
        district = District.objects.filter(code=code).first()
        if district:
            CampaignTarget.objects.get_or_create(district=district, defaults={"target": target})
    for enterprise in Enterprise.objects.exclude(headcount=None):
        CampaignTarget.objects.get_or_create(
            enterprise=enterprise, defaults={"target": enterprise.headcount}
        )

    worker = User.objects.filter(phone="+8613800000001").select_related("worker_profile").first()
    if worker is not None:
        profile = worker.worker_profile
        general = CoursePage.objects.get(code="general-safety")
        enrollment = services.enrollment_create(worker=profile, course=general, actor=worker)
        if enrollment.completed_at is None and not enrollment.lesson_progress.exists():
            first = general.lessons().first()
            start = timezone.now() - timedelta(minutes=5)
            for step in range(0, 181, 15):  # three minutes of honest heartbeats
                services.lesson_heartbeat(
                    worker=profile, lesson=first, now=start + timedelta(seconds=step)
                )
        services.enrollment_create(
            worker=profile, course=CoursePage.objects.get(code="hazchem-special"), actor=worker
        )
    # A second demo worker has finished the electrician's training, so the demo can sit the
    # 低压电工作业 theory exam straight away.
    ready = User.objects.filter(phone="+8613900000001").select_related("worker_profile").first()
    if ready is not None:
        for days_ago, code in ((3, "general-safety"), (2, "low-voltage-electrician")):
            _complete(
                ready.worker_profile, CoursePage.objects.get(code=code), ready, days_ago=days_ago
            )
    stdout.write(
        f"Courses ready: {CoursePage.objects.count()} courses, {LessonPage.objects.count()} lessons."
    )
    return []
