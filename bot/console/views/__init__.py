"""HTTP views of the console, one module per area; `routes()` lists them all."""

from __future__ import annotations

from starlette.routing import BaseRoute

from bot.console.views import (
    admin,
    catalog_pages,
    dashboard,
    intents,
    io_pages,
    language,
    live,
    login,
    review,
    room_rules,
    synonyms,
    tryout,
)


def routes() -> list[BaseRoute]:
    return [
        *login.routes,
        *language.routes,
        *dashboard.routes,
        *live.routes,
        *catalog_pages.routes,
        *synonyms.routes,
        *intents.routes,
        *room_rules.routes,
        *tryout.routes,
        *review.routes,
        *io_pages.routes,
        *admin.routes,
    ]
