"""JSON API of projects, wells, stages and events (camelCase; every item carries its version):
one router, made of each entity's (schemas in wells.api.schemas)."""

from ninja import Router

from wells.api import events, projects, stages, wells

router = Router(tags=["wells"])
for entity in (projects, wells, stages, events):
    router.add_router("", entity.router)
