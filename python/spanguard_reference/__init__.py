"""PyTorch reference implementation of GLiNER2 (span architecture), written from
/work/shared/spec/GLINER2_SPEC.md §1-§5. Entry point: spanguard_reference.api.GLiNER2."""
