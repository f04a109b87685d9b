"""Fixtures for the NLU component tests."""

from __future__ import annotations

from typing import Any, Callable, Dict

import pytest

from bot.nlu.vietnamese_tokenizer import VietnameseTokenizer


@pytest.fixture(scope="session")
def create_tokenizer() -> Callable[..., VietnameseTokenizer]:
    """Build a tokenizer from the defaults plus overrides, as Rasa merges config.yml."""

    def create(**overrides: Any) -> VietnameseTokenizer:
        config: Dict[str, Any] = {**VietnameseTokenizer.get_default_config(), **overrides}
        return VietnameseTokenizer(config)

    return create


@pytest.fixture(scope="session")
def tokenizer(create_tokenizer: Callable[..., VietnameseTokenizer]) -> VietnameseTokenizer:
    return create_tokenizer()
