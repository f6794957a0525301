"""The randomised experiment (issue 18): withhold a blast at random from some regencies,
provinces or numbers, and compare. Its design (holdout.py: the individual hold-out rule;
assignment.py: the cluster assignment; power.py), its pre-registered plan (plan.py: frozen
with its SHA-256 before the first wave) and the reading of its effect (estimators.py)."""
