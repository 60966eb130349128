"""Every output of the site as bytes: pages, JSON documents, feeds, headers."""
