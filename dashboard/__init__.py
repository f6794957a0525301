"""Pemilu Damai 2024 campaign dashboard: SMS-blast reach, participation and hoax trends."""
