"""The resources a :class:`~akool_cli.api.client.Client` carries, each attached on first
use (its module imported then): ``client.sessions``, ``client.knowledge``, …"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # each resource's module is imported when it is first used
    from akool_cli.api.client import Client
    from akool_cli.api.resources.avatars import Avatars
    from akool_cli.api.resources.credit import Credit
    from akool_cli.api.resources.knowledge import KnowledgeBases
    from akool_cli.api.resources.languages import Languages
    from akool_cli.api.resources.sessions import Sessions
    from akool_cli.api.resources.voices import Voices


class Attached:
    """The resources, each made once per client."""

    @cached_property
    def sessions(self) -> Sessions:
        from akool_cli.api.resources.sessions import Sessions

        return Sessions(cast("Client", self))

    @cached_property
    def avatars(self) -> Avatars:
        from akool_cli.api.resources.avatars import Avatars

        return Avatars(cast("Client", self))

    @cached_property
    def voices(self) -> Voices:
        from akool_cli.api.resources.voices import Voices

        return Voices(cast("Client", self))

    @cached_property
    def languages(self) -> Languages:
        from akool_cli.api.resources.languages import Languages

        return Languages(cast("Client", self))

    @cached_property
    def credit(self) -> Credit:
        from akool_cli.api.resources.credit import Credit

        return Credit(cast("Client", self))

    @cached_property
    def knowledge(self) -> KnowledgeBases:
        from akool_cli.api.resources.knowledge import KnowledgeBases

        return KnowledgeBases(cast("Client", self))
