"""Reading and writing files safely: atomic writes, bounded reads, sealed cache files."""
