"""Operations: running the dashboard in its production shape (replicas under supervisord behind
HAProxy, on one machine or on several simulated hosts).

Not part of the pure core: only the command line imports it (the import-linter contracts in
pyproject.toml say so).
"""
