"""What the database holds to for a grant: one holder, a folder prefix, no duplicates."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from console.access.models import Grant


@pytest.fixture
def pat(db):
    return User.objects.create_user("pat", "pat@example.com", "pw")


def refused(**values) -> bool:
    try:
        with transaction.atomic():
            Grant.objects.create(**values)
    except IntegrityError:
        return True
    return False


def test_a_grant_goes_to_exactly_one_user_or_group(connections, pat):
    team = Group.objects.create(name="team")
    assert refused(connection=connections["A"], role="viewer")
    assert refused(connection=connections["A"], role="viewer", user=pat, group=team)
    assert not refused(connection=connections["A"], role="viewer", user=pat)
    assert not refused(connection=connections["A"], role="viewer", group=team)


def test_one_holder_has_one_grant_per_folder(connections, pat):
    team = Group.objects.create(name="team")
    Grant.objects.create(connection=connections["A"], role="viewer", user=pat, prefix="team/")
    Grant.objects.create(connection=connections["A"], role="viewer", group=team, prefix="team/")
    assert refused(connection=connections["A"], role="editor", user=pat, prefix="team/")
    assert refused(connection=connections["A"], role="editor", group=team, prefix="team/")
    assert not refused(connection=connections["A"], role="editor", user=pat, prefix="")
    assert not refused(connection=connections["B"], role="editor", user=pat, prefix="team/")


def test_the_database_refuses_a_prefix_that_is_not_a_folder_or_an_unknown_role(connections, pat):
    assert refused(connection=connections["A"], role="viewer", user=pat, prefix="team")
    assert refused(connection=connections["A"], role="admin", user=pat)


@pytest.mark.parametrize(("prefix", "word"), [("team", "ends in '/'"), ("a/../b/", "'..'"), ("/team/", "start"),
                                              ("a//b/", "empty path segment"),
                                              ("team/\u202ecod/", "text-direction control")])
def test_clean_names_what_is_wrong_with_a_prefix(connections, pat, prefix, word):
    with pytest.raises(ValidationError) as refused_prefix:
        Grant(connection=connections["A"], role="viewer", user=pat, prefix=prefix).clean()
    assert word in str(refused_prefix.value)


def test_deleting_a_user_or_group_removes_their_grants(connections, pat):
    team = Group.objects.create(name="team")
    Grant.objects.create(connection=connections["A"], role="viewer", user=pat)
    Grant.objects.create(connection=connections["A"], role="viewer", group=team)
    pat.delete()
    team.delete()
    assert not Grant.objects.exists()
