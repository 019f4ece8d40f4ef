"""Thin Reflex states: each handler resolves the actor, calls one service, keeps small rows."""


def private_states() -> list[type]:
    """States that hold personal data: reset at sign-out."""
    from .admin import AdminHomeState
    from .coach import CoachHomeState
    from .drafts import DraftsState
    from .conversation import CoachConversationState, TraineeMessagesState
    from .goals import GoalsState
    from .help import HelpState
    from .partners_admin import PartnersAdminState
    from .live import LiveState
    from .my_data import MyDataState
    from .passport import PassportState
    from .pathway_editor import PathwayEditorState
    from .push import PushSettingsState
    from .security import SecurityState
    from .skills import SkillsState
    from .trainee_file import TraineeFileState
    from .trainee import TraineeHomeState
    from .trainer import TrainerHomeState

    return [TraineeHomeState, GoalsState, SkillsState, TraineeMessagesState, CoachConversationState,
            CoachHomeState, TraineeFileState, TrainerHomeState, AdminHomeState, PathwayEditorState, LiveState,
            DraftsState, PushSettingsState, SecurityState, MyDataState,
            PassportState, HelpState, PartnersAdminState]
