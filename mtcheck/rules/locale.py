"""Rules of this family are registered here (see mtcheck.rules)."""
