"""Thin Reflex states: each handler resolves the actor, calls one service, keeps small rows."""


def private_states() -> list[type]:
    """States that hold personal data: reset at sign-out."""
    from .admin import AdminHomeState
    from .coach import CoachHomeState
    from .trainee import TraineeHomeState
    from .trainer import TrainerHomeState

    return [TraineeHomeState, CoachHomeState, TrainerHomeState, AdminHomeState]
