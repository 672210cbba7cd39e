"""Connection groups: several connections presented as one `oss_id`.

`gateway.GroupGateway` serves connections of kind "group" through the router that serves their
members, so members may be of any kind but "group". `ring` places keys (consistent hashing),
`members` checks what a group names, `upload_ids` ties a multipart upload to its member, and
`listing` merges the members' listings.
"""
