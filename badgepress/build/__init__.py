"""Writing the site, and the optimiser below the stages: parallel and incremental."""
