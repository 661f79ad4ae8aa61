"""The pure call-flow engine: schedule resolution, signed call state, actions and RCML building.

No Django, no HTTP, no I/O: the web tier compiles a :class:`~.model.System` snapshot, verifies the
request's state with :mod:`.state`, and calls :func:`.engine.start` / :func:`.engine.step`.
Modules: ``model`` (snapshot dataclasses), ``schedule`` (which menu when), ``state`` (signed URL
state), ``directory`` (dial by extension / name), ``rcml`` (XML builders), ``engine`` (the flow).
"""
