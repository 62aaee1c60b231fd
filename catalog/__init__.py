"""LiveReply catalog: SQL schema, store, templates, import/export and the staff console."""
