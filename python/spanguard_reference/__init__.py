"""PyTorch reference implementation of GLiNER2 (span architecture), written from
schemas/GLINER2.md §1-§5. Entry point: spanguard_reference.api.GLiNER2."""
