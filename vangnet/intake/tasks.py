# SPDX-License-Identifier: EUPL-1.2
from django_tasks import task

from vangnet.intake.retention import delete_expired


@task()
def delete_expired_contacts() -> int:
    return delete_expired().deleted
