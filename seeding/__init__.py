"""The demo and campaign-scale data (``seed_demo``, ``seed_scale``): the top floor. It imports
every app to fill it; no app imports it."""
