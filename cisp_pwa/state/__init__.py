"""Thin Reflex states: each handler resolves the actor, calls one service, keeps small rows."""
