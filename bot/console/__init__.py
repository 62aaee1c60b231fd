"""The staff console: a small Starlette web app served by LiveReply itself (no CDN, works offline).

Entry points: `catalog.console.server.create_app`, `start_console_thread`, `serve_console`;
`catalog.console.auth.add_staff` for `livereply staff add`.
"""
