"""LiveReply bot: the live loop, adapters, pipeline, replies, replay and CLI."""

__version__ = "0.1.0"
