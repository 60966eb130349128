"""Open Badges 2.0 and 3.0 documents, baking and signing. Pure: no I/O."""
