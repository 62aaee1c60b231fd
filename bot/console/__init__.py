"""The staff console: a small Starlette web app served by LiveReply itself (no CDN, works offline).

Entry points: `bot.console.server.create_app`, `start_console_thread`, `serve_console`;
`bot.console.auth.add_staff` for `livereply staff add`.
"""
