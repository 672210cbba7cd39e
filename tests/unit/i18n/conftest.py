# The matrix's world (tests/unit/access_world.py): connection A and the seven kinds of people.
from tests.unit.access_world import matrix_world, moto_world_s3, world  # noqa: F401
