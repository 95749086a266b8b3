"""Scores: the rule-based quality score (``quality``) and back-translation fidelity (``fidelity``)."""
