"""The audit entry of a change made through the S3 endpoint, naming the key that made it.

A person's key is recorded as that person (the key in `via`); a service's key, which has no person, under the
key's label as the actor's name.
"""

from __future__ import annotations

from console import audit
from console.s3api.call import Call


def record_change(call: Call, kind: str, target: str, **detail) -> None:
    owner = call.signed.key.owner
    who = {"actor": owner} if owner is not None else {"actor_name": call.principal.label}
    audit.record_storage_change(call.request, kind, connection=call.bucket, target=target,
                                via=call.principal.label, **who, **detail)
