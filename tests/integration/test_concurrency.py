"""Concurrent writers on PostgreSQL: the database constraint decides, nobody gets a 500."""

import threading

import pytest
from django.db import connection

from accounts import services
from accounts.models import WorkerProfile
from core.errors import DomainError
from tests.factories import DistrictFactory, UserFactory, make_id_number

# serialized_rollback everywhere in this suite: mixing it with plain transactional tests makes
# the restore collide with content types that a plain flush re-creates.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_simultaneous_signups_with_one_id_number_register_exactly_one(django_db_blocker):
    district = DistrictFactory()
    users = [UserFactory() for _ in range(8)]
    number = make_id_number(901)
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []
    lock = threading.Lock()

    def sign_up(user):
        try:
            barrier.wait(timeout=10)
            services.worker_profile_create(
                user=user, real_name="同时注册", id_number=number, district=district
            )
            outcome = "created"
        except DomainError as error:
            outcome = error.code
        except Exception as error:  # noqa: BLE001  (any other error is the failure we look for)
            outcome = f"crash: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=sign_up, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["created"] + ["id_taken"] * 7
    assert WorkerProfile.objects.filter(id_number=number).count() == 1
