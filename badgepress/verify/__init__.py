"""`badgepress verify`: checking anyone's Open Badges, hosted, baked or signed."""
