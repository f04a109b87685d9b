"""The action server registers exactly the custom actions the domain declares."""

from __future__ import annotations

import yaml
from rasa_sdk.executor import ActionExecutor

from bot.settings import ROOT


def test_registered_actions_match_the_domain():
    executor = ActionExecutor()
    executor.register_package("actions")
    domain_actions = set(yaml.safe_load((ROOT / "domain.yml").read_text())["actions"])
    assert set(executor.actions) == domain_actions
