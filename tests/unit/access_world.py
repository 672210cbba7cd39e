"""A connection A (moto) and the seven kinds of people of issue #15's matrix, for the access tests.

    anonymous   not signed in
    nogrant     signed in, no role group, no grant
    team        an editor of A limited to A:team/
    viewer      viewer of A          editor   editor of A          manager  manager of A
    admin       the admin role group

A holds docs/readme.txt (outside team/), team/readme.txt, team2/readme.txt, a file named "team", and a
multipart upload in progress for docs/big.bin and one for team/big.bin.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.test import Client

from tests.unit.admin_support import BUCKET, make_connection, moto_session

PEOPLE = ("anonymous", "nogrant", "team", "viewer", "editor", "manager", "admin")  # weakest first
KEYS = ("docs/readme.txt", "team/readme.txt", "team2/readme.txt", "team", "team/sub/deep.txt")


@dataclass
class World:
    people: dict  # name -> User, None for anonymous
    uploads: dict[str, str]  # key -> upload id of a multipart upload in progress
    values: dict = field(default_factory=dict)  # URL arguments by name (the matrix's job, token, user)

    def client(self, person: str) -> Client:
        return self.client_for(self.people[person])

    @staticmethod
    def client_for(user) -> Client:
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        return client


def grant(user, role: str, prefix: str = "", connection: str = "primary"):
    from console.access.models import Grant
    from storage.models import Connection

    return Grant.objects.create(connection=Connection.objects.get(name=connection), user=user, role=role,
                                prefix=prefix)


@pytest.fixture
def moto_world_s3():
    """Moto with A's bucket; the matrix asks some 500 questions, so each test's setup must be cheap."""
    from moto import mock_aws

    with mock_aws():
        client = moto_session().client("s3")
        client.create_bucket(Bucket=BUCKET)
        yield client


@pytest.fixture
def world(db, moto_world_s3) -> World:
    from django.contrib.auth.models import Group, User

    moto_s3 = moto_world_s3
    make_connection("primary", is_default=True)
    for key in KEYS:
        moto_s3.put_object(Bucket=BUCKET, Key=key, Body=key.encode(), ContentType="text/plain")
    uploads = {key: moto_s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
               for key in ("docs/big.bin", "team/big.bin")}
    people = {"anonymous": None}
    for name in PEOPLE[1:]:
        people[name] = User.objects.create_user(name, f"{name}@example.com")  # force_login: no password
    people["admin"].groups.add(Group.objects.get_or_create(name="admin")[0])
    grant(people["team"], "editor", "team/")
    for role in ("viewer", "editor", "manager"):
        grant(people[role], role)
    return World(people, uploads)


@pytest.fixture
def matrix_world(world):
    """The world, with something for each URL argument to point at: the editor's job, a token, a user, a
    service's S3 access key, and a
    group holding viewer on A's docs/ (a grant only managers of docs/ may change)."""
    from django.contrib.auth.models import Group

    from console.access.models import Grant
    from console.jobs.models import Job
    from console.s3api.keys import issue_key
    from storage.models import Connection
    from storage.service_tokens import issue_token

    job = Job.objects.create(kind=Job.Kind.DELETE, connection="primary", params={"items": ["docs/"]},
                             created_by=world.people["editor"], created_by_name="editor")
    token = issue_token("matrix").record
    group = Group.objects.create(name="matrix")
    grant = Grant.objects.create(connection=Connection.objects.get(name="primary"), group=group, role="viewer",
                                 prefix="docs/")
    world.values = {"job_id": job.pk, "pk": token.pk, "upload_id": world.uploads["docs/big.bin"],
                    "group_id": group.pk, "grant_id": grant.pk, "key_pk": issue_key("matrix").record.pk}
    return world
