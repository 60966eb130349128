"""Writing the site, and the optimiser below the stages: the executor and its worker processes
(executor, parallel), and incremental builds (incremental over inputs, state, digests, planner)."""
