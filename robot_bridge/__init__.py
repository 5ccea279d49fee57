"""Executes plans against a Unitree-style humanoid controller (real or simulated)."""
