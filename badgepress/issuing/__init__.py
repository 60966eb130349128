"""Issuing badges: `issue`, `revoke`, rosters, notices, `new` and `keygen`."""
