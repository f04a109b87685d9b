"""One wording for our components' config errors: which component, which key, what to write."""

from __future__ import annotations

from typing import Any, Dict, NoReturn

from rasa.shared.exceptions import InvalidConfigException


def invalid_config(component: type, config: Dict[str, Any], key: str, expected: str) -> NoReturn:
    """Raise an InvalidConfigException (a ValueError) that says where in config.yml to fix it."""
    raise InvalidConfigException(
        f"{component.__name__}: '{key}' must be {expected}, not {config.get(key)!r}. "
        f"Fix it under '- name: {component.__module__}.{component.__name__}' in config.yml."
    )
