"""Inputs quoted from the world outside this project (each with its source), for tests."""
