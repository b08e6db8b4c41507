"""The store: SQLAlchemy 2 typed mappings (the storage schema), engine set-up and the unit of work."""
