"""laopan: the Qt-free core of the 老潘调解 case desk (models, rules, services, storage, CLI)."""

__version__ = "0.1.0"
