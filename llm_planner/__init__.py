"""Plain-language task -> validated plan of humanoid motion primitives, on a local LLM."""
