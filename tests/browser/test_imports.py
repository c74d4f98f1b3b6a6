"""An enterprise safety officer imports a roster with good and bad rows and reads the report."""

import pytest
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import Role, WorkerProfile
from tests.factories import (
    PASSWORD,
    DistrictFactory,
    EnterpriseFactory,
    UserFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_officer_imports_a_file_and_sees_the_row_report(page, tmp_path, shot):
    district = DistrictFactory(code="330106", name="西湖区")
    enterprise = EnterpriseFactory(district=district, name="杭州西湖安全测试有限公司")
    officer = UserFactory(phone="+8613755550001")
    account_services.role_grant(
        user=officer, role=Role.ENTERPRISE_ADMIN, actor=None, enterprise=enterprise
    )
    good_1, good_2 = make_id_number(601), make_id_number(602)
    bad_id = make_id_number(603)[:17] + ("0" if make_id_number(603)[17] != "0" else "1")
    roster = tmp_path / "职工名册.csv"
    roster.write_text(
        "姓名,身份证号,手机号,区县\n"
        f"王建华,{good_1},13955550001,西湖区\n"
        f"李秀英,{good_2},13955550002,\n"
        f"赵错号,{bad_id},13955550003,西湖区\n"
        f"钱无区,{make_id_number(604)},13955550004,火星区\n",
        encoding="gb18030",
    )
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("13755550001")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto("/enterprise/imports/new/")
    page.locator("input[type=file]").set_input_files(str(roster))
    shot(page, "import-upload")
    page.get_by_role("button", name="开始导入").click()
    expect(page.locator("main")).to_contain_text("有 2 行未导入", timeout=15_000)
    expect(page.locator("main")).to_contain_text("校验位")
    expect(page.locator("main")).to_contain_text("火星区")
    shot(page, "import-report")
    assert set(
        WorkerProfile.objects.filter(employer=enterprise).values_list("real_name", flat=True)
    ) == {
        "王建华",
        "李秀英",
    }
