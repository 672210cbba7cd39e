# The access tests' world: connection A and the seven kinds of people of issue #15 (tests/unit/access_world.py).
from tests.unit.access_world import matrix_world, moto_world_s3, world  # noqa: F401
