"""Reading a site's sources and git history, and checking them: a validated Catalog."""
