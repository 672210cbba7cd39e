"""Property tests: any text given as s3.yaml is parsed or refused with file, line and reason."""

from __future__ import annotations

import re

import yaml
from hypothesis import given
from hypothesis import strategies as st

from storage.config import s3yaml
from storage.config.s3yaml import S3ConfigError
from tests.fuzz import fuzz

scalars = st.one_of(st.text(max_size=20), st.booleans(), st.integers(), st.none())
known = st.sampled_from(list(s3yaml.CONNECTION_KEYS) + ["colour", "Name", "bucket"])
connection = st.dictionaries(known, scalars, max_size=8)
documents = st.fixed_dictionaries(
    {}, optional={"default": scalars, "connections": st.lists(connection, max_size=4) | scalars,
                  "extra": scalars},
)
ERROR_SHAPE = re.compile(r"^s3\.yaml(:\d+)?: \S")


def assert_parsed_or_refused(text: str) -> None:
    try:
        config = s3yaml.parse(text)
    except S3ConfigError as e:
        assert ERROR_SHAPE.match(str(e)), str(e)
        return
    names = [c.name for c in config.connections]
    assert len(names) == len(set(names)) and all(names)
    assert config.default is None or config.default in names


@fuzz
@given(documents)
def test_structured_documents_are_parsed_or_refused_precisely(document):
    assert_parsed_or_refused(yaml.safe_dump(document, allow_unicode=True))


@fuzz
@given(st.text(max_size=300))
def test_arbitrary_text_is_parsed_or_refused_precisely(text):
    assert_parsed_or_refused(text)
