"""The project's settings with the benchmark's URLconf (the bare baseline view first)."""

from aa_project.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
