"""Multi-model writes, each a ``do_*`` function in one transaction, shared by the API, the
console, the admin, commands and tasks."""
