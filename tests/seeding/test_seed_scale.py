"""``seed_scale`` outside PostgreSQL, and the pieces that need no database. The data itself is
tested on PostgreSQL: tests/integration/test_seed_scale.py."""

import random
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from stdnum.cn import ric, uscc

from accounts.models import User
from certificates import signing
from seeding.scale import people, signs_with_development_key
from seeding.scale.bulk import BulkTable


def test_seed_scale_refuses_a_database_other_than_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_scale", workers=10)


def test_a_table_without_a_value_for_a_required_column_is_refused_before_copy():
    with pytest.raises(ValueError, match="username"):
        BulkTable(User, ("id", "password"))


def test_only_the_development_key_signs_without_being_told(settings):
    assert signs_with_development_key()
    settings.ANXUN_SIGNING_KEYS = signing.new_key_entry("site-2026")
    assert not signs_with_development_key()


def test_identity_numbers_are_valid_and_unique_even_when_crowded():
    rng, taken = random.Random(1), set()
    birth = date(1990, 5, 17)
    numbers = {people.id_number(rng, birth=birth, male=True, taken=taken) for _ in range(400)}
    assert len(numbers) == 400
    assert all(ric.is_valid(number) and ric.get_birth_date(number) == birth for number in numbers)
    assert all(int(number[16]) % 2 == 1 for number in numbers)  # men's sequence digit is odd
    codes = {people.credit_code("330106", number) for number in range(1000)}
    assert len(codes) == 1000
    assert all(uscc.is_valid(code) for code in codes)


def test_enterprise_sizes_add_up_with_a_long_tail():
    sizes = people.enterprise_sizes(random.Random(1), workers=100_000)
    assert sum(sizes) == 100_000
    assert len(sizes) == 2500
    assert min(sizes) >= 1
    assert max(sizes) > 20 * sorted(sizes)[len(sizes) // 2]
