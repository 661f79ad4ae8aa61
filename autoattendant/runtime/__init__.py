"""Serving calls: everything between a platform's request and the pure engine.

- :mod:`.answering` — :func:`~.answering.answer_call`, the webhooks' one entry point, and the
  entry / continuation halves the RCML API and the simulator share;
- :mod:`.dialled` — the platform's ``To`` reduced to stored digits;
- :mod:`.lookup` — number → system, one precompiled query;
- :mod:`.routes` — routes remembered until PostgreSQL notifies a change;
- :mod:`.compiler` — a system's rows compiled into the engine's model (the one schedule
  compiler);
- :mod:`.store` — compiled flows and answers, cached under the flow's version;
- :mod:`.versions` and :mod:`.invalidation` — the version counter every write bumps, and the
  signal handlers that bump it for writes outside the services;
- :mod:`.lru` — the bounded per-process memory.

Dependencies point down: services → runtime → models, callflow; nothing here imports the API,
the console or the services.
"""
