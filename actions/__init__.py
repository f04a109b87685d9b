"""Custom actions, one module per skill; rasa-sdk imports the submodules itself."""
