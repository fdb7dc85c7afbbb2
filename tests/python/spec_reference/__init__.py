"""Pure-Python reference implementation of /work/shared/SPEC.md (sections 2 to 11).

    from spec_reference import compute_all, load_vars, load_seeds
    tables = compute_all(events_dir, load_vars(vars_yml), load_seeds(seeds_dir))

INTERPRETATIONS_PLACEHOLDER
"""

from .config import load_seeds, load_vars, resolve_vars
from .pipeline import compute_all

__all__ = ["compute_all", "load_seeds", "load_vars", "resolve_vars"]
