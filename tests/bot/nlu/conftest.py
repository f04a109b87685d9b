"""Fixtures for the NLU component tests."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Callable, Dict

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.training_data import TrainingData

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


@pytest.fixture
def model_storage(tmp_path: Path) -> ModelStorage:
    """Where trainable components persist themselves, as in Rasa's own tests."""
    (tmp_path / "model_storage").mkdir()
    return LocalModelStorage(tmp_path / "model_storage")


@pytest.fixture
def execution_context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


@pytest.fixture(scope="session")
def read_nlu_data() -> Callable[[str], TrainingData]:
    """Read training data from Rasa YAML, as `rasa train` reads data/nlu."""

    def read(yaml: str) -> TrainingData:
        return RasaYAMLReader().reads(textwrap.dedent(yaml))

    return read


@pytest.fixture
def train_nlu_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], str]:
    """Train an NLU model from a config and NLU data (YAML texts); returns the model file."""
    from rasa.model_training import train_nlu

    # Rasa caches trained components under ./.rasa by default: keep the repository clean.
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))

    def train(config: str, nlu: str) -> str:
        config_file, nlu_file = tmp_path / "config.yml", tmp_path / "nlu.yml"
        config_file.write_text(textwrap.dedent(config), encoding="utf-8")
        nlu_file.write_text(textwrap.dedent(nlu), encoding="utf-8")
        model = train_nlu(str(config_file), str(nlu_file), str(tmp_path / "models"))
        assert model is not None
        return model

    return train


def smoke_config(*components: str) -> str:
    """The tiny training config of the component tests: our tokenizer, the given components
    (``name: ...`` lines with their options), word counts, and one epoch of DIET."""
    lines = "".join(f"  - {component}\n" for component in components)
    return (
        "recipe: default.v1\nlanguage: vi\nassistant_id: smoke_test\npipeline:\n"
        "  - name: bot.nlu.vietnamese_tokenizer.VietnameseTokenizer\n"
        f"{lines}"
        "  - name: CountVectorsFeaturizer\n"
        "  - name: DIETClassifier\n    epochs: 1\n    entity_recognition: false\n"
        "policies: []\n"
    )
