"""Scale-out: one ``gateway`` per platform room (room ↔ Redis Streams) and N ``worker``s (one consumer group, the
same live loop as ``livereply run``, PostgreSQL as the shared catalog and log). See docs/scale.md."""
