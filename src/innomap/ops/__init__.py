"""Operations: running the dashboard in its production shape (replicas behind nginx).

Not part of the pure core: only the command line imports it (the import-linter contracts in
pyproject.toml say so).
"""
