"""The randomised experiment: its design, plan and reading (issue 18)."""
